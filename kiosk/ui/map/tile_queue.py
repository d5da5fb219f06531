"""The tiles asked of the map's worker, one job at a time, for the base map and the historical
plan alike: what the view needs now goes first, then what is fetched ahead; each tile goes into
its memory cache as it arrives; and once nothing has been rendered for `FORGET_AFTER_MS`, the
source lets go of what it draws from (the map painter's paths, the plan's decoded scan), built
again on the next tile that needs it.

The queue lives on the GUI thread; the job it submits (`kiosk.ui.qt.work`, the map's lane)
holds no Qt object but the tile it returns.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

from kiosk.ui.map.tile_cache import MemoryTiles, TileKey
from kiosk.ui.qt import work

# A tile from the worker: its key, and its image or None if it could not be made.
TileResult = tuple[TileKey, QImage | None]

# How long the worker must have had nothing to render before the source lets go of what it
# draws from: longer than a visitor's pauses between gestures (a rest between levels renders
# tiles at that exact scale), shorter than the attract loop's start.
FORGET_AFTER_MS = 30_000


class TileQueue(QObject):
    """Tiles to fetch or render, one at a time, into `memory`.

    `job(key)` makes the function run in the worker for `key` (returning the key and the tile, or
    None); `forget()`, if given, is called on the GUI thread once the queue has been idle for
    `forget_after_ms` (default `FORGET_AFTER_MS`) after a tile came in (no job of this queue is
    running then).
    """

    tile_ready = Signal(object)  # a TileKey, in memory now
    tile_failed = Signal(object)  # a TileKey that could not be made (not asked for again)

    def __init__(
        self,
        memory: MemoryTiles,
        job: Callable[[TileKey], Callable[[], TileResult]],
        forget: Callable[[], None] | None = None,
        *,
        forget_after_ms: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.memory = memory
        self._job = job
        self._forget = forget
        self.wanted: list[TileKey] = []  # what the view needs now, most needed first
        self.ahead: list[TileKey] = []  # fetched ahead, after everything wanted
        self.busy: TileKey | None = None  # the tile in the worker now
        self.failed: set[TileKey] = set()
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(FORGET_AFTER_MS if forget_after_ms is None else forget_after_ms)
        self._quiet.timeout.connect(self._let_source_go)

    @property
    def idle(self) -> bool:
        """True when nothing is being made or waiting to be."""
        return self.busy is None and not self.wanted and not self.ahead

    def missing(self, keys: list[TileKey]) -> list[TileKey]:
        """Those of `keys` neither in memory nor known to fail."""
        return [k for k in keys if k not in self.memory and k not in self.failed]

    def ask(self, keys: list[TileKey]) -> None:
        """Fetch `keys` (most needed first) before anything else; replaces what was asked."""
        self.wanted = self.missing(keys)
        self.pump()

    def drop(self) -> None:
        """Forget everything waiting (the tile in the worker still comes in)."""
        self.wanted, self.ahead = [], []

    def pump(self) -> None:
        """Submit the next tile if none is in the worker."""
        if self.busy is not None:
            return
        while self.wanted or self.ahead:
            key = (self.wanted or self.ahead).pop(0)
            if key in self.memory or key in self.failed:
                continue
            self.busy = key
            self._quiet.stop()
            work.submit(self._job(key), self._finished)
            return

    def _finished(self, result: TileResult) -> None:
        key, image = result
        self.busy = None
        if image is None:
            self.failed.add(key)
            self.tile_failed.emit(key)
        else:
            self.memory.put(key, image)
            self.tile_ready.emit(key)
        self.pump()
        if self.idle and self._forget is not None:
            self._quiet.start()

    def _let_source_go(self) -> None:
        if self.idle and self._forget is not None:
            self._forget()
