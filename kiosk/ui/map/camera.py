"""The camera over the map sheet: where the view looks, how it jumps, flies and glides, and how it
scrolls.

`CameraView` is the part of the map view that knows nothing of markers, tiles or fingers: the
sheet (the map's rectangle in scene units), zoom between the whole sheet and `max_zoom` times
that, never scrolling beyond the sheet (but past its right edge by what the event panel covers),
flights (`motion.Flight`) and glides (`motion.Glide`) stepped from an injectable clock, and scrolls
that move only the pixels Qt can copy. Subclasses hear of every change of scale through
`_rescaled`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from typing import cast

from PySide6.QtCore import QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QRegion, QTransform
from PySide6.QtWidgets import QGraphicsView, QWidget

from kiosk.ui.map.motion import Camera, Flight, Glide

FRAME_MS = 16  # motion steps at the display's pace


class CameraView(QGraphicsView):
    """A graphics view over a sheet, steered by a `Camera`; emits `flight_finished`."""

    # A flight (fly_to, show_whole_city) arrived; not emitted when a touch interrupted it.
    flight_finished = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        max_zoom: float,
        reduced_motion: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._sheet = QRectF()  # the subclass sets the map's rectangle
        self._max_zoom = max_zoom
        self._min_scale = 1.0
        self._right_inset = 0  # pixels covered by the event panel, kept clear when revealing
        self._top_inset = 0  # pixels covered by the title card at the top, kept clear likewise
        self.reduced_motion = reduced_motion  # an installation setting: jump, never fly
        self.clock = clock  # seconds; tests replace it to step motion without waiting
        self._whole_repaint = False  # a change of scale is repainting all of the view
        self._motion: Flight | Glide | None = None
        self._glide_applied = (0, 0)
        self._motion_timer = QTimer(self)
        self._motion_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._motion_timer.setInterval(FRAME_MS)
        self._motion_timer.timeout.connect(self.advance_motion)

    def _rescaled(self) -> None:
        """The scale just changed (the scroll area already follows it); for subclasses."""

    # --- where the view is --------------------------------------------------------------

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

    @property
    def right_inset(self) -> int:
        """The pixels on the right kept free for the event panel (see `set_right_inset`)."""
        return self._right_inset

    @property
    def top_inset(self) -> int:
        """The pixels at the top kept free for the title card (see `set_top_inset`)."""
        return self._top_inset

    def set_top_inset(self, pixels: int) -> None:
        """Keep `pixels` at the top free (the title card covers them): the whole-city view fits
        the map below them, and a marker brought into view is centred in what is left."""
        if pixels == self._top_inset:
            return
        was_overview = math.isclose(self.zoom, 1.0, rel_tol=1e-3)
        zoom = self.zoom
        self._top_inset = pixels
        self._min_scale = self._fit_scale()
        self._update_scroll_area()
        self._rescaled_fit()
        if was_overview:
            self.set_camera(self.whole_city_camera())
        else:
            centre = self.camera()
            self.set_camera(Camera(centre.x, centre.y, self._min_scale * zoom))

    def _rescaled_fit(self) -> None:
        """The whole-city scale changed; for subclasses (the markers are laid out for it)."""

    def _update_scroll_area(self) -> None:
        # The view may scroll past the sheet's right edge by the panel's width, and past its top
        # by the title card's height, so every part of the map can be brought into the uncovered
        # area; at the whole-city view this slides the whole sheet out from under both.
        scale = self.transform().m11()
        self.setSceneRect(
            self._sheet.adjusted(0, -self._top_inset / scale, self._right_inset / scale, 0)
        )

    def _fit_scale(self) -> float:
        rect = self._sheet
        viewport = self.viewport().size()
        height = viewport.height() - self._top_inset
        if rect.isEmpty() or viewport.isEmpty() or height <= 0:
            return 1.0
        return min(viewport.width() / rect.width(), height / rect.height())

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
        rect = self._sheet.adjusted(0, -self._top_inset / scale, self._right_inset / scale, 0)
        half_w = self.viewport().width() / 2 / scale
        half_h = self.viewport().height() / 2 / scale

        def clamp(value: float, low: float, high: float, half: float) -> float:
            if high - low <= 2 * half:
                return (low + high) / 2
            return min(max(value, low + half), high - half)

        x = clamp(camera.x, rect.left(), rect.right(), half_w)
        y = clamp(camera.y, rect.top(), rect.bottom(), half_h)
        return Camera(x, y, scale)

    def _set_scale(self, scale: float) -> None:
        self.setTransform(QTransform.fromScale(scale, scale))
        self._update_scroll_area()
        self._rescaled()

    def set_camera(self, camera: Camera) -> None:
        """Show the map at `camera` at once (clamped to the sheet and the zoom limits)."""
        scale = self._clamp_scale(camera.scale)
        rescaled = not math.isclose(scale, self.transform().m11())
        if rescaled:
            self._set_scale(scale)
        self._center_on(QPointF(camera.x, camera.y), rescaled)

    def whole_city_camera(self) -> Camera:
        centre = self._sheet.center()
        return self._clamped(Camera(centre.x(), centre.y(), self._min_scale))

    def _camera_on(self, point: QPointF, scale: float) -> Camera:
        """The view with `point` in the middle of the part the panel leaves uncovered."""
        scale = self._clamp_scale(scale)
        visible_width = self.viewport().width() - self._right_inset
        shift = (self.viewport().width() / 2 - visible_width / 2) / scale
        lift = self._top_inset / 2 / scale  # centred in the height below the title card
        return self._clamped(Camera(point.x() + shift, point.y() - lift, scale))

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
            self._set_scale(target)
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

    def _glide_speed(self, now: float) -> float:
        """How fast the map glides now (px/s); 0 when it does not."""
        return self._motion.speed(now) if isinstance(self._motion, Glide) else 0.0

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

    # --- scrolling ----------------------------------------------------------------------

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
