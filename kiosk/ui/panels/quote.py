"""A quotation shown large over the map: the words, who said them, where and when; and its event.

It covers its parent (the kiosk window) with a dimmed backdrop and a card in the middle,
set in a size readable from a step back, with lines of at most about 55 characters. From the
card the visitor goes on to the event the quotation belongs to, or closes it (the close button,
or a tap on the dimmed map around the card). All curator text is plain text, never HTML.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, QRect, Qt, Signal
from PySide6.QtGui import QFontMetricsF, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.content import Bundle
from kiosk.content.data import Quote, pick
from kiosk.ui.journey import cldr, theme
from kiosk.ui.journey.dates import quote_dates
from kiosk.ui.journey.state import KioskState
from kiosk.ui.journey.words import tr

LINE_CHARS = 55  # the longest line a visitor should have to read
_PANGRAM = "The quick brown fox jumps over the lazy dog"
QUOTE_PX = 40
AUTHOR_PX = 28
SOURCE_PX = 22
NOTE_PX = 18
BUTTON_PX = 22


def _label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)  # curator text is never interpreted as HTML
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


def events_quoting(bundle: Bundle, quote_id: str) -> list[str]:
    """The events a quotation belongs to, in time order."""
    return [event.id for event in bundle.events if quote_id in event.quotes]


class QuoteView(QWidget):
    """A quotation shown large over its parent; emits `event_requested` with the event's id."""

    event_requested = Signal(str)
    person_requested = Signal(str)  # the author's entry (people.yaml), when the quote names one
    closed = Signal()

    def __init__(self, bundle: Bundle, state: KioskState, parent: QWidget) -> None:
        super().__init__(parent)
        self._bundle = bundle
        self._state = state
        self.quote_id: str | None = None
        self.setObjectName("quote-view")
        self.hide()

        self._card = QFrame(self)
        self._card.setObjectName("quote-card")
        layout = QVBoxLayout(self._card)
        layout.setContentsMargins(56, 44, 56, 36)
        layout.setSpacing(14)
        self.text = _label("quote-view-text")
        self.author = _label("quote-view-author")
        self.source = _label("quote-view-source")
        self.note = _label("quote-view-note")
        for label in (self.text, self.author, self.source, self.note):
            layout.addWidget(label)
        self.person_button = self._button("quote-view-person")
        self.person_button.setMinimumHeight(theme.TOUCH_MIN + 8)
        self.person_button.clicked.connect(self._go_to_person)
        layout.addWidget(self.person_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(10)
        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        self.event_button = self._button("quote-view-event")
        self.event_button.clicked.connect(self._go_to_event)
        self.close_button = self._button("quote-view-close")
        self.close_button.clicked.connect(self.close_quote)
        buttons.addWidget(self.event_button, 1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        parent.installEventFilter(self)  # follow the window's size
        state.language_changed.connect(self._language_changed)
        state.selection_changed.connect(self._selection_changed)
        state.appearance_changed.connect(self._appearance_changed)
        self._restyle()

    def _go_to_person(self) -> None:
        quote = self._bundle.quotes.get(self.quote_id or "")
        if quote is not None and quote.person is not None:
            person = quote.person
            self.close_quote()
            self.person_requested.emit(person)

    def _button(self, name: str) -> QPushButton:
        button = QPushButton()
        button.setObjectName(name)
        button.setMinimumHeight(72)
        button.setMinimumWidth(theme.TOUCH_MIN * 3)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    def _restyle(self) -> None:
        """Colours and sizes of the active appearance (large text, high contrast)."""
        panel = theme.palette().panel
        ink, soft = panel.text["ink"].name(), panel.text["soft"].name()
        background, accent = panel.background.name(), panel.text["accent"].name()
        self._card.setStyleSheet(
            f"#quote-card {{ background: {background}; border-radius: 14px; "
            f"border: 3px solid {ink}; }}"
            f"QLabel {{ color: {ink}; background: transparent; }}"
        )
        fonts = (
            (self.text, theme.SERIF, QUOTE_PX, False, True, ink),
            (self.author, theme.SANS, AUTHOR_PX, True, False, ink),
            (self.source, theme.SANS, SOURCE_PX, False, False, soft),
            (self.note, theme.SANS, NOTE_PX, False, True, soft),
        )
        for label, family, px, bold, italic, colour in fonts:
            label.setFont(theme.font(family, theme.scaled(px), bold=bold, italic=italic))
            label.setStyleSheet(f"color: {colour};")
        for button, primary in (
            (self.event_button, True),
            (self.close_button, False),
            (self.person_button, False),
        ):
            bg, fg = (ink, background) if primary else (background, ink)
            button.setFont(theme.font(theme.SANS, theme.scaled(BUTTON_PX), bold=True))
            button.setStyleSheet(
                f"QPushButton {{ background: {bg}; color: {fg}; border: 2px solid {ink}; "
                "border-radius: 8px; padding: 8px 22px; text-align: left; }"
                f"QPushButton:pressed {{ background: {accent}; color: {background}; }}"
            )

    def _appearance_changed(self, _appearance: object) -> None:
        self._restyle()
        if self.isVisible():
            self._fill()
            self._place_card()

    # --- showing -----------------------------------------------------------------------

    def show_quote(self, quote_id: str) -> None:
        """Show a quotation large, over everything else."""
        self.quote_id = quote_id
        self._fill()
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self._place_card()
        self.show()
        self.raise_()

    def close_quote(self) -> None:
        if self.isVisible():
            self.hide()
            self.closed.emit()

    def _go_to_event(self) -> None:
        events = events_quoting(self._bundle, self.quote_id or "")
        if events:
            self.close_quote()
            self.event_requested.emit(events[0])

    def _language_changed(self, _language: str) -> None:
        if self.isVisible():
            self._fill()
            self._place_card()

    def _selection_changed(self, event_id: object) -> None:
        if event_id is None:  # the panel closed, or the kiosk reset for the next visitor
            self.close_quote()

    def _fill(self) -> None:
        if self.quote_id is None:
            return
        bundle = self._bundle
        language = self._state.language
        fallback = bundle.default_language
        quote = bundle.quotes[self.quote_id]
        shown = language if language in quote.text else next(iter(quote.text))
        words = quote.text[shown]
        self.text.setText(cldr.quoted(words, shown))
        self.author.setText(f"— {pick(quote.author, language, fallback)}")
        source = pick(quote.source, language, fallback)
        dates = quote_dates(quote, bundle.manifest.calendar, language, source)
        self.source.setText(source if dates is None else f"{source}\n{dates}")
        self.note.setText(self._note(quote, shown, language))
        self.note.setVisible(bool(self.note.text()))
        person = bundle.people.get(quote.person) if quote.person else None
        self.person_button.setVisible(person is not None)
        if person is not None:
            name = pick(person.short_name or person.name, language, fallback)
            self.person_button.setText(tr(language, "about_person", name=name))
        events = events_quoting(bundle, self.quote_id)
        self.event_button.setVisible(bool(events))
        if events:
            title = pick(bundle.event(events[0]).title, language, fallback)
            self.event_button.setProperty("full_text", f"→  {tr(language, 'go_to_event')}: {title}")
            self.event_button.setText(str(self.event_button.property("full_text")))
        self.close_button.setText(f"✕  {tr(language, 'close')}")

    def _note(self, quote: Quote, shown: str, language: str) -> str:
        notes = []
        if shown != language:
            notes.append(tr(language, "shown_in", shown=cldr.language_name_in(shown, language)))
        # Shown even in the original language: words translated back (the original lost) say so.
        translation = quote.translation.get(shown)
        if translation and shown == language:
            notes.append(translation)
        return " ".join(notes)

    def _place_card(self) -> None:
        # As wide as LINE_CHARS characters of this very quotation (letters differ in width from
        # one script and text to another), no wider than the screen allows; as tall as needed.
        metrics = QFontMetricsF(self.text.font())
        layout = self._card.layout()
        margins = layout.contentsMargins() if layout is not None else QMargins()
        words = self.text.text()
        sample = words if len(words) >= 20 else _PANGRAM
        line = metrics.horizontalAdvance(sample) / len(sample) * LINE_CHARS
        width = min(round(line) + margins.left() + margins.right(), self.width() - 80)
        self._card.setFixedWidth(max(320, width))
        self._card.adjustSize()
        height = min(self._card.sizeHint().height(), self.height() - 60)
        self._card.setFixedHeight(height)
        self._card.move((self.width() - self._card.width()) // 2, (self.height() - height) // 2)
        self._elide_event_button()

    def _elide_event_button(self) -> None:
        # A long event title must not push the buttons out of the card: shorten it with "…".
        button = self.event_button
        full = str(button.property("full_text") or "")
        room = self._card.width() - 56 * 2 - self.close_button.sizeHint().width() - 16 - 60
        elided = QFontMetricsF(button.font()).elidedText(full, Qt.TextElideMode.ElideRight, room)
        button.setText(elided)

    # --- events ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            parent = self.parentWidget()
            if parent is not None:
                self.setGeometry(parent.rect())
                if self.isVisible():
                    self._place_card()
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), theme.palette().wash)  # the map dimmed behind the card
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # the map under the backdrop does not see it

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        # A tap on the dimmed map around the card closes the quotation.
        if not self.card_rect().contains(event.position().toPoint()):
            self.close_quote()
        event.accept()

    def card_rect(self) -> QRect:
        return self._card.geometry()
