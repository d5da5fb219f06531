"""Colours, fonts and sizes of the kiosk's own chrome (the map's colours come from the bundle).

Two visitor settings change how the chrome looks: large text and high contrast. Their colours are
kept as `Palette`s of `Surface`s, each a background with every colour text is drawn in on it, so
the contrast of every text colour on its background can be checked by walking the palette (the
accessibility test does). `apply` makes an appearance the active one: `TEXT_STYLES`, `palette()`
and `scaled()` then describe it, and widgets restyle when `KioskState.appearance_changed` fires.

The module-level colour constants (INK, CARD, ...) are the normal palette, for code that draws
things which do not change with the visitor's settings (map markers, the unavailable screen).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtGui import QColor, QFont, QFontDatabase

from kiosk.paths import fonts_dir

INK = QColor("#2b2118")
INK_SOFT = QColor("#5a4a3a")
CARD = QColor("#f7f1e3")  # panels and cards (the map sheet's own colour is the bundle's map.paper)
TABLE = QColor("#3d3a35")  # around the map sheet
ACCENT = QColor("#7a1f1f")
BAR = QColor(43, 33, 24, 235)
BAR_TEXT = QColor("#f7f1e3")

SERIF = "PT Serif"
SANS = "PT Sans"

TOUCH_MIN = 48  # logical px: the smallest touch target anywhere
MARKER_SIZE = 52
BAR_HEIGHT = 96
TIMELINE_HEIGHT = 92
LARGE_TEXT_SCALE = 1.3
LINE_CHARACTERS = 55  # the longest line of panel text, in characters (Smithsonian: 45-55)


@dataclass(frozen=True)
class Surface:
    """A background, and every colour text is drawn in on it (named by its role)."""

    background: QColor
    text: dict[str, QColor]


@dataclass(frozen=True)
class Palette:
    """The chrome's colours in one contrast setting; every field that is a Surface holds text."""

    panel: Surface  # event panel, title card, quotation and countdown cards: ink, soft, accent
    bar: Surface  # bottom bar and timeline: text, muted (a day without events)
    chosen: Surface  # a chosen button (language, day, mode): text
    bar_pressed: Surface  # a bar button under a finger: text
    chosen_pressed: Surface  # a chosen button under a finger: text
    invitation: Surface  # "Touch to explore" and the countdown's number: text
    map_note: Surface  # small notes on the map (data credit, credits button): text
    map_ink: QColor | None  # high contrast letters every map label in this; None: colour by kind
    table: QColor  # around the map sheet (no text on it)
    border: QColor  # outlines of buttons on the bar
    wash: QColor  # laid over the whole screen behind the countdown

    def surfaces(self) -> dict[str, Surface]:
        """Every surface with text on it, by name."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if isinstance(getattr(self, f.name), Surface)
        }


NORMAL = Palette(
    panel=Surface(CARD, {"ink": INK, "soft": INK_SOFT, "accent": ACCENT}),
    bar=Surface(QColor(BAR.rgb()), {"text": BAR_TEXT, "muted": QColor("#ab9d88")}),  # opaque
    chosen=Surface(CARD, {"text": INK}),
    bar_pressed=Surface(QColor("#5a4a3a"), {"text": BAR_TEXT}),
    chosen_pressed=Surface(QColor("#d8cdb4"), {"text": INK}),
    invitation=Surface(QColor(122, 31, 31, 240), {"text": QColor("#ffffff")}),
    map_note=Surface(QColor(247, 241, 227, 235), {"text": INK}),
    map_ink=None,
    table=TABLE,
    border=BAR_TEXT,
    wash=QColor(20, 16, 12, 150),
)

HIGH_CONTRAST = Palette(
    panel=Surface(
        QColor("#ffffff"),
        {"ink": QColor("#000000"), "soft": QColor("#1a1a1a"), "accent": QColor("#6e0000")},
    ),
    bar=Surface(QColor("#000000"), {"text": QColor("#ffffff"), "muted": QColor("#bdbdbd")}),
    chosen=Surface(QColor("#ffff00"), {"text": QColor("#000000")}),
    bar_pressed=Surface(QColor("#333333"), {"text": QColor("#ffffff")}),
    chosen_pressed=Surface(QColor("#d6d600"), {"text": QColor("#000000")}),
    invitation=Surface(QColor("#000000"), {"text": QColor("#ffff00")}),
    map_note=Surface(QColor("#ffffff"), {"text": QColor("#000000")}),
    map_ink=QColor("#000000"),
    table=QColor("#000000"),
    border=QColor("#ffffff"),
    wash=QColor(0, 0, 0, 190),
)


@dataclass(frozen=True)
class Appearance:
    """The visitor's settings: larger text, higher contrast."""

    large_text: bool = False
    high_contrast: bool = False

    @property
    def palette(self) -> Palette:
        return HIGH_CONTRAST if self.high_contrast else NORMAL

    @property
    def scale(self) -> float:
        return LARGE_TEXT_SCALE if self.large_text else 1.0


APPEARANCES = tuple(
    Appearance(large, contrast) for large in (False, True) for contrast in (False, True)
)


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


# Every kind of text in the event panel, by role: family, size at normal scale, bold, italic, and
# the panel surface's text colour it is drawn in.
_ROLES: dict[str, tuple[str, int, bool, bool, str]] = {
    "title": (SERIF, 36, True, False, "ink"),
    "dates": (SANS, 20, True, False, "accent"),
    "place": (SANS, 20, False, False, "ink"),
    "summary": (SERIF, 24, True, False, "ink"),
    "body": (SERIF, 22, False, False, "ink"),
    "heading": (SANS, 20, True, False, "soft"),
    "note": (SANS, 16, False, True, "soft"),
    "small": (SANS, 16, False, False, "soft"),
    "quote": (SERIF, 24, False, True, "ink"),
    "author": (SANS, 19, True, False, "ink"),
    "source": (SANS, 17, False, False, "soft"),
}


def text_styles(appearance: Appearance) -> dict[str, TextStyle]:
    """The panel's text styles in `appearance`."""
    colours = appearance.palette.panel.text
    return {
        role: TextStyle(
            family, round(size * appearance.scale), bold, italic, colours[colour].name()
        )
        for role, (family, size, bold, italic, colour) in _ROLES.items()
    }


_active = Appearance()
# The active appearance's panel text styles. Updated in place by `apply`, so code that looked the
# dictionary up once still sees the current styles when it next builds.
TEXT_STYLES: dict[str, TextStyle] = text_styles(_active)


def apply(appearance: Appearance) -> None:
    """Make `appearance` the one the kiosk draws in (one visitor's screen per process)."""
    global _active
    _active = appearance
    TEXT_STYLES.clear()
    TEXT_STYLES.update(text_styles(appearance))


def appearance() -> Appearance:
    return _active


def palette() -> Palette:
    """The active palette."""
    return _active.palette


def scaled(pixel_size: int) -> int:
    """A chrome font size in the active text size."""
    return round(pixel_size * _active.scale)


def css(colour: QColor) -> str:
    """A colour for a style sheet, keeping its transparency."""
    return f"rgba({colour.red()}, {colour.green()}, {colour.blue()}, {colour.alpha()})"
