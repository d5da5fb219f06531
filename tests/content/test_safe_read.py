"""Bounded reads: a YAML file that is a link to /dev/zero, a FIFO, or grows past the limit is
refused with a problem, never read without end (issue 17, finding 11).

The hostile cases run in a child process with a memory limit and a timeout, so a regression
fails the test instead of filling the machine's memory or hanging the run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.content.safe_read import FileTooLarge, NotARegularFile, read_regular_file
from kiosk.content.starter import create_starter

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs /dev/zero and mkfifo")
ROOT = Path(__file__).resolve().parents[2]


def run_limited(code: str, seconds: float = 20.0) -> subprocess.CompletedProcess[str]:
    """`code` in a child Python with at most 1 GiB of address space."""
    prelude = "import resource; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=seconds,
        cwd=ROOT,
        check=False,
    )


@posix_only
def test_validate_refuses_a_yaml_file_linked_to_dev_zero(tmp_path: Path) -> None:
    bundle = tmp_path / "exhibit"
    create_starter(bundle)
    event = next((bundle / "events").glob("*.yaml"))
    event.unlink()
    event.symlink_to("/dev/zero")
    result = run_limited(
        f"""
        import sys
        from kiosk.cli import main
        sys.exit(main(["validate", {str(bundle)!r}]))
        """
    )
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 1, (result.stdout, result.stderr[-2000:])
    assert f"events/{event.name}:1:1: error: this is not a plain file" in result.stdout


@posix_only
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "bundle.yaml"
    os.mkfifo(fifo)
    result = run_limited(
        f"""
        from pathlib import Path
        from kiosk.content.problems import ProblemList
        from kiosk.content.yaml_source import read_yaml
        problems = ProblemList()
        print(read_yaml(Path({str(fifo)!r}), "bundle.yaml", problems))
        print(*problems, sep="\\n")
        """,
        seconds=10,
    )
    assert result.stdout.splitlines()[0] == "None", result
    assert "bundle.yaml:1:1: error: this is not a plain file" in result.stdout


def test_read_regular_file_reads_at_most_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 100)
    assert read_regular_file(path, 100) == b"x" * 100
    with pytest.raises(FileTooLarge) as caught:
        read_regular_file(path, 99)
    assert caught.value.size == 100
    with pytest.raises(IsADirectoryError):
        read_regular_file(tmp_path, 10)
    with pytest.raises(FileNotFoundError):
        read_regular_file(tmp_path / "none", 10)


@posix_only
def test_read_regular_file_refuses_devices_through_links(tmp_path: Path) -> None:
    link = tmp_path / "zero"
    link.symlink_to("/dev/zero")
    with pytest.raises(NotARegularFile):
        read_regular_file(link, 10)
