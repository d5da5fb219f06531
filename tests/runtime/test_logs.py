"""Rotating log files and the tail the admin screen shows."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.runtime.logs import LOG_FILE, log, log_tail, setup_logging


@pytest.fixture(autouse=True)
def restore_logger() -> Iterator[None]:
    handlers, level, propagate = list(log.handlers), log.level, log.propagate
    yield
    for handler in log.handlers:
        handler.close()
    log.handlers[:] = handlers
    log.setLevel(level)
    log.propagate = propagate


def test_logs_rotate_and_keep_a_bounded_number_of_files(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "logs", max_megabytes=0.01, keep_files=3, echo=False)
    assert path == tmp_path / "logs" / LOG_FILE
    for index in range(400):
        log.info("line %d %s", index, "x" * 60)
    files = sorted(p.name for p in (tmp_path / "logs").iterdir())
    assert files == [LOG_FILE, f"{LOG_FILE}.1", f"{LOG_FILE}.2"]
    tail = log_tail(path, 5)
    assert len(tail) == 5 and tail[-1].endswith(f"line 399 {'x' * 60}")


def test_an_unwritable_folder_falls_back_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert setup_logging(blocker / "logs", 1, 2, echo=False) is None
    log.warning("still heard")
    err = capsys.readouterr().err
    assert "cannot write logs to" in err and "still heard" in err


def test_the_tail_reads_only_the_end(tmp_path: Path) -> None:
    path = tmp_path / "big.log"
    path.write_text("".join(f"line {i}\n" for i in range(100_000)))
    tail = log_tail(path, 3, max_bytes=1000)
    assert tail == ["line 99997", "line 99998", "line 99999"]
    assert log_tail(tmp_path / "absent.log") == []
    assert log_tail(None) == []


def test_echo_level(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging(None, 1, 2, echo=True, echo_level=logging.WARNING)
    log.info("quiet")
    log.warning("loud")
    err = capsys.readouterr().err
    assert "loud" in err and "quiet" not in err
