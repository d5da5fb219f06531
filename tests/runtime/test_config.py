"""The installation config: positioned errors, bad keys ignored, paths, set-pin's file edit."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from kiosk.paths import default_bundle
from kiosk.runtime.config import (
    InstallationConfig,
    check_paths,
    load_config,
    parse_config,
    set_config_value,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "kiosk-example.yaml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_config_maps_every_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bundle: bundles/petrograd-1917\n"
        "language: ru\n"
        "updating_screen_languages: [ru, en]\n"
        "screen: HDMI-1\n"
        "idle_seconds: 45\n"
        "reduced_motion: true\n"
        "admin_corner: bottom-right\n"
        "admin_hold_seconds: 4\n"
        "log_folder: /var/log/kiosk\n"
        "log_max_megabytes: 2\n"
        "log_keep_files: 3\n"
        "analytics_folder: analytics\n"
        "update_source: https://example.org/bundles/\n",
    )
    loaded = parse_config(path)
    assert loaded.problems == []
    config = loaded.config
    # Relative paths are relative to the config file's folder, not to the working folder.
    assert config.bundle == tmp_path / "bundles" / "petrograd-1917"
    assert config.analytics_folder == tmp_path / "analytics"
    assert config.log_folder == Path("/var/log/kiosk")
    assert config.language == "ru"
    assert config.updating_screen_languages == ("ru", "en")
    assert config.screen == "HDMI-1"
    assert config.idle_seconds == 45
    assert config.reduced_motion is True
    assert config.admin_corner == "bottom-right"
    assert (config.log_max_megabytes, config.log_keep_files) == (2, 3)


def test_every_mistake_is_pointed_at_and_the_good_keys_still_apply(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "# a technician's typos\n"
        "idle_seconds: 5\n"
        "admin_corner: top-middle\n"
        "reduced_motoin: true\n"
        "screen: 1\n",
    )
    loaded = parse_config(path)
    assert [str(p) for p in loaded.problems] == [
        f"{path}:2:15: error: must be at least 10.0, not 5",
        f"{path}:3:15: error: 'top-middle' is not allowed here; expected 'top-left', "
        "'top-right', 'bottom-left' or 'bottom-right'",
        f"{path}:4:1: error: unknown field 'reduced_motoin' - did you mean 'reduced_motion'?",
    ]
    assert loaded.config.screen == 1
    assert loaded.config.idle_seconds is None  # the bad value is ignored, the default applies
    assert loaded.config.admin_corner == "top-left"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("idle_seconds: 30\nidle_seconds: 40\n", ":2:1: error: "),
        ("bundle: [unclosed\n", ":2:1: error: "),
        ("- just\n- a list\n", ":1:1: error: the config must be a list of 'key: value' lines"),
        ("admin_pin_hash: 1234\n", ":1:17: error: "),
    ],
)
def test_broken_files_give_positions_not_exceptions(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path, text)
    loaded = parse_config(path)
    assert loaded.problems, text
    assert str(loaded.problems[0]).startswith(f"{path}{expected}")
    assert isinstance(loaded.config, InstallationConfig)


def test_comments_only_and_no_file_at_all_are_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert parse_config(write(tmp_path, "# nothing set yet\n")).problems == []
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.setattr(
        "kiosk.runtime.config.default_config_paths", lambda: [tmp_path / "absent.yaml"]
    )
    loaded = load_config(None)
    assert loaded.path is None and loaded.config == InstallationConfig()


@pytest.mark.parametrize(
    ("plain", "model"),
    [
        ("kiosk.runtime.config.InstallationConfig", "InstallationConfigModel"),
        ("kiosk.runtime.accessibility.AccessibilitySettings", "AccessibilityModel"),
    ],
)
def test_the_plain_config_has_the_fields_and_defaults_of_its_model(plain: str, model: str) -> None:
    # The kiosk runs on the plain classes (no pydantic without a file); the models validate a
    # file. A field in one and not the other would be dropped or never validated.
    import importlib

    from kiosk.runtime import config_model

    module, name = plain.rsplit(".", 1)
    plain_class = getattr(importlib.import_module(module), name)
    model_class = getattr(config_model, model)
    fields = {f.name: f for f in dataclasses.fields(plain_class)}
    assert list(fields) == list(model_class.model_fields)
    for key, info in model_class.model_fields.items():
        found = fields[key]
        default = (
            found.default_factory()
            if found.default_factory is not dataclasses.MISSING
            else found.default
        )
        expected = info.get_default(call_default_factory=True)
        if key == "accessibility":
            expected = config_model.plain_config(config_model.InstallationConfigModel())
            expected = expected.accessibility
        assert default == expected, key


def test_a_config_file_is_read_into_the_plain_classes(tmp_path: Path) -> None:
    path = write(tmp_path, "idle_seconds: 60\naccessibility:\n  keys: {next: [N]}\n")
    loaded = parse_config(path)
    assert loaded.problems == []
    assert type(loaded.config) is InstallationConfig
    assert loaded.config.accessibility.keys == {"next": ("N",)}
    assert loaded.config.accessibility.key_map()["N"] == "next"


def test_the_environment_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "idle_seconds: 60\n")
    monkeypatch.setenv("KIOSK_CONFIG", str(path))
    assert load_config(None).config.idle_seconds == 60


def test_the_documented_example_is_valid_and_documents_every_key() -> None:
    loaded = parse_config(EXAMPLE)
    assert loaded.problems == []
    text = EXAMPLE.read_text(encoding="utf-8")
    reference = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for key in (f.name for f in dataclasses.fields(InstallationConfig)):
        assert f"{key}:" in text, f"{key} is missing from the example"
        assert f"`{key}`" in reference, f"{key} is missing from docs/configuration.md"


def test_setting_a_value_keeps_comments_and_other_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "# keep me\nidle_seconds: 60  # a comment\nadmin_pin_hash: old\n")
    set_config_value(path, "admin_pin_hash", "scrypt$1$2$3$abc=$def=")
    assert path.read_text(encoding="utf-8") == (
        '# keep me\nidle_seconds: 60  # a comment\nadmin_pin_hash: "scrypt$1$2$3$abc=$def="\n'
    )
    fresh = tmp_path / "new" / "kiosk.yaml"
    stored = "scrypt$16384$8$1$c2FsdA==$" + "A" * 43 + "="
    set_config_value(fresh, "admin_pin_hash", stored)
    assert parse_config(fresh).config.admin_pin_hash == stored
    with pytest.raises(KeyError):
        set_config_value(path, "no_such_key", "x")


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_config_is_written_private_and_keeps_its_mode(tmp_path: Path) -> None:
    """Finding 5 of issue 17: the `.new` file was made with the umask's 0644 and replaced a 0600
    config; a new config was 0644 too."""
    old_umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh" / "kiosk.yaml"
        set_config_value(fresh, "admin_pin_hash", "scrypt$x")
        assert fresh.stat().st_mode & 0o777 == 0o600
        private = write(tmp_path, "idle_seconds: 60\n")
        private.chmod(0o600)
        set_config_value(private, "admin_pin_hash", "scrypt$y")
        assert private.stat().st_mode & 0o777 == 0o600
        # A technician's deliberate 0640 (a kiosk group may read it) is kept too.
        private.chmod(0o640)
        set_config_value(private, "admin_pin_hash", "scrypt$z")
        assert private.stat().st_mode & 0o777 == 0o640
        assert "scrypt$z" in private.read_text(encoding="utf-8")
        # A leftover temporary file from a crash, however wide, never becomes the config.
        leftover = private.with_name("kiosk.yaml.new")
        leftover.write_text("junk", encoding="utf-8")
        leftover.chmod(0o666)
        private.chmod(0o600)
        set_config_value(private, "admin_pin_hash", "scrypt$w")
        assert private.stat().st_mode & 0o777 == 0o600 and not leftover.exists()
    finally:
        os.umask(old_umask)


def test_log_keep_files_of_one_is_refused(tmp_path: Path) -> None:
    """Finding 7 of issue 17: `log_keep_files: 1` turned rotation off (Python's handler never
    rotates with 0 backups) and check-config called it valid."""
    loaded = parse_config(write(tmp_path, "log_keep_files: 1\n"))
    assert [str(p) for p in loaded.problems] == [
        f"{tmp_path / 'kiosk.yaml'}:1:17: error: must be at least 2, not 1"
    ]
    assert loaded.config.log_keep_files == 5  # the default applies
    assert parse_config(write(tmp_path, "log_keep_files: 2\n")).problems == []


@pytest.mark.parametrize(
    "text",
    [
        "status_file: 42\n",
        "bundle: {a: 1}\n",
        "log_folder: [a, b]\n",
        "screen: [1, 2]\n",
        "screen: true\n",
        "updating_screen_languages: en\n",
        "updating_screen_languages: {en: 1}\n",
        "language: English\n",
        "admin_pin_hash: 1234\n",
        'admin_pin_hash: "scrypt$garbage"\n',
        "kiosk_name: [a]\n",
        "idle_seconds: soon\n",
        "log_keep_files: 2.5\n",
        "update_interval_seconds: [1]\n",
    ],
)
def test_every_message_is_in_the_kiosks_own_words(tmp_path: Path, text: str) -> None:
    """Finding 13 of issue 17: `status_file: 42` gave pydantic's raw message."""
    loaded = parse_config(write(tmp_path, text))
    assert loaded.problems, text
    for problem in loaded.problems:
        message = problem.message
        assert problem.line == 1 and problem.column > 1, problem
        for raw in ("Input should", "Input is", "<class", "pydantic", "type=", "Value error"):
            assert raw not in message, message


