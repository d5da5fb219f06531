"""Unhandled exceptions are logged in full and the kiosk carries on; a storm of them ends it.

PySide6 reports an exception raised in a slot or an overridden Qt method through sys.excepthook,
after which Qt goes on with the event loop: so logging there and returning is "carrying on".
Exceptions in other threads go through threading.excepthook; the thread ends, the kiosk does not.
If errors keep coming (the UI is evidently broken) or one is fatal by nature (out of memory), the
guard asks the application to exit with a non-zero code, so the supervisor starts it afresh.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from types import TracebackType

from kiosk.runtime import exit_codes
from kiosk.runtime.logs import log

FATAL_TYPES: tuple[type[BaseException], ...] = (MemoryError, KeyboardInterrupt, SystemExit)


class CrashGuard:
    """Installs the exception hooks; calls `on_fatal(exit code)` when the kiosk must restart."""

    def __init__(
        self,
        on_fatal: Callable[[int], None],
        max_errors: int = 20,
        window_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._on_fatal = on_fatal
        self._max_errors = max_errors
        self._window = window_seconds
        self._clock = clock
        self._recent: deque[float] = deque()
        self.count = 0  # every exception since start, for the admin screen
        self.last: str | None = None
        self._saved: tuple[object, object] | None = None

    def install(self) -> None:
        self._saved = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.handle
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        if self._saved is not None:
            sys.excepthook, threading.excepthook = self._saved  # type: ignore[assignment]
            self._saved = None

    def handle(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
        where: str = "the user interface",
    ) -> None:
        self.count += 1
        self.last = f"{exc_type.__name__}: {exc}"
        log.error("unhandled exception in %s", where, exc_info=(exc_type, exc, tb))
        if issubclass(exc_type, FATAL_TYPES):
            code = exc.code if isinstance(exc, SystemExit) and isinstance(exc.code, int) else None
            log.critical("%s is fatal; the kiosk exits so it can be restarted", exc_type.__name__)
            self._on_fatal(code if code is not None else exit_codes.CRASH)
            return
        now = self._clock()
        self._recent.append(now)
        while self._recent and self._recent[0] < now - self._window:
            self._recent.popleft()
        if len(self._recent) >= self._max_errors:
            log.critical(
                "%d errors within %.0f s; the kiosk exits so it can be restarted",
                len(self._recent),
                self._window,
            )
            self._on_fatal(exit_codes.CRASH)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return  # a thread's normal way to stop
        name = args.thread.name if args.thread is not None else "a thread"
        self.count += 1
        self.last = f"{args.exc_type.__name__}: {args.exc_value}"
        log.error(
            "unhandled exception in thread %s; the kiosk carries on without it",
            name,
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),  # type: ignore[arg-type]
        )
