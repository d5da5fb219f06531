"""Switching language: every visible text follows, and the visitor keeps their place."""

from __future__ import annotations

import dataclasses

from PySide6.QtGui import QPointingDevice
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk.content import Bundle
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.conftest import marker_in_view
from tests.ui.touch import tap


def test_language_buttons_name_each_language_in_itself(window: MainWindow) -> None:
    buttons = window.bottom_bar.language_buttons
    assert buttons["en"].text() == "English"
    assert buttons["ru"].text() == "Русский"


def test_switching_to_russian_keeps_the_panel_open_and_translates_it(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    view = window.map_view
    tap(view.viewport(), touchscreen, marker_in_view(window, "volynsky-mutiny"))
    button = window.bottom_bar.language_buttons["ru"]
    tap(button, touchscreen, button.rect().center())

    assert window.state.language == "ru"
    assert window.panel.isVisible() and window.panel.event_id == "volynsky-mutiny"
    event = window.bundle.event("volynsky-mutiny")
    title = window.panel.findChild(QLabel, "event-title")
    assert title is not None and title.text() == event.title["ru"]
    dates = window.panel.findChild(QLabel, "event-dates")
    assert dates is not None
    assert "27 февраля 1917\u202fг. (по старому стилю)" in dates.text()  # CLDR: "г."
    assert "12 марта 1917\u202fг. (по новому стилю)" in dates.text()
    assert window.panel.close_button.text().endswith("Закрыть")
    assert window.title_card.title.text() == window.bundle.manifest.title["ru"]
    assert window.bottom_bar.home_button.text().endswith("Весь город")


def test_quotation_without_a_russian_text_says_so_in_russian(
    qtbot: QtBot, bundle: Bundle, fonts: list[str], touchscreen: QPointingDevice
) -> None:
    # Every quotation of the shipped bundle has a Russian wording now, so one is taken away here.
    event = bundle.event("sampsonievsky-erikson-cossacks")
    quote_id = event.quotes[0]
    english = dataclasses.replace(
        bundle.quotes[quote_id], text={"en": bundle.quotes[quote_id].text["en"]}
    )
    window = MainWindow(dataclasses.replace(bundle, quotes={**bundle.quotes, quote_id: english}))
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    window.state.set_language("ru")
    view = window.map_view
    tap(view.viewport(), touchscreen, marker_in_view(window, event.id))
    notes = [label.text() for label in window.panel.findChildren(QLabel, "quote-note")]
    assert any("Текста на русском языке нет" in note for note in notes)


def test_russian_wording_translated_back_from_english_is_marked(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    window.state.set_language("ru")
    view = window.map_view
    tap(view.viewport(), touchscreen, marker_in_view(window, "sampsonievsky-erikson-cossacks"))
    texts = [label.text() for label in window.panel.findChildren(QLabel, "quote-text")]
    notes = [label.text() for label in window.panel.findChildren(QLabel, "quote-note")]
    assert texts and all(text.startswith("«") for text in texts)
    # The wink is Trotsky's own Russian (no note); the horse is translated back, and says so.
    assert len(texts) == 2
    assert len(notes) == 1 and "перевод для выставки" in notes[0].lower()


def test_switching_back_to_english_restores_english(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    window.state.set_language("ru")
    button = window.bottom_bar.language_buttons["en"]
    tap(button, touchscreen, button.rect().center())
    assert window.state.language == "en"
    assert window.title_card.title.text() == window.bundle.manifest.title["en"]


def test_translation_note_shows_in_the_visitors_own_language_only(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    view = window.map_view
    tap(view.viewport(), touchscreen, marker_in_view(window, "sampsonievsky-erikson-cossacks"))
    notes = [label.text() for label in window.panel.findChildren(QLabel, "quote-note")]
    assert "English translation by Max Eastman" in notes
    window.state.set_language("ru")
    notes = [label.text() for label in window.panel.findChildren(QLabel, "quote-note")]
    assert notes and not any("Eastman" in note for note in notes)


def test_panel_reopened_after_a_language_switch_is_in_the_new_language(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    view = window.map_view
    tap(view.viewport(), touchscreen, marker_in_view(window, "volynsky-mutiny"))
    window.state.select(None)  # closed: the language switch does not rebuild it now
    window.state.set_language("ru")
    tap(view.viewport(), touchscreen, marker_in_view(window, "volynsky-mutiny"))
    title = window.panel.findChild(QLabel, "event-title")
    assert title is not None
    assert title.text() == window.bundle.event("volynsky-mutiny").title["ru"]
