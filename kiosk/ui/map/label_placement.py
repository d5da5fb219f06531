"""Where map labels go at each rung of a ladder of zooms, so that no two of them ever touch.

Pure geometry, no Qt: labels come in as points or lines in scene units with their text's size in
screen pixels; out come, for each rung of a ladder of zooms, the labels that fit and where, found
once per rung by a greedy pass in priority order. A label placed at one rung is offered first at
the next, so labels stay put as a visitor zooms in and new ones fill the room that opens up.
(The ladder is the labels' own: the markers' clustering levels and the tiles' scales are others.)
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

RUNG_STEP = 1.2  # each rung of the ladder is this much closer than the one before
PADDING_PX = 5.0  # the least gap between two labels
LINE_FRACTIONS = (0.5, 0.35, 0.65, 0.2, 0.8)  # where along a line a name is tried, in turn

Point = tuple[float, float]


@dataclass(frozen=True)
class LabelSpec:
    """A label to place: its scene points (one, or a line), its text's size in pixels."""

    label_id: str
    points: tuple[Point, ...]
    width_px: float
    height_px: float
    min_zoom: float = 1.0
    # For a point label naming an area (a district, an island): other spots to try, as offsets
    # in pixels, when the point itself is taken.
    shifts: tuple[Point, ...] = ()


@dataclass(frozen=True, slots=True)  # thousands a level with thousands of markers
class Obstacle:
    """Something labels must keep clear of that keeps its size on screen, such as a marker: a
    scene point, an offset from it in pixels, and a half-size in pixels."""

    x: float
    y: float
    dx_px: float
    dy_px: float
    half_px: float


