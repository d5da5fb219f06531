"""The historical plan as tiles: the scan warped into the map's projection once, off the GUI
thread, kept like the base map's tiles, and drawn over the base map with an opacity.

The bundle's fitted plan (kiosk/content/plan.py) maps the scan's pixels to map metres. An
affine fit is one QTransform, so QPainter warps the scan exactly; a polynomial is drawn as a
mesh of small cells, each placed by the affine through three of its corners (at 24 x 24 cells
the error is far under a pixel for the bends a paper plan has). Tiles are the base map's grid
(512 px at the same levels), transparent outside the plan, rendered one at a time by the same
worker thread, held in a bounded memory cache and as PNG (with their alpha) in the bundle's
tile folder on disk, so a restart reads them instead of decoding the scan again.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
from pathlib import Path

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPainter, QPainterPath, QPolygonF, QTransform

from kiosk.content import Bundle
from kiosk.content.plan import GeoPlan, PlanFit, solve
from kiosk.ui.map.tile_cache import DiskTiles, MemoryTiles, TileKey, bundle_folder
from kiosk.ui.map.tile_queue import TileQueue, TileResult
from kiosk.ui.map.tiles import (
    DISK_BUDGET,
    MIN_MEMORY,
    TILE_BYTES,
    TILE_PX,
    memory_budget,
    tile_scene_rect,
)
from kiosk.ui.map.tiles import _device_rect as device_rect  # whole pixels: no seams, no overlaps
from kiosk.ui.qt import work

log = logging.getLogger(__name__)

MESH = 24  # cells per side for a polynomial plan
STYLE = "plan"  # the tiles' style in their keys (the plan's look does not change with contrast)
SCAN_ALLOCATION_MB = 512  # the scan may be up to 50 million pixels (validation's limit)


def affine_through(
    source: list[tuple[float, float]], target: list[tuple[float, float]]
) -> QTransform | None:
    """The affine transform taking three source points onto three target points."""
    rows = [[x, y, 1.0] for x, y in source]
    a = solve(rows, [x for x, _ in target])
    b = solve(rows, [y for _, y in target])
    if a is None or b is None:
        return None
    return QTransform(a[0], b[0], a[1], b[1], a[2], b[2])


def plan_transform(fit: PlanFit) -> QTransform | None:
    """The scan's pixels to map metres, for an affine fit (None for a polynomial)."""
    if fit.kind != "affine":
        return None
    corners = [(0.0, 0.0), (1000.0, 0.0), (0.0, 1000.0)]
    return affine_through(corners, [fit.to_map(x, y) for x, y in corners])


def plan_outline(plan: GeoPlan, samples: int = 16) -> QPolygonF:
    """The scan's edge on the map (map metres), sampled along each side."""
    w, h = plan.width, plan.height
    points = []
    for i in range(samples):
        points.append(plan.fit.to_map(w * i / samples, 0))
    for i in range(samples):
        points.append(plan.fit.to_map(w, h * i / samples))
    for i in range(samples):
        points.append(plan.fit.to_map(w - w * i / samples, h))
    for i in range(samples):
        points.append(plan.fit.to_map(0, h - h * i / samples))
    return QPolygonF([QPointF(x, y) for x, y in points])


def plan_fingerprint(plan: GeoPlan) -> str:
    """What the plan's tiles depend on: the scan (its size and time, not its up to 100 MB of
    bytes, read on the GUI thread here) and the fit."""
    digest = hashlib.sha256(f"plan 1\n{plan.fit!r}\n".encode())
    try:
        info = plan.path.stat()
        digest.update(f"{info.st_size} {info.st_mtime_ns}".encode())
    except OSError:
        digest.update(b"unreadable")
    return digest.hexdigest()[:16]


