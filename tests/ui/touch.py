"""Synthetic touch gestures for tests: real QTouchEvents from a touchscreen QPointingDevice.

PySide6 delivers a QTest touch sequence only when it is aimed at a top-level window, so gestures
are sent to the window at the widget's mapped position; Qt then routes them to the widget under
the finger, exactly as it does for a real touchscreen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint, QPointF
from PySide6.QtGui import QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget


def _window_point(widget: QWidget, pos: QPoint | QPointF) -> QPoint:
    point = pos.toPoint() if isinstance(pos, QPointF) else pos
    return widget.mapTo(widget.window(), point)


def _send(widget: QWidget, device: QPointingDevice, action: str, points: dict[int, QPoint]) -> None:
    sequence = QTest.touchEvent(widget.window(), device)
    for point_id, point in points.items():
        getattr(sequence, action)(point_id, point)
    sequence.commit()
    QApplication.processEvents()


def tap(
    widget: QWidget,
    device: QPointingDevice,
    pos: QPoint | QPointF,
    wobble: tuple[int, int] = (0, 0),
) -> None:
    """A finger down and up at `pos`, optionally wandering by `wobble` pixels in between."""
    start = _window_point(widget, pos)
    _send(widget, device, "press", {0: start})
    end = start + QPoint(*wobble)
    if wobble != (0, 0):
        _send(widget, device, "move", {0: end})
    _send(widget, device, "release", {0: end})


def drag(
    widget: QWidget,
    device: QPointingDevice,
    start: QPoint | QPointF,
    delta: tuple[int, int],
    steps: int = 10,
    between: Callable[[], None] | None = None,
) -> None:
    """One finger pressed at `start`, moved by `delta` in `steps`, then lifted.

    `between` runs before each move and before the lift: a test advances its clock there, which
    sets the finger's speed.
    """
    origin = _window_point(widget, start)
    _send(widget, device, "press", {0: origin})
    for step in range(1, steps + 1):
        if between is not None:
            between()
        point = origin + QPoint(delta[0] * step // steps, delta[1] * step // steps)
        _send(widget, device, "move", {0: point})
    if between is not None:
        between()
    _send(widget, device, "release", {0: origin + QPoint(*delta)})


def press(widget: QWidget, device: QPointingDevice, points: Sequence[QPoint | QPointF]) -> None:
    """Fingers (or a palm's several contacts) coming down together at `points`."""
    _send(widget, device, "press", {i: _window_point(widget, p) for i, p in enumerate(points)})


def move(widget: QWidget, device: QPointingDevice, points: Sequence[QPoint | QPointF]) -> None:
    """The contacts pressed by `press` moving to `points` (same order)."""
    _send(widget, device, "move", {i: _window_point(widget, p) for i, p in enumerate(points)})


def release(widget: QWidget, device: QPointingDevice, points: Sequence[QPoint | QPointF]) -> None:
    """The contacts lifting at `points`."""
    _send(widget, device, "release", {i: _window_point(widget, p) for i, p in enumerate(points)})


def pinch(
    widget: QWidget,
    device: QPointingDevice,
    centre: QPoint | QPointF,
    start_gap: int,
    end_gap: int,
    steps: int = 10,
) -> None:
    """Two fingers either side of `centre`, spreading from `start_gap` to `end_gap` px apart."""
    c = _window_point(widget, centre)

    def fingers(gap: int) -> dict[int, QPoint]:
        return {0: c - QPoint(gap // 2, 0), 1: c + QPoint(gap // 2, 0)}

    _send(widget, device, "press", fingers(start_gap))
    for step in range(1, steps + 1):
        _send(widget, device, "move", fingers(start_gap + (end_gap - start_gap) * step // steps))
    _send(widget, device, "release", fingers(end_gap))


def touch_points(
    widget: QWidget,
    device: QPointingDevice,
    action: str,
    points: dict[int, QPoint | QPointF],
    held: dict[int, QPoint | QPointF] | None = None,
) -> None:
    """One step of a touch sequence for chosen contact ids: "press", "move" or "release".

    Contacts staying on the glass meanwhile go in `held` with their positions (QTest would
    otherwise take them for lifted, or report them stationary at the window's corner).
    """
    sequence = QTest.touchEvent(widget.window(), device)
    for point_id, point in points.items():
        getattr(sequence, action)(point_id, _window_point(widget, point))
    for point_id, point in (held or {}).items():
        sequence.move(point_id, _window_point(widget, point))
    sequence.commit()
    QApplication.processEvents()
