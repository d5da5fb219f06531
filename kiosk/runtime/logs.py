"""Rotating log files: everything the kiosk has to say goes here, never to a visitor's screen.

Files are `kiosk.log`, `kiosk.log.1`, ... in the log folder; the oldest is dropped when the
configured number is reached, so years of running never fill the disk.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

LOG_FILE = "kiosk.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

log = logging.getLogger("kiosk")


def setup_logging(
    folder: Path | None,
    max_megabytes: float,
    keep_files: int,
    echo: bool,
    echo_level: int = logging.INFO,
) -> Path | None:
    """Send the kiosk's log to rotating files in `folder`; returns the log file or None.

    `echo` also writes to stderr (the console build and development). With no usable folder,
    stderr is the only destination, so a journal or a terminal still sees everything.
    """
    log.setLevel(logging.INFO)
    log.propagate = False
    for handler in list(log.handlers):
        log.removeHandler(handler)
        handler.close()
    formatter = logging.Formatter(FORMAT)
    path: Path | None = None
    problem = None
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / LOG_FILE
            file_handler = logging.handlers.RotatingFileHandler(
                path,
                maxBytes=round(max_megabytes * 1024 * 1024),
                backupCount=keep_files - 1,
                encoding="utf-8",
            )
        except OSError as exc:
            path, problem = None, f"cannot write logs to {folder}: {exc}"
        else:
            file_handler.setFormatter(formatter)
            log.addHandler(file_handler)
    if echo or path is None:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(formatter)
        stream.setLevel(echo_level)
        log.addHandler(stream)
    if problem:
        log.error(problem)
    return path


def log_tail(path: Path | None, lines: int = 200, max_bytes: int = 256 * 1024) -> list[str]:
    """The last `lines` lines of the log file (reading only its end), or [] if there is none."""
    if path is None:
        return []
    try:
        with path.open("rb") as stream:
            stream.seek(0, 2)
            size = stream.tell()
            stream.seek(max(0, size - max_bytes))
            data = stream.read()
    except OSError:
        return []
    text = data.decode("utf-8", errors="replace").splitlines()
    if len(data) == max_bytes or size > max_bytes:
        text = text[1:]  # the first line was cut in the middle
    return text[-lines:]
