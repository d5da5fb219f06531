"""How the process is doing, for the admin screen and the smoke test: age, uptime and memory."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

_IMPORTED = time.monotonic()  # the fallback start time where the OS cannot tell us


def process_age_seconds() -> float:
    """Seconds since this process was created (the OS's clock where it has one)."""
    if sys.platform.startswith("linux"):
        try:
            stat = Path("/proc/self/stat").read_text()
            # Field 22 (starttime, clock ticks since boot) counts after the ')' of the name.
            start_ticks = int(stat.rsplit(")", 1)[1].split()[19])
            uptime = float(Path("/proc/uptime").read_text().split()[0])
            return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
        except (OSError, ValueError, IndexError):
            pass
    elif sys.platform == "win32":
        age = _windows_process_age()
        if age is not None:
            return age
    return time.monotonic() - _IMPORTED


def _windows_process_age() -> float | None:  # pragma: no cover - Windows only
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
    creation, exit_, kernel, user, now = (wintypes.FILETIME() for _ in range(5))
    handle = kernel32.GetCurrentProcess()
    if not kernel32.GetProcessTimes(
        handle,
        ctypes.byref(creation),
        ctypes.byref(exit_),
        ctypes.byref(kernel),
        ctypes.byref(user),
    ):
        return None
    kernel32.GetSystemTimeAsFileTime(ctypes.byref(now))

    def ticks(ft: wintypes.FILETIME) -> int:
        return (ft.dwHighDateTime << 32) | ft.dwLowDateTime

    return (ticks(now) - ticks(creation)) / 10_000_000


def memory_megabytes() -> float | None:
    """The resident memory of this process in MB (peak memory where current is unknown)."""
    if sys.platform.startswith("linux"):
        try:
            resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
            return resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20
        except (OSError, ValueError, IndexError):
            return None
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def format_duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h {minutes} min" if days else f"{hours} h {minutes} min {secs} s"
