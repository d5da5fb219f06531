"""The base map: the bundle's GeoJSON layers as painter paths, drawn as the view's background.

Drawing in `drawBackground` with the view's background cache means a pan only paints the strip
that scrolls into view, not the whole city; the paths are built once per bundle.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF

from kiosk.content import Bundle
from kiosk.content.geojson import LayerGeometry
from kiosk.content.model import Layer
from kiosk.ui import theme


def _polygon(ring: tuple[tuple[float, float], ...]) -> QPolygonF:
    return QPolygonF([QPointF(x, y) for x, y in ring])


class _StyledPath:
    def __init__(self, path: QPainterPath, brush: QBrush | None, pen: QPen | None) -> None:
        self.path = path
        self.brush = brush
        self.pen = pen
        self.bounds = path.boundingRect()


def _build(spec: Layer, geometry: LayerGeometry) -> list[_StyledPath]:
    pen = None
    if spec.stroke:
        pen = QPen(QColor(spec.stroke), spec.width)
        pen.setCosmetic(True)  # the same width in pixels at every zoom
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        if spec.dash:
            pen.setDashPattern([4.0, 3.0])
    parts: list[_StyledPath] = []
    if geometry.polygons:
        areas = QPainterPath()
        areas.setFillRule(Qt.FillRule.OddEvenFill)  # inner rings are islands
        for polygon in geometry.polygons:
            for ring in polygon:
                areas.addPolygon(_polygon(ring))
                areas.closeSubpath()
        brush = QBrush(QColor(spec.fill)) if spec.fill else None
        parts.append(_StyledPath(areas, brush, pen))
    if geometry.lines and pen is not None:
        lines = QPainterPath()
        for line in geometry.lines:
            lines.addPolygon(_polygon(line))
        parts.append(_StyledPath(lines, None, pen))
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
            self._paths.extend(_build(specs[geometry.layer_id], geometry))

    def paint(self, painter: QPainter, exposed: QRectF) -> None:
        painter.fillRect(exposed, theme.TABLE)
        painter.fillRect(self.rect.intersected(exposed), self.paper)
        painter.save()
        painter.setClipRect(self.rect.intersected(exposed))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for part in self._paths:
            if not part.bounds.intersects(exposed):
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
