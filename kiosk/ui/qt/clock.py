"""Time for the parts of the kiosk that wait or move on their own (idle reset, attract loop, play).

They never read the system time or start a QTimer themselves: they ask a `Clock` for the time and
for timers. The kiosk runs on `SystemClock` (monotonic time, QTimer); tests and screenshot scripts
use `ManualClock`, whose time moves only when told, firing every timer that falls due on the way,
so a minute of idleness is checked in milliseconds and always the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class ClockTimer:
    """A repeating timer made by a clock: `start()`, `stop()`, `active`."""

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    @property
    def active(self) -> bool:
        raise NotImplementedError


class Clock(QObject):
    """Tells the time (seconds, monotonic) and makes timers that call back every `interval`."""

    def now(self) -> float:
        raise NotImplementedError

    def timer(self, interval: float, callback: Callable[[], None], owner: QObject) -> ClockTimer:
        """A stopped timer calling `callback` every `interval` seconds; it lives as `owner` does."""
        raise NotImplementedError


class _QtTimer(ClockTimer):
    def __init__(self, interval: float, callback: Callable[[], None], owner: QObject) -> None:
        self._timer = QTimer(owner)
        self._timer.setInterval(max(1, round(interval * 1000)))
        self._timer.timeout.connect(callback)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def active(self) -> bool:
        return self._timer.isActive()


class SystemClock(Clock):
    """The real time, and QTimers."""

    def now(self) -> float:
        return time.monotonic()

    def timer(self, interval: float, callback: Callable[[], None], owner: QObject) -> ClockTimer:
        return _QtTimer(interval, callback, owner)


class _ManualTimer(ClockTimer):
    def __init__(self, clock: ManualClock, interval: float, callback: Callable[[], None]) -> None:
        self._clock = clock
        self.interval = interval
        self.callback = callback
        self.due: float | None = None

    def start(self) -> None:
        self.due = self._clock.now() + self.interval

    def stop(self) -> None:
        self.due = None

    @property
    def active(self) -> bool:
        return self.due is not None


class ManualClock(Clock):
    """Time that moves only by `advance`; timers fire in order as their moments pass."""

    def __init__(self, start: float = 1000.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._now = start
        self._timers: list[_ManualTimer] = []

    def now(self) -> float:
        return self._now

    def timer(self, interval: float, callback: Callable[[], None], owner: QObject) -> ClockTimer:
        if interval <= 0:
            raise ValueError("a timer's interval must be positive")
        made = _ManualTimer(self, interval, callback)
        self._timers.append(made)
        # A timer of a deleted owner must never fire (as a QTimer would be deleted with it).
        owner.destroyed.connect(lambda: self._forget(made))
        return made

    def _forget(self, timer: _ManualTimer) -> None:
        timer.stop()
        if timer in self._timers:
            self._timers.remove(timer)

    def advance(self, seconds: float) -> None:
        """Move time on by `seconds`, firing each timer every time it falls due, in order."""
        end = self._now + seconds
        while True:
            due = [t for t in self._timers if t.due is not None and t.due <= end]
            if not due:
                break
            first = min(due, key=lambda t: t.due or 0.0)
            assert first.due is not None
            self._now = max(self._now, first.due)
            first.due = self._now + first.interval
            first.callback()
        self._now = end
