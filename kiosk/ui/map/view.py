"""The map view: the map sheet, its markers, and what fingers (and a mouse) do to it.

The view wires the map's parts together: the camera and its motion (`camera.CameraView`, which it
is), the base map's tiles (`tiles`), the markers and clusters (`marker_layer`), the interpreter
that turns touches into intents (`touch`) and the work done ahead between frames (`ahead`).

Touch: a tap acts at once (no waiting to see whether a double tap follows), a finger that moves
more than a few millimetres pans and, lifted while moving, lets the map glide on; two fingers
pinch-zoom about their midpoint. A hand resting on the glass does nothing (the rules are in
`touch_rules`). Zoom stays between the whole city and `max_zoom` times that, and the view never
scrolls beyond the map sheet.

The map also moves on its own: `fly_to` an event, or back to the whole city. Every motion is
computed from `clock` (injectable, so tests need not wait) and stops at the first touch.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QResizeEvent, QTouchEvent, QTransform, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsScene, QGraphicsView, QWidget

from kiosk.content import Bundle
from kiosk.ui.journey import theme
from kiosk.ui.journey.state import KioskState
from kiosk.ui.map.ahead import SliceScheduler
from kiosk.ui.map.camera import CameraView
from kiosk.ui.map.marker_layer import Item, MarkerLayer
from kiosk.ui.map.markers import ClusterItem, MarkerItem
from kiosk.ui.map.motion import Camera, Glide
from kiosk.ui.map.plan import PlanTiles
from kiosk.ui.map.tile_cache import TileKey
from kiosk.ui.map.tiles import TILE_PX, MapTiles, default_cache_root, style_of, tile_scene_rect
from kiosk.ui.map.touch import (
    Began,
    Contact,
    Flick,
    Intent,
    Pan,
    Phase,
    Pinch,
    Press,
    Tap,
    TouchInterpreter,
    Unpress,
)
from kiosk.ui.map.touch_rules import touch_target_px
from kiosk.ui.qt import screen_density

DOUBLE_TAP_S = 0.4  # a second tap within this time ...
DOUBLE_TAP_MM = 10.0  # ... and this close to the first zooms in
CLUSTER_FIT = 0.4  # a tapped cluster's events fill at most this much of the view
PLAN_FADE_MS = 600  # the historical plan fades in or out over this long
SETTLE_MS = 250  # the map at rest this long between tile scales gets tiles at its own scale

_PHASES = {
    QEvent.Type.TouchBegin: Phase.BEGIN,
    QEvent.Type.TouchUpdate: Phase.UPDATE,
    QEvent.Type.TouchEnd: Phase.END,
    QEvent.Type.TouchCancel: Phase.CANCEL,
}


class MapView(CameraView):
    """Shows the bundle's map and markers; emits `marker_tapped` with the event id."""

    marker_tapped = Signal(str)
    marker_pressed = Signal(str)  # a finger came down on an event's own marker (maybe a tap)
    # Any touch, click or wheel on the map: a visitor is here (for the idle reset).
    user_interacted = Signal()
    # Marker glyphs moved off their places (a cluster fanned out or folded up): whatever keeps
    # clear of them (the map's labels) places itself again.
    markers_moved = Signal()
    _culling = False  # True once the marker layer exists and follows the view

    def __init__(
        self,
        bundle: Bundle,
        state: KioskState,
        parent: QWidget | None = None,
        *,
        reduced_motion: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        max_zoom = bundle.manifest.map.max_zoom
        super().__init__(parent, max_zoom=max_zoom, reduced_motion=reduced_motion, clock=clock)
        self._bundle = bundle
        self._state = state
        # The base map is drawn from tiles rendered in a worker thread (map_tiles).
        self.tiles = MapTiles(bundle, parent=self)
        self.tiles.tile_ready.connect(self._tile_arrived)
        # The historical plan, where the bundle has one: tiles of its own, over the base map
        # and under the markers, faded in and out by the visitor (fade_plan).
        self.plan_tiles: PlanTiles | None = None
        self.plan_opacity = 0.0  # 0: today's map only; 1: the plan at the bundle's opacity
        self._plan_fade = QVariantAnimation(self)
        self._plan_fade.setDuration(PLAN_FADE_MS)
        self._plan_fade.valueChanged.connect(self.set_plan_opacity)
        if bundle.plan is not None:
            self.plan_tiles = PlanTiles(bundle, bundle.plan, default_cache_root(), parent=self)
            self.plan_tiles.tile_ready.connect(self._tile_arrived)
        self._sheet = QRectF(self.tiles.rect)
        self._tile_style = ""
        self._settle_timer = QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(SETTLE_MS)
        self._settle_timer.timeout.connect(self._settled)
        self._gestures = TouchInterpreter(self.px_per_mm)
        self._pressed: Item | None = None
        # A pinch holds on to the map point first under the fingers' midpoint and the scale it
        # started from.
        self._pinch_start: tuple[QPointF, float] | None = None
        self._last_empty_tap: tuple[float, QPointF] | None = None

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

        # Work done ahead waits while a finger is on the map or it moves: frames come first.
        self._ahead = SliceScheduler(self, lambda: self._gestures.active or self.moving)
        self._also_ahead: list[Callable[[], Iterator[None]]] = []
        self.marker_layer = MarkerLayer(
            bundle,
            self,
            selected=lambda: self._state.selected,
            markers_moved=self.markers_moved.emit,
            level_shown=self._start_ahead,
            target_px=float(theme.TOUCH_MIN),
        )
        self.markers = self.marker_layer.markers
        self._culling = True
        state.language_changed.connect(self._update_labels)
        state.selection_changed.connect(self._show_selection)
        self._update_labels(state.language)

    # --- markers -------------------------------------------------------------------------

    @property
    def shown_generation(self) -> object:
        """Equal whenever the same markers and clusters are shown in the same places: the
        level, what is fanned out, and the layout they come from. Whatever depends only on what
        is shown (the map labels keeping clear of markers) is worked out once per value."""
        return self.marker_layer.shown_generation

    @property
    def cluster_items(self) -> list[ClusterItem]:
        """The clusters shown now."""
        return self.marker_layer.cluster_items

    @property
    def target_px(self) -> float:
        """The diameter of every marker's touch target, in logical px."""
        return self.marker_layer.target_px

    @property
    def level(self) -> int:
        """The clustering level shown now (0 at the whole city)."""
        return self.marker_layer.level

    def _layout_markers(self) -> None:
        """Place off-map markers for this view size and size the touch targets; cluster afresh."""
        target_px = touch_target_px(self.px_per_mm(), theme.TOUCH_MIN)
        self.marker_layer.lay_out(self._min_scale, target_px)

    def shown_items(self) -> list[Item]:
        """The markers and clusters on the map now (not those folded into a cluster)."""
        return self.marker_layer.shown_items()

    def item_for(self, event_id: str) -> Item:
        """What shows an event now: its own marker, or the cluster it is in."""
        return self.marker_layer.item_for(event_id)

    def screen_pos(self, item: Item) -> QPointF:
        """Where a marker's glyph or a cluster is on the viewport, in pixels."""
        return self.marker_layer.screen_pos(item)

    def marker_screen_pos(self, event_id: str) -> QPointF:
        """Where the marker's glyph is (or would be, if clustered) on the viewport, in pixels."""
        return self.screen_pos(self.markers[event_id])

    def marker_at(self, pos: QPointF) -> Item | None:
        """The marker or cluster under a viewport position, the topmost one if several."""
        return self.marker_layer.marker_at(pos)

    def _update_labels(self, language: str) -> None:
        self.marker_layer.set_language(language)

    def _show_selection(self, event_id: str | None) -> None:
        # Only the marking: bringing the marker into view needs the panel's width, so the window
        # calls `fly_to` once it has laid the panel out.
        self.marker_layer.show_selection(event_id)

    # --- work done ahead, between frames ---------------------------------------------------

    def _start_ahead(self) -> None:
        """(Re)start the work done ahead, nearest the level shown now first."""
        self._ahead.restart(self._ahead_steps())

    @property
    def work_ahead_done(self) -> bool:
        """True when the work done ahead has nothing left to do (every level's clusters and
        layout worked out, and the pictures near the view at the levels next to this one)."""
        return self._ahead.done

    def also_ahead(self, steps: Callable[[], Iterator[None]]) -> None:
        """Run `steps()` in the work done ahead too, each time it starts: after every level's
        layout is worked out (so it may ask for them) and before the cluster pictures."""
        self._also_ahead.append(steps)

    def _ahead_steps(self) -> Iterator[None]:
        """The marker layer's work ahead (and any `also_ahead`), for the view where it is when
        the first slice runs."""
        yield from self.marker_layer.ahead_layouts()
        for steps in list(self._also_ahead):
            yield from steps()
        yield from self.marker_layer.ahead_pictures(
            self.visible_scene_rect(), self.devicePixelRatioF()
        )

    # --- zoom and pan to markers ----------------------------------------------------------

    def _rescaled(self) -> None:
        self._scale_changed()
        self.marker_layer.apply_level()
        self.marker_layer.follow_view()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        if self._culling:  # not while the view is being built
            self.marker_layer.follow_view()

    def show_whole_city(self, animated: bool = True) -> None:
        """Back to the overview of the whole map: a flight, or a jump with reduced motion."""
        self.marker_layer.fold()
        self._go(self.whole_city_camera(), animated)

    def marker_camera(self, event_id: str, scale: float | None = None) -> Camera:
        """The view that shows a marker in the middle of the part the panel leaves uncovered."""
        marker = self.markers[event_id]
        scale = self._clamp_scale(scale or self.transform().m11())
        return self._camera_on(marker.pos() + marker.glyph_centre / scale, scale)

    def _showing_alone(self, event_id: str) -> float:
        """The scale at which an event has a marker of its own, fanning its cluster out if it
        never will (now if the view is at that level, else when it gets there)."""
        showing = self.marker_layer.showing(event_id)
        if showing.fan is not None:
            self.marker_layer.fan_out(showing.fan, at_once=showing.fan_here)
        return showing.scale

    def fly_to(self, event_id: str, duration: float | None = None) -> None:
        """Fly to an event's marker (jump with reduced motion); a touch interrupts the flight.

        If the marker is in a cluster, the flight zooms in until it has its own (or fans the
        cluster out). `duration` (seconds) overrides the flight's own, e.g. for a slow drift.
        """
        self._go(self.marker_camera(event_id, self._showing_alone(event_id)), True, duration)

    def reveal(self, event_id: str) -> None:
        """Bring a marker into the part of the view the event panel does not cover, at once."""
        self._go(self.marker_camera(event_id, self._showing_alone(event_id)), False)

    def open_cluster(self, cluster: ClusterItem) -> None:
        """A tapped cluster: zoom in to where it splits, or fan it out if zooming cannot."""
        if not self.marker_layer.clustered:
            return
        split = self.marker_layer.opening(cluster)
        if split is None:
            self.marker_layer.fan_out(cluster.members)
            return
        # Like a map's "zoom to these": as close as still shows all of them in the uncovered
        # part of the view with room around them, but at least close enough to split them.
        xs = [self.markers[m].pos().x() for m in cluster.members]
        ys = [self.markers[m].pos().y() for m in cluster.members]
        room_w = (self.viewport().width() - self._right_inset) * CLUSTER_FIT
        room_h = self.viewport().height() * CLUSTER_FIT
        fit = min(room_w / max(max(xs) - min(xs), 1e-9), room_h / max(max(ys) - min(ys), 1e-9))
        scale = self.marker_layer.scale_of(split, fit / self._min_scale)
        centre = QPointF((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2)
        self._go(self._camera_on(centre, scale), True)

    def _rescaled_fit(self) -> None:
        # The whole-city scale changed without a resize (the title card's height did).
        size = self.viewport().size()
        self.tiles.set_view(self._min_scale, size.width(), size.height(), self._tile_style)
        self._layout_markers()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.stop_motion()
        was_overview = math.isclose(self.zoom, 1.0, rel_tol=1e-3)
        zoom = self.zoom
        # The map point in the middle before the resize stays in the middle after it: without
        # this a view zoomed in before its window took its final size (the attract loop starts
        # before the first show) showed another part of the map, further down the larger it got.
        old = event.oldSize()
        frame = 2 * self.frameWidth()
        middle = QPointF((old.width() - frame) / 2, (old.height() - frame) / 2)
        centre = self.mapToScene(middle.toPoint()) if old.isValid() else None
        super().resizeEvent(event)
        self._min_scale = self._fit_scale()
        size = self.viewport().size()
        self._tile_style = style_of(self.backgroundBrush().color())
        self.tiles.set_view(self._min_scale, size.width(), size.height(), self._tile_style)
        if self.plan_tiles is not None:
            self.plan_tiles.set_view(size.width(), size.height())
        self._layout_markers()
        if was_overview:
            self.set_camera(self.whole_city_camera())
        elif centre is None:
            self.setTransform(QTransform.fromScale(self._min_scale * zoom, self._min_scale * zoom))
            self._scale_changed()
            self._update_scroll_area()
        else:
            self.set_camera(Camera(centre.x(), centre.y(), self._min_scale * zoom))
        if self._culling:  # the view's size changed, if not where it looks
            self.marker_layer.follow_view()

    # --- drawing ------------------------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRect | QRectF) -> None:
        scale = self.transform().m11()
        surround = self.backgroundBrush().color()
        if style_of(surround) != self._tile_style:  # high contrast changes the surround
            self._tile_style = style_of(surround)
            size = self.viewport().size()
            self.tiles.set_view(self._min_scale, size.width(), size.height(), self._tile_style)
        moving = self._settle_timer.isActive() or self.moving or self._gestures.active
        self.tiles.paint(painter, QRectF(rect), scale, surround, moving)
        # Ask for the tiles of the whole view and a ring around it, nearest the middle first;
        # what is not ready yet was drawn from another tile scale and is repainted when it comes.
        visible = self.visible_scene_rect()
        step = 512 / self.tiles.target(scale)
        wanted = self.tiles.keys_in(
            visible.adjusted(-step, -step, step, step), self.tiles.target(scale), style_of(surround)
        )
        # On screen first, then the ring, nearest the middle first: in plain numbers (the same
        # order as QRectF's intersects and centre), as this runs at every frame for dozens of
        # tiles at 4K.
        left, top, right, bottom = visible.left(), visible.top(), visible.right(), visible.bottom()
        mid_x, mid_y = visible.center().x(), visible.center().y()

        def order(key: TileKey) -> tuple[bool, float]:
            size = TILE_PX / key.scale
            x, y = key.col * size, key.row * size
            on_screen = x < right and left < x + size and y < bottom and top < y + size
            return (not on_screen, abs(x + size / 2 - mid_x) + abs(y + size / 2 - mid_y))

        wanted.sort(key=order)
        self.tiles.request(wanted)
        if self.plan_tiles is not None and self.plan_opacity > 0:
            level = self.tiles.target(scale)
            opacity = self.plan_opacity * self._bundle.plan.opacity if self._bundle.plan else 0
            self.plan_tiles.paint(painter, QRectF(rect), level, opacity)
            plan_keys = self.plan_tiles.keys_in(visible.adjusted(-step, -step, step, step), level)
            plan_keys.sort(key=order)
            self.plan_tiles.request(plan_keys)

    # --- the historical plan ------------------------------------------------------------

    def set_plan_opacity(self, value: object) -> None:
        """Show the plan over the map at `value` (0 to 1) of its full opacity."""
        opacity = min(1.0, max(0.0, float(value)))  # type: ignore[arg-type]
        if opacity != self.plan_opacity:
            self.plan_opacity = opacity
            if opacity == 0 and self.plan_tiles is not None:
                self.plan_tiles.let_go()
            self.viewport().update()

    def fade_plan(self, shown: bool, animated: bool = True) -> None:
        """Fade the historical plan in (`shown`) or out, to today's map; at once with reduced
        motion or when not `animated`."""
        self._plan_fade.stop()
        target = 1.0 if shown else 0.0
        if not animated or self.reduced_motion or not self.isVisible():
            self.set_plan_opacity(target)
            return
        self._plan_fade.setStartValue(self.plan_opacity)
        self._plan_fade.setEndValue(target)
        self._plan_fade.start()

    def _tile_arrived(self, key: TileKey) -> None:
        area = tile_scene_rect(key)
        if area.intersects(self.visible_scene_rect()):
            self.viewport().update(self.mapFromScene(area).boundingRect().adjusted(-1, -1, 1, 1))

    def _scale_changed(self) -> None:
        """The zoom changed: tiles at the scale it comes to rest at are rendered once it does."""
        self.tiles.exact = None
        self._settle_timer.start()

    def _settled(self) -> None:
        if self._gestures.active or self.moving:
            self._settle_timer.start()
            return
        scale = self.transform().m11()
        if not self.tiles.at_tile_scale(scale):
            self.tiles.exact = float(f"{scale:.9g}")
        self.viewport().update()  # smooth now, and sharp as the tiles come

    # --- fingers and mouse --------------------------------------------------------------

    def px_per_mm(self) -> float:
        """Logical pixels per millimetre on the real screen this view is on."""
        return screen_density.px_per_mm(self)

    def _tap(self, pos: QPointF) -> None:
        item = self.marker_at(pos)
        if isinstance(item, MarkerItem):
            self.marker_tapped.emit(item.event_id)
        elif isinstance(item, ClusterItem):
            self.open_cluster(item)
        else:
            self.marker_layer.fold()  # a tap beside a fanned cluster folds it up again
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
        if event.type() in _PHASES:
            assert isinstance(event, QTouchEvent)
            self._touch(event)
            event.accept()
            return True
        return super().viewportEvent(event)

    def _touch(self, event: QTouchEvent) -> None:
        """A touch event, as contacts for the interpreter; its intents are acted on in order."""
        contacts = [
            Contact(
                p.id(),
                p.position().x(),
                p.position().y(),
                max(p.ellipseDiameters().width(), p.ellipseDiameters().height()),
                p.state() == p.State.Released,
            )
            for p in event.points()
        ]
        now, phase = self.clock(), _PHASES[event.type()]
        self._act(self._gestures.touch(phase, contacts, now, self._glide_speed(now)))

    def _act(self, intents: list[Intent]) -> None:
        for intent in intents:
            match intent:
                case Began():
                    self.user_interacted.emit()
                    self.stop_motion()
                case Press(x, y):
                    self._set_pressed(self.marker_at(QPointF(x, y)))
                case Unpress():
                    self._set_pressed(None)
                case Pan(dx, dy):
                    self.pan_by(dx, dy)
                case Pinch():
                    self._pinch(intent)
                case Tap(x, y):
                    self._tap(QPointF(x, y))
                case Flick(vx, vy, t):
                    self._start_motion(Glide(vx, vy, t))

    def _pinch(self, pinch: Pinch) -> None:
        if pinch.fresh or self._pinch_start is None:
            anchor = self.mapToScene(QPointF(*pinch.start).toPoint())
            self._pinch_start = (anchor, self.transform().m11())
        anchor, start_scale = self._pinch_start
        self._zoom_to(start_scale * pinch.spread / pinch.start_spread, anchor, QPointF(*pinch.mid))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            pos, now = event.position(), self.clock()
            self._act(self._gestures.press(pos.x(), pos.y(), now, self._glide_speed(now)))
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            pos = event.position()
            self._act(self._gestures.drag(pos.x(), pos.y(), self.clock()))
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            pos = event.position()
            self._act(self._gestures.release(pos.x(), pos.y(), self.clock()))
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        event.accept()  # a quick second tap is just another tap

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.user_interacted.emit()
        self.stop_motion()
        self.zoom_by(1.0015 ** event.angleDelta().y(), event.position())
        event.accept()
