"""Idle reset: after the idle time a "Still there?" countdown, any touch cancels it, then a reset.

Time is a ManualClock: a minute of idleness passes in one call.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QPointingDevice
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.content import Bundle
from kiosk.ui.journey.idle import COUNTDOWN_SECONDS, Phase
from kiosk.ui.journey.options import DisplayOptions
from kiosk.ui.journey.theme import Appearance
from kiosk.ui.journey.timeline import STEP_SECONDS
from kiosk.ui.qt.clock import ManualClock
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.conftest import marker_in_view
from tests.ui.touch import drag, tap

IDLE = 60  # the Petrograd bundle's idle_seconds


def test_the_countdown_comes_after_the_bundles_idle_time(
    clocked_window: MainWindow, manual_clock: ManualClock
) -> None:
    window = clocked_window
    assert window.idle.idle_seconds == window.bundle.manifest.idle_seconds == IDLE
    manual_clock.advance(IDLE - 1)
    assert window.idle.phase is Phase.ACTIVE and not window.countdown.isVisible()
    manual_clock.advance(1.5)
    assert window.idle.phase is Phase.COUNTDOWN
    assert window.countdown.isVisible()
    assert window.countdown.seconds_left == COUNTDOWN_SECONDS
    manual_clock.advance(4)
    assert window.countdown.seconds_left == COUNTDOWN_SECONDS - 4


def test_a_touch_cancels_the_countdown_and_taps_nothing(
    clocked_window: MainWindow, manual_clock: ManualClock, touchscreen: QPointingDevice
) -> None:
    window = clocked_window
    manual_clock.advance(IDLE + 1)
    assert window.idle.phase is Phase.COUNTDOWN
    marker = marker_in_view(window, "volynsky-mutiny")
    tap(window.map_view.viewport(), touchscreen, marker)
    assert window.idle.phase is Phase.ACTIVE
    assert not window.countdown.isVisible()
    assert window.state.selected is None  # the touch answered "still there", nothing more
    manual_clock.advance(COUNTDOWN_SECONDS + 5)
    assert window.idle.phase is Phase.ACTIVE  # idleness counts again from that touch
    tap(window.map_view.viewport(), touchscreen, marker)
    assert window.state.selected == "volynsky-mutiny"


def test_touching_keeps_the_kiosk_awake(
    clocked_window: MainWindow, manual_clock: ManualClock, touchscreen: QPointingDevice
) -> None:
    window = clocked_window
    for _ in range(4):
        manual_clock.advance(IDLE - 10)
        drag(window.map_view.viewport(), touchscreen, QPointF(400, 500), (60, 0), steps=3)
    assert window.idle.phase is Phase.ACTIVE


def test_a_mouse_click_counts_as_a_touch(
    clocked_window: MainWindow, manual_clock: ManualClock, qtbot: QtBot
) -> None:
    window = clocked_window
    manual_clock.advance(IDLE - 10)
    handle = window.windowHandle()
    assert handle is not None
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    manual_clock.advance(IDLE - 1)
    assert window.idle.phase is Phase.ACTIVE
    manual_clock.advance(1.5)
    assert window.idle.phase is Phase.COUNTDOWN


def test_after_the_countdown_everything_starts_again(
    clocked_window: MainWindow, manual_clock: ManualClock, touchscreen: QPointingDevice
) -> None:
    window = clocked_window
    window.state.set_language("ru")
    window.state.set_day(dt.date(1917, 2, 27))
    window.state.set_appearance(Appearance(large_text=True, high_contrast=True))
    window.map_view.zoom_by(3.0, QPointF(500, 400))
    window.state.select("volynsky-mutiny")
    assert window.panel.isVisible()
    window.quote_view.show_quote(window.bundle.event("volynsky-mutiny").quotes[0])
    assert window.quote_view.isVisible()
    window.credits_panel.show()
    manual_clock.advance(IDLE + 1)
    assert window.countdown.language == "ru"  # asked in the visitor's own language

    manual_clock.advance(COUNTDOWN_SECONDS + 0.5)
    assert window.idle.phase is Phase.ATTRACT
    assert not window.countdown.isVisible()
    assert not window.panel.isVisible() and window.state.selected is None
    assert not window.quote_view.isVisible()
    assert not window.person_panel.isVisible() and not window.credits_panel.isVisible()
    assert window.state.language == window.bundle.default_language
    assert window.state.day is None
    assert not any(marker.dimmed for marker in window.map_view.markers.values())
    assert window.state.appearance == Appearance()
    assert window.attract.running


def test_the_installation_can_shorten_the_idle_time(
    qtbot: QtBot, bundle: Bundle, fonts: list[str]
) -> None:
    clock = ManualClock()
    window = MainWindow(bundle, options=DisplayOptions(idle_seconds=20), clock=clock)
    qtbot.addWidget(window)
    clock.advance(21)
    assert window.idle.phase is Phase.COUNTDOWN


def test_no_countdown_while_the_story_plays(
    clocked_window: MainWindow, manual_clock: ManualClock, touchscreen: QPointingDevice
) -> None:
    window = clocked_window
    play = window.timeline.play_button
    tap(play, touchscreen, play.rect().center())
    manual_clock.advance(IDLE * 2)
    assert window.player.playing and window.idle.phase is Phase.ACTIVE
    window.player.stop()
    manual_clock.advance(IDLE - 1)
    assert window.idle.phase is Phase.ACTIVE
    manual_clock.advance(STEP_SECONDS)
    assert window.idle.phase is Phase.COUNTDOWN
