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

import dataclasses
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from kiosk.content.problems import EMPTY_FILE, Problem, ProblemList, Severity
from kiosk.runtime.accessibility import AccessibilitySettings
from kiosk.runtime.files import write_private

if TYPE_CHECKING:
    from kiosk.content.yaml_source import YamlDocument

APP_NAME = "kiosk"
CONFIG_FILE = "kiosk.yaml"
CONFIG_ENV = "KIOSK_CONFIG"  # a config file path, for service units that prefer an environment

Corner = Literal["top-left", "top-right", "bottom-left", "bottom-right"]


@dataclass(frozen=True, slots=True, kw_only=True)
class InstallationConfig:
    """Every setting of one machine; each has a default, so an empty file is a valid config.

    A plain class: without a config file the kiosk runs on these defaults and imports no
    pydantic; a file is validated by `kiosk.runtime.config_model.InstallationConfigModel`, which
    has the same fields with their limits (ranges, patterns) and checks."""

    bundle: Path | None = None  # None: the bundle built into the program
    language: str | None = None  # start in this language instead of the bundle's default
    # The languages of the "this exhibit is being updated" screen, shown when no bundle loads
    # (the bundle's own languages are unknown then); None: every language the kiosk has words for.
    updating_screen_languages: tuple[str, ...] | None = None
    screen: int | str | None = None  # index (0 = first) or the screen's name; None: primary
    idle_seconds: float | None = None
    reduced_motion: bool = False
    admin_corner: Corner = "top-left"
    admin_hold_seconds: float = 3.0
    admin_pin_hash: str | None = None
    log_folder: Path | None = None  # None: the platform's log folder (see default_log_folder)
    log_max_megabytes: float = 5
    # At least 2: with 1 (no backup), Python's RotatingFileHandler never rotates at all.
    log_keep_files: int = 5
    # Visitor analytics are recorded in this folder (docs/operations.md); None: not recorded.
    analytics_folder: Path | None = None
    # This kiosk's name in merged analytics reports; None: a random id made with the database.
    kiosk_name: str | None = None
    update_source: str | None = None  # a folder or an http(s):// URL, for content updates
    update_store: Path | None = None  # None: the platform's data folder (default_update_store)
    update_public_key: Path | None = None  # Ed25519 public key (PEM): only signed bundles then
    update_interval_seconds: float = 300
    update_settle_seconds: float = 30  # a folder's quiet time
    # The exhibit (bundle id) this kiosk takes updates of; None: the one it runs (updater.py).
    update_bundle_id: str | None = None
    # Wall-clock deadlines of one manifest request and one zip download from a web server.
    update_request_seconds: float = 60
    update_download_seconds: float = 1800
    status_file: Path | None = None  # None: status.json in the platform's state folder
    # Prometheus (docs/operations.md): a textfile for node_exporter's textfile collector (None:
    # not written), an address to serve /metrics on (None: not served), and how often the file
    # is rewritten.
    metrics_textfile: Path | None = None
    metrics_listen: str | None = None
    metrics_interval_seconds: float = 30
    # When the museum is open (kiosk/runtime/opening_hours.py); outside them the screen is black
    # and the exhibit paused. None: always open.
    opening_hours: tuple[str, ...] | None = None
    # Keypad key map, narration volume, speech (kiosk/runtime/accessibility.py); one block.
    accessibility: AccessibilitySettings = field(default_factory=AccessibilitySettings)


@dataclass
class LoadedConfig:
    """A config with the file it came from (None: built-in defaults) and what was wrong in it.

    `unreadable`: the file as a whole could not be read (a YAML syntax error, not a mapping);
    its keys then come from `fallback`, the last good copy, when there is one.
    """

    config: InstallationConfig
    path: Path | None
    problems: list[Problem] = field(default_factory=list)
    unreadable: bool = False
    fallback: Path | None = None
    # Where each key's value is written (line, column), for problems found after loading.
    marks: dict[str, tuple[int, int]] = field(default_factory=dict)


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
    changes: dict[str, Any] = {}  # the path keys: Path; update_source: str
    for name in (
        "bundle",
        "log_folder",
        "analytics_folder",
        "update_store",
        "update_public_key",
        "status_file",
        "metrics_textfile",
    ):
        value = getattr(config, name)
        if value is not None:
            value = Path(os.path.expandvars(value)).expanduser()
            changes[name] = value if value.is_absolute() else base / value
    source = config.update_source
    if source and not source.startswith(("http://", "https://")):  # a folder
        folder = Path(os.path.expandvars(source)).expanduser()
        changes["update_source"] = str(folder if folder.is_absolute() else base / folder)
    return dataclasses.replace(config, **changes)


