"""Crowded markers: finger-sized targets, clusters per zoom level, cluster taps, labels apart."""

from __future__ import annotations

import dataclasses
import math
import random

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPen, QPointingDevice
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.content import Bundle
from kiosk.ui.journey import theme
from kiosk.ui.map.clustering import ClusterLevels, cluster
from kiosk.ui.map.markers import CLUSTER_SIZE, ClusterItem, centred_canvas, cluster_glyph
from kiosk.ui.map.motion import Camera
from kiosk.ui.map.view import MapView
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.conftest import settle, show_at
from tests.ui.touch import pinch, tap

ZOOMS = (1, 1.3, 2, 3, 4.5, 6, 8)


def _cluster_with(view: MapView, event_id: str) -> ClusterItem:
    item = view.item_for(event_id)
    assert isinstance(item, ClusterItem), f"{event_id} is not in a cluster here"
    return item


def _at_zoom(view: MapView, zoom: float) -> None:
    view.show_whole_city(animated=False)
    view.zoom_by(zoom, QPointF(view.viewport().rect().center()))


def test_every_target_is_at_least_15_mm_and_48_px_at_every_zoom(window: MainWindow) -> None:
    view = window.map_view
    screen = QApplication.primaryScreen()  # not view.screen(): see screen_density.py
    px_per_mm = screen.physicalDotsPerInch() / 25.4
    needed = max(theme.TOUCH_MIN, 15 * px_per_mm)
    assert needed > theme.TOUCH_MIN, "this test screen is dense enough for 15 mm to decide"
    for zoom in ZOOMS:
        _at_zoom(view, zoom)
        items = [m for m in view.markers.values() if m.isVisible()] + view.cluster_items
        for item in items:
            device = item.deviceTransform(view.viewportTransform())
            hit = device.mapRect(item.shape().boundingRect())
            assert min(hit.width(), hit.height()) >= needed - 0.5, (zoom, item)


def test_the_whole_city_shows_clusters_with_their_counts(window: MainWindow) -> None:
    view = window.map_view
    assert view.cluster_items, "the Petrograd centre is crowded at the whole-city view"
    volynsky = _cluster_with(view, "volynsky-mutiny")
    assert len(volynsky.members) >= 2
    assert not view.markers["volynsky-mutiny"].isVisible()


