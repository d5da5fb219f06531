"""The probe on the real MainWindow: synthetic touches in, the right rows in the database out.

Time is a ManualClock, so sessions, dwell times and the idle reset are exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QPointingDevice
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.analytics.recorder import Recorder
from kiosk.analytics.schema import TAP_CELL_M
from kiosk.ui.journey.idle import COUNTDOWN_SECONDS, Phase
from kiosk.ui.qt.clock import ManualClock
from kiosk.ui.shell.analytics_probe import AnalyticsProbe
from kiosk.ui.shell.main_window import MainWindow
from tests.analytics.conftest import rows
from tests.ui.conftest import marker_in_view
from tests.ui.touch import tap

WALL_START = dt.datetime(2026, 5, 1, 10, 0).timestamp()  # local 10:00 when the test starts
IDLE = 60


@pytest.fixture
def probe(
    clocked_window: MainWindow, recorder: Recorder, manual_clock: ManualClock
) -> Iterator[AnalyticsProbe]:
    start = manual_clock.now()
    made = AnalyticsProbe(recorder, wall=lambda: WALL_START + manual_clock.now() - start)
    clocked_window.start_attract()
    made.attach(clocked_window)
    yield made
    made.detach()


def _tap_widget(widget: QWidget, touchscreen: QPointingDevice) -> None:
    tap(widget, touchscreen, widget.rect().center())


def _bare_map_point(window: MainWindow) -> QPointF:
    """A point on the map with no marker under it."""
    view = window.map_view
    for x in range(300, 1200, 37):
        point = QPointF(x, 600)
        if view.marker_at(point) is None:
            return point
    raise AssertionError("no bare map point found")


def test_a_visit_is_recorded_from_the_first_touch_to_the_idle_reset(
    clocked_window: MainWindow,
    manual_clock: ManualClock,
    touchscreen: QPointingDevice,
    probe: AnalyticsProbe,
    recorder: Recorder,
) -> None:
    window = clocked_window
    folder = recorder.folder
    manual_clock.advance(30)  # the attract loop runs for half a minute
    assert window.idle.phase is Phase.ATTRACT
    tap(window.map_view.viewport(), touchscreen, _bare_map_point(window))  # ends the loop
    assert window.idle.phase is Phase.ACTIVE

    manual_clock.advance(2)
    QApplication.processEvents()
    marker = marker_in_view(window, "volynsky-mutiny")
    to_scene, _ = window.map_view.viewportTransform().inverted()
    scene = to_scene.map(QPointF(marker.toPoint()))  # where the finger lands
    tap(window.map_view.viewport(), touchscreen, marker)
    assert window.state.selected == "volynsky-mutiny"
    manual_clock.advance(20)
    quote = window.panel.findChild(QWidget, "quote")
    assert quote is not None
    window.panel._scroll.ensureWidgetVisible(quote)
    _tap_widget(quote, touchscreen)
    assert window.quote_view.isVisible()
    manual_clock.advance(8)
    _tap_widget(window.quote_view.close_button, touchscreen)
    assert not window.quote_view.isVisible()
    manual_clock.advance(1)
    _tap_widget(window.bottom_bar.language_buttons["ru"], touchscreen)
    day = sorted(window.timeline.day_buttons)[2]
    _tap_widget(window.timeline.day_buttons[day], touchscreen)
    manual_clock.advance(4)
    last_touch = manual_clock.now()
    _tap_widget(window.panel.close_button, touchscreen)
    assert window.state.selected is None

    manual_clock.advance(IDLE + COUNTDOWN_SECONDS + 1)  # the visitor has gone: reset
    assert window.idle.phase is Phase.ATTRACT
    assert recorder.flush()

    [session] = rows(
        folder,
        "SELECT bundle_id, bundle_version, started, last_touch, end_reason, languages, touches, "
        "start_language FROM sessions",
    )
    bundle = window.bundle
    assert session[:2] == (bundle.manifest.id, bundle.manifest.version)
    started, last, reason, languages, touches, start_language = session[2:]
    assert started == pytest.approx(WALL_START + 30)
    assert float(last) - float(started) == pytest.approx(last_touch - 1030, abs=0.01)
    assert (reason, languages, touches, start_language) == ("idle", "en,ru", 7, "en")

    # Written when they are over: an event's row when its panel closed.
    actions = rows(folder, "SELECT kind, subject, seconds, via FROM actions ORDER BY rowid")
    kinds = [a[0] for a in actions]
    assert kinds == ["attract_interrupted", "quote", "language", "day", "event"]
    interrupted, quoted, language, chosen_day, event = actions
    assert interrupted[2] == pytest.approx(30)
    assert event[1] == "volynsky-mutiny" and event[3] == "visitor"
    assert event[2] == pytest.approx(20 + 8 + 1 + 4)  # open until the visitor closed it
    assert quoted[2] == pytest.approx(8)
    assert quoted[1] in bundle.event("volynsky-mutiny").quotes
    assert language[1] == "ru"
    assert chosen_day[1] == day.isoformat()

    # Only the marker's tap is placed on the map: the touch that ended the attract loop did
    # nothing there, and the panel, buttons and timeline are not the map.
    # (QTest's touch points land a pixel or two from the point asked for: within one cell.)
    [(cell_x, cell_y)] = rows(folder, "SELECT cell_x, cell_y FROM taps ORDER BY at")
    assert abs(int(cell_x) - scene.x() // TAP_CELL_M) <= 1
    assert abs(int(cell_y) - scene.y() // TAP_CELL_M) <= 1


def test_a_touch_during_the_countdown_keeps_the_session(
    clocked_window: MainWindow,
    manual_clock: ManualClock,
    touchscreen: QPointingDevice,
    probe: AnalyticsProbe,
    recorder: Recorder,
) -> None:
    window = clocked_window
    viewport = window.map_view.viewport()
    tap(viewport, touchscreen, _bare_map_point(window))
    tap(viewport, touchscreen, marker_in_view(window, "volynsky-mutiny"))
    manual_clock.advance(IDLE + 3)
    assert window.idle.phase is Phase.COUNTDOWN
    tap(viewport, touchscreen, _bare_map_point(window))  # "still there"
    manual_clock.advance(IDLE + COUNTDOWN_SECONDS + 1)
    assert recorder.flush()
    [(touches, reason)] = rows(recorder.folder, "SELECT touches, end_reason FROM sessions")
    assert (touches, reason) == (3, "idle")
    kinds = rows(recorder.folder, "SELECT kind, seconds FROM actions ORDER BY at")
    assert [k for k, _ in kinds] == ["attract_interrupted", "event", "countdown_rescued"]
    # Left open when the visitor walked away: counted until "Still there?" appeared the second
    # time (the first countdown was answered, so the visitor was still reading then).
    assert kinds[1][1] == pytest.approx(IDLE + 3 + IDLE, abs=0.3)


def test_each_visit_is_its_own_session_and_the_reset_itself_is_not_recorded(
    clocked_window: MainWindow,
    manual_clock: ManualClock,
    touchscreen: QPointingDevice,
    probe: AnalyticsProbe,
    recorder: Recorder,
) -> None:
    window = clocked_window
    viewport = window.map_view.viewport()
    for visit in range(3):
        tap(viewport, touchscreen, _bare_map_point(window))
        _tap_widget(window.bottom_bar.language_buttons["ru" if visit % 2 else "en"], touchscreen)
        manual_clock.advance(10)
        tap(viewport, touchscreen, _bare_map_point(window))
        manual_clock.advance(IDLE + COUNTDOWN_SECONDS + 1)
        assert window.idle.phase is Phase.ATTRACT
        manual_clock.advance(100)  # nobody for a while
    assert recorder.flush()
    sessions = rows(recorder.folder, "SELECT started, last_touch, languages FROM sessions")
    assert len({s[0] for s in sessions}) == 3
    assert [s[2] for s in sorted(sessions)] == ["en", "en,ru", "en"]
    for started, last, _ in sessions:
        assert float(last) - float(started) == pytest.approx(10)
    # The reset switches the language back, with nobody there: not a visitor's choice.
    languages = rows(recorder.folder, "SELECT subject FROM actions WHERE kind = 'language'")
    assert languages == [("ru",)]


def test_the_story_playing_is_told_apart_from_the_visitors_own_choices(
    clocked_window: MainWindow,
    manual_clock: ManualClock,
    touchscreen: QPointingDevice,
    probe: AnalyticsProbe,
    recorder: Recorder,
) -> None:
    window = clocked_window
    tap(window.map_view.viewport(), touchscreen, _bare_map_point(window))
    _tap_widget(window.timeline.play_button, touchscreen)
    assert window.player.playing
    manual_clock.advance(20)
    _tap_widget(window.timeline.play_button, touchscreen)
    assert not window.player.playing
    probe.detach()
    assert recorder.flush()
    actions = rows(recorder.folder, "SELECT kind, via FROM actions ORDER BY at")
    assert ("play", None) in actions
    assert all(via == "play" for kind, via in actions if kind == "event")
    assert [kind for kind, _ in actions].count("event") >= 2
    assert not [a for a in actions if a[0] == "day"]  # the player's days are not taps
    [(reason,)] = rows(recorder.folder, "SELECT end_reason FROM sessions")
    assert reason == "stopped"


def test_people_and_credits_are_counted(
    clocked_window: MainWindow,
    touchscreen: QPointingDevice,
    probe: AnalyticsProbe,
    recorder: Recorder,
) -> None:
    window = clocked_window
    tap(window.map_view.viewport(), touchscreen, _bare_map_point(window))  # ends the attract loop
    tap(window.map_view.viewport(), touchscreen, marker_in_view(window, "volynsky-mutiny"))
    button = window.panel.findChild(QAbstractButton, "person-kirpichnikov")
    assert button is not None
    window.panel._scroll.ensureWidgetVisible(button)
    QApplication.processEvents()
    _tap_widget(button, touchscreen)
    assert window.person_panel.isVisible()
    _tap_widget(window.person_panel.back_button, touchscreen)
    window.state.select(None)
    QApplication.processEvents()
    _tap_widget(window.credits_button, touchscreen)
    assert window.credits_panel.isVisible()
    probe.detach()
    assert recorder.flush()
    actions = rows(
        recorder.folder,
        "SELECT kind, subject FROM actions WHERE kind IN ('person', 'credits') ORDER BY rowid",
    )
    assert actions == [("person", "kirpichnikov"), ("credits", None)]


def test_a_swapped_bundle_keeps_being_recorded(
    qtbot: QtBot, fonts: list[str], recorder: Recorder
) -> None:
    from kiosk.paths import default_bundle
    from kiosk.ui.shell.host import BundleHost

    host = BundleHost()
    qtbot.addWidget(host)
    host.resize(1920, 1080)
    assert host.load(default_bundle())
    host.show()
    qtbot.waitExposed(host)
    probe = AnalyticsProbe(recorder)
    probe.watch_host(host)
    first = host.exhibit
    assert first is not None
    first.start_attract()
    assert host.load(default_bundle())  # an update swapped in while the loop ran
    second = host.exhibit
    assert second is not None and second is not first
    QApplication.processEvents()
    second.touches.pressed.emit(QPointF(500, 500))
    assert probe.session is not None
    first.touches.pressed.emit(QPointF(500, 500))  # the old window no longer counts
    assert probe.session.touches == 1
    probe.detach()
    assert recorder.flush()
    assert rows(recorder.folder, "SELECT touches, end_reason FROM sessions") == [(1, "stopped")]


def test_the_installation_config_turns_recording_on(
    qtbot: QtBot, fonts: list[str], tmp_path: Path
) -> None:
    from kiosk.paths import default_bundle
    from kiosk.runtime.config import InstallationConfig
    from kiosk.ui.shell.analytics_probe import start_analytics
    from kiosk.ui.shell.host import BundleHost

    host = BundleHost()
    qtbot.addWidget(host)
    assert host.load(default_bundle())
    assert start_analytics(host, InstallationConfig()) is None  # no folder: nothing recorded
    folder = tmp_path / "analytics"
    config = InstallationConfig(analytics_folder=folder, kiosk_name="Hall 9")
    probe = start_analytics(host, config)
    assert probe is not None and host.exhibit is not None
    host.exhibit.touches.pressed.emit(QPointF(500, 500))
    probe.shutdown()  # as when the application quits
    assert rows(folder, "SELECT value FROM meta WHERE key = 'kiosk_name'") == [("Hall 9",)]
    assert rows(folder, "SELECT touches, end_reason FROM sessions") == [(1, "stopped")]


def test_a_corrected_wall_clock_is_followed_from_the_next_session(
    clocked_window: MainWindow,
    manual_clock: ManualClock,
    touchscreen: QPointingDevice,
    recorder: Recorder,
) -> None:
    # The kiosk booted with its clock an hour slow; the network set it right meanwhile.
    wall = {"error": -3600.0}
    probe = AnalyticsProbe(recorder, wall=lambda: WALL_START + manual_clock.now() + wall["error"])
    probe.attach(clocked_window)
    viewport = clocked_window.map_view.viewport()
    tap(viewport, touchscreen, _bare_map_point(clocked_window))
    manual_clock.advance(IDLE + COUNTDOWN_SECONDS + 1)
    wall["error"] = 0.0
    manual_clock.advance(100)
    tap(viewport, touchscreen, _bare_map_point(clocked_window))
    probe.detach()
    assert recorder.flush()
    starts = [s for (s,) in rows(recorder.folder, "SELECT started FROM sessions ORDER BY started")]
    assert starts[0] == pytest.approx(WALL_START + manual_clock.now() - 100 - 71 - 3600, abs=1)
    assert starts[1] == pytest.approx(WALL_START + manual_clock.now(), abs=1)
