"""The timeline: the bundle's days in both calendars, a tapped day lights its events, play walks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF
from PySide6.QtGui import QPointingDevice
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from kiosk.content import Bundle, load_bundle
from kiosk.content.starter import create_starter
from kiosk.ui.journey.timeline import STEP_SECONDS, bundle_days, events_on
from kiosk.ui.qt.clock import ManualClock
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.touch import drag, tap

FEB_27 = dt.date(1917, 2, 27)


def _centre(widget: QWidget) -> QPoint:
    return widget.rect().center()


def test_the_days_run_from_the_bundles_start_to_its_end_in_both_calendars(
    window: MainWindow,
) -> None:
    days = list(window.timeline.day_buttons)
    assert days == bundle_days(window.bundle)
    assert days[0] == dt.date(1917, 2, 23) and days[-1] == dt.date(1917, 3, 3)
    assert window.timeline.day_buttons[days[0]].label() == ("23 February", "8 March")
    assert window.timeline.day_buttons[days[-1]].label() == ("3 March", "16 March")
    window.state.set_language("ru")
    assert window.timeline.day_buttons[days[0]].label() == ("23 февраля", "8 марта")


def test_an_event_spanning_days_is_on_each_of_them(bundle: Bundle) -> None:
    spanning = next(e for e in bundle.events if e.date_end is not None)
    assert spanning.date_end is not None
    last = spanning.date_end
    assert spanning.id in events_on(bundle, spanning.date)
    assert spanning.id in events_on(bundle, last)
    assert spanning.id not in events_on(bundle, last + dt.timedelta(days=1))


def test_tapping_a_day_lights_its_events_and_dims_the_rest(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    button = window.timeline.day_buttons[FEB_27]
    tap(button, touchscreen, _centre(button))
    assert window.state.day == FEB_27
    lit = set(events_on(window.bundle, FEB_27))
    assert len(lit) >= 2
    for event_id, marker in window.map_view.markers.items():
        assert marker.dimmed == (event_id not in lit), event_id
    assert button.chosen

    other = window.timeline.day_buttons[dt.date(1917, 3, 2)]
    tap(other, touchscreen, _centre(other))
    assert not button.chosen and other.chosen
    markers = window.map_view.markers
    assert markers["volynsky-mutiny"].dimmed and not markers["abdication-pskov"].dimmed

    tap(other, touchscreen, _centre(other))  # the chosen day again: back to every day
    assert window.state.day is None
    assert not any(marker.dimmed for marker in window.map_view.markers.values())


def test_every_timeline_and_bar_control_is_finger_sized_in_the_lower_part(
    window: MainWindow,
) -> None:
    controls: list[QWidget] = [window.timeline.play_button, *window.timeline.day_buttons.values()]
    controls += window.bottom_bar.findChildren(QPushButton)
    assert len(controls) >= 9 + 1 + 5
    for control in controls:
        top_left = control.mapTo(window, QPoint(0, 0))
        assert control.width() >= 48 and control.height() >= 48, control.objectName()
        assert top_left.y() >= window.height() * 0.75, control.objectName()


def test_play_walks_through_the_story_and_a_touch_stops_it(
    clocked_window: MainWindow, manual_clock: ManualClock, touchscreen: QPointingDevice
) -> None:
    window = clocked_window
    events = window.bundle.events
    play = window.timeline.play_button
    tap(play, touchscreen, _centre(play))
    assert window.player.playing
    assert window.state.selected == events[0].id
    assert window.state.day == events[0].date
    for n in range(1, 4):
        manual_clock.advance(STEP_SECONDS)
        assert window.state.selected == events[n].id
    assert window.panel.isVisible() and window.panel.event_id == events[3].id

    # A finger on the map (a drag, so it taps nothing) stops the walk where it is.
    drag(window.map_view.viewport(), touchscreen, QPointF(300, 600), (120, 40))
    assert not window.player.playing
    manual_clock.advance(STEP_SECONDS * 3)
    assert window.state.selected == events[3].id


def test_play_continues_after_the_chosen_event_and_its_button_stops_it(
    clocked_window: MainWindow, manual_clock: ManualClock, touchscreen: QPointingDevice
) -> None:
    window = clocked_window
    events = window.bundle.events
    window.state.select(events[5].id)
    play = window.timeline.play_button
    tap(play, touchscreen, _centre(play))
    assert window.state.selected == events[6].id
    tap(play, touchscreen, _centre(play))
    assert not window.player.playing
    manual_clock.advance(STEP_SECONDS * 2)
    assert window.state.selected == events[6].id


def test_play_stops_after_the_last_event(
    clocked_window: MainWindow, manual_clock: ManualClock
) -> None:
    window = clocked_window
    window.player.start()
    manual_clock.advance(STEP_SECONDS * (len(window.bundle.events) + 2))
    assert not window.player.playing
    assert window.state.selected == window.bundle.events[-1].id


def test_a_gregorian_bundle_shows_one_date_a_day(
    qtbot: QtBot, fonts: list[str], tmp_path: Path
) -> None:
    create_starter(tmp_path / "starter")
    bundle = load_bundle(tmp_path / "starter")
    assert bundle.manifest.calendar == "gregorian"
    window = MainWindow(bundle)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    buttons = list(window.timeline.day_buttons.values())
    assert [b.day for b in buttons] == bundle_days(bundle)
    assert all(b.new_style is None and b.label()[1] == "" for b in buttons)
