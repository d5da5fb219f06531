"""The glossary in the event panel: each term marked at its first use, and a tap on it (a
synthetic touch) showing the definition inside the panel, without leaving the event."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QScrollArea

from kiosk.ui.panels.glossary import GlossaryLabel
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.conftest import marker_in_view, settle
from tests.ui.touch import tap


def _open(window: MainWindow, touchscreen: QPointingDevice, event_id: str) -> None:
    tap(window.map_view.viewport(), touchscreen, marker_in_view(window, event_id))
    assert window.panel.event_id == event_id
    settle(window)


def _labels(window: MainWindow) -> list[GlossaryLabel]:
    return [label for label in window.panel.findChildren(GlossaryLabel) if label.isVisible()]


def _term(window: MainWindow, term_id: str) -> tuple[GlossaryLabel, QPointF]:
    """The label where `term_id` is marked, and the middle of the term's letters in it."""
    for label in _labels(window):
        for mark, rects in label.term_rects():
            if mark.term_id == term_id:
                return label, rects[0].center()
    raise AssertionError(f"{term_id} is not marked")


def test_each_term_is_marked_once_where_the_text_first_uses_it(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    _open(window, touchscreen, "order-no-1")
    marked = [(label, mark) for label in _labels(window) for mark in label.marks]
    ids = [mark.term_id for _, mark in marked]
    assert len(ids) == len(set(ids))
    assert {"soviet", "garrison", "order-no-1", "duma"} <= set(ids)
    for label, mark in marked:
        word = label.text()[mark.start : mark.end]
        assert word in window.bundle.glossary[mark.term_id].forms["en"]
    # The summary comes first: "Soviet" is marked there, not again in the story.
    summary = window.panel.findChild(GlossaryLabel, "event-summary")
    assert summary is not None and "soviet" in [m.term_id for m in summary.marks]


def test_a_tap_on_a_term_shows_its_definition_in_the_panel(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    _open(window, touchscreen, "tsar-telegram-khabalov")
    popover = window.panel.glossary_popover
    assert not popover.isVisible()
    label, centre = _term(window, "stavka")
    tap(label, touchscreen, centre)
    assert popover.isVisible() and popover.term_id == "stavka"
    term = window.bundle.glossary["stavka"]
    headword = popover.findChild(QLabel, "glossary-headword")
    definition = popover.findChild(QLabel, "glossary-definition")
    assert headword is not None and headword.text() == "Stavka"
    assert definition is not None and definition.text() == term.definition["en"]
    # In place: the same event stays open, the card lies inside the panel, next to the term.
    assert window.panel.event_id == "tsar-telegram-khabalov"
    assert window.panel.isVisible()
    assert window.panel.rect().contains(popover.geometry())
    term_in_panel = label.mapTo(window.panel, centre.toPoint())
    assert (
        abs(popover.geometry().top() - term_in_panel.y()) < 120
        or abs(popover.geometry().bottom() - term_in_panel.y()) < 120
    )
    assert not popover.geometry().contains(term_in_panel)
    # A tap on the card puts it away.
    tap(popover, touchscreen, QPoint(popover.width() // 2, popover.height() // 2))
    assert not popover.isVisible()


def test_a_tap_elsewhere_or_a_scroll_puts_the_definition_away(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    _open(window, touchscreen, "znamenskaya-26feb-shooting")
    popover = window.panel.glossary_popover
    label, centre = _term(window, "training-detachment")
    tap(label, touchscreen, centre)
    assert popover.term_id == "training-detachment"
    # A tap on plain text (the title) closes the card and changes nothing else.
    title = window.panel.findChild(QLabel, "event-title")
    assert title is not None
    tap(title, touchscreen, QPoint(10, title.height() // 2))
    assert not popover.isVisible()
    assert window.panel.event_id == "znamenskaya-26feb-shooting"
    label, centre = _term(window, "okhrana")
    tap(label, touchscreen, centre)
    assert popover.term_id == "okhrana"
    area = window.panel.findChild(QScrollArea)
    assert area is not None
    area.verticalScrollBar().setValue(40)
    assert not popover.isVisible()


def test_the_definition_is_in_the_visitors_language(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    window.state.set_language("ru")
    _open(window, touchscreen, "tsar-telegram-khabalov")
    label, centre = _term(window, "stavka")
    assert label.text()[label.marks[0].start : label.marks[0].end] in ("Ставки", "Ставке")
    tap(label, touchscreen, centre)
    popover = window.panel.glossary_popover
    headword = popover.findChild(QLabel, "glossary-headword")
    definition = popover.findChild(QLabel, "glossary-definition")
    assert headword is not None and headword.text() == "Ставка"
    assert definition is not None
    assert definition.text() == window.bundle.glossary["stavka"].definition["ru"]


def test_marked_text_stays_plain_text(window: MainWindow, touchscreen: QPointingDevice) -> None:
    _open(window, touchscreen, "tauride-committee-soviet")
    labels = _labels(window)
    assert any(label.marks for label in labels)
    assert all(label.textFormat().name == "PlainText" for label in labels)


def test_a_mouse_click_on_a_term_also_shows_it(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    # The curators' preview window is used with a mouse.
    _open(window, touchscreen, "preobrazhensky-litovsky-join")
    label, centre = _term(window, "sapper")
    QTest.mouseClick(label, Qt.MouseButton.LeftButton, pos=centre.toPoint())
    assert window.panel.glossary_popover.term_id == "sapper"
