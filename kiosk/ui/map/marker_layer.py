"""The map's markers: one per event, gathered into clusters level by level, found under a finger,
and labelled where a label fits.

`MarkerLayer` owns the marker and cluster items in the view's scene and everything worked out
about them: the clustering levels (`clustering`), each level's layout (markers on their own with
their glyph offsets, and cluster items; fanned-out clusters included), the grid that finds what
is under a finger (`hit_index`), the labels of off-map markers placed so none collide, and which
marker wears the chosen ring. It reads where the view looks from the view it is given and tells
the view through two callbacks when glyphs moved and when a new level is shown.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QGraphicsView

from kiosk.content import Bundle
from kiosk.content.data import Event, Place, pick
from kiosk.content.projection import distance_m
from kiosk.ui.journey import cldr
from kiosk.ui.journey.words import tr
from kiosk.ui.map.clustering import ClusterLevels
from kiosk.ui.map.hit_index import GridIndex
from kiosk.ui.map.marker_layout import fan_offsets
from kiosk.ui.map.markers import CLUSTER_SIZE, LABEL_SIDES, ClusterItem, MarkerItem

EDGE_INSET_PX = 60  # off-map markers sit this far inside the sheet's edge at the whole-city view
CLUSTER_GAP = 1.08  # targets closer than this many target widths share a cluster
HIT_CELL_PX = 128  # cell size of the hit-testing grid, in viewport px at the scale it was built
LAYOUT_STEP = 32  # clusters made between two pauses of the work ahead

Item = MarkerItem | ClusterItem
# A zoom level's layout: the markers shown on their own (glyph offset x, y and z) and clusters.
Layout = tuple[list[tuple[MarkerItem, float, float, float]], list[ClusterItem]]


@dataclass(frozen=True)
class Showing:
    """At what scale an event has a marker of its own, and the events to fan out for it when
    only fanning out can separate it (`fan_here`: at the level the view is at now)."""

    scale: float
    fan: frozenset[str] | None = None
    fan_here: bool = False


class MarkerLayer:
    """The markers and clusters of `bundle` in `view`'s scene."""

    def __init__(
        self,
        bundle: Bundle,
        view: QGraphicsView,
        *,
        selected: Callable[[], str | None],
        markers_moved: Callable[[], None],
        level_shown: Callable[[], None],
        target_px: float,
    ) -> None:
        self._bundle = bundle
        self._view = view
        self._selected = selected
        self._markers_moved = markers_moved
        self._level_shown = level_shown
        self._min_scale = 1.0
        self._max_zoom = bundle.manifest.map.max_zoom
        self.markers: dict[str, MarkerItem] = {}
        self._index = {event.id: i for i, event in enumerate(bundle.events)}
        # Each event's category by its place in the legend: a cluster's ring goes in that order.
        order = {category_id: k for k, category_id in enumerate(bundle.manifest.categories)}
        self._rank = [order[event.category] for event in bundle.events]
        self._clusters: ClusterLevels | None = None
        self._level = -1
        self._labels_scale = 0.0
        self.cluster_items: list[ClusterItem] = []  # the clusters shown now
        self.fanned: set[str] = set()  # events whose cluster the visitor fanned out
        self._target_px = target_px
        # What is under a finger: our own grid over the shown markers' anchors (Qt keeps items
        # that ignore transformations out of its index and scans them all), rebuilt whenever the
        # markers shown change.
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
        self._create_markers()

    # --- the markers --------------------------------------------------------------------

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
            text = self.glyph_text(event, self._bundle.default_language)
            marker = MarkerItem(event.id, category.colour, category.shape, text, anchor, bearing)
            self._add_item(marker)
            self.markers[event.id] = marker
        self._shown = dict(self.markers)  # all shown until the first level hides the clustered
        self._labelled = [m for m in self.markers.values() if m.off_map]

    def _add_item(self, item: Item) -> None:
        self._stacking += 1
        item.stacking = self._stacking
        self._view.scene().addItem(item)

    def _markers_changed(self) -> None:
        """The markers or clusters shown, or where they are drawn, changed."""
        self._hits = None

    @property
    def shown_generation(self) -> object:
        """Equal whenever the same markers and clusters are shown in the same places: the
        level, what is fanned out, and the layout they come from."""
        return (self._layout_epoch, self._level, frozenset(self.fanned))

    @property
    def target_px(self) -> float:
        """The diameter of every marker's touch target, in logical px."""
        return self._target_px

    @property
    def level(self) -> int:
        """The clustering level shown now (0 at the whole city)."""
        return self._level

    def _zoom(self) -> float:
        return self._view.transform().m11() / self._min_scale

    def lay_out(self, min_scale: float, target_px: float) -> None:
        """Place off-map markers for the whole-city scale `min_scale`, size the touch targets
        `target_px` across, and cluster afresh (the level is shown again)."""
        self._min_scale = min_scale
        for event in self._bundle.events:
            place = self._bundle.places[event.place]
            if place.off_map:
                self.markers[event.id].setPos(self._anchor(place)[0])
        self._target_px = target_px
        for marker in self.markers.values():
            marker.set_hit_size(self._target_px)
        self._markers_changed()
        points = [(m.pos().x(), m.pos().y()) for m in self.markers.values()]
        spacing = max(self._target_px, CLUSTER_SIZE) * CLUSTER_GAP
        # A place off the map is never gathered with one on it: its name and distance would
        # vanish into a cluster whose markers are somewhere else entirely.
        kinds = [int(m.off_map) for m in self.markers.values()]
        self._clusters = ClusterLevels(points, self._min_scale, self._max_zoom, spacing, kinds)
        self._layouts = {}  # positions and target sizes changed
        self._layout_pending = {}
        self._layout_epoch += 1
        self._level = -1
        self.apply_level()

    # --- levels and their layouts -------------------------------------------------------

    def apply_level(self, force: bool = False) -> None:
        """Show the clusters of the zoom level the view is at; they change only between levels.

        With thousands of events this is the costly step of a pinch, so only what changes is
        touched: markers that appear, go or move, and the level's cluster items, made once per
        level (ahead of time when the map is idle) and reused whenever the level comes back.
        """
        clusters = self._clusters
        if clusters is None:
            return
        level = clusters.level_for(self._zoom())
        if level == self._level and not force:
            if not math.isclose(self._labels_scale, self._view.transform().m11()):
                self.place_labels()
            return
        self._level = level
        scene = self._view.scene()
        for item in self.cluster_items:
            scene.removeItem(item)
        singles, cluster_items = self._level_layout(level)
        moved = False
        shown: dict[str, MarkerItem] = {}
        for marker, dx, dy, z in singles:
            shown[marker.event_id] = marker
            moved = _place_single(marker, dx, dy, z) or moved
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
        self.show_selection(self._selected())
        self.place_labels()
        if moved:
            self._markers_moved()
        self._level_shown()  # the levels next to this one come first now

    def fold(self) -> None:
        """Fold up a fanned-out cluster (if one is)."""
        if self.fanned:
            self.fanned = set()
            self.apply_level(force=True)

    def fan_out(self, events: Iterable[str], at_once: bool = True) -> None:
        """Fan out the cluster of these events: now, or (`at_once` false) when its level shows."""
        self.fanned = set(events)
        if at_once:
            self.apply_level(force=True)

    def _level_layout(self, level: int) -> Layout:
        """What a level shows: markers on their own (with their glyph offsets and z) and the
        cluster items. Kept per level while nothing is fanned out; worked out afresh if so."""
        key = (level, frozenset(self.fanned))
        if key not in self._layouts:
            for _ in self._layout_steps(level):
                pass
        return self._layouts[key]

    def _layout_steps(self, level: int) -> Iterator[None]:
        """The steps that work out a level's layout, a few dozen clusters each (nothing if it
        is known); steps left unrun stay pending, and whoever asks next goes on with them."""
        key = (level, frozenset(self.fanned))
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

    def ahead_steps(self, near: QRectF, dpr: float) -> Iterator[None]:
        """What a pinch would otherwise do in its frames, in small steps: each level's clusters
        (a level of thousands of events takes tens of ms), their items, and the pictures (at
        device pixel ratio `dpr`) of the clusters within `near` at the levels next to this one."""
        clusters = self._clusters
        if clusters is None:
            return
        here = max(self._level, 0)
        order = sorted(range(len(clusters.zooms)), key=lambda k: (abs(k - here), -k))
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

    # --- labels and the chosen marker ---------------------------------------------------

    def place_labels(self) -> None:
        """Show each marker label only where it hits no other label and no other target."""
        self._labels_scale = self._view.transform().m11()
        to_view = self._view.viewportTransform()
        selected = self._selected()
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
        # A label wholly on screen and clear of the panel comes first; one running off the
        # screen's edge (an off-map place drawn at the map's edge) only if no side keeps it on.
        viewport = self._view.viewport()
        panel = int(getattr(self._view, "right_inset", 0))  # a CameraView's; none for a bare view
        on_screen = QRectF(0, 0, viewport.width() - panel, viewport.height())
        for marker in labelled:
            anchor = to_view.map(marker.pos())
            boxes = [(side, marker.label_rect_on(side).translated(anchor)) for side in LABEL_SIDES]
            boxes.sort(key=lambda found: not on_screen.contains(found[1]))  # stable
            clear = False
            for side, box in boxes:
                clear = not any(box.intersects(p) for p in placed) and not any(
                    box.intersects(r) for item, r in targets if item is not marker
                )
                if clear:
                    marker.set_label_side(side)
                    placed.append(box)
                    break
            marker.set_label_shown(clear)

    def glyph_text(self, event: Event, language: str) -> str:
        """The day of the month on a marker; over a span of 28 days or more the same number
        can stand for two days, so the month's short name (CLDR) goes under it."""
        dates = self._bundle.manifest.dates
        if (dates.end - dates.start).days < 28:
            return str(event.date.day)
        return f"{event.date.day}\n{cldr.month_name(event.date, language, 'abbreviated')}"

    def set_language(self, language: str) -> None:
        """The markers in `language`: their months, and off-map markers' labels (the place and
        how far away it is)."""
        fallback = self._bundle.default_language
        projection = self._bundle.projection
        c_lat, c_lon = projection.centre
        for event in self._bundle.events:
            self.markers[event.id].set_text(self.glyph_text(event, language))
            place = self._bundle.places[event.place]
            if place.off_map:
                km = round(distance_m(c_lat, c_lon, place.lat, place.lon) / 1000)
                name = pick(place.short_name or place.name, language, fallback)
                distance = tr(language, "km_away", distance=cldr.number(km, language))
                self.markers[event.id].set_label(f"{name} · {distance}")

    def show_selection(self, event_id: str | None) -> None:
        """Put the chosen ring on this event's marker (and on the cluster showing it)."""
        # Only the markers whose marking changes are touched (with thousands of markers, asking
        # each costs a frame).
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

    # --- what is shown, and where -------------------------------------------------------

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
        anchor = self._view.viewportTransform().map(item.pos())
        return anchor + item.glyph_centre if isinstance(item, MarkerItem) else anchor

    def _hit_grid(self) -> GridIndex[Item]:
        """The grid of the markers and clusters shown now, built when first needed."""
        scale = self._view.transform().m11()
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
        to_view = self._view.viewportTransform()
        to_scene, _ = to_view.inverted()
        at = to_scene.map(QPointF(pos.toPoint()))
        radius = self._hits_reach / self._view.transform().m11()
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

    # --- zooming to markers -------------------------------------------------------------

    def showing(self, event_id: str) -> Showing:
        """The scale at which an event has a marker of its own; changes nothing.

        The current scale if it already has; else the first zoom level that splits its cluster
        down to it; events at the very same place are fanned out at the level that separates
        them from everything else (`Showing.fan`, for the caller to fan out).
        """
        scale = self._view.transform().m11()
        clusters = self._clusters
        if clusters is None:
            return Showing(scale)
        ids = list(self.markers)
        index = self._index[event_id]
        level = clusters.level_for(self._zoom())
        group = clusters.group_of(level, index)
        if len(group) == 1 or {ids[i] for i in group} <= self.fanned:
            return Showing(scale)
        alone = clusters.level_alone(index, level)
        if alone is not None:
            return Showing(self._min_scale * clusters.zooms[alone])
        inseparable = len(clusters.group_of(clusters.last, index))
        target = next(
            k
            for k in range(level, clusters.last + 1)
            if len(clusters.group_of(k, index)) == inseparable
        )
        fan = frozenset(ids[i] for i in clusters.group_of(target, index))
        return Showing(max(scale, self._min_scale * clusters.zooms[target]), fan, target == level)

    def opening(self, cluster: ClusterItem) -> int | None:
        """The level at which a tapped cluster splits (None if it never does)."""
        clusters = self._clusters
        if clusters is None:
            return None
        indices = [self._index[m] for m in cluster.members]
        return clusters.level_splitting(indices, self._level)

    def scale_of(self, level: int, fit_zoom: float) -> float:
        """The scale of `level`, or of the level a zoom of `fit_zoom` shows if that is deeper."""
        clusters = self._clusters
        assert clusters is not None
        level = max(level, clusters.level_for(fit_zoom))
        return self._min_scale * clusters.zooms[level]

    @property
    def clustered(self) -> bool:
        """True once the markers are clustered (the view has a size)."""
        return self._clusters is not None


def _place_single(marker: MarkerItem, dx: float, dy: float, z: float) -> bool:
    """Show a marker on its own with its glyph offset (dx, dy) and `z`; True if its glyph moved."""
    moved = False
    offset = marker.glyph_centre
    if offset.x() != dx or offset.y() != dy:
        marker.set_offset(dx, dy)
        moved = True
    if marker.zValue() != z:
        marker.setZValue(z)
    marker.cluster = None
    if not marker.isVisible():
        marker.setVisible(True)
    return moved
