"""Fixtures for UI tests: the shipped bundle, a 1920x1080 kiosk window, a touchscreen device.

`exhibit` and `exhibit_window` run a test on each exhibit: Petrograd (Julian, English first, nine
days) and the test suite's Paris 1871 (tests/bundles/paris-1871: Gregorian, French first with
English and German, 72 days, places off the map).

The window's map runs on a `FakeClock`: flights and glides move only when a test advances the
clock and steps the motion (`settle`), never by waiting in real time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.content import Bundle, load_bundle
from kiosk.paths import default_bundle
from kiosk.ui.journey.theme import load_fonts
from kiosk.ui.qt.clock import ManualClock
from kiosk.ui.shell.main_window import MainWindow

W = TypeVar("W", bound=QWidget)


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    return load_bundle(default_bundle())


PARIS = Path(__file__).resolve().parent.parent / "bundles" / "paris-1871"
EXHIBITS = {"petrograd": default_bundle(), "paris": PARIS}


@pytest.fixture(scope="session")
def paris_bundle() -> Bundle:
    return load_bundle(PARIS)


@pytest.fixture(scope="session", params=sorted(EXHIBITS))
def exhibit(request: pytest.FixtureRequest, bundle: Bundle, paris_bundle: Bundle) -> Bundle:
    """Each exhibit in turn: a test using it runs once on Petrograd and once on Paris."""
    return bundle if request.param == "petrograd" else paris_bundle


@pytest.fixture(scope="session")
def fonts(qapp: QApplication) -> list[str]:
    return load_fonts()


@pytest.fixture
def touchscreen(qapp: QApplication) -> QPointingDevice:
    """A touchscreen of the test's own: Qt keeps each device's contacts, and a contact one test
    left on the glass (a press with no release) would make every later sequence on a shared
    device a continuation of it (a panel's QScroller then never sees a touch begin)."""
    return QTest.createTouchDevice()


class FakeClock:
    """Seconds that pass only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def map_clock() -> FakeClock:
    return FakeClock()


def settle(window: MainWindow, seconds: float = 5.0) -> None:
    """Let the map's flight or glide run to its end on the window's fake clock."""
    view = window.map_view
    assert isinstance(view.clock, FakeClock)
    view.clock.advance(seconds)
    view.advance_motion()
    QApplication.processEvents()


def marker_in_view(window: MainWindow, event_id: str) -> QPointF:
    """Where to tap an event's own marker: zoomed in (or fanned out) past its cluster if need be.

    The map jumps there, as `MapView.reveal` does; a marker already shown on its own, and not
    under the title card or another floating panel, stays put.
    """
    view = window.map_view
    marker = view.markers[event_id]
    pos = view.marker_screen_pos(event_id)
    viewport = view.viewport()
    on_top = window.childAt(viewport.mapTo(window, pos.toPoint()))
    if not marker.isVisible() or on_top is not viewport:  # off the view, or under a card
        view.reveal(event_id)
        QApplication.processEvents()
        pos = view.marker_screen_pos(event_id)
    assert marker.isVisible() and view.marker_at(pos) is marker, event_id
    return pos


def shown(qtbot: QtBot, widget: W, size: tuple[int, int]) -> W:
    """`widget` at `size`, shown and exposed, closed by qtbot after the test."""
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def open_window(qtbot: QtBot, bundle: Bundle, map_clock: FakeClock) -> MainWindow:
    """The kiosk window on `bundle` at 1920x1080, shown, its map moving on `map_clock`."""
    win = MainWindow(bundle)
    win.map_view.clock = map_clock
    return shown(qtbot, win, (1920, 1080))


@pytest.fixture
def window(
    qtbot: QtBot, bundle: Bundle, fonts: list[str], map_clock: FakeClock
) -> Iterator[MainWindow]:
    yield open_window(qtbot, bundle, map_clock)


def show_at(qtbot: QtBot, window: MainWindow, size: tuple[int, int]) -> None:
    """Show `window` at `size` at the top left of the test screen (tests/offscreen-screen.json:
    tall enough for a portrait window, whose lower controls touches then reach)."""
    window.resize(*size)
    window.move(0, 0)
    window.show()
    qtbot.waitExposed(window)


@pytest.fixture
def exhibit_window(
    qtbot: QtBot, exhibit: Bundle, fonts: list[str], map_clock: FakeClock
) -> Iterator[MainWindow]:
    """The kiosk window at 1920x1080 on each exhibit in turn (see `exhibit`)."""
    yield open_window(qtbot, exhibit, map_clock)


@pytest.fixture
def manual_clock() -> ManualClock:
    """The window's whole time (idle, attract loop, play, flights) moved only by the test."""
    return ManualClock()


@pytest.fixture
def clocked_window(
    qtbot: QtBot, bundle: Bundle, fonts: list[str], manual_clock: ManualClock
) -> Iterator[MainWindow]:
    """The kiosk window on a `ManualClock` (the map's flights run on it too)."""
    win = MainWindow(bundle, clock=manual_clock)
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.show()
    qtbot.waitExposed(win)
    yield win
