"""The event panel: everything about one event, and the quotations that belong to it.

All curator text is shown as plain text (never HTML, which could load files or URLs). The content
is rebuilt when the event or the language changes; the old content widget is deleted, so nothing
of a closed panel lingers.

The visitor moves to the previous or next event in time with the arrows at the panel's foot
(within reach of a seated visitor) or by swiping the panel sideways; the map follows the choice.
A tap on a quotation asks for it to be shown large (`quote_requested`), a tap on a picture for
the picture viewer (`picture_requested`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QHideEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QTouchEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.content import Bundle
from kiosk.content.data import Event, Quote, pick, source_text
from kiosk.content.glossary import GlossaryMatcher
from kiosk.ui.journey import cldr, theme
from kiosk.ui.journey.dates import calendar_note, event_dates, event_time, quote_dates
from kiosk.ui.journey.state import KioskState
from kiosk.ui.journey.words import tr
from kiosk.ui.map.markers import glyph
from kiosk.ui.map.touch_rules import tap_slop_px
from kiosk.ui.panels.glossary import GlossaryLabel, GlossaryPopover
from kiosk.ui.panels.parts import (
    ClickTaps,
    ScrolledContent,
    TouchScrollArea,
    fill_background,
    text_label,
)
from kiosk.ui.panels.people import person_button
from kiosk.ui.panels.pictures import PictureBox
from kiosk.ui.qt import screen_density

PANEL_PADDING = 36
SWIPE_MM = 20.0  # a sideways stroke longer than this turns the page
SWIPE_RATIO = 1.5  # ... if it is this much more sideways than up or down


EDGE_PX = 3  # the ink line down the panel's left edge


class _QuoteBlock(QFrame):
    """A quotation set large, with who said it, where, and in which language it is shown.

    A tap on it (not a scrolling drag) emits `tapped`, to show it larger still.
    """

    tapped = Signal()

    def __init__(
        self,
        quote: Quote,
        language: str,
        bundle: Bundle,
        on_person: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("quote")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        ClickTaps(self, self.tapped.emit)  # a click (the preview, with a mouse) is a tap too
        fallback = bundle.default_language
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 10, 0, 10)
        layout.setSpacing(6)
        shown_language = language if language in quote.text else next(iter(quote.text))
        text = quote.text[shown_language]
        layout.addWidget(
            text_label(
                cldr.quoted(text, shown_language),
                "quote",
                "quote-text",
                column=True,
            )
        )
        layout.addWidget(
            text_label(
                f"— {pick(quote.author, language, fallback)}", "author", "quote-author", column=True
            )
        )
        source = pick(quote.source, language, fallback)
        layout.addWidget(text_label(source, "source", "quote-source", column=True))
        dates = quote_dates(quote, bundle.manifest.calendar, language, source)
        if dates is not None:
            layout.addWidget(text_label(dates, "source", "quote-dates", column=True))
        notes = []
        if shown_language != language:
            shown = cldr.language_name_in(shown_language, language)
            notes.append(tr(language, "shown_in", shown=shown))
        # The note about a translation is written in the wording's language; show it only to a
        # visitor reading that language (others already get the note above). A note is shown even
        # in the original language: a wording translated back (the original being lost) says so.
        translation = quote.translation.get(shown_language)
        if translation and shown_language == language:
            notes.append(translation)
        if notes:
            layout.addWidget(text_label(" ".join(notes), "note", "quote-note", column=True))
        if quote.person is not None and quote.person in bundle.people and on_person is not None:
            person = bundle.people[quote.person]
            name = pick(person.short_name or person.name, language, fallback)
            button = person_button(
                bundle, quote.person, language, tr(language, "about_person", name=name)
            )
            button.clicked.connect(lambda _=False, i=quote.person: on_person(i))
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        hint = text_label(
            f"⤢  {tr(language, 'read_large')}", "heading", "quote-read-large", column=True
        )
        hint.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addWidget(hint)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(0, 6, 5, self.height() - 12, theme.palette().panel.text["accent"])
        painter.end()


class EventPanel(QFrame):
    """The panel a tapped marker opens; emits `close_requested` when the visitor closes it."""

    close_requested = Signal()
    quote_requested = Signal(str)  # a quotation's id, to be shown large
    person_requested = Signal(str)  # a person's button in the panel was pressed
    picture_requested = Signal(str, int)  # an event's id and a picture's index, to see it large

    def __init__(self, bundle: Bundle, state: KioskState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bundle = bundle
        self._state = state
        self.event_id: str | None = None
        self._styled_for: theme.Appearance | None = None  # the appearance the chrome is in
        self._built_for: tuple[str, theme.Appearance] | None = None  # language, appearance
        self._icons: dict[tuple[str, str, float, bool], QPixmap] = {}
        self.setObjectName("event-panel")
        self._edge = QColor()  # the line down the panel's left edge, EDGE_PX wide
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        header = QHBoxLayout()
        header.setContentsMargins(PANEL_PADDING, 18, 18, 6)
        self._category = QLabel()
        self._category.setTextFormat(Qt.TextFormat.PlainText)
        self._category_icon = QLabel()
        self._category_icon.setTextFormat(Qt.TextFormat.PlainText)
        header.addWidget(self._category_icon)
        header.addWidget(self._category, 1)
        self.close_button = QPushButton()
        self.close_button.setObjectName("close-button")
        self.close_button.setMinimumSize(132, 60)
        self.close_button.clicked.connect(self.close_requested)
        header.addWidget(self.close_button)
        outer.addLayout(header)

        self._scroll = TouchScrollArea()
        outer.addWidget(self._scroll, 1)
        # A sideways swipe anywhere on the text turns to the previous or next event.
        self._swipe_start: QPointF | None = None
        self._scroll.viewport().installEventFilter(self)

        nav = QHBoxLayout()
        nav.setContentsMargins(PANEL_PADDING - 12, 8, PANEL_PADDING - 12, 14)
        self.previous_button = self._nav_button("previous-button")
        self.next_button = self._nav_button("next-button")
        self.previous_button.clicked.connect(self.show_previous)
        self.next_button.clicked.connect(self.show_next)
        self._position = QLabel()
        self._position.setObjectName("event-position")
        self._position.setTextFormat(Qt.TextFormat.PlainText)
        self._position.setAlignment(Qt.AlignmentFlag.AlignCenter)
        nav.addWidget(self.previous_button)
        nav.addWidget(self._position, 1)
        nav.addWidget(self.next_button)
        outer.addLayout(nav)

        # A tapped glossary term's definition, shown over the text; scrolling puts it away.
        self.glossary_popover = GlossaryPopover(self)
        self._scroll.verticalScrollBar().valueChanged.connect(self.glossary_popover.dismiss)
        self._matchers: dict[str, GlossaryMatcher] = {}  # per language, compiled once

        state.language_changed.connect(self._language_changed)
        self._restyle()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        painter.fillRect(0, 0, EDGE_PX, self.height(), self._edge)
        painter.end()

    def _restyle(self) -> None:
        """Colours and sizes from the active appearance (the window rebuilds after a change).

        Only when the appearance changed: a style sheet set on the panel restyles every widget
        inside it, which took a third of the time from a tap to the panel's first frame.
        """
        if self._styled_for == theme.appearance():
            return
        self._styled_for = theme.appearance()
        panel = theme.palette().panel
        ink, background = panel.text["ink"].name(), panel.background.name()
        # The background and the edge line are painted, not set in a style sheet (fill_background):
        # polishing a new event's text under one takes a third of the time from a tap to the
        # panel's frame.
        fill_background(self, panel.background)
        self._edge = QColor(panel.text["ink"])
        self._category.setFont(theme.font(theme.SANS, theme.scaled(19), bold=True))
        self._category.setStyleSheet(f"color: {ink};")
        self.close_button.setFont(theme.font(theme.SANS, theme.scaled(21), bold=True))
        self.close_button.setStyleSheet(
            f"QPushButton {{ background: {ink}; color: {background}; "
            "border: none; border-radius: 8px; padding: 6px 16px; }"
            f"QPushButton:pressed {{ background: {panel.text['accent'].name()}; }}"
        )
        soft, accent = panel.text["soft"].name(), panel.text["accent"].name()
        for button in (self.previous_button, self.next_button):
            button.setFont(theme.font(theme.SANS, theme.scaled(21), bold=True))
            button.setStyleSheet(
                f"QPushButton {{ background: transparent; color: {ink}; "
                f"border: 2px solid {ink}; border-radius: 8px; padding: 6px 16px; }}"
                f"QPushButton:pressed {{ background: {accent}; color: {background}; }}"
                f"QPushButton:disabled {{ color: {soft}; border-color: {soft}; }}"
            )
        self._position.setFont(theme.font(theme.SANS, theme.scaled(18)))
        self._position.setStyleSheet(f"color: {soft}; background: transparent;")

    def _nav_button(self, name: str) -> QPushButton:
        button = QPushButton()
        button.setObjectName(name)
        button.setMinimumSize(176, 64)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Hidden at the first and last event (nothing earlier or later), keeping its place so
        # the position between the arrows does not move.
        policy = button.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        button.setSizePolicy(policy)
        return button

    def show_event(self, event_id: str) -> None:
        if not self._built(event_id):
            self.event_id = event_id
            self._rebuild()
        self._scroll.verticalScrollBar().setValue(0)

    def scroll_position(self) -> int:
        return self._scroll.verticalScrollBar().value()

    def set_scroll_position(self, value: int) -> None:
        self._scroll.verticalScrollBar().setValue(value)

    def set_listen_bar(self, bar: QWidget) -> None:
        """Put the narration's control (kiosk/ui/access/listen.py) under the header, outside the
        scrolling text, so its captions stay in sight while the text scrolls."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, bar)

    def scroll_text(self, pages: float) -> None:
        """Scroll the text by `pages` of its visible height (down if positive): the keypad's
        up and down keys."""
        bar = self._scroll.verticalScrollBar()
        bar.setValue(bar.value() + round(pages * self._scroll.viewport().height()))

    def prepare(self, event_id: str) -> None:
        """Build a closed panel's content for `event_id` ahead of `show_event` (a finger is on
        its marker): the text laid out and polished, so opening it only shows it. An open
        panel is left as it is."""
        if self.isVisible() or self._built(event_id):
            return
        self.event_id = event_id
        self._rebuild()
        content = self._scroll.widget()
        if content is not None:
            content.ensurePolished()

    def _build_key(self) -> tuple[str, theme.Appearance]:
        return (self._state.language, theme.appearance())

    def _built(self, event_id: str) -> bool:
        """True if the content is `event_id`'s, in the language and appearance shown now."""
        return event_id == self.event_id and self._built_for == self._build_key()

    def _neighbour(self, step: int) -> str | None:
        if self.event_id is None:
            return None
        index = self._bundle.index_of(self.event_id) + step
        if 0 <= index < len(self._bundle.events):
            return self._bundle.events[index].id
        return None

    def show_previous(self) -> None:
        """The event before this one in time (the map follows the choice)."""
        neighbour = self._neighbour(-1)
        if neighbour is not None:
            self._state.select(neighbour)

    def show_next(self) -> None:
        """The event after this one in time."""
        neighbour = self._neighbour(1)
        if neighbour is not None:
            self._state.select(neighbour)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The text's touches: QScroller scrolls it; here a tap opens a quotation, a sideways
        swipe turns to the previous or next event.

        Taking the touch sequence here (accepting its begin) is what brings its end to us;
        QScroller sees the touches before any widget does, so scrolling is unaffected.
        """
        if not isinstance(event, QTouchEvent) or not event.points():
            return False
        kind = event.type()
        pos = event.points()[0].position()
        if kind == QEvent.Type.TouchBegin:
            self._swipe_start = pos if len(event.points()) == 1 else None
        elif kind == QEvent.Type.TouchCancel or len(event.points()) > 1:
            self._swipe_start = None
        elif kind == QEvent.Type.TouchEnd and self._swipe_start is not None:
            start, self._swipe_start = self._swipe_start, None
            self._touch_ended(start, pos)
        event.accept()
        return True

    def _px_per_mm(self) -> float:
        return screen_density.px_per_mm(self)

    def _touch_ended(self, start: QPointF, end: QPointF) -> None:
        delta = end - start
        if math.hypot(delta.x(), delta.y()) <= tap_slop_px(self._px_per_mm()):
            self._tapped(start)
        else:
            self._swiped(delta)

    def _matcher(self, language: str) -> GlossaryMatcher:
        matcher = self._matchers.get(language)
        if matcher is None:
            matcher = self._matchers[language] = GlossaryMatcher(self._bundle.glossary, language)
        return matcher

    def show_term(self, label: GlossaryLabel, term_id: str, rect: QRectF) -> None:
        """Open `term_id`'s definition beside its place `rect` in `label`."""
        term = self._bundle.glossary[term_id]
        language, fallback = self._state.language, self._bundle.default_language
        corner = QPointF(label.mapTo(self, rect.topLeft().toPoint()))
        near = QRectF(corner, rect.size())
        self.glossary_popover.show_term(
            term_id,
            term.headword(language, fallback),
            pick(term.definition, language, fallback),
            near,
        )

    def hideEvent(self, event: QHideEvent) -> None:
        self.glossary_popover.dismiss()
        super().hideEvent(event)

    def _tapped(self, pos: QPointF) -> None:
        widget = self._scroll.viewport().childAt(pos.toPoint())
        # A marked glossary term opens its definition; any other tap first puts one away.
        if isinstance(widget, GlossaryLabel):
            hit = widget.term_at(QPointF(widget.mapFrom(self._scroll.viewport(), pos.toPoint())))
            if hit is not None:
                self.show_term(widget, *hit)
                return
        if self.glossary_popover.isVisible():
            self.glossary_popover.dismiss()
            return
        # A button in the text (a person's name) takes its own tap: the filter has the touch.
        button = widget
        while button is not None and not isinstance(button, QAbstractButton):
            button = button.parentWidget()
        if isinstance(button, QAbstractButton):
            button.click()
            return
        if isinstance(widget, PictureBox):
            widget.tapped.emit()
            return
        while widget is not None and not isinstance(widget, _QuoteBlock):
            widget = widget.parentWidget()
        if isinstance(widget, _QuoteBlock):
            widget.tapped.emit()

    def _swiped(self, delta: QPointF) -> None:
        px_per_mm = self._px_per_mm()
        distance = max(SWIPE_MM * px_per_mm, 2 * tap_slop_px(px_per_mm))
        dx, dy = delta.x(), delta.y()
        if abs(dx) < distance or abs(dx) < SWIPE_RATIO * abs(dy):
            return
        # Like turning a page: pulling the text to the left brings the next event.
        if dx < 0:
            self.show_next()
        else:
            self.show_previous()

    def _language_changed(self, _language: str) -> None:
        if self.isVisible():  # a closed panel is rebuilt when it next opens
            self._rebuild()

    def _rebuild(self) -> None:
        if self.event_id is None:
            return
        self._restyle()
        language = self._state.language
        event = self._bundle.event(self.event_id)
        category = self._bundle.manifest.categories[event.category]
        fallback = self._bundle.default_language
        self._category.setText(pick(category.label, language, fallback))
        self._category_icon.setPixmap(self._icon(category.colour, category.shape))
        self.close_button.setText(f"✕  {tr(language, 'close')}")
        self.previous_button.setText(f"←  {tr(language, 'earlier')}")
        self.next_button.setText(f"{tr(language, 'later')}  →")
        index = self._bundle.index_of(event.id)
        count = len(self._bundle.events)
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < count - 1)
        self.previous_button.setVisible(index > 0)
        self.next_button.setVisible(index < count - 1)
        self._position.setText(tr(language, "position", index=index + 1, count=count))
        self.glossary_popover.dismiss()
        old = self._scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self._scroll.setWidget(self._content(event, language))
        self._built_for = self._build_key()

    def _icon(self, colour: str, shape: str) -> QPixmap:
        """The category's glyph at the header's size; scaled once, not at every opening."""
        dpr = self.devicePixelRatioF()
        key = (colour, shape, dpr, theme.appearance().high_contrast)
        icon = self._icons.get(key)
        if icon is None:
            icon = self._icons[key] = QPixmap(glyph(colour, shape, "", dpr)).scaledToHeight(
                round(36 * dpr), Qt.TransformationMode.SmoothTransformation
            )
        return icon

    def _picture(self, path: Path, index: int, alt: str | None) -> PictureBox:
        """The picture, at once if decoded before, else a box of its proportions that becomes
        the picture when a worker has decoded it (panels/pictures.py)."""
        width = max(200, self.width() - 2 * PANEL_PADDING - 20)
        picture = PictureBox(path, width)
        picture.index = index
        # The box owns this connection and dies with the content: nothing leaks.
        picture.tapped.connect(partial(self._picture_tapped, index))
        picture.setCursor(Qt.CursorShape.PointingHandCursor)
        if alt:
            picture.setAccessibleName(alt)
        return picture

    def _picture_tapped(self, index: int) -> None:
        if self.event_id is not None:
            self.picture_requested.emit(self.event_id, index)

    def _content(self, event: Event, language: str) -> QWidget:
        bundle = self._bundle
        fallback = bundle.default_language
        content = ScrolledContent()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(PANEL_PADDING, 4, PANEL_PADDING, PANEL_PADDING)
        layout.setSpacing(10)
        layout.addWidget(
            text_label(pick(event.title, language, fallback), "title", "event-title", column=True)
        )
        dates = event_dates(event, bundle.manifest.calendar, language)
        when = "\n".join(dates)
        time = event_time(event, language)
        if time:
            when += f"\n{time}"
        layout.addWidget(text_label(when, "dates", "event-dates", column=True))
        if bundle.manifest.calendar == "julian":
            note = calendar_note(bundle, language)
            layout.addWidget(text_label(note, "note", "calendar-note", column=True))
        place = bundle.places[event.place]
        layout.addWidget(
            text_label(pick(place.name, language, fallback), "place", "event-place", column=True)
        )
        for index, media in enumerate(event.media):
            alt = pick(media.alt, language, fallback) if media.alt else None
            layout.addWidget(self._picture(bundle.root / media.file, index, alt))
            caption = pick(media.caption, language, fallback)
            layout.addWidget(
                text_label(f"{caption} — {media.credit}", "note", "media-caption", column=True)
            )
        layout.addSpacing(6)
        summary = pick(event.summary, language, fallback)
        body_language = language if language in event.body else fallback
        paragraphs = [
            " ".join(paragraph.split())
            for paragraph in pick(event.body, language, fallback).split("\n\n")
            if paragraph.strip()
        ]
        # Each glossary term is marked where the text first uses it (summary, then story).
        matcher = self._matcher(body_language)
        marks = matcher.first_uses([summary, *paragraphs])
        for text, role, name, found in zip(
            [summary, *paragraphs],
            ["summary"] + ["body"] * len(paragraphs),
            ["event-summary"] + ["event-body"] * len(paragraphs),
            marks,
            strict=True,
        ):
            glossary_label = GlossaryLabel(found)
            if found:
                # Dies with the label (the content): nothing of the panel is kept alive by it.
                glossary_label.term_clicked.connect(partial(self.show_term, glossary_label))
            layout.addWidget(text_label(text, role, name, column=True, label=glossary_label))
        if event.quotes:
            layout.addSpacing(12)
            layout.addWidget(text_label(tr(language, "quotations"), "heading", column=True))
            for quote_id in event.quotes:
                block = _QuoteBlock(
                    bundle.quotes[quote_id], language, bundle, self.person_requested.emit
                )
                # The block owns this connection and dies with the content: nothing leaks.
                block.tapped.connect(partial(self.quote_requested.emit, quote_id))
                layout.addWidget(block)
        if event.people:
            layout.addSpacing(12)
            layout.addWidget(text_label(tr(language, "people"), "heading", column=True))
            for person_id in event.people:
                button = person_button(bundle, person_id, language)
                button.clicked.connect(lambda _=False, i=person_id: self.person_requested.emit(i))
                layout.addWidget(button)
        if event.sources:
            layout.addSpacing(12)
            layout.addWidget(text_label(tr(language, "sources"), "heading", column=True))
            for source in event.sources:
                line = source_text(source, language, bundle.default_language)
                layout.addWidget(text_label(line, "small", "event-source", column=True))
        layout.addStretch(1)
        return content
