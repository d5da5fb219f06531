"""Event markers: a coloured shape per category with the day of the month, big enough for a finger.

Markers ignore the view's transformation, so they keep their size on screen at every zoom. Their
glyphs are drawn once into cached pixmaps (antialiased shapes redrawn every frame are what makes
maps slow). Off-map events sit on the map's edge with an arrow towards the place and its distance.
Markers too close to tell apart at the current zoom are shown as one cluster marker with their
count, ringed in their categories' colours.

Every marker's touch target is a circle `hit_size` px across (the map view sets it from the real
screen: 15 mm, never under 48 px), whatever the size of the glyph.
"""

from __future__ import annotations

import itertools
import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from kiosk.ui.journey import theme
from kiosk.ui.qt.picture_cache import PictureCache

# Drawn marker and cluster pictures, bounded by bytes (docs/performance.md, "Memory"): a glyph is
# ~9 KB at a device pixel ratio of 1, a cluster disc 16 KB. Petrograd needs a few dozen. With
# 10,000 events a 1080p view shows up to ~300 clusters, and the work ahead draws those a pinch
# shows first one level in and one level out (up to ~400 and ~200 more): 16 MB keeps all three
# (at 12 MB, pictures drawn ahead pushed out those on screen, redrawn at the next pinch).
GLYPH_BUDGET = 2 * 2**20
CLUSTER_BUDGET = 16 * 2**20
_glyph_cache: PictureCache[tuple[str, str, str, float, bool], QPixmap] = PictureCache(GLYPH_BUDGET)

_OUTLINE = QColor("#1b1b1b")
_PRESSED_SHADE = QColor(0, 0, 0, 90)  # a finger on a marker darkens it
LABEL_SIDES = ("away", "toward", "left", "right")  # where a label may go, in order of preference
CLUSTER_SIZE = 64  # a little larger than a single marker: it stands for several
DIMMED_OPACITY = 0.3
# Bumped whenever any marker's opacity changes: clusters keep their members' highest opacity
# until it moves, rather than asking every member on every frame (or connecting to each one).
_opacity_generation = 0
# How many markers are less than opaque now: while none are, every cluster is opaque without
# asking its members (a cluster first painted asked each of its members, at every new level).
_faded = 0


def centred_canvas(size: float, dpr: float) -> tuple[QPixmap, QPainter]:
    """A transparent square picture `size` logical px wide at device pixel ratio `dpr`, and an
    antialiased painter on it with its origin at the centre (end the painter when done)."""
    pixmap = QPixmap(round(size * dpr), round(size * dpr))
    pixmap.setDevicePixelRatio(dpr)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(size / 2, size / 2)
    return pixmap, painter


def _shape_path(shape: str, size: float) -> QPainterPath:
    """The outline of a category shape of about `size` px, centred on the origin."""
    r = size / 2
    path = QPainterPath()
    if shape == "square":
        s = r * 0.86
        path.addRoundedRect(QRectF(-s, -s, 2 * s, 2 * s), 3, 3)
    elif shape == "diamond":
        path.addPolygon(QPolygonF([QPointF(0, -r), QPointF(r, 0), QPointF(0, r), QPointF(-r, 0)]))
        path.closeSubpath()
    elif shape == "triangle":
        h = r * 1.05
        path.addPolygon(
            QPolygonF([QPointF(0, -h), QPointF(h * 0.95, h * 0.7), QPointF(-h * 0.95, h * 0.7)])
        )
        path.closeSubpath()
    elif shape == "hexagon":
        points = [
            QPointF(r * math.cos(math.radians(a)), r * math.sin(math.radians(a)))
            for a in range(0, 360, 60)
        ]
        path.addPolygon(QPolygonF(points))
        path.closeSubpath()
    else:
        path.addEllipse(QPointF(0, 0), r * 0.9, r * 0.9)
    return path


def glyph_text_colours(fill: QColor, high_contrast: bool) -> tuple[QColor, QColor | None]:
    """The number's colour on a glyph of `fill`, and the halo drawn round it (or None).

    The fill is the bundle's category colour, so it cannot promise 7:1 behind the number; in
    high contrast the number gets a halo of the opposite colour, and is read against that.
    """
    text = _text_colour(fill)
    if not high_contrast:
        return text, None
    return text, QColor("#ffffff") if text == QColor("#000000") else QColor("#000000")


