"""The C allocator's settings for a process that runs for months: memory freed is given back.

glibc's malloc keeps what it frees for reuse, and two of its defaults make a long-running kiosk
grow: every thread that allocates gets an arena of its own (up to eight per core), each keeping
its freed blocks; and the threshold above which a block is mapped on its own (and returned to
the system when freed) rises to the size of every such block freed, up to 32 MB, so after the
first map tile (1 MiB) or picture is freed, later ones come from the arenas and stay there when
freed, fragmenting them. Measured in a real window under use (docs/performance.md, "Memory"):
the allocator kept growing while the caches held what their budgets allow.

`tune_allocator()` fixes the threshold (tiles, pictures and lettered names are mapped on their
own and handed back when dropped) and allows two arenas; `give_back()` returns the arenas' free
pages to the system, called every `TIDY_EVERY_MS` (`kiosk.ui.qt.housekeeping`) and when the
exhibit goes idle: what a frame, a panel or a tile allocates and frees leaves free pages between
blocks still in use, which glibc gives back only when asked (measured in the soak: 15 MB free
inside the arenas, 7 MB of the highest RSS). Both use `mallopt`/`malloc_trim` through ctypes on
Linux with glibc, and do nothing elsewhere or where ctypes is left out (the one-folder package
leaves it out on Linux: there the service sets the same limits through the environment,
`MALLOC_ARENA_MAX` and `MALLOC_MMAP_THRESHOLD_`, packaging/deb/museum-kiosk.service).

`give_back()` also forgets the source lines Python keeps (`linecache`): PySide6's import hook
reads the source of every module imported after it (`inspect.getsource`, to see whether the
module uses PySide6's optional features), which fills Python's cache of source lines with every
dependency's source, about 11 MB in the kiosk run from source (none in the one-folder package,
which has no sources). The cache is only for printing tracebacks, which read the lines again.
"""

from __future__ import annotations

import linecache
import logging
import sys
from typing import Any

log = logging.getLogger(__name__)

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8

MMAP_THRESHOLD = 128 * 1024  # blocks from this size up are mapped on their own (glibc's default)
TRIM_THRESHOLD = 2 * 1024 * 1024  # free memory at an arena's top beyond this goes back at once
ARENA_MAX = 2  # the GUI thread's and one shared by the workers
TIDY_EVERY_MS = 2_000  # how often `give_back` runs while the kiosk runs (~1.5 ms each time)

_libc: Any = None
_looked = False


def _glibc() -> Any:
    """glibc through ctypes, or None (not Linux, not glibc, or ctypes not in this build)."""
    global _libc, _looked
    if not _looked:
        _looked = True
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                libc = ctypes.CDLL("libc.so.6")
                libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
                libc.malloc_trim.argtypes = [ctypes.c_size_t]
                _libc = libc
            except (ImportError, OSError, AttributeError):
                _libc = None
    return _libc


def tune_allocator() -> bool:
    """Set the allocator's limits for this process; True if they could be set."""
    libc = _glibc()
    if libc is None:
        return False
    done = all(
        libc.mallopt(option, value) == 1
        for option, value in (
            (M_MMAP_THRESHOLD, MMAP_THRESHOLD),
            (M_TRIM_THRESHOLD, TRIM_THRESHOLD),
            (M_ARENA_MAX, ARENA_MAX),
        )
    )
    if not done:
        log.warning("the C allocator refused a setting: memory freed may not be given back")
    return done


def give_back() -> bool:
    """Return free memory in the allocator's arenas to the system (a few ms), after forgetting
    the source lines Python keeps; True if the allocator gave any back."""
    linecache.clearcache()
    libc = _glibc()
    if libc is None:
        return False
    return bool(libc.malloc_trim(0))
