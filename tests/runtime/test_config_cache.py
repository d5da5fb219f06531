"""An unchanged config file that loaded cleanly is read back as validated, without the YAML
reader or pydantic; any change, or any problem in it, means validating it again."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kiosk.runtime import config as config_module
from kiosk.runtime.config import LoadedConfig, load_config


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KIOSK_BUNDLE_CACHE", str(folder))
    return folder


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The config files validated (not read back from the cache), in order."""
    seen: list[Path] = []
    validate = config_module.validate_config_file

    def counting(path: Path) -> LoadedConfig:
        seen.append(path)
        return validate(path)

    monkeypatch.setattr(config_module, "validate_config_file", counting)
    return seen


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kiosk.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_unchanged_clean_config_is_validated_once(
    tmp_path: Path, cache: Path, validations: list[Path]
) -> None:
    path = write(tmp_path / "etc", "idle_seconds: 45\nbundle: exhibits/main\n")
    first = load_config(path)
    second = load_config(path)
    assert validations == [path]
    assert second == first
    assert second.config.idle_seconds == 45
    assert second.config.bundle == tmp_path / "etc" / "exhibits" / "main"
    (entry,) = (cache / "config").iterdir()
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600  # it holds the PIN's hash


def test_a_changed_file_is_validated_again(
    tmp_path: Path, cache: Path, validations: list[Path]
) -> None:
    path = write(tmp_path, "idle_seconds: 45\n")
    load_config(path)
    path.write_text("idle_seconds: 90\n", encoding="utf-8")
    assert load_config(path).config.idle_seconds == 90
    assert len(validations) == 2


def test_a_config_with_a_problem_is_reported_on_every_start(
    tmp_path: Path, cache: Path, validations: list[Path]
) -> None:
    path = write(tmp_path, "idle_seconds: soon\n")
    for _ in range(2):
        loaded = load_config(path)
        assert [p.line for p in loaded.problems] == [1]
    assert len(validations) == 2
    assert not (cache / "config").exists() or not list((cache / "config").iterdir())


def test_paths_follow_the_environment_of_each_start(
    tmp_path: Path, cache: Path, validations: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "log_folder: $KIOSK_TEST_LOGS/kiosk\n")
    monkeypatch.setenv("KIOSK_TEST_LOGS", str(tmp_path / "a"))
    assert load_config(path).config.log_folder == tmp_path / "a" / "kiosk"
    monkeypatch.setenv("KIOSK_TEST_LOGS", str(tmp_path / "b"))
    assert load_config(path).config.log_folder == tmp_path / "b" / "kiosk"
    assert len(validations) == 1  # the file did not change; only where it points did


def test_no_cache_means_validating_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, validations: list[Path]
) -> None:
    monkeypatch.setenv("KIOSK_BUNDLE_CACHE", "off")
    path = write(tmp_path, "idle_seconds: 45\n")
    load_config(path)
    load_config(path)
    assert len(validations) == 2
