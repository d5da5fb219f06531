"""A uniform grid over marker positions, so finding what is under a finger, or what is near the
view, looks at a few cells.

Markers ignore the view's transformation, and Qt keeps such items outside its BSP index: its own
`items(pos)` tests every one of them (45 us at 500 markers, 7.6 ms at 40,000). Markers are put
into this grid by their anchors in scene units; a lookup gathers the entries of the cells within
a radius (or a rectangle), and the caller tests those few exactly. Pure geometry, no Qt.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")
Span = tuple[int, int, int, int]  # cells: first column, first row, last column, last row


class GridIndex(Generic[T]):
    """Entries at points, bucketed into square cells `cell` units wide."""

    def __init__(self, cell: float) -> None:
        if not cell > 0:
            raise ValueError(f"cell size must be positive, not {cell}")
        self.cell = cell
        self._cells: dict[tuple[int, int], list[T]] = {}
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, entry: T, x: float, y: float) -> None:
        key = (math.floor(x / self.cell), math.floor(y / self.cell))
        self._cells.setdefault(key, []).append(entry)
        self._count += 1

    def span(self, left: float, top: float, right: float, bottom: float) -> Span:
        """The cells a rectangle overlaps, as (first column, first row, last column, last row)."""
        cell = self.cell
        return (
            math.floor(left / cell),
            math.floor(top / cell),
            math.floor(right / cell),
            math.floor(bottom / cell),
        )

    def cells_in(self, span: Span) -> Iterator[tuple[tuple[int, int], list[T]]]:
        """The populated cells within `span` (see `span`), each with its entries."""
        x0, y0, x1, y1 = span
        if (x1 - x0 + 1) * (y1 - y0 + 1) > len(self._cells):
            for key, entries in self._cells.items():
                if x0 <= key[0] <= x1 and y0 <= key[1] <= y1:
                    yield key, entries
            return
        for cx in range(x0, x1 + 1):
            for cy in range(y0, y1 + 1):
                found = self._cells.get((cx, cy))
                if found is not None:
                    yield (cx, cy), found

    def near(self, x: float, y: float, radius: float) -> Iterator[T]:
        """Every entry whose point may lie within `radius` of (x, y) (a superset: the cells
        overlapping the square around the circle)."""
        cell = self.cell
        x0, x1 = math.floor((x - radius) / cell), math.floor((x + radius) / cell)
        y0, y1 = math.floor((y - radius) / cell), math.floor((y + radius) / cell)
        if (x1 - x0 + 1) * (y1 - y0 + 1) > len(self._cells):
            # A radius wider than the populated area: walking the cells beats walking the square.
            for (cx, cy), entries in self._cells.items():
                if x0 <= cx <= x1 and y0 <= cy <= y1:
                    yield from entries
            return
        for cx in range(x0, x1 + 1):
            for cy in range(y0, y1 + 1):
                yield from self._cells.get((cx, cy), ())
