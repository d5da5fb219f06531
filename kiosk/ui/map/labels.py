"""Names on the map (the bundle's labels.yaml) in the visitor's language, in period lettering.

One graphics item draws every label, between the map and the markers. Where each label goes is
worked out once per rung of a ladder of zooms (`label_placement`), so labels never collide and
more appear as a visitor zooms in; painting is only drawing cached pictures of the names,
upright at their screen size whatever the zoom, and only those in the part of the map being
repainted, so panning stays at frame rate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from kiosk.content import Bundle
from kiosk.content.data import MapLabel, pick
from kiosk.ui.journey import theme
from kiosk.ui.journey.state import KioskState
from kiosk.ui.map.label_placement import (
    LabelSpec,
    Obstacle,
    Placement,
    place_at_zoom,
    rung_index,
    zoom_ladder,
)
from kiosk.ui.qt import work
from kiosk.ui.qt.picture_cache import PictureCache


@dataclass(frozen=True)
class LabelStyle:
    """How one kind of label is lettered."""

    family: str
    size: int
    colour: str
    italic: bool = False
    bold: bool = False
    capitals: bool = False
    spacing: float = 0.0  # extra pixels between letters
    halo: bool = True  # a paper-coloured outline, so the name reads over lines


# Period lettering: water in italic serif, districts in spaced serif capitals, the streets and
# stations of the story in a plain sans, all in browns and a blue ink rather than bright colour.
STYLES: dict[str, LabelStyle] = {
    "river": LabelStyle(theme.SERIF, 23, "#2c5563", italic=True, spacing=2.0, halo=False),
    "canal": LabelStyle(theme.SERIF, 17, "#2c5563", italic=True, spacing=0.5),
    "district": LabelStyle(theme.SERIF, 19, "#7b5a3a", capitals=True, spacing=3.0),
    "island": LabelStyle(theme.SERIF, 17, "#6a5540", italic=True, spacing=1.0),
    "street": LabelStyle(theme.SANS, 16, "#3f3124"),
    "square": LabelStyle(theme.SANS, 16, "#3f3124", italic=True),
    "bridge": LabelStyle(theme.SANS, 15, "#3f3124"),
    "station": LabelStyle(theme.SANS, 16, "#2b2118", bold=True),
    "landmark": LabelStyle(theme.SERIF, 17, "#2b2118"),
}
# Names of areas may move a little within the area when their spot is taken (by a marker).
AREA_KINDS = {"district", "island"}
AREA_SHIFTS = ((0.0, -1.6), (0.0, 1.6), (-0.35, 0.0), (0.35, 0.0), (0.0, -3.2), (0.0, 3.2))
# Lettering a name (its halo is a stroked outline) takes 3-10 ms: every name is lettered ahead
# in the map tiles' worker thread, a few names per job (tiles go first), so that a name coming
# into view during a pinch is only copied. The first paint letters what it shows itself.
NAMES_PER_JOB = 8
# Lettered names in memory (docs/performance.md, "Memory"): Petrograd's 63 names, flat and turned,
# take about 4 MB; a bundle with many more keeps the most recently drawn.
LABEL_BUDGET = 12 * 2**20
PLACEMENTS_KEPT = 64  # placements kept (rung and obstacle layout), the latest
RUNG_SAMPLES = 8  # scales looked at across a rung for a change of obstacles (of level) in it
# Among labels of equal priority, the bigger features are placed first.
KIND_ORDER = ["district", "river", "island", "station", "landmark", "canal", "square", "street"]


def label_colour(style: LabelStyle) -> QColor:
    """The ink a label is lettered in: its kind's, or the high-contrast map ink."""
    ink = theme.palette().map_ink
    return QColor(ink) if ink is not None else QColor(style.colour)


