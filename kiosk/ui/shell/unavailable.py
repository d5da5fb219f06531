"""The calm screen shown when no bundle can be loaded: never a traceback in front of visitors."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.ui.journey import theme
from kiosk.ui.journey.words import tr

LANGUAGES = ("en", "ru")  # the kiosk's own languages; no bundle means no bundle languages


class UnavailableScreen(QWidget):
    """'This exhibit is being updated', in each language the installation asks for (default: all
    the kiosk's own languages; one without kiosk strings falls back to English)."""

    def __init__(self, languages: tuple[str, ...] | None = None) -> None:
        super().__init__()
        self.setObjectName("unavailable")
        # A plain QWidget ignores a style sheet background (it looked grey on a real screen).
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"#unavailable {{ background: {theme.CARD.name()}; }}")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        shown: set[str] = set()
        for language in languages or LANGUAGES:
            if tr(language, "unavailable_title") in shown:
                continue  # a language without kiosk strings would repeat the English
            shown.add(tr(language, "unavailable_title"))
            for key, size, bold in (
                ("unavailable_title", 44, True),
                ("unavailable_body", 26, False),
            ):
                label = QLabel(tr(language, key))
                label.setTextFormat(Qt.TextFormat.PlainText)
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                label.setFont(theme.font(theme.SERIF, size, bold=bold))
                label.setStyleSheet(f"color: {theme.INK.name()};")
                layout.addWidget(label)
            layout.addSpacing(36)
        layout.addStretch(1)
