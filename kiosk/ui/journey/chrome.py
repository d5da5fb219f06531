"""The chrome around the map: title card with the legend, the bottom bar, the attribution.

Everything a visitor needs to press lives in the lower part of the screen, within reach of a
seated visitor: the bottom bar has home, large text, high contrast and the languages (the
timeline sits just above it).
Languages are offered by their own names ("English", "Русский"), never by flags.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QRegion, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.content import Bundle
from kiosk.content.data import pick
from kiosk.ui.journey import theme
from kiosk.ui.journey.state import KioskState
from kiosk.ui.journey.timeline import button_style
from kiosk.ui.journey.words import language_name, tr
from kiosk.ui.map.markers import glyph

LEGEND_COLUMNS = 3


def _plain(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


CARD_RADIUS = 10  # px: the title card's rounded corners


class TitleCard(QFrame):
    """The exhibit's title and subtitle, top left, in the visitor's language, and the legend."""

    def __init__(self, bundle: Bundle, state: KioskState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bundle = bundle
        self._state = state
        self.setObjectName("title-card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 14, 24, 16)
        self.title = _plain()
        self.title.setObjectName("exhibit-title")
        self.title.setWordWrap(True)
        self.subtitle = _plain()
        self.subtitle.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)

        # The legend explains the markers; it is read, not pressed, so it lives up here.
        legend = QGridLayout()
        legend.setContentsMargins(0, 8, 0, 0)
        legend.setHorizontalSpacing(10)
        legend.setVerticalSpacing(4)
        self._legend: list[tuple[str, QLabel]] = []
        self._icons: list[QLabel] = []
        for category_id, category in bundle.manifest.categories.items():
            icon = _plain()
            icon.setPixmap(
                glyph(category.colour, category.shape, "", self.devicePixelRatioF()).scaledToHeight(
                    round(30 * self.devicePixelRatioF()), Qt.TransformationMode.SmoothTransformation
                )
            )
            text = _plain()
            text.setObjectName(f"legend-{category_id}")
            text.setWordWrap(True)  # a narrow card (portrait) wraps a long label, never cuts it
            self._icons.append(icon)
            self._legend.append((category_id, text))
        self._grid = legend
        self.columns = 0
        self.set_columns(LEGEND_COLUMNS)
        layout.addLayout(legend)
        state.language_changed.connect(self._retranslate)
        state.appearance_changed.connect(self._restyle)
        self._restyle()

    def set_columns(self, columns: int) -> None:
        """Lay the legend out in `columns` columns (fewer on a narrow card, so labels fit)."""
        columns = max(1, columns)
        if columns == self.columns:
            return
        for column in range(max(self.columns, columns, LEGEND_COLUMNS)):
            self._grid.setColumnStretch(column * 2 + 1, 0)
        for n, (icon, (_, text)) in enumerate(zip(self._icons, self._legend, strict=True)):
            self._grid.removeWidget(icon)
            self._grid.removeWidget(text)
            row, column = divmod(n, columns)
            self._grid.addWidget(icon, row, column * 2)
            self._grid.addWidget(text, row, column * 2 + 1)
        for column in range(columns):
            self._grid.setColumnStretch(column * 2 + 1, 1)
        self.columns = columns

    def see_through(self) -> QRegion:
        """Where the map shows through the card (its rounded corners): all the map view must
        repaint under it when the map scrolls."""
        r = CARD_RADIUS
        whole = QRegion(self.rect())
        return (
            whole
            - QRegion(self.rect().adjusted(r, 0, -r, 0))
            - QRegion(self.rect().adjusted(0, r, 0, -r))
        )

    def _restyle(self, *_args: object) -> None:
        panel = theme.palette().panel
        background = QColor(panel.background)  # opaque: the map scrolls under it unrepainted
        self.setStyleSheet(
            f"#title-card {{ background: {theme.css(background)}; border-radius: {CARD_RADIUS}px; "
            f"border: 2px solid {panel.text['ink'].name()}; }}"
        )
        self.title.setFont(theme.font(theme.SERIF, theme.scaled(30), bold=True))
        self.subtitle.setFont(theme.font(theme.SANS, theme.scaled(19)))
        labels = [self.title, self.subtitle] + [label for _, label in self._legend]
        for label in labels:
            label.setStyleSheet(f"color: {panel.text['ink'].name()}; background: transparent;")
        for _, label in self._legend:
            label.setFont(theme.font(theme.SANS, theme.scaled(17)))
        self._retranslate(self._state.language)

    def _retranslate(self, language: str) -> None:
        manifest = self._bundle.manifest
        fallback = self._bundle.default_language
        self.title.setText(pick(manifest.title, language, fallback))
        self.subtitle.setText(
            pick(manifest.subtitle, language, fallback) if manifest.subtitle else ""
        )
        self.subtitle.setVisible(bool(manifest.subtitle))
        for category_id, label in self._legend:
            category = manifest.categories[category_id]
            label.setText(pick(category.label, language, fallback))
        self.adjustSize()


MIN_BAR_FONT = 14  # px: the smallest the bottom bar's words become on a narrow screen


class BottomBar(QFrame):
    """Home ("whole city"), large text and high contrast, the historical plan (where the bundle
    has one), and the language buttons."""

    whole_city_requested = Signal()
    plan_toggled = Signal(bool)  # True: fade the old plan in over today's map

    def __init__(self, bundle: Bundle, state: KioskState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bundle = bundle
        self._state = state
        self.setObjectName("bottom-bar")
        self.setFixedHeight(theme.BAR_HEIGHT)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(16)

        self.home_button = self._button("home-button")
        self.home_button.clicked.connect(self.whole_city_requested)
        layout.addWidget(self.home_button)
        layout.addSpacing(12)
        self.large_text_button = self._button("large-text-button")
        self.large_text_button.clicked.connect(self._toggle_large_text)
        layout.addWidget(self.large_text_button)
        self.contrast_button = self._button("contrast-button")
        self.contrast_button.clicked.connect(self._toggle_contrast)
        layout.addWidget(self.contrast_button)
        self.plan_button: QPushButton | None = None
        self.plan_shown = False
        if bundle.plan is not None:
            layout.addSpacing(12)
            self.plan_button = self._button("plan-button")
            self.plan_button.clicked.connect(lambda: self.show_plan(not self.plan_shown))
            layout.addWidget(self.plan_button)
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
        state.appearance_changed.connect(self._restyle)
        self._restyle()

    def _button(self, name: str) -> QPushButton:
        button = QPushButton()
        button.setObjectName(name)
        button.setMinimumHeight(theme.BAR_HEIGHT - 24)
        button.setMinimumWidth(theme.TOUCH_MIN * 3)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    def show_plan(self, shown: bool) -> None:
        """Mark the plan button as chosen (the old plan shown) or not, and say so."""
        if shown != self.plan_shown:
            self.plan_shown = shown
            self._retranslate(self._state.language)
            self.plan_toggled.emit(shown)

    def _fit(self) -> None:
        """The buttons' words at the chrome size, or smaller where the bar is too narrow for all
        of them (a portrait screen, long words, large text): never cut off."""
        buttons = self.findChildren(QPushButton)
        layout = self.layout()
        assert layout is not None
        margins = layout.contentsMargins()
        room = self.width() - margins.left() - margins.right() - 12 - 16 * (len(buttons) - 1)
        size = theme.scaled(21)
        while True:
            font = theme.font(theme.SANS, size, bold=True)
            for button in buttons:
                button.setFont(font)
            needed = sum(max(b.sizeHint().width(), b.minimumWidth()) for b in buttons)
            if needed <= room or size <= MIN_BAR_FONT or self.width() == 0:
                return
            size -= 1

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _language_clicked(self) -> None:
        code = self.sender().property("language")
        self._state.set_language(str(code))

    def _toggle_large_text(self) -> None:
        current = self._state.appearance
        self._state.set_appearance(replace(current, large_text=not current.large_text))

    def _toggle_contrast(self) -> None:
        current = self._state.appearance
        self._state.set_appearance(replace(current, high_contrast=not current.high_contrast))

    def _restyle(self, *_args: object) -> None:
        self.setStyleSheet(
            f"#bottom-bar {{ background: {theme.css(theme.palette().bar.background)}; }}"
        )
        self._retranslate(self._state.language)

    def _retranslate(self, language: str) -> None:
        appearance = self._state.appearance
        self.home_button.setText(f"⌂  {tr(language, 'whole_city')}")
        self.home_button.setStyleSheet(button_style(chosen=False))
        self.large_text_button.setText(f"Aa  {tr(language, 'large_text')}")
        self.large_text_button.setStyleSheet(button_style(chosen=appearance.large_text))
        self.contrast_button.setText(f"◐  {tr(language, 'high_contrast')}")
        self.contrast_button.setStyleSheet(button_style(chosen=appearance.high_contrast))
        if self.plan_button is not None:
            self.plan_button.setText(f"▦  {tr(language, 'old_plan')}")
            self.plan_button.setStyleSheet(button_style(chosen=self.plan_shown))
        self._fit()
        for code, button in self.language_buttons.items():
            button.setStyleSheet(button_style(chosen=code == language))


class Attribution(QLabel):
    """The map data credit the licence asks for, always visible on the map."""

    def __init__(self, bundle: Bundle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attribution")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._bundle = bundle
        self.setFont(theme.font(theme.SANS, 15))
        self.set_language(bundle.default_language)
        self.restyle()

    def set_language(self, language: str) -> None:
        """The attribution in `language` (a line given in one form only stays as it is)."""
        fallback = self._bundle.default_language
        lines = [pick(line, language, fallback) for line in self._bundle.manifest.map.attribution]
        self.setText("   ".join(lines))
        self.adjustSize()

    def restyle(self) -> None:
        """Colours of the active appearance."""
        note = theme.palette().map_note
        self.setStyleSheet(
            f"color: {theme.css(note.text['text'])}; background: {theme.css(note.background)};"
            " padding: 3px 10px;"
        )
        self.adjustSize()
