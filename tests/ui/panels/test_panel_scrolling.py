"""A long event panel scrolls under a finger, so quotations below the fold can be reached."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from kiosk.ui.shell.main_window import MainWindow
from tests.ui.conftest import marker_in_view
from tests.ui.touch import drag, move, pinch, press, release, tap


def _touchscreen_pace() -> None:
    """A touchscreen reports a moving finger every 8 ms or so: QScroller reads the speed of a
    drag from the events' times, and steps sent within the same millisecond make it unsure."""
    QTest.qWait(8)


def test_finger_drag_scrolls_a_long_panel(
    qtbot: QtBot, window: MainWindow, touchscreen: QPointingDevice
) -> None:
    view = window.map_view
    tap(view.viewport(), touchscreen, marker_in_view(window, "abdication-pskov"))
    scroll = window.panel.findChild(QScrollArea)
    assert scroll is not None
    bar = scroll.verticalScrollBar()
    assert bar.maximum() > 0, "this event's panel is longer than the screen"
    start = scroll.viewport().rect().center() + QPoint(0, 200)
    drag(scroll.viewport(), touchscreen, start, (0, -400), steps=20, between=_touchscreen_pace)
    qtbot.waitUntil(lambda: bar.value() > 150, timeout=10_000)


def _other_gestures_then_a_drag(qtbot: QtBot, window: MainWindow, device: QPointingDevice) -> None:
    """A pinch, a resting hand and a pan from the map onto the open panel; then a drag (at a
    touchscreen's pace) must scroll it."""
    view = window.map_view
    tap(view.viewport(), device, marker_in_view(window, "abdication-pskov"))
    scroll = window.panel.findChild(QScrollArea)
    assert scroll is not None
    viewport = scroll.viewport()
    centre = viewport.rect().center()
    pinch(viewport, device, centre, 100, 300, steps=5)
    hand = [centre, centre + QPoint(40, 0), centre + QPoint(80, 0)]
    press(viewport, device, hand)
    move(viewport, device, [p + QPoint(0, -100) for p in hand])
    release(viewport, device, [p + QPoint(0, -100) for p in hand])
    on_map = QPoint(200, 500)
    onto_panel = view.viewport().mapFrom(window, window.panel.geometry().center())
    drag(view.viewport(), device, on_map, (onto_panel.x() - on_map.x(), 0), steps=10)
    assert window.panel.event_id == "abdication-pskov"
    bar = scroll.verticalScrollBar()
    bar.setValue(0)
    start = centre + QPoint(0, 200)
    drag(viewport, device, start, (0, -400), steps=20, between=_touchscreen_pace)
    qtbot.waitUntil(lambda: bar.value() > 150, timeout=10_000)


def test_the_panel_still_scrolls_after_other_gestures_on_it(
    qtbot: QtBot, window: MainWindow, touchscreen: QPointingDevice
) -> None:
    _other_gestures_then_a_drag(qtbot, window, touchscreen)
