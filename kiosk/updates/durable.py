"""Writes that survive a crash or a power cut at any moment.

A file is replaced by writing a temporary file beside it, fsyncing it, `os.replace`-ing it over the
old one (atomic on POSIX and Windows) and fsyncing the folder, so the rename itself is on disk
(ANCHORS trap 7: a rename is durable only after the folder is synced). Windows cannot open a
folder to sync it; NTFS journals the rename itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from kiosk.runtime.files import fsync_folder

Step = Callable[[str], None]


def _no_step(_: str) -> None:
    return None


def write_atomic(path: Path, data: bytes, step: Step = _no_step) -> None:
    """Replace `path` with `data`: a reader sees the old content or the new, never a mixture.

    `step` is called between the steps (tests kill the process there to prove the claim).
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        step("temp-written")
        temporary.replace(path)
    finally:
        if temporary.exists():
            temporary.unlink()
    step("replaced")
    fsync_folder(path.parent)


def fsync_tree(root: Path) -> None:
    """Sync every file and folder under `root`, so a later rename publishes complete content."""
    for folder, _, files in os.walk(root):
        for name in files:
            fd = os.open(Path(folder) / name, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_folder(Path(folder))
