"""The one way the kiosk runs work off the GUI thread: `submit(function, deliver_to)`.

- One thread pool for the process, made on first use and never owned by a widget (a pool
  destroyed with its view while a job still runs would wait for that job while the garbage
  collector holds the GIL the job needs).
- Before any job runs, Python's garbage collection moves to the GUI thread (`gui_collector`):
  a collection started in a worker would free Qt objects there.
- A job holds no Qt object: `deliver_to` is kept as a weak reference to the method
  (`courier.Address`), and the function's result reaches it on the GUI thread through the
  courier, or nowhere if its object went meanwhile.
- Jobs run in lanes, one job of a lane at a time, the highest priority first: `Lane.MAP` (map
  tiles, pictures, names lettered ahead) keeps one core for the visitor, `Lane.BUNDLES` (a
  bundle read and validated in the background) never holds the map up, however large the
  bundle, and `Lane.SOUND` closes a narration's sound device without holding either up.
- `beside(function)` runs a helper that the GUI thread waits for (the first tiles decoded two at
  a time) on a free thread of the pool, or, if none is free, in the waiting thread itself: never
  queued behind a long job.

The long-lived loops of the Qt-free layers (the update service's poll, the analytics writer)
keep threads of their own; docs/decisions.md, "Background work", says why.
"""

from __future__ import annotations

import contextlib
import enum
import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QRunnable, QThreadPool

from kiosk.ui.qt.courier import address, send
from kiosk.ui.qt.gui_collector import collect_on_gui_thread

log = logging.getLogger(__name__)

T = TypeVar("T")


class Lane(enum.Enum):
    """Jobs of one lane run one at a time."""

    MAP = "map"  # tiles, pictures, names lettered ahead: one core renders, one is the visitor's
    BUNDLES = "bundles"  # bundles read and validated in the background
    SOUND = "sound"  # a narration's sound device closed (it waits for the device's last period)


_pool: QThreadPool | None = None
_lock = threading.Lock()
_order = itertools.count()  # equal priorities run in the order they were submitted
_queued: dict[Lane, list[tuple[int, int, Callable[[], None]]]] = {lane: [] for lane in Lane}
_running: set[Lane] = set()


def pool() -> QThreadPool:
    """The process's thread pool: a thread for each lane and one for helpers beside them."""
    global _pool
    if _pool is None:
        collect_on_gui_thread()  # the jobs run Python: no garbage collection may start in them
        _pool = QThreadPool()
        _pool.setMaxThreadCount(len(Lane) + 1)
    return _pool


def submit(
    function: Callable[[], T],
    deliver_to: Callable[[T], Any] | None = None,
    *,
    lane: Lane = Lane.MAP,
    priority: int = 0,
) -> None:
    """Run `function` in the background; its result goes to `deliver_to` on the GUI thread.

    Call on the GUI thread. `deliver_to` must be a bound method (it is held weakly: a result
    whose receiver went meanwhile is dropped). A function that can fail returns its failure as
    a value: an exception escaping it is logged and nothing is delivered.
    """
    to = address(deliver_to) if deliver_to is not None else None
    pool()
    collect_on_gui_thread()  # (again, if collection was given back meanwhile)

    def job() -> None:
        try:
            result = function()
        except Exception:
            log.exception("background work failed: %r", function)
        else:
            if to is not None:
                send(to, result)
        finally:
            _start_next(lane, finished=True)

    with _lock:
        heapq.heappush(_queued[lane], (-priority, next(_order), job))
    _start_next(lane)


def _start_next(lane: Lane, *, finished: bool = False) -> None:
    """Start the lane's next job unless one of it runs (from any thread)."""
    with _lock:
        if finished:
            _running.discard(lane)
        if lane in _running or not _queued[lane] or _pool is None:
            return
        _, _, job = heapq.heappop(_queued[lane])
        _running.add(lane)
        started = _pool
    started.start(job)


def beside(function: Callable[[], None]) -> Callable[[], object]:
    """Start `function` on a free thread now if there is one; returns `join`, which waits for
    it to end or, if no thread was free, runs it in the calling thread there and then."""
    done = threading.Event()

    def run() -> None:
        try:
            function()
        finally:
            done.set()

    collect_on_gui_thread()
    # As a QRunnable: PySide6 6.11's tryStart(callable) returns a garbage int, not the bool.
    if pool().tryStart(QRunnable.create(run)):
        return lambda: bool(done.wait())
    return run


def idle() -> bool:
    """True when no job or helper runs or waits."""
    with _lock:
        if _running or any(_queued.values()):
            return False
    return _pool is None or _pool.activeThreadCount() == 0


def wait_for_done(timeout_ms: int = -1) -> bool:
    """Wait until no job or helper runs or waits (at most `timeout_ms`; -1: for ever); True if
    none does by then."""
    end = None if timeout_ms < 0 else time.monotonic() + timeout_ms / 1000
    while not idle():
        if end is not None and time.monotonic() >= end:
            return False
        if _pool is not None:
            with contextlib.suppress(RuntimeError):  # at exit the pool may be gone already
                _pool.waitForDone(10)
    return True


def run_until(done: Callable[[], bool], timeout_ms: int = 30_000) -> bool:
    """Serve the jobs and the GUI thread's events until `done()` (at most `timeout_ms`); the
    result of `done()` then. For tests and scripts that wait for work they asked for."""
    from PySide6.QtCore import QCoreApplication

    end = time.monotonic() + timeout_ms / 1000
    while not done() and time.monotonic() < end:
        wait_for_done(10)
        QCoreApplication.processEvents()
    return done()


def drop_waiting(lane: Lane | None = None) -> None:
    """Forget the jobs not yet started (of one lane, or all); the running ones finish."""
    with _lock:
        for each in [lane] if lane is not None else list(Lane):
            _queued[each].clear()


def reset(timeout_ms: int = 30_000) -> bool:
    """Let the running jobs finish, forget the waiting ones and drop the pool (tests: every
    test starts with no work of another's); True if everything had finished in time."""
    global _pool
    drop_waiting()
    done = wait_for_done(timeout_ms)
    if done and _pool is not None:
        _pool = None  # its threads end with it
    return done
