"""Kiosk-mode lockdown: a visitor's keys, context menus and close requests do nothing, and the
hidden staff gesture (a long press in the corner, by finger or mouse) is recognised."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import (
    QCloseEvent,
    QContextMenuEvent,
    QKeyEvent,
    QKeySequence,
    QPointingDevice,
    QShortcut,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui.qt.clock import ManualClock
from kiosk.ui.qt.staff_marks import mark_staff
from kiosk.ui.staff.lockdown import CORNER_SIZE, Lockdown
from tests.ui.conftest import shown

HOLD = 0.3  # seconds: the real default is 3, the logic is the same


class Window(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.keys: list[int] = []
        self.menus = 0
        self.closed = False
        self.edit = QLineEdit(self)
        QVBoxLayout(self).addWidget(self.edit)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.keys.append(event.key())

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.menus += 1

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed = True
        super().closeEvent(event)


@pytest.fixture
def window(qtbot: QtBot) -> Window:
    return shown(qtbot, Window(), (800, 600))


@pytest.fixture
def lockdown(window: Window, manual_clock: ManualClock) -> Iterator[Lockdown]:
    lock = Lockdown(window, "top-left", HOLD, locked=True, clock=manual_clock)
    QApplication.instance().installEventFilter(lock)  # type: ignore[union-attr]
    yield lock
    QApplication.instance().removeEventFilter(lock)  # type: ignore[union-attr]


def test_close_requests_are_ignored_until_staff_allow_them(
    window: Window, lockdown: Lockdown
) -> None:
    assert not window.close()  # what a window manager's close button or Alt+F4 asks for
    assert window.isVisible() and not window.closed
    lockdown.allow_close = True
    assert window.close()
    assert window.closed


@pytest.mark.parametrize(
    ("key", "modifiers"),
    [
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Super_L, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_D, Qt.KeyboardModifier.MetaModifier),
    ],
)
def test_keys_do_nothing_for_a_visitor(
    window: Window, lockdown: Lockdown, key: Qt.Key, modifiers: Qt.KeyboardModifier
) -> None:
    QTest.keyClick(window, key, modifiers)
    window.edit.setFocus()
    QTest.keyClick(window.edit, key, modifiers)
    assert window.keys == []
    assert window.edit.text() == ""
    assert window.isVisible()


def test_plain_keys_still_reach_the_exhibit(window: Window, lockdown: Lockdown) -> None:
    QTest.keyClick(window, Qt.Key.Key_Right)
    QTest.keyClick(window, Qt.Key.Key_Return)
    assert window.keys == [Qt.Key.Key_Right, Qt.Key.Key_Return]


def test_shortcuts_do_not_fire(window: Window, lockdown: Lockdown) -> None:
    fired: list[bool] = []
    shortcut = QShortcut(QKeySequence("Ctrl+Q"), window)
    shortcut.activated.connect(lambda: fired.append(True))
    plain = QShortcut(QKeySequence("H"), window)  # even a plain key bound as a shortcut
    plain.activated.connect(lambda: fired.append(False))
    QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window, Qt.Key.Key_H)
    assert fired == []
    lockdown.locked = False  # the same key, unlocked, does fire: the test can tell
    QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert fired == [True]


def test_unlocked_the_same_keys_work(window: Window, lockdown: Lockdown) -> None:
    lockdown.locked = False
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert window.keys == [Qt.Key.Key_Escape]
    assert window.close()


def test_staff_widgets_get_their_keys(window: Window, lockdown: Lockdown) -> None:
    mark_staff(window.edit)
    window.edit.setFocus()
    QTest.keyClicks(window.edit, "4821")
    assert window.edit.text() == "4821"


def test_no_context_menu(window: Window, lockdown: Lockdown) -> None:
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, QPoint(10, 10), window.mapToGlobal(QPoint(10, 10))
    )
    QApplication.sendEvent(window, event)
    QTest.mouseClick(window, Qt.MouseButton.RightButton, pos=QPoint(50, 50))
    assert window.menus == 0


def _count(lockdown: Lockdown) -> list[bool]:
    requests: list[bool] = []
    lockdown.staff_requested.connect(lambda: requests.append(True))
    return requests


def test_a_long_mouse_press_in_the_corner_asks_for_staff(
    window: Window, lockdown: Lockdown, manual_clock: ManualClock
) -> None:
    requests = _count(lockdown)
    QTest.mousePress(window, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    assert lockdown.holding
    manual_clock.advance(HOLD - 0.01)
    assert requests == []
    manual_clock.advance(0.02)
    assert requests == [True]
    QTest.mouseRelease(window, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))


def test_a_long_finger_press_in_the_corner_asks_for_staff(
    window: Window, lockdown: Lockdown, touchscreen: QPointingDevice, manual_clock: ManualClock
) -> None:
    requests = _count(lockdown)
    QTest.touchEvent(window, touchscreen).press(0, QPoint(30, 30)).commit()
    manual_clock.advance(HOLD + 1)  # held on: asked once
    assert requests == [True]
    QTest.touchEvent(window, touchscreen).release(0, QPoint(30, 30)).commit()
    assert not lockdown.holding


@pytest.mark.parametrize("where", ["short", "outside", "dragged-away", "other-corner"])
def test_other_presses_do_not(
    window: Window,
    lockdown: Lockdown,
    touchscreen: QPointingDevice,
    manual_clock: ManualClock,
    where: str,
) -> None:
    requests = _count(lockdown)
    start = QPoint(window.width() - 20, 20) if where == "other-corner" else QPoint(20, 20)
    if where == "outside":
        start = QPoint(CORNER_SIZE + 40, CORNER_SIZE + 40)
    QTest.touchEvent(window, touchscreen).press(0, start).commit()
    if where == "short":
        QTest.touchEvent(window, touchscreen).release(0, start).commit()
    if where == "dragged-away":
        QTest.touchEvent(window, touchscreen).move(0, QPoint(400, 300)).commit()
    manual_clock.advance(HOLD + 0.2)
    assert requests == []
    QTest.touchEvent(window, touchscreen).release(0, start).commit()


def test_the_corner_is_configurable(
    window: Window, touchscreen: QPointingDevice, manual_clock: ManualClock
) -> None:
    lock = Lockdown(window, "bottom-right", HOLD, clock=manual_clock)
    QApplication.instance().installEventFilter(lock)  # type: ignore[union-attr]
    try:
        requests = _count(lock)
        point = QPoint(window.width() - 10, window.height() - 10)
        QTest.touchEvent(window, touchscreen).press(0, point).commit()
        manual_clock.advance(HOLD)
        assert requests == [True]
        QTest.touchEvent(window, touchscreen).release(0, point).commit()
    finally:
        QApplication.instance().removeEventFilter(lock)  # type: ignore[union-attr]
