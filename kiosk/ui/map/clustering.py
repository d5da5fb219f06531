"""Which markers share one cluster at each zoom level, so that no two touch targets overlap.

Pure geometry, no Qt. Markers keep their size on screen at every zoom, so closeness is judged in
screen pixels at each level's scale. Levels are fixed steps of zoom (x1, x1.41, x2, ...) up to the
bundle's maximum, and each level's groups are computed once, when first needed, never per frame.
A group that survives to the last level (events at the very same place) cannot be split by
zooming; the map view fans it out instead.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Iterable, Iterator

Point = tuple[float, float]
ZOOM_STEP = math.sqrt(2)  # each level is this much closer than the one before


def zoom_steps(max_zoom: float) -> list[float]:
    """Steps of ZOOM_STEP from the whole map (1) up to `max_zoom`, the last exactly at it."""
    count = max(0, math.ceil(math.log(max(max_zoom, 1.0)) / math.log(ZOOM_STEP) - 1e-9))
    return [min(ZOOM_STEP**k, max_zoom) for k in range(count + 1)]


def _cell(x: float, y: float, size: float) -> tuple[int, int]:
    return math.floor(x / size), math.floor(y / size)


def _near(grid: dict[tuple[int, int], list[int]], x: float, y: float, size: float) -> Iterable[int]:
    cx, cy = _cell(x, y, size)
    for gx in (cx - 1, cx, cx + 1):
        for gy in (cy - 1, cy, cy + 1):
            yield from grid.get((gx, gy), ())


STEP_POINTS = 256  # points (or groups) handled between two pauses of `cluster_steps`


def cluster(
    points: list[Point], scale: float, min_px: float, kinds: list[int] | None = None
) -> list[list[int]]:
    """Groups of point indices such that group centres are at least `min_px` apart at `scale`.

    Points of different `kinds` (such as places on the map and places off it, drawn at its
    edge) never share a group, however close.

    Greedy in the given order (a group gathers the free points near its first one), then groups
    whose centres still come too close are merged, until none do. Each group lists its members in
    the given order; groups come in the order of their first member. A spatial grid keeps this
    close to linear in the number of points.
    """
    steps = cluster_steps(points, scale, min_px, kinds)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            result: list[list[int]] = done.value
            return result


def cluster_steps(  # noqa: C901 - the clustering's one loop, kept whole to be read as one
    points: list[Point], scale: float, min_px: float, kinds: list[int] | None = None
) -> Generator[None, None, list[list[int]]]:
    """`cluster`, pausing (yielding) every few hundred points, so that a caller with thousands
    of points can spread the work over turns of the event loop; returns the groups."""
    n = len(points)
    if n == 0:
        return []
    kind = kinds if kinds is not None else [0] * n
    screen = [(x * scale, y * scale) for x, y in points]
    grid: dict[tuple[int, int], list[int]] = {}
    for i, (x, y) in enumerate(screen):
        grid.setdefault(_cell(x, y, min_px), []).append(i)
    yield
    owner = [-1] * n
    groups: list[list[int]] = []
    for i, (x, y) in enumerate(screen):
        if i % STEP_POINTS == STEP_POINTS - 1:
            yield
        if owner[i] >= 0:
            continue
        members = [
            j
            for j in _near(grid, x, y, min_px)
            if owner[j] < 0 and kind[j] == kind[i] and math.dist(screen[j], (x, y)) < min_px
        ]
        for j in members:
            owner[j] = len(groups)
        groups.append(members)

    def centre(group: list[int]) -> Point:
        return (
            sum(screen[j][0] for j in group) / len(group),
            sum(screen[j][1] for j in group) / len(group),
        )

    # Merge groups whose centres are too close, until none are. A round works out afresh only
    # the centres of groups that grew (the same sums, so the same groups as recomputing all).
    centres = [centre(g) for g in groups]
    while True:
        yield
        centre_grid: dict[tuple[int, int], list[int]] = {}
        for k, (x, y) in enumerate(centres):
            centre_grid.setdefault(_cell(x, y, min_px), []).append(k)
        merged_into = list(range(len(groups)))
        merged = False
        for k, (x, y) in enumerate(centres):
            if k % STEP_POINTS == STEP_POINTS - 1:
                yield
            if merged_into[k] != k:
                continue
            for other in _near(centre_grid, x, y, min_px):
                if (
                    other > k
                    and merged_into[other] == other
                    and kind[groups[other][0]] == kind[groups[k][0]]
                    and math.dist(centres[other], (x, y)) < min_px
                ):
                    merged_into[other] = k
                    merged = True
        if not merged:
            break
        combined: dict[int, list[int]] = {}
        for k, group in enumerate(groups):
            combined.setdefault(merged_into[k], []).extend(group)
        grown = {target for k, target in enumerate(merged_into) if target != k}
        groups = list(combined.values())
        centres = [centre(g) if k in grown else centres[k] for k, g in combined.items()]
    result = [sorted(g) for g in groups]
    result.sort(key=lambda g: g[0])
    return result


class ClusterLevels:
    """The groups at each zoom level, for points in map units and a whole-city `min_scale`."""

    def __init__(
        self,
        points: list[Point],
        min_scale: float,
        max_zoom: float,
        min_px: float,
        kinds: list[int] | None = None,
    ):
        self.points = points
        self.kinds = kinds  # points of different kinds never share a group (see `cluster`)
        self.min_scale = min_scale
        self.min_px = min_px
        self.zooms = zoom_steps(max_zoom)
        self._groups: dict[int, list[list[int]]] = {}
        self._group_of: dict[int, list[int]] = {}
        self._pending: dict[int, Iterator[None]] = {}  # levels being worked out a step at a time

    @property
    def last(self) -> int:
        return len(self.zooms) - 1

    def level_for(self, zoom: float) -> int:
        """The deepest level whose zoom the view has reached."""
        level = 0
        for k, z in enumerate(self.zooms):
            if zoom >= z * (1 - 1e-6):
                level = k
        return level

    def has(self, level: int) -> bool:
        """True if the level's groups are already worked out."""
        return level in self._groups

    def groups(self, level: int) -> list[list[int]]:
        if level not in self._groups:
            for _ in self.prepare(level):
                pass
        return self._groups[level]

    def prepare(self, level: int) -> Iterator[None]:
        """The steps that work out a level's groups, a few hundred points each (nothing if they
        are known). Steps left unrun stay pending: the next `prepare` or `groups` goes on."""
        if level in self._groups:
            return iter(())
        pending = self._pending.get(level)
        if pending is None:
            pending = self._pending[level] = self._work_out(level)
        return pending

    def _work_out(self, level: int) -> Generator[None, None, None]:
        scale = self.min_scale * self.zooms[level]
        groups = yield from cluster_steps(self.points, scale, self.min_px, self.kinds)
        self._groups[level] = groups
        index = [0] * len(self.points)
        for k, group in enumerate(groups):
            for i in group:
                index[i] = k
        self._group_of[level] = index
        del self._pending[level]

    def group_of(self, level: int, index: int) -> list[int]:
        """The group that point `index` belongs to at `level`."""
        groups = self.groups(level)
        return groups[self._group_of[level][index]]

    def level_splitting(self, members: list[int], from_level: int) -> int | None:
        """The first level after `from_level` where these members no longer share one group."""
        for level in range(from_level + 1, len(self.zooms)):
            if len(self.group_of(level, members[0])) < len(members):
                return level
        return None

    def level_alone(self, index: int, from_level: int) -> int | None:
        """The first level from `from_level` on where point `index` has its own marker."""
        for level in range(from_level, len(self.zooms)):
            if len(self.group_of(level, index)) == 1:
                return level
        return None