def _text_colour(fill: QColor) -> QColor:
    # WCAG relative luminance decides between black and white text on the glyph.
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    lum = (
        0.2126 * channel(fill.redF())
        + 0.7152 * channel(fill.greenF())
        + 0.0722 * channel(fill.blueF())
    )
    return QColor("#000000") if lum > 0.179 else QColor("#ffffff")


def glyph(colour: str, shape: str, text: str, dpr: float) -> QPixmap:
    """The cached picture of a marker glyph at device pixel ratio `dpr`."""
    high_contrast = theme.appearance().high_contrast
    key = (colour, shape, text, dpr, high_contrast)
    cached = _glyph_cache.get(key)
    if cached is not None:
        return cached
    size = theme.MARKER_SIZE
    pixmap, painter = centred_canvas(size, dpr)
    fill = QColor(colour)
    path = _shape_path(shape, size - 8)
    painter.setPen(QPen(QColor("#ffffff"), 5))  # a light halo keeps the glyph clear of the map
    painter.drawPath(path)
    painter.setPen(QPen(_OUTLINE, 2))
    painter.setBrush(fill)
    painter.drawPath(path)
    text_colour, halo = glyph_text_colours(fill, high_contrast)
    top = -size / 2 + (3 if shape == "triangle" else 0)
    # One line (the day), or two (the day over its month's short name, where the exhibit is
    # long enough for a day number alone to be ambiguous).
    lines = text.split("\n") if text else []
    if len(lines) == 2:
        day, month = lines
        parts = [
            (day, theme.font(theme.SANS, 17, bold=True), QRectF(-size / 2, top - 7, size, size)),
            (month, theme.font(theme.SANS, 11, bold=True), QRectF(-size / 2, top + 11, size, size)),
        ]
    else:
        parts = [(text, theme.font(theme.SANS, 18, bold=True), QRectF(-size / 2, top, size, size))]
    for line, font, text_rect in parts:
        if halo is not None and line:
            metrics = QFontMetricsF(font)
            bounds = metrics.tightBoundingRect(line)
            origin = text_rect.center() - bounds.center()
            outline = QPainterPath()
            outline.addText(origin, font, line)
            painter.strokePath(
                outline,
                QPen(
                    halo,
                    4,
                    Qt.PenStyle.SolidLine,
                    Qt.PenCapStyle.RoundCap,
                    Qt.PenJoinStyle.RoundJoin,
                ),
            )
            painter.fillPath(outline, text_colour)
        else:
            painter.setPen(text_colour)
            painter.setFont(font)
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, line)
    painter.end()
    return _glyph_cache.put(key, pixmap)


class ClusterOf:
    """Which cluster shows each clustered event now, for all markers at once: the map's marker
    layer swaps `by_event` whole when another level is shown (setting an attribute on each of
    thousands of markers at every change of level took milliseconds)."""

    __slots__ = ("by_event",)

    def __init__(self) -> None:
        self.by_event: dict[str, ClusterItem] = {}


