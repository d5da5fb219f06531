"""Where marker glyphs go so that none hides another: groups of close markers fan out in a ring.

Pure geometry, no Qt. Markers keep their size on screen at every zoom, so closeness is judged in
screen pixels at the whole-city view (`px_per_m`); each marker gets a pixel offset from its true
position, and a leader line is drawn back to it.
"""

from __future__ import annotations

import math

Point = tuple[float, float]


def _groups(points: list[Point], threshold: float) -> list[list[int]]:
    """Indices of points joined by chains of neighbours closer than `threshold` (union-find)."""
    parent = list(range(len(points)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (xi, yi) in enumerate(points):
        for j in range(i + 1, len(points)):
            xj, yj = points[j]
            if math.hypot(xi - xj, yi - yj) < threshold:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(points)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _angle(point: Point, cx: float, cy: float) -> float:
    """Direction of `point` from the centre, starting at the top and going clockwise."""
    dx, dy = point[0] - cx, point[1] - cy
    if math.hypot(dx, dy) < 1e-6:
        return 0.0
    return (math.atan2(dy, dx) + math.pi / 2) % (2 * math.pi)


def fan_offsets(points: list[Point], px_per_m: float, glyph_px: float) -> list[Point]:
    """A pixel offset for each point (map metres) so that glyphs of `glyph_px` never overlap."""
    offsets: list[Point] = [(0.0, 0.0)] * len(points)
    if not points or px_per_m <= 0:
        return offsets
    threshold_m = glyph_px * 1.15 / px_per_m
    for group in _groups(points, threshold_m):
        if len(group) == 1:
            continue
        cx = sum(points[i][0] for i in group) / len(group)
        cy = sum(points[i][1] for i in group) / len(group)
        # A ring big enough for every glyph around it, with a little air between them.
        radius = max(glyph_px * 0.75, glyph_px * 1.15 * len(group) / (2 * math.pi))

        # Go round by direction from the centre; where positions coincide keep the given order.
        ordered = sorted(group, key=lambda i: _angle(points[i], cx, cy))
        for slot, i in enumerate(ordered):
            theta = -math.pi / 2 + 2 * math.pi * slot / len(group)
            ring_x, ring_y = radius * math.cos(theta), radius * math.sin(theta)
            offsets[i] = (
                ring_x + (cx - points[i][0]) * px_per_m,
                ring_y + (cy - points[i][1]) * px_per_m,
            )
    return offsets
