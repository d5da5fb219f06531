"""Colours, fonts and sizes of the kiosk's own chrome (the map's colours come from the bundle)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QFontDatabase

from kiosk.paths import fonts_dir

INK = QColor("#2b2118")
INK_SOFT = QColor("#5a4a3a")
PAPER = QColor("#f7f1e3")
TABLE = QColor("#3d3a35")  # around the map sheet
ACCENT = QColor("#7a1f1f")
BAR = QColor(43, 33, 24, 235)
BAR_TEXT = QColor("#f7f1e3")

SERIF = "PT Serif"
SANS = "PT Sans"

TOUCH_MIN = 48  # logical px: the smallest touch target anywhere
MARKER_SIZE = 52
BAR_HEIGHT = 96


def load_fonts() -> list[str]:
    """Register the bundled fonts so every kiosk renders the same; returns the families."""
    families: set[str] = set()
    for path in sorted(fonts_dir().glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families.update(QFontDatabase.applicationFontFamilies(font_id))
    return sorted(families)


def font(family: str, pixel_size: int, *, bold: bool = False, italic: bool = False) -> QFont:
    result = QFont(family)
    result.setPixelSize(pixel_size)
    result.setBold(bold)
    result.setItalic(italic)
    return result


@dataclass(frozen=True)
class TextStyle:
    """How one role of text in the panels looks."""

    family: str
    size: int
    bold: bool = False
    italic: bool = False
    colour: str = INK.name()


# Every kind of text in the event panel, by role, so sizes are set (and later scaled) in one place.
TEXT_STYLES = {
    "title": TextStyle(SERIF, 36, bold=True),
    "dates": TextStyle(SANS, 20, bold=True, colour=ACCENT.name()),
    "place": TextStyle(SANS, 20),
    "summary": TextStyle(SERIF, 24, bold=True),
    "body": TextStyle(SERIF, 22),
    "heading": TextStyle(SANS, 20, bold=True, colour=INK_SOFT.name()),
    "note": TextStyle(SANS, 16, italic=True, colour=INK_SOFT.name()),
    "small": TextStyle(SANS, 16, colour=INK_SOFT.name()),
    "quote": TextStyle(SERIF, 24, italic=True),
    "author": TextStyle(SANS, 19, bold=True),
    "source": TextStyle(SANS, 17, colour=INK_SOFT.name()),
}
