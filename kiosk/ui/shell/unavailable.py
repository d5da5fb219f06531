"""The calm screen shown when no bundle can be loaded: never a traceback in front of visitors."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.content.interface_words import built_in_languages
from kiosk.ui.journey import theme
from kiosk.ui.journey.words import has_word, tr


class UnavailableScreen(QWidget):
    """'This exhibit is being updated', in the languages given: those of the bundle that could
    not be loaded (as its bundle.yaml lists them), or those the installation asks for; with
    none, every language the kiosk has words for. English stands in, once, for a language
    without the words."""

    def __init__(self, languages: tuple[str, ...] | None = None) -> None:
        super().__init__()
        self.setObjectName("unavailable")
        self.languages = languages or tuple(built_in_languages()) or ("en",)
        # A plain QWidget ignores a style sheet background (it looked grey on a real screen).
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"#unavailable {{ background: {theme.CARD.name()}; }}")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        # A language without these words is said in English instead, once.
        shown = [code if has_word(code, "unavailable_title") else "en" for code in self.languages]
        for language in dict.fromkeys(shown):
            for key, size, bold in (
                ("unavailable_title", 44, True),
                ("unavailable_body", 26, False),
            ):
                label = QLabel(tr(language, key))
                label.setObjectName(f"unavailable-{language}")
                label.setTextFormat(Qt.TextFormat.PlainText)
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                label.setWordWrap(True)
                label.setFont(theme.font(theme.SERIF, size, bold=bold))
                label.setStyleSheet(f"color: {theme.INK.name()};")
                layout.addWidget(label)
            layout.addSpacing(36)
        layout.addStretch(1)