class MarkerItem(QGraphicsItem):
    """One event's marker at its place (or on the map's edge for a place off the map).

    A plain graphics item, not a QObject (nor is a cluster): it needs no signals, and making
    ten thousand QGraphicsObjects took a second of start-up.
    """

    def __init__(
        self,
        event_id: str,
        colour: str,
        shape: str,
        text: str,
        anchor: QPointF,
        bearing_deg: float | None = None,
        clusters: ClusterOf | None = None,
    ) -> None:
        super().__init__()
        self.event_id = event_id
        self._colour = colour
        self._shape = shape
        self._text = text
        self._bearing = bearing_deg
        self._offset = QPointF(0, 0)
        self._selected = False
        self._pressed = False
        self._hit_size = float(max(theme.TOUCH_MIN, theme.MARKER_SIZE))
        self._label = ""
        self._label_shown = True
        self._label_side = LABEL_SIDES[0]
        self._label_shift = 0.0  # px along the edge, keeping a label above or below on screen
        self._label_box = QRectF()
        self.stacking = 0  # the map view's count of items added so far when this one was
        self.rank = 0  # its place among the markers (the order they go into the scene in)
        # Which cluster shows this marker (the map view's marker layer keeps it).
        self._clusters = clusters if clusters is not None else ClusterOf()
        self._base_z = 10.0  # its z when not chosen (fanned-out markers sit above the others)
        self._bounds = QRectF()
        self._bounds_stale = True
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setPos(anchor)
        self.setZValue(10)

    @property
    def off_map(self) -> bool:
        return self._bearing is not None

    @property
    def cluster(self) -> ClusterItem | None:
        """The cluster showing this marker at the level shown now, if it is in one."""
        return self._clusters.by_event.get(self.event_id)

    @property
    def glyph_centre(self) -> QPointF:
        """The glyph's centre relative to the anchor, in screen pixels."""
        return self._offset

    def set_offset(self, dx: float, dy: float) -> None:
        self._geometry_changed()
        self._offset = QPointF(dx, dy)
        self._label_box = self._label_rect()

    @property
    def text(self) -> str:
        """What the glyph says: the day of the month, and the month below it if need be."""
        return self._text

    def set_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.update()

    def set_label(self, text: str) -> None:
        self._geometry_changed()
        self._label = text
        self._label_box = self._label_rect()

    def set_selected(self, selected: bool) -> None:
        self._selected = selected
        self.setZValue(20 if selected else self._base_z)
        self.update()

    def set_base_z(self, z: float) -> None:
        """The marker's z when it is not the chosen one (which is drawn above all others)."""
        self._base_z = z
        if not self._selected and self.zValue() != z:
            self.setZValue(z)

    @property
    def selected(self) -> bool:
        return self._selected

    def set_pressed(self, pressed: bool) -> None:
        """A finger is on the marker: it darkens at once, before the finger lifts."""
        self._pressed = pressed
        self.update()

    @property
    def pressed(self) -> bool:
        return self._pressed

    def set_hit_size(self, pixels: float) -> None:
        """The diameter of the touch target in logical px."""
        self._geometry_changed()
        self._hit_size = pixels

    @property
    def dimmed(self) -> bool:
        return self.opacity() < 1.0

    def set_dimmed(self, dimmed: bool) -> None:
        """Fade the marker back (the timeline shows another day); it stays tappable."""
        self.setOpacity(DIMMED_OPACITY if dimmed else 1.0)

    def setOpacity(self, opacity: float) -> None:
        global _opacity_generation, _faded
        before = self.opacity()
        if opacity != before:
            super().setOpacity(opacity)
            _opacity_generation += 1
            _faded += (opacity < 1.0) - (before < 1.0)
            cluster = self.cluster
            if cluster is not None and cluster.scene() is not None:
                cluster.update()

    def _hit_radius(self) -> float:
        return max(self._hit_size, theme.MARKER_SIZE) / 2

    @property
    def label(self) -> str:
        return self._label

    def label_rect(self) -> QRectF:
        """The label's box relative to the anchor, in screen px (empty if there is no label)."""
        return QRectF(self._label_box)

    def set_label_shown(self, shown: bool) -> None:
        """Hide the label where it would collide with another (the map view decides)."""
        if shown != self._label_shown:
            self._geometry_changed()
            self._label_shown = shown
            self.update()

    @property
    def label_shown(self) -> bool:
        return bool(self._label) and self._label_shown

    def set_label_side(self, side: str, shift: float = 0.0) -> None:
        """Put the label on one of `LABEL_SIDES` (the map view picks one that collides least),
        moved `shift` px sideways if it is above or below (see `label_rect_on`)."""
        if side != self._label_side or shift != self._label_shift:
            self._geometry_changed()
            self._label_side = side
            self._label_shift = shift
            self._label_box = self._label_rect()
            self.update()

    @property
    def label_side(self) -> str:
        return self._label_side

    def label_rect_on(self, side: str, shift: float = 0.0) -> QRectF:
        """Where the label would be on `side`, relative to the anchor, in screen px; a label
        above or below is moved `shift` px sideways (it stays over the marker's glyph)."""
        return self._label_rect(side, shift)

    def label_shift_within(self, box: QRectF, left: float, right: float) -> float:
        """How far to move `box` (a label above or below, in screen px) sideways so that it lies
        between `left` and `right`, as far as it can while it still covers its marker."""
        shift = max(0.0, left - box.left()) - max(0.0, box.right() - right)
        reach = max(0.0, box.width() / 2 - theme.MARKER_SIZE / 2)
        return max(-reach, min(reach, shift))

    def _label_rect(self, side: str | None = None, shift: float | None = None) -> QRectF:
        if not self._label:
            return QRectF()
        side = side or self._label_side
        shift = self._label_shift if shift is None else shift
        metrics = QFontMetricsF(theme.font(theme.SANS, 16, bold=True))
        width = metrics.horizontalAdvance(self._label) + 16
        height = metrics.height() + 6
        gap = theme.MARKER_SIZE / 2 + 2
        x, y = self._offset.x(), self._offset.y()
        if side in ("left", "right"):
            left = x - gap - width if side == "left" else x + gap
            return QRectF(left, y - height / 2, width, height)
        # By default the label goes on the side away from the arrow, towards the map's middle.
        pointing_down = self._bearing is not None and 90 < self._bearing < 270
        above = pointing_down if side == "away" else not pointing_down
        top = y - gap - height if above else y + gap
        return QRectF(x - width / 2 + shift, top, width, height)

    def _box(self) -> QRectF:
        reach = max(theme.MARKER_SIZE / 2 + 16, self._hit_radius())  # ring, arrow, target
        rect = QRectF(self._offset.x() - reach, self._offset.y() - reach, 2 * reach, 2 * reach)
        rect = rect.united(QRectF(-2, -2, 4, 4))
        return rect.united(self._label_box) if self.label_shown else rect

    def _geometry_changed(self) -> None:
        """Before the offset, target or label changes its bounds (which Qt asks for several
        times per paint, so they are worked out here, once)."""
        self.prepareGeometryChange()
        self._bounds_stale = True

    def boundingRect(self) -> QRectF:
        if self._bounds_stale:
            self._bounds = self._box()
            self._bounds_stale = False
        return self._bounds  # not a copy (as a cluster's): Qt takes its own, no caller changes it

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        # Winding, not the default odd-even: where the label overlaps the target circle is on
        # the marker too, not a hole in it.
        path.setFillRule(Qt.FillRule.WindingFill)
        path.addEllipse(self._offset, self._hit_radius(), self._hit_radius())
        if self.label_shown:
            path.addRect(self._label_box)
        return path

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self._offset.isNull():
            painter.setPen(QPen(_OUTLINE, 1.5))
            painter.drawLine(QPointF(0, 0), self._offset)
            painter.setBrush(_OUTLINE)
            painter.drawEllipse(QPointF(0, 0), 3, 3)
        if self._bearing is not None:
            self._paint_arrow(painter)
        if self._selected:
            painter.setPen(QPen(theme.ACCENT, 5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(self._offset, theme.MARKER_SIZE / 2 + 7, theme.MARKER_SIZE / 2 + 7)
        dpr = painter.device().devicePixelRatioF() if painter.device() else 1.0
        pixmap = glyph(self._colour, self._shape, self._text, dpr)
        half = theme.MARKER_SIZE / 2
        painter.drawPixmap(QPointF(self._offset.x() - half, self._offset.y() - half), pixmap)
        if self._pressed:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_PRESSED_SHADE)
            painter.drawEllipse(self._offset, half, half)
        if self.label_shown:
            self._paint_label(painter)

    def _paint_arrow(self, painter: QPainter) -> None:
        assert self._bearing is not None
        painter.save()
        painter.translate(self._offset)
        painter.rotate(self._bearing)  # 0 = north = up the screen
        tip = -(theme.MARKER_SIZE / 2 + 14)
        arrow = QPolygonF([QPointF(0, tip), QPointF(9, tip + 14), QPointF(-9, tip + 14)])
        painter.setPen(QPen(QColor("#ffffff"), 2))
        painter.setBrush(_OUTLINE)
        painter.drawPolygon(arrow)
        painter.restore()

    def _paint_label(self, painter: QPainter) -> None:
        rect = self._label_box
        note = theme.palette().map_note
        painter.setPen(QPen(_OUTLINE, 1))
        painter.setBrush(QColor(note.background.rgb()))  # opaque: it sits on the map's lines
        painter.drawRoundedRect(rect, 6, 6)
        painter.setPen(note.text["text"])
        painter.setFont(theme.font(theme.SANS, 16, bold=True))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self._label)


