"""The update keys of the installation config: paths relative to the file, bad values pointed at."""

from __future__ import annotations

from pathlib import Path

from kiosk.runtime.config import parse_config


def test_update_keys(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.yaml"
    path.write_text(
        "update_source: incoming\n"
        "update_store: store\n"
        "update_public_key: keys/gallery.pub\n"
        "update_interval_seconds: 60\n"
        "update_settle_seconds: 5\n"
        "status_file: status.json\n",
        encoding="utf-8",
    )
    loaded = parse_config(path)
    assert loaded.problems == []
    config = loaded.config
    assert config.update_source == str(tmp_path / "incoming")
    assert config.update_store == tmp_path / "store"
    assert config.update_public_key == tmp_path / "keys" / "gallery.pub"
    assert (config.update_interval_seconds, config.update_settle_seconds) == (60, 5)
    assert config.status_file == tmp_path / "status.json"


def test_a_web_source_is_kept_as_written(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.yaml"
    path.write_text("update_source: https://intranet.example/kiosk/\n", encoding="utf-8")
    assert parse_config(path).config.update_source == "https://intranet.example/kiosk/"


def test_bad_update_values_are_pointed_at(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.yaml"
    path.write_text(
        "update_source: ftp://old.example/\nupdate_interval_seconds: 1\n", encoding="utf-8"
    )
    loaded = parse_config(path)
    assert [str(p) for p in loaded.problems] == [
        f"{path}:1:16: error: an update source is a folder or an http:// or https:// URL",
        f"{path}:2:26: error: must be at least 10.0, not 1",
    ]
    assert loaded.config.update_source is None