@dataclass(frozen=True)
class Placement:
    """A placed label: its centre in scene units, its angle, and its box in scene units at the
    scale it was placed for (larger than on screen at any closer zoom, so safe for culling)."""

    label_id: str
    x: float
    y: float
    angle_deg: float
    half_w_scene: float
    half_h_scene: float

    def scene_bounds(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the rotated box, in scene units."""
        c, s = (
            abs(math.cos(math.radians(self.angle_deg))),
            abs(math.sin(math.radians(self.angle_deg))),
        )
        hw = self.half_w_scene * c + self.half_h_scene * s
        hh = self.half_w_scene * s + self.half_h_scene * c
        return (self.x - hw, self.y - hh, self.x + hw, self.y + hh)


def zoom_ladder(max_zoom: float) -> list[float]:
    """The ladder of zooms from the whole map (1) to `max_zoom`."""
    ladder = [1.0]
    while ladder[-1] * RUNG_STEP < max_zoom - 1e-9:
        ladder.append(ladder[-1] * RUNG_STEP)
    if max_zoom > ladder[-1] + 1e-9:
        ladder.append(max_zoom)
    return ladder


def _corners(cx: float, cy: float, angle: float, hw: float, hh: float) -> list[Point]:
    c, s = math.cos(angle), math.sin(angle)
    return [
        (cx + dx * c - dy * s, cy + dx * s + dy * c)
        for dx, dy in ((-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh))
    ]


def _overlap(a: list[Point], b: list[Point]) -> bool:
    """True if two convex quadrilaterals overlap (separating axis test)."""
    for poly in (a, b):
        for i in range(4):
            x1, y1 = poly[i]
            x2, y2 = poly[(i + 1) % 4]
            nx, ny = y1 - y2, x2 - x1
            pa = [nx * x + ny * y for x, y in a]
            pb = [nx * x + ny * y for x, y in b]
            if max(pa) < min(pb) or max(pb) < min(pa):
                return False
    return True


TAKEN_CELL_PX = 128.0


def _upright(box: list[Point]) -> bool:
    """True if a box's edges run along the axes (as `_corners` makes them at angle 0)."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = box
    return y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0


def _bounds(box: list[Point]) -> tuple[float, float, float, float]:
    xs, ys = [x for x, _ in box], [y for _, y in box]
    return min(xs), min(ys), max(xs), max(ys)


class _Taken:
    """The boxes placed so far (and the obstacles), in a grid of their bounding boxes, so a new
    box is tested only against those near it: with thousands of markers as obstacles, testing
    every pair was most of a rung's cost."""

    def __init__(self) -> None:
        self._boxes: list[tuple[list[Point], tuple[float, float, float, float]]] = []
        self._cells: dict[tuple[int, int], list[int]] = {}

    def _keys(self, bounds: tuple[float, float, float, float]) -> Iterator[tuple[int, int]]:
        left, top, right, bottom = (math.floor(v / TAKEN_CELL_PX) for v in bounds)
        for cx in range(left, right + 1):
            for cy in range(top, bottom + 1):
                yield cx, cy

    def add(self, box: list[Point]) -> None:
        bounds = _bounds(box)
        index = len(self._boxes)
        self._boxes.append((box, bounds))
        for key in self._keys(bounds):
            self._cells.setdefault(key, []).append(index)

    def add_square(self, cx: float, cy: float, half: float) -> None:
        """`add` of an upright square (an obstacle): the same box and bounds as
        `add(_corners(cx, cy, 0.0, half, half))`, without the trigonometry (thousands of
        markers are obstacles)."""
        left, top, right, bottom = cx - half, cy - half, cx + half, cy + half
        index = len(self._boxes)
        box = [(left, top), (right, top), (right, bottom), (left, bottom)]
        self._boxes.append((box, (left, top, right, bottom)))
        cells = self._cells
        x0, x1 = math.floor(left / TAKEN_CELL_PX), math.floor(right / TAKEN_CELL_PX)
        y0, y1 = math.floor(top / TAKEN_CELL_PX), math.floor(bottom / TAKEN_CELL_PX)
        for gx in range(x0, x1 + 1):
            for gy in range(y0, y1 + 1):
                found = cells.get((gx, gy))
                if found is None:
                    cells[(gx, gy)] = [index]
                else:
                    found.append(index)

    def hits(self, box: list[Point]) -> bool:
        bounds = _bounds(box)
        upright = _upright(box)
        seen: set[int] = set()
        for key in self._keys(bounds):
            for index in self._cells.get(key, ()):
                if index in seen:
                    continue
                seen.add(index)
                other, (left, top, right, bottom) = self._boxes[index]
                if right < bounds[0] or bounds[2] < left or bottom < bounds[1] or bounds[3] < top:
                    continue  # bounding boxes apart (touching still counts, as in _overlap)
                # Two upright boxes are their bounding boxes: these overlap (_overlap's answer,
                # without its arithmetic, for the thousands of marker obstacles and flat names).
                if (upright and _upright(other)) or _overlap(box, other):
                    return True
        return False


def _along(points: Sequence[Point], lengths: Sequence[float], at: float) -> Point:
    """The point at distance `at` along a polyline whose cumulative lengths are `lengths`."""
    i = max(0, min(bisect.bisect_right(lengths, at) - 1, len(points) - 2))
    seg = lengths[i + 1] - lengths[i]
    t = 0.0 if seg <= 0 else (at - lengths[i]) / seg
    (x1, y1), (x2, y2) = points[i], points[i + 1]
    return (x1 + (x2 - x1) * t, y1 + (y2 - y1) * t)


def _line_candidates(
    points: Sequence[Point], width: float, height: float
) -> list[tuple[float, float, float]]:
    """Centres and angles (radians) where a name of `width` x `height` px fits along a line
    given in pixels: straight enough under the text, upright, inside the line's length."""
    lengths = [0.0]
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        lengths.append(lengths[-1] + math.hypot(x2 - x1, y2 - y1))
    total = lengths[-1]
    if total < width + 2 * PADDING_PX:
        return []
    found = []
    for fraction in LINE_FRACTIONS:
        centre = min(max(total * fraction, width / 2), total - width / 2)
        start, end = (
            _along(points, lengths, centre - width / 2),
            _along(points, lengths, centre + width / 2),
        )
        angle = math.atan2(end[1] - start[1], end[0] - start[0])
        if angle > math.pi / 2 or angle < -math.pi / 2:  # never upside down
            angle -= math.copysign(math.pi, angle)
        # The line under the text may bend only a little away from the text's baseline.
        cx, cy = _along(points, lengths, centre)
        nx, ny = -math.sin(angle), math.cos(angle)
        bend = max(
            abs((px - cx) * nx + (py - cy) * ny)
            for px, py in (
                _along(points, lengths, centre - width / 2 + width * k / 8) for k in range(9)
            )
        )
        if bend <= height * 0.6:
            found.append((cx, cy, angle))
    return found


def place_at_zoom(
    specs: Sequence[LabelSpec],
    scale: float,
    zoom: float,
    first: Sequence[str] = (),
    obstacles: Sequence[Obstacle] = (),
) -> list[Placement]:
    """The labels that fit at `zoom` (scene units times `scale` = pixels), greedily: the ids in
    `first` (placed at the rung before) are tried first, then `specs` in their order. No label
    touches another or an obstacle."""
    by_id = {spec.label_id: spec for spec in specs}
    order = [by_id[i] for i in first if i in by_id]
    seen = {spec.label_id for spec in order}
    order += [spec for spec in specs if spec.label_id not in seen]
    taken = _Taken()
    for o in obstacles:
        taken.add_square(o.x * scale + o.dx_px, o.y * scale + o.dy_px, o.half_px)
    placed: list[Placement] = []
    for spec in order:
        if spec.min_zoom > zoom + 1e-9:
            continue
        hw, hh = spec.width_px / 2 + PADDING_PX / 2, spec.height_px / 2 + PADDING_PX / 2
        pixels = [(x * scale, y * scale) for x, y in spec.points]
        if len(pixels) == 1:
            x, y = pixels[0]
            candidates = [(x + dx, y + dy, 0.0) for dx, dy in ((0.0, 0.0), *spec.shifts)]
        else:
            candidates = _line_candidates(pixels, spec.width_px, spec.height_px)
        for cx, cy, angle in candidates:
            box = _corners(cx, cy, angle, hw, hh)
            if taken.hits(box):
                continue
            taken.add(box)
            placed.append(
                Placement(
                    spec.label_id,
                    cx / scale,
                    cy / scale,
                    math.degrees(angle),
                    hw / scale,
                    hh / scale,
                )
            )
            break
    return placed


def place_all(
    specs: Sequence[LabelSpec],
    fit_scale: float,
    ladder: Sequence[float],
    obstacles: Sequence[Obstacle] = (),
) -> list[list[Placement]]:
    """Placements for every rung of `ladder`; `fit_scale` is the pixels per scene unit at zoom 1."""
    result: list[list[Placement]] = []
    previous: list[str] = []
    for zoom in ladder:
        placed = place_at_zoom(specs, fit_scale * zoom, zoom, previous, obstacles)
        previous = [p.label_id for p in placed]
        result.append(placed)
    return result


def rung_index(ladder: Sequence[float], zoom: float) -> int:
    """The index of the closest rung at or below `zoom` (the first rung below the ladder)."""
    return max(0, bisect.bisect_right(ladder, zoom + 1e-9) - 1)
