"""Where marker glyphs go so that none hides another: groups of close markers fan out in a ring.

Pure geometry, no Qt. Markers keep their size on screen at every zoom, so closeness is judged in
screen pixels at the whole-city view (`px_per_m`); each marker gets a pixel offset from its true
position, and a leader line is drawn back to it.
"""

from __future__ import annotations

import math

Point = tuple[float, float]


def _angle(point: Point, cx: float, cy: float) -> float:
    """Direction of `point` from the centre, starting at the top and going clockwise."""
    dx, dy = point[0] - cx, point[1] - cy
    if math.hypot(dx, dy) < 1e-6:
        return 0.0
    return (math.atan2(dy, dx) + math.pi / 2) % (2 * math.pi)


def _fan(
    points: list[Point], group: list[int], px_per_m: float, glyph_px: float
) -> dict[int, Point]:
    """Offsets that put a group's glyphs evenly on a ring around the group's centre."""
    cx = sum(points[i][0] for i in group) / len(group)
    cy = sum(points[i][1] for i in group) / len(group)
    # A ring big enough for every glyph around it, with a little air between them.
    radius = max(glyph_px * 0.75, glyph_px * 1.2 * len(group) / (2 * math.pi))
    # Go round by direction from the centre; where positions coincide keep the given order.
    ordered = sorted(group, key=lambda i: _angle(points[i], cx, cy))
    offsets = {}
    for slot, i in enumerate(ordered):
        theta = -math.pi / 2 + 2 * math.pi * slot / len(group)
        offsets[i] = (
            radius * math.cos(theta) + (cx - points[i][0]) * px_per_m,
            radius * math.sin(theta) + (cy - points[i][1]) * px_per_m,
        )
    return offsets


def fan_offsets(points: list[Point], px_per_m: float, glyph_px: float) -> list[Point]:  # noqa: C901 - the fan's geometry, kept whole to be read as one
    """A pixel offset for each point (map metres) so that glyphs of `glyph_px` never overlap.

    Markers whose glyphs would touch are grouped and fanned out; a fanned ring can reach a
    neighbour, so grouping repeats on the fanned positions until nothing overlaps.
    """
    offsets: list[Point] = [(0.0, 0.0)] * len(points)
    if not points or px_per_m <= 0:
        return offsets
    parent = list(range(len(points)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    min_gap = glyph_px * 1.1
    for _ in range(len(points)):
        glyphs = [
            (x * px_per_m + dx, y * px_per_m + dy)
            for (x, y), (dx, dy) in zip(points, offsets, strict=True)
        ]
        merged = False
        for i in range(len(points)):
            for j in range(i + 1, len(points)):
                if find(i) != find(j) and math.dist(glyphs[i], glyphs[j]) < min_gap:
                    parent[find(i)] = find(j)
                    merged = True
        if not merged:
            break
        groups: dict[int, list[int]] = {}
        for i in range(len(points)):
            groups.setdefault(find(i), []).append(i)
        for group in groups.values():
            if len(group) > 1:
                for i, offset in _fan(points, group, px_per_m, glyph_px).items():
                    offsets[i] = offset
    return offsets
