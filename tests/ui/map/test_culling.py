"""With thousands of events only the markers and clusters near the view are in the scene, and the
map looks and answers touches as if all of them were."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF
from PySide6.QtGui import QImage, QPointingDevice
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.bench.generate import generate
from kiosk.content import Bundle, load_bundle
from kiosk.ui.map import labels as labels_module
from kiosk.ui.map.label_placement import Placement, rung_index, zoom_ladder
from kiosk.ui.map.markers import ClusterItem, MarkerItem
from kiosk.ui.map.view import Item, MapView
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.conftest import FakeClock, open_window
from tests.ui.map.test_scroll import _on_screen, _quiet
from tests.ui.touch import drag, pinch, tap

EVENTS = 2000


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    folder: Path = generate(EVENTS, tmp_path_factory.mktemp("culling") / f"gen-{EVENTS}")
    return load_bundle(folder)


@pytest.fixture
def large_window(
    qtbot: QtBot, large: Bundle, fonts: list[str], map_clock: FakeClock
) -> Iterator[MainWindow]:
    yield open_window(qtbot, large, map_clock)


def _in_scene(view: MapView) -> list[Item]:
    return [item for item in view.scene().items() if isinstance(item, MarkerItem | ClusterItem)]


def _drawn_within(view: MapView, item: Item, area: QRectF) -> bool:
    """True if any of `item`'s drawing falls within `area` (viewport px)."""
    anchor = view.viewportTransform().map(item.pos())
    return item.boundingRect().translated(anchor).intersects(area)


def _zoom(view: MapView, zoom: float) -> None:
    view.show_whole_city(animated=False)
    view.zoom_by(zoom, QPointF(view.viewport().rect().center()))
    QApplication.processEvents()


def test_the_scene_holds_the_shown_items_near_the_view_and_no_others(
    large_window: MainWindow,
) -> None:
    view = large_window.map_view
    for zoom in (1.0, 2.0, 4.0, 8.0):
        _zoom(view, zoom)
        shown = view.shown_items()
        in_scene = _in_scene(view)
        assert all(item.isVisible() for item in in_scene), "nothing hidden lingers in the scene"
        assert {id(i) for i in in_scene} <= {id(i) for i in shown}
        # Everything drawn on the view is there ...
        screen = QRectF(view.viewport().rect())
        on_view = [item for item in shown if _drawn_within(view, item, screen)]
        assert {id(i) for i in on_view} <= {id(i) for i in in_scene}, zoom
        # ... and, zoomed in, little else: not the thousands shown elsewhere on the map.
        if zoom >= 4.0:
            assert len(shown) > 2 * len(in_scene), (zoom, len(shown), len(in_scene))
            # (Off-map markers, few and with long labels at the map's edge, always are.)
            far = screen.adjusted(-600, -600, 600, 600)
            near = [i for i in in_scene if not (isinstance(i, MarkerItem) and i.off_map)]
            assert all(_drawn_within(view, item, far) for item in near)


def test_a_marker_panned_into_view_is_drawn_and_opens_at_a_tap(
    large_window: MainWindow, touchscreen: QPointingDevice
) -> None:
    view = large_window.map_view
    _zoom(view, 8.0)
    screen = QRectF(view.viewport().rect())
    # A marker of its own well beside the view: out of the scene until a pan brings it.
    width = screen.width()

    def beside(item: Item) -> bool:
        x, y = view.screen_pos(item).toTuple()
        across = -1600 < x < -300 or width + 300 < x < width + 1600
        return across and 150 < y < screen.height() - 150

    beyond = [i for i in view.shown_items() if isinstance(i, MarkerItem) and beside(i)]
    assert beyond, "a marker beside the view"
    marker = beyond[0]
    assert marker.scene() is None
    viewport = view.viewport()
    to_go = round(width / 2 - view.screen_pos(marker).x())  # to the middle of the view
    strokes = -(-abs(to_go) // 800)
    for _ in range(strokes):  # strokes of a finger, each shorter than the view
        step = to_go // strokes
        start = QPoint(100 if step > 0 else round(width) - 100, 500)
        drag(viewport, touchscreen, start, (step, 0), steps=12)
        view.stop_motion()
        QApplication.processEvents()
    pos = view.marker_screen_pos(marker.event_id)
    assert screen.contains(pos)
    assert marker.scene() is view.scene()
    assert view.marker_at(pos) is marker
    tap(viewport, touchscreen, pos)
    assert large_window.state.selected == marker.event_id


def test_after_pinches_and_pans_the_screen_shows_what_a_full_repaint_draws(
    large_window: MainWindow, touchscreen: QPointingDevice
) -> None:
    view = large_window.map_view
    viewport = view.viewport()
    # Pinch in across several clustering levels, pan, pinch back out across them.
    pinch(viewport, touchscreen, QPoint(900, 450), 150, 600, steps=10)
    view.stop_motion()
    pinch(viewport, touchscreen, QPoint(900, 450), 150, 450, steps=8)
    view.stop_motion()
    levels = {view.level}
    drag(viewport, touchscreen, QPoint(700, 500), (400, 150), steps=10)
    view.stop_motion()
    pinch(viewport, touchscreen, QPoint(900, 450), 500, 200, steps=8)
    view.stop_motion()
    levels.add(view.level)
    assert len(levels) == 2, "the pinches changed the clustering level"
    _quiet(large_window)
    on_screen = _on_screen(large_window)
    fresh = large_window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    assert on_screen == fresh


def test_the_names_at_the_levels_a_pinch_meets_are_placed_before_it_meets_them(
    large_window: MainWindow,
    touchscreen: QPointingDevice,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view, names = large_window.map_view, large_window.map_labels
    qtbot.waitUntil(lambda: view.work_ahead_done, timeout=20_000)
    placed_in_frames: list[float] = []
    place = labels_module.place_at_zoom

    def counted(*args: Any, **kwargs: Any) -> list[Placement]:
        placed_in_frames.append(args[2])
        return place(*args, **kwargs)

    monkeypatch.setattr(labels_module, "place_at_zoom", counted)
    viewport = view.viewport()
    box = names.boundingRect()
    fit = min(viewport.width() / box.width(), viewport.height() / box.height())
    ladder = zoom_ladder(large_window.bundle.manifest.map.max_zoom)
    # In across several levels, then (once the work ahead has run again) back out across them.
    for start_gap, end_gap in ((150, 600), (600, 200)):
        qtbot.waitUntil(lambda: view.work_ahead_done, timeout=20_000)
        start = view.level
        pinch(viewport, touchscreen, QPoint(900, 450), start_gap, end_gap, steps=10)
        view.stop_motion()
        _quiet(large_window)
        assert abs(view.level - start) > 1, "the pinch went through clustering levels"
        assert placed_in_frames == [], "names were placed in the pinch's frames, not ahead"
        # What was placed ahead is what the pinch would have placed in its frames: after the
        # names shown one rung out, clear of the markers shown now.
        zoom = view.transform().m11() / fit
        rung = rung_index(ladder, zoom)
        before = names._last_at.get((round(fit, 9), rung - 1), [])
        expected = place(
            names._specs(),
            fit * ladder[rung],
            ladder[rung],
            [p.label_id for p in before],
            view.marker_layer.obstacles(),
        )
        assert names.visible(fit, zoom) == expected
