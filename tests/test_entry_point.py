"""`python -m kiosk` when the reader of its output goes away early (`kiosk status | head -1`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("command", [["status", "--store", "{store}"], ["--help"]])
def test_a_closed_pipe_ends_the_command_quietly(tmp_path: Path, command: list[str]) -> None:
    # Both print a few lines (argparse's --help ends in SystemExit); the reader closes first.
    arguments = [word.format(store=tmp_path) for word in command]
    with subprocess.Popen(
        [sys.executable, "-m", "kiosk", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        child.stdout.close()
        stderr = child.stderr.read().decode()
        child.wait(timeout=60)
    assert "Traceback" not in stderr
    assert "BrokenPipeError" not in stderr
    assert "Exception ignored" not in stderr