def parse_config(path: Path, base: Path | None = None) -> LoadedConfig:
    """Read and validate a config file; bad keys are reported and left at their defaults.

    Relative paths are resolved against `base` (default: the file's own folder).
    """
    return _resolved(validate_config_file(path), base if base is not None else path.parent)


def _resolved(loaded: LoadedConfig, base: Path) -> LoadedConfig:
    return dataclasses.replace(loaded, config=_resolve(loaded.config, base))


def validate_config_file(path: Path) -> LoadedConfig:
    """The config file's keys as written, validated: its paths not yet resolved (they depend on
    the environment's variables and home folder, which may change while the file does not)."""
    from kiosk.content.yaml_source import YamlDocument, read_yaml

    problems = ProblemList()
    reading = ProblemList()
    doc = read_yaml(path, str(path), reading)
    # A file of comments only is a valid config: every key at its default.
    problems.extend(p for p in reading if p.code != EMPTY_FILE)
    unreadable = doc is None and problems.has_errors
    data: object = {} if doc is None or doc.data is None else doc.data
    if not isinstance(data, dict):
        line, column = (1, 1)
        problems.error(str(path), line, column, "the config must be a list of 'key: value' lines")
        data, unreadable = {}, True
    assert isinstance(data, dict)
    doc = doc or YamlDocument(str(path), data)
    config = _validate_keeping_good_keys(data, doc, problems)
    marks = {str(key): doc.mark((str(key),)) for key in data}
    return LoadedConfig(config, path, problems.sorted(), unreadable, marks=marks)


def _validate_keeping_good_keys(
    data: dict[object, object], doc: YamlDocument, problems: ProblemList
) -> InstallationConfig:
    # pydantic (the model, its validator) is imported only when there is a file to validate.
    from pydantic import ValidationError

    from kiosk.runtime.config_model import InstallationConfigModel, plain_config

    try:
        return plain_config(InstallationConfigModel.model_validate(data))
    except ValidationError as exc:
        from kiosk.content.messages import report_validation_error

        report_validation_error(exc, InstallationConfigModel, doc, (), problems)
        bad = {error["loc"][0] for error in exc.errors() if error["loc"]}
        # Every field has a default, so the config without the bad keys always validates.
        good = {k: v for k, v in data.items() if k not in bad}
        return plain_config(InstallationConfigModel.model_validate(good))


def load_config(explicit: Path | None = None, keep_last_good: bool = False) -> LoadedConfig:
    """The config for this run. A missing --config file is a problem; no file at all is not.

    A file that cannot be read at all (a YAML syntax error) is never replaced silently by the
    built-in defaults: its last good copy applies, with a problem saying so (logged, and on the
    admin screen). `keep_last_good` (the running kiosk) saves a copy of a file that loads
    without any problem, for that day.
    """
    path = find_config(explicit)
    if path is None:
        # Every field at its default, which is valid by definition: nothing to validate, and
        # neither the validating model nor pydantic is imported.
        return LoadedConfig(InstallationConfig(), None)
    # A file validated before, unchanged since, without a problem: read back as it was
    # validated, without the YAML reader or pydantic (kiosk/runtime/config_cache.py).
    from kiosk.runtime import config_cache

    found = config_cache.lookup(path)
    validated = found.loaded or validate_config_file(path)
    if found.loaded is None:
        config_cache.store(path, found.key, validated)
    loaded = _resolved(validated, path.parent)
    if loaded.unreadable:
        return _fall_back(loaded)
    if keep_last_good and not loaded.problems:
        save_last_good(path)
    return loaded


LAST_GOOD_SUFFIX = ".last-good"


def last_good_paths(path: Path) -> list[Path]:
    """Where the last good copy of `path` is kept: beside it, else (a folder the kiosk cannot
    write, such as /etc/xdg/kiosk) in the kiosk's state folder."""
    name = path.name + LAST_GOOD_SUFFIX
    return [path.with_name(name), default_state_folder() / name]


