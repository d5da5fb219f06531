"""The map's markers: one per event, gathered into clusters level by level, found under a finger,
and labelled where a label fits.

`MarkerLayer` owns the marker and cluster items in the view's scene and everything worked out
about them: the clustering levels (`clustering`), each level's layout (markers on their own with
their glyph offsets, and cluster items; fanned-out clusters included) with a grid of its items
(`hit_index`) that finds what is under a finger and what is near the view, the labels of off-map
markers placed so none collide, and which marker wears the chosen ring. It reads where the view
looks from the view it is given and tells the view through two callbacks when glyphs moved and
when a new level is shown.

Only the items shown near the view are in the scene (culling): the view's rectangle and a margin
around it (`CULL_MARGIN_PX`), a cell of the layout's grid at a time, kept up to date as the view
moves (`follow_view`). A level of thousands of events has thousands of clusters and markers; with
all of them in the scene every paint asked each one for its bounds, and a change of level took
them all out of the scene and put the next level's in. What is shown is unchanged: an item's
`isVisible()` still says whether it is shown at this level, wherever the view is, and what is in
view is always in the scene.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QGraphicsView

from kiosk.content import Bundle
from kiosk.content.data import Event, Place, pick
from kiosk.content.projection import distance_m
from kiosk.ui.journey import cldr, theme
from kiosk.ui.journey.words import tr
from kiosk.ui.map.clustering import ZOOM_STEP, ClusterLevels
from kiosk.ui.map.hit_index import GridIndex
from kiosk.ui.map.label_placement import Obstacle
from kiosk.ui.map.marker_layout import fan_offsets
from kiosk.ui.map.markers import (
    CLUSTER_SIZE,
    LABEL_SIDES,
    ClusterItem,
    ClusterOf,
    MarkerItem,
    cluster_pictures_kept,
)

EDGE_INSET_PX = 60  # off-map markers sit this far inside the sheet's edge at the whole-city view
CLUSTER_GAP = 1.08  # targets closer than this many target widths share a cluster
LAYOUT_STEP = 32  # clusters made between two pauses of the work ahead
STEP_CLUSTERS = 512  # clusters looked at between two pauses of the work ahead
# A layout's grid has cells this many viewport px wide at its level's scale; items up to this many
# px (plus how far an item draws from its anchor) beyond the view's edge are in the scene already,
# so a pan meets them there (and a pan step adds or takes out a row of cells, seldom).
CULL_CELL_PX = 128
CULL_MARGIN_PX = 64
AHEAD_PICTURES_SPARE = 32  # cluster pictures the work ahead leaves room for (a pan brings some)

Item = MarkerItem | ClusterItem
Placed = tuple[float, float, float]  # a marker on its own: glyph offset x, y, and z


class Layout:
    """A zoom level's layout: the markers shown on their own (glyph offset x, y and z) and the
    clusters, and a grid of them by anchor (scene units, cells `CULL_CELL_PX` wide at the level's
    scale) for finding those near the view or under a finger. Items drawn far from their anchors
    (fanned out, or off the map with a label) are not in the grid: they are `always` looked at."""

    __slots__ = (
        "always",
        "anchors",
        "cluster_of",
        "clusters",
        "grid",
        "obstacles",
        "placed",
        "reach",
        "shown",
        "singles",
    )

    def __init__(self, cell: float) -> None:
        self.singles: list[tuple[MarkerItem, float, float, float]] = []
        self.clusters: list[ClusterItem] = []
        self.anchors: list[tuple[float, float]] = []  # the clusters' anchors (scene units)
        self.shown: dict[str, MarkerItem] = {}  # the singles by event id
        self.placed: dict[str, Placed] = {}  # the singles' offsets and z, by event id
        self.cluster_of: dict[str, ClusterItem] = {}  # the cluster of each clustered event
        # What the map's labels keep clear of: every single and cluster, as plain numbers.
        self.obstacles: list[Obstacle] = []
        self.grid: GridIndex[Item] = GridIndex(cell)
        self.always: list[Item] = []
        self.reach = 0.0  # px: how far from its anchor an item in the grid draws or is touched


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
        self._cluster_of = ClusterOf()  # shared by every marker: the clusters shown now
        self._index = {event.id: i for i, event in enumerate(bundle.events)}
        self._ids = [event.id for event in bundle.events]
        # Each event's category by its place in the legend: a cluster's ring goes in that order.
        order = {category_id: k for k, category_id in enumerate(bundle.manifest.categories)}
        self._rank = [order[event.category] for event in bundle.events]
        self._clusters: ClusterLevels | None = None
        self._level = -1
        self._labels_scale = 0.0
        self.cluster_items: list[ClusterItem] = []  # the clusters shown now
        self.fanned: set[str] = set()  # events whose cluster the visitor fanned out
        self._target_px = target_px
        self._stacking = 0  # Qt stacks items of equal z in the order they joined the scene
        self._layout_epoch = 0  # bumped when marker positions or target sizes are laid out
        self._marked: str | None = None  # the event whose marker wears the chosen ring
        self._marked_cluster: ClusterItem | None = None  # the cluster shown wearing it
        # The markers shown on their own now (with their offsets and z), the layout shown (None
        # until the view has a size), and each level's layout once worked out.
        self._shown: dict[str, MarkerItem] = {}
        self._placed: dict[str, Placed] = {}
        self._current: Layout | None = None
        # What is in the scene (the shown items near the view), and for which layout and cells.
        self._in_scene: set[Item] = set()
        self._live_key: tuple[Layout, tuple[int, int, int, int]] | None = None
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
            marker = MarkerItem(
                event.id, category.colour, category.shape, text, anchor, bearing, self._cluster_of
            )
            marker.rank = len(self.markers)
            self.markers[event.id] = marker
        # All shown until the first level hides the clustered; in the scene from the first
        # level on (the view has a size then).
        self._shown = dict(self.markers)
        self._placed = dict.fromkeys(self.markers, (0.0, 0.0, 10.0))
        self._labelled = [m for m in self.markers.values() if m.off_map]

    def _add_item(self, item: Item) -> None:
        self._stacking += 1
        item.stacking = self._stacking
        self._view.scene().addItem(item)

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
        layout = self._level_layout(level)
        # Only the markers whose place, offset or z changes are touched: thousands are shown on
        # their own at the deepest levels, and each call into Qt costs.
        placed = layout.placed
        for event_id in self._placed.keys() - placed.keys():
            self._shown[event_id].setVisible(False)
        moved = False
        shown = layout.shown
        for event_id, (dx, dy, z) in placed.items() - self._placed.items():
            moved = _place_single(shown[event_id], dx, dy, z) or moved
        self._shown, self._placed = shown, placed
        self.cluster_items = layout.clusters
        self._cluster_of.by_event = layout.cluster_of
        if self._marked_cluster is not None:
            self._marked_cluster.set_selected(False)
            self._marked_cluster = None
        self._current = layout
        self.follow_view()
        self.show_selection(self._selected())
        self.place_labels()
        if moved:
            self._markers_moved()
        self._level_shown()  # the levels next to this one come first now

    def follow_view(self) -> None:
        """Put the shown items near the view into the scene and take the others out (nothing
        to do while the view stays within the same cells of the layout's grid)."""
        layout = self._current
        if layout is None:
            return
        view = self._view
        scale = view.transform().m11()
        rect = view.mapToScene(view.viewport().rect()).boundingRect()
        margin = (CULL_MARGIN_PX + layout.reach) / scale
        span = layout.grid.span(
            rect.left() - margin, rect.top() - margin, rect.right() + margin, rect.bottom() + margin
        )
        if self._live_key is not None and self._live_key[0] is layout and self._live_key[1] == span:
            return
        self._live_key = (layout, span)
        wanted: set[Item] = set(layout.always)
        for _, entries in layout.grid.cells_in(span):
            wanted.update(entries)
        scene = view.scene()
        for item in self._in_scene - wanted:
            scene.removeItem(item)
        # In a fixed order (markers in the bundle's, then clusters as made), so that what is
        # drawn over what does not hang on the order of a set.
        for item in sorted(wanted - self._in_scene, key=_rank):
            self._add_item(item)
        self._in_scene = wanted

    def in_scene(self) -> set[Item]:
        """The shown items in the scene now: those near the view."""
        return set(self._in_scene)

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
        cluster items, with their grid. Kept per level while nothing is fanned out; worked out
        afresh if so."""
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
        layout = Layout(CULL_CELL_PX / scale)
        grid, singles, cluster_of = layout.grid, layout.singles, layout.cluster_of
        ids = self._ids
        plain: MarkerItem | None = None  # a marker in the grid, to measure
        fanned = key[1]
        for k, group in enumerate(groups):
            if k % LAYOUT_STEP == LAYOUT_STEP - 1:
                yield
            markers = [markers_by_index[i] for i in group]
            if len(group) == 1:
                marker = markers[0]
                singles.append((marker, 0.0, 0.0, 10.0))
                if marker.off_map or marker.label:
                    layout.always.append(marker)  # its label reaches far
                else:
                    grid.add(marker, *clusters.points[group[0]])
                    plain = plain or marker
                continue
            if fanned and all(m.event_id in fanned for m in markers):
                points = [(m.pos().x(), m.pos().y()) for m in markers]
                offsets = fan_offsets(points, scale, self._target_px)
                singles += [(m, dx, dy, 12.0) for m, (dx, dy) in zip(markers, offsets, strict=True)]
                layout.always += markers  # drawn away from their anchors
                continue
            colours = tuple(palette[rank] for rank in sorted(self._rank[i] for i in group))
            x = sum(clusters.points[i][0] for i in group) / len(group)
            y = sum(clusters.points[i][1] for i in group) / len(group)
            item = ClusterItem(markers, colours, QPointF(x, y))
            item.set_hit_size(self._target_px)
            item.rank = len(markers_by_index) + k
            layout.clusters.append(item)
            layout.anchors.append((x, y))
            grid.add(item, x, y)
            for i in group:
                cluster_of[ids[i]] = item
        layout.shown = {marker.event_id: marker for marker, *_ in singles}
        layout.placed = {marker.event_id: (dx, dy, z) for marker, dx, dy, z in singles}
        yield
        layout.obstacles = self._obstacles(layout)
        # Every item in the grid draws as far from its anchor as any of its kind (no offset, no
        # label): its bounds, and its touch target a little further out.
        reach = 0.0
        for measured in (plain, *layout.clusters[:1]):
            if measured is not None:
                box = measured.boundingRect()
                reach = max(reach, -box.left(), box.right(), -box.top(), box.bottom())
        layout.reach = reach * math.sqrt(2)
        if self._layout_pending.pop(key, None) is None:
            return  # laid out afresh meanwhile (the view was resized): this one is stale
        if fanned:  # a fanned layout lasts until the next tap: keep only the latest
            self._layouts = {k: v for k, v in self._layouts.items() if not k[1]}
        self._layouts[key] = layout

    def _obstacles(self, layout: Layout) -> list[Obstacle]:
        """What the map's labels keep clear of in `layout`: each glyph (a marker's where it is
        drawn, off its anchor if fanned out) and each cluster, from numbers worked out already."""
        clusters = self._clusters
        assert clusters is not None
        points, index = clusters.points, self._index
        half = theme.MARKER_SIZE / 2
        found = []
        for event_id, (dx, dy, _) in layout.placed.items():
            x, y = points[index[event_id]]
            found.append(Obstacle(round(x, 3), round(y, 3), dx, dy, half))
        if layout.clusters:
            box = layout.clusters[0].boundingRect()  # all alike: the picture's, and the target
            half = min(box.width(), box.height()) / 2
            centre = box.center()
            for x, y in layout.anchors:
                found.append(Obstacle(round(x, 3), round(y, 3), centre.x(), centre.y(), half))
        return found

    def obstacles(self) -> list[Obstacle]:
        """What the map's labels keep clear of now: every marker and cluster shown."""
        return list(self._current.obstacles) if self._current is not None else []

    def obstacles_at(self, scale: float) -> tuple[object, Sequence[Obstacle]] | None:
        """What `shown_generation` and `obstacles` would give with the view at `scale` and
        nothing else changed; None if that level's layout is not worked out yet (changes
        nothing: the map's names are placed ahead with it)."""
        clusters = self._clusters
        if clusters is None:
            return None
        level = clusters.level_for(scale / self._min_scale)
        layout = self._layouts.get((level, frozenset(self.fanned)))
        if layout is None:
            return None
        return (self._layout_epoch, level, frozenset(self.fanned)), layout.obstacles

    def ahead_steps(self, view: QRectF, dpr: float) -> Iterator[None]:
        """What a pinch would otherwise do in its frames, in small steps: each level's clusters
        (a level of thousands of events takes tens of ms) and their items, the levels next to
        this one first; and the pictures (at device pixel ratio `dpr`) of the clusters a pinch
        from the view `view` (scene units) shows first at the levels around this one, from the
        middle out, as many as the picture cache keeps beside those on screen.

        A pinch zooms about a point in the view, so one level in shows part of `view`, and one
        level out at most `view` grown by the zoom step about that point; a pinch that goes on
        passes through deeper levels within the view. With thousands of events a ring around the
        view holds more clusters than the bounded picture cache keeps, and drawing them evicted
        the pictures on screen, so pictures are drawn ahead only while there is room."""
        yield from self.ahead_layouts()
        yield from self.ahead_pictures(view, dpr)

    def ahead_layouts(self) -> Iterator[None]:
        """The first part of `ahead_steps`: every level's clusters and layout, in small steps,
        the levels next to this one first."""
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

    def ahead_pictures(self, view: QRectF, dpr: float) -> Iterator[None]:
        """The second part of `ahead_steps`: the pictures of the clusters a pinch from `view`
        shows first at the levels around this one, while the picture cache has room."""
        clusters = self._clusters
        if clusters is None:
            return
        here = max(self._level, 0)
        grow = (ZOOM_STEP - 1) * max(view.width(), view.height())
        areas = [(here + 1, view), (here - 1, view.adjusted(-grow, -grow, grow, grow))]
        areas += [(level, view) for level in range(here + 2, len(clusters.zooms))]
        shown = sum(1 for item in self._in_scene if isinstance(item, ClusterItem))
        room = cluster_pictures_kept(dpr) - shown - AHEAD_PICTURES_SPARE
        mid_x, mid_y = view.center().x(), view.center().y()
        for level, area in areas:
            if not 0 <= level < len(clusters.zooms):
                continue
            layout = self._level_layout(level)
            left, top, right, bottom = area.left(), area.top(), area.right(), area.bottom()
            # The level's clusters within the area, nearest the middle first, found in plain
            # numbers and in slices (the deepest levels have thousands).
            found: list[tuple[float, int]] = []
            for k, (x, y) in enumerate(layout.anchors):
                if k % STEP_CLUSTERS == STEP_CLUSTERS - 1:
                    yield
                if left <= x <= right and top <= y <= bottom:
                    found.append((abs(x - mid_x) + abs(y - mid_y), k))
            found.sort()
            yield
            for _, k in found:
                if room <= 0:
                    return
                room -= 1
                layout.clusters[k].glyph(dpr)
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
        for item in self._items_near(reach):
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
            boxes: list[tuple[str, float, QRectF]] = []
            for side in LABEL_SIDES:
                box = marker.label_rect_on(side).translated(anchor)
                shift = 0.0
                if side not in ("left", "right"):  # above or below: slide it along the edge
                    shift = marker.label_shift_within(box, on_screen.left(), on_screen.right())
                boxes.append((side, shift, box.translated(shift, 0)))
            boxes.sort(key=lambda found: not on_screen.contains(found[2]))  # stable
            clear = False
            for side, shift, box in boxes:
                clear = not any(box.intersects(p) for p in placed) and not any(
                    box.intersects(r) for item, r in targets if item is not marker
                )
                if clear:
                    marker.set_label_side(side, shift)
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
        cluster = self._cluster_of.by_event.get(event_id) if event_id is not None else None
        if cluster is not self._marked_cluster:
            if self._marked_cluster is not None:
                self._marked_cluster.set_selected(False)
            if cluster is not None:
                cluster.set_selected(True)
            self._marked_cluster = cluster

    # --- what is shown, and where -------------------------------------------------------

    def _items_near(self, area: QRectF) -> list[Item]:
        """The shown items whose glyph centre may lie within `area` (viewport px): those of the
        grid's cells around it, and those drawn away from their anchors."""
        layout = self._current
        if layout is None:
            return self.shown_items()
        to_scene, _ = self._view.viewportTransform().inverted()
        box = to_scene.mapRect(area)
        found: list[Item] = list(layout.always)
        span = layout.grid.span(box.left(), box.top(), box.right(), box.bottom())
        for _, entries in layout.grid.cells_in(span):
            found += entries
        return [item for item in found if item.isVisible()]

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
        return cluster if cluster is not None else marker

    def screen_pos(self, item: Item) -> QPointF:
        """Where a marker's glyph or a cluster is on the viewport, in pixels."""
        anchor = self._view.viewportTransform().map(item.pos())
        return anchor + item.glyph_centre if isinstance(item, MarkerItem) else anchor

    def marker_at(self, pos: QPointF) -> Item | None:
        """The marker or cluster under a viewport position, the topmost one if several.

        The same answer as Qt's `items(pos)` (a one-pixel square against each item's shape, the
        highest z and then the latest added on top), from a few grid cells instead of a scan.
        """
        layout = self._current
        if layout is None:
            return None  # nothing is in the scene before the view has a size
        to_view = self._view.viewportTransform()
        to_scene, _ = to_view.inverted()
        at = to_scene.map(QPointF(pos.toPoint()))
        radius = layout.reach / self._view.transform().m11()
        candidates = [*layout.grid.near(at.x(), at.y(), radius), *layout.always, *self._labelled]
        pixel = pos.toPoint()
        in_scene = self._in_scene
        hits = []
        for item in candidates:
            if item not in in_scene or not item.isVisible():
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


def _rank(item: Item) -> int:
    return item.rank


def _place_single(marker: MarkerItem, dx: float, dy: float, z: float) -> bool:
    """Show a marker on its own with its glyph offset (dx, dy) and `z`; True if its glyph moved."""
    moved = False
    offset = marker.glyph_centre
    if offset.x() != dx or offset.y() != dy:
        marker.set_offset(dx, dy)
        moved = True
    marker.set_base_z(z)
    if not marker.isVisible():
        marker.setVisible(True)
    return moved
