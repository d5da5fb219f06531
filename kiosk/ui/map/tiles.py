"""The base map as tiles: rendered off the GUI thread, then drawn by the map view as plain images.

Redrawing thousands of antialiased paths on every frame of a pan or pinch is what made the map
slow; here the map is rendered once per tile scale into 512 px tiles (QImage and QPainter in
background jobs, `kiosk.ui.qt.work`, on the map's lane), kept in a bounded memory cache and in a
folder on disk per bundle version (`tile_cache`), and the view only copies tiles.

Tile scales: the whole-map scale times the clustering's zoom steps (x1, x1.41, x2 ... up to the
bundle's maximum zoom). While the view moves it draws the nearest tile scale, scaled by at most
1.19 and without smoothing; once it has come to rest between tile scales, tiles at exactly its
scale are rendered too (kept in memory only), so the settled map is as sharp as vector drawing.
A tile that is not ready yet is drawn from the nearest tile scale that has the place (scaled), so
the map never shows a hole once any tile scale is in; before the first tile has arrived the sheet
shows its plain paper colour. When a tile arrives the view repaints that part.

Map labels are not in the tiles: they change with the language and with high contrast, and are
already drawn as cached pictures (`map_labels`). The tiles' style is the colour around the sheet
(high contrast turns it black); the map's own colours come from the bundle.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import logging
import math
import os
import weakref
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QRegion, QTransform

from kiosk.content import Bundle
from kiosk.ui.map.clustering import zoom_steps
from kiosk.ui.map.layers import MapPainter
from kiosk.ui.map.tile_cache import DiskTiles, MemoryTiles, TileKey, bundle_folder
from kiosk.ui.map.tile_queue import TileQueue, TileResult
from kiosk.ui.qt import work

log = logging.getLogger(__name__)

TILE_PX = 512
SHEET_PAD_PX = 4  # tiles reach this far past the sheet (its edge line is drawn across it)
TILE_BYTES = TILE_PX * TILE_PX * 4  # one tile in memory (RGB32): 1 MiB
# Tiles in memory are sized to the screen (docs/performance.md, "Memory"): one level's tiles
# over the view with one more across and down (a view not aligned with the tiles), and the
# small whole map that stands in (below), which is never evicted. A request is cut to what fits
# (on screen first, nearest the middle first), so the worker never renders tiles that evict
# those on screen; the ring around the view asked for beyond that is not kept: a pan draws the
# strip coming in from another level for the few frames until its tiles arrive (the frame
# benchmark measured no difference in frame time, and the ring cost 9 MB at 1920x1080).
RING_TILES = 1  # tiles across beyond those the view's width (or height) needs
# What stands in for a tile not in yet, whatever else is evicted: the whole map at a quarter of
# its whole-map scale (one or two tiles), never evicted. The whole-map level itself (9 tiles for
# Petrograd at 1080p) stood in before: it is now kept like any other level, by use.
STAND_IN_SHRINK = 4
MIN_MEMORY = 16 * TILE_BYTES  # before the view has a size
DISK_BUDGET = 512 * 2**20  # all bundle versions' tiles on disk together
PRUNE_EVERY = 64  # tiles written between checks of the disk budget
CACHE_ENV = "KIOSK_TILE_CACHE"  # a folder for the tiles instead of the user's cache folder


def default_cache_root() -> Path:
    """Where tiles are kept on disk: $KIOSK_TILE_CACHE, or map-tiles in the user's cache folder."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    import platformdirs

    return platformdirs.user_cache_path("kiosk", appauthor=False) / "map-tiles"


def memory_budget(width: int, height: int, pinned_tiles: int = 0) -> int:
    """Bytes of tiles kept in memory for a view of `width` x `height` device pixels: a level's
    tiles over the view and the ring around it, and `pinned_tiles` (the stand-in's)."""
    across = math.ceil(width / TILE_PX) + RING_TILES
    down = math.ceil(height / TILE_PX) + RING_TILES
    return (across * down + pinned_tiles) * TILE_BYTES


def style_of(surround: QColor) -> str:
    return surround.name()[1:]


def tile_scene_rect(key: TileKey) -> QRectF:
    size = TILE_PX / key.scale
    return QRectF(key.col * size, key.row * size, size, size)


