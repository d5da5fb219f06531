"""Bounded reads of files that someone else may have prepared (bundles, manifests, configs).

A size check with `stat` and then `read_bytes()` is not enough: a symlink to /dev/zero or a
device says it has 0 bytes and then never ends, a FIFO blocks the reader until someone writes,
and a file can grow between the check and the read. `read_regular_file` therefore refuses
anything but a regular file (before opening it, and again on the open descriptor), opens without
blocking, and never reads more than `limit + 1` bytes, whatever `stat` said.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotARegularFile(OSError):
    """The path is a device, a FIFO, a socket (or a link to one), not a plain file."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            errno.EINVAL,
            "not a regular file (a device, a pipe or a link to one); only plain files are read",
            str(path),
        )


class FileTooLarge(OSError):
    """The file holds more than the limit; `size` is at least limit + 1."""

    def __init__(self, path: Path, size: int, limit: int) -> None:
        super().__init__(errno.EFBIG, f"larger than {limit} bytes", str(path))
        self.size = size
        self.limit = limit


def _check_regular(mode: int, path: Path) -> None:
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
    if not stat.S_ISREG(mode):
        raise NotARegularFile(path)


def read_regular_file(path: Path, limit: int) -> bytes:
    """At most `limit` bytes of the regular file `path`; FileTooLarge if it holds more.

    Raises FileNotFoundError, IsADirectoryError, NotARegularFile, FileTooLarge or another OSError.
    """
    _check_regular(path.stat().st_mode, path)  # before opening: opening a FIFO blocks
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)  # what was opened, if the path changed since the check
        _check_regular(info.st_mode, path)
        if info.st_size > limit:
            raise FileTooLarge(path, info.st_size, limit)
        chunks: list[bytes] = []
        received = 0
        while received <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - received))
            if not chunk:
                break
            chunks.append(chunk)
            received += len(chunk)
        if received > limit:
            raise FileTooLarge(path, received, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)
