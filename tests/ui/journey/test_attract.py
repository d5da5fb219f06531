"""The attract loop: drifting map, a gentle pulse, fading quotations, and "Touch to explore"."""

from __future__ import annotations

import math
from itertools import pairwise

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QPointingDevice
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from kiosk.app import build_window
from kiosk.content import Bundle
from kiosk.paths import default_bundle
from kiosk.ui.journey.attract import (
    FADE_SECONDS,
    MOVE_SECONDS,
    STOP_SECONDS,
    attract_stops,
    card_for,
)
from kiosk.ui.journey.idle import Phase
from kiosk.ui.journey.options import DisplayOptions
from kiosk.ui.journey.words import tr
from kiosk.ui.qt.clock import ManualClock
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.conftest import marker_in_view
from tests.ui.touch import tap


def _centre(window: MainWindow) -> QPointF:
    return window.map_view.mapToScene(window.map_view.viewport().rect().center())


def test_the_kiosk_starts_with_the_attract_loop(qtbot: QtBot, fonts: list[str]) -> None:
    host = build_window(default_bundle(), None)
    qtbot.addWidget(host)
    assert host.exhibit is not None
    assert host.exhibit.idle.phase is Phase.ATTRACT and host.exhibit.attract.running


def test_touch_to_explore_stands_in_every_bundle_language(
    clocked_window: MainWindow, manual_clock: ManualClock
) -> None:
    window = clocked_window
    window.start_attract()
    assert window.attract_overlay.isVisible()
    assert window.attract_overlay.invitations == [
        "Touch to explore",
        "Коснитесь экрана, чтобы начать",
    ]


def test_the_map_drifts_from_event_to_event(
    clocked_window: MainWindow, manual_clock: ManualClock
) -> None:
    window = clocked_window
    window.start_attract()
    assert math.isclose(window.map_view.zoom, 1.0, rel_tol=0.01)  # it opens on the whole map
    manual_clock.advance(MOVE_SECONDS)
    assert math.isclose(window.map_view.zoom, 2.0, rel_tol=0.01)  # and zooms in as it drifts
    visited = []
    for _ in range(4):
        manual_clock.advance(STOP_SECONDS)
        visited.append(_centre(window))
    moves = [math.dist(a.toTuple(), b.toTuple()) for a, b in pairwise(visited)]
    assert sum(1 for move in moves if move > 5) >= 2, moves

    # Gently: no jump between two frames is more than a small part of the screen.
    last = _centre(window)
    biggest = 0.0
    for _ in range(round(STOP_SECONDS * 30)):
        manual_clock.advance(1 / 30)
        now = _centre(window)
        scale = window.map_view.transform().m11()
        biggest = max(biggest, math.dist(now.toTuple(), last.toTuple()) * scale)
        last = now
    assert 0 < biggest < 40  # screen pixels per frame


def test_markers_pulse_no_faster_than_twice_a_second(
    clocked_window: MainWindow, manual_clock: ManualClock
) -> None:
    window = clocked_window
    window.start_attract()
    manual_clock.advance(0.1)
    rings = window.attract.rings
    ringed = [ring.parentItem() for ring in rings]
    shown = list(window.map_view.markers.values()) + window.map_view.cluster_items
    assert window.map_view.cluster_items, "at the drifting zoom some markers are clustered"
    assert all(any(item is parent for parent in ringed) for item in shown)
    seconds, step = 10.0, 0.01
    levels = []
    for _ in range(round(seconds / step)):
        manual_clock.advance(step)
        levels.append(rings[0].level)
    assert max(levels) - min(levels) > 0.5  # it does pulse
    assert all(ring.level == rings[0].level for ring in rings)  # together, not a flicker
    # A flash is a rise and fall: count the times the pulse rises through its middle.
    middle = (max(levels) + min(levels)) / 2
    rises = sum(1 for a, b in pairwise(levels) if a < middle <= b)
    assert rises / seconds <= 2.0
    assert rises >= 1