class _PlanSource:
    """The worker thread's side: reads the scan once and warps it into tiles."""

    def __init__(
        self,
        plan: GeoPlan,
        disk: DiskTiles | None,
        disk_place: tuple[Path, Bundle] | None = None,
    ) -> None:
        self.plan = plan
        self.disk = disk
        self._disk_place = disk_place  # (cache root, bundle): the disk folder, made when needed
        self._scan: QImage | None = None
        self._smaller: dict[int, QImage] = {}  # halved copies of the scan, by halvings
        self._canvas: QImage | None = None  # painted on, then copied out (see tiles._TileSource)

    def scan(self) -> QImage:
        if self._scan is None:
            reader = QImageReader(str(self.plan.path))
            reader.setAllocationLimit(SCAN_ALLOCATION_MB)
            image = reader.read()
            if image.isNull():
                raise OSError(f"cannot read the plan {self.plan.path}: {reader.errorString()}")
            self._scan = image
        return self._scan

    def forget_scan(self) -> None:
        """Let go of the decoded scan and its smaller copies (a scan may be 50 million pixels,
        200 MB decoded): read again for the next tile that is not on disk. Call only while no
        job of this source runs (the queue is idle)."""
        self._scan = None
        self._smaller = {}
        self._canvas = None

    def scan_for(self, scale: float) -> QImage:
        """The scan at a size fit for tiles at `scale` (px per map metre): a copy halved as often
        as the tile shows it at half size or less, made once with smooth (area) scaling, so fine
        lines of the plan do not break up as they would when sampled straight from the full scan
        (the painter's smooth transform interpolates, it does not average)."""
        full = self.scan()
        corner, across = self.plan.fit.to_map(0, 0), self.plan.fit.to_map(self.plan.width, 0)
        metres_per_px = math.dist(corner, across) / self.plan.width
        shrink = 1.0 / max(scale * metres_per_px, 1e-9)  # scan pixels per tile pixel
        halvings = min(int(math.log2(shrink)) if shrink >= 2 else 0, 6)
        while halvings and (full.width() >> halvings) < 16:
            halvings -= 1
        if halvings == 0:
            return full
        if halvings not in self._smaller:
            self._smaller[halvings] = full.scaled(
                max(1, full.width() >> halvings),
                max(1, full.height() >> halvings),
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        return self._smaller[halvings]

    def tile(self, key: TileKey) -> QImage:
        if self.disk is None and self._disk_place is not None:
            root, bundle = self._disk_place
            folder = bundle_folder(root, bundle) / f"plan-{plan_fingerprint(self.plan)}"
            self.disk = DiskTiles(root, folder, DISK_BUDGET)
            self._disk_place = None
        if self.disk is not None:
            image = self.disk.load(key, TILE_PX, alpha=True)
            if image is not None:
                return image
        image = self.render(key)
        if self.disk is not None:
            self.disk.save(key, image)
        return image

    def render(self, key: TileKey) -> QImage:
        if self._canvas is None:
            self._canvas = QImage(TILE_PX, TILE_PX, QImage.Format.Format_ARGB32_Premultiplied)
        image = self._canvas
        image.fill(0)
        scan = self.scan_for(key.scale)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        tile = QTransform.fromTranslate(-key.col * TILE_PX, -key.row * TILE_PX)
        to_tile = QTransform.fromScale(key.scale, key.scale) * tile  # map metres -> tile px
        whole = plan_transform(self.plan.fit)
        if whole is not None:
            copy = QTransform.fromScale(  # a smaller copy's pixel is several of the scan's
                self.plan.width / scan.width(), self.plan.height / scan.height()
            )
            painter.setTransform(copy * whole * to_tile)
            painter.drawImage(QPointF(0, 0), scan)
        else:
            self._mesh(painter, scan, to_tile, tile_scene_rect(key))
        painter.end()
        return image.copy()

    def _mesh(self, painter: QPainter, scan: QImage, to_tile: QTransform, area: QRectF) -> None:
        # Cells clipped without antialiasing share their edges exactly: an antialiased clip
        # would leave a faint seam along every edge, where two half-covered pixels meet.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        fit = self.plan.fit
        w, h = scan.width() / MESH, scan.height() / MESH
        sx, sy = self.plan.width / scan.width(), self.plan.height / scan.height()
        for row in range(MESH):
            for col in range(MESH):
                corners = [(col, row), (col + 1, row), (col + 1, row + 1), (col, row + 1)]
                pixels = [(c * w, r * h) for c, r in corners]  # in the scan as loaded
                ground = [fit.to_map(x * sx, y * sy) for x, y in pixels]
                quad = QPolygonF([QPointF(x, y) for x, y in ground])
                if not quad.boundingRect().intersects(area):
                    continue
                cell = affine_through(pixels[:3], ground[:3])
                if cell is None:
                    continue
                painter.save()
                painter.setTransform(to_tile)
                painter.setClipPath(_path(quad))  # in map metres, mapped by to_tile
                painter.setTransform(cell * to_tile)
                source = QRectF(pixels[0][0], pixels[0][1], w, h).adjusted(-1, -1, 1, 1)
                painter.drawImage(source, scan, source)
                painter.restore()


def _path(polygon: QPolygonF) -> QPainterPath:
    path = QPainterPath()
    path.addPolygon(polygon)
    path.closeSubpath()
    return path


def _job(source: _PlanSource, key: TileKey) -> TileResult:
    try:
        image: QImage | None = source.tile(key)
    except Exception:  # a broken scan must not take the exhibit down
        log.exception("could not render plan tile %s", key)
        image = None
    return key, image


class PlanTiles(QObject):
    """The plan's tiles for one bundle: asks for them, keeps them, draws them with an opacity."""

    tile_ready = Signal(object)  # a TileKey, in memory now

    def __init__(
        self,
        bundle: Bundle,
        plan: GeoPlan,
        cache_root: Path | None = None,
        *,
        use_disk: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.plan = plan
        self.outline = plan_outline(plan)
        self.extent = self.outline.boundingRect()
        self.memory = MemoryTiles(MIN_MEMORY)
        # The disk folder is found in the worker, on the first tile: naming it hashes the
        # bundle's map layers (megabytes), which the kiosk's first frame need not wait for.
        disk_place = (cache_root, bundle) if use_disk and cache_root is not None else None
        self._source = _PlanSource(plan, None, disk_place)
        # One tile at a time to the worker; the decoded scan goes after a while without a render.
        self.queue = TileQueue(self.memory, self._job_for, self._source.forget_scan, parent=self)
        self.queue.tile_ready.connect(self.tile_ready)
        self.queue.tile_failed.connect(self._failed)
        # A scan that cannot be read or warped (logged once) is not asked for again: the
        # visitor keeps today's map rather than a log filling up tile by tile.
        self.broken = False

    def set_view(self, width: int, height: int) -> None:
        """The view's size: the plan's tiles in memory are sized to it, as the map's are."""
        self.memory.budget = memory_budget(width, height)

    def let_go(self) -> None:
        """The plan is not shown: its tiles in memory go (those on disk stay for next time), and
        the decoded scan too, unless a tile is being made from it now (then it goes once the
        queue has been idle a while)."""
        self.queue.drop()
        self.memory.clear()
        if self.queue.idle:
            self._source.forget_scan()

    def keys_in(self, area: QRectF, scale: float) -> list[TileKey]:
        """The plan's tiles at `scale` that cover `area` (map units): only where the plan is."""
        area = area.intersected(self.extent)
        if area.isEmpty() or self.broken:
            return []
        step = TILE_PX / scale
        c0, c1 = math.floor(area.left() / step), math.ceil(area.right() / step)
        r0, r1 = math.floor(area.top() / step), math.ceil(area.bottom() / step)
        keys = [TileKey(STYLE, scale, c, r) for r in range(r0, r1) for c in range(c0, c1)]
        return [k for k in keys if self.outline.boundingRect().intersects(tile_scene_rect(k))]

    @property
    def idle(self) -> bool:
        return self.queue.idle

    def request(self, keys: list[TileKey]) -> None:
        """The tiles the view needs now, most needed first: as many as fit in memory."""
        keys = keys[: max(1, self.memory.budget // TILE_BYTES)]
        self.memory.protected = set(keys)
        self.queue.ask(keys)

    def _job_for(self, key: TileKey) -> functools.partial[TileResult]:
        return functools.partial(_job, self._source, key)

    def _failed(self, key: TileKey) -> None:
        self.broken = True
        self.queue.drop()

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Run the event loop until every requested tile is in (for tests and scripts)."""
        return work.run_until(lambda: self.idle, timeout_ms)

    def paint(self, painter: QPainter, exposed: QRectF, scale: float, opacity: float) -> None:
        """Draw the plan's tiles at `scale` in `exposed` (map units) with `opacity`; a tile not
        in yet is drawn from another scale that has it, else left out until it comes."""
        if opacity <= 0:
            return
        world = painter.worldTransform()
        painter.save()
        painter.setOpacity(opacity)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        for key in self.keys_in(exposed, scale):
            image = self.memory.get(key)
            if image is not None:
                painter.setWorldTransform(QTransform())
                painter.drawImage(device_rect(world, key), image)
                continue
            for other in sorted(self.memory.scales(STYLE), key=lambda s: abs(math.log(s / scale))):
                for stand_in in self.keys_in(tile_scene_rect(key), other):
                    found = self.memory.get(stand_in)
                    if found is not None:
                        painter.setWorldTransform(QTransform())
                        painter.setClipRect(device_rect(world, key))
                        painter.drawImage(device_rect(world, stand_in), found)
                        painter.setClipping(False)
                break
        painter.restore()
