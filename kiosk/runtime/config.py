"""The installation config: one YAML file per machine, set by the technician who installs it.

YAML, not TOML: the content layer's reader (`kiosk.content.yaml_source`) gives every value its line
and column, refuses duplicate keys and aliases, and pydantic errors become the same curator-style
messages (`file:line:column: error: ...`). `tomllib` reports no positions for values, so a wrong
value in a TOML file could only be named, not pointed at. Technicians and curators then also read
one format.

A bad value never stops the kiosk: it is reported (log, admin screen, `check-config`), the key is
ignored, and every other key still applies. Every key is documented in docs/configuration.md and
in the commented example `kiosk-example.yaml`.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from kiosk.content.problems import Problem, ProblemList
from kiosk.runtime.files import write_private

if TYPE_CHECKING:
    from kiosk.content.yaml_source import YamlDocument

APP_NAME = "kiosk"
CONFIG_FILE = "kiosk.yaml"
CONFIG_ENV = "KIOSK_CONFIG"  # a config file path, for service units that prefer an environment

Lang = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")]
Corner = Literal["top-left", "top-right", "bottom-left", "bottom-right"]


class InstallationConfig(BaseModel):
    """Every setting of one machine; each has a default, so an empty file is a valid config."""

    # Its validator is built when a file is first validated, not on import: a kiosk without a
    # config file never needs it (building it, and pydantic's plugin scan, took ~25 ms of start).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    bundle: Path | None = None  # None: the bundle built into the program
    language: Lang | None = None  # start in this language instead of the bundle's default
    # The languages of the "this exhibit is being updated" screen, shown when no bundle loads
    # (the bundle's own languages are unknown then); None: every language the kiosk has words for.
    updating_screen_languages: tuple[Lang, ...] | None = Field(default=None, min_length=1)
    screen: int | str | None = None  # index (0 = first) or the screen's name; None: primary
    idle_seconds: float | None = Field(default=None, ge=10, le=3600)
    reduced_motion: bool = False
    admin_corner: Corner = "top-left"
    admin_hold_seconds: float = Field(default=3.0, ge=1, le=15)
    admin_pin_hash: str | None = Field(default=None, pattern=r"^scrypt\$")
    log_folder: Path | None = None  # None: the platform's log folder (see default_log_folder)
    log_max_megabytes: float = Field(default=5, gt=0, le=1024)
    # At least 2: with 1 (no backup), Python's RotatingFileHandler never rotates at all.
    log_keep_files: int = Field(default=5, ge=2, le=100)
    # Visitor analytics are recorded in this folder (docs/operations.md); None: not recorded.
    analytics_folder: Path | None = None
    # This kiosk's name in merged analytics reports; None: a random id made with the database.
    kiosk_name: str | None = Field(default=None, min_length=1, max_length=80)
    update_source: str | None = None  # a folder or an http(s):// URL, for content updates
    update_store: Path | None = None  # None: the platform's data folder (default_update_store)
    update_public_key: Path | None = None  # Ed25519 public key (PEM): only signed bundles then
    update_interval_seconds: float = Field(default=300, ge=10, le=86400)
    update_settle_seconds: float = Field(default=30, ge=1, le=3600)  # a folder's quiet time
    status_file: Path | None = None  # None: status.json in the platform's state folder

    @field_validator("update_source")
    @classmethod
    def _folder_or_web(cls, value: str | None) -> str | None:
        if value is not None and "://" in value and not value.startswith(("http://", "https://")):
            raise ValueError("an update source is a folder or an http:// or https:// URL")
        return value


@dataclass
class LoadedConfig:
    """A config with the file it came from (None: built-in defaults) and what was wrong in it."""

    config: InstallationConfig
    path: Path | None
    problems: list[Problem] = field(default_factory=list)


def default_config_paths() -> list[Path]:
    """Where a config is looked for, first match wins: the user's, then the machine-wide one."""
    import platformdirs

    return [
        platformdirs.user_config_path(APP_NAME, appauthor=False) / CONFIG_FILE,
        platformdirs.site_config_path(APP_NAME, appauthor=False) / CONFIG_FILE,
    ]


