"""One writer at a time per store: the kiosk's poller and a technician's command take turns.

An OS file lock (flock on POSIX, msvcrt on Windows) on `STORE/lock`: the OS releases it when the
holder dies, so a crashed process never leaves the store locked.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.updates.errors import StoreBusy


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold the lock on `path` for the block, or raise StoreBusy at once if someone else has it."""
    with path.open("a+b") as stream:
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(stream.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise StoreBusy(f"another process is changing the store ({path.parent})") from None
        try:
            yield
        finally:
            if sys.platform == "win32":
                import msvcrt

                stream.seek(0)
                msvcrt.locking(stream.fileno(), msvcrt.LK_UNLCK, 1)
            else:
                import fcntl

                fcntl.flock(stream.fileno(), fcntl.LOCK_UN)
