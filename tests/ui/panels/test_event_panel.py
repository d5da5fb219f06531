"""The event panel: what a visitor reads after tapping a marker, and closing it again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPointingDevice
from PySide6.QtWidgets import QLabel, QScrollArea

from kiosk.ui.panels.parts import ColumnLabel
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.conftest import marker_in_view, settle
from tests.ui.touch import tap


def _text(window: MainWindow, name: str) -> str:
    label = window.panel.findChild(QLabel, name)
    assert label is not None, f"no {name} in the panel"
    return label.text()


def _open(window: MainWindow, touchscreen: QPointingDevice, event_id: str) -> None:
    view = window.map_view
    tap(view.viewport(), touchscreen, marker_in_view(window, event_id))
    assert window.panel.event_id == event_id


def test_panel_shows_title_both_calendars_time_and_place(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    _open(window, touchscreen, "volynsky-mutiny")
    event = window.bundle.event("volynsky-mutiny")
    assert _text(window, "event-title") == event.title["en"]
    dates = _text(window, "event-dates")
    assert "27 February 1917 (Old Style)" in dates
    assert "12 March 1917 (New Style)" in dates
    assert "05:00" in dates
    place = window.bundle.places[event.place]
    assert _text(window, "event-place") == place.name["en"]
    assert _text(window, "event-summary") == event.summary["en"]


def test_panel_shows_the_events_quotations_with_author_and_source(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    _open(window, touchscreen, "abdication-pskov")
    event = window.bundle.event("abdication-pskov")
    assert event.quotes
    texts = [label.text() for label in window.panel.findChildren(QLabel, "quote-text")]
    authors = [label.text() for label in window.panel.findChildren(QLabel, "quote-author")]
    sources = [label.text() for label in window.panel.findChildren(QLabel, "quote-source")]
    assert len(texts) == len(authors) == len(sources) == len(event.quotes)
    for quote_id, text, author, source in zip(event.quotes, texts, authors, sources, strict=True):
        quote = window.bundle.quotes[quote_id]
        assert quote.text["en"] in text
        assert author == f"— {quote.author['en']}"
        assert source == quote.source["en"]


def test_multi_day_event_shows_a_span_in_both_calendars(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    spanning = [e for e in window.bundle.events if e.date_end is not None]
    assert spanning
    _open(window, touchscreen, spanning[0].id)
    dates = _text(window, "event-dates")
    assert "–" in dates.splitlines()[0] and "–" in dates.splitlines()[1]


def test_close_button_closes_the_panel_by_touch(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    _open(window, touchscreen, "volynsky-mutiny")
    button = window.panel.close_button
    assert button.width() >= 48 and button.height() >= 48
    tap(button, touchscreen, button.rect().center())
    assert not window.panel.isVisible()
    assert window.state.selected is None
    assert not any(m._selected for m in window.map_view.markers.values())


def test_chosen_marker_is_marked_and_visible_beside_the_panel(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    _open(window, touchscreen, "order-no-1")
    settle(window)
    marker = window.map_view.markers["order-no-1"]
    assert marker._selected
    pos = window.map_view.marker_screen_pos("order-no-1")
    assert 0 <= pos.x() < window.panel.x()


def test_all_curator_text_is_plain_text(window: MainWindow, touchscreen: QPointingDevice) -> None:
    _open(window, touchscreen, "tauride-committee-soviet")
    labels = window.panel.findChildren(QLabel)
    assert labels
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)


def test_attribution_stays_visible_with_the_panel_open(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    attribution = window.attribution
    assert "© OpenStreetMap contributors" in attribution.text()
    _open(window, touchscreen, "volynsky-mutiny")
    assert attribution.isVisible()
    assert not attribution.geometry().intersects(window.panel.geometry())
    assert window.rect().contains(attribution.geometry())


def test_choosing_an_event_while_zoomed_in_brings_its_marker_beside_the_panel(
    window: MainWindow,
) -> None:
    view = window.map_view
    view.zoom_by(6, QPointF(0, 0))  # zoomed into the north-west, far from the Tauride Palace
    window.state.select("order-no-1")
    settle(window)  # the map flies there
    pos = view.marker_screen_pos("order-no-1")
    assert 0 <= pos.x() < window.panel.x()
    assert 0 <= pos.y() < view.viewport().height()


@pytest.mark.parametrize("event_id", ["tsar-telegram-khabalov", "moscow-rises"])
def test_every_text_in_the_panel_gets_the_column_width_and_the_height_its_lines_need(
    window: MainWindow, event_id: str
) -> None:
    # Column labels give no measured size hint; the column must still size them from their text.
    window.state.select(event_id)
    settle(window)
    area = window.panel.findChild(QScrollArea)
    assert area is not None
    content = area.widget()
    assert content is not None
    layout = content.layout()
    assert layout is not None
    column = content.contentsRect().marginsRemoved(layout.contentsMargins())
    labels = [label for label in content.findChildren(ColumnLabel) if label.isVisible()]
    assert len(labels) > 8
    for label in labels:
        if label.parentWidget() is content:
            assert label.width() == column.width(), label.text()
        assert label.height() == label.heightForWidth(label.width()), label.text()
        assert label.height() >= label.fontMetrics().lineSpacing()
    body = [label for label in labels if label.objectName() == "event-body"]
    assert any(label.height() > 3 * label.fontMetrics().lineSpacing() for label in body)


def test_a_quotation_written_later_labels_its_two_dates(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    # Khabalov's words: said to the inquiry on 22 March, about the evening of 25 February.
    _open(window, touchscreen, "tsar-telegram-khabalov")
    dates = [label.text() for label in window.panel.findChildren(QLabel, "quote-dates")]
    assert (
        "Said or written: 22 March 1917 (Old Style)\nDay described: 25 February 1917 (Old Style)"
        in dates
    )
    # Trotsky's history, written years later: only the day it describes, labelled as such,
    # never a date that reads as though he wrote it in 1917.
    window.panel.show_event("sampsonievsky-erikson-cossacks")
    dates = [label.text() for label in window.panel.findChildren(QLabel, "quote-dates")]
    assert "Day described: 24 February 1917 (Old Style)" in dates
    assert not any("Said or written" in text for text in dates)
    sources = [label.text() for label in window.panel.findChildren(QLabel, "quote-source")]
    assert not any(text.endswith("1917") for text in sources)


def test_quotation_dates_are_in_the_visitors_language(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    window.state.set_language("ru")
    _open(window, touchscreen, "tsar-telegram-khabalov")
    dates = [label.text() for label in window.panel.findChildren(QLabel, "quote-dates")]
    assert any("Описываемый день: 25 февраля 1917" in text for text in dates)


def test_sources_are_shown_in_the_visitors_language(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    window.state.set_language("ru")
    _open(window, touchscreen, "volynsky-mutiny")
    sources = [label.text() for label in window.panel.findChildren(QLabel, "event-source")]
    event = window.bundle.event("volynsky-mutiny")
    assert len(sources) == len(event.sources)
    assert "Ц. Хасэгава. Февральская революция: Петроград, 1917 (на англ. яз., 1981)" in sources
    assert not any("Hasegawa" in source for source in sources)


def test_disputed_hours_read_as_a_disagreement_not_a_span(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    _open(window, touchscreen, "znamenskaya-krylov-killed")
    dates = _text(window, "event-dates")
    assert "Sources disagree: about 12:00 or 15:00" in dates
    assert "12:00–15:00" not in dates
    window.state.set_language("ru")
    assert "Источники расходятся: около 12:00 или 15:00" in _text(window, "event-dates")