def test_quotations_fade_in_and_out_including_those_of_no_event(
    clocked_window: MainWindow, manual_clock: ManualClock, bundle: Bundle
) -> None:
    window = clocked_window
    stops = attract_stops(bundle)
    used = {q for e in bundle.events for q in e.quotes}
    spare = {q for q in bundle.quotes if q not in used}
    assert spare, "the Petrograd bundle has quotations of no event"
    shown = {id(stop.quote) for stop in stops if stop.event is None}
    assert shown == {id(bundle.quotes[q]) for q in spare}

    window.start_attract()
    started = manual_clock.now()
    overlay = window.attract_overlay
    opacities = []
    for _ in range(round(STOP_SECONDS * 10)):
        manual_clock.advance(0.1)
        opacities.append(overlay.card_opacity)
    assert min(opacities) < 0.05 and max(opacities) > 0.95
    # Fading, not blinking: opacity changes by no more than a frame's share of the fade.
    steps = [abs(b - a) for a, b in pairwise(opacities)]
    assert max(steps) <= 0.1 / FADE_SECONDS + 0.01

    # Somewhere in the loop, a quotation of no event is on the card, with its author.
    lenin = next(stop for stop in stops if stop.event is None)
    card = card_for(lenin, "en", bundle)
    assert card.heading == "" and card.author.startswith("— ")
    index = stops.index(lenin)
    manual_clock.advance(started + index * STOP_SECONDS + MOVE_SECONDS + 1 - manual_clock.now())
    assert (
        overlay.card is not None
        and overlay.card.author == card_for(lenin, overlay.card.language, bundle).author
    )


def test_the_first_touch_ends_the_loop_and_taps_nothing(
    clocked_window: MainWindow, manual_clock: ManualClock, touchscreen: QPointingDevice
) -> None:
    window = clocked_window
    window.start_attract()
    manual_clock.advance(STOP_SECONDS * 2 + 3)
    target = window.bundle.events[1].id
    pos = window.map_view.marker_screen_pos(target)
    assert window.map_view.marker_at(pos) is not None  # a marker lies under the finger
    tap(window.map_view.viewport(), touchscreen, pos)
    assert not window.attract.running and window.idle.phase is Phase.ACTIVE
    assert not window.attract_overlay.isVisible()
    assert window.state.selected is None
    assert window.attract.rings == []
    tap(window.map_view.viewport(), touchscreen, marker_in_view(window, target))
    assert window.state.selected == target


def test_reduced_motion_keeps_the_map_still_and_nothing_pulses(
    qtbot: QtBot, bundle: Bundle, fonts: list[str]
) -> None:
    clock = ManualClock()
    window = MainWindow(bundle, options=DisplayOptions(reduced_motion=True), clock=clock)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    window.start_attract()
    start = _centre(window)
    for _ in range(3):
        clock.advance(STOP_SECONDS)
        assert math.isclose(window.map_view.zoom, 1.0, rel_tol=1e-3)
        assert math.dist(_centre(window).toTuple(), start.toTuple()) < 1
    assert window.attract.rings == []
    assert window.attract_overlay.card is not None  # the quotations still come and go


def test_a_replaced_window_leaves_no_loop_running(qtbot: QtBot, fonts: list[str]) -> None:
    host = build_window(default_bundle(), None)
    qtbot.addWidget(host)
    old = host.exhibit
    assert old is not None and old.attract.running
    assert host.load(default_bundle())  # the bundle is swapped while the loop runs
    qtbot.waitUntil(lambda: not isValid(old), timeout=10_000)
    qtbot.wait(200)  # real frames of the new loop; none of the old one's (they would raise)
    assert host.exhibit is not None and host.exhibit is not old
    assert host.exhibit.attract.running  # the new bundle carries on the loop


def test_a_bundle_swapped_while_a_visitor_is_there_does_not_start_the_loop(
    qtbot: QtBot, fonts: list[str]
) -> None:
    host = build_window(default_bundle(), None)
    qtbot.addWidget(host)
    assert host.exhibit is not None
    host.exhibit.idle.touched()
    assert host.load(default_bundle())
    assert host.exhibit.idle.phase is Phase.ACTIVE and not host.exhibit.attract.running


@pytest.mark.parametrize("language", ["ru", "de", "fr", "es", "it"])
def test_the_words_between_visitors_exist_in_each_kiosk_language(language: str) -> None:
    keys = ["touch_to_explore", "still_there", "touch_to_stay", "play", "stop"]
    keys += ["large_text", "high_contrast"]
    for key in keys:
        assert tr(language, key) != tr("en", key), (language, key)


def test_the_invitation_stands_in_every_language_of_a_french_first_exhibit(
    qtbot: QtBot, paris_bundle: Bundle, fonts: list[str]
) -> None:
    window = MainWindow(paris_bundle)
    qtbot.addWidget(window)
    assert window.attract_overlay.invitations == [
        "Touchez l’écran pour commencer",
        "Touch to explore",
        "Zum Entdecken berühren",
    ]
