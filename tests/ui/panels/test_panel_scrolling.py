"""A long event panel scrolls under a finger, so quotations below the fold can be reached."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPointingDevice
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from kiosk.ui.shell.main_window import MainWindow
from tests.ui.conftest import marker_in_view
from tests.ui.touch import drag, tap


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
    drag(scroll.viewport(), touchscreen, start, (0, -400), steps=20)
    qtbot.waitUntil(lambda: bar.value() > 150, timeout=3000)
