"""A timeline for any span: days when they fit, else weeks, months or years; finger-sized,
never overlapping, scrolled by a finger when even the years do not fit; on both exhibits, in
landscape and portrait, in normal and large text."""

from __future__ import annotations

import dataclasses
import datetime as dt
from itertools import combinations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QPointingDevice
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from kiosk.content import Bundle
from kiosk.ui.journey.theme import Appearance
from kiosk.ui.journey.timeline import STEP_SECONDS, events_between, periods
from kiosk.ui.map.touch_rules import FINGER_MM
from kiosk.ui.qt.clock import ManualClock
from kiosk.ui.qt.screen_density import px_per_mm
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.conftest import show_at
from tests.ui.touch import drag, tap

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


def _window(
    qtbot: QtBot, bundle: Bundle, size: tuple[int, int], clock: ManualClock | None = None
) -> MainWindow:
    window = MainWindow(bundle, clock=clock)
    qtbot.addWidget(window)
    show_at(qtbot, window, size)
    _laid_out(qtbot, window)
    return window


def _laid_out(qtbot: QtBot, window: MainWindow) -> None:
    """Wait for the strip's layout to have placed the buttons (a new grouping, new widths)."""

    def placed() -> bool:
        buttons = window.timeline.buttons
        strip = window.timeline.strip_area.widget()
        row = strip.layout() if strip is not None else None
        return (
            row is not None
            and not row.geometry().isEmpty()
            and row.geometry().width() >= row.minimumSize().width()
            and all(b.isVisible() and b.width() >= b.minimumWidth() for b in buttons)
        )

    qtbot.waitUntil(placed)
    qtbot.wait(50)


def _spanning(bundle: Bundle, start: dt.date, end: dt.date) -> Bundle:
    """`bundle` told to cover other dates (its events stay where they are)."""
    dates = dataclasses.replace(bundle.manifest.dates, start=start, end=end)
    return dataclasses.replace(bundle, manifest=dataclasses.replace(bundle.manifest, dates=dates))


def _visible_rect(window: MainWindow, widget: QWidget) -> QRect:
    """The part of `widget` a visitor sees, in window coordinates (a scrolled strip clips it)."""
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    area = window.timeline.strip_area.viewport()
    if area.isAncestorOf(widget):
        rect &= QRect(area.mapTo(window, QPoint(0, 0)), area.size())
    return rect


def _check_touch_sized_and_apart(window: MainWindow) -> None:
    finger = max(48, FINGER_MM * px_per_mm(window) - 1)
    timeline = window.timeline
    assert timeline.buttons
    for button in timeline.buttons:
        assert button.width() >= finger and button.height() >= 48, button.objectName()
    shown = [timeline.play_button] + [b for b in timeline.buttons if b.isVisible()]
    rects = [(w.objectName(), _visible_rect(window, w)) for w in shown]
    rects = [(name, rect) for name, rect in rects if not rect.isEmpty()]
    for (a, ra), (b, rb) in combinations(rects, 2):
        assert not ra.intersects(rb), (a, b)


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
@pytest.mark.parametrize("size", sorted(SIZES), ids=str)
def test_buttons_fit_a_finger_and_never_overlap(
    qtbot: QtBot, exhibit: Bundle, fonts: list[str], size: str, large: bool
) -> None:
    window = _window(qtbot, exhibit, SIZES[size])
    window.state.set_appearance(Appearance(large_text=large))
    _laid_out(qtbot, window)
    _check_touch_sized_and_apart(window)
    for language in exhibit.manifest.languages:
        window.state.set_language(language)
        _laid_out(qtbot, window)
        _check_touch_sized_and_apart(window)


def test_the_finest_grouping_that_fits_is_shown(
    qtbot: QtBot, bundle: Bundle, paris_bundle: Bundle, fonts: list[str]
) -> None:
    assert _window(qtbot, bundle, SIZES["landscape"]).timeline.kind == "day"  # nine days
    wide = _window(qtbot, paris_bundle, SIZES["landscape"]).timeline
    assert wide.kind == "week"  # 72 days do not fit a finger each
    labels = [b.label()[0] for b in wide.buttons]
    assert labels[0] == "18–24 mars" and labels[-1] == "27–28 mai"
    narrow = _window(qtbot, paris_bundle, SIZES["portrait"]).timeline
    assert narrow.kind == "month"
    assert [b.label()[0] for b in narrow.buttons] == ["Mars 1871", "Avril 1871", "Mai 1871"]


def test_years_of_story_are_grouped_by_month_or_year(
    qtbot: QtBot, paris_bundle: Bundle, fonts: list[str]
) -> None:
    two_years = _spanning(paris_bundle, dt.date(1870, 7, 19), dt.date(1871, 12, 31))
    timeline = _window(qtbot, two_years, SIZES["landscape"]).timeline
    assert timeline.kind == "month"
    assert timeline.buttons[0].label() in (("Juillet 1870", ""), ("Juillet", "1870"))
    long = _spanning(paris_bundle, dt.date(1789, 1, 1), dt.date(1871, 12, 31))
    timeline = _window(qtbot, long, SIZES["portrait"]).timeline
    assert timeline.kind == "year"
    assert [b.label()[0] for b in timeline.buttons][:2] == ["1789", "1790"]