class ClusterKey:
    """What a cluster's picture shows, hashed once: the colours of thousands of members would
    otherwise be hashed again on every paint."""

    __slots__ = ("_hash", "colours", "count", "dpr")

    def __init__(self, colours: tuple[str, ...], count: int, dpr: float) -> None:
        self.colours, self.count, self.dpr = colours, count, dpr
        self._hash = hash((colours, count, dpr))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ClusterKey)
            and self._hash == other._hash
            and (self.colours, self.count, self.dpr) == (other.colours, other.count, other.dpr)
        )


_cluster_cache: PictureCache[ClusterKey, QPixmap] = PictureCache(CLUSTER_BUDGET)


def clear_glyph_caches() -> None:
    """Forget every marker and cluster picture drawn so far (they are drawn again when shown)."""
    _glyph_cache.clear()
    _cluster_cache.clear()
    _cluster_halos.clear()


def cluster_pictures_kept(dpr: float) -> int:
    """How many cluster pictures at device pixel ratio `dpr` the picture cache keeps."""
    return CLUSTER_BUDGET // (round(CLUSTER_SIZE * dpr) ** 2 * 4)


def cluster_glyph(colours: tuple[str, ...], count: int, dpr: float) -> QPixmap:
    """A dark disc with the count, ringed by one arc per member in its category's colour."""
    return cluster_picture(ClusterKey(colours, count, dpr))