class _TileSource:
    """The worker thread's side: finds a tile on disk or renders it. One job runs at a time
    (the pool has one thread), so nothing here is touched by two threads at once."""

    def __init__(self, bundle: Bundle, root: Path | None, disk_budget: int) -> None:
        self.bundle = bundle
        self._root = root
        self._disk_budget = disk_budget
        self._disk: DiskTiles | None = None
        self._map: MapPainter | None = None  # built on the first render, off the GUI thread
        # Tiles are painted here and copied out: a QImage that has been painted on keeps its
        # paint engine, with the rasteriser's buffers, as long as the image lives (~150 KB a
        # tile); a copy has none, so the tiles in memory are pixels only.
        self._canvas: QImage | None = None
        self._written = 0
        # The tile scales kept uncompressed on disk: the whole map's, and the one the first frame
        # was painted at, which the next start's first frame will read (set by the GUI thread;
        # a whole new set is assigned at once).
        self.raw_scales: frozenset[float] = frozenset()

    def disk(self) -> DiskTiles | None:
        if self._root is None:
            return None
        if self._disk is None:
            self._disk = DiskTiles(
                self._root, bundle_folder(self._root, self.bundle), self._disk_budget
            )
        return self._disk

    def tile(self, key: TileKey, keep: bool) -> QImage:
        disk = self.disk() if keep else None
        if disk is not None:
            image = disk.load(key, TILE_PX)
            if image is not None:
                return image
        image = self.render(key)
        if disk is not None:
            # Pruned before the first tile is written, not when the first is read: walking the
            # whole cache (~25 ms) holds the GIL that a kiosk starting from tiles on disk needs.
            if self._written % PRUNE_EVERY == 0:
                disk.prune()
            disk.save(key, image, raw=key.scale in self.raw_scales)
            self._written += 1
        return image

    def forget_painter(self) -> None:
        """Let go of the map painter's paths (~8 MB for Petrograd, ~90 ms to build again in the
        worker). Call only while no job of this source runs (the queue is idle)."""
        self._map = None
        self._canvas = None

    @property
    def has_painter(self) -> bool:
        return self._map is not None

    def render(self, key: TileKey) -> QImage:
        if self._map is None:
            self._map = MapPainter(self.bundle)
        if self._canvas is None:
            self._canvas = QImage(TILE_PX, TILE_PX, QImage.Format.Format_RGB32)
        painter = QPainter(self._canvas)
        painter.translate(-key.col * TILE_PX, -key.row * TILE_PX)
        painter.scale(key.scale, key.scale)
        self._map.paint(painter, tile_scene_rect(key), QColor("#" + key.style))  # every pixel
        painter.end()
        return self._canvas.copy()


def _job(source: _TileSource, key: TileKey, keep: bool) -> TileResult:
    """One tile, in the worker thread: from disk, or rendered (and kept on disk if `keep`)."""
    try:
        image: QImage | None = source.tile(key, keep)
    except Exception:  # a broken tile must not take the exhibit down
        log.exception("could not render map tile %s", key)
        image = None
    return key, image


