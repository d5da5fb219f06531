"""Analytics for every visitor: keypad keys, screen readers and narration are counted, as
anonymously as touches, and the report says how often each was used."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.analytics.dataset import load_dataset
from kiosk.analytics.figures import compute
from kiosk.analytics.html_report import render
from kiosk.analytics.recorder import Recorder
from kiosk.content import Bundle
from kiosk.ui.qt.clock import ManualClock
from kiosk.ui.shell.analytics_probe import AnalyticsProbe
from kiosk.ui.shell.main_window import MainWindow
from tests.analytics.conftest import rows
from tests.analytics.known_data import write_known
from tests.ui.access.conftest import NARRATED, narrated_bundle, open_window  # noqa: F401

WALL_START = dt.datetime(2026, 5, 1, 10, 0).timestamp()


def _probe(window: MainWindow, recorder: Recorder, clock: ManualClock) -> AnalyticsProbe:
    start = clock.now()
    made = AnalyticsProbe(recorder, wall=lambda: WALL_START + clock.now() - start)
    window.start_attract()
    made.attach(window)
    return made


@pytest.fixture
def probe(
    clocked_window: MainWindow, recorder: Recorder, manual_clock: ManualClock
) -> Iterator[AnalyticsProbe]:
    made = _probe(clocked_window, recorder, manual_clock)
    yield made
    made.detach()


def _key(window: MainWindow, key: Qt.Key) -> None:
    handle = window.windowHandle()
    assert handle is not None
    QTest.keyClick(handle, key)


def test_a_keypad_visit_is_a_session_with_its_keys(
    clocked_window: MainWindow,
    manual_clock: ManualClock,
    probe: AnalyticsProbe,
    recorder: Recorder,
) -> None:
    window = clocked_window
    _key(window, Qt.Key.Key_Right)  # wakes the kiosk from the attract loop: a session starts
    manual_clock.advance(5)
    _key(window, Qt.Key.Key_Right)
    _key(window, Qt.Key.Key_Return)
    manual_clock.advance(10)
    _key(window, Qt.Key.Key_F1)
    probe.detach()
    assert recorder.flush()
    keys = rows(recorder.folder, "SELECT subject FROM actions WHERE kind = 'keypad' ORDER BY rowid")
    assert keys == [("next",), ("select",), ("help",)]
    ((started, last, touches),) = rows(
        recorder.folder, "SELECT started, last_touch, touches FROM sessions"
    )
    assert last - started == pytest.approx(15)  # keys count as the visitor being there
    assert touches == 0  # but they are not touches
    assert rows(recorder.folder, "SELECT * FROM actions WHERE kind = 'screen_reader'") == []


def test_a_session_with_a_screen_reader_is_marked_once(
    clocked_window: MainWindow,
    probe: AnalyticsProbe,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(QAccessible, "isActive", staticmethod(lambda: True))
    window = clocked_window
    _key(window, Qt.Key.Key_Right)
    window.state.select(window.bundle.events[0].id)
    window.state.select(window.bundle.events[1].id)
    probe.detach()
    assert recorder.flush()
    assert rows(recorder.folder, "SELECT kind FROM actions WHERE kind = 'screen_reader'") == [
        ("screen_reader",)
    ]


def test_narration_is_recorded_with_how_long_it_was_heard(
    qtbot: QtBot,
    narrated_bundle: Bundle,  # noqa: F811
    fonts: list[str],
    manual_clock: ManualClock,
    recorder: Recorder,
) -> None:
    window = open_window(qtbot, MainWindow(narrated_bundle, clock=manual_clock))
    probe = _probe(window, recorder, manual_clock)
    window.idle.touched()
    window.state.select(NARRATED)
    window.listen_bar.button.click()
    manual_clock.advance(0.5)
    window.listen_bar.button.click()  # stopped half way
    probe.detach()
    assert recorder.flush()
    assert rows(
        recorder.folder, "SELECT subject, seconds, via FROM actions WHERE kind = 'narration'"
    ) == [(NARRATED, 0.5, "recording")]


def test_the_report_counts_every_visitor(tmp_path: Path) -> None:
    start = dt.datetime(2026, 3, 8, 10, tzinfo=dt.UTC).timestamp()
    database = write_known(
        tmp_path / "hall",
        "Hall",
        [
            {
                "key": "k",
                "start": start,
                "length": 60,
                "touches": 0,
                "languages": ["en"],
                "actions": [
                    ("keypad", "next", None, None),
                    ("keypad", "select", None, None),
                    ("screen_reader", None, None, None),
                    ("narration", NARRATED, 40.0, "recording"),
                    ("narration", "mikhail-declines", 20.0, "speech"),
                ],
            },
            {"key": "t", "start": start + 600, "length": 30, "touches": 5, "languages": ["en"]},
        ],
    )
    figures = compute(load_dataset([database]))
    assert (figures.keypad_sessions, figures.keypad_presses) == (1, 2)
    assert figures.screen_reader_sessions == 1
    assert (figures.narration_sessions, figures.narrations, figures.spoken_by_system) == (1, 2, 1)
    assert figures.median_narration_seconds == 30
    page = render(figures, "Test", None, 0, 100.0, [], {}, [], dt.datetime(2026, 3, 9))
    assert "The keypad was used in one session (2 keys pressed)" in page
    assert "Narration was heard twice in one session, for 30 s (median); 1 of these" in page
