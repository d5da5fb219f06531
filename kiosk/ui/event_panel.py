"""The event panel: everything about one event, and the quotations that belong to it.

All curator text is shown as plain text (never HTML, which could load files or URLs). The content
is rebuilt when the event or the language changes; the old content widget is deleted, so nothing
of a closed panel lingers.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QVBoxLayout,
    QWidget,
)

from kiosk.content import Bundle
from kiosk.content.model import Event, Quote, pick
from kiosk.ui import theme
from kiosk.ui.dates import event_dates, event_time
from kiosk.ui.images import load_image, placeholder
from kiosk.ui.markers import glyph
from kiosk.ui.state import KioskState
from kiosk.ui.strings import language_name, tr

PANEL_PADDING = 36


def _label(text: str, role: str, name: str = "") -> QLabel:
    """A wrapped plain-text label in the style of `role` (theme.TEXT_STYLES)."""
    style = theme.TEXT_STYLES[role]
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # curator text is never interpreted as HTML
    label.setWordWrap(True)
    label.setFont(theme.font(style.family, style.size, bold=style.bold, italic=style.italic))
    label.setStyleSheet(f"color: {style.colour}; background: transparent;")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    if name:
        label.setObjectName(name)
    return label


class _QuoteBlock(QFrame):
    """A quotation set large, with who said it, where, and in which language it is shown."""

    def __init__(self, quote: Quote, language: str, bundle: Bundle) -> None:
        super().__init__()
        self.setObjectName("quote")
        fallback = bundle.default_language
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 10, 0, 10)
        layout.setSpacing(6)
        shown_language = language if language in quote.text else next(iter(quote.text))
        text = quote.text[shown_language]
        layout.addWidget(
            _label(f"«{text}»" if shown_language == "ru" else f"“{text}”", "quote", "quote-text")
        )
        layout.addWidget(
            _label(f"— {pick(quote.author, language, fallback)}", "author", "quote-author")
        )
        layout.addWidget(_label(pick(quote.source, language, fallback), "source", "quote-source"))
        notes = []
        if shown_language != language:
            names = bundle.manifest.language_names
            notes.append(tr(language, "shown_in", shown=language_name(shown_language, names)))
        # The note about a translation is written in the wording's language; show it only to a
        # visitor reading that language (others already get the note above). A note is shown even
        # in the original language: a wording translated back (the original being lost) says so.
        translation = quote.translation.get(shown_language)
        if translation and shown_language == language:
            notes.append(translation)
        if notes:
            layout.addWidget(_label(" ".join(notes), "note", "quote-note"))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(0, 6, 5, self.height() - 12, theme.ACCENT)
        painter.end()


class EventPanel(QFrame):
    """The panel a tapped marker opens; emits `close_requested` when the visitor closes it."""

    close_requested = Signal()

    def __init__(self, bundle: Bundle, state: KioskState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bundle = bundle
        self._state = state
        self.event_id: str | None = None
        self.setObjectName("event-panel")
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            f"#event-panel {{ background: {theme.PAPER.name()}; "
            f"border-left: 3px solid {theme.INK.name()}; }}"
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        header = QHBoxLayout()
        header.setContentsMargins(PANEL_PADDING, 18, 18, 6)
        self._category = QLabel()
        self._category.setTextFormat(Qt.TextFormat.PlainText)
        self._category.setFont(theme.font(theme.SANS, 19, bold=True))
        self._category_icon = QLabel()
        self._category_icon.setTextFormat(Qt.TextFormat.PlainText)
        header.addWidget(self._category_icon)
        header.addWidget(self._category, 1)
        self.close_button = QPushButton()
        self.close_button.setObjectName("close-button")
        self.close_button.setMinimumSize(132, 60)
        self.close_button.setFont(theme.font(theme.SANS, 21, bold=True))
        self.close_button.setStyleSheet(
            f"QPushButton {{ background: {theme.INK.name()}; color: {theme.PAPER.name()}; "
            "border: none; border-radius: 8px; padding: 6px 16px; }"
            f"QPushButton:pressed {{ background: {theme.ACCENT.name()}; }}"
        )
        self.close_button.clicked.connect(self.close_requested)
        header.addWidget(self.close_button)
        outer.addLayout(header)

        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setStyleSheet(
            "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }"
        )
        outer.addWidget(self._scroll, 1)
        QScroller.grabGesture(self._scroll.viewport(), QScroller.ScrollerGestureType.TouchGesture)

        state.language_changed.connect(self._language_changed)

    def show_event(self, event_id: str) -> None:
        self.event_id = event_id
        self._rebuild()
        self._scroll.verticalScrollBar().setValue(0)

    def _language_changed(self, _language: str) -> None:
        if self.isVisible():  # a closed panel is rebuilt when it next opens
            self._rebuild()

    def _rebuild(self) -> None:
        if self.event_id is None:
            return
        language = self._state.language
        event = self._bundle.event(self.event_id)
        category = self._bundle.manifest.categories[event.category]
        fallback = self._bundle.default_language
        self._category.setText(pick(category.label, language, fallback))
        icon = QPixmap(glyph(category.colour, category.shape, "", self.devicePixelRatioF()))
        self._category_icon.setPixmap(
            icon.scaledToHeight(
                round(36 * self.devicePixelRatioF()), Qt.TransformationMode.SmoothTransformation
            )
        )
        self.close_button.setText(f"✕  {tr(language, 'close')}")
        old = self._scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self._scroll.setWidget(self._content(event, language))

    def _picture(self, path: Path) -> QLabel:
        width = max(200, self.width() - 2 * PANEL_PADDING - 20)
        dpr = self.devicePixelRatioF()
        picture = QLabel()
        picture.setTextFormat(Qt.TextFormat.PlainText)
        picture.setObjectName("media-image")
        picture.setPixmap(load_image(path, width, dpr) or placeholder(width, width * 2 // 3, dpr))
        return picture

    def _content(self, event: Event, language: str) -> QWidget:
        bundle = self._bundle
        fallback = bundle.default_language
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(PANEL_PADDING, 4, PANEL_PADDING, PANEL_PADDING)
        layout.setSpacing(10)
        layout.addWidget(_label(pick(event.title, language, fallback), "title", "event-title"))
        dates = event_dates(event, bundle.manifest.calendar, language)
        when = "\n".join(dates)
        time = event_time(event, language)
        if time:
            when += f"\n{time}"
        layout.addWidget(_label(when, "dates", "event-dates"))
        if bundle.manifest.calendar == "julian":
            layout.addWidget(_label(tr(language, "calendar_note"), "note"))
        place = bundle.places[event.place]
        layout.addWidget(_label(pick(place.name, language, fallback), "place", "event-place"))
        for media in event.media:
            layout.addWidget(self._picture(bundle.root / media.file))
            caption = pick(media.caption, language, fallback)
            layout.addWidget(_label(f"{caption} — {media.credit}", "note", "media-caption"))
        layout.addSpacing(6)
        layout.addWidget(
            _label(pick(event.summary, language, fallback), "summary", "event-summary")
        )
        for paragraph in pick(event.body, language, fallback).split("\n\n"):
            if paragraph.strip():
                layout.addWidget(_label(" ".join(paragraph.split()), "body", "event-body"))
        if event.quotes:
            layout.addSpacing(12)
            layout.addWidget(_label(tr(language, "quotations"), "heading"))
            for quote_id in event.quotes:
                layout.addWidget(_QuoteBlock(bundle.quotes[quote_id], language, bundle))
        if event.sources:
            layout.addSpacing(12)
            layout.addWidget(_label(tr(language, "sources"), "heading"))
            for source in event.sources:
                layout.addWidget(_label(source, "small"))
        layout.addStretch(1)
        return content
