"""The installation config: positioned errors, bad keys ignored, paths, set-pin's file edit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.runtime.config import (
    InstallationConfig,
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


def test_the_environment_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "idle_seconds: 60\n")
    monkeypatch.setenv("KIOSK_CONFIG", str(path))
    assert load_config(None).config.idle_seconds == 60


def test_the_documented_example_is_valid_and_documents_every_key() -> None:
    loaded = parse_config(EXAMPLE)
    assert loaded.problems == []
    text = EXAMPLE.read_text(encoding="utf-8")
    reference = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for key in InstallationConfig.model_fields:
        assert f"{key}:" in text, f"{key} is missing from the example"
        assert f"`{key}`" in reference, f"{key} is missing from docs/configuration.md"


def test_setting_a_value_keeps_comments_and_other_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "# keep me\nidle_seconds: 60  # a comment\nadmin_pin_hash: old\n")
    set_config_value(path, "admin_pin_hash", "scrypt$1$2$3$abc=$def=")
    assert path.read_text(encoding="utf-8") == (
        '# keep me\nidle_seconds: 60  # a comment\nadmin_pin_hash: "scrypt$1$2$3$abc=$def="\n'
    )
    fresh = tmp_path / "new" / "kiosk.yaml"
    set_config_value(fresh, "admin_pin_hash", "scrypt$x")
    assert parse_config(fresh).config.admin_pin_hash == "scrypt$x"
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