def test_status_file_as_a_number(tmp_path: Path) -> None:
    loaded = parse_config(write(tmp_path, "status_file: 42\n"))
    assert [p.message for p in loaded.problems] == [
        "expected a file or folder path written as text, not the number 42"
    ]


def test_a_pin_hash_no_pin_can_match_is_an_error(tmp_path: Path) -> None:
    """Finding 13 of issue 17: check-config passed `admin_pin_hash: "scrypt$garbage"`."""
    loaded = parse_config(write(tmp_path, 'admin_pin_hash: "scrypt$garbage"\n'))
    assert [str(p) for p in loaded.problems] == [
        f"{tmp_path / 'kiosk.yaml'}:1:17: error: this PIN hash is damaged: a PIN hash has six "
        "parts, scrypt$N$r$p$salt$hash; set the PIN with kiosk set-pin"
    ]
    assert loaded.config.admin_pin_hash is None


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "state"
    monkeypatch.setattr("kiosk.runtime.config.default_state_folder", lambda: folder)
    return folder


GOOD = 'kiosk_name: "Hall 2"\nidle_seconds: 45\nbundle: bundles/b\n'
BROKEN = "kiosk_name: Hall 2: by the window\nidle_seconds: 45\nbundle: bundles/b\n"


def test_a_syntax_error_runs_on_the_last_good_copy(tmp_path: Path, state: Path) -> None:
    """Finding 13 of issue 17: one unquoted colon discarded the whole file, and the kiosk silently
    showed the built-in exhibit instead of the configured one."""
    path = write(tmp_path, GOOD)
    first = load_config(path, keep_last_good=True)
    assert first.problems == [] and not first.unreadable
    copy = tmp_path / "kiosk.yaml.last-good"
    assert copy.read_text(encoding="utf-8") == GOOD
    if os.name == "posix":
        assert copy.stat().st_mode & 0o777 == 0o600

    path.write_text(BROKEN, encoding="utf-8")
    loaded = load_config(path, keep_last_good=True)
    assert loaded.unreadable and loaded.fallback == copy
    assert loaded.config.kiosk_name == "Hall 2" and loaded.config.idle_seconds == 45
    assert loaded.config.bundle == tmp_path / "bundles" / "b"  # relative to the real file
    messages = [str(p) for p in loaded.problems]
    assert messages[0].startswith(f"{path}:1:19: error: a colon and a space")
    assert messages[1].startswith(
        f"{path}:1:1: error: this file cannot be read, so the kiosk runs on its last good copy, "
        f"{copy} (saved "
    )
    assert copy.read_text(encoding="utf-8") == GOOD  # the broken file never replaces it