def test_clusters_change_per_zoom_level_not_per_frame(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    view = window.map_view
    _at_zoom(view, 2.05)
    items = list(view.cluster_items)
    level = view.level
    pinch(view.viewport(), touchscreen, QPoint(700, 450), 300, 330)  # a little closer
    assert view.level == level
    assert view.cluster_items == items, "same level: the same cluster items, not rebuilt"


def test_tap_on_a_cluster_zooms_in_until_it_splits(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    view = window.map_view
    crowd = _cluster_with(view, "volynsky-mutiny")
    members = list(crowd.members)
    tap(view.viewport(), touchscreen, view.screen_pos(crowd))
    assert window.state.selected is None, "a cluster opens; it does not choose an event"
    assert view.flying
    settle(window)
    assert view.zoom > 1.0
    shown = {view.item_for(m) for m in members}
    assert len(shown) > 1, "the cluster came apart"
    for item in shown:
        assert view.viewport().rect().contains(view.screen_pos(item).toPoint())


def test_tap_on_a_cluster_that_zooming_cannot_split_fans_it_out(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    view = window.map_view
    _at_zoom(view, 8)
    crowd = _cluster_with(view, "order-no-1")  # several events in the Tauride Palace
    view.set_camera(Camera(crowd.pos().x(), crowd.pos().y(), view.transform().m11()))
    QApplication.processEvents()
    members = list(crowd.members)
    tap(view.viewport(), touchscreen, view.screen_pos(crowd))
    assert not view.moving
    markers = [view.markers[m] for m in members]
    assert all(m.isVisible() for m in markers), "fanned out"
    centres = [view.marker_screen_pos(m) for m in members]
    for i, a in enumerate(centres):
        for b in centres[i + 1 :]:
            assert math.dist(a.toTuple(), b.toTuple()) >= view.target_px
    tap(view.viewport(), touchscreen, centres[1])
    assert window.state.selected == members[1]


def test_fanning_out_tells_the_map_labels_to_make_room(window: MainWindow, qtbot: QtBot) -> None:
    view = window.map_view
    _at_zoom(view, 8)
    crowd = _cluster_with(view, "order-no-1")
    with qtbot.waitSignal(view.markers_moved, timeout=10_000):
        view.open_cluster(crowd)


def test_a_tap_beside_a_fan_folds_it_up(window: MainWindow, touchscreen: QPointingDevice) -> None:
    view = window.map_view
    _at_zoom(view, 8)
    crowd = _cluster_with(view, "order-no-1")
    view.set_camera(Camera(crowd.pos().x(), crowd.pos().y(), view.transform().m11()))
    tap(view.viewport(), touchscreen, view.screen_pos(crowd))
    assert view.markers["order-no-1"].isVisible()
    empty = next(
        QPoint(x, y)
        for y in (500, 700, 300)
        for x in range(100, 1800, 150)
        if view.marker_at(QPointF(x, y)) is None
    )
    tap(view.viewport(), touchscreen, empty)
    assert isinstance(view.item_for("order-no-1"), ClusterItem)


def test_choosing_a_clustered_event_flies_in_until_it_has_its_own_marker(
    window: MainWindow,
) -> None:
    view = window.map_view
    assert isinstance(view.item_for("volynsky-mutiny"), ClusterItem)
    window.state.select("volynsky-mutiny")
    settle(window)
    marker = view.markers["volynsky-mutiny"]
    assert view.item_for("volynsky-mutiny") is marker
    assert marker.selected
    pos = view.marker_screen_pos("volynsky-mutiny")
    assert 0 <= pos.x() < window.panel.x()


def test_a_cluster_holding_the_chosen_event_is_marked(window: MainWindow) -> None:
    view = window.map_view
    window.state.select("order-no-1")
    settle(window)
    view.show_whole_city(animated=False)
    crowd = _cluster_with(view, "order-no-1")
    assert crowd.selected
    assert not any(c.selected for c in view.cluster_items if c is not crowd)


def test_a_cluster_fades_only_when_all_its_events_fade(window: MainWindow) -> None:
    view = window.map_view
    crowd = _cluster_with(view, "volynsky-mutiny")
    for event_id in crowd.members[1:]:
        view.markers[event_id].setOpacity(0.3)
    assert crowd.shown_opacity == 1.0
    view.markers[crowd.members[0]].setOpacity(0.3)
    assert crowd.shown_opacity == pytest.approx(0.3)


def test_marker_labels_never_collide(window: MainWindow) -> None:
    view = window.map_view
    for zoom in ZOOMS:
        _at_zoom(view, zoom)
        to_view = view.viewportTransform()
        labels = [
            m.label_rect().translated(to_view.map(m.pos()))
            for m in view.markers.values()
            if m.isVisible() and m.label_shown
        ]
        for i, a in enumerate(labels):
            for b in labels[i + 1 :]:
                assert not a.intersects(b), f"labels collide at zoom {zoom}"
        for m in view.markers.values():
            if not (m.isVisible() and m.label_shown):
                continue
            box = m.label_rect().translated(to_view.map(m.pos()))
            for other in [o for o in view.markers.values() if o.isVisible() and o is not m]:
                c = view.screen_pos(other)
                r = view.target_px / 2
                assert not box.intersects(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r))
    _at_zoom(view, 1)
    assert any(m.label_shown for m in view.markers.values()), "labels are shown where they fit"


# --- clustering itself, without Qt -----------------------------------------------------


def test_cluster_centres_keep_their_distance_and_every_point_is_in_one_group() -> None:
    rng = random.Random(5)
    points = [(rng.uniform(0, 1000), rng.uniform(0, 1000)) for _ in range(400)]
    groups = cluster(points, 1.0, 60.0)
    assert sorted(i for g in groups for i in g) == list(range(400))
    centres = [
        (sum(points[i][0] for i in g) / len(g), sum(points[i][1] for i in g) / len(g))
        for g in groups
    ]
    for i, a in enumerate(centres):
        for b in centres[i + 1 :]:
            assert math.dist(a, b) >= 60.0


def test_points_at_one_place_stay_together_at_every_level() -> None:
    points = [(10.0, 10.0), (10.0, 10.0), (500.0, 500.0)]
    levels = ClusterLevels(points, min_scale=0.05, max_zoom=8, min_px=60)
    assert levels.group_of(0, 0) == [0, 1, 2]
    assert levels.group_of(levels.last, 0) == [0, 1]
    assert levels.level_alone(2, 0) is not None
    assert levels.level_alone(0, 0) is None
    assert levels.level_splitting([0, 1], 0) is None
    assert levels.zooms[0] == 1 and levels.zooms[-1] == pytest.approx(8)


def test_clustering_ten_thousand_points_is_quick_enough_to_do_once_per_level() -> None:
    rng = random.Random(1)
    points = [(rng.gauss(0, 300), rng.gauss(0, 300)) for _ in range(10_000)]
    groups = cluster(points, 1.0, 60.0)
    assert sum(len(g) for g in groups) == 10_000


def test_points_of_different_kinds_never_share_a_group() -> None:
    points = [(0.0, 0.0), (1.0, 1.0), (2.0, 0.0), (50.0, 50.0)]
    assert cluster(points, 1.0, 10.0) == [[0, 1, 2], [3]]
    assert cluster(points, 1.0, 10.0, kinds=[0, 1, 0, 0]) == [[0, 2], [1], [3]]


def test_an_off_map_place_is_never_clustered_with_one_on_the_map(
    qtbot: QtBot, paris_bundle: Bundle, fonts: list[str]
) -> None:
    """Fort d'Issy moved to where Versailles is drawn, at the map's edge: still two markers."""
    probe = MainWindow(paris_bundle)
    qtbot.addWidget(probe)
    show_at(qtbot, probe, (1920, 1080))
    edge = probe.map_view.markers["government-to-versailles"].pos()
    lat, lon = paris_bundle.projection.unproject(edge.x(), edge.y())
    places = dict(paris_bundle.places)
    places["fort-d-issy"] = dataclasses.replace(places["fort-d-issy"], lat=lat, lon=lon)
    window = MainWindow(dataclasses.replace(paris_bundle, places=places))
    qtbot.addWidget(window)
    show_at(qtbot, window, (1920, 1080))
    clusters = window.map_view.marker_layer._clusters
    assert clusters is not None
    ids = list(window.map_view.markers)
    off = [m.off_map for m in window.map_view.markers.values()]
    near = clusters.group_of(0, ids.index("fort-issy-falls"))
    assert ids.index("government-to-versailles") not in near
    for level in range(len(clusters.zooms)):
        for group in clusters.groups(level):
            assert len({off[i] for i in group}) == 1, (level, group)


def _cluster_drawn_whole(colours: tuple[str, ...], count: int, dpr: float) -> QImage:
    """A cluster picture drawn stroke by stroke, halo first (members sorted by category, as a
    cluster's colours come)."""
    size = CLUSTER_SIZE
    pixmap, painter = centred_canvas(size, dpr)
    ring = QRectF(-size / 2 + 6, -size / 2 + 6, size - 12, size - 12)
    painter.setPen(QPen(QColor("#ffffff"), 12))
    painter.drawEllipse(ring)
    span = 360 * 16 / len(colours)
    start = 0
    for colour in sorted(set(colours)):  # an arc per category, its members' share of the ring
        members = colours.count(colour)
        painter.setPen(QPen(QColor(colour), 8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        first, end = round(90 * 16 - start * span), round(90 * 16 - (start + members) * span)
        painter.drawArc(ring, first, end - first)
        start += members
    painter.setPen(QPen(QColor("#1b1b1b"), 2))
    painter.setBrush(QColor("#1b1b1b"))
    inner = size / 2 - 12
    painter.drawEllipse(QPointF(0, 0), inner, inner)
    painter.setPen(QColor("#ffffff"))
    painter.setFont(theme.font(theme.SANS, 22, bold=True))
    box = QRectF(-inner, -inner, 2 * inner, 2 * inner)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, str(count))
    painter.end()
    return pixmap.toImage()


def test_a_cluster_picture_has_the_pixels_of_one_drawn_stroke_by_stroke(fonts: list[str]) -> None:
    """Cluster pictures start from a copy of the halo (drawn once): pixel for pixel the picture
    drawn whole, halo first."""
    rng = random.Random(8)
    palette = ["#b03a2e", "#1f618d", "#117a65", "#b7950b", "#6c3483"]
    for dpr in (1.0, 1.5, 2.0):
        for _ in range(12):
            colours = tuple(sorted(rng.choice(palette) for _ in range(rng.randint(2, 9))))
            count = rng.randint(2, 999)
            drawn = cluster_glyph(colours, count, dpr).toImage()
            assert drawn == _cluster_drawn_whole(colours, count, dpr), (dpr, colours, count)
