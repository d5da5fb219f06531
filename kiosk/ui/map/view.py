"""The map view: the map sheet, its markers, and what fingers (and a mouse) do to it.

Touch is handled here directly from the viewport's touch events: a tap acts at once (no waiting to
see whether a double tap follows), a finger that moves more than a few millimetres pans and, lifted
while moving, lets the map glide on; two fingers pinch-zoom about their midpoint. A hand resting on
the glass does nothing (the rules are in `touch_rules`). Zoom stays between the whole city and
`max_zoom` times that, and the view never scrolls beyond the map sheet.

The map also moves on its own: `fly_to` an event, or back to the whole city. Every motion is
computed from `clock` (injectable, so tests need not wait) and stops at the first touch.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import cast

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QMouseEvent,
    QPainter,
    QPainterPath,
    QRegion,
    QResizeEvent,
    QTouchEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QGraphicsScene, QGraphicsView, QWidget
from shiboken6 import isValid

from kiosk.content import Bundle
from kiosk.content.model import Place, pick
from kiosk.content.projection import distance_m
from kiosk.ui.journey import theme
from kiosk.ui.journey.words import tr
from kiosk.ui.map.clustering import ClusterLevels
from kiosk.ui.map.hit_index import GridIndex
from kiosk.ui.map.marker_layout import fan_offsets
from kiosk.ui.map.markers import CLUSTER_SIZE, LABEL_SIDES, ClusterItem, MarkerItem
from kiosk.ui.map.motion import Camera, Flight, Glide, VelocityTracker
from kiosk.ui.map.tile_cache import TileKey
from kiosk.ui.map.tiles import MapTiles, style_of, tile_scene_rect
from kiosk.ui.map.touch_rules import (
    REST_S,
    looks_like_resting_hand,
    tap_slop_px,
    touch_target_px,
)
from kiosk.ui.qt import screen_density
from kiosk.ui.shell.state import KioskState

EDGE_INSET_PX = 60  # off-map markers sit this far inside the sheet's edge at the whole-city view
FRAME_MS = 16  # motion steps at the display's pace
FLICK_MIN_PX_S = 60.0  # a release slower than this is a put-down, not a flick
CATCH_PX_S = 150.0  # a touch that stops a map gliding faster than this is a catch, not a tap
DOUBLE_TAP_S = 0.4  # a second tap within this time ...
DOUBLE_TAP_MM = 10.0  # ... and this close to the first zooms in
CLUSTER_GAP = 1.08  # targets closer than this many target widths share a cluster
CLUSTER_FIT = 0.4  # a tapped cluster's events fill at most this much of the view
HIT_CELL_PX = 128  # cell size of the hit-testing grid, in viewport px at the scale it was built
SETTLE_MS = 250  # the map at rest this long between tile levels gets tiles at its own scale

Item = MarkerItem | ClusterItem
# A zoom level's layout: the markers shown on their own (glyph offset x, y and z) and clusters.
Layout = tuple[list[tuple[MarkerItem, float, float, float]], list[ClusterItem]]
AHEAD_SLICE_S = 0.004  # work done ahead runs in slices this long, between frames
AHEAD_WAIT_MS = 50  # while the map is touched or moving, the work ahead looks again this often
LAYOUT_STEP = 32  # clusters made between two pauses of the work ahead


@dataclass
class _Contact:
    """One touch sequence on the map, from the first finger down to the last finger up."""

    t0: float
    press: dict[int, QPointF] = field(default_factory=dict)
    last: dict[int, QPointF] = field(default_factory=dict)
    panning: bool = False
    multi: bool = False
    resting: bool = False  # a resting hand: nothing acts until every contact lifts
    caught: bool = False  # the touch caught a gliding map: stopping it is all it does
    after_pinch: bool = False  # one finger of a pinch lifted; the other pans on
    # A pinch holds on to the map point first under the fingers' midpoint, with the scale and
    # finger spread it started from, so rounding never accumulates into drift.
    pinch: tuple[QPointF, float, float] | None = None


class MapView(QGraphicsView):
    """Shows the bundle's map and markers; emits `marker_tapped` with the event id."""

    marker_tapped = Signal(str)
    marker_pressed = Signal(str)  # a finger came down on an event's own marker (maybe a tap)
    # Any touch, click or wheel on the map: a visitor is here (for the idle reset).
    user_interacted = Signal()
    # A flight (fly_to, show_whole_city) arrived; not emitted when a touch interrupted it.
    flight_finished = Signal()
    # Marker glyphs moved off their places (a cluster fanned out or folded up): whatever keeps
    # clear of them (the map's labels) places itself again.
    markers_moved = Signal()

    def __init__(
        self,
        bundle: Bundle,
        state: KioskState,
        parent: QWidget | None = None,
        *,
        reduced_motion: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._bundle = bundle
        self._state = state
        # The base map is drawn from tiles rendered in a worker thread (map_tiles).
        self.tiles = MapTiles(bundle, parent=self)
        self.tiles.tile_ready.connect(self._tile_arrived)
        self._sheet = QRectF(self.tiles.rect)
        self._tile_style = ""
        self._settle_timer = QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(SETTLE_MS)
        self._settle_timer.timeout.connect(self._settled)
        self._max_zoom = bundle.manifest.map.max_zoom
        self._min_scale = 1.0
        self._right_inset = 0  # pixels covered by the event panel, kept clear when revealing
        self.reduced_motion = reduced_motion  # an installation setting: jump, never fly
        self.clock = clock  # seconds; tests replace it to step motion without waiting
        self._contact: _Contact | None = None
        self._velocity = VelocityTracker()
        self._pressed: Item | None = None
        self._whole_repaint = False  # a change of scale is repainting all of the view
        self._motion: Flight | Glide | None = None
        self._glide_applied = (0, 0)
        self._motion_timer = QTimer(self)
        self._motion_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._motion_timer.setInterval(FRAME_MS)
        self._motion_timer.timeout.connect(self.advance_motion)

        scene = QGraphicsScene(self)
        scene.setSceneRect(self._sheet)
        scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setScene(scene)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        # No background cache: the map is tiles already, and copying a cache of the whole view
        # on every frame costs as much as drawing them.
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        # Every pixel is painted (tiles, and the surround around the sheet): no need for Qt to
        # clear the viewport first, a whole screen's worth of writing per frame.
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setBackgroundBrush(theme.TABLE)

        self.markers: dict[str, MarkerItem] = {}
        self._index = {event.id: i for i, event in enumerate(bundle.events)}
        # Each event's category by its place in the legend: a cluster's ring goes in that order.
        order = {category_id: k for k, category_id in enumerate(bundle.manifest.categories)}
        self._rank = [order[event.category] for event in bundle.events]
        self._clusters: ClusterLevels | None = None
        self._level = -1
        self._labels_scale = 0.0
        self.cluster_items: list[ClusterItem] = []  # the clusters shown now
        self._fanned: set[str] = set()  # events whose cluster the visitor fanned out
        self._last_empty_tap: tuple[float, QPointF] | None = None
        self._target_px = float(theme.TOUCH_MIN)
        # What is under a finger: our own grid over the shown markers' anchors (Qt keeps items
        # that ignore transformations out of its index and scans them all), rebuilt whenever the
        # markers shown change; and a counter that tells the map labels when that happened.
        self._hits: GridIndex[Item] | None = None
        self._hits_scale = 0.0
        self._hits_reach = 0.0
        self._stacking = 0  # Qt stacks items of equal z in the order they joined the scene
        self._layout_epoch = 0  # bumped when marker positions or target sizes are laid out
        self._marked: str | None = None  # the event whose marker wears the chosen ring
        self._marked_cluster: ClusterItem | None = None  # the cluster shown wearing it
        # The markers shown on their own now, and each level's layout once worked out.
        self._shown: dict[str, MarkerItem] = {}
        self._layouts: dict[tuple[int, frozenset[str]], Layout] = {}
        self._layout_pending: dict[tuple[int, frozenset[str]], Iterator[None]] = {}
        self._ahead: Iterator[None] = iter(())
        self._ahead_queued = False
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
            self._add_item(marker)
            self.markers[event.id] = marker
        self._shown = dict(self.markers)  # all shown until the first level hides the clustered
        self._labelled = [m for m in self.markers.values() if m.off_map]

    def _add_item(self, item: Item) -> None:
        self._stacking += 1
        item.stacking = self._stacking
        self.scene().addItem(item)

    def _markers_changed(self) -> None:
        """The markers or clusters shown, or where they are drawn, changed."""
        self._hits = None

    @property
    def shown_generation(self) -> object:
        """Equal whenever the same markers and clusters are shown in the same places: the
        level, what is fanned out, and the layout they come from. Whatever depends only on what
        is shown (the map labels keeping clear of markers) is worked out once per value."""
        return (self._layout_epoch, self._level, frozenset(self._fanned))

    def _layout_markers(self) -> None:
        """Place off-map markers for this view size and size the touch targets; cluster afresh."""
        for event in self._bundle.events:
            place = self._bundle.places[event.place]
            if place.off_map:
                self.markers[event.id].setPos(self._anchor(place)[0])
        self._target_px = touch_target_px(self.px_per_mm(), theme.TOUCH_MIN)
        for marker in self.markers.values():
            marker.set_hit_size(self._target_px)
        self._markers_changed()
        points = [(m.pos().x(), m.pos().y()) for m in self.markers.values()]
        spacing = max(self._target_px, CLUSTER_SIZE) * CLUSTER_GAP
        self._clusters = ClusterLevels(points, self._min_scale, self._max_zoom, spacing)
        self._layouts = {}  # positions and target sizes changed
        self._layout_pending = {}
        self._layout_epoch += 1
        self._level = -1
        self._apply_level()
        self._start_ahead()

    # --- work done ahead, between frames ---------------------------------------------------

    def _start_ahead(self) -> None:
        """(Re)start the work done ahead, nearest the level shown now first."""
        self._ahead = self._ahead_steps()
        if not self._ahead_queued:
            self._ahead_queued = True
            QTimer.singleShot(0, self._work_ahead)

    def _work_ahead(self) -> None:
        """One slice of the work ahead (a few ms, so a touch arriving meanwhile waits no longer
        than that), then the next slice on the next turn of the event loop."""
        self._ahead_queued = False
        if not isValid(self):
            return
        if self._contact is not None or self.moving:
            # Not while a finger is on the map or it moves: then frames come first.
            self._ahead_queued = True
            QTimer.singleShot(AHEAD_WAIT_MS, self._work_ahead)
            return
        deadline = time.perf_counter() + AHEAD_SLICE_S
        try:
            while time.perf_counter() < deadline:
                next(self._ahead)
        except StopIteration:
            return
        self._ahead_queued = True
        QTimer.singleShot(0, self._work_ahead)

    def _ahead_steps(self) -> Iterator[None]:
        """What a pinch would otherwise do in its frames, in small steps: each level's clusters
        (a level of thousands of events takes tens of ms), their items, and the pictures of the
        clusters in and around the view at the levels next to this one."""
        clusters = self._clusters
        if clusters is None:
            return
        here = max(self._level, 0)
        order = sorted(range(len(clusters.zooms)), key=lambda k: (abs(k - here), -k))
        visible = self.visible_scene_rect()
        near = visible.adjusted(
            -visible.width(), -visible.height(), visible.width(), visible.height()
        )
        dpr = self.devicePixelRatioF()
        for level in order:
            for _ in clusters.prepare(level):
                yield
            yield
            for _ in self._layout_steps(level):
                yield
            if abs(level - here) > 1:
                continue
            for item in self._level_layout(level)[1]:
                if near.contains(item.pos()):
                    item.glyph(dpr)
                    yield

    @property
    def target_px(self) -> float:
        """The diameter of every marker's touch target, in logical px."""
        return self._target_px

    @property
    def level(self) -> int:
        """The clustering level shown now (0 at the whole city)."""
        return self._level

    def _apply_level(self, force: bool = False) -> None:
        """Show the clusters of the zoom level the view is at; they change only between levels.

        With thousands of events this is the costly step of a pinch, so only what changes is
        touched: markers that appear, go or move, and the level's cluster items, made once per
        level (ahead of time when the map is idle) and reused whenever the level comes back.
        """
        clusters = self._clusters
        if clusters is None:
            return
        level = clusters.level_for(self.zoom)
        if level == self._level and not force:
            if not math.isclose(self._labels_scale, self.transform().m11()):
                self._place_labels()
            return
        self._level = level
        scene = self.scene()
        for item in self.cluster_items:
            scene.removeItem(item)
        singles, cluster_items = self._level_layout(level)
        moved = False
        shown: dict[str, MarkerItem] = {}
        for marker, dx, dy, z in singles:
            shown[marker.event_id] = marker
            offset = marker.glyph_centre
            if offset.x() != dx or offset.y() != dy:
                marker.set_offset(dx, dy)
                moved = True
            if marker.zValue() != z:
                marker.setZValue(z)
            marker.cluster = None
            if not marker.isVisible():
                marker.setVisible(True)
        for event_id, marker in self._shown.items():
            if event_id not in shown:
                marker.setVisible(False)
        self._shown = shown
        self.cluster_items = cluster_items
        for item in cluster_items:
            for marker in item.markers:
                marker.cluster = item
            if item.selected:
                item.set_selected(False)
            self._add_item(item)
        self._marked_cluster = None
        self._markers_changed()
        self._show_selection(self._state.selected)
        self._place_labels()
        if moved:
            self.markers_moved.emit()
        self._start_ahead()  # the levels next to this one come first now

    def _level_layout(self, level: int) -> Layout:
        """What a level shows: markers on their own (with their glyph offsets and z) and the
        cluster items. Kept per level while nothing is fanned out; worked out afresh if so."""
        key = (level, frozenset(self._fanned))
        if key not in self._layouts:
            for _ in self._layout_steps(level):
                pass
        return self._layouts[key]

    def _layout_steps(self, level: int) -> Iterator[None]:
        """The steps that work out a level's layout, a few dozen clusters each (nothing if it
        is known); steps left unrun stay pending, and whoever asks next goes on with them."""
        key = (level, frozenset(self._fanned))
        if key in self._layouts:
            return iter(())
        pending = self._layout_pending.get(key)
        if pending is None:
            pending = self._layout_pending[key] = self._work_out_layout(level, key)
        return pending

    def _work_out_layout(self, level: int, key: tuple[int, frozenset[str]]) -> Iterator[None]:
        clusters = self._clusters
        assert clusters is not None
        groups = clusters.groups(level)
        markers_by_index = list(self.markers.values())
        scale = self._min_scale * clusters.zooms[level]
        palette = [category.colour for category in self._bundle.manifest.categories.values()]
        singles: list[tuple[MarkerItem, float, float, float]] = []
        cluster_items: list[ClusterItem] = []
        fanned = key[1]
        for k, group in enumerate(groups):
            if k % LAYOUT_STEP == LAYOUT_STEP - 1:
                yield
            markers = [markers_by_index[i] for i in group]
            if len(group) == 1:
                singles.append((markers[0], 0.0, 0.0, 10))
                continue
            if fanned and all(m.event_id in fanned for m in markers):
                points = [(m.pos().x(), m.pos().y()) for m in markers]
                offsets = fan_offsets(points, scale, self._target_px)
                singles += [(m, dx, dy, 12) for m, (dx, dy) in zip(markers, offsets, strict=True)]
                continue
            colours = tuple(palette[rank] for rank in sorted(self._rank[i] for i in group))
            x = sum(clusters.points[i][0] for i in group) / len(group)
            y = sum(clusters.points[i][1] for i in group) / len(group)
            item = ClusterItem(markers, colours, QPointF(x, y))
            item.set_hit_size(self._target_px)
            cluster_items.append(item)
        if self._layout_pending.pop(key, None) is None:
            return  # laid out afresh meanwhile (the view was resized): this one is stale
        if fanned:  # a fanned layout lasts until the next tap: keep only the latest
            self._layouts = {k: v for k, v in self._layouts.items() if not k[1]}
        self._layouts[key] = (singles, cluster_items)

    def _place_labels(self) -> None:
        """Show each marker label only where it hits no other label and no other target."""
        self._labels_scale = self.transform().m11()
        to_view = self.viewportTransform()
        selected = self._state.selected
        labelled = [m for m in self._labelled if m.isVisible() and m.label]
        if not labelled:
            return
        labelled.sort(key=lambda m: (m.event_id != selected, self._index[m.event_id]))
        # Only targets near a label's possible places can be in its way (there may be thousands).
        reach = QRectF()
        for marker in labelled:
            anchor = to_view.map(marker.pos())
            for side in LABEL_SIDES:
                reach = reach.united(marker.label_rect_on(side).translated(anchor))
        margin = max(self._target_px, CLUSTER_SIZE) / 2
        reach.adjust(-margin, -margin, margin, margin)
        targets: list[tuple[Item, QRectF]] = []
        for item in self.shown_items():
            centre = to_view.map(item.pos()) + (
                item.glyph_centre if isinstance(item, MarkerItem) else QPointF()
            )
            if not reach.contains(centre):
                continue
            r = max(self._target_px, CLUSTER_SIZE if isinstance(item, ClusterItem) else 0) / 2
            targets.append((item, QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)))
        placed: list[QRectF] = []
        for marker in labelled:
            anchor = to_view.map(marker.pos())
            for side in LABEL_SIDES:
                box = marker.label_rect_on(side).translated(anchor)
                clear = not any(box.intersects(p) for p in placed) and not any(
                    box.intersects(r) for item, r in targets if item is not marker
                )
                if clear:
                    marker.set_label_side(side)
                    placed.append(box)
                    break
            marker.set_label_shown(clear)

    def shown_items(self) -> list[Item]:
        """The markers and clusters on the map now (not those folded into a cluster)."""
        items: list[Item] = [m for m in self._shown.values() if m.isVisible()]
        return items + list(self.cluster_items)

    def item_for(self, event_id: str) -> Item:
        """What shows an event now: its own marker, or the cluster it is in."""
        marker = self.markers[event_id]
        if marker.isVisible():
            return marker
        cluster = marker.cluster
        if cluster is not None and cluster.scene() is not None:
            return cluster
        return marker

    def screen_pos(self, item: Item) -> QPointF:
        """Where a marker's glyph or a cluster is on the viewport, in pixels."""
        anchor = self.viewportTransform().map(item.pos())
        return anchor + item.glyph_centre if isinstance(item, MarkerItem) else anchor

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
        # calls `fly_to` once it has laid the panel out. Only the markers whose marking changes
        # are touched (with thousands of markers, asking each costs a frame).
        for marker_id in {self._marked, event_id}:
            if marker_id is not None:
                self.markers[marker_id].set_selected(marker_id == event_id)
        self._marked = event_id
        cluster = self.markers[event_id].cluster if event_id is not None else None
        if cluster is not None and cluster.scene() is None:
            cluster = None  # the marker's cluster of another level
        if cluster is not self._marked_cluster:
            if self._marked_cluster is not None:
                self._marked_cluster.set_selected(False)
            if cluster is not None:
                cluster.set_selected(True)
            self._marked_cluster = cluster

    def marker_screen_pos(self, event_id: str) -> QPointF:
        """Where the marker's glyph is (or would be, if clustered) on the viewport, in pixels."""
        return self.screen_pos(self.markers[event_id])

    # --- zoom and pan -------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        """The zoom as a multiple of the whole-city view."""
        return self.transform().m11() / self._min_scale

    @property
    def min_scale(self) -> float:
        """The scale (viewport px per map unit) of the whole-city view."""
        return self._min_scale

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
        self.setSceneRect(self._sheet.adjusted(0, 0, margin, 0))

    def _fit_scale(self) -> float:
        rect = self._sheet
        viewport = self.viewport().size()
        if rect.isEmpty() or viewport.isEmpty():
            return 1.0
        return min(viewport.width() / rect.width(), viewport.height() / rect.height())

    def _clamp_scale(self, scale: float) -> float:
        return min(max(scale, self._min_scale), self._min_scale * self._max_zoom)

    def camera(self) -> Camera:
        """Where the view is now: the scene point at the viewport's centre, and the scale."""
        viewport = self.viewport()
        to_scene, _ = self.viewportTransform().inverted()
        centre = to_scene.map(QPointF(viewport.width() / 2, viewport.height() / 2))
        return Camera(centre.x(), centre.y(), self.transform().m11())

    def _clamped(self, camera: Camera) -> Camera:
        """The camera as the view will really show it: scale within limits, the sheet in view."""
        scale = self._clamp_scale(camera.scale)
        rect = self._sheet.adjusted(0, 0, self._right_inset / scale, 0)
        half_w = self.viewport().width() / 2 / scale
        half_h = self.viewport().height() / 2 / scale

        def clamp(value: float, low: float, high: float, half: float) -> float:
            if high - low <= 2 * half:
                return (low + high) / 2
            return min(max(value, low + half), high - half)

        x = clamp(camera.x, rect.left(), rect.right(), half_w)
        y = clamp(camera.y, rect.top(), rect.bottom(), half_h)
        return Camera(x, y, scale)

    def set_camera(self, camera: Camera) -> None:
        """Show the map at `camera` at once (clamped to the sheet and the zoom limits)."""
        scale = self._clamp_scale(camera.scale)
        rescaled = not math.isclose(scale, self.transform().m11())
        if rescaled:
            self.setTransform(QTransform.fromScale(scale, scale))
            self._scale_changed()
            self._update_scroll_area()
            self._apply_level()
        self._center_on(QPointF(camera.x, camera.y), rescaled)

    def whole_city_camera(self) -> Camera:
        centre = self._sheet.center()
        return self._clamped(Camera(centre.x(), centre.y(), self._min_scale))

    def show_whole_city(self, animated: bool = True) -> None:
        """Back to the overview of the whole map: a flight, or a jump with reduced motion."""
        if self._fanned:
            self._fanned = set()
            self._apply_level(force=True)
        self._go(self.whole_city_camera(), animated)

    def _camera_on(self, point: QPointF, scale: float) -> Camera:
        """The view with `point` in the middle of the part the panel leaves uncovered."""
        scale = self._clamp_scale(scale)
        visible_width = self.viewport().width() - self._right_inset
        shift = (self.viewport().width() / 2 - visible_width / 2) / scale
        return self._clamped(Camera(point.x() + shift, point.y(), scale))

    def marker_camera(self, event_id: str, scale: float | None = None) -> Camera:
        """The view that shows a marker in the middle of the part the panel leaves uncovered."""
        marker = self.markers[event_id]
        scale = self._clamp_scale(scale or self.transform().m11())
        return self._camera_on(marker.pos() + marker.glyph_centre / scale, scale)

    def _scale_showing(self, event_id: str) -> float:
        """The scale at which an event has a marker of its own (fanning it out if it never will).

        The current scale if it already has; else the first zoom level that splits its cluster
        down to it; events at the very same place are fanned out at the level that separates
        them from everything else.
        """
        scale = self.transform().m11()
        clusters = self._clusters
        if clusters is None:
            return scale
        ids = list(self.markers)
        index = self._index[event_id]
        level = clusters.level_for(self.zoom)
        group = clusters.group_of(level, index)
        if len(group) == 1 or {ids[i] for i in group} <= self._fanned:
            return scale
        alone = clusters.level_alone(index, level)
        if alone is not None:
            return self._min_scale * clusters.zooms[alone]
        inseparable = len(clusters.group_of(clusters.last, index))
        target = next(
            k
            for k in range(level, clusters.last + 1)
            if len(clusters.group_of(k, index)) == inseparable
        )
        self._fanned = {ids[i] for i in clusters.group_of(target, index)}
        if target == level:
            self._apply_level(force=True)
        return max(scale, self._min_scale * clusters.zooms[target])

    def fly_to(self, event_id: str, duration: float | None = None) -> None:
        """Fly to an event's marker (jump with reduced motion); a touch interrupts the flight.

        If the marker is in a cluster, the flight zooms in until it has its own (or fans the
        cluster out). `duration` (seconds) overrides the flight's own, e.g. for a slow drift.
        """
        self._go(self.marker_camera(event_id, self._scale_showing(event_id)), True, duration)

    def reveal(self, event_id: str) -> None:
        """Bring a marker into the part of the view the event panel does not cover, at once."""
        self._go(self.marker_camera(event_id, self._scale_showing(event_id)), False)

    def open_cluster(self, cluster: ClusterItem) -> None:
        """A tapped cluster: zoom in to where it splits, or fan it out if zooming cannot."""
        clusters = self._clusters
        if clusters is None:
            return
        indices = [self._index[m] for m in cluster.members]
        split = clusters.level_splitting(indices, self._level)
        if split is None:
            self._fanned = set(cluster.members)
            self._apply_level(force=True)
            return
        # Like a map's "zoom to these": as close as still shows all of them in the uncovered
        # part of the view with room around them, but at least close enough to split them.
        xs = [self.markers[m].pos().x() for m in cluster.members]
        ys = [self.markers[m].pos().y() for m in cluster.members]
        room_w = (self.viewport().width() - self._right_inset) * CLUSTER_FIT
        room_h = self.viewport().height() * CLUSTER_FIT
        fit = min(room_w / max(max(xs) - min(xs), 1e-9), room_h / max(max(ys) - min(ys), 1e-9))
        level = max(split, clusters.level_for(fit / self._min_scale))
        scale = self._min_scale * clusters.zooms[level]
        centre = QPointF((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2)
        self._go(self._camera_on(centre, scale), True)

    def _go(self, camera: Camera, animated: bool, duration: float | None = None) -> None:
        self.stop_motion()
        if not animated or self.reduced_motion or not self.isVisible():
            self.set_camera(camera)
            self.flight_finished.emit()
            return
        width = max(1, self.viewport().width())
        self._start_motion(Flight(self.camera(), camera, width, self.clock(), duration))

    def zoom_by(self, factor: float, anchor: QPointF) -> None:
        """Zoom by `factor` keeping the map point under `anchor` (viewport px) where it is."""
        self._zoom_to(self.transform().m11() * factor, self.mapToScene(anchor.toPoint()), anchor)

    def _zoom_to(self, scale: float, scene_point: QPointF, anchor: QPointF) -> None:
        """Set the scale (clamped) and put `scene_point` under `anchor` as far as the map allows."""
        target = self._clamp_scale(scale)
        rescaled = not math.isclose(target, self.transform().m11())
        if rescaled:
            self.setTransform(QTransform.fromScale(target, target))
            self._scale_changed()
            self._update_scroll_area()
            self._apply_level()
        centre = QPointF(self.viewport().width() / 2, self.viewport().height() / 2)
        self._center_on(scene_point - (anchor - centre) / target, rescaled)

    def _center_on(self, point: QPointF, rescaled: bool) -> None:
        """`centerOn`; after a change of scale the whole view is repainted anyway, so the scroll
        that goes with it moves no pixels (`scrollContentsBy`)."""
        self._whole_repaint = rescaled
        try:
            self.centerOn(point)
        finally:
            self._whole_repaint = False

    def pan_by(self, dx: float, dy: float) -> tuple[int, int]:
        """Move the map with a finger by (dx, dy) pixels; returns how far it really moved."""
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        before = (h.value(), v.value())
        h.setValue(h.value() - round(dx))
        v.setValue(v.value() - round(dy))
        return before[0] - h.value(), before[1] - v.value()

    # --- motion on its own --------------------------------------------------------------

    @property
    def moving(self) -> bool:
        """True while a flight or a glide is under way."""
        return self._motion is not None

    @property
    def flying(self) -> bool:
        return isinstance(self._motion, Flight)

    def _start_motion(self, motion: Flight | Glide) -> None:
        self._motion = motion
        self._glide_applied = (0, 0)
        self._motion_timer.start()

    def stop_motion(self) -> None:
        """Stop a flight or glide where it is (a touch does this)."""
        self._motion = None
        self._motion_timer.stop()

    def advance_motion(self) -> None:
        """Move a flight or glide on to where it is at `clock()` now (the timer calls this)."""
        motion = self._motion
        if motion is None:
            return
        now = self.clock()
        if isinstance(motion, Flight):
            self.set_camera(motion.at(now))
            if motion.done(now):
                self.stop_motion()
                self.flight_finished.emit()
            return
        ox, oy = motion.offset(now)
        want = (round(ox) - self._glide_applied[0], round(oy) - self._glide_applied[1])
        moved = self.pan_by(*want)
        self._glide_applied = (self._glide_applied[0] + want[0], self._glide_applied[1] + want[1])
        # Against the sheet's edge the map stops on that axis instead of pushing on.
        for horizontal, (wanted, got) in (
            (True, (want[0], moved[0])),
            (False, (want[1], moved[1])),
        ):
            if wanted != 0 and got == 0:
                motion.stop_axis(horizontal)
        if motion.done(now):
            self.stop_motion()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        """Scroll the map's pixels and paint only what scrolls in (and what shows through the
        floating panels over the map), not the whole view.

        Qt moves the pixels of a scrolled widget only when no sibling widget lies over it; the
        title card, the attribution and the credits button do, so every pan step repainted the
        whole view (about half of a pan frame's time). Here the parts of the view clear of them
        are scrolled one by one, and of the parts under them only what shows through is
        repainted (a panel's `see_through()` region, else all of it).
        """
        if self._whole_repaint:  # the scale changed: all of the view is being repainted
            self._scroll_bookkeeping(dx, dy)
            return
        covered, through = covering_widgets(self.viewport())
        if covered.isEmpty():
            super().scrollContentsBy(dx, dy)
            return
        self._scroll_bookkeeping(dx, dy)
        viewport = self.viewport()
        # QRegion iterates over its rects at run time; PySide6's stubs do not say so.
        for rect in cast(Iterable[QRect], QRegion(viewport.rect()) - covered):
            viewport.scroll(dx, dy, rect)
        if not through.isEmpty():
            viewport.update(through)

    def _scroll_bookkeeping(self, dx: int, dy: int) -> None:
        """QGraphicsView's own records of a scroll, without its scroll of the viewport."""
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.NoViewportUpdate)
        try:
            super().scrollContentsBy(dx, dy)
        finally:
            self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.stop_motion()
        was_overview = math.isclose(self.zoom, 1.0, rel_tol=1e-3)
        zoom = self.zoom
        super().resizeEvent(event)
        self._min_scale = self._fit_scale()
        size = self.viewport().size()
        self._tile_style = style_of(self.backgroundBrush().color())
        self.tiles.set_view(self._min_scale, size.width(), size.height(), self._tile_style)
        self._layout_markers()
        if was_overview:
            self.set_camera(self.whole_city_camera())
        else:
            self.setTransform(QTransform.fromScale(self._min_scale * zoom, self._min_scale * zoom))
            self._scale_changed()
            self._update_scroll_area()

    # --- drawing ------------------------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRect | QRectF) -> None:
        scale = self.transform().m11()
        surround = self.backgroundBrush().color()
        if style_of(surround) != self._tile_style:  # high contrast changes the surround
            self._tile_style = style_of(surround)
            size = self.viewport().size()
            self.tiles.set_view(self._min_scale, size.width(), size.height(), self._tile_style)
        moving = self._settle_timer.isActive() or self.moving or self._contact is not None
        self.tiles.paint(painter, QRectF(rect), scale, surround, moving)
        # Ask for the tiles of the whole view and a ring around it, nearest the middle first;
        # what is not ready yet was drawn from another level and is repainted when it comes.
        visible = self.visible_scene_rect()
        step = 512 / self.tiles.target(scale)
        wanted = self.tiles.keys_in(
            visible.adjusted(-step, -step, step, step), self.tiles.target(scale), style_of(surround)
        )
        centre = visible.center()
        wanted.sort(key=lambda k: (tile_scene_rect(k).center() - centre).manhattanLength())
        self.tiles.request(wanted)

    def _tile_arrived(self, key: TileKey) -> None:
        area = tile_scene_rect(key)
        if area.intersects(self.visible_scene_rect()):
            self.viewport().update(self.mapFromScene(area).boundingRect().adjusted(-1, -1, 1, 1))

    def _scale_changed(self) -> None:
        """The zoom changed: tiles at the scale it comes to rest at are rendered once it does."""
        self.tiles.exact = None
        self._settle_timer.start()

    def _settled(self) -> None:
        if self._contact is not None or self.moving:
            self._settle_timer.start()
            return
        scale = self.transform().m11()
        if not self.tiles.on_level(scale):
            self.tiles.exact = float(f"{scale:.9g}")
        self.viewport().update()  # smooth now, and sharp as the tiles come

    # --- fingers and mouse --------------------------------------------------------------

    def px_per_mm(self) -> float:
        """Logical pixels per millimetre on the real screen this view is on."""
        return screen_density.px_per_mm(self)

    def _hit_grid(self) -> GridIndex[Item]:
        """The grid of the markers and clusters shown now, built when first needed."""
        scale = self.transform().m11()
        if self._hits is not None and 0.5 <= scale / self._hits_scale <= 2:
            return self._hits
        grid: GridIndex[Item] = GridIndex(HIT_CELL_PX / scale)
        reach = 0.0
        for item in self.shown_items():
            if isinstance(item, MarkerItem) and item.off_map:
                continue  # labels make these wide; the few there are are always looked at
            pos = item.pos()
            grid.add(item, pos.x(), pos.y())
            box = item.boundingRect()
            reach = max(reach, -box.left(), box.right(), -box.top(), box.bottom())
        self._hits, self._hits_scale, self._hits_reach = grid, scale, reach * math.sqrt(2)
        return grid

    def marker_at(self, pos: QPointF) -> Item | None:
        """The marker or cluster under a viewport position, the topmost one if several.

        The same answer as Qt's `items(pos)` (a one-pixel square against each item's shape, the
        highest z and then the latest added on top), from a few grid cells instead of a scan.
        """
        grid = self._hit_grid()
        to_view = self.viewportTransform()
        to_scene, _ = to_view.inverted()
        at = to_scene.map(QPointF(pos.toPoint()))
        radius = self._hits_reach / self.transform().m11()
        candidates = [*grid.near(at.x(), at.y(), radius), *self._labelled]
        pixel = pos.toPoint()
        hits = []
        for item in candidates:
            if not item.isVisible():
                continue
            anchor = to_view.map(item.pos())
            # The pixel's square, a hair smaller: a square only touching a target's edge is
            # not on it (Qt's answer there hangs on rounding).
            probe = QRectF(pixel.x() - anchor.x(), pixel.y() - anchor.y(), 1, 1).adjusted(
                1e-6, 1e-6, -1e-6, -1e-6
            )
            if item.boundingRect().intersects(probe):
                square = QPainterPath()  # as Qt tests it: the square as a path
                square.addRect(probe)
                if square.intersects(item.shape()):
                    hits.append(item)
        if not hits:
            return None
        return max(hits, key=lambda item: (item.zValue(), item.stacking))

    def _tap(self, pos: QPointF) -> None:
        item = self.marker_at(pos)
        if isinstance(item, MarkerItem):
            self.marker_tapped.emit(item.event_id)
        elif isinstance(item, ClusterItem):
            self.open_cluster(item)
        else:
            if self._fanned:  # a tap beside a fanned cluster folds it up again
                self._fanned = set()
                self._apply_level(force=True)
            self._empty_tap(pos)

    def _empty_tap(self, pos: QPointF) -> None:
        """A second tap on the bare map soon after the first, close by, zooms in about it.

        The first tap has already done all a single tap does (nothing, on the bare map), so
        recognising the double tap never delays a single one.
        """
        now = self.clock()
        last, self._last_empty_tap = self._last_empty_tap, (now, pos)
        if last is None or now - last[0] > DOUBLE_TAP_S:
            return
        if math.dist(pos.toTuple(), last[1].toTuple()) > DOUBLE_TAP_MM * self.px_per_mm():
            return
        self._last_empty_tap = None
        scale = self._clamp_scale(self.transform().m11() * 2)
        to_scene, _ = self.viewportTransform().inverted()
        point = to_scene.map(pos)
        centre = QPointF(self.viewport().width() / 2, self.viewport().height() / 2)
        target = point - (pos - centre) / scale
        self._go(self._clamped(Camera(target.x(), target.y(), scale)), True)

    def _set_pressed(self, marker: Item | None) -> None:
        """Show at once which marker the finger is on (press feedback within one frame)."""
        if marker is self._pressed:
            return
        if self._pressed is not None:
            self._pressed.set_pressed(False)
        self._pressed = marker
        if marker is not None:
            marker.set_pressed(True)
            if isinstance(marker, MarkerItem):
                self.marker_pressed.emit(marker.event_id)

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

    def _begin(self, points: dict[int, QPointF]) -> _Contact:
        """A first finger (or the mouse) came down: stop any motion, show press feedback."""
        now = self.clock()
        self.user_interacted.emit()
        glide = self._motion if isinstance(self._motion, Glide) else None
        self.stop_motion()
        contact = _Contact(now, dict(points), dict(points))
        contact.caught = glide is not None and glide.speed(now) > CATCH_PX_S
        self._velocity.reset()
        if len(points) == 1 and not contact.caught:
            self._set_pressed(self.marker_at(next(iter(points.values()))))
        return contact

    def _touch(self, event: QTouchEvent) -> None:
        kind = event.type()
        points = {p.id(): p.position() for p in event.points()}
        if kind == QEvent.Type.TouchBegin or self._contact is None:
            self._contact = self._begin(points)
        contact = self._contact
        if kind == QEvent.Type.TouchCancel:
            self._set_pressed(None)
            self._contact = None
            return
        new_contact = False
        for point_id, pos in points.items():
            if point_id not in contact.press:
                contact.press[point_id] = pos
                new_contact = True
        held = [p for p in event.points() if p.state() != p.State.Released]
        if not contact.resting and looks_like_resting_hand(
            [(p.position().x(), p.position().y()) for p in held] or list(map(_xy, points.values())),
            [max(p.ellipseDiameters().width(), p.ellipseDiameters().height()) for p in held],
            self.px_per_mm(),
            new_contact or kind == QEvent.Type.TouchBegin,
        ):
            contact.resting = True
            self._set_pressed(None)
        contact.multi = contact.multi or len(contact.press) > 1
        if contact.multi:
            self._set_pressed(None)
        if kind == QEvent.Type.TouchUpdate and not contact.resting:
            # A contact lifting in this update no longer steers the pinch.
            self._move(contact, {p.id(): p.position() for p in held})
            if contact.pinch is not None and len(held) < 2:
                contact.pinch = None  # a finger lifted; one landing again starts a fresh pinch
                contact.after_pinch = True
        elif kind == QEvent.Type.TouchEnd:
            self._end(contact, points)
            self._contact = None
            return
        contact.last.update(points)

    def _move(self, contact: _Contact, points: dict[int, QPointF]) -> None:
        ids = [i for i in points if i in contact.last]
        if len(points) >= 2 and len(ids) >= 2:
            a, b = ids[0], ids[1]
            mid = (points[a] + points[b]) / 2
            spread = math.dist(points[a].toTuple(), points[b].toTuple())
            if contact.pinch is None:
                start_mid = (contact.last[a] + contact.last[b]) / 2
                start_spread = math.dist(contact.last[a].toTuple(), contact.last[b].toTuple())
                anchor = self.mapToScene(start_mid.toPoint())
                contact.pinch = (anchor, self.transform().m11(), max(start_spread, 1.0))
            anchor, start_scale, start_spread = contact.pinch
            self._zoom_to(start_scale * max(spread, 1.0) / start_spread, anchor, mid)
            contact.panning = True
        elif len(points) == 1 and (not contact.multi or contact.after_pinch):
            # One finger, or the one left on the glass after a pinch: it goes on panning.
            ((point_id, pos),) = points.items()
            start = contact.press.get(point_id, pos)
            if not contact.panning and math.dist(pos.toTuple(), start.toTuple()) > tap_slop_px(
                self.px_per_mm()
            ):
                contact.panning = True
                contact.last[point_id] = start
                self._set_pressed(None)
            if contact.panning:
                last = contact.last.get(point_id, pos)
                self.pan_by(pos.x() - last.x(), pos.y() - last.y())
                self._velocity.add(self.clock(), pos.x(), pos.y())

    def _end(self, contact: _Contact, points: dict[int, QPointF]) -> None:
        """The last finger lifted: a tap acts now, a flick glides on."""
        self._set_pressed(None)
        now = self.clock()
        if contact.resting or contact.multi or contact.caught:
            return
        if contact.panning:
            if points:
                pos = next(iter(points.values()))
                self._velocity.add(now, pos.x(), pos.y())
            vx, vy = self._velocity.velocity(now)
            if math.hypot(vx, vy) > FLICK_MIN_PX_S:
                self._start_motion(Glide(vx, vy, now))
            return
        if now - contact.t0 <= REST_S and contact.press:
            self._tap(next(iter(contact.press.values())))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._contact = self._begin({0: event.position()})
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        contact = self._contact
        if event.buttons() & Qt.MouseButton.LeftButton and contact is not None:
            self._move(contact, {0: event.position()})
            contact.last[0] = event.position()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        contact = self._contact
        if event.button() == Qt.MouseButton.LeftButton and contact is not None:
            self._end(contact, {0: event.position()})
            self._contact = None
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        event.accept()  # a quick second tap is just another tap

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.user_interacted.emit()
        self.stop_motion()
        self.zoom_by(1.0015 ** event.angleDelta().y(), event.position())
        event.accept()


def _xy(point: QPointF) -> tuple[float, float]:
    return point.x(), point.y()


def covering_widgets(widget: QWidget) -> tuple[QRegion, QRegion]:
    """The part of `widget` (its own coordinates) under visible sibling widgets stacked above it
    or above any of its parents, as Qt's own test for a scroll it can copy sees it; and the part
    of that where `widget` shows through (a sibling's `see_through()` region, else all of it)."""
    covered, through = QRegion(), QRegion()
    area = QRegion(widget.rect())
    child = widget
    parent = widget.parentWidget()
    while parent is not None and not child.isWindow():
        above = False
        for sibling in parent.children():
            if sibling is child:
                above = True
                continue
            if not above or not isinstance(sibling, QWidget):
                continue
            if sibling.isVisible() and not sibling.isWindow():
                offset = widget.mapFrom(parent, sibling.pos())
                covered += QRegion(QRect(offset, sibling.size())) & area
                see_through = getattr(sibling, "see_through", None)
                own = see_through() if callable(see_through) else QRegion(sibling.rect())
                through += own.translated(offset) & area
        child, parent = parent, parent.parentWidget()
    return covered, through
