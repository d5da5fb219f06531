"""Work done ahead, in slices between frames, on the GUI thread.

The map works out ahead what a pinch would otherwise do in its frames (each zoom level's clusters,
their items and pictures). That work is a generator of small steps; `SliceScheduler` runs it a
few milliseconds at a time on later turns of the event loop, so a touch arriving meanwhile waits
no longer than one slice, and not at all while `busy()` says a finger is down or the map moves.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from PySide6.QtCore import QObject, QTimer
from shiboken6 import isValid

SLICE_S = 0.004  # work done ahead runs in slices this long, between frames
WAIT_MS = 50  # while the map is touched or moving, the work ahead looks again this often


class SliceScheduler:
    """Runs one generator of steps at a time, in slices, for as long as `owner` lives."""

    def __init__(self, owner: QObject, busy: Callable[[], bool]) -> None:
        self._owner = owner
        self._busy = busy
        self._steps: Iterator[None] = iter(())
        self._queued = False
        self._done = True

    @property
    def done(self) -> bool:
        """True once the work last started has run to its end."""
        return self._done

    def restart(self, steps: Iterator[None]) -> None:
        """Drop what was left of the work and run `steps` instead, from the next turn on."""
        self._steps = steps
        self._done = False
        if not self._queued:
            self._queued = True
            QTimer.singleShot(0, self._run)

    def _run(self) -> None:
        """One slice of the work (a few ms), then the next slice on the next turn of the loop."""
        self._queued = False
        if not isValid(self._owner):
            return
        if self._busy():
            # Not while a finger is on the map or it moves: then frames come first.
            self._queued = True
            QTimer.singleShot(WAIT_MS, self._run)
            return
        deadline = time.perf_counter() + SLICE_S
        try:
            while time.perf_counter() < deadline:
                next(self._steps)
        except StopIteration:
            self._done = True
            return
        self._queued = True
        QTimer.singleShot(0, self._run)
