"""Credits: the map data with its licence and how the map differs from the city of the exhibit's
day, the historical sources, and the pictures, each under its heading, all from the bundle (its
`credits` by section, its map attribution, each image's own credit); opened by a button next to
the attribution.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.content import Bundle
from kiosk.content.data import CreditSections, LangText, pick
from kiosk.ui.journey import theme
from kiosk.ui.journey.state import KioskState
from kiosk.ui.journey.words import tr
from kiosk.ui.panels.parts import TouchScrollArea, text_label

PADDING = 40


def picture_credits(bundle: Bundle) -> list[str]:
    """Every image's credit, once each, in the story's order."""
    return list(dict.fromkeys(media.credit for event in bundle.events for media in event.media))


class CreditsButton(QPushButton):
    """The small button on the map that opens the credits."""

    def __init__(self, state: KioskState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("credits-button")
        self.setMinimumHeight(theme.TOUCH_MIN)
        self.setFont(theme.font(theme.SANS, 17, bold=True))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.restyle()
        state.language_changed.connect(self._retranslate)
        self._retranslate(state.language)

    def restyle(self) -> None:
        """Colours of the active appearance."""
        note = theme.palette().map_note
        ink = theme.css(note.text["text"])
        self.setStyleSheet(
            f"QPushButton {{ background: {theme.css(note.background)}; color: {ink}; "
            f"border: 2px solid {ink}; border-radius: 8px; padding: 4px 16px; }}"
            "QPushButton:pressed { background: #e6dcc4; }"
        )

    def _retranslate(self, language: str) -> None:
        self.setText(tr(language, "credits"))
        self.adjustSize()


class CreditsPanel(QFrame):
    """The credits, over the map; `close_requested` when the visitor closes them."""

    close_requested = Signal()

    def __init__(self, bundle: Bundle, state: KioskState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bundle = bundle
        self._state = state
        self.setObjectName("credits-panel")
        self.setAutoFillBackground(True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.setContentsMargins(PADDING, 18, 18, 6)
        self._title = text_label("", "title", "credits-title")
        header.addWidget(self._title, 1)
        self.close_button = QPushButton()
        self.close_button.setObjectName("credits-close")
        self.close_button.setMinimumSize(132, 60)
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.clicked.connect(self.close_requested)
        header.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(header)
        self._scroll = TouchScrollArea()
        outer.addWidget(self._scroll, 1)
        state.language_changed.connect(self._rebuild)
        self.restyle()

    def restyle(self) -> None:
        """Colours and sizes from the active appearance (large text, high contrast)."""
        panel = theme.palette().panel
        ink, background = panel.text["ink"].name(), panel.background.name()
        self.setStyleSheet(
            f"#credits-panel {{ background: {background}; border: 3px solid {ink}; "
            "border-radius: 10px; }"
        )
        self.close_button.setFont(theme.font(theme.SANS, theme.scaled(21), bold=True))
        self.close_button.setStyleSheet(
            f"QPushButton {{ background: {ink}; color: {background}; "
            "border: none; border-radius: 8px; padding: 6px 16px; }"
            f"QPushButton:pressed {{ background: {panel.text['accent'].name()}; }}"
        )
        self._rebuild(self._state.language)

    def _rebuild(self, language: str) -> None:
        manifest = self._bundle.manifest
        fallback = self._bundle.default_language
        self._title.setText(tr(language, "credits"))
        self.close_button.setText(f"✕  {tr(language, 'close')}")
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(PADDING, 4, PADDING, PADDING)
        layout.setSpacing(12)
        layout.addWidget(text_label(pick(manifest.title, language, fallback), "summary"))

        def paragraphs(texts: list[LangText]) -> None:
            for credit in texts:
                for paragraph in pick(credit, language, fallback).split("\n\n"):
                    if paragraph.strip():
                        label = text_label(" ".join(paragraph.split()), "body", "credits-text")
                        layout.addWidget(label)

        credits = manifest.credits
        sections = dict(credits.sections()) if isinstance(credits, CreditSections) else {}
        if isinstance(credits, list):
            paragraphs(credits)  # not sorted into sections: under the panel's own title
        layout.addWidget(text_label(tr(language, "map_data"), "heading", "credits-map"))
        for line in manifest.map.attribution:
            layout.addWidget(
                text_label(pick(line, language, fallback), "body", "credits-attribution")
            )
        paragraphs(sections.get("map", []))
        if sections.get("sources"):
            layout.addWidget(
                text_label(tr(language, "history_sources"), "heading", "credits-sources")
            )
            paragraphs(sections["sources"])
        pictures = picture_credits(self._bundle)
        if sections.get("pictures") or pictures:
            layout.addWidget(text_label(tr(language, "pictures"), "heading", "credits-pictures"))
            paragraphs(sections.get("pictures", []))
            for credit in pictures:
                layout.addWidget(text_label(credit, "body", "credits-picture"))
        layout.addStretch(1)
        old = self._scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self._scroll.setWidget(content)
