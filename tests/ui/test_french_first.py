"""A French-first, months-long exhibit shows no English interface word anywhere a visitor can
reach: every panel, the timeline, the markers, the countdown, in both text sizes, in landscape
and portrait. The English interface words are the English catalogue's (their literal parts, where
they differ from the French); the curators' own texts are not interface words (the Marx quotation
is shown in its English original, as it should be)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot

from kiosk.content import Bundle
from kiosk.content.interface_words import built_in, keys
from kiosk.ui.journey.theme import Appearance
from kiosk.ui.journey.words import tr
from kiosk.ui.map.markers import MarkerItem
from kiosk.ui.qt.clock import ManualClock
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.conftest import show_at


def english_words() -> list[re.Pattern[str]]:
    """Each English interface word's literal parts (placeholders cut out), as whole words."""
    found = []
    for key in keys():
        english, french = built_in("en", key), built_in("fr", key)
        assert english is not None and french is not None
        if english == french:
            continue  # "Sources" is French too
        for part in re.split(r"\{[a-z_]+\}", english):
            part = part.strip(" .?!:;▶■").strip()
            if len(part) >= 4 and part not in french:
                found.append(re.compile(rf"(?<!\w){re.escape(part)}(?!\w)"))
    return found


def visible_texts(window: MainWindow, skip: tuple[QWidget, ...]) -> list[str]:
    """What a visitor can read now: labels and buttons shown, the timeline's painted labels, the
    markers (their dates and off-map names), the countdown."""
    texts = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or any(
            w is widget or w.isAncestorOf(widget) for w in skip
        ):
            continue
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append(widget.text())
    texts += ["\n".join(b.label()) for b in window.timeline.buttons]
    for item in window.map_view.scene().items():
        if isinstance(item, MarkerItem) and item.isVisible():
            texts += [item.text, item._label]
    if window.countdown.isVisible():
        texts += [
            tr(window.countdown.language, "still_there"),
            tr(window.countdown.language, "touch_to_stay"),
        ]
    return texts


def _no_english(texts: list[str], where: str) -> None:
    patterns = english_words()
    for text in texts:
        for pattern in patterns:
            assert not pattern.search(text), f"{where}: English {pattern.pattern!r} in {text!r}"


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_a_french_visitor_reads_no_english_interface_word(
    qtbot: QtBot, paris_bundle: Bundle, fonts: list[str], size: tuple[int, int]
) -> None:
    clock = ManualClock()
    window = MainWindow(paris_bundle, clock=clock)
    qtbot.addWidget(window)
    show_at(qtbot, window, size)
    assert window.state.language == "fr"
    # The invitation between visitors stands in every language of the exhibit, by design.
    skip: tuple[QWidget, ...] = (
        window.attract_overlay,
        *window.bottom_bar.language_buttons.values(),
    )
    for large in (False, True):
        window.state.set_appearance(Appearance(large_text=large))
        _no_english(visible_texts(window, skip), "the map")
        for event in paris_bundle.events:
            window.state.select(event.id)
            _no_english(visible_texts(window, skip), event.id)
        window.state.select(None)
        window.quote_view.show_quote("marx-state-machinery")
        texts = visible_texts(window, skip)
        marx = paris_bundle.quotes["marx-state-machinery"].text["en"]
        _no_english([t for t in texts if marx not in t], "the quotation")
        window.quote_view.close_quote()
        for person in paris_bundle.people:
            window.state.select("cannons-of-montmartre")
            window.panel.person_requested.emit(person)
            _no_english(visible_texts(window, skip), person)
        window.state.select(None)
        window.credits_button.click()
        _no_english(visible_texts(window, skip), "the credits")
        window.credits_panel.hide()
        window.player.start()
        _no_english(visible_texts(window, skip), "playing")
        window.player.stop()
    clock.advance(paris_bundle.manifest.idle_seconds + 1)  # nobody: the countdown
    assert window.countdown.isVisible()
    _no_english(visible_texts(window, skip), "the countdown")


def test_the_check_finds_english_where_there_is_some() -> None:
    _no_english(["Fermer", "vers 16 h", "28 mars 1871"], "French")
    with pytest.raises(AssertionError):
        _no_english(["Whole city"], "English")
    with pytest.raises(AssertionError):
        _no_english(["about 16:00"], "English")
