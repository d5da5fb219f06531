"""The technicians' commands end to end: update --once, status, rollback; exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.updates.publish import publish
from tests.updates.helpers import free_port_url, serve

ROOT = Path(__file__).resolve().parents[2]


def test_update_status_rollback(
    v1: Path, v2: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    web, store = tmp_path / "web", tmp_path / "store"
    publish(v1, web)
    with serve(web) as (url, _):
        assert main(["update", "--from", url, "--store", str(store), "--once"]) == 0
        assert " installed 1.0.0 from " in capsys.readouterr().out
        publish(v2, web)
        assert main(["update", "--from", url, "--store", str(store), "--once"]) == 0
        capsys.readouterr()
        assert main(["status", "--store", str(store)]) == 0
        out = capsys.readouterr().out.splitlines()
        assert out[0].startswith("current: 2.0.0-") and out[1].startswith("previous: 1.0.0-")
        assert out[2].startswith("last attempt: ") and " installed 2.0.0 " in out[2]
        assert "pinned to: gallery-work, newest installed 2.0.0" in out[3]
        assert out[4].startswith("the manifest accepted last expires at 20")
        assert main(["rollback", "--store", str(store)]) == 0
        assert "is current again" in capsys.readouterr().out
        assert main(["update", "--from", url, "--store", str(store), "--once"]) == 0
        assert " held-back 2.0.0 " in capsys.readouterr().out
        assert main(["status", "--store", str(store), "--json"]) == 0
        status = json.loads(capsys.readouterr().out)
        assert status["current"].startswith("1.0.0-") and status["held_back"].startswith("2.0.0-")
        assert status["last_attempt"]["outcome"] == "held-back"
        assert status["trusted"] == {"bundle": "gallery-work", "version": "2.0.0"}


def test_a_failed_update_exits_1_and_status_shows_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    assert main(["update", "--from", free_port_url(), "--store", str(store), "--once"]) == 1
    assert " failed from " in capsys.readouterr().out
    assert main(["status", "--store", str(store)]) == 1  # no current bundle
    out = capsys.readouterr().out
    assert "current: none" in out and "cannot reach" in out


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--store", str(tmp_path / "nowhere")]) == 2
    assert main(["rollback", "--store", str(tmp_path / "nowhere")]) == 2
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing\n")
    assert main(["update", "--store", str(tmp_path), "--once", "--config", str(empty)]) == 2
    assert "no source" in capsys.readouterr().err


def test_rollback_without_previous_exits_1(
    v1: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    publish(v1, tmp_path / "out")
    store = tmp_path / "store"
    assert main(["update", "--from", str(tmp_path / "out"), "--store", str(store), "--once"]) == 0
    assert main(["rollback", "--store", str(store)]) == 1
    assert "no previous bundle" in capsys.readouterr().err


def test_the_config_supplies_source_store_and_key(
    v1: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["keygen", str(tmp_path / "k")]) == 0
    publish(v1, tmp_path / "out", tmp_path / "k.key")
    config = tmp_path / "kiosk.yaml"
    config.write_text("update_source: out\nupdate_store: store\nupdate_public_key: k.pub\n")
    assert main(["update", "--once", "--config", str(config)]) == 0
    assert main(["status", "--config", str(config)]) == 0
    assert "current: 1.0.0-" in capsys.readouterr().out


def test_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "update",
            "--from",
            "ftp://x",
            "--store",
            str(tmp_path),
            "--once",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "source-missing" in result.stdout or "not there" in result.stdout
