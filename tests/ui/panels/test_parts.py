"""The panels' shared parts: a click where it was pressed is a tap; a drag is not."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui.panels.parts import TAP_SLOP_PX, ClickTaps


class Parent(QWidget):
    """Records the mouse presses that reach it."""

    def __init__(self) -> None:
        super().__init__()
        self.presses = 0

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.presses += 1


def widget_counting_taps(qtbot: QtBot) -> tuple[Parent, QWidget, list[int]]:
    parent = Parent()
    qtbot.addWidget(parent)
    parent.resize(300, 300)
    child = QWidget(parent)
    child.setGeometry(0, 0, 300, 300)
    taps: list[int] = []
    ClickTaps(child, lambda: taps.append(1))
    parent.show()
    qtbot.waitExposed(parent)
    return parent, child, taps


def test_a_click_is_a_tap_and_its_parent_never_sees_it(qtbot: QtBot) -> None:
    parent, child, taps = widget_counting_taps(qtbot)
    QTest.mouseClick(child, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    assert taps == [1]
    assert parent.presses == 0


def test_a_press_dragged_away_is_no_tap(qtbot: QtBot) -> None:
    _parent, child, taps = widget_counting_taps(qtbot)
    QTest.mousePress(child, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    QTest.mouseRelease(child, Qt.MouseButton.LeftButton, pos=QPoint(100 + TAP_SLOP_PX, 100))
    assert taps == []
    QTest.mousePress(child, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    QTest.mouseRelease(child, Qt.MouseButton.LeftButton, pos=QPoint(100 + TAP_SLOP_PX - 2, 100))
    assert taps == [1]
