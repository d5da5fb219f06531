"""One writer at a time per store: the kiosk's poller and a technician's command take turns.

An OS file lock (flock on POSIX, msvcrt on Windows) on `STORE/lock`: the OS releases it when the
holder dies, so a crashed process never leaves the store locked.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.updates.errors import StoreBusy


def _try_lock(fileno: int) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fileno, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fileno, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextmanager
def exclusive(path: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the lock on `path` for the block, or raise StoreBusy if someone else still has it
    after `wait_seconds` (the store's lock is only ever held for a swap, never for a download,
    so a short wait is enough)."""
    with path.open("a+b") as stream:
        give_up = time.monotonic() + wait_seconds
        while not _try_lock(stream.fileno()):
            if time.monotonic() >= give_up:
                raise StoreBusy(f"another process is changing the store ({path.parent})")
            time.sleep(0.05)
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
