"""Every picture and plan format `validate` accepts is one the packaged kiosk can show:
kiosk.spec keeps its Qt image plugin (PNG is built into QtGui), and drops the plugins of formats
`validate` refuses. WebP once passed `validate` and showed an empty box in the package, and a
TIFF plan once passed it and showed only today's map."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import PySide6
import pytest
from PySide6.QtGui import QImageReader

from kiosk.cli import main
from kiosk.content.media import SHOWN_FORMATS
from kiosk.content.plan import PLAN_KINDS

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "kiosk.spec"
# The formats kiosk/content/media.py recognises, and the Qt plugin that reads each.
RECOGNISED = {"JPEG": "qjpeg", "PNG": None, "GIF": "qgif", "WebP": "qwebp", "TIFF": "qtiff"}
ACCEPTED = set(SHOWN_FORMATS) | set(PLAN_KINDS)  # pictures, and historical plans' scans


def _spec_list(name: str) -> list[str]:
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            value: list[str] = ast.literal_eval(node.value)
            return value
    raise AssertionError(f"kiosk.spec has no {name}")


def _plugins() -> dict[str, str]:
    """The image-format plugins the PySide6 wheel ships: plugin name -> path as packaged."""
    folder = Path(PySide6.__file__).parent / "Qt" / "plugins" / "imageformats"
    found = {}
    for path in folder.iterdir():
        match = re.match(r"^(?:lib)?(q\w+?)(?:d)?\.(so|dll|dylib)$", path.name)
        if match:
            found[match.group(1)] = f"PySide6/Qt/plugins/imageformats/{path.name}"
    return found


def _kept(packaged: str) -> bool:
    dropped = re.compile("|".join(_spec_list("DROPPED_FILES")))
    return not dropped.search(packaged)


def test_the_wheel_ships_the_plugins_looked_for() -> None:
    plugins = _plugins()
    assert {name for name in RECOGNISED.values() if name} <= set(plugins)


def test_every_format_validate_accepts_is_kept_in_the_package() -> None:
    plugins = _plugins()
    assert set(RECOGNISED) >= ACCEPTED
    for kind in sorted(ACCEPTED):
        plugin = RECOGNISED[kind]
        if plugin is not None:
            assert _kept(plugins[plugin]), f"kiosk.spec drops the {kind} plugin"


def test_formats_validate_refuses_are_left_out_of_the_package() -> None:
    # Keeping a plugin whose format is refused only makes the package larger.
    plugins = _plugins()
    for kind, plugin in RECOGNISED.items():
        if kind not in ACCEPTED and plugin is not None:
            assert not _kept(plugins[plugin]), f"kiosk.spec keeps the {kind} plugin"


def test_qt_reads_every_accepted_format_here(qapp: object) -> None:
    supported = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    for kind in ACCEPTED:
        assert kind.lower() in supported


def test_pillow_is_left_out_of_the_package() -> None:
    excluded = _spec_list("EXCLUDED_MODULES")
    assert "PIL" in excluded and "kiosk.media_prepare" in excluded


def test_the_media_prepare_command_says_what_the_package_lacks(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # As in the package, where neither Pillow nor the module that needs it is there.
    monkeypatch.setitem(sys.modules, "kiosk.media_prepare", None)
    assert main(["media", "prepare", str(tmp_path)]) == 3
    assert "needs Pillow, which this build of the kiosk leaves out" in capsys.readouterr().err
