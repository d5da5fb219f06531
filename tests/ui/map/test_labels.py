"""Map labels: placed once per zoom level, never overlapping each other or the markers, more of
them as one zooms in, in the visitor's language."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication

from kiosk.content import Bundle
from kiosk.ui.map import label_placement
from kiosk.ui.map.label_placement import (
    LabelSpec,
    Obstacle,
    Placement,
    _Taken,
    place_all,
    place_at_zoom,
    rung_index,
    zoom_ladder,
)
from kiosk.ui.map.labels import marker_obstacles
from kiosk.ui.shell.main_window import MainWindow


def _corners(p: Placement, scale: float, w: float, h: float) -> list[tuple[float, float]]:
    a = math.radians(p.angle_deg)
    c, s = math.cos(a), math.sin(a)
    cx, cy = p.x * scale, p.y * scale
    return [
        (cx + dx * c - dy * s, cy + dx * s + dy * c)
        for dx, dy in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2))
    ]


def _separated(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> bool:
    for poly in (a, b):
        for i in range(4):
            (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % 4]
            nx, ny = y1 - y2, x2 - x1
            pa = [nx * x + ny * y for x, y in a]
            pb = [nx * x + ny * y for x, y in b]
            if max(pa) <= min(pb) or max(pb) <= min(pa):
                return True
    return False


# --- placement, without Qt ------------------------------------------------------------------


def test_zoom_levels_climb_from_the_whole_map_to_max_zoom() -> None:
    levels = zoom_ladder(8)
    assert levels[0] == 1 and levels[-1] == 8
    assert all(b > a for a, b in itertools.pairwise(levels))
    assert rung_index(levels, 1.0) == 0
    assert rung_index(levels, 0.5) == 0
    assert rung_index(levels, 8.0) == len(levels) - 1
    assert levels[rung_index(levels, 3.0)] <= 3.0 < levels[rung_index(levels, 3.0) + 1]


def test_two_labels_at_one_spot_show_one_then_both_as_one_zooms_in() -> None:
    specs = [
        LabelSpec("first", ((100.0, 100.0),), 80, 20),
        LabelSpec("second", ((130.0, 100.0),), 80, 20),
    ]
    levels = zoom_ladder(8)
    placed = place_all(specs, 1.0, levels)
    assert [p.label_id for p in placed[0]] == ["first"]  # the first in order wins
    assert [p.label_id for p in placed[-1]] == ["first", "second"]  # 30 units = 240 px apart


def test_min_zoom_holds_a_label_back() -> None:
    specs = [LabelSpec("late", ((0.0, 0.0),), 50, 20, min_zoom=3)]
    levels = zoom_ladder(8)
    placed = place_all(specs, 1.0, levels)
    shown = [level for level, p in zip(levels, placed, strict=True) if p]
    assert min(shown) >= 3


def test_an_obstacle_keeps_a_label_away() -> None:
    spec = LabelSpec("name", ((0.0, 0.0),), 60, 20)
    assert place_at_zoom([spec], 1.0, 1.0, obstacles=[Obstacle(0, 0, 0, 0, 26)]) == []
    assert place_at_zoom([spec], 1.0, 1.0, obstacles=[Obstacle(0, 0, 200, 0, 26)]) != []


def test_a_line_label_follows_its_line_upright_and_waits_until_the_line_is_long_enough() -> None:
    # A line running right to left and slightly down: the text must still read left to right.
    line = LabelSpec("river", ((100.0, 0.0), (0.0, 10.0)), 150, 20)
    assert place_at_zoom([line], 1.0, 1.0) == []  # 100 px of line for 150 px of text
    [placed] = place_at_zoom([line], 2.0, 2.0)
    assert -90 < placed.angle_deg < 90
    assert placed.angle_deg == pytest.approx(math.degrees(math.atan2(-10, 100)), abs=1)
    assert (placed.x, placed.y) == pytest.approx((50.0, 5.0))


def test_a_line_bending_sharply_under_the_text_is_not_used() -> None:
    bend = LabelSpec("canal", ((0.0, 0.0), (60.0, 0.0), (60.0, 60.0)), 100, 16)
    assert place_at_zoom([bend], 1.0, 1.0) == []


def test_placed_labels_never_overlap_at_any_level() -> None:
    specs = [
        LabelSpec(f"l{i}", ((float(i % 7) * 37, float(i // 7) * 23),), 70 + i % 5 * 10, 18)
        for i in range(60)
    ]
    specs.append(LabelSpec("line", ((0.0, 0.0), (250.0, 140.0)), 120, 20))
    levels = zoom_ladder(8)
    for level, placed in zip(levels, place_all(specs, 1.0, levels), strict=True):
        sizes = {s.label_id: (s.width_px, s.height_px) for s in specs}
        boxes = [_corners(p, level, *sizes[p.label_id]) for p in placed]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert _separated(a, b), f"overlap at zoom {level}"


def test_a_label_shown_at_one_level_stays_at_the_next_point_labels() -> None:
    specs = [LabelSpec(f"l{i}", ((float(i) * 11, float(i % 3) * 9),), 60, 18) for i in range(30)]
    levels = zoom_ladder(8)
    placed = place_all(specs, 1.0, levels)
    for before, after in itertools.pairwise(placed):
        assert {p.label_id for p in before} <= {p.label_id for p in after}


# --- the layer in the kiosk window ----------------------------------------------------------


def _fit(window: MainWindow) -> float:
    return window.map_view.transform().m11() / window.map_view.zoom


def test_labels_come_from_the_bundle_and_follow_the_language(
    window: MainWindow, bundle: Bundle
) -> None:
    layer = window.map_labels
    assert bundle.labels, "the Petrograd bundle has map labels"
    neva = next(i for i, label in bundle.labels.items() if label.name.get("en") == "Neva")
    assert layer.text(neva) == "Neva"
    window.state.set_language("ru")
    assert layer.text(neva) == "Нева"
    district = next(i for i, label in bundle.labels.items() if label.kind == "district")
    assert layer.text(district) == bundle.labels[district].name["ru"].upper()


def test_more_labels_appear_as_one_zooms_in_and_none_overlap(window: MainWindow) -> None:
    layer = window.map_labels
    fit = _fit(window)
    counts = []
    for zoom in (1.0, 2.0, 4.0, 8.0):
        shown = layer.visible(fit, zoom)
        counts.append(len(shown))
        sizes = {s.label_id: (s.width_px, s.height_px) for s in layer._specs()}
        boxes = [_corners(p, fit * zoom, *sizes[p.label_id]) for p in shown]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert _separated(a, b)
    kinds = {window.bundle.labels[p.label_id].kind for p in layer.visible(fit, 1.0)}
    assert {"river", "district"} <= kinds  # the whole city already names its river and sides
    assert counts == sorted(counts) and counts[-1] > 2 * counts[0]


def _assert_clear_of_shown_items(window: MainWindow) -> None:
    layer = window.map_labels
    view = window.map_view
    sizes = {s.label_id: (s.width_px, s.height_px) for s in layer._specs()}
    scale = view.transform().m11()
    fit = scale / view.zoom
    items = [m for m in view.markers.values() if m.isVisible()] + list(view.cluster_items)
    assert items
    for placed in layer.visible(fit, view.zoom):
        box = _corners(placed, scale, *sizes[placed.label_id])
        for item in items:
            centre = QPointF(item.pos()) * scale + getattr(item, "glyph_centre", QPointF())
            half = 24.0
            square = [
                (centre.x() - half, centre.y() - half),
                (centre.x() + half, centre.y() - half),
                (centre.x() + half, centre.y() + half),
                (centre.x() - half, centre.y() + half),
            ]
            assert _separated(box, square), (placed.label_id, view.zoom)


def test_labels_keep_clear_of_the_markers_and_clusters_shown(window: MainWindow) -> None:
    view = window.map_view
    for zoom in (1.0, 3.0, 8.0):
        view.zoom_by(zoom / view.zoom, QPointF(view.viewport().rect().center()))
        QApplication.processEvents()
        _assert_clear_of_shown_items(window)


def test_labels_make_way_when_a_cluster_opens(window: MainWindow) -> None:
    view = window.map_view
    view.reduced_motion = True
    QApplication.processEvents()
    _assert_clear_of_shown_items(window)
    assert view.cluster_items, "the whole city has clusters"
    view.open_cluster(max(view.cluster_items, key=lambda c: len(c.members)))
    QApplication.processEvents()
    _assert_clear_of_shown_items(window)
    # At full zoom, events at one place stay a cluster; opening it fans the markers out without
    # any change of zoom, and the labels must still make way.
    view.zoom_by(window.bundle.manifest.map.max_zoom, QPointF(view.viewport().rect().center()))
    QApplication.processEvents()
    crowd = view.cluster_items[0]
    view.centerOn(crowd.pos())
    QApplication.processEvents()
    _assert_clear_of_shown_items(window)
    scale = view.transform().m11()
    view.open_cluster(crowd)
    QApplication.processEvents()
    assert view.transform().m11() == scale
    _assert_clear_of_shown_items(window)


def test_the_map_with_labels_renders_in_both_languages(window: MainWindow) -> None:
    first = window.map_view.grab().toImage()
    window.state.set_language("ru")
    second = window.map_view.grab().toImage()
    assert first != second  # the lettering changed with the language


def test_the_obstacles_worked_out_ahead_are_those_of_the_items_shown(
    window: MainWindow,
) -> None:
    """The marker layer's obstacles (numbers worked out with each level's layout) are the ones
    asking every shown marker and cluster gives, fanned-out markers included."""
    view = window.map_view
    from_items = marker_obstacles(view.shown_items)
    for zoom in (1.0, 2.0, 4.0, 8.0):
        view.zoom_by(zoom / view.zoom, QPointF(view.viewport().rect().center()))
        QApplication.processEvents()
        assert sorted(view.marker_layer.obstacles(), key=repr) == sorted(from_items(), key=repr)
    crowd = view.cluster_items[0]
    view.open_cluster(crowd)  # at full zoom: fanned out
    QApplication.processEvents()
    assert any(not view.markers[m].glyph_centre.isNull() for m in crowd.members)
    assert sorted(view.marker_layer.obstacles(), key=repr) == sorted(from_items(), key=repr)


def test_an_obstacle_square_is_taken_as_the_same_box_as_its_corners() -> None:
    """`add_square` (the fast way thousands of marker obstacles go in) keeps the very box and
    cells that `add` of the square's corners keeps."""
    rng = random.Random(4)
    for _ in range(500):
        cx, cy, half = rng.uniform(-5000, 5000), rng.uniform(-5000, 5000), rng.uniform(1, 90)
        by_corners, by_square = _Taken(), _Taken()
        by_corners.add(label_placement._corners(cx, cy, 0.0, half, half))
        by_square.add_square(cx, cy, half)
        assert by_square._boxes == by_corners._boxes
        assert by_square._cells == by_corners._cells


def test_taken_boxes_answer_as_the_separating_axis_test() -> None:
    """Upright boxes that come near are taken as overlapping without the separating-axis test:
    the answer is the test's, for upright and turned names against marker squares."""
    rng = random.Random(5)
    for _ in range(3000):
        angle = rng.choice([0.0, 0.0, rng.uniform(-1.5, 1.5)])
        name = label_placement._corners(
            rng.uniform(0, 300), rng.uniform(0, 300), angle, rng.uniform(5, 80), rng.uniform(5, 30)
        )
        taken = _Taken()
        x, y, half = rng.uniform(0, 300), rng.uniform(0, 300), rng.uniform(5, 40)
        taken.add_square(x, y, half)
        square = label_placement._corners(x, y, 0.0, half, half)
        a, b = label_placement._bounds(name), label_placement._bounds(square)
        apart = b[2] < a[0] or a[2] < b[0] or b[3] < a[1] or a[3] < b[1]
        assert taken.hits(name) == (not apart and label_placement._overlap(name, square))
