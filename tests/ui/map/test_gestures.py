"""Fingers on the map as a visitor uses them: flicks that glide, flights, a resting hand.

Time is the window's fake clock (tests/ui/conftest.py): a flick's speed comes from advancing it
between finger moves, and motion is stepped by advancing it again, never by sleeping.
"""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QPoint, QPointF
from PySide6.QtGui import QPointingDevice
from pytestqt.qtbot import QtBot

from kiosk.ui.map.motion import Camera, Flight, Glide, VelocityTracker
from kiosk.ui.map.touch_rules import REST_S, looks_like_resting_hand
from kiosk.ui.map.view import MapView
from kiosk.ui.qt.screen_density import believable_px_per_mm
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.conftest import FakeClock, marker_in_view, settle
from tests.ui.touch import drag, move, press, release, tap, touch_points

EVENT = "volynsky-mutiny"


def _centre(view: MapView) -> QPointF:
    return view.mapToScene(view.viewport().rect().center())


def _inside_sheet(view: MapView) -> bool:
    visible = view.visible_scene_rect()
    sheet = view.scene().sceneRect()
    card = view.top_inset / view.transform().m11()  # the strip the title card covers
    return (
        visible.left() >= sheet.left() - 1
        and visible.top() >= sheet.top() - card - 1
        and visible.right() <= sheet.right() + 1
        and visible.bottom() <= sheet.bottom() + 1
    )


def _same(a: Camera, b: Camera, view: MapView) -> bool:
    """Two cameras show the same view, to the pixel (the view scrolls in whole pixels)."""
    pixel = 1.5 / view.transform().m11()
    return abs(a.x - b.x) <= pixel and abs(a.y - b.y) <= pixel and math.isclose(a.scale, b.scale)


def _flick(
    window: MainWindow, touchscreen: QPointingDevice, map_clock: FakeClock, delta: tuple[int, int]
) -> None:
    view = window.map_view
    # Ten moves 10 ms apart: the finger travels `delta` in 0.1 s and lifts while moving.
    drag(
        view.viewport(),
        touchscreen,
        QPoint(900, 500),
        delta,
        between=lambda: map_clock.advance(0.01),
    )


def test_flick_keeps_the_map_moving_slower_and_slower_then_stops_inside_the_sheet(
    window: MainWindow, touchscreen: QPointingDevice, map_clock: FakeClock
) -> None:
    view = window.map_view
    view.zoom_by(4, QPointF(view.viewport().rect().center()))
    _flick(window, touchscreen, map_clock, (-300, 0))
    assert view.moving, "a finger lifted while moving lets the map glide on"
    released_at = _centre(view)
    steps = []
    for _ in range(6):
        before = _centre(view)
        map_clock.advance(0.05)
        view.advance_motion()
        steps.append(_centre(view).x() - before.x())
    # The map keeps going the way the finger went (content left: the view moves right) ...
    assert all(step >= 0 for step in steps) and steps[0] > 0
    assert _centre(view).x() > released_at.x()
    # ... slowing down ...
    assert steps[-1] < steps[0]
    # ... and comes to rest by itself.
    for _ in range(200):
        if not view.moving:
            break
        map_clock.advance(0.05)
        view.advance_motion()
    assert not view.moving
    assert _inside_sheet(view)


def test_a_hard_flick_towards_the_edge_stops_at_the_edge(
    window: MainWindow, touchscreen: QPointingDevice, map_clock: FakeClock
) -> None:
    view = window.map_view
    view.zoom_by(6, QPointF(view.viewport().rect().center()))
    for _ in range(2):
        _flick(window, touchscreen, map_clock, (800, 700))
        settle(window, 30)
        map_clock.advance(30)
        view.advance_motion()
    assert not view.moving
    assert _inside_sheet(view)
    visible, sheet = view.visible_scene_rect(), view.scene().sceneRect()
    assert visible.left() == pytest.approx(sheet.left(), abs=2 / view.transform().m11())