def _cluster_halo(dpr: float) -> QPixmap:
    """The white ring every cluster picture starts from (at device pixel ratio `dpr`)."""
    halo = _cluster_halos.get(dpr)
    if halo is None:
        halo, painter = centred_canvas(CLUSTER_SIZE, dpr)
        painter.setPen(QPen(QColor("#ffffff"), 12))  # as on single markers
        painter.drawEllipse(_cluster_ring())
        painter.end()
        _cluster_halos[dpr] = halo
    return halo


def _cluster_ring() -> QRectF:
    size = CLUSTER_SIZE
    return QRectF(-size / 2 + 6, -size / 2 + 6, size - 12, size - 12)


def _arc_pen(colour: str) -> QPen:
    pen = _arc_pens.get(colour)
    if pen is None:
        pen = _arc_pens[colour] = QPen(
            QColor(colour), 8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap
        )
    return pen


# What every cluster picture shares, made once: its halo (a copy of which it starts from: the
# same pixels as drawing it), the pens of the categories' arcs. Hundreds of pictures are drawn
# when a pinch reaches a level first.
_cluster_halos: dict[float, QPixmap] = {}
_arc_pens: dict[str, QPen] = {}


def cluster_picture(key: ClusterKey) -> QPixmap:
    """The picture `key` describes, from the cache or drawn now."""
    cached = _cluster_cache.get(key)
    if cached is not None:
        return cached
    colours, count, dpr = key.colours, key.count, key.dpr
    size = CLUSTER_SIZE
    pixmap = _cluster_halo(dpr).copy()
    pixmap.setDevicePixelRatio(dpr)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(size / 2, size / 2)
    ring = _cluster_ring()
    span = 360 * 16 / max(1, len(colours))
    # One arc per run of a colour (members come sorted by category): the same picture as an arc
    # per member, without drawing hundreds of arcs for a cluster of hundreds.
    start = 0
    for colour, run in itertools.groupby(colours):
        count_in_run = sum(1 for _ in run)
        painter.setPen(_arc_pen(colour))
        painter.drawArc(
            ring,
            round(90 * 16 - start * span),
            round(90 * 16 - (start + count_in_run) * span) - round(90 * 16 - start * span),
        )
        start += count_in_run
    painter.setPen(QPen(_OUTLINE, 2))
    painter.setBrush(_OUTLINE)
    inner = size / 2 - 12
    painter.drawEllipse(QPointF(0, 0), inner, inner)
    painter.setPen(QColor("#ffffff"))
    painter.setFont(theme.font(theme.SANS, 22, bold=True))
    painter.drawText(
        QRectF(-inner, -inner, 2 * inner, 2 * inner), Qt.AlignmentFlag.AlignCenter, str(count)
    )
    painter.end()
    return _cluster_cache.put(key, pixmap)


