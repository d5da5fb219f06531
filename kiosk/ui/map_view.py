"""The map view: the map sheet, its markers, and what fingers (and a mouse) do to it.

Touch is handled here directly from the viewport's touch events: a tap acts at once (no waiting to
see whether a double tap follows), a finger that moves more than a few millimetres pans, and two
fingers pinch-zoom about their midpoint. Zoom stays between the whole city and `max_zoom` times
that, and the view never scrolls beyond the map sheet.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QTouchEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QGraphicsScene, QGraphicsView, QWidget

from kiosk.content import Bundle
from kiosk.content.model import Place, pick
from kiosk.content.projection import distance_m
from kiosk.ui import theme
from kiosk.ui.map_layers import MapPainter
from kiosk.ui.marker_layout import fan_offsets
from kiosk.ui.markers import MarkerItem
from kiosk.ui.state import KioskState
from kiosk.ui.strings import tr

TAP_SLOP_PX = 14  # a finger that wobbles less than this is still tapping
EDGE_INSET_PX = 60  # off-map markers sit this far inside the sheet's edge at the whole-city view


class MapView(QGraphicsView):
    """Shows the bundle's map and markers; emits `marker_tapped` with the event id."""

    marker_tapped = Signal(str)

    def __init__(self, bundle: Bundle, state: KioskState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bundle = bundle
        self._state = state
        self._map = MapPainter(bundle)
        self._max_zoom = bundle.manifest.map.max_zoom
        self._min_scale = 1.0
        self._right_inset = 0  # pixels covered by the event panel, kept clear when revealing
        self._press: dict[int, QPointF] = {}
        self._last: dict[int, QPointF] = {}
        self._panning = False
        self._multi = False
        # A pinch holds on to the map point first under the fingers' midpoint, with the scale and
        # finger spread it started from, so rounding never accumulates into drift.
        self._pinch: tuple[QPointF, float, float] | None = None

        scene = QGraphicsScene(self)
        scene.setSceneRect(self._map.rect)
        scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setScene(scene)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setBackgroundBrush(theme.TABLE)

        self.markers: dict[str, MarkerItem] = {}
        self._create_markers()
        state.language_changed.connect(self._update_labels)
        state.selection_changed.connect(self._show_selection)
        self._update_labels(state.language)

    # --- markers -------------------------------------------------------------------------

    def _anchor(self, place: Place) -> tuple[QPointF, float | None]:
        """A place's marker position in the scene, and for an off-map place its bearing."""
        projection = self._bundle.projection
        if not place.off_map:
            return QPointF(*projection.project(place.lat, place.lon)), None
        inset = min(EDGE_INSET_PX / self._min_scale, projection.width / 4, projection.height / 4)
        edge = projection.edge_point(place.lat, place.lon, inset)
        return QPointF(edge.x, edge.y), edge.bearing_deg

    def _create_markers(self) -> None:
        categories = self._bundle.manifest.categories
        for event in self._bundle.events:
            anchor, bearing = self._anchor(self._bundle.places[event.place])
            category = categories[event.category]
            marker = MarkerItem(
                event.id, category.colour, category.shape, str(event.date.day), anchor, bearing
            )
            self.scene().addItem(marker)
            self.markers[event.id] = marker

    def _layout_markers(self) -> None:
        """Place off-map markers for this view size; fan out markers that would overlap."""
        for event in self._bundle.events:
            place = self._bundle.places[event.place]
            if place.off_map:
                self.markers[event.id].setPos(self._anchor(place)[0])
        items = list(self.markers.values())
        points = [(m.pos().x(), m.pos().y()) for m in items]
        offsets = fan_offsets(points, self._min_scale, theme.MARKER_SIZE)
        for marker, (dx, dy) in zip(items, offsets, strict=True):
            marker.set_offset(dx, dy)

    def _update_labels(self, language: str) -> None:
        fallback = self._bundle.default_language
        projection = self._bundle.projection
        c_lat, c_lon = projection.centre
        for event in self._bundle.events:
            place = self._bundle.places[event.place]
            if place.off_map:
                km = round(distance_m(c_lat, c_lon, place.lat, place.lon) / 1000)
                name = pick(place.short_name or place.name, language, fallback)
                self.markers[event.id].set_label(f"{name} · {tr(language, 'km_away', distance=km)}")

    def _show_selection(self, event_id: str | None) -> None:
        # Only the marking: bringing the marker into view needs the panel's width, so the window
        # calls `reveal` once it has laid the panel out.
        for marker_id, marker in self.markers.items():
            marker.set_selected(marker_id == event_id)

    def marker_screen_pos(self, event_id: str) -> QPointF:
        """Where the marker's glyph is on the viewport, in pixels (for tests and tours)."""
        marker = self.markers[event_id]
        anchor = self.mapFromScene(marker.pos())
        return QPointF(anchor) + marker.glyph_centre

    # --- zoom and pan -------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        """The zoom as a multiple of the whole-city view."""
        return self.transform().m11() / self._min_scale

    def visible_scene_rect(self) -> QRectF:
        return self.mapToScene(self.viewport().rect()).boundingRect()

    def set_right_inset(self, pixels: int) -> None:
        """Keep `pixels` on the right free (the event panel covers them)."""
        self._right_inset = pixels
        self._update_scroll_area()

    def _update_scroll_area(self) -> None:
        # The view may scroll past the sheet's right edge by the panel's width, so every part of
        # the map can be brought into the uncovered area; at the whole-city view this slides the
        # whole sheet out from under the panel.
        margin = self._right_inset / self.transform().m11()
        self.setSceneRect(self._map.rect.adjusted(0, 0, margin, 0))

    def _fit_scale(self) -> float:
        rect = self._map.rect
        viewport = self.viewport().size()
        if rect.isEmpty() or viewport.isEmpty():
            return 1.0
        return min(viewport.width() / rect.width(), viewport.height() / rect.height())

    def show_whole_city(self) -> None:
        self.setTransform(QTransform.fromScale(self._min_scale, self._min_scale))
        self._update_scroll_area()
        self.centerOn(self._map.rect.center())

    def zoom_by(self, factor: float, anchor: QPointF) -> None:
        """Zoom by `factor` keeping the map point under `anchor` (viewport px) where it is."""
        self._zoom_to(self.transform().m11() * factor, self.mapToScene(anchor.toPoint()), anchor)

    def _zoom_to(self, scale: float, scene_point: QPointF, anchor: QPointF) -> None:
        """Set the scale (clamped) and put `scene_point` under `anchor` as far as the map allows."""
        target = min(max(scale, self._min_scale), self._min_scale * self._max_zoom)
        if not math.isclose(target, self.transform().m11()):
            self.setTransform(QTransform.fromScale(target, target))
            self._update_scroll_area()
        centre = QPointF(self.viewport().width() / 2, self.viewport().height() / 2)
        self.centerOn(scene_point - (anchor - centre) / target)

    def pan_by(self, dx: float, dy: float) -> None:
        """Move the map with a finger: the map follows by (dx, dy) pixels."""
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(h.value() - round(dx))
        v.setValue(v.value() - round(dy))

    def reveal(self, event_id: str) -> None:
        """Bring a marker into the part of the view the event panel does not cover."""
        marker = self.markers[event_id]
        scale = self.transform().m11()
        target = marker.pos() + marker.glyph_centre / scale
        visible_width = self.viewport().width() - self._right_inset
        shift = (self.viewport().width() / 2 - visible_width / 2) / scale
        self.centerOn(QPointF(target.x() + shift, target.y()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        was_overview = math.isclose(self.zoom, 1.0, rel_tol=1e-3)
        zoom = self.zoom
        super().resizeEvent(event)
        self._min_scale = self._fit_scale()
        self._layout_markers()
        if was_overview:
            self.show_whole_city()
        else:
            self.setTransform(QTransform.fromScale(self._min_scale * zoom, self._min_scale * zoom))
            self._update_scroll_area()

    # --- drawing ------------------------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        self._map.paint(painter, QRectF(rect))

    # --- fingers and mouse --------------------------------------------------------------

    def marker_at(self, pos: QPointF) -> MarkerItem | None:
        """The marker under a viewport position, the topmost one if several."""
        for item in self.items(pos.toPoint()):
            if isinstance(item, MarkerItem):
                return item
        return None

    def _tap(self, pos: QPointF) -> None:
        marker = self.marker_at(pos)
        if marker is not None:
            self.marker_tapped.emit(marker.event_id)

    def viewportEvent(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (
            QEvent.Type.TouchBegin,
            QEvent.Type.TouchUpdate,
            QEvent.Type.TouchEnd,
            QEvent.Type.TouchCancel,
        ):
            assert isinstance(event, QTouchEvent)
            self._touch(event)
            event.accept()
            return True
        return super().viewportEvent(event)

    def _touch(self, event: QTouchEvent) -> None:
        kind = event.type()
        points = {p.id(): p.position() for p in event.points()}
        if kind == QEvent.Type.TouchBegin:
            self._press = dict(points)
            self._last = dict(points)
            self._panning = False
            self._multi = len(points) > 1
            self._pinch = None
            return
        if kind == QEvent.Type.TouchCancel:
            self._press.clear()
            self._pinch = None
            return
        for point_id, pos in points.items():
            self._press.setdefault(point_id, pos)
        self._multi = self._multi or len(self._press) > 1
        if kind == QEvent.Type.TouchUpdate:
            self._touch_move(points)
        elif kind == QEvent.Type.TouchEnd:
            if not self._multi and not self._panning and points:
                self._tap(next(iter(points.values())))
            self._press.clear()
            self._pinch = None
        self._last.update(points)

    def _touch_move(self, points: dict[int, QPointF]) -> None:
        ids = [i for i in points if i in self._last]
        if len(points) >= 2 and len(ids) >= 2:
            a, b = ids[0], ids[1]
            mid = (points[a] + points[b]) / 2
            spread = math.dist(points[a].toTuple(), points[b].toTuple())
            if self._pinch is None:
                start_mid = (self._last[a] + self._last[b]) / 2
                start_spread = math.dist(self._last[a].toTuple(), self._last[b].toTuple())
                anchor = self.mapToScene(start_mid.toPoint())
                self._pinch = (anchor, self.transform().m11(), max(start_spread, 1.0))
            anchor, start_scale, start_spread = self._pinch
            self._zoom_to(start_scale * max(spread, 1.0) / start_spread, anchor, mid)
            self._panning = True
        elif len(points) == 1 and not self._multi:
            ((point_id, pos),) = points.items()
            start = self._press.get(point_id, pos)
            if not self._panning and (pos - start).manhattanLength() > TAP_SLOP_PX:
                self._panning = True
                self._last[point_id] = start
            if self._panning:
                last = self._last.get(point_id, pos)
                self.pan_by(pos.x() - last.x(), pos.y() - last.y())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = {0: event.position()}
            self._last = {0: event.position()}
            self._panning = False
            self._multi = False
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton and 0 in self._press:
            self._touch_move({0: event.position()})
            self._last[0] = event.position()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and 0 in self._press:
            if not self._panning:
                self._tap(event.position())
            self._press.clear()
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        event.accept()  # a quick second tap is just another tap

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.zoom_by(1.0015 ** event.angleDelta().y(), event.position())
        event.accept()