def save_last_good(path: Path) -> Path | None:
    """Copy a config that loaded cleanly beside itself (or to the state folder); None if neither
    can be written. An unchanged copy is not rewritten."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_CONFIG_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_CONFIG_BYTES:
        return None
    for copy in last_good_paths(path):
        try:
            with copy.open("rb") as stream:
                if stream.read(MAX_CONFIG_BYTES + 1) == data:
                    return copy
        except OSError:
            pass
        try:
            copy.parent.mkdir(parents=True, exist_ok=True)
            write_private(copy, data)
        except OSError:
            continue
        return copy
    return None


MAX_CONFIG_BYTES = 1024 * 1024


def _fall_back(broken: LoadedConfig) -> LoadedConfig:
    assert broken.path is not None
    where = str(broken.path)
    for copy in last_good_paths(broken.path):
        if not copy.is_file():
            continue
        good = parse_config(copy, base=broken.path.parent)
        if good.unreadable:
            continue
        saved = _mtime_text(copy)
        note = Problem(
            where,
            1,
            1,
            f"this file cannot be read, so the kiosk runs on its last good copy, {copy} "
            f"(saved {saved}), until it is fixed",
        )
        return LoadedConfig(
            good.config,
            broken.path,
            [*broken.problems, *good.problems, note],
            unreadable=True,
            fallback=copy,
        )
    note = Problem(
        where,
        1,
        1,
        "this file cannot be read and there is no last good copy of it, so the kiosk runs on "
        "the built-in defaults until it is fixed",
    )
    return LoadedConfig(broken.config, broken.path, [*broken.problems, note], unreadable=True)


def _mtime_text(path: Path) -> str:
    import datetime as dt

    try:
        stamp = path.stat().st_mtime
    except OSError:
        return "at an unknown time"
    return dt.datetime.fromtimestamp(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


def check_paths(loaded: LoadedConfig) -> list[Problem]:  # noqa: C901 - one check per configured path
    """What `check-config` adds to the schema: every path the config names is usable.

    The bundle folder is a bundle, the public key parses, update source folder exists, and the
    folders the kiosk writes to (logs, analytics, store, status file) can be written or made.
    Writability is the truth for the user running the check: run it as the kiosk's user.
    """
    config, where = loaded.config, str(loaded.path or "config")
    problems: list[Problem] = []

    def problem(key: str, message: str) -> None:
        line, column = loaded.marks.get(key, (1, 1))
        problems.append(Problem(where, line, column, message, Severity.ERROR))

    if config.bundle is not None:
        if not config.bundle.is_dir():
            problem("bundle", f"the bundle folder {config.bundle} does not exist")
        elif not (config.bundle / "bundle.yaml").is_file():
            problem("bundle", f"{config.bundle} is not a bundle: it has no bundle.yaml")
    key_file = config.update_public_key
    if key_file is not None:
        if not key_file.is_file():
            problem("update_public_key", f"the public key file {key_file} does not exist")
        else:
            reason = _public_key_problem(key_file)
            if reason:
                problem("update_public_key", reason)
    source = config.update_source
    if source and not source.startswith(("http://", "https://")) and not Path(source).is_dir():
        problem("update_source", f"the update folder {source} does not exist")
    folders = {
        "log_folder": config.log_folder,
        "analytics_folder": config.analytics_folder,
        "update_store": config.update_store,
        "status_file": config.status_file.parent if config.status_file else None,
        "metrics_textfile": config.metrics_textfile.parent if config.metrics_textfile else None,
    }
    for key, folder in folders.items():
        if folder is not None:
            reason = _folder_problem(folder)
            if reason:
                problem(key, reason)
    textfile = config.metrics_textfile
    if textfile is not None and textfile.suffix != ".prom":
        problem(
            "metrics_textfile",
            f"{textfile.name} does not end in .prom, so node_exporter's textfile collector "
            "would not read it",
        )
    if config.status_file is not None and config.status_file.is_dir():
        problem("status_file", f"{config.status_file} is a folder; the status file is a file")
    return sorted(problems)


def _public_key_problem(path: Path) -> str | None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        with path.open("rb") as stream:
            data = stream.read(64 * 1024)
        key = serialization.load_pem_public_key(data)
    except OSError as exc:
        return f"the public key file {path} cannot be read ({exc.strerror or exc})"
    except (ValueError, TypeError):
        return f"{path} is not a public key in PEM form (kiosk keygen makes one)"
    if not isinstance(key, Ed25519PublicKey):
        return f"{path} is a public key, but not an Ed25519 one (kiosk keygen makes one)"
    return None


def _folder_problem(folder: Path) -> str | None:
    """Why the kiosk could not write files in `folder` (made first if missing), or None."""
    import tempfile

    probe = folder
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    if not probe.is_dir():
        return f"{folder} cannot be made: {probe} is not a folder"
    try:
        with tempfile.TemporaryFile(dir=probe):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if probe == folder:
            return f"the folder {folder} cannot be written ({reason})"
        return f"the folder {folder} cannot be made in {probe} ({reason})"
    return None


def set_config_value(path: Path, key: str, value: str) -> None:
    """Set one top-level `key` in the config file, keeping every other line and comment.

    The file is replaced atomically, so a power cut never leaves half a config.
    """
    if key not in {f.name for f in dataclasses.fields(InstallationConfig)}:
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
