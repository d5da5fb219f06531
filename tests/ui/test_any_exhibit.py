"""The visitor's main paths on each exhibit: Petrograd and the test suite's Paris 1871.

Every test here runs once per exhibit (the `exhibit_window` fixture), so a screen shaped for one
city, calendar or language shows up as a failure on the other.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QPointingDevice
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from kiosk.content import Bundle
from kiosk.content.data import CreditSections, pick
from kiosk.ui.journey.theme import Appearance
from kiosk.ui.journey.words import tr
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.conftest import marker_in_view, settle, show_at
from tests.ui.touch import tap


def _label(window: MainWindow, name: str) -> str:
    label = window.panel.findChild(QLabel, name)
    assert label is not None, name
    return label.text()


def test_every_event_opens_by_touch_in_every_language(
    exhibit_window: MainWindow, touchscreen: QPointingDevice
) -> None:
    window = exhibit_window
    bundle = window.bundle
    for language in bundle.manifest.languages:
        window.state.set_language(language)
        for event in bundle.events:
            window.state.select(None)  # as the panel's Close does: the panel covers the map
            settle(window)
            tap(window.map_view.viewport(), touchscreen, marker_in_view(window, event.id))
            assert window.panel.event_id == event.id
            title = pick(event.title, language, bundle.default_language)
            assert _label(window, "event-title") == title


def test_the_window_starts_in_the_bundles_first_language(exhibit_window: MainWindow) -> None:
    assert exhibit_window.state.language == exhibit_window.bundle.manifest.languages[0]


def _texts(widget: QWidget, name: str) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel, name)]


def test_credits_stand_in_sections_and_the_attribution_is_translated(
    exhibit_window: MainWindow,
) -> None:
    window = exhibit_window
    bundle = window.bundle
    credits = bundle.manifest.credits
    assert isinstance(credits, CreditSections)
    for language in bundle.manifest.languages:
        window.state.set_language(language)
        panel = window.credits_panel
        fallback = bundle.default_language
        assert _texts(panel, "credits-map") == [tr(language, "map_data")]
        assert _texts(panel, "credits-sources") == [tr(language, "history_sources")]
        # Each section's paragraphs come after its own heading, in its order.
        labels = [label for label in panel.findChildren(QLabel) if label.text()]
        order = [label.text() for label in labels]
        sources = order.index(tr(language, "history_sources"))
        first_source = " ".join(pick(credits.sources[0], language, fallback).split())
        assert order.index(first_source) > sources
        first_map = " ".join(pick(credits.map[0], language, fallback).split())
        assert order.index(tr(language, "map_data")) < order.index(first_map) < sources
        lines = [pick(line, language, fallback) for line in bundle.manifest.map.attribution]
        assert window.attribution.text() == "   ".join(lines)
        assert _texts(panel, "credits-attribution") == lines


def test_the_paris_attribution_follows_the_language(
    qtbot: QtBot, paris_bundle: Bundle, fonts: list[str]
) -> None:
    window = MainWindow(paris_bundle)
    qtbot.addWidget(window)
    assert window.attribution.text().startswith("Seine, boulevards et enceinte")
    window.state.set_language("de")
    assert window.attribution.text().startswith("Seine, Boulevards und Befestigung")


def test_markers_of_a_long_exhibit_name_their_month(
    qtbot: QtBot, bundle: Bundle, paris_bundle: Bundle, fonts: list[str]
) -> None:
    window = MainWindow(paris_bundle)
    qtbot.addWidget(window)
    markers = window.map_view.markers
    assert markers["last-barricade"].text == "28\nmai"
    assert markers["commune-proclaimed"].text == "28\nmars"
    window.state.set_language("en")
    assert markers["last-barricade"].text == "28\nMay"
    window.state.set_language("de")
    assert markers["commune-proclaimed"].text == "28\nMär"
    nine_days = MainWindow(bundle)
    qtbot.addWidget(nine_days)
    assert nine_days.map_view.markers["volynsky-mutiny"].text == "27"  # no number twice


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_off_map_names_stay_on_screen(
    qtbot: QtBot, paris_bundle: Bundle, fonts: list[str], size: tuple[int, int]
) -> None:
    window = MainWindow(paris_bundle)
    qtbot.addWidget(window)
    show_at(qtbot, window, size)
    view = window.map_view
    viewport = QRectF(view.viewport().rect())
    for language in paris_bundle.manifest.languages:
        window.state.set_language(language)
        QApplication.processEvents()
        # Frankfurt, at the right edge: its name goes to the left rather than off the screen;
        # Versailles, at the left edge in portrait, keeps its name above or below, slid inwards.
        for event_id in ("treaty-of-frankfurt", "government-to-versailles"):
            marker = view.markers[event_id]
            assert marker.isVisible() and marker.label_shown, event_id
            anchor = view.viewportTransform().map(marker.pos())
            box = marker.label_rect().translated(anchor)
            assert viewport.contains(box), (language, event_id, box)


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_the_title_card_shows_all_its_words_and_stays_beside_the_panel(
    qtbot: QtBot, exhibit: Bundle, fonts: list[str], size: tuple[int, int]
) -> None:
    window = MainWindow(exhibit)
    qtbot.addWidget(window)
    show_at(qtbot, window, size)
    card = window.title_card
    for language, large in [(code, big) for code in exhibit.manifest.languages for big in (0, 1)]:
        window.state.set_appearance(Appearance(large_text=bool(large)))
        window.state.set_language(language)
        window.state.select(exhibit.events[0].id)
        qtbot.wait(20)
        assert card.x() + card.width() <= window.panel.x(), language
        for label in card.findChildren(QLabel):
            if not label.text():
                continue
            flags = int(Qt.TextFlag.TextWordWrap)
            needed = label.fontMetrics().boundingRect(
                QRect(0, 0, label.width(), 4000), flags, label.text()
            )
            assert needed.width() <= label.width() and needed.height() <= label.height() + 2, (
                language,
                label.text(),
            )
        window.state.select(None)
