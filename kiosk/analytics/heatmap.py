"""The heat-map of visitors' touches, drawn over the exhibit's own map (for the analytics report).

The map is painted by the kiosk's `MapPainter` into a QImage, washed pale so the colours read.
Each grid cell that visitors touched adds a soft spot (a radial gradient reaching 2 cells out) to
a density image, strength on a square-root scale of its touches so a few very busy cells do not
hide the rest; neighbouring spots add up. The density is then coloured from pale yellow (few
touches) to dark red (the most) through an indexed colour table, which costs no per-pixel Python.
The events' markers are ringed (at their places; an off-map event's on the sheet's edge), so a
curator sees which hot spots are markers.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QRadialGradient

from kiosk.content import Bundle
from kiosk.ui.journey import theme
from kiosk.ui.map.layers import MapPainter
from kiosk.ui.map.marker_layer import EDGE_INSET_PX

# ColorBrewer's YlOrRd: a sequential ramp that stays readable for colour-blind readers.
RAMP = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
WASH = QColor(255, 255, 255, 110)
SCREEN = (1920, 1080)  # the kiosk screen assumed for where off-map markers stand
SPOT_CELLS = 2.0  # a cell's spot reaches this many cells from its centre
MIN_SPOT_PX = 10.0  # and at least this many pixels, so a single touch stays visible
PEAK = 235  # the density of the busiest cell's centre (of 255)
OPAQUE_FROM = 70  # densities below this fade out, so faint edges do not film the map


def ramp_at(position: float) -> QColor:
    """The ramp's colour at `position` (0..1), opaque."""
    position = max(0.0, min(1.0, position)) * (len(RAMP) - 1)
    low = int(position)
    high = min(low + 1, len(RAMP) - 1)
    a, b = QColor(RAMP[low]), QColor(RAMP[high])
    t = position - low
    colour = QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )
    return colour


def _colour_table() -> list[int]:
    table = [0]  # no touches: fully transparent
    for density in range(1, 256):
        colour = ramp_at(density / PEAK)
        colour.setAlpha(round(225 * min(1.0, density / OPAQUE_FROM)))
        table.append(colour.rgba())
    return table


def _density(size: tuple[int, int], taps: dict[tuple[int, int], int], cell_px: float) -> QImage:
    """One byte per pixel: how many touches are near, 0..255 (saturating)."""
    spots = QImage(size[0], size[1], QImage.Format.Format_ARGB32_Premultiplied)
    spots.fill(Qt.GlobalColor.transparent)
    busiest = max(taps.values(), default=0)
    radius = max(cell_px * SPOT_CELLS, MIN_SPOT_PX)
    painter = QPainter(spots)
    try:
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Plus)
        painter.setPen(Qt.PenStyle.NoPen)
        for (x, y), count in taps.items():
            centre = QPointF((x + 0.5) * cell_px, (y + 0.5) * cell_px)
            strength = math.sqrt(count / busiest) if busiest else 0.0
            gradient = QRadialGradient(centre, radius)
            gradient.setColorAt(0.0, QColor(0, 0, 0, round(PEAK * strength)))
            gradient.setColorAt(0.5, QColor(0, 0, 0, round(PEAK * strength * 0.55)))
            gradient.setColorAt(1.0, QColor(0, 0, 0, 0))
            painter.fillRect(
                QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius), gradient
            )
    finally:
        painter.end()
    alpha = spots.convertToFormat(QImage.Format.Format_Alpha8)
    # The same bytes read as colour indices (copied while `alpha` still owns them).
    indexed = QImage(
        alpha.constBits(), size[0], size[1], alpha.bytesPerLine(), QImage.Format.Format_Indexed8
    ).copy()
    indexed.setColorTable(_colour_table())
    return indexed


def render_heatmap(
    bundle: Bundle, taps: dict[tuple[int, int], int], cell_m: float, width: int = 1400
) -> QImage:
    """The map `width` pixels wide with `taps` (cell -> touches) drawn over it."""
    painter_map = MapPainter(bundle)
    sheet = painter_map.rect
    scale = width / sheet.width()
    image = QImage(width, max(1, round(sheet.height() * scale)), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.save()
        painter.scale(scale, scale)
        painter_map.paint(painter, sheet)
        painter.fillRect(sheet, WASH)
        painter.restore()
        painter.drawImage(0, 0, _density((image.width(), image.height()), taps, cell_m * scale))
        ring = QPen(QColor(40, 40, 40, 200), 1.5)
        painter.setPen(ring)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for x, y in _marker_places(bundle):
            painter.drawEllipse(QPointF(x * scale, y * scale), 5, 5)
    finally:
        painter.end()
    return image


def _marker_places(bundle: Bundle) -> list[tuple[float, float]]:
    """Where the events' markers stand, in map units: their places, and for a place off the map
    the point on the sheet's edge where the kiosk draws it (as on a 1920x1080 screen)."""
    projection = bundle.projection
    above = SCREEN[1] - theme.BAR_HEIGHT - theme.TIMELINE_HEIGHT
    fit = min(SCREEN[0] / projection.width, above / projection.height)
    inset = min(EDGE_INSET_PX / fit, projection.width / 4, projection.height / 4)
    places = []
    for event in bundle.events:
        place = bundle.places[event.place]
        if place.off_map:
            edge = projection.edge_point(place.lat, place.lon, inset)
            places.append((edge.x, edge.y))
        else:
            places.append(projection.project(place.lat, place.lon))
    return places


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # (the stubs say bytes; only str works)
    buffer.close()
    return bytes(data.data())
