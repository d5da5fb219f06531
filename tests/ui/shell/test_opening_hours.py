"""Outside opening hours: a black screen, the exhibit back at the start and paused, touches
ignored (the staff's overlays stay on top); open again, the attract loop begins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QPointingDevice
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.runtime.opening_hours import OpeningHours
from kiosk.ui.journey.idle import Phase
from kiosk.ui.qt.clock import ManualClock
from kiosk.ui.qt.staff_marks import mark_staff
from kiosk.ui.shell.host import BundleHost
from kiosk.ui.shell.opening_hours import OpeningHoursGate
from tests.ui.shell.conftest import clocked_host
from tests.ui.touch import tap
from tests.updates.helpers import make_bundle

HOURS = OpeningHours.parse("mon-fri 09:00-18:00")
MONDAY = dt.datetime(2026, 12, 7)


class Now:
    def __init__(self) -> None:
        self.moment = MONDAY.replace(hour=12)

    def __call__(self) -> dt.datetime:
        return self.moment


@pytest.fixture
def host(
    qtbot: QtBot, tmp_path: Path, manual_clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[BundleHost]:
    folder = make_bundle(tmp_path / "bundles", "1.0.0")
    yield clocked_host(qtbot, monkeypatch, manual_clock, folder, (1280, 800))


def test_closed_the_screen_is_black_and_the_exhibit_paused(
    host: BundleHost, qtbot: QtBot, touchscreen: QPointingDevice, tmp_path: Path
) -> None:
    now = Now()
    gate = OpeningHoursGate(host, HOURS, now, check_ms=20)
    exhibit = host.exhibit
    assert exhibit is not None and gate.is_open and not gate.screen.isVisible()
    tap(exhibit.map_view.viewport(), touchscreen, QPoint(600, 400))  # a visitor at noon
    assert exhibit.idle.phase is Phase.ACTIVE

    now.moment = MONDAY.replace(hour=18)
    qtbot.waitUntil(lambda: not gate.is_open, timeout=10_000)
    assert gate.screen.isVisible() and gate.screen.geometry() == host.rect()
    assert not exhibit.isVisible()
    assert exhibit.idle.phase is Phase.ATTRACT and not exhibit.attract.running
    assert exhibit.state.selected is None
    picture = host.grab().toImage()
    assert picture.pixelColor(640, 400).name() == "#000000"

    pressed: list[object] = []
    exhibit.touches.pressed.connect(pressed.append)
    tap(gate.screen, touchscreen, QPoint(600, 400))  # a cleaner's cloth at night
    assert pressed == [] and exhibit.idle.phase is Phase.ATTRACT
    assert not exhibit.attract.running

    # A content update swapped in while closed stays closed.
    assert host.load(make_bundle(tmp_path / "bundles", "2.0.0"))
    swapped = host.exhibit
    assert swapped is not None and swapped is not exhibit
    assert not swapped.isVisible() and swapped.touches.paused and not swapped.attract.running
    assert gate.screen.isVisible()

    now.moment = MONDAY + dt.timedelta(days=1, hours=9)  # Tuesday morning
    qtbot.waitUntil(lambda: gate.is_open, timeout=10_000)
    assert not gate.screen.isVisible() and swapped.isVisible()
    assert not swapped.touches.paused
    assert swapped.idle.phase is Phase.ATTRACT and swapped.attract.running


def test_staff_overlays_stay_above_the_black_screen(host: BundleHost, qtbot: QtBot) -> None:
    pad = QWidget(host)
    mark_staff(pad)
    pad.setGeometry(100, 100, 300, 300)
    pad.show()
    now = Now()
    now.moment = MONDAY.replace(hour=20)
    gate = OpeningHoursGate(host, HOURS, now)
    assert not gate.is_open and gate.screen.isVisible()
    assert host.childAt(QPoint(200, 200)) is pad
    assert host.childAt(QPoint(800, 600)) is gate.screen
