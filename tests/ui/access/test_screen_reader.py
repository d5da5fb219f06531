"""Screen readers: the accessibility tree of the real window, walked as Orca or NVDA would.

Every visible control has a name in the visitor's language (no glyphs read out), the day buttons
name their dates, the map's events are a list in story order, and what changes is announced.
Announcements are caught where Qt's bridge would get them: `QAccessible.updateAccessibility`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QAccessibleEvent,
    QAccessibleInterface,
)
from PySide6.QtWidgets import QFrame

from kiosk.content.data import pick
from kiosk.ui.journey.idle import COUNTDOWN_SECONDS, Phase
from kiosk.ui.journey.words import tr
from kiosk.ui.qt.clock import ManualClock
from kiosk.ui.shell.main_window import MainWindow

IDLE = 60  # the Petrograd bundle's idle_seconds
GLYPHS = set("✕▶■⌂◐⤢←→")
_CONTROLS = {
    QAccessible.Role.Button,
    QAccessible.Role.CheckBox,
    QAccessible.Role.RadioButton,
    QAccessible.Role.ListItem,
    QAccessible.Role.List,
}


def walk(interface: QAccessibleInterface) -> Iterator[QAccessibleInterface]:
    """Every visible interface under `interface`, depth first, in reading order."""
    yield interface
    for index in range(interface.childCount()):
        child = interface.child(index)
        if child is not None and not child.state().invisible:
            yield from walk(child)


def tree(window: MainWindow) -> list[QAccessibleInterface]:
    root = QAccessible.queryAccessibleInterface(window)
    assert root is not None
    return list(walk(root))


def named(window: MainWindow, name: str) -> QAccessibleInterface:
    found = [i for i in tree(window) if i.text(QAccessible.Text.Name) == name]
    assert found, name
    return found[0]


@pytest.fixture
def announcements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    heard: list[str] = []
    original = QAccessible.updateAccessibility

    def update(event: QAccessibleEvent) -> None:
        if isinstance(event, QAccessibleAnnouncementEvent):
            heard.append(event.message())
        original(event)

    monkeypatch.setattr(QAccessible, "updateAccessibility", staticmethod(update))
    return heard


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_visible_control_is_named_in_the_visitors_language(
    window: MainWindow, language: str
) -> None:
    window.state.set_language(language)
    window.state.select("volynsky-mutiny")  # the panel's buttons too
    controls = [i for i in tree(window) if i.role() in _CONTROLS]
    assert len(controls) > 20
    for control in controls:
        text = control.text(QAccessible.Text.Name)
        assert text.strip(), control
        assert not set(text) & GLYPHS, text  # the buttons' glyphs are not read out
    bar = window.bottom_bar
    assert bar.home_button.accessibleName() == tr(language, "whole_city")
    assert bar.large_text_button.accessibleDescription() == tr(language, "a11y_toggle_large")
    assert window.panel.close_button.accessibleName() == tr(language, "close")
    assert named(window, tr(language, "a11y_map")).role() == QAccessible.Role.List


def test_toggles_and_languages_say_whether_they_are_on(window: MainWindow) -> None:
    bar = window.bottom_bar
    contrast = QAccessible.queryAccessibleInterface(bar.contrast_button)
    assert not contrast.state().checked
    bar.contrast_button.click()
    assert window.state.appearance.high_contrast
    assert QAccessible.queryAccessibleInterface(bar.contrast_button).state().checked
    assert QAccessible.queryAccessibleInterface(bar.language_buttons["en"]).state().checked
    bar.language_buttons["ru"].click()
    assert QAccessible.queryAccessibleInterface(bar.language_buttons["ru"]).state().checked
    assert not QAccessible.queryAccessibleInterface(bar.language_buttons["en"]).state().checked


def test_the_painted_day_buttons_name_their_dates_in_both_calendars(window: MainWindow) -> None:
    day = dt.date(1917, 2, 27)
    button = window.timeline.day_buttons[day]
    interface = QAccessible.queryAccessibleInterface(button)
    assert interface.role() == QAccessible.Role.CheckBox  # a day is chosen or not
    assert interface.text(QAccessible.Text.Name).startswith("27 February (12 March, New Style)")
    window.state.set_language("ru")
    assert (
        QAccessible.queryAccessibleInterface(button)
        .text(QAccessible.Text.Name)
        .startswith("27 февраля (12 марта, по новому стилю)")
    )
    window.state.set_day(day)
    assert QAccessible.queryAccessibleInterface(button).state().checked


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_maps_events_are_a_list_in_story_order(window: MainWindow, language: str) -> None:
    window.state.set_language(language)
    bundle = window.bundle
    events = named(window, tr(language, "a11y_map"))
    assert events.childCount() == len(bundle.events)
    for index, event in enumerate(bundle.events):
        item = events.child(index)
        assert item.role() == QAccessible.Role.ListItem
        text = item.text(QAccessible.Text.Name)
        assert text.startswith(pick(event.title, language, "en")), text
        place = pick(bundle.places[event.place].name, language, "en")
        assert place in text
        assert item.text(QAccessible.Text.Description) == pick(event.summary, language, "en")
        assert item.parent() is events or item.parent().text(QAccessible.Text.Name) == (
            events.text(QAccessible.Text.Name)
        )
        assert events.indexOfChild(item) == index
    window.state.select(bundle.events[3].id)
    assert events.child(3).state().selected and not events.child(2).state().selected


def test_the_panel_reads_in_order_with_each_quotation_and_its_author(window: MainWindow) -> None:
    event = window.bundle.event("volynsky-mutiny")
    window.state.select(event.id)
    root = QAccessible.queryAccessibleInterface(window.panel)
    assert root.text(QAccessible.Text.Name).endswith(event.title["en"])
    texts = [i.text(QAccessible.Text.Name) for i in walk(root)]
    title = texts.index(event.title["en"])
    summary = texts.index(event.summary["en"])
    assert title < summary
    quote = window.bundle.quotes[event.quotes[0]]
    author = quote.author["en"]
    block = texts.index(tr("en", "a11y_quote", author=author))
    assert summary < block
    assert any(quote.text["en"] in t for t in texts[block:])  # its words follow its author


def test_a_quotation_a_person_and_the_credits_are_named_for_what_they_show(
    window: MainWindow,
) -> None:
    bundle = window.bundle
    event = bundle.event("volynsky-mutiny")
    window.state.select(event.id)
    window.panel.quote_requested.emit(event.quotes[0])
    author = bundle.quotes[event.quotes[0]].author["en"]
    assert window.quote_view.accessibleName() == tr("en", "a11y_quote", author=author)
    window.panel.person_requested.emit("kirpichnikov")
    assert window.person_panel.accessibleName() == bundle.people["kirpichnikov"].name["en"]
    window.credits_button.click()
    window.state.set_language("ru")
    assert window.credits_panel.accessibleName() == tr("ru", "credits")
    assert window.person_panel.accessibleName() == bundle.people["kirpichnikov"].name["ru"]


def test_the_tree_speaks_the_visitors_language_and_quotations_their_own(
    window: MainWindow,
) -> None:
    window.state.set_language("ru")
    assert window.bottom_bar.home_button.locale().name() == "ru_RU"
    assert QLocale().name() == "ru_RU"  # what the map's event items report
    window.state.set_language("en")
    event = next(e for e in window.bundle.events if e.quotes)
    quote = window.bundle.quotes[event.quotes[0]]
    window.state.select(event.id)
    block = window.panel.findChildren(QFrame, "quote")[0]
    shown = "en" if "en" in quote.text else next(iter(quote.text))
    assert block.locale().name() == QLocale(shown).name()
    assert window.panel.close_button.locale().name() == "en_US"


def test_opening_a_day_and_a_language_are_announced(
    window: MainWindow, announcements: list[str]
) -> None:
    window.state.select("volynsky-mutiny")
    assert announcements[-1].startswith(window.bundle.event("volynsky-mutiny").title["en"])
    window.state.set_day(dt.date(1917, 2, 27))
    assert announcements[-1].startswith("27 February. Events that day:")
    window.state.set_day(None)
    assert announcements[-1] == tr("en", "a11y_day_cleared")
    window.state.set_language("ru")
    assert announcements[-1] == "Язык: Русский"


def test_the_countdown_and_the_reset_are_announced(
    clocked_window: MainWindow, manual_clock: ManualClock, announcements: list[str]
) -> None:
    window = clocked_window
    window.idle.touched()
    window.state.set_language("ru")
    manual_clock.advance(IDLE + 1)
    assert window.idle.phase is Phase.COUNTDOWN
    assert announcements[-1].startswith(tr("ru", "a11y_still_there"))
    assert tr("ru", "a11y_seconds_left", seconds=COUNTDOWN_SECONDS) in announcements[-1]
    heard = len(announcements)
    manual_clock.advance(COUNTDOWN_SECONDS + 0.5)
    assert window.idle.phase is Phase.ATTRACT
    # The reset itself goes back to English without saying so: only that it starts again.
    assert announcements[heard:] == [tr("en", "a11y_reset")]
