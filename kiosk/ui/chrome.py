"""The controls around the map: title card, the bottom bar (home, legend, languages), attribution.

Everything a visitor needs to press lives in the bottom bar, within reach of a seated visitor.
Languages are offered by their own names ("English", "Русский"), never by flags.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.content import Bundle
from kiosk.content.model import pick
from kiosk.ui import theme
from kiosk.ui.markers import glyph
from kiosk.ui.state import KioskState
from kiosk.ui.strings import language_name, tr

_BUTTON_STYLE = (
    "QPushButton {{ background: {bg}; color: {fg}; border: 2px solid {border}; "
    "border-radius: 8px; padding: 8px 22px; }}"
    "QPushButton:pressed {{ background: {pressed}; }}"
)


def _plain(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class TitleCard(QFrame):
    """The exhibit's title and subtitle, top left, in the visitor's language."""

    def __init__(self, bundle: Bundle, state: KioskState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bundle = bundle
        self._state = state
        self.setObjectName("title-card")
        self.setStyleSheet(
            "#title-card { background: rgba(247, 241, 227, 235); border-radius: 10px; "
            f"border: 2px solid {theme.INK.name()}; }}"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 14, 24, 16)
        self.title = _plain()
        self.title.setObjectName("exhibit-title")
        self.title.setFont(theme.font(theme.SERIF, 30, bold=True))
        self.title.setWordWrap(True)
        self.subtitle = _plain()
        self.subtitle.setFont(theme.font(theme.SANS, 19))
        self.subtitle.setWordWrap(True)
        for label in (self.title, self.subtitle):
            label.setStyleSheet(f"color: {theme.INK.name()}; background: transparent;")
            layout.addWidget(label)
        state.language_changed.connect(self._retranslate)
        self._retranslate(state.language)

    def _retranslate(self, language: str) -> None:
        manifest = self._bundle.manifest
        fallback = self._bundle.default_language
        self.title.setText(pick(manifest.title, language, fallback))
        self.subtitle.setText(
            pick(manifest.subtitle, language, fallback) if manifest.subtitle else ""
        )
        self.subtitle.setVisible(bool(manifest.subtitle))


class BottomBar(QFrame):
    """Home ("whole city"), the category legend, and the language buttons."""

    whole_city_requested = Signal()

    def __init__(self, bundle: Bundle, state: KioskState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bundle = bundle
        self._state = state
        self.setObjectName("bottom-bar")
        self.setStyleSheet(f"#bottom-bar {{ background: {theme.BAR.name()}; }}")
        self.setFixedHeight(theme.BAR_HEIGHT)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(16)

        self.home_button = self._button("home-button")
        self.home_button.clicked.connect(self.whole_city_requested)
        layout.addWidget(self.home_button)
        layout.addSpacing(12)

        self._legend: list[tuple[str, QLabel]] = []
        for category_id, category in bundle.manifest.categories.items():
            icon = _plain()
            icon.setPixmap(
                glyph(category.colour, category.shape, "", self.devicePixelRatioF()).scaledToHeight(
                    round(34 * self.devicePixelRatioF()), Qt.TransformationMode.SmoothTransformation
                )
            )
            text = _plain()
            text.setFont(theme.font(theme.SANS, 18))
            text.setStyleSheet(f"color: {theme.BAR_TEXT.name()}; background: transparent;")
            layout.addWidget(icon)
            layout.addWidget(text)
            self._legend.append((category_id, text))
        layout.addStretch(1)

        self.language_buttons: dict[str, QPushButton] = {}
        names = bundle.manifest.language_names
        for code in bundle.manifest.languages:
            button = self._button(f"language-{code}")
            button.setText(language_name(code, names))
            button.setProperty("language", code)
            button.clicked.connect(self._language_clicked)
            layout.addWidget(button)
            self.language_buttons[code] = button
        state.language_changed.connect(self._retranslate)
        self._retranslate(state.language)

    def _button(self, name: str) -> QPushButton:
        button = QPushButton()
        button.setObjectName(name)
        button.setMinimumHeight(theme.BAR_HEIGHT - 24)
        button.setMinimumWidth(theme.TOUCH_MIN * 3)
        button.setFont(theme.font(theme.SANS, 21, bold=True))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    def _language_clicked(self) -> None:
        code = self.sender().property("language")
        self._state.set_language(str(code))

    def _retranslate(self, language: str) -> None:
        fallback = self._bundle.default_language
        self.home_button.setText(f"⌂  {tr(language, 'whole_city')}")
        self.home_button.setStyleSheet(self._style(active=False))
        for category_id, label in self._legend:
            category = self._bundle.manifest.categories[category_id]
            label.setText(pick(category.label, language, fallback))
        for code, button in self.language_buttons.items():
            button.setStyleSheet(self._style(active=code == language))

    @staticmethod
    def _style(active: bool) -> str:
        if active:
            return _BUTTON_STYLE.format(
                bg=theme.PAPER.name(),
                fg=theme.INK.name(),
                border=theme.PAPER.name(),
                pressed="#d8cdb4",
            )
        return _BUTTON_STYLE.format(
            bg="transparent",
            fg=theme.BAR_TEXT.name(),
            border=theme.BAR_TEXT.name(),
            pressed="#5a4a3a",
        )


class Attribution(QLabel):
    """The map data credit the licence asks for, always visible on the map."""

    def __init__(self, bundle: Bundle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attribution")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText("   ".join(bundle.manifest.map.attribution))
        self.setFont(theme.font(theme.SANS, 15))
        self.setStyleSheet(
            f"color: {theme.INK.name()}; background: rgba(247, 241, 227, 220); padding: 3px 10px;"
        )
        self.adjustSize()