def test_a_finger_that_stops_before_lifting_does_not_glide(
    window: MainWindow, touchscreen: QPointingDevice, map_clock: FakeClock
) -> None:
    view = window.map_view
    view.zoom_by(4, QPointF(view.viewport().rect().center()))
    steps = iter([0.01] * 10 + [0.3])  # the finger rests 0.3 s before it lifts
    drag(
        view.viewport(),
        touchscreen,
        QPoint(900, 500),
        (-300, 0),
        between=lambda: map_clock.advance(next(steps)),
    )
    assert not view.moving


def test_a_touch_catches_a_gliding_map_without_tapping(
    window: MainWindow, touchscreen: QPointingDevice, map_clock: FakeClock
) -> None:
    view = window.map_view
    view.zoom_by(8, QPointF(view.viewport().rect().center()))
    marker_in_view(window, EVENT)
    _flick(window, touchscreen, map_clock, (-150, 0))
    assert view.moving
    map_clock.advance(0.02)
    view.advance_motion()
    pos = view.marker_screen_pos(EVENT)
    assert view.marker_at(pos) is view.markers[EVENT]
    tap(view.viewport(), touchscreen, pos)
    assert not view.moving
    assert window.state.selected is None, "stopping a moving map is all that touch does"
    tap(view.viewport(), touchscreen, marker_in_view(window, EVENT))
    assert window.state.selected == EVENT


