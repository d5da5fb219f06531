"""Small files the kiosk keeps for itself (its config, the PIN delay), replaced atomically."""

from __future__ import annotations

import os
from pathlib import Path


def write_private(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically, readable by its owner only, or as before.

    The config holds the PIN's hash, so a new file is 0600, and the temporary file is created
    0600 from the start (never with the umask's 0644, not even for a moment). An existing
    file keeps its mode (a technician's 0640 for a `kiosk` group stays) and, when root edits
    it, its owner.
    """
    try:
        old = path.stat()
    except FileNotFoundError:
        old = None
    temporary = path.with_name(path.name + ".new")
    temporary.unlink(missing_ok=True)  # a leftover would keep its own, maybe wider, mode
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o600)
    try:
        with os.fdopen(fd, "wb") as stream:
            if old is not None and hasattr(os, "fchmod"):
                os.fchmod(stream.fileno(), old.st_mode & 0o7777)
                if hasattr(os, "fchown") and os.geteuid() == 0:
                    os.fchown(stream.fileno(), old.st_uid, old.st_gid)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.replace(path)
        fsync_folder(path.parent)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; NTFS journals renames itself)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