def test_without_a_last_good_copy_the_defaults_are_loud(tmp_path: Path, state: Path) -> None:
    path = write(tmp_path, BROKEN)
    loaded = load_config(path)
    assert loaded.unreadable and loaded.fallback is None
    assert loaded.config.kiosk_name is None
    assert str(loaded.problems[-1]) == (
        f"{path}:1:1: error: this file cannot be read and there is no last good copy of it, so "
        "the kiosk runs on the built-in defaults until it is fixed"
    )


def test_only_a_clean_config_becomes_the_last_good_copy(tmp_path: Path, state: Path) -> None:
    path = write(tmp_path, "idle_seconds: 5\n")
    assert load_config(path, keep_last_good=True).problems
    assert not (tmp_path / "kiosk.yaml.last-good").exists()
    assert not state.exists()
    path.write_text(GOOD, encoding="utf-8")
    load_config(path)  # check-config and the other commands never write it
    assert not (tmp_path / "kiosk.yaml.last-good").exists()


def test_the_copy_goes_to_the_state_folder_when_the_config_folder_is_not_writable(
    tmp_path: Path, state: Path
) -> None:
    path = write(tmp_path, GOOD)
    (tmp_path / "kiosk.yaml.last-good").mkdir()  # in the way, as an unwritable folder would be
    load_config(path, keep_last_good=True)
    assert (state / "kiosk.yaml.last-good").read_text(encoding="utf-8") == GOOD
    path.write_text(BROKEN, encoding="utf-8")
    loaded = load_config(path)
    assert loaded.fallback == state / "kiosk.yaml.last-good"
    assert loaded.config.kiosk_name == "Hall 2"