def test_a_finger_on_a_marker_shows_at_once_and_acts_on_lift(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    view = window.map_view
    pos = marker_in_view(window, EVENT)
    marker = view.markers[EVENT]
    press(view.viewport(), touchscreen, [pos])
    assert marker.pressed, "press feedback comes with the finger, not with the lift"
    assert window.state.selected is None
    release(view.viewport(), touchscreen, [pos])
    assert not marker.pressed
    assert window.state.selected == EVENT


def test_press_feedback_is_painted_before_the_finger_lifts(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    view = window.map_view
    pos = marker_in_view(window, EVENT)
    point = pos.toPoint() + QPoint(0, 14)  # on the glyph's fill, clear of the day's digits
    before = view.viewport().grab().toImage().pixelColor(point)
    press(view.viewport(), touchscreen, [pos])
    during = view.viewport().grab().toImage().pixelColor(point)
    assert during.lightness() < before.lightness() - 20, "the marker darkens under the finger"
    release(view.viewport(), touchscreen, [pos])


def test_a_resting_palm_does_nothing(window: MainWindow, touchscreen: QPointingDevice) -> None:
    view = window.map_view
    view.zoom_by(3, QPointF(view.viewport().rect().center()))
    centre = marker_in_view(window, EVENT)
    camera = view.camera()
    palm = [centre + QPointF(dx, dy) for dx, dy in ((0, 0), (40, 10), (70, 40), (30, 80))]
    press(view.viewport(), touchscreen, palm)
    move(view.viewport(), touchscreen, [p + QPointF(60, 30) for p in palm])
    release(view.viewport(), touchscreen, [p + QPointF(60, 30) for p in palm])
    assert window.state.selected is None
    assert view.camera() == camera, "a palm neither pans nor zooms"
    assert not view.markers[EVENT].pressed


def test_a_finger_left_resting_then_lifted_is_not_a_tap(
    window: MainWindow, touchscreen: QPointingDevice, map_clock: FakeClock
) -> None:
    view = window.map_view
    pos = marker_in_view(window, EVENT)
    press(view.viewport(), touchscreen, [pos])
    map_clock.advance(REST_S + 0.5)
    release(view.viewport(), touchscreen, [pos])
    assert window.state.selected is None


def test_after_a_pinch_the_finger_left_on_the_glass_pans_on(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    view = window.map_view
    area = view.viewport()
    touch_points(area, touchscreen, "press", {0: QPoint(800, 400), 1: QPoint(1000, 400)})
    touch_points(area, touchscreen, "move", {0: QPoint(600, 400), 1: QPoint(1200, 400)})
    assert view.zoom == pytest.approx(3.0, rel=0.05)
    touch_points(area, touchscreen, "release", {1: QPoint(1200, 400)}, held={0: QPoint(600, 400)})
    under = view.viewportTransform().inverted()[0].map(QPointF(600, 400))
    for step in range(1, 6):
        touch_points(area, touchscreen, "move", {0: QPoint(600, 400 + 30 * step)})
    touch_points(area, touchscreen, "release", {0: QPoint(600, 550)})
    after = view.viewportTransform().inverted()[0].map(QPointF(600, 550))
    assert math.dist(under.toTuple(), after.toTuple()) < 4 / view.transform().m11()
    assert view.zoom == pytest.approx(3.0, rel=0.05), "one finger pans, it does not zoom"
    assert window.state.selected is None


def test_a_tap_that_wobbles_three_millimetres_is_still_a_tap(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    view = window.map_view
    wobble = round(3 * view.px_per_mm() / math.sqrt(2))  # 3 mm diagonally
    tap(view.viewport(), touchscreen, marker_in_view(window, EVENT), wobble=(wobble, -wobble))
    assert window.state.selected == EVENT


def test_two_hands_far_apart_do_not_zoom(window: MainWindow, touchscreen: QPointingDevice) -> None:
    view = window.map_view
    camera = view.camera()
    # Both contacts must be on the map: 350 mm at this screen's density is about 1380 px.
    far = [QPoint(100, 500), QPoint(1800, 500)]
    press(view.viewport(), touchscreen, far)
    move(view.viewport(), touchscreen, [QPoint(300, 500), QPoint(1600, 500)])
    release(view.viewport(), touchscreen, [QPoint(300, 500), QPoint(1600, 500)])
    assert view.camera() == camera


def test_a_double_tap_on_the_bare_map_zooms_in_about_it(
    window: MainWindow, touchscreen: QPointingDevice, map_clock: FakeClock
) -> None:
    view = window.map_view
    view.zoom_by(3, QPointF(view.viewport().rect().center()))  # room to zoom about any point
    spot = next(
        QPoint(x, 600) for x in range(500, 1500, 50) if view.marker_at(QPointF(x, 600)) is None
    )
    under = view.camera()
    to_scene, _ = view.viewportTransform().inverted()
    point = to_scene.map(QPointF(spot))
    tap(view.viewport(), touchscreen, spot)
    assert not view.moving, "the first tap waits for nothing"
    map_clock.advance(0.2)
    tap(view.viewport(), touchscreen, spot + QPoint(6, 4))
    assert view.flying
    settle(window)
    assert view.zoom == pytest.approx(6.0, rel=0.01)
    after = view.viewportTransform().inverted()[0].map(QPointF(spot))
    assert math.dist(after.toTuple(), point.toTuple()) < 3 / under.scale
    map_clock.advance(1.0)
    tap(view.viewport(), touchscreen, spot)
    map_clock.advance(1.0)
    tap(view.viewport(), touchscreen, spot)
    assert not view.moving, "two taps a second apart are two single taps"


def test_touch_on_the_map_reports_a_visitor(
    window: MainWindow, touchscreen: QPointingDevice, qtbot: QtBot
) -> None:
    view = window.map_view
    with qtbot.waitSignal(view.user_interacted, timeout=10_000):
        tap(view.viewport(), touchscreen, QPoint(5, 5))


def test_choosing_a_marker_flies_there_and_lands_centred_beside_the_panel(
    window: MainWindow, touchscreen: QPointingDevice, map_clock: FakeClock
) -> None:
    view = window.map_view
    view.zoom_by(4, QPointF(0, 0))
    tap(view.viewport(), touchscreen, QPoint(5, 5))  # nothing there
    window.state.select(EVENT)
    assert view.flying
    start = view.marker_screen_pos(EVENT)
    map_clock.advance(0.2)
    view.advance_motion()
    middle = view.marker_screen_pos(EVENT)
    assert view.flying and middle != start, "on its way, not a jump"
    settle(window)
    assert not view.moving
    pos = view.marker_screen_pos(EVENT)
    # The middle of what neither the panel (right) nor the title card (top) covers.
    below_card = view.top_inset + (view.viewport().height() - view.top_inset) / 2
    uncovered_centre = QPointF(window.panel.x() / 2, below_card)
    assert math.dist(pos.toTuple(), uncovered_centre.toTuple()) < 3
    assert view.markers[EVENT].selected, "the chosen marker stays marked"


def test_a_touch_interrupts_a_flight(
    window: MainWindow, touchscreen: QPointingDevice, map_clock: FakeClock
) -> None:
    view = window.map_view
    view.zoom_by(4, QPointF(0, 0))
    view.fly_to(EVENT)
    map_clock.advance(0.2)
    view.advance_motion()
    halfway = view.camera()
    press(view.viewport(), touchscreen, [QPoint(300, 300)])
    assert not view.moving
    settle(window)
    assert _same(view.camera(), halfway, view), "the map stays where the finger caught it"
    release(view.viewport(), touchscreen, [QPoint(300, 300)])


def test_reduced_motion_jumps_instead_of_flying(window: MainWindow, map_clock: FakeClock) -> None:
    view = window.map_view
    view.reduced_motion = True
    view.zoom_by(4, QPointF(0, 0))
    view.fly_to(EVENT)
    assert not view.moving
    assert _same(view.camera(), view.marker_camera(EVENT), view)
    view.show_whole_city()
    assert not view.moving
    assert view.zoom == pytest.approx(1.0)


# --- the rules themselves, without Qt --------------------------------------------------


def test_flight_starts_and_ends_exactly_and_zooms_out_on_a_long_way() -> None:
    start, end = Camera(0, 0, 4.0), Camera(5000, 0, 4.0)
    flight = Flight(start, end, 1920, t0=10.0)
    assert flight.at(10.0).x == pytest.approx(0, abs=1e-6)
    assert flight.at(10.0).scale == pytest.approx(4.0)
    assert flight.at(10.0 + flight.duration) == end
    middle = flight.at(10.0 + flight.duration / 2)
    assert 0 < middle.x < 5000
    assert middle.scale < 4.0, "a long flight rises above the map to keep the visitor oriented"


def test_flight_that_only_zooms_stays_put() -> None:
    flight = Flight(Camera(10, 20, 1.0), Camera(10, 20, 8.0), 1920, t0=0.0)
    middle = flight.at(flight.duration / 2)
    assert (middle.x, middle.y) == pytest.approx((10, 20))
    assert 1.0 < middle.scale < 8.0


def test_glide_slows_down_and_stops() -> None:
    glide = Glide(3000, 0, t0=0.0)
    first = glide.offset(0.1)[0]
    second = glide.offset(0.2)[0] - first
    assert 0 < second < first
    assert glide.done(5.0)
    assert glide.offset(100.0)[0] == pytest.approx(3000 * 0.33, rel=0.01)


def test_velocity_is_zero_after_a_pause() -> None:
    tracker = VelocityTracker()
    for i in range(5):
        tracker.add(i * 0.01, i * 10.0, 0.0)
    assert tracker.velocity(0.045) == pytest.approx((1000.0, 0.0))
    assert tracker.velocity(0.5) == (0.0, 0.0)


def test_resting_hand_rules() -> None:
    px_mm = 4.0
    assert not looks_like_resting_hand([(0, 0)], [0.0], px_mm, True)
    assert not looks_like_resting_hand([(0, 0), (400, 0)], [0.0, 0.0], px_mm, True)
    assert looks_like_resting_hand([(0, 0), (1, 1), (2, 2)], [0.0] * 3, px_mm, True)
    assert looks_like_resting_hand([(0, 0)], [40 * px_mm], px_mm, True), "a palm-sized contact"
    assert looks_like_resting_hand([(0, 0), (2000, 0)], [0.0, 0.0], px_mm, True)
    # A pinch spreading wide while it zooms is still a pinch.
    assert not looks_like_resting_hand([(0, 0), (2000, 0)], [0.0, 0.0], px_mm, False)


def test_unbelievable_screen_sizes_fall_back_to_96_dpi() -> None:
    assert believable_px_per_mm(None) == pytest.approx(96 / 25.4)
    assert believable_px_per_mm(0.0) == pytest.approx(96 / 25.4)
    assert believable_px_per_mm(1000.0) == pytest.approx(96 / 25.4)
    assert believable_px_per_mm(4.0) == 4.0
