"""Accessibility: contrast of every text colour in every theme, large text, high contrast, lines.

The contrast test walks the theme's palettes (every surface and every text colour on it), so a
colour added to the theme is checked without anyone listing it here.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QPalette, QPointingDevice, QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel

from kiosk.content import Bundle
from kiosk.ui.journey import theme
from kiosk.ui.journey.theme import APPEARANCES, Appearance
from kiosk.ui.map.labels import STYLES as LABEL_STYLES
from kiosk.ui.map.labels import label_colour
from kiosk.ui.map.markers import glyph_text_colours
from kiosk.ui.shell.main_window import MainWindow
from tests.ui.touch import tap


def _channel(value: float) -> float:
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an opaque sRGB colour."""
    return (
        0.2126 * _channel(colour.redF())
        + 0.7152 * _channel(colour.greenF())
        + 0.0722 * _channel(colour.blueF())
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _over(colour: QColor, under: QColor) -> QColor:
    """`colour` composited over an opaque `under` (what the eye sees)."""
    alpha = colour.alphaF()
    return QColor.fromRgbF(
        colour.redF() * alpha + under.redF() * (1 - alpha),
        colour.greenF() * alpha + under.greenF() * (1 - alpha),
        colour.blueF() * alpha + under.blueF() * (1 - alpha),
    )


def _worst_ratio(text: QColor, background: QColor) -> float:
    # A translucent background shows whatever is under it: take the worst of black and white.
    unders = [QColor("#000000"), QColor("#ffffff")] if background.alpha() < 255 else [background]
    return min(contrast_ratio(text, _over(background, under)) for under in unders)


def _pairs(appearance: Appearance) -> Iterator[tuple[str, QColor, QColor]]:
    palette = appearance.palette
    for name, surface in palette.surfaces().items():
        for role, colour in surface.text.items():
            yield f"{name}.{role}", colour, surface.background
    for role, style in theme.text_styles(appearance).items():
        yield f"panel text '{role}'", QColor(style.colour), palette.panel.background


def test_the_contrast_formula_matches_known_values() -> None:
    assert contrast_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert _worst_ratio(QColor("#ffffff"), QColor(0, 0, 0, 128)) < 4.5


@pytest.mark.parametrize("appearance", APPEARANCES, ids=str)
def test_every_text_colour_contrasts_enough_with_its_background(appearance: Appearance) -> None:
    needed = 7.0 if appearance.high_contrast else 4.5
    pairs = list(_pairs(appearance))
    assert len(pairs) >= 20
    weak = [
        f"{name}: {_worst_ratio(fg, bg):.2f}"
        for name, fg, bg in pairs
        if _worst_ratio(fg, bg) < needed
    ]
    assert not weak, f"below {needed}:1 -> {weak}"


@pytest.mark.parametrize("appearance", APPEARANCES, ids=str)
def test_text_drawn_on_the_map_contrasts_enough(bundle: Bundle, appearance: Appearance) -> None:
    # Map labels sit on the bundle's paper; marker numbers on the bundle's category colours
    # (in high contrast, on the halo drawn round them).
    needed = 7.0 if appearance.high_contrast else 4.5
    paper = QColor(bundle.manifest.map.paper)
    theme.apply(appearance)
    try:
        ratios = {
            f"map label '{kind}'": contrast_ratio(label_colour(style), paper)
            for kind, style in LABEL_STYLES.items()
        }
        for category_id, category in bundle.manifest.categories.items():
            text, halo = glyph_text_colours(QColor(category.colour), appearance.high_contrast)
            behind = halo if halo is not None else QColor(category.colour)
            ratios[f"marker number on '{category_id}'"] = contrast_ratio(text, behind)
    finally:
        theme.apply(Appearance())
    weak = [f"{name}: {ratio:.2f}" for name, ratio in ratios.items() if ratio < needed]
    assert not weak, f"below {needed}:1 -> {weak}"


def _body_labels(window: MainWindow) -> list[QLabel]:
    roles = ("event-summary", "event-body", "quote-text")
    return [label for label in window.panel.findChildren(QLabel) if label.objectName() in roles]


def test_large_text_from_the_bottom_bar_enlarges_panel_and_controls(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    window.state.select("volynsky-mutiny")
    body = _body_labels(window)[0]
    before_body = body.font().pixelSize()
    before_button = window.bottom_bar.home_button.font().pixelSize()
    button = window.bottom_bar.large_text_button
    tap(button, touchscreen, button.rect().center())
    assert window.state.appearance.large_text
    body = _body_labels(window)[0]
    assert body.font().pixelSize() == round(before_body * theme.LARGE_TEXT_SCALE)
    assert window.bottom_bar.home_button.font().pixelSize() > before_button
    assert window.title_card.title.font().pixelSize() > 30
    tap(button, touchscreen, button.rect().center())
    assert _body_labels(window)[0].font().pixelSize() == before_body


def test_high_contrast_from_the_bottom_bar_changes_the_colours(
    window: MainWindow, touchscreen: QPointingDevice
) -> None:
    window.state.select("volynsky-mutiny")
    body = _body_labels(window)[0]
    assert body.palette().color(body.foregroundRole()) == QColor(theme.TEXT_STYLES["body"].colour)
    assert theme.TEXT_STYLES["body"].colour != "#000000"
    button = window.bottom_bar.contrast_button
    tap(button, touchscreen, button.rect().center())
    assert window.state.appearance.high_contrast
    body = _body_labels(window)[0]
    assert body.palette().color(body.foregroundRole()) == QColor("#000000")
    text = body.grab().toImage()
    inks = {text.pixelColor(x, y).name() for x in range(text.width()) for y in range(text.height())}
    assert "#000000" in inks, "the body text is drawn in black"
    paper = window.panel.palette().color(QPalette.ColorRole.Window)
    assert paper == QColor("#ffffff")
    assert window.panel.grab().toImage().pixelColor(10, 4) == paper  # painted, not only set
    bar = window.bottom_bar.grab().toImage()
    assert bar.pixelColor(4, 4) == QColor("#000000")
    day = next(iter(window.timeline.day_buttons.values()))
    image = window.timeline.grab().toImage()
    assert image.pixelColor(2, 2) == QColor("#000000")
    assert day.isVisible()


def _longest_line(label: QLabel) -> int:
    """The most characters on one line of `label` as wrapped at its width."""
    layout = QTextLayout(label.text(), label.font())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    longest = 0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(label.contentsRect().width())
        longest = max(
            longest,
            len(label.text()[line.textStart() : line.textStart() + line.textLength()].strip()),
        )
    layout.endLayout()
    return longest


def test_a_panel_opened_after_a_change_of_contrast_has_the_new_colours(
    window: MainWindow,
) -> None:
    window.state.select("volynsky-mutiny")
    window.state.select(None)
    window.state.set_appearance(Appearance(high_contrast=True))  # while the panel is closed
    window.state.select("volynsky-mutiny")
    paper = window.panel.palette().color(QPalette.ColorRole.Window)
    assert paper == theme.HIGH_CONTRAST.panel.background
    body = _body_labels(window)[0]
    assert body.palette().color(body.foregroundRole()) == QColor("#000000")
    window.state.select(None)
    window.state.set_appearance(Appearance())
    window.state.select("volynsky-mutiny")
    assert window.panel.palette().color(QPalette.ColorRole.Window) == theme.NORMAL.panel.background


@pytest.mark.parametrize("large_text", [False, True])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_panel_lines_are_at_most_about_55_characters(
    window: MainWindow, language: str, large_text: bool
) -> None:
    window.state.set_language(language)
    window.state.set_appearance(Appearance(large_text=large_text))
    longest = []
    for event in window.bundle.events:
        window.state.select(event.id)
        for label in _body_labels(window):
            longest.append(_longest_line(label))
            # and nothing in the panel pushes the text past its right edge (clipped)
            right = label.mapTo(window.panel, QPoint(label.width(), 0)).x()
            assert right <= window.panel.width(), (event.id, label.text()[:40])
    assert max(longest) <= theme.LINE_CHARACTERS + 3, max(longest)
    assert max(longest) >= theme.LINE_CHARACTERS - 15  # and not needlessly narrow