def _paths_config(tmp_path: Path, text: str) -> list[str]:
    loaded = parse_config(write(tmp_path, text))
    assert loaded.problems == []
    return [str(p) for p in check_paths(loaded)]


def test_check_paths_accepts_usable_paths(tmp_path: Path) -> None:
    from kiosk.updates.signing import generate_key_pair

    generate_key_pair(tmp_path / "gallery.key", tmp_path / "gallery.pub")
    (tmp_path / "inbox").mkdir()
    text = (
        f"bundle: {default_bundle()}\n"
        "update_public_key: gallery.pub\n"
        "update_source: inbox\n"
        "log_folder: logs/not/yet/made\n"
        "analytics_folder: analytics\n"
        "update_store: store\n"
        "status_file: state/status.json\n"
    )
    assert _paths_config(tmp_path, text) == []
    assert not (tmp_path / "logs").exists()  # checking makes nothing


def test_check_paths_finds_every_unusable_path(tmp_path: Path) -> None:
    """Finding 13 of issue 17: check-config passed a missing bundle folder, a missing public key
    file and an unwritable log folder; the kiosk then started with no bundle."""
    (tmp_path / "not-a-bundle").mkdir()
    (tmp_path / "garbage.pub").write_text("-----BEGIN PUBLIC KEY-----\nAAAA\n", encoding="utf-8")
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    (tmp_path / "status-folder").mkdir()
    path = tmp_path / "kiosk.yaml"
    found = _paths_config(
        tmp_path,
        "bundle: nowhere\n"
        "update_public_key: missing.pub\n"
        "log_folder: a-file/logs\n"
        "update_source: no-inbox\n"
        "status_file: status-folder\n",
    )
    assert found == [
        f"{path}:1:9: error: the bundle folder {tmp_path / 'nowhere'} does not exist",
        f"{path}:2:20: error: the public key file {tmp_path / 'missing.pub'} does not exist",
        f"{path}:3:13: error: {tmp_path / 'a-file' / 'logs'} cannot be made: "
        f"{tmp_path / 'a-file'} is not a folder",
        f"{path}:4:16: error: the update folder {tmp_path / 'no-inbox'} does not exist",
        f"{path}:5:14: error: {tmp_path / 'status-folder'} is a folder; the status file is a file",
    ]
    found = _paths_config(tmp_path, "bundle: not-a-bundle\nupdate_public_key: garbage.pub\n")
    assert found == [
        f"{path}:1:9: error: {tmp_path / 'not-a-bundle'} is not a bundle: it has no bundle.yaml",
        f"{path}:2:20: error: {tmp_path / 'garbage.pub'} is not a public key in PEM form "
        "(kiosk keygen makes one)",
    ]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_a_folder_that_cannot_be_written_is_found_even_by_root(tmp_path: Path) -> None:
    found = _paths_config(tmp_path, "log_folder: /proc/kiosk-logs\n")
    assert len(found) == 1
    assert found[0].startswith(
        f"{tmp_path / 'kiosk.yaml'}:1:13: error: "
        "the folder /proc/kiosk-logs cannot be made in /proc"
    )


def test_the_running_kiosk_checks_the_paths_too(tmp_path: Path) -> None:
    """Finding 13 of issue 17: with a missing bundle folder the kiosk started with no bundle and
    said nothing where staff look; now the log and the admin screen's list say why."""
    from kiosk.app import check_config_paths_later

    loaded = parse_config(write(tmp_path, "bundle: nowhere\n"))
    problems = ["already there"]
    thread = check_config_paths_later(loaded, problems)
    assert thread is not None
    thread.join(30)
    assert problems == [
        "already there",
        f"{tmp_path / 'kiosk.yaml'}:1:9: error: the bundle folder {tmp_path / 'nowhere'} "
        "does not exist",
    ]
    unreadable = parse_config(write(tmp_path, "a: b: c\n"))
    assert check_config_paths_later(unreadable, problems) is None
