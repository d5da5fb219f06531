"""A new bundle from the starter template: small, valid, commented field by field.

The template is kiosk/starter/ (a real bundle about the night the Berlin Wall opened, with no
placeholder text); only the bundle id is filled in, from the new folder's name, and the editor
schemas are written beside it so the files' first-line comments resolve, with the settings that
make VS Code read the files as the kiosk does (.vscode/settings.json: YAML 1.1, the schemas).
"""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from kiosk.content.data import is_id
from kiosk.content.schema import SCHEMA_FOLDER, write_editor_settings, write_schemas

ID_TOKEN = "{{BUNDLE_ID}}"


class StarterError(Exception):
    """The starter bundle cannot be created there; the message says why, in plain words."""


def template() -> Traversable:
    return resources.files("kiosk") / "starter"


def _copy(source: Traversable, target: Path, bundle_id: str, written: list[Path]) -> None:
    for entry in sorted(source.iterdir(), key=lambda e: e.name):
        if entry.name.startswith((".", "__")):
            continue
        destination = target / entry.name
        if entry.is_dir():
            destination.mkdir()
            _copy(entry, destination, bundle_id, written)
        elif entry.name.endswith((".yaml", ".txt", ".geojson")):
            text = entry.read_text(encoding="utf-8").replace(ID_TOKEN, bundle_id)
            destination.write_text(text, encoding="utf-8")
            written.append(destination)
        else:
            destination.write_bytes(entry.read_bytes())
            written.append(destination)


def check_new_folder(folder: Path) -> str:
    """The bundle id a starter in `folder` would have, or StarterError if it cannot go there."""
    bundle_id = folder.resolve().name
    if not is_id(bundle_id):
        raise StarterError(
            f"the folder name '{bundle_id}' is also the bundle's id, so it must be lower-case "
            "letters, digits and hyphens, such as 'harbour-1850'"
        )
    if folder.exists() and not folder.is_dir():
        raise StarterError(f"{folder} is a file, not a folder")
    if folder.exists() and any(folder.iterdir()):
        raise StarterError(f"{folder} is not empty; choose a new folder, so nothing is overwritten")
    return bundle_id


def create_starter(folder: Path) -> list[Path]:
    """Create the starter bundle in `folder` (new or empty); returns the files written."""
    bundle_id = check_new_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    _copy(template(), folder, bundle_id, written)
    written += write_schemas(folder / SCHEMA_FOLDER)
    settings = write_editor_settings(folder)
    if settings is not None:
        written.append(settings)
    return written