class ClusterItem(QGraphicsItem):
    """Several events too close to tell apart at this zoom; a tap zooms in or fans them out."""

    def __init__(
        self, markers: list[MarkerItem], colours: tuple[str, ...], anchor: QPointF
    ) -> None:
        super().__init__()
        self.members = [m.event_id for m in markers]
        self._markers = markers
        self._opacity = (-1, 1.0)  # (_opacity_generation, shown_opacity) when last worked out
        self.stacking = 0
        self.rank = 0  # the order it goes into the scene in, among items added together
        self._colours = colours
        self._keys: dict[float, ClusterKey] = {}  # its picture's, by device pixel ratio
        self._selected = False
        self._pressed = False
        self._hit_size = float(max(theme.TOUCH_MIN, CLUSTER_SIZE))
        self._bounds = self._box()  # Qt asks for it several times per paint: worked out once
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setPos(anchor)
        self.setZValue(15)

    @property
    def markers(self) -> list[MarkerItem]:
        """The members' markers, in the order of `members`."""
        return self._markers

    def glyph(self, dpr: float) -> QPixmap:
        """The cluster's picture, from the bounded cache (the item keeps only its key: its
        colours, hashed once, since hashing those of thousands of members on every paint costs
        more than drawing)."""
        key = self._keys.get(dpr)
        if key is None:
            key = self._keys[dpr] = ClusterKey(self._colours, len(self.members), dpr)
        return cluster_picture(key)

    @property
    def shown_opacity(self) -> float:
        """As opaque as the most visible member.

        A cluster fades with its members (a timeline that dims other days dims their markers).
        """
        if not _faded:
            return 1.0
        generation, opacity = self._opacity
        if generation != _opacity_generation:
            opacity = max(m.opacity() for m in self._markers)
            self._opacity = (_opacity_generation, opacity)
        return opacity

    @property
    def selected(self) -> bool:
        """True when the chosen event is one of this cluster's."""
        return self._selected

    @property
    def pressed(self) -> bool:
        return self._pressed

    def set_selected(self, selected: bool) -> None:
        self._selected = selected
        self.setZValue(20 if selected else 15)
        self.update()

    def set_pressed(self, pressed: bool) -> None:
        self._pressed = pressed
        self.update()

    def set_hit_size(self, pixels: float) -> None:
        self.prepareGeometryChange()
        self._hit_size = pixels
        self._bounds = self._box()

    def _hit_radius(self) -> float:
        return max(self._hit_size, CLUSTER_SIZE) / 2

    def _box(self) -> QRectF:
        reach = max(CLUSTER_SIZE / 2 + 10, self._hit_radius())
        return QRectF(-reach, -reach, 2 * reach, 2 * reach)

    def boundingRect(self) -> QRectF:
        # Not a copy: Qt asks several times per item and paint (hundreds of clusters a frame),
        # takes its own copy, and no caller changes it.
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), self._hit_radius(), self._hit_radius())
        return path

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        # Hundreds are painted in a frame: only the calls each needs (the view's painter comes
        # antialiased and opaque; a cluster has no opacity of its own).
        opacity = self.shown_opacity
        if opacity != 1.0:
            painter.setOpacity(opacity)
        half = CLUSTER_SIZE / 2
        if self._selected:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(theme.ACCENT, 5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), half + 6, half + 6)
        device = painter.device()
        dpr = device.devicePixelRatioF() if device is not None else 1.0
        painter.drawPixmap(QPointF(-half, -half), self.glyph(dpr))
        if self._pressed:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_PRESSED_SHADE)
            painter.drawEllipse(QPointF(0, 0), half - 4, half - 4)
