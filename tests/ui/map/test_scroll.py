"""A pan scrolls the map's pixels and paints only what comes into view, and what is on screen
afterwards is what a full repaint draws (no stale strips beside or under the floating panels)."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QImage, QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.content import Bundle
from kiosk.ui.map.camera import covering_widgets
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.conftest import settle
from tests.ui.touch import drag, pinch


class _PaintedArea(QObject):
    """Adds up the area of the Paint events a widget gets."""

    def __init__(self) -> None:
        super().__init__()
        self.pixels = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.pixels += sum(r.width() * r.height() for r in event.region())  # type: ignore[attr-defined]
        return False


def _zoomed_in(window: MainWindow) -> None:
    view = window.map_view
    view.zoom_by(3.5, view.viewport().rect().center().toPointF())  # wider than the view
    _quiet(window)


def _quiet(window: MainWindow) -> None:
    """Until the map is at rest: no tile being rendered or waiting, and the settle timer (which
    asks for tiles at the resting scale SETTLE_MS after the last change of scale) has fired. On a
    loaded machine three rounds were not enough: a tile that came in the last one was in memory
    but not yet painted, so the screen and a fresh repaint differed by a tile, not a stale strip.
    """
    view = window.map_view
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        view.tiles.wait()
        QApplication.processEvents()
        if view.tiles.idle and not view._settle_timer.isActive():
            # The settle timer may have fired in that turn: the repaint it asked for runs in the
            # next and asks for the resting scale's tiles (quick to be idle without a ring of
            # tiles kept around the view, so that was seen).
            QApplication.processEvents()
            if view.tiles.idle:
                break
        QTest.qWait(10)
    for _ in range(3):  # the repaints the last tiles asked for
        QApplication.processEvents()


def _on_screen(window: MainWindow) -> QImage:
    """What the window's backing store holds (the offscreen platform grabs it from there)."""
    screen = QApplication.primaryScreen()  # not window.screen(): see screen_density.py
    return screen.grabWindow(window.winId()).toImage().convertToFormat(QImage.Format.Format_RGB32)


def test_the_title_card_and_credits_cover_the_map_and_only_the_card_corners_show_it(
    window: MainWindow,
) -> None:
    covered, through = covering_widgets(window.map_view.viewport())
    card = window.title_card.geometry()
    assert covered.contains(card.center()) and not through.contains(card.center())
    assert through.contains(card.topLeft())  # a rounded corner
    assert covered.contains(window.credits_button.geometry().center())


def test_a_pan_step_paints_a_strip_not_the_whole_map(
    qtbot: QtBot, window: MainWindow, touchscreen: QPointingDevice
) -> None:
    _zoomed_in(window)
    viewport = window.map_view.viewport()
    counter = _PaintedArea()
    viewport.installEventFilter(counter)
    moves = 8
    drag(
        viewport,
        touchscreen,
        QPoint(900, 500),
        (160, 0),
        steps=moves,
        between=QApplication.processEvents,
    )
    QApplication.processEvents()
    viewport.removeEventFilter(counter)
    whole = viewport.width() * viewport.height()
    # Each step brings in a strip (about 20 px of 1,920) and the card's corners, the credits
    # button and the attribution; a whole repaint per step would be `moves` times the view.
    assert 0 < counter.pixels < whole * moves * 0.25


def test_after_panning_the_screen_shows_what_a_full_repaint_draws(
    qtbot: QtBot, window: MainWindow, touchscreen: QPointingDevice
) -> None:
    _zoomed_in(window)
    viewport = window.map_view.viewport()
    for start, delta in [
        (QPoint(900, 500), (150, 0)),
        (QPoint(900, 500), (0, 110)),
        (QPoint(1000, 600), (-70, -95)),
    ]:
        drag(viewport, touchscreen, start, delta, steps=7, between=QApplication.processEvents)
        window.map_view.stop_motion()
        QApplication.processEvents()
    pinch(viewport, touchscreen, QPoint(700, 450), 200, 420, steps=6)  # the scale changes too
    window.map_view.stop_motion()
    QApplication.processEvents()
    drag(
        viewport,
        touchscreen,
        QPoint(900, 500),
        (60, 30),
        steps=5,
        between=QApplication.processEvents,
    )
    window.map_view.stop_motion()
    QApplication.processEvents()
    _quiet(window)
    on_screen = _on_screen(window)
    fresh = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    assert on_screen.size() == fresh.size()
    assert on_screen == fresh


def test_panning_beside_an_open_event_panel_leaves_nothing_stale(
    qtbot: QtBot, window: MainWindow, touchscreen: QPointingDevice, bundle: Bundle
) -> None:
    window.state.select(bundle.events[0].id)
    settle(window)
    _quiet(window)
    assert window.panel.isVisible()
    covered, _ = covering_widgets(window.map_view.viewport())
    assert covered.contains(window.panel.geometry().center())
    viewport = window.map_view.viewport()
    for delta in [(120, 40), (-80, -60)]:
        drag(
            viewport,
            touchscreen,
            QPoint(500, 500),
            delta,
            steps=6,
            between=QApplication.processEvents,
        )
        window.map_view.stop_motion()
        QApplication.processEvents()
    _quiet(window)
    fresh = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    assert _on_screen(window) == fresh