def _font(style: LabelStyle) -> QFont:
    font = theme.font(style.family, style.size, bold=style.bold, italic=style.italic)
    if style.spacing:
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, style.spacing)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def letter(text: str, style: LabelStyle, paper: QColor, ink: QColor, dpr: float) -> QImage:
    """A name lettered in `style` with its halo of `paper` (if the style has one), for a device
    of pixel ratio `dpr`. Safe off the GUI thread (QPainter on a QImage)."""
    font = _font(style)
    metrics = QFontMetricsF(font)
    width, height = metrics.horizontalAdvance(text) + 4, metrics.height()
    image = QImage(
        max(1, round(width * dpr)),
        max(1, round(height * dpr)),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.setDevicePixelRatio(dpr)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    path.addText(QPointF(2, metrics.ascent()), font, text)
    if style.halo:
        halo = QColor(paper)
        halo.setAlpha(220)
        pen = QPen(halo, 3.5)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.strokePath(path, pen)
    painter.fillPath(path, ink)
    painter.end()
    # A QImage painted on keeps its paint engine, with the rasteriser's buffers for the stroked
    # halo, for as long as it lives (and the QPixmap made from it shares it): ~270 KB a name,
    # ~30 MB for Petrograd's names cached. A copy is the pixels alone.
    return image.copy()


_Key = tuple[str, float, float]  # a name's picture: label id, device pixel ratio, angle
_Job = tuple[_Key, str, LabelStyle, QColor, QColor, float]


def _letter_names(generation: int, jobs: list[_Job]) -> tuple[int, list[tuple[_Key, QImage]]]:
    """In the worker thread: letter `jobs` (the pictures go to the GUI thread)."""
    done = [
        (key, letter(text, style, paper, ink, dpr)) for key, text, style, paper, ink, dpr in jobs
    ]
    return generation, done


class MapLabelLayer(QGraphicsItem):
    """Draws the bundle's map labels; add it to the map view's scene."""

    def __init__(
        self,
        bundle: Bundle,
        state: KioskState,
        obstacles: Callable[[], Sequence[Obstacle]] | None = None,
    ) -> None:
        super().__init__()
        self._bundle = bundle
        # Asked when placing labels for a view size: what the labels must keep clear of.
        self._obstacles = obstacles or (lambda: ())
        projection = bundle.projection
        self._rect = QRectF(0, 0, projection.width, projection.height)
        self._paper = QColor(bundle.manifest.map.paper)
        self._labels: dict[str, MapLabel] = dict(bundle.labels)
        self._points = {
            label_id: tuple(projection.project(lat, lon) for lat, lon in label.points)
            for label_id, label in self._labels.items()
        }
        self._ladder = zoom_ladder(bundle.manifest.map.max_zoom)
        self._language = state.language
        self._texts: dict[str, str] = {}
        self._pixmaps: PictureCache[_Key, QPixmap] = PictureCache(LABEL_BUDGET)  # id, dpr, angle
        self._sent: set[_Key] = set()  # lettered ahead in this generation (never twice)
        # Placements by (fit scale, rung, obstacles), and the last shown at each rung.
        self._placements: dict[tuple[float, int, object], list[Placement]] = {}
        self._last_at: dict[tuple[float, int], list[Placement]] = {}
        self._specs_cache: list[LabelSpec] | None = None
        self._obstacles_at: tuple[tuple[float, object], tuple[Obstacle, ...]] | None = None
        # Names lettered ahead in the worker: a generation (bumped when the texts or the ink
        # change, so late pictures are dropped), the device pixel ratio painted at, and whether
        # a job is out.
        self._generation = 0
        self._dpr: float | None = None
        self._lettering = False
        self.setZValue(-1)  # under the markers
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        state.language_changed.connect(self.set_language)
        self._prepare_texts()

    # --- content --------------------------------------------------------------------------

    def set_language(self, language: str) -> None:
        self._language = language
        self._prepare_texts()
        self.update()

    def _prepare_texts(self) -> None:
        fallback = self._bundle.default_language
        self._texts = {}
        for label_id, label in self._labels.items():
            text = pick(label.name, self._language, fallback)
            self._texts[label_id] = text.upper() if STYLES[label.kind].capitals else text
        self._placements.clear()
        self._last_at = {}
        self._specs_cache = None
        self._forget_pictures()

    def _specs(self) -> list[LabelSpec]:
        if self._specs_cache is None:
            self._specs_cache = self._make_specs()
        return self._specs_cache

    def _make_specs(self) -> list[LabelSpec]:
        def order(item: tuple[int, tuple[str, MapLabel]]) -> tuple[int, int, float, int]:
            index, (_, label) = item
            return (
                -label.priority,
                KIND_ORDER.index(label.kind) if label.kind in KIND_ORDER else len(KIND_ORDER),
                label.min_zoom,
                index,
            )

        specs = []
        for _, (label_id, label) in sorted(enumerate(self._labels.items()), key=order):
            metrics = QFontMetricsF(_font(STYLES[label.kind]))
            text = self._texts[label_id]
            width, height = metrics.horizontalAdvance(text) + 4, metrics.height()
            shifts: tuple[tuple[float, float], ...] = ()
            if label.kind in AREA_KINDS and label.line is None:
                shifts = tuple((fx * width, fy * height) for fx, fy in AREA_SHIFTS)
            specs.append(
                LabelSpec(label_id, self._points[label_id], width, height, label.min_zoom, shifts)
            )
        return specs

    def visible(self, fit_scale: float, zoom: float) -> list[Placement]:
        """The labels shown at `zoom` (a multiple of the whole-map view), clear of the obstacles
        there now. Worked out once per rung and obstacle layout, then reused."""
        index = rung_index(self._ladder, zoom)
        # Markers move only when the zoom changes or they regroup: while the map pans, reuse them.
        # A key from the obstacles says when they change (obstacles are scene points with pixel
        # offsets, the same at every scale); without one, they are asked again at each scale.
        key_of = getattr(self._obstacles, "key", None)
        if callable(key_of):
            scale_key: tuple[float, object] = (0.0, key_of())
        else:
            scale_key = (round(fit_scale * zoom, 9), None)

        def obstacles_now() -> tuple[Obstacle, ...]:
            if self._obstacles_at is None or self._obstacles_at[0] != scale_key:
                self._obstacles_at = (scale_key, tuple(self._obstacles()))
            return self._obstacles_at[1]

        # The obstacles' own key stands for them when there is one: hashing thousands of
        # obstacles on every paint would cost more than drawing, and asking for them at all
        # when the placement is known (a level seen before) would too.
        key = (round(fit_scale, 9), index, scale_key[1] if callable(key_of) else obstacles_now())
        cached = self._placements.get(key)
        if cached is None:
            obstacles = obstacles_now()
            # Labels shown one rung out are offered first, so they stay put as one zooms in.
            before = self._last_at.get((round(fit_scale, 9), index - 1), [])
            cached = place_at_zoom(
                self._specs(),
                fit_scale * self._ladder[index],
                self._ladder[index],
                [p.label_id for p in before],
                obstacles,
            )
            self._keep(key, cached)
        self._last_at[(round(fit_scale, 9), index)] = cached
        return cached

    def _keep(self, key: tuple[float, int, object], placed: list[Placement]) -> None:
        """Keep a placement; markers regroup as one zooms, so only the latest few are kept."""
        while len(self._placements) >= PLACEMENTS_KEPT:
            del self._placements[next(iter(self._placements))]  # the oldest
        self._placements[key] = placed

    def place_ahead(
        self,
        width: float,
        height: float,
        scale: float,
        obstacles_at: Callable[[float], tuple[object, Sequence[Obstacle]] | None],
    ) -> Iterator[None]:
        """Place the names ahead, one rung and obstacle layout a step, for a viewport `width` x
        `height` px now at `scale`: what `visible` would work out in a pinch's frames (~7 ms a
        rung with thousands of markers), so it only looks them up. `obstacles_at(scale)` gives
        the obstacles' key (as `MarkerObstacles.key`) and the obstacles the view would have at
        another scale, or None if those are not known yet (that rung is left to the pinch).

        Rungs go in the order a pinch meets them: the next one in and out first. A rung's
        placement hangs on the rung shown before it: going out, on what was shown last one rung
        out (as a pinch out would find it); going in, on the rung before in this same order, at
        the level a pinch in leaves it at."""
        if width <= 0 or height <= 0 or self._rect.isEmpty():
            return
        fit = min(width / self._rect.width(), height / self._rect.height())
        fit_key = round(fit, 9)
        here = rung_index(self._ladder, scale / fit)
        last = len(self._ladder) - 1

        def rung(index: int, before: Sequence[Placement]) -> Iterator[list[Placement] | None]:
            return self._rung_ahead(fit, index, before, obstacles_at)

        # This rung first (a level may change within it), then the next ones in and out.
        inward: Sequence[Placement] | None = None
        for placed in rung(here, self._last_at.get((fit_key, here - 1), [])):
            inward = placed
            yield
        for distance in range(1, max(here, last - here) + 1):
            if here + distance <= last and inward is not None:
                for placed in rung(here + distance, inward):
                    inward = placed
                    yield
            if here - distance >= 0:
                out = here - distance
                for _ in rung(out, self._last_at.get((fit_key, out - 1), [])):
                    yield

    def _rung_ahead(
        self,
        fit: float,
        index: int,
        before: Sequence[Placement],
        obstacles_at: Callable[[float], tuple[object, Sequence[Obstacle]] | None],
    ) -> Iterator[list[Placement] | None]:
        """Each obstacle layout a pinch meets in a rung, in order of scale (a level changes
        within a rung or not), placed after the labels `before` and kept, a step each; None
        (and no more) where the obstacles are not known yet."""
        ladder = self._ladder
        start = fit * ladder[index]
        end = start if index == len(ladder) - 1 else fit * ladder[index + 1] * (1 - 1e-6)
        seen: set[object] = set()
        for k in range(RUNG_SAMPLES + 1):
            found = obstacles_at(start * (end / start) ** (k / RUNG_SAMPLES))
            if found is None:
                yield None
                return
            obstacles_key, obstacles = found
            if obstacles_key in seen:
                continue
            seen.add(obstacles_key)
            key = (round(fit, 9), index, obstacles_key)
            cached = self._placements.get(key)
            if cached is None:
                first = [p.label_id for p in before]
                cached = place_at_zoom(
                    self._specs(), fit * ladder[index], ladder[index], first, obstacles
                )
                self._keep(key, cached)
            yield cached

    def relayout(self) -> None:
        """Forget the placements (after the content or the view changed)."""
        self._obstacles_at = None
        self._placements.clear()
        self._last_at.clear()
        self.update()

    def text(self, label_id: str) -> str:
        return self._texts[label_id]

    # --- drawing ---------------------------------------------------------------------------

    def _rotated(self, label_id: str, dpr: float, angle: float) -> QPixmap:
        """The name turned by `angle` degrees, drawn once: painting it is then a plain copy."""
        key = (label_id, dpr, angle)
        cached = self._pixmaps.get(key)
        if cached is not None:
            return cached
        flat = self._pixmap(label_id, dpr)
        turn = QTransform().rotate(angle)
        rotated = flat.transformed(turn, Qt.TransformationMode.SmoothTransformation)
        rotated.setDevicePixelRatio(dpr)
        return self._pixmaps.put(key, rotated)

    def _pixmap(self, label_id: str, dpr: float) -> QPixmap:
        key = (label_id, dpr, 0.0)
        cached = self._pixmaps.get(key)
        if cached is not None:
            return cached
        style = STYLES[self._labels[label_id].kind]
        image = letter(self._texts[label_id], style, self._paper, label_colour(style), dpr)
        return self._pixmaps.put(key, QPixmap.fromImage(image))

    def restyle(self) -> None:
        """Letter the names again in the active appearance's ink (high contrast or not)."""
        self._forget_pictures()
        self.update()

    def _forget_pictures(self) -> None:
        """Drop the lettered names, and any the worker is lettering now (a new generation)."""
        self._pixmaps.clear()
        self._sent.clear()
        self._generation += 1
        self._lettering = False

    def boundingRect(self) -> QRectF:
        return self._rect

    def _letter_ahead(self) -> None:
        """Send the worker the next few names not lettered yet, in placing order."""
        dpr = self._dpr
        if self._lettering or dpr is None:
            return
        jobs: list[_Job] = []
        for spec in self._specs():
            key = (spec.label_id, dpr, 0.0)
            if key in self._pixmaps or key in self._sent:
                continue
            self._sent.add(key)
            style = STYLES[self._labels[spec.label_id].kind]
            text = self._texts[spec.label_id]
            jobs.append((key, text, style, QColor(self._paper), label_colour(style), dpr))
            if len(jobs) == NAMES_PER_JOB:
                break
        if not jobs:
            return
        self._lettering = True
        # Below the tiles: a tile the view waits for goes before names it may not need yet.
        # Below the tiles' priority: the map comes first.
        work.submit(partial(_letter_names, self._generation, jobs), self._lettered, priority=-1)

    def _lettered(self, result: tuple[int, list[tuple[_Key, QImage]]]) -> None:
        generation, done = result
        if generation != self._generation:
            return
        self._lettering = False
        for key, image in done:
            if key not in self._pixmaps:
                self._pixmaps.put(key, QPixmap.fromImage(image))
        self._letter_ahead()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        world = painter.worldTransform()
        scale = world.m11()
        device = painter.device()
        if scale <= 0 or device is None or self._rect.isEmpty():
            return
        # The whole-map scale of the view drawing us: the map fitted into its viewport.
        size = widget.size() if widget is not None else None
        if size is None or size.isEmpty():
            return
        fit = min(size.width() / self._rect.width(), size.height() / self._rect.height())
        exposed = option.exposedRect
        dpr = device.devicePixelRatioF()
        painter.save()
        painter.setTransform(QTransform())  # device pixels: every name is a plain copy
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        for placed in self.visible(fit, scale / fit):
            left, top, right, bottom = placed.scene_bounds()
            if not exposed.intersects(QRectF(left, top, right - left, bottom - top)):
                continue
            angle = round(placed.angle_deg, 1)
            if angle:
                pixmap = self._rotated(placed.label_id, dpr, angle)
            else:
                pixmap = self._pixmap(placed.label_id, dpr)
            centre = world.map(QPointF(placed.x, placed.y))
            w, h = pixmap.width() / dpr, pixmap.height() / dpr
            # Whole pixels keep the lettering crisp.
            painter.drawPixmap(
                QPointF(round(centre.x() - w / 2), round(centre.y() - h / 2)), pixmap
            )
        painter.restore()
        if self._dpr != dpr:
            self._dpr = dpr
            self._lettering = False
        self._letter_ahead()


class MarkerObstacles:
    """Obstacles for the label layer: the markers and clusters `items` gives, those shown now.

    A marker's glyph may sit off its anchor (`glyph_centre`, when markers fan out); a cluster is
    as big as its picture's smaller side. `key()` is cheap and changes whenever the set of shown
    items does (a cluster opened, markers regrouped), so the boxes are only rebuilt then. Where
    the same obstacles are known as numbers already (`known`: the map's marker layer works them
    out with each level's layout, ahead), they are taken from there instead of from each item.
    """

    def __init__(
        self,
        items: Callable[[], Sequence[QGraphicsItem]],
        generation: Callable[[], object] | None = None,
        known: Callable[[], Sequence[Obstacle]] | None = None,
    ) -> None:
        self._items = items
        self._generation = generation
        self._known = known

    def key(self) -> object:
        # With thousands of markers, asking each whether it is shown on every paint is the
        # frame's largest cost: a counter the map view bumps when they change says it as well.
        if self._generation is not None:
            return self._generation()
        return tuple(id(item) for item in self._items() if item.isVisible())

    def __call__(self) -> list[Obstacle]:
        if self._known is not None:
            return list(self._known())
        result = []
        for item in self._items():
            if not item.isVisible():
                continue
            centre = getattr(item, "glyph_centre", None)
            if isinstance(centre, QPointF):
                half = theme.MARKER_SIZE / 2
            else:
                rect = item.boundingRect()
                centre, half = rect.center(), min(rect.width(), rect.height()) / 2
            pos = item.pos()
            result.append(
                Obstacle(round(pos.x(), 3), round(pos.y(), 3), centre.x(), centre.y(), half)
            )
        return result


def marker_obstacles(
    items: Callable[[], Sequence[QGraphicsItem]],
    generation: Callable[[], object] | None = None,
    known: Callable[[], Sequence[Obstacle]] | None = None,
) -> MarkerObstacles:
    """The obstacles of the markers and clusters that `items` gives (see `MarkerObstacles`);
    `generation`, if given, changes whenever the items shown or their places do; `known`, if
    given, gives the same obstacles as numbers."""
    return MarkerObstacles(items, generation, known)
