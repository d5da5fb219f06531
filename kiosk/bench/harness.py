"""Running a scripted session inside the real Qt event loop, and watching what it paints.

A benchmark is a generator: it does one thing (sends a synthetic touch, changes the state) and
yields what to wait for (a widget's next painted frame, or some milliseconds); the `Script`
resumes it from the event loop once that happened. Between steps control always returns to
`QApplication.exec()`, so timers, posted events and `deleteLater` run as they do on the exhibit
(`processEvents()` alone would never run deferred deletions).

Touches are real QTouchEvents from a touchscreen QPointingDevice, sent to the top-level window
(where a touchscreen's events arrive) and routed by Qt to the widget under the finger.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QTimer
from PySide6.QtGui import QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.content import Bundle


def use_offscreen_screen(width: int, height: int) -> None:
    """Make Qt run offscreen on one screen of `width` x `height` (before QApplication exists).

    The offscreen platform's default screen is 800x800; touches beyond it belong to no screen.
    """
    config = Path(tempfile.gettempdir()) / f"kiosk-bench-screen-{width}x{height}.json"
    screen = {
        "name": "bench",
        "x": 0,
        "y": 0,
        "width": width,
        "height": height,
        "logicalDpi": 96,
        "logicalBpi": 96,
        "dpr": 1,
    }
    config.write_text(json.dumps({"screens": [screen]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


@dataclass
class Frame:
    """A watch for the next Paint event of a widget (or of any widget `match` accepts).

    Armed by `Script.frame()` before the action that should cause it, so a paint delivered
    while the action is still being sent is not missed; yielding it waits for that paint.
    """

    widget: QObject | None
    match: Callable[[QObject], bool] | None = None
    timeout_ms: int = 2000
    started_at: float | None = None  # perf_counter when the Paint event arrived
    painted_at: float | None = None  # perf_counter once that paint (and the flush) had finished
    cpu_at: float | None = None  # the GUI thread's CPU time then

    def accepts(self, watched: QObject) -> bool:
        if self.widget is not None:
            return watched is self.widget
        return self.match is not None and self.match(watched)


@dataclass
class Sleep:
    """A wait of `ms` milliseconds with the event loop running."""

    ms: int = 0


Wait = Frame | Sleep
Steps = Generator[Wait, None, None]


class Script(QObject):
    """Runs a generator of steps from the event loop, then quits the application."""

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self._app = app
        self._steps: Steps | None = None
        self._armed: list[Frame] = []
        self._awaited: Frame | None = None
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.timeout.connect(self._timed_out)
        self.error: BaseException | None = None

    def run(self, steps: Steps) -> None:
        self._steps = steps
        QTimer.singleShot(0, self._next)
        self._app.exec()
        if self.error is not None:
            raise self.error

    def frame(
        self,
        widget: QObject | None = None,
        *,
        match: Callable[[QObject], bool] | None = None,
        timeout_ms: int = 2000,
    ) -> Frame:
        """Start watching for a paint now; yield the result to wait for it."""
        frame = Frame(widget, match, timeout_ms)
        self._armed.append(frame)
        (widget or self._app).installEventFilter(self)
        return frame

    def _next(self) -> None:
        assert self._steps is not None
        try:
            wait = next(self._steps)
        except StopIteration:
            self._app.quit()
            return
        except BaseException as error:  # reported by run(), outside the event loop
            self.error = error
            self._app.quit()
            return
        if isinstance(wait, Sleep):
            QTimer.singleShot(wait.ms, self._next)
        elif wait.painted_at is not None:
            QTimer.singleShot(0, self._next)
        else:
            self._awaited = wait
            self._timeout.start(wait.timeout_ms)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            for frame in self._armed:
                if frame.started_at is None and frame.accepts(watched):
                    frame.started_at = time.perf_counter()
                    # Queued: runs once this paint and the rest of the update are delivered.
                    QTimer.singleShot(0, lambda frame=frame: self._painted(frame))
        return False

    def _disarm(self, frame: Frame) -> None:
        if frame in self._armed:
            self._armed.remove(frame)
            target = frame.widget or self._app
            # One filter per object however many frames watch it: keep it while one still does.
            if not any((other.widget or self._app) is target for other in self._armed):
                target.removeEventFilter(self)

    def _painted(self, frame: Frame) -> None:
        frame.painted_at = time.perf_counter()
        frame.cpu_at = time.thread_time()
        self._disarm(frame)
        if frame is self._awaited:
            self._awaited = None
            self._timeout.stop()
            QTimer.singleShot(0, self._next)

    def _timed_out(self) -> None:
        frame, self._awaited = self._awaited, None
        if frame is not None:
            self._disarm(frame)  # painted_at stays None: the step painted nothing
        QTimer.singleShot(0, self._next)


@dataclass
class Touchscreen:
    """Synthetic touches on a top-level window, in the coordinates of one of its widgets."""

    device: QPointingDevice = field(default_factory=QTest.createTouchDevice)

    def send(self, widget: QWidget, action: str, points: Mapping[int, QPointF | QPoint]) -> None:
        window = widget.window()
        sequence = QTest.touchEvent(window, self.device)
        for point_id, point in points.items():
            pos = point.toPoint() if isinstance(point, QPointF) else point
            getattr(sequence, action)(point_id, widget.mapTo(window, pos))
        sequence.commit()

    def moves(self, widget: QWidget, held: dict[int, QPointF], moving: dict[int, QPointF]) -> None:
        """One update: the contacts in `moving` move, those in `held` stay on the glass."""
        window = widget.window()
        sequence = QTest.touchEvent(window, self.device)
        for point_id, point in {**held, **moving}.items():
            sequence.move(point_id, widget.mapTo(window, point.toPoint()))
        sequence.commit()


def load_for_ui(path: Path) -> Bundle:
    """The bundle a UI benchmark shows, through the kiosk's validated-bundle cache (a folder of
    the suite's own) as the kiosk starts: validating a 10,000-event bundle is measured by the
    validation benchmark, and need not be paid again by every child that only shows it."""
    from kiosk.content.cache import BundleCache, load_bundle_cached

    cache = BundleCache(Path(tempfile.gettempdir()) / "kiosk-bench-bundles" / "validated")
    bundle, _ = load_bundle_cached(path, cache)
    return bundle


def rss_bytes() -> int:
    """The process's resident set size, from /proc/self/statm (Linux), else ru_maxrss."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def live_qobjects(app: QApplication) -> Counter[str]:
    """Every QObject alive under the application and its top-level widgets, walked recursively,
    counted per class (the Qt class name, or the Python one for our subclasses)."""
    # A window with a parent is both a top-level widget and a child: count each object once. The
    # list keeps every wrapper alive while counting, so no id() is reused.
    found: list[QObject] = [app, *app.topLevelWidgets()]
    for root in list(found):
        found.extend(root.findChildren(QObject))
    unique = {id(obj): obj for obj in found}
    return Counter(type(obj).__name__ for obj in unique.values())


def python_wrappers() -> int:
    """Python wrappers of Qt objects still valid (shiboken's own registry)."""
    import shiboken6

    return len(shiboken6.Shiboken.getAllValidWrappers())


def each(values: Iterable[float], scale: float = 1000.0) -> list[float]:
    return [v * scale for v in values]


def timed(callback: Callable[[], object]) -> float:
    start = time.perf_counter()
    callback()
    return time.perf_counter() - start
