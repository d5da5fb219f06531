"""Hit-testing markers through our own grid: the same answers as Qt's scene lookup, found fast."""

from __future__ import annotations

import math
import random

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication

from kiosk.ui.map.hit_index import GridIndex
from kiosk.ui.map.markers import ClusterItem, MarkerItem
from kiosk.ui.map.motion import Camera
from kiosk.ui.map.view import Item, MapView
from kiosk.ui.shell.main_window import MainWindow


def test_the_grid_finds_every_point_within_the_radius() -> None:
    rng = random.Random(3)
    points = [(rng.uniform(-500, 500), rng.uniform(-300, 300)) for _ in range(2000)]
    grid: GridIndex[int] = GridIndex(37.0)
    for i, (x, y) in enumerate(points):
        grid.add(i, x, y)
    assert len(grid) == len(points)
    for _ in range(200):
        x, y, r = rng.uniform(-600, 600), rng.uniform(-400, 400), rng.uniform(0, 120)
        found = set(grid.near(x, y, r))
        within = {i for i, p in enumerate(points) if math.dist(p, (x, y)) <= r}
        assert within <= found
        # ... and not the whole map: only the cells around the circle.
        assert all(math.dist(points[i], (x, y)) <= r + 2 * 37.0 * math.sqrt(2) for i in found)


def test_a_radius_wider_than_everything_finds_everything() -> None:
    grid: GridIndex[str] = GridIndex(1.0)
    grid.add("a", 0, 0)
    grid.add("b", 1e6, -1e6)
    assert set(grid.near(0, 0, 1e7)) == {"a", "b"}


def _scene_lookup(view: MapView, pos: QPointF) -> Item | None:
    """What `marker_at` did before the grid: Qt's own lookup over every item."""
    for item in view.items(pos.toPoint()):
        if isinstance(item, MarkerItem | ClusterItem):
            return item
    return None


def _touches_an_edge(view: MapView, pos: QPointF) -> bool:
    """True if the probed pixel's square only touches a label's box along an edge: there Qt's
    answer depends on rounding (seen both ways), and `marker_at` says no."""
    pixel = QPointF(pos.toPoint())
    for marker in view.markers.values():
        if not (marker.isVisible() and marker.label_shown):
            continue
        box = marker.label_rect().translated(view.viewportTransform().map(marker.pos()))
        for edge, near in ((box.top(), pixel.y() + 1), (box.bottom(), pixel.y())):
            if abs(edge - near) < 1e-6 and box.left() < pixel.x() + 1 and pixel.x() < box.right():
                return True
        for edge, near in ((box.left(), pixel.x() + 1), (box.right(), pixel.x())):
            if abs(edge - near) < 1e-6 and box.top() < pixel.y() + 1 and pixel.y() < box.bottom():
                return True
    return False


def _probes(view: MapView, rng: random.Random) -> list[QPointF]:
    """Points on and around every shown marker and cluster (inside, on the edge, just outside),
    on the off-map markers' labels, and scattered over the view."""
    shown: list[Item] = [m for m in view.markers.values() if m.isVisible()]
    shown += view.cluster_items
    probes = []
    for item in shown:
        centre = view.screen_pos(item)
        for radius in (0, 10, view.target_px / 2 - 2, view.target_px / 2 + 1, 40):
            for angle in range(0, 360, 45):
                a = math.radians(angle)
                probes.append(centre + QPointF(radius * math.cos(a), radius * math.sin(a)))
        if isinstance(item, MarkerItem) and item.label_shown:
            anchor = view.viewportTransform().map(item.pos())
            probes.append(anchor + item.label_rect().center())
    rect = view.viewport().rect()
    probes += [
        QPointF(rng.uniform(0, rect.width()), rng.uniform(0, rect.height())) for _ in range(300)
    ]
    return probes


def test_marker_at_answers_as_the_scene_lookup_at_every_zoom(window: MainWindow) -> None:
    view = window.map_view
    rng = random.Random(11)
    checked = hits = 0
    for zoom in (1, 1.3, 2, 3, 5, 8):
        view.show_whole_city(animated=False)
        view.zoom_by(zoom, QPointF(view.viewport().rect().center()))
        QApplication.processEvents()
        for pos in _probes(view, rng):
            if _touches_an_edge(view, pos):
                continue
            expected = _scene_lookup(view, pos)
            assert view.marker_at(pos) is expected, (zoom, pos)
            checked += 1
            hits += expected is not None
    assert hits > 500 and checked - hits > 500, "probes both on markers and on the bare map"


def test_marker_at_answers_as_the_scene_lookup_on_a_fanned_cluster(window: MainWindow) -> None:
    view = window.map_view
    view.show_whole_city(animated=False)
    view.zoom_by(8, QPointF(view.viewport().rect().center()))
    crowd = view.item_for("order-no-1")  # several events in the Tauride Palace
    assert isinstance(crowd, ClusterItem)
    view.set_camera(Camera(crowd.pos().x(), crowd.pos().y(), view.transform().m11()))
    view.open_cluster(crowd)
    QApplication.processEvents()
    members = [view.markers[m] for m in crowd.members]
    assert all(m.isVisible() and not m.glyph_centre.isNull() for m in members), "fanned"
    for marker in members:
        assert view.marker_at(view.screen_pos(marker)) is marker
    rng = random.Random(5)
    for pos in _probes(view, rng):
        if not _touches_an_edge(view, pos):
            assert view.marker_at(pos) is _scene_lookup(view, pos), pos