def default_log_folder() -> Path:
    import platformdirs

    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def default_update_store() -> Path:
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "store"


def default_state_folder() -> Path:
    """The kiosk's own state (status.json, the PIN delay): ~/.local/state/kiosk on Linux."""
    import platformdirs

    return platformdirs.user_state_path(APP_NAME, appauthor=False)


def default_status_file() -> Path:
    return default_state_folder() / "status.json"


def pin_delay_file() -> Path:
    """Where the PIN pad's delay is kept across restarts (kiosk.runtime.pin.PinGate)."""
    return default_state_folder() / "pin-delay.json"


def find_config(explicit: Path | None) -> Path | None:
    """The config file to use: --config, else $KIOSK_CONFIG, else the first that exists."""
    if explicit is not None:
        return explicit
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    return next((path for path in default_config_paths() if path.is_file()), None)


def _resolve(config: InstallationConfig, base: Path) -> InstallationConfig:
    """Relative paths in the file are relative to the file's folder, not to the working folder."""
    changes: dict[str, object] = {}
    for name in (
        "bundle",
        "log_folder",
        "analytics_folder",
        "update_store",
        "update_public_key",
        "status_file",
    ):
        value = getattr(config, name)
        if value is not None:
            value = Path(os.path.expandvars(value)).expanduser()
            changes[name] = value if value.is_absolute() else base / value
    source = config.update_source
    if source and not source.startswith(("http://", "https://")):  # a folder
        folder = Path(os.path.expandvars(source)).expanduser()
        changes["update_source"] = str(folder if folder.is_absolute() else base / folder)
    return config.model_copy(update=changes)


def parse_config(path: Path) -> LoadedConfig:
    """Read and validate a config file; bad keys are reported and left at their defaults."""
    from kiosk.content.yaml_source import YamlDocument, read_yaml

    problems = ProblemList()
    reading = ProblemList()
    doc = read_yaml(path, str(path), reading)
    # A file of comments only is a valid config: every key at its default.
    problems.extend(p for p in reading if p.message != "the file is empty")
    data: object = {} if doc is None or doc.data is None else doc.data
    if not isinstance(data, dict):
        line, column = (1, 1)
        problems.error(str(path), line, column, "the config must be a list of 'key: value' lines")
        data = {}
    assert isinstance(data, dict)
    config = _validate_keeping_good_keys(data, doc or YamlDocument(str(path), data), problems)
    return LoadedConfig(_resolve(config, path.parent), path, problems.sorted())


def _validate_keeping_good_keys(
    data: dict[object, object], doc: YamlDocument, problems: ProblemList
) -> InstallationConfig:
    try:
        return InstallationConfig.model_validate(data)
    except ValidationError as exc:
        from kiosk.content.messages import report_validation_error

        report_validation_error(exc, InstallationConfig, doc, (), problems)
        bad = {error["loc"][0] for error in exc.errors() if error["loc"]}
        # Every field has a default, so the config without the bad keys always validates.
        return InstallationConfig.model_validate({k: v for k, v in data.items() if k not in bad})


def load_config(explicit: Path | None = None) -> LoadedConfig:
    """The config for this run. A missing --config file is a problem; no file at all is not."""
    path = find_config(explicit)
    if path is None:
        # Every field at its default, which is valid by definition: nothing to validate, so no
        # validator is built (the same object as InstallationConfig(), without its cost).
        return LoadedConfig(InstallationConfig.model_construct(), None)
    return parse_config(path)


def set_config_value(path: Path, key: str, value: str) -> None:
    """Set one top-level `key` in the config file, keeping every other line and comment.

    The file is replaced atomically, so a power cut never leaves half a config.
    """
    if key not in InstallationConfig.model_fields:
        raise KeyError(key)
    line = f"{key}: {json.dumps(value)}\n"  # a JSON string is a valid double-quoted YAML scalar
    try:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = ["# Kiosk installation config; every key: docs/configuration.md\n"]
    pattern = re.compile(rf"^{re.escape(key)}\s*:")
    for index, old in enumerate(lines):
        if pattern.match(old):
            lines[index] = line
            break
    else:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.append(line)
    write_private(path, "".join(lines).encode("utf-8"))
