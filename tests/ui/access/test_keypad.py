"""The visitor's keypad: step through the events, open, scroll, close, text size, help, volume.

Keys are sent to the window's QWindow, where a keypad's keys arrive (as touches do); the idle
timer counts them as a visitor; lockdown lets the key map's keys through and nothing more.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.content import Bundle
from kiosk.runtime.accessibility import AccessibilitySettings
from kiosk.ui.journey.idle import COUNTDOWN_SECONDS, Phase
from kiosk.ui.journey.options import DisplayOptions
from kiosk.ui.journey.words import tr
from kiosk.ui.qt.clock import ManualClock
from kiosk.ui.qt.staff_marks import mark_staff
from kiosk.ui.shell.main_window import MainWindow
from kiosk.ui.staff.lockdown import Lockdown
from tests.ui.conftest import settle

IDLE = 60
Key = Qt.Key


def press(window: MainWindow, key: Qt.Key, text: str = "") -> None:
    handle = window.windowHandle()
    assert handle is not None
    QTest.keyClick(handle, key, Qt.KeyboardModifier.NoModifier)
    QApplication.processEvents()


@pytest.fixture
def accessibility_events(monkeypatch: pytest.MonkeyPatch) -> list[QAccessibleEvent]:
    seen: list[QAccessibleEvent] = []
    original = QAccessible.updateAccessibility

    def update(event: QAccessibleEvent) -> None:
        seen.append(event)
        original(event)

    monkeypatch.setattr(QAccessible, "updateAccessibility", staticmethod(update))
    return seen


def test_left_and_right_step_through_the_story_with_a_focus_ring(
    window: MainWindow, accessibility_events: list[QAccessibleEvent]
) -> None:
    events = window.bundle.events
    press(window, Key.Key_Right)
    assert window.keypad.focused == events[0].id
    assert window.keypad.ring.isVisible()
    settle(window)
    view = window.map_view
    assert view.viewport().rect().contains(view.marker_screen_pos(events[0].id).toPoint())
    press(window, Key.Key_Right)
    press(window, Key.Key_Right)
    assert window.keypad.focused == events[2].id
    press(window, Key.Key_Left)
    assert window.keypad.focused == events[1].id
    assert window.state.selected is None  # stepping only looks; select opens
    focus = [e for e in accessibility_events if e.type() == QAccessible.Event.Focus]
    assert focus and focus[-1].child() == 1  # the screen reader's focus follows, in the list
    spoken = [
        e.message() for e in accessibility_events if isinstance(e, QAccessibleAnnouncementEvent)
    ]
    assert spoken == []  # stepping is followed by focus events, not shouted


def test_select_opens_up_and_down_scroll_back_closes(window: MainWindow) -> None:
    window.state.set_appearance(window.state.appearance.__class__(large_text=True))
    events = window.bundle.events
    press(window, Key.Key_Right)
    press(window, Key.Key_Return)
    assert window.panel.isVisible() and window.state.selected == events[0].id
    bar = window.panel._scroll.verticalScrollBar()
    QApplication.processEvents()
    assert bar.maximum() > 0, "the text should be longer than the panel in large text"
    press(window, Key.Key_Down)
    assert bar.value() > 0
    scrolled = bar.value()
    press(window, Key.Key_Up)
    assert bar.value() < scrolled
    press(window, Key.Key_Right)  # an open panel turns its page
    assert window.state.selected == events[1].id and window.keypad.focused == events[1].id
    press(window, Key.Key_Backspace)
    assert not window.panel.isVisible() and window.state.selected is None
    assert window.keypad.focused == events[1].id  # select opens it again
    press(window, Key.Key_Space)
    assert window.state.selected == events[1].id


def test_back_closes_a_quotation_before_the_panel(window: MainWindow) -> None:
    event = window.bundle.event("volynsky-mutiny")
    window.state.select(event.id)
    window.quote_view.show_quote(event.quotes[0])
    press(window, Key.Key_Backspace)
    assert not window.quote_view.isVisible() and window.panel.isVisible()
    press(window, Key.Key_Backspace)
    assert not window.panel.isVisible()


def test_plus_and_minus_change_the_text_size(window: MainWindow) -> None:
    press(window, Key.Key_Plus)
    assert window.state.appearance.large_text
    press(window, Key.Key_Minus)
    assert not window.state.appearance.large_text


def test_help_is_shown_and_spoken_until_the_next_key(
    window: MainWindow, accessibility_events: list[QAccessibleEvent]
) -> None:
    window.state.set_language("ru")
    press(window, Key.Key_F1)
    assert window.keypad.help.isVisible()
    assert window.keypad.help.title.text() == tr("ru", "keys_title")
    spoken = [
        e.message() for e in accessibility_events if isinstance(e, QAccessibleAnnouncementEvent)
    ]
    assert spoken[-1].startswith(tr("ru", "keys_help"))
    assert spoken[-1].endswith("L язык, C контраст, D день, P показать историю.")
    press(window, Key.Key_Right)
    assert not window.keypad.help.isVisible()


def test_keyboard_letters_reach_language_contrast_days_and_play(
    window: MainWindow, accessibility_events: list[QAccessibleEvent]
) -> None:
    press(window, Key.Key_L)
    assert window.state.language == "ru"
    press(window, Key.Key_L)
    assert window.state.language == "en"  # round the bundle's languages
    press(window, Key.Key_C)
    assert window.state.appearance.high_contrast
    spoken = [
        e.message() for e in accessibility_events if isinstance(e, QAccessibleAnnouncementEvent)
    ]
    assert spoken[-1] == "High contrast: on"
    days = [d for d, b in window.timeline.day_buttons.items() if b.events]
    press(window, Key.Key_D)
    assert window.state.day == days[0]
    press(window, Key.Key_D)
    assert window.state.day == days[1]
    for _ in days[2:]:
        press(window, Key.Key_D)
    press(window, Key.Key_D)
    assert window.state.day is None  # after the last day: every day again
    press(window, Key.Key_P)
    assert window.player.playing
    press(window, Key.Key_P)
    assert not window.player.playing


def test_volume_keys_change_the_volume_within_bounds(window: MainWindow) -> None:
    start = window.keypad.volume
    press(window, Key.Key_VolumeUp)
    assert window.keypad.volume == pytest.approx(min(1.0, start + 0.1))
    for _ in range(15):
        press(window, Key.Key_VolumeDown)
    assert window.keypad.volume == 0.0


def test_the_key_map_comes_from_the_installation(
    qtbot: QtBot, bundle: Bundle, fonts: list[str]
) -> None:
    settings = AccessibilitySettings(keys={"next": ("N",), "help": ("H",)})
    window = MainWindow(bundle, options=DisplayOptions(accessibility=settings))
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    press(window, Key.Key_Right)
    assert window.keypad.focused is None  # Right is no longer "next"
    press(window, Key.Key_N)
    assert window.keypad.focused == bundle.events[0].id
    press(window, Key.Key_H)
    assert window.keypad.help.isVisible()


@pytest.fixture
def locked(window: MainWindow) -> Iterator[Lockdown]:
    lock = Lockdown(window, visitor_keys=window.keypad.keys)
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(lock)
    yield lock
    app.removeEventFilter(lock)


def test_lockdown_lets_the_keypads_keys_through_and_nothing_else(
    window: MainWindow, locked: Lockdown
) -> None:
    press(window, Key.Key_F1)  # a function key, refused to visitors unless it is the help key
    assert window.keypad.help.isVisible()
    locked.visitor_keys = frozenset()
    window.keypad.help.hide()
    press(window, Key.Key_F1)
    assert not window.keypad.help.isVisible()
    handle = window.windowHandle()
    assert handle is not None
    QTest.keyClick(handle, Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert window.keypad.focused is None  # a modified arrow is never the keypad's


def test_keys_keep_the_kiosk_awake_and_the_reset_still_comes(
    clocked_window: MainWindow, manual_clock: ManualClock
) -> None:
    window = clocked_window
    window.idle.touched()
    for _ in range(3):
        manual_clock.advance(IDLE - 10)
        press(window, Key.Key_Right)
    assert window.idle.phase is Phase.ACTIVE
    press(window, Key.Key_Return)
    assert window.panel.isVisible()
    manual_clock.advance(IDLE + 1)
    assert window.idle.phase is Phase.COUNTDOWN
    press(window, Key.Key_Right)  # the first key only wakes the kiosk
    assert window.idle.phase is Phase.ACTIVE
    assert window.state.selected == window.keypad.focused
    manual_clock.advance(IDLE + 1)
    manual_clock.advance(COUNTDOWN_SECONDS + 0.5)
    assert window.idle.phase is Phase.ATTRACT
    assert window.keypad.focused is None and not window.keypad.ring.isVisible()
    assert not window.panel.isVisible()


def test_the_pin_pad_and_the_admin_screen_keep_their_keys(window: MainWindow) -> None:
    staff = QWidget(window)  # as the PIN pad is: a marked child of the kiosk's window
    mark_staff(staff)
    staff.show()
    press(window, Key.Key_Right)
    press(window, Key.Key_Backspace)
    assert window.keypad.focused is None
    staff.hide()
    press(window, Key.Key_Right)
    assert window.keypad.focused == window.bundle.events[0].id


def test_a_keyboards_shifted_plus_and_question_mark_work(window: MainWindow) -> None:
    handle = window.windowHandle()
    assert handle is not None
    QTest.keyClick(handle, Key.Key_Plus, Qt.KeyboardModifier.ShiftModifier)  # + is Shift+=
    assert window.state.appearance.large_text
    QTest.keyClick(handle, Key.Key_Question, Qt.KeyboardModifier.ShiftModifier)
    assert window.keypad.help.isVisible()


def test_outside_opening_hours_keys_do_nothing(window: MainWindow) -> None:
    window.set_closed(True)
    press(window, Key.Key_Right)
    press(window, Key.Key_F1)
    assert window.keypad.focused is None and not window.keypad.help.isVisible()
    window.set_closed(False)
    press(window, Key.Key_Right)  # wakes the attract loop
    press(window, Key.Key_Right)
    assert window.keypad.focused == window.bundle.events[0].id