class MapTiles(QObject):
    """The tiles of one bundle's map: asks for them, keeps them, and draws them."""

    tile_ready = Signal(object)  # a TileKey, in memory now

    def __init__(
        self,
        bundle: Bundle,
        cache_root: Path | None = None,
        *,
        use_disk: bool = True,
        disk_budget: int = DISK_BUDGET,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        projection = bundle.projection
        self.rect = QRectF(0, 0, projection.width, projection.height)
        self.paper = QColor(bundle.manifest.map.paper)
        self._zooms = zoom_steps(bundle.manifest.map.max_zoom)
        self.scales: list[float] = []
        self.stand_in: float | None = None  # the scale of the small whole map that stands in
        self.exact: float | None = None  # the scale the view came to rest at, between tile scales
        self.memory = MemoryTiles(MIN_MEMORY)
        self._pinned_tiles = 0  # the stand-in's tiles (never evicted)
        root = (cache_root or default_cache_root()) if use_disk else None
        self._source = _TileSource(bundle, root, disk_budget)
        # One tile at a time to the worker; the painter's paths go after a while without a render.
        self.queue = TileQueue(self.memory, self._job_for, self._source.forget_painter, parent=self)
        self.queue.tile_ready.connect(self.tile_ready)
        # Until the map has once been painted whole, a missing tile that is on disk is read at
        # once on the GUI thread (~5 ms each) rather than asked of the worker: the first frame
        # shows the map, not a blank sheet filling in tile by tile. Never rendered here.
        self._disk_root, self._disk_budget = root, disk_budget
        self._disk_now: DiskTiles | None = None
        # Tiles on screen, at the tile scale painted last, that another scale stands in for (scaled)
        # and those where some plain paper shows instead of the map (before any tile scale has it).
        self._stood_in: set[TileKey] = set()
        self._paper: set[TileKey] = set()
        self._painted: tuple[str, float] | None = None
        self.shown_whole = False  # the view has once shown every tile at its own tile scale
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        _live.add(self)

    # --- tile scales -------------------------------------------------------------------------

    def set_view(self, base_scale: float, width: int, height: int, style: str) -> None:
        """The whole-map scale and size of the view: the tile scales follow; the first
        two (the whole city, where the exhibit rests, and the next) are rendered ahead."""
        self.scales = [float(f"{base_scale * zoom:.9g}") for zoom in self._zooms]
        self.stand_in = float(f"{self.scales[0] / STAND_IN_SHRINK:.9g}")
        self.memory.pinned = {self.stand_in}  # whatever else goes, this can stand in
        self.memory.keep_style(style)  # the other appearance's tiles are not drawn any more
        self._source.raw_scales = frozenset([self.stand_in, self.scales[0]])
        around = self.rect.adjusted(  # the sheet and its edge: keys_in clips this to them
            -self.rect.width(), -self.rect.height(), self.rect.width(), self.rect.height()
        )
        self._pinned_tiles = len(self.keys_in(around, self.stand_in, style))
        self.memory.budget = memory_budget(width, height, self._pinned_tiles)
        ahead = self.keys_in(self.rect, self.stand_in, style)
        for scale in self.scales[:2]:
            ahead += self.keys_in(self.rect, scale, style)
        self.queue.ahead = ahead
        self.queue.pump()

    def target(self, scale: float) -> float:
        """The scale of the tiles to draw at view `scale`: the one it rests at, else the nearest
        tile scale (scaled by at most 1.19 either way)."""
        if self.exact is not None and math.isclose(self.exact, scale, rel_tol=1e-6):
            return self.exact
        if not self.scales:
            return scale
        return min(self.scales, key=lambda step: abs(math.log(step / scale)))

    def at_tile_scale(self, scale: float) -> bool:
        """True if `scale` is one of the tile scales (not the exact scale of a rest between)."""
        return any(math.isclose(scale, step, rel_tol=1e-6) for step in self.scales)

    def _kept_on_disk(self, scale: float) -> bool:
        return scale == self.stand_in or self.at_tile_scale(scale)

    def keys_in(self, area: QRectF, scale: float, style: str) -> list[TileKey]:
        """The tiles at `scale` that cover `area` (map units), clipped to the sheet."""
        pad = SHEET_PAD_PX / scale
        sheet = self.rect.adjusted(-pad, -pad, pad, pad)
        area = area.intersected(sheet)
        if area.isEmpty():
            return []
        step = TILE_PX / scale
        c0, c1 = math.floor(area.left() / step), math.ceil(area.right() / step)
        r0, r1 = math.floor(area.top() / step), math.ceil(area.bottom() / step)
        return [TileKey(style, scale, c, r) for r in range(r0, r1) for c in range(c0, c1)]

    # --- rendering in the worker --------------------------------------------------------

    @property
    def idle(self) -> bool:
        """True when nothing is being rendered or waiting to be."""
        return self.queue.idle

    def _job_for(self, key: TileKey) -> functools.partial[TileResult]:
        """The worker's job for `key`: tiles at a tile scale are kept on disk too."""
        return functools.partial(_job, self._source, key, self._kept_on_disk(key.scale))

    def room(self, scale: float) -> int:
        """How many tiles at `scale` fit in memory beside the stand-in's."""
        pinned = 0 if scale in self.memory.pinned else self._pinned_tiles
        return max(1, self.memory.budget // TILE_BYTES - pinned)

    def request(self, keys: list[TileKey]) -> None:
        """The tiles the view needs now, most needed first; they go before anything else. Only
        as many as fit in memory are asked for: the rest would evict the first."""
        if keys:
            keys = keys[: self.room(keys[0].scale)]
        self.memory.protected = set(keys)
        wanted = self.queue.missing(keys)
        if wanted and self.stand_in is not None:
            # Until the small whole map is in, its tile or two come first: they stand in (scaled)
            # for any other, so after a content change the visitor sees the map after a tile's
            # time rather than a blank sheet for a screenful's.
            base = self.queue.missing(self.keys_in(self.rect, self.stand_in, wanted[0].style))
            wanted = base + [k for k in wanted if k not in base]
        self.queue.ask(wanted)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Run the event loop until every requested tile is in (for tests and scripts)."""
        return work.run_until(lambda: self.idle, timeout_ms)

    def shutdown(self) -> None:
        """Drop what is queued and wait for the tile being rendered (before the view goes)."""
        self.queue.drop()
        work.wait_for_done()

    # --- drawing on the GUI thread ------------------------------------------------------

    def paint(
        self,
        painter: QPainter,
        exposed: QRectF,
        scale: float,
        surround: QColor,
        moving: bool = False,
    ) -> None:
        """Draw the map in `exposed` (map units) at view `scale` from the tiles there are.

        While the map is `moving`, tiles drawn at another scale are scaled without smoothing
        (smoothing a whole screen costs several frames' time here); at rest they are smoothed.
        """
        style = style_of(surround)
        for part in _outside(exposed, self.rect):  # tiles cover the sheet; around it, fill
            painter.fillRect(part, surround)
        world = painter.worldTransform()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, not moving)
        painter.setWorldTransform(QTransform())  # device pixels: whole-pixel tile edges
        painted = (style, self.target(scale))
        if self._painted is None:
            # The tile scale the exhibit starts at: kept uncompressed on disk, for the next start.
            self._source.raw_scales = self._source.raw_scales | {painted[1]}
        if painted != self._painted:
            self._stood_in.clear()
            self._paper.clear()
            self._painted = painted
        keys = self.keys_in(exposed, painted[1], style)
        if not self.shown_whole:
            self._read_now([k for k in keys if k not in self.memory])
        missing: list[TileKey] = []
        for key in keys:
            image = self.memory.get(key)
            if image is not None:
                painter.drawImage(_device_rect(world, key), image)
                self._stood_in.discard(key)
                self._paper.discard(key)
            else:
                missing.append(key)
        self._stand_in_all(painter, world, missing)
        painter.restore()
        # Tiles the view has moved away from are no longer on screen (Qt repaints only what a
        # scroll uncovers, so they would never be painted again to clear them).
        device = painter.device()
        if device is not None and (self._stood_in or self._paper):
            inverse, invertible = world.inverted()
            if invertible:
                on_screen = inverse.mapRect(QRectF(0, 0, device.width(), device.height()))
                for tracked in (self._stood_in, self._paper):
                    tracked.difference_update(
                        [k for k in tracked if not tile_scene_rect(k).intersects(on_screen)]
                    )
        self.shown_whole = self.shown_whole or self.whole

    @property
    def whole(self) -> bool:
        """True when, after the paints so far, every tile on screen (at the tile scale painted last)
        is drawn at its own scale: the map as sharp as it gets."""
        return self._painted is not None and not self._stood_in

    @property
    def shows_map(self) -> bool:
        """True when the map covers the screen: every tile drawn at its own scale or scaled
        from another while it comes, no plain paper where the map should be."""
        return self._painted is not None and not self._paper

    def _read_now(self, keys: list[TileKey]) -> None:
        """Put into memory those of `keys` that are in the disk cache, read here and now.

        Uncompressed tiles (the tile scale the exhibit starts at) take ~0.3 ms each. PNG decoding
        (~3.5 ms) releases the GIL, so a helper thread decodes every other one meanwhile.
        """
        keys = [k for k in keys if k not in self.queue.failed]
        if self._disk_root is None or not keys:
            return
        if self._disk_now is None:
            folder = bundle_folder(self._disk_root, self._source.bundle)
            self._disk_now = DiskTiles(self._disk_root, folder, self._disk_budget)
        disk = self._disk_now
        raw = [k for k in keys if disk.raw_path(k).is_file()]
        png = [k for k in keys if k not in raw and disk.path(k).is_file()]
        found: dict[TileKey, QImage | None] = {}

        def read(some: list[TileKey]) -> None:
            for key in some:
                found[key] = disk.load(key, TILE_PX)

        read(raw)
        if len(png) > 1:
            join = work.beside(functools.partial(read, png[1::2]))
            read(png[::2])
            join()
        else:
            read(png)
        for key in keys:
            image = found.get(key)
            if image is not None:
                self.memory.put(key, image)

    def _stand_in_all(self, painter: QPainter, world: QTransform, missing: list[TileKey]) -> None:
        """Fill the places of the `missing` tiles from other tile scales. Where one scale covers a
        place, the places that scale covers are filled together: each of its tiles is drawn
        once, clipped to all of them (in a pinch at 4K a coarser tile stood in for each of a
        dozen places, one clipped, scaled drawing each: most of such a frame's time)."""
        together: dict[float, tuple[list[QRect], dict[TileKey, QImage]]] = {}
        for key in missing:
            self._stood_in.add(key)
            scale, pieces = self._cover(key)
            if scale is None:  # no one scale has all of it: its pieces over paper
                self._paper.add(key)
                self._patch(painter, world, key, pieces)
                continue
            self._paper.discard(key)
            places, images = together.setdefault(scale, ([], {}))
            places.append(_device_rect(world, key))
            images.update(pieces[0])
        for places, images in together.values():
            region = QRegion()
            for place in places:
                region = region.united(place)
            painter.save()
            painter.setClipRegion(region, Qt.ClipOperation.IntersectClip)
            for k, image in images.items():
                painter.drawImage(_device_rect(world, k), image)
            painter.restore()

    def _cover(self, key: TileKey) -> tuple[float | None, list[list[tuple[TileKey, QImage]]]]:
        """What other tile scales in memory have of `key`'s place, nearest scale first: the
        nearest scale with all of it and its tiles, else None and what each scale has."""
        area = tile_scene_rect(key)
        scales = [s for s in self.memory.scales(key.style) if s != key.scale]
        scales.sort(key=lambda s: abs(math.log(s / key.scale)))
        pieces: list[list[tuple[TileKey, QImage]]] = []
        for scale in scales:
            keys = self.keys_in(area, scale, key.style)
            found = [(k, image) for k in keys if (image := self.memory.get(k)) is not None]
            if found and len(found) == len(keys):
                return scale, [found]
            pieces.append(found)
        return None, pieces

    def _patch(
        self,
        painter: QPainter,
        world: QTransform,
        key: TileKey,
        pieces: list[list[tuple[TileKey, QImage]]],
    ) -> None:
        """Fill `key`'s place with paper and the `pieces` other scales have of it, the nearest
        scale's on top."""
        place = _device_rect(world, key)
        painter.save()
        painter.setClipRect(place, Qt.ClipOperation.IntersectClip)
        painter.fillRect(world.mapRect(self.rect).toAlignedRect() & place, self.paper)
        for found in reversed(pieces):
            for k, image in found:
                painter.drawImage(_device_rect(world, k), image)
        painter.restore()


# Every MapTiles still alive; at exit their workers are stopped before Python shuts down (a
# worker thread still running Python code then would crash the process on its way out).
_live: weakref.WeakSet[MapTiles] = weakref.WeakSet()


@atexit.register
def _stop_workers() -> None:
    for tiles in list(_live):
        with contextlib.suppress(RuntimeError):
            tiles.shutdown()


def _device_rect(world: QTransform, key: TileKey) -> QRect:
    """Where a tile goes on the device: its edges rounded to whole pixels, the same rounding for
    neighbours' shared edges, so tiles neither overlap nor leave a seam."""
    area = tile_scene_rect(key)
    left = round(world.m11() * area.left() + world.dx())
    right = round(world.m11() * area.right() + world.dx())
    top = round(world.m22() * area.top() + world.dy())
    bottom = round(world.m22() * area.bottom() + world.dy())
    return QRect(left, top, right - left, bottom - top)


def _outside(area: QRectF, sheet: QRectF) -> list[QRectF]:
    """The parts of `area` outside `sheet` (up to four rectangles)."""
    if not area.intersects(sheet):
        return [area]
    parts = []
    if area.top() < sheet.top():
        parts.append(QRectF(area.left(), area.top(), area.width(), sheet.top() - area.top()))
    if area.bottom() > sheet.bottom():
        parts.append(
            QRectF(area.left(), sheet.bottom(), area.width(), area.bottom() - sheet.bottom())
        )
    top, bottom = max(area.top(), sheet.top()), min(area.bottom(), sheet.bottom())
    if area.left() < sheet.left():
        parts.append(QRectF(area.left(), top, sheet.left() - area.left(), bottom - top))
    if area.right() > sheet.right():
        parts.append(QRectF(sheet.right(), top, area.right() - sheet.right(), bottom - top))
    return parts
