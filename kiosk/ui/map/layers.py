"""The base map: the bundle's GeoJSON layers as painter paths, split into chunks.

The exhibit's map view does not draw these paths itself: `map_tiles` renders them into tiles off
the GUI thread and the view draws the tiles. Other users (the analytics report's heat map) paint
the map directly with `MapPainter(bundle).paint(painter, rect)`. The paths are built once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF

from kiosk.content import Bundle
from kiosk.content.data import Layer
from kiosk.content.geojson import LayerGeometry
from kiosk.ui.journey import theme


def _polygon(ring: tuple[tuple[float, float], ...]) -> QPolygonF:
    return QPolygonF([QPointF(x, y) for x, y in ring])


class _StyledPath:
    def __init__(self, path: QPainterPath, brush: QBrush | None, pen: QPen | None) -> None:
        self.path = path
        self.brush = brush
        self.pen = pen
        self.bounds = path.boundingRect()


GRID = 16  # chunks per side: an exposed strip strokes only the chunks it touches


def _chunk_key(
    ring: tuple[tuple[float, float], ...], cell_w: float, cell_h: float
) -> tuple[int, int]:
    xs = [x for x, _ in ring]
    ys = [y for _, y in ring]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return (min(GRID - 1, max(0, int(cx / cell_w))), min(GRID - 1, max(0, int(cy / cell_h))))


def _build(spec: Layer, geometry: LayerGeometry, sheet: QRectF) -> list[_StyledPath]:
    pen = None
    if spec.stroke:
        pen = QPen(QColor(spec.stroke), spec.width)
        pen.setCosmetic(True)  # the same width in pixels at every zoom
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        if spec.dash:
            pen.setDashPattern([4.0, 3.0])
    cell_w, cell_h = sheet.width() / GRID, sheet.height() / GRID
    brush = QBrush(QColor(spec.fill)) if spec.fill else None
    # Each shape goes into the chunk holding its centre; a chunk's bounds are its shapes' bounds,
    # so the visibility test stays exact even for shapes that cross chunk borders.
    areas: dict[tuple[int, int], QPainterPath] = {}
    polygons, line_strings = geometry.shapes()
    for polygon in polygons:
        key = _chunk_key(polygon[0], cell_w, cell_h)
        path = areas.get(key)
        if path is None:
            path = areas[key] = QPainterPath()
            path.setFillRule(Qt.FillRule.OddEvenFill)  # inner rings are islands
        for ring in polygon:
            path.addPolygon(_polygon(ring))
            path.closeSubpath()
    lines: dict[tuple[int, int], QPainterPath] = {}
    if pen is not None:
        for line in line_strings:
            lines.setdefault(_chunk_key(line, cell_w, cell_h), QPainterPath()).addPolygon(
                _polygon(line)
            )
    parts = [_StyledPath(path, brush, pen) for path in areas.values()]
    parts.extend(_StyledPath(path, None, pen) for path in lines.values())
    return parts


class MapPainter:
    """Paints the map sheet: paper, the layers in order, and the sheet's edge."""

    def __init__(self, bundle: Bundle) -> None:
        projection = bundle.projection
        self.rect = QRectF(0, 0, projection.width, projection.height)
        self.paper = QColor(bundle.manifest.map.paper)
        specs = {layer.id: layer for layer in bundle.manifest.map.layers}
        self._paths: list[_StyledPath] = []
        for geometry in bundle.layers:
            self._paths.extend(_build(specs[geometry.layer_id], geometry, self.rect))

    def paint(self, painter: QPainter, exposed: QRectF, surround: QColor | None = None) -> None:
        """Paint the part of the map in `exposed` (map units) with `surround` around the sheet.

        Safe off the GUI thread on a QImage, as long as one thread at a time paints with this
        instance (the map tiles' worker has its own).
        """
        # A pan that moves both ways exposes an L-shaped region whose bounding rect (what Qt
        # passes as `exposed`) is the whole view; culling against the clip region's own rects,
        # padded for line widths, strokes only the chunks under the strips really exposed.
        pad = 3 / max(painter.transform().m11(), 1e-9)
        if painter.hasClipping():
            # QRegion iterates over its rects at run time; PySide6's stubs do not say so.
            rects = cast(Iterable[QRect], painter.clipRegion())
            areas = [QRectF(r).adjusted(-pad, -pad, pad, pad) for r in rects]
        else:
            areas = [exposed]
        painter.fillRect(exposed, surround if surround is not None else theme.TABLE)
        painter.fillRect(self.rect.intersected(exposed), self.paper)
        painter.save()
        painter.setClipRect(self.rect, Qt.ClipOperation.IntersectClip)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for part in self._paths:
            if not any(part.bounds.intersects(area) for area in areas):
                continue
            painter.setBrush(part.brush or Qt.BrushStyle.NoBrush)
            painter.setPen(part.pen or Qt.PenStyle.NoPen)
            painter.drawPath(part.path)
        painter.restore()
        edge = QPen(theme.INK_SOFT, 2)
        edge.setCosmetic(True)
        painter.setPen(edge)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(self.rect)
