"""People: a button for each person an event or quotation names, and the panel with their entry.

The person panel opens over the event panel, in the same place, and "Back" returns to the event.
It lists the events the person appears in, so a visitor can follow someone through the story.
All curator text is plain text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
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
from kiosk.content.model import Person, pick
from kiosk.ui import theme
from kiosk.ui.dates import event_dates
from kiosk.ui.state import KioskState
from kiosk.ui.strings import tr

PANEL_PADDING = 36

_LINK_STYLE = (
    "QPushButton {{ background: {bg}; color: {fg}; border: 2px solid {fg}; border-radius: 8px; "
    "padding: 8px 16px; text-align: left; }}"
    "QPushButton:pressed {{ background: #e6dcc4; }}"
)


def _label(text: str, role: str, name: str = "") -> QLabel:
    style = theme.TEXT_STYLES[role]
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setFont(theme.font(style.family, style.size, bold=style.bold, italic=style.italic))
    label.setStyleSheet(f"color: {style.colour}; background: transparent;")
    if name:
        label.setObjectName(name)
    return label


def life_years(person: Person, language: str) -> str:
    """ "1858–1924", "b. 1892", "d. 1918", or nothing when no year is known."""
    if person.born is not None and person.died is not None:
        return f"{person.born}–{person.died}"
    if person.born is not None:
        return tr(language, "born", year=person.born)
    if person.died is not None:
        return tr(language, "died", year=person.died)
    return ""


def person_button(bundle: Bundle, person_id: str, language: str, text: str = "") -> QPushButton:
    """A button naming a person (by default with what they were), at least a finger high."""
    person = bundle.people[person_id]
    fallback = bundle.default_language
    if not text:
        name = pick(person.name, language, fallback)
        role = pick(person.role, language, fallback) if person.role else ""
        text = f"{name} — {role}" if role else name
    button = QPushButton(text)
    button.setObjectName(f"person-{person_id}")
    button.setProperty("person", person_id)
    button.setMinimumHeight(max(theme.TOUCH_MIN, 56))
    button.setFont(theme.font(theme.SANS, 19, bold=True))
    button.setStyleSheet(_LINK_STYLE.format(bg="transparent", fg=theme.INK.name()))
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return button


class PersonPanel(QFrame):
    """One person's entry; `back_requested` returns to what opened it, `event_requested` opens
    one of the events they appear in."""

    back_requested = Signal()
    event_requested = Signal(str)

    def __init__(self, bundle: Bundle, state: KioskState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bundle = bundle
        self._state = state
        self.person_id: str | None = None
        self.setObjectName("person-panel")
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            f"#person-panel {{ background: {theme.PAPER.name()}; "
            f"border-left: 3px solid {theme.INK.name()}; }}"
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.setContentsMargins(PANEL_PADDING, 18, 18, 6)
        self.back_button = QPushButton()
        self.back_button.setObjectName("back-button")
        self.back_button.setMinimumSize(132, 60)
        self.back_button.setFont(theme.font(theme.SANS, 21, bold=True))
        self.back_button.setStyleSheet(
            f"QPushButton {{ background: {theme.INK.name()}; color: {theme.PAPER.name()}; "
            "border: none; border-radius: 8px; padding: 6px 16px; }"
            f"QPushButton:pressed {{ background: {theme.ACCENT.name()}; }}"
        )
        self.back_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back_button.clicked.connect(self.back_requested)
        header.addWidget(self.back_button)
        header.addStretch(1)
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

    def show_person(self, person_id: str) -> None:
        self.person_id = person_id
        self._rebuild()
        self._scroll.verticalScrollBar().setValue(0)

    def _language_changed(self, _language: str) -> None:
        if self.isVisible():
            self._rebuild()

    def _rebuild(self) -> None:
        if self.person_id is None:
            return
        language = self._state.language
        self.back_button.setText(f"←  {tr(language, 'back')}")
        old = self._scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self._scroll.setWidget(self._content(self.person_id, language))

    def _content(self, person_id: str, language: str) -> QWidget:
        bundle = self._bundle
        fallback = bundle.default_language
        person = bundle.people[person_id]
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(PANEL_PADDING, 4, PANEL_PADDING, PANEL_PADDING)
        layout.setSpacing(10)
        layout.addWidget(_label(pick(person.name, language, fallback), "title", "person-name"))
        years = life_years(person, language)
        if years:
            layout.addWidget(_label(years, "dates", "person-years"))
        if person.role:
            layout.addWidget(_label(pick(person.role, language, fallback), "place", "person-role"))
        layout.addSpacing(6)
        layout.addWidget(_label(pick(person.entry, language, fallback), "body", "person-entry"))
        events = [event for event in bundle.events if person_id in event.people]
        if events:
            layout.addSpacing(12)
            layout.addWidget(_label(tr(language, "appears_in"), "heading"))
            for event in events:
                day = event_dates(event, bundle.manifest.calendar, language)[0]
                button = QPushButton(f"{pick(event.title, language, fallback)}\n{day}")
                button.setObjectName(f"person-event-{event.id}")
                button.setMinimumHeight(max(theme.TOUCH_MIN, 64))
                button.setFont(theme.font(theme.SANS, 18))
                button.setStyleSheet(_LINK_STYLE.format(bg="transparent", fg=theme.INK.name()))
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.clicked.connect(lambda _=False, i=event.id: self.event_requested.emit(i))
                layout.addWidget(button)
        if person.sources:
            layout.addSpacing(12)
            layout.addWidget(_label(tr(language, "sources"), "heading"))
            for source in person.sources:
                layout.addWidget(_label(source, "small"))
        layout.addStretch(1)
        return content
