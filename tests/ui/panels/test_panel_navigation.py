"""From event to event in time (arrows and swipes, the map following) and quotations shown large."""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, QPointF
from PySide6.QtGui import QFontMetricsF, QPointingDevice
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

from kiosk.ui.journey import theme
from kiosk.ui.journey.theme import Appearance
from kiosk.ui.panels.quote import events_quoting
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.conftest import settle
from tests.ui.touch import drag, tap

EVENT = "volynsky-mutiny"


def _open(window: MainWindow, event_id: str) -> None:
    window.state.select(event_id)
    settle(window)
    assert window.panel.isVisible() and window.panel.event_id == event_id


def _neighbours(window: MainWindow, event_id: str) -> tuple[str, str]:
    ids = [e.id for e in window.bundle.events]
    i = ids.index(event_id)
    return ids[i - 1], ids[i + 1]


def _centre(widget: QWidget) -> QPoint:
    return widget.rect().center()


def _beside_the_panel(window: MainWindow, event_id: str) -> bool:
    pos = window.map_view.marker_screen_pos(event_id)
    view = window.map_view
    below_card = view.top_inset + (view.viewport().height() - view.top_inset) / 2
    uncovered = QPointF(window.panel.x() / 2, below_card)
    return math.dist(pos.toTuple(), uncovered.toTuple()) < 3


def test_arrows_go_to_the_next_and_previous_event_and_the_map_follows(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    _open(window, EVENT)
    before, after = _neighbours(window, EVENT)
    panel = window.panel
    tap(panel.next_button, touchscreen, _centre(panel.next_button))
    assert window.state.selected == after and panel.event_id == after
    assert window.map_view.flying, "the map follows the panel"
    settle(window)
    assert _beside_the_panel(window, after)
    assert window.map_view.markers[after].selected
    tap(panel.previous_button, touchscreen, _centre(panel.previous_button))
    tap(panel.previous_button, touchscreen, _centre(panel.previous_button))
    assert window.state.selected == before
    settle(window)
    assert _beside_the_panel(window, before)


def test_the_arrows_stop_at_the_first_and_last_event(window: MainWindow) -> None:
    events = window.bundle.events
    _open(window, events[0].id)
    position = window.panel.findChild(QLabel, "event-position")
    assert position is not None and position.text() == f"1 of {len(events)}"
    assert not window.panel.previous_button.isEnabled()
    assert window.panel.previous_button.isHidden()  # no "Earlier" on the first event
    window.panel.show_previous()
    assert window.state.selected == events[0].id
    _open(window, events[-1].id)
    assert not window.panel.next_button.isEnabled()
    assert window.panel.next_button.isHidden()  # nor "Later" on the last
    assert window.panel.previous_button.isEnabled() and not window.panel.previous_button.isHidden()


def test_swiping_the_panel_sideways_turns_to_the_next_or_previous_event(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    _open(window, EVENT)
    before, after = _neighbours(window, EVENT)
    scroll = window.panel.findChild(QScrollArea)
    assert scroll is not None
    text = scroll.viewport()
    start = _centre(text) + QPoint(150, 0)
    drag(text, touchscreen, start, (-300, 20))  # pull the page to the left: the next event
    assert window.state.selected == after
    drag(text, touchscreen, start - QPoint(300, 0), (300, -10))
    drag(text, touchscreen, start - QPoint(300, 0), (300, 0))
    assert window.state.selected == before


def test_scrolling_the_panel_or_a_short_sideways_wobble_turns_no_page(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    _open(window, EVENT)
    scroll = window.panel.findChild(QScrollArea)
    assert scroll is not None
    text = scroll.viewport()
    drag(text, touchscreen, _centre(text) + QPoint(0, 200), (60, -400), steps=20)
    assert window.state.selected == EVENT
    drag(text, touchscreen, _centre(text), (-30, 0))
    assert window.state.selected == EVENT


def test_a_tapped_quotation_opens_large_with_author_and_source(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    event_id = "abdication-pskov"
    _open(window, event_id)
    quote_id = window.bundle.event(event_id).quotes[0]
    quote = window.bundle.quotes[quote_id]
    block = window.panel.findChild(QWidget, "quote")
    assert block is not None
    scroll = window.panel.findChild(QScrollArea)
    assert scroll is not None
    scroll.ensureWidgetVisible(block)
    tap(block, touchscreen, _centre(block))
    view = window.quote_view
    assert view.isVisible() and view.quote_id == quote_id
    assert quote.text["en"] in view.text.text()
    assert view.author.text() == f"— {quote.author['en']}"
    assert view.source.text().startswith(quote.source["en"])
    assert view.text.font().pixelSize() >= 36, "large"
    # Lines a visitor can follow: about 55 characters of the quotation's type at most.
    words = view.text.text()
    per_char = QFontMetricsF(view.text.font()).horizontalAdvance(words) / len(words)
    assert view.text.width() / per_char <= 56
    assert view.geometry().contains(window.panel.geometry()), "over everything"


def test_from_a_quotation_one_reaches_its_event(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    quote_id = next(iter(window.bundle.quotes))
    owner = events_quoting(window.bundle, quote_id)[0]
    view = window.quote_view
    view.show_quote(quote_id)
    title = window.bundle.event(owner).title["en"]
    assert title in view.event_button.text()
    tap(view.event_button, touchscreen, _centre(view.event_button))
    assert not view.isVisible()
    assert window.state.selected == owner
    assert window.panel.isVisible() and window.panel.event_id == owner
    settle(window)
    assert _beside_the_panel(window, owner)


def test_a_quotation_closes_with_its_button_or_a_tap_beside_it(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    view = window.quote_view
    quote_id = next(iter(window.bundle.quotes))
    view.show_quote(quote_id)
    tap(view.close_button, touchscreen, _centre(view.close_button))
    assert not view.isVisible()
    view.show_quote(quote_id)
    tap(view, touchscreen, QPoint(20, 20))  # the dimmed map around the card
    assert not view.isVisible()
    assert window.state.selected is None, "closing a quotation chooses nothing"


def test_a_quotation_shown_in_russian_switches_with_the_language(window: MainWindow) -> None:
    view = window.quote_view
    quote_id = next(q for q, quote in window.bundle.quotes.items() if "ru" in quote.text)
    view.show_quote(quote_id)
    window.state.set_language("ru")
    assert window.bundle.quotes[quote_id].text["ru"] in view.text.text()
    assert "К событию" in view.event_button.text()


def test_large_text_and_high_contrast_reach_the_quotation_and_the_arrows(
    window: MainWindow,
) -> None:
    _open(window, EVENT)
    view = window.quote_view
    view.show_quote(next(iter(window.bundle.quotes)))
    normal_quote = view.text.font().pixelSize()
    normal_arrow = window.panel.next_button.font().pixelSize()
    window.state.set_appearance(Appearance(large_text=True, high_contrast=True))
    assert view.text.font().pixelSize() == round(normal_quote * theme.LARGE_TEXT_SCALE)
    assert window.panel.next_button.font().pixelSize() > normal_arrow
    card = view.findChild(QWidget, "quote-card")
    assert card is not None
    assert theme.HIGH_CONTRAST.panel.background.name() in card.styleSheet()
    words = view.text.text()
    per_char = QFontMetricsF(view.text.font()).horizontalAdvance(words) / len(words)
    assert view.text.width() / per_char <= 56, "still short lines in large text"
