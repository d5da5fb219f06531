"""People: a button for each person an event or quotation names, and the panel with their entry.

The person panel opens over the event panel, in the same place, and "Back" returns to the event.
It lists the events the person appears in, so a visitor can follow someone through the story.
All curator text is plain text.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.content import Bundle
from kiosk.content.data import Person, pick, source_text
from kiosk.ui.journey import theme
from kiosk.ui.journey.dates import event_dates
from kiosk.ui.journey.state import KioskState
from kiosk.ui.journey.words import tr
from kiosk.ui.panels.parts import ScrolledContent, TouchScrollArea, text_label

PANEL_PADDING = 36


def life_years(person: Person, language: str) -> str:
    """ "1858–1924", "b. 1892", "d. 1918", or nothing when no year is known."""
    if person.born is not None and person.died is not None:
        return f"{person.born}–{person.died}"
    if person.born is not None:
        return tr(language, "born", year=person.born)
    if person.died is not None:
        return tr(language, "died", year=person.died)
    return ""


class LinkButton(QAbstractButton):
    """A framed button whose words wrap to the panel's width: a title and an optional second
    line (what a person was, the day of an event). `text()` is the title."""

    def __init__(self, title: str, subtitle: str = "", name: str = "") -> None:
        super().__init__()
        self.setText(title)
        if name:
            self.setObjectName(name)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(2)
        for text, role in ((title, "author"), (subtitle, "source")):
            if text:
                label = text_label(text, role)
                label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
                layout.addWidget(label)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def sizeHint(self) -> QSize:
        hint = self._layout.sizeHint()
        return QSize(hint.width(), max(theme.TOUCH_MIN, hint.height()))

    def minimumSizeHint(self) -> QSize:
        return QSize(theme.TOUCH_MIN * 2, theme.TOUCH_MIN)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return max(theme.TOUCH_MIN, self._layout.totalHeightForWidth(width))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        panel = theme.palette().panel
        painter.setPen(QPen(panel.text["ink"], 2))
        # Pressed: a darker background under the finger, as the other buttons do.
        painter.setBrush(panel.background.darker(108) if self.isDown() else Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 8, 8)
        painter.end()


def person_button(bundle: Bundle, person_id: str, language: str, text: str = "") -> LinkButton:
    """A button naming a person (by default with what they were below the name)."""
    person = bundle.people[person_id]
    fallback = bundle.default_language
    if text:
        return LinkButton(text, name=f"person-{person_id}")
    role = pick(person.role, language, fallback) if person.role else ""
    return LinkButton(pick(person.name, language, fallback), role, f"person-{person_id}")


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
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.setContentsMargins(PANEL_PADDING, 18, 18, 6)
        self.back_button = QPushButton()
        self.back_button.setObjectName("back-button")
        self.back_button.setMinimumSize(132, 60)
        self.back_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back_button.clicked.connect(self.back_requested)
        header.addWidget(self.back_button)
        header.addStretch(1)
        outer.addLayout(header)
        self._scroll = TouchScrollArea()
        outer.addWidget(self._scroll, 1)
        state.language_changed.connect(self._language_changed)
        self.restyle()

    def restyle(self) -> None:
        """Colours and sizes from the active appearance (large text, high contrast)."""
        panel = theme.palette().panel
        ink, background = panel.text["ink"].name(), panel.background.name()
        self.setStyleSheet(
            f"#person-panel {{ background: {background}; border-left: 3px solid {ink}; }}"
        )
        self.back_button.setFont(theme.font(theme.SANS, theme.scaled(21), bold=True))
        self.back_button.setStyleSheet(
            f"QPushButton {{ background: {ink}; color: {background}; "
            "border: none; border-radius: 8px; padding: 6px 16px; }"
            f"QPushButton:pressed {{ background: {panel.text['accent'].name()}; }}"
        )
        if self.isVisible():
            self._rebuild()

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
        content = ScrolledContent()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(PANEL_PADDING, 4, PANEL_PADDING, PANEL_PADDING)
        layout.setSpacing(10)
        layout.addWidget(text_label(pick(person.name, language, fallback), "title", "person-name"))
        years = life_years(person, language)
        if years:
            layout.addWidget(text_label(years, "dates", "person-years"))
        if person.role:
            layout.addWidget(
                text_label(pick(person.role, language, fallback), "place", "person-role")
            )
        layout.addSpacing(6)
        layout.addWidget(text_label(pick(person.entry, language, fallback), "body", "person-entry"))
        events = [event for event in bundle.events if person_id in event.people]
        if events:
            layout.addSpacing(12)
            layout.addWidget(text_label(tr(language, "appears_in"), "heading"))
            for event in events:
                day = event_dates(event, bundle.manifest.calendar, language)[0]
                button = LinkButton(
                    pick(event.title, language, fallback), day, f"person-event-{event.id}"
                )
                button.clicked.connect(lambda _=False, i=event.id: self.event_requested.emit(i))
                layout.addWidget(button)
        if person.sources:
            layout.addSpacing(12)
            layout.addWidget(text_label(tr(language, "sources"), "heading"))
            for source in person.sources:
                line = source_text(source, language, fallback)
                layout.addWidget(text_label(line, "small"))
        layout.addStretch(1)
        return content
