"""`kiosk set-pin` and `kiosk check-config` from the command line."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from kiosk.runtime.config import parse_config
from kiosk.runtime.pin import verify_pin

ROOT = Path(__file__).resolve().parent.parent


def kiosk(*args: str | Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *map(str, args)],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_set_pin_writes_only_a_hash(tmp_path: Path) -> None:
    config = tmp_path / "kiosk" / "kiosk.yaml"
    result = kiosk("set-pin", "--config", config, "--pin-stdin", stdin="482193\n")
    assert result.returncode == 0, result.stderr
    assert str(config) in result.stdout
    text = config.read_text(encoding="utf-8")
    assert "482193" not in text
    stored = parse_config(config).config.admin_pin_hash
    assert stored is not None and verify_pin("482193", stored)
    # Setting it again replaces the line, keeping the rest.
    config.write_text(text + "idle_seconds: 60\n", encoding="utf-8")
    assert kiosk("set-pin", "--config", config, "--pin-stdin", stdin="777777\n").returncode == 0
    loaded = parse_config(config)
    assert loaded.problems == [] and loaded.config.idle_seconds == 60
    assert loaded.config.admin_pin_hash and verify_pin("777777", loaded.config.admin_pin_hash)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_set_pin_keeps_the_config_private(tmp_path: Path) -> None:
    """Finding 5 of issue 17: set-pin turned a 0600 config into 0644, and made new ones 0644."""
    fresh = tmp_path / "new" / "kiosk.yaml"
    assert kiosk("set-pin", "--config", fresh, "--pin-stdin", stdin="482193\n").returncode == 0
    assert fresh.stat().st_mode & 0o777 == 0o600
    kept = tmp_path / "kiosk.yaml"
    kept.write_text("idle_seconds: 60\n", encoding="utf-8")
    kept.chmod(0o600)
    assert kiosk("set-pin", "--config", kept, "--pin-stdin", stdin="482193\n").returncode == 0
    assert kept.stat().st_mode & 0o777 == 0o600
    assert not (tmp_path / "kiosk.yaml.new").exists()


def test_set_pin_refuses_a_bad_pin(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.yaml"
    result = kiosk("set-pin", "--config", config, "--pin-stdin", stdin="12\n")
    assert result.returncode == 1
    assert result.stderr.strip() == "error: a PIN has 6 to 12 digits; nothing was changed"
    assert not config.exists()


def test_check_config(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(f"bundle: {ROOT / 'content' / 'petrograd-1917'}\nlog_folder: logs\n")
    result = kiosk("check-config", "--config", good)
    assert result.returncode == 0 and result.stdout == f"{good}: valid\n", result.stdout
    bad = tmp_path / "kiosk.yaml"
    bad.write_text("admin_corner: middle\nbundle: nowhere\n", encoding="utf-8")
    result = kiosk("check-config", "--config", bad)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{bad}:1:15: error: 'middle' is not allowed here; expected 'top-left', 'top-right', "
        "'bottom-left' or 'bottom-right'",
        f"{bad}:2:9: error: the bundle folder {tmp_path / 'nowhere'} does not exist",
        f"{bad}: 2 problems (a key with a wrong value is ignored)",
    ]
    assert kiosk("check-config", "--config", tmp_path / "absent.yaml").returncode == 2


def test_check_config_refuses_a_syntax_error(tmp_path: Path) -> None:
    """Finding 13 of issue 17: one unquoted colon discarded the whole file."""
    bad = tmp_path / "kiosk.yaml"
    bad.write_text("kiosk_name: Hall 2: by the window\n", encoding="utf-8")
    result = kiosk("check-config", "--config", bad)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{bad}:1:1: error: this file cannot be read and there is no last")
    assert lines[1].startswith(f"{bad}:1:19: error: a colon and a space (': ') here start a new")
    assert lines[2] == f"{bad}: cannot be read; the kiosk runs on the built-in defaults"
    assert "Traceback" not in result.stderr


def _read_until(fd: int, marker: bytes, timeout: float = 30) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        assert time.monotonic() < deadline, f"no {marker!r} in {seen!r}"
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 1024)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
    return seen


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs a POSIX terminal")
def test_set_pin_prompts_on_the_terminal_without_echo(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.yaml"
    command = [sys.executable, "-m", "kiosk", "set-pin", "--config", str(config)]
    with warnings.catch_warnings():
        # Python 3.12+ warns about fork() in a process with threads; the child execs at once.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid, fd = pty.fork()
    if pid == 0:  # the child: the command on a real terminal, as a technician types it
        os.chdir(ROOT)
        os.execv(sys.executable, command)
    try:
        screen = _read_until(fd, b"New staff PIN")
        os.write(fd, b"482193\n")
        screen += _read_until(fd, b"again")
        os.write(fd, b"482193\n")
        screen += _read_until(fd, b"Restart the kiosk")
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert b"482193" not in screen  # never echoed
    stored = parse_config(config).config.admin_pin_hash
    assert stored is not None and verify_pin("482193", stored)