def test_one_day_is_one_button(qtbot: QtBot, paris_bundle: Bundle, fonts: list[str]) -> None:
    day = dt.date(1871, 3, 18)
    timeline = _window(qtbot, _spanning(paris_bundle, day, day), SIZES["portrait"]).timeline
    assert timeline.kind == "day" and len(timeline.buttons) == 1
    assert timeline.buttons[0].label()[0] in ("18 mars", "18")


def test_tapping_a_group_lights_its_events_and_again_clears_them(
    qtbot: QtBot, paris_bundle: Bundle, fonts: list[str], touchscreen: QPointingDevice
) -> None:
    window = _window(qtbot, paris_bundle, SIZES["portrait"])
    april = window.timeline.buttons[1]
    assert april.period.first == dt.date(1871, 4, 1) and april.period.last == dt.date(1871, 4, 30)
    tap(april, touchscreen, april.rect().center())
    assert window.state.day_span == (april.period.first, april.period.last)
    lit = set(events_between(paris_bundle, april.period.first, april.period.last))
    assert lit == {"first-shots-courbevoie", "bakeries-night-work"}
    for event_id, marker in window.map_view.markers.items():
        assert marker.dimmed == (event_id not in lit), event_id
    assert april.chosen
    tap(april, touchscreen, april.rect().center())
    assert window.state.day_span is None
    assert not any(marker.dimmed for marker in window.map_view.markers.values())


def test_a_long_span_scrolls_under_a_finger_and_play_follows_the_story(
    qtbot: QtBot, paris_bundle: Bundle, fonts: list[str], touchscreen: QPointingDevice
) -> None:
    clock = ManualClock()
    long = _spanning(paris_bundle, dt.date(1789, 1, 1), dt.date(1871, 12, 31))
    window = _window(qtbot, long, SIZES["landscape"], clock)
    timeline = window.timeline
    bar = timeline.strip_area.horizontalScrollBar()
    assert timeline.kind == "year" and bar.maximum() > 0, "83 years do not fit: it scrolls"
    _check_touch_sized_and_apart(window)
    viewport = timeline.strip_area.viewport()
    drag(viewport, touchscreen, viewport.rect().center(), (-500, 0), steps=20)
    qtbot.waitUntil(lambda: bar.value() > 200, timeout=10_000)
    _check_touch_sized_and_apart(window)

    bar.setValue(0)  # back at 1789; Play brings 1871 into view
    play = timeline.play_button
    tap(play, touchscreen, play.rect().center())
    assert window.player.playing
    chosen = [b for b in timeline.buttons if b.chosen]
    assert [b.period.first.year for b in chosen] == [1871]
    qtbot.waitUntil(lambda: not _visible_rect(window, chosen[0]).isEmpty())
    assert _visible_rect(window, chosen[0]).width() == chosen[0].width()


@pytest.mark.parametrize("size", sorted(SIZES), ids=str)
def test_play_walks_every_event_and_shows_its_group(
    qtbot: QtBot, exhibit: Bundle, fonts: list[str], size: str
) -> None:
    clock = ManualClock()
    window = _window(qtbot, exhibit, SIZES[size], clock)
    window.state.set_appearance(Appearance(large_text=True))
    window.player.start()
    for event in exhibit.events:
        assert window.state.selected == event.id
        (chosen,) = [b for b in window.timeline.buttons if b.chosen]
        assert chosen.period.contains(event.date)
        clock.advance(STEP_SECONDS)
    assert not window.player.playing


def test_periods_cut_the_span_and_clip_it() -> None:
    start, end = dt.date(1871, 3, 18), dt.date(1871, 5, 28)
    weeks = periods(start, end, "week")
    assert (weeks[0].first, weeks[0].last) == (start, dt.date(1871, 3, 24))
    assert weeks[-1].last == end and len(weeks) == 11
    months = periods(start, end, "month")
    assert [(m.first, m.last) for m in months] == [
        (start, dt.date(1871, 3, 31)),
        (dt.date(1871, 4, 1), dt.date(1871, 4, 30)),
        (dt.date(1871, 5, 1), end),
    ]
    assert [p.first.year for p in periods(dt.date(1870, 7, 1), end, "year")] == [1870, 1871]


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_the_bottom_bar_words_are_never_cut_off_in_portrait(
    qtbot: QtBot, exhibit: Bundle, fonts: list[str], large: bool
) -> None:
    window = _window(qtbot, exhibit, SIZES["portrait"])
    window.state.set_appearance(Appearance(large_text=large))
    for language in exhibit.manifest.languages:
        window.state.set_language(language)
        qtbot.wait(20)
        buttons = window.bottom_bar.findChildren(QPushButton)
        for button in buttons:
            words = button.fontMetrics().horizontalAdvance(button.text())
            assert words < button.width() - 12, (language, button.text())
            assert button.width() >= 48 and button.height() >= 48
            right = button.mapTo(window, QPoint(button.width(), 0)).x()
            assert right <= window.width(), button.text()
        rects = [QRect(b.mapTo(window, QPoint(0, 0)), b.size()) for b in buttons]
        for a, b in combinations(rects, 2):
            assert not a.intersects(b)
