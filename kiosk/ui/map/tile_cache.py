"""Rendered map tiles kept for reuse: in memory (bounded by bytes, least recently used out first)
and on disk in a folder per bundle version (bounded too), so a restart does not render again.

A tile is a square QImage of the base map at one scale. Its key names the style it was drawn in
(the colour around the sheet, which high contrast changes), the scale (pixels per map unit) and
its column and row in that scale's grid. Files that cannot be read, or are not a tile's size,
are ignored (and deleted): the tile is simply rendered again. Nothing here may raise on a full or
read-only disk: the cache is an optimisation, never a reason to fail.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections import OrderedDict
from pathlib import Path
from typing import NamedTuple

from PySide6.QtGui import QImage

from kiosk.content import Bundle

log = logging.getLogger(__name__)

# Change whenever the way tiles are drawn or stored changes, so old files are not reused.
RENDER_VERSION = 2


class TileKey(NamedTuple):
    """One tile: its style, its scale (viewport px per map unit) and its place in that grid."""

    style: str
    scale: float
    col: int
    row: int

    def relative_path(self) -> Path:
        return Path(self.style) / f"{self.scale:.9g}" / f"{self.col}_{self.row}.png"


def tile_bytes(image: QImage) -> int:
    return image.sizeInBytes()


class MemoryTiles:
    """Tiles held in memory up to `budget` bytes; the least recently used go first."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._tiles: OrderedDict[TileKey, QImage] = OrderedDict()
        self._bytes = 0
        self._scales: dict[tuple[str, float], int] = {}  # tiles held per (style, scale)
        # Scales never evicted (the whole-map scale: small, and what stands in for any tile).
        self.pinned: set[float] = set()
        # The tiles the view asked for last (cut to what fits): evicted only after all others,
        # so a ring tile arriving never pushes out one on screen that was not repainted since.
        self.protected: set[TileKey] = set()

    def __len__(self) -> int:
        return len(self._tiles)

    def __contains__(self, key: object) -> bool:
        return key in self._tiles

    @property
    def bytes(self) -> int:
        return self._bytes

    def scales(self, style: str) -> list[float]:
        """The scales of which some tiles in `style` are held."""
        return [scale for (s, scale), count in self._scales.items() if s == style and count]

    def get(self, key: TileKey) -> QImage | None:
        image = self._tiles.get(key)
        if image is not None:
            self._tiles.move_to_end(key)
        return image

    def put(self, key: TileKey, image: QImage) -> None:
        self._drop(key)
        self._tiles[key] = image
        self._bytes += tile_bytes(image)
        styled_scale = (key.style, key.scale)
        self._scales[styled_scale] = self._scales.get(styled_scale, 0) + 1
        if self._bytes > self.budget:
            evictable = [k for k in self._tiles if k.scale not in self.pinned]
            # Least recently used first; those asked for last only once no other is left.
            evictable.sort(key=lambda k: k in self.protected)
            for old in evictable:
                if self._bytes <= self.budget:
                    break
                self._drop(old)

    def _drop(self, key: TileKey) -> None:
        image = self._tiles.pop(key, None)
        if image is None:
            return
        self._bytes -= tile_bytes(image)
        styled_scale = (key.style, key.scale)
        self._scales[styled_scale] -= 1
        if not self._scales[styled_scale]:
            del self._scales[styled_scale]

    def keep_style(self, style: str) -> None:
        """Let go of every tile in another style than `style` (pinned levels too)."""
        for key in [k for k in self._tiles if k.style != style]:
            self._drop(key)

    def clear(self) -> None:
        self._tiles.clear()
        self._scales.clear()
        self._bytes = 0


def bundle_fingerprint(bundle: Bundle) -> str:
    """A short hash of everything a tile's pixels depend on in the bundle: the map section of the
    manifest (bounds, paper, layer styles) and the bytes of each layer file."""
    digest = hashlib.sha256(f"tiles {RENDER_VERSION}\n".encode())
    # Its repr names every field and value, nested sections too; model_dump_json() would build
    # pydantic's serializers first (~40 ms of the kiosk's start, for one string).
    digest.update(repr(bundle.manifest.map).encode())
    for layer in bundle.manifest.map.layers:
        try:
            digest.update((bundle.root / layer.file).read_bytes())
        except OSError:
            digest.update(b"unreadable " + layer.file.encode())
    return digest.hexdigest()[:16]


def bundle_folder(root: Path, bundle: Bundle) -> Path:
    """The folder for one bundle version's tiles under the tile cache `root`."""
    manifest = bundle.manifest
    name = f"{manifest.id}-{manifest.version}-{bundle_fingerprint(bundle)}"
    return root / "".join(c if c.isalnum() or c in "-._" else "_" for c in name)


class DiskTiles:
    """Tiles as PNG files in `folder`; everything under `root` together kept under `budget` bytes
    by deleting the files used longest ago (other bundle versions' first, as nothing reads them)."""

    def __init__(self, root: Path, folder: Path, budget: int) -> None:
        self.root = root
        self.folder = folder
        self.budget = budget

    def path(self, key: TileKey) -> Path:
        return self.folder / key.relative_path()

    def raw_path(self, key: TileKey) -> Path:
        """Where the tile is kept uncompressed (see `save`)."""
        return self.path(key).with_suffix(".rgb32")

    def load(self, key: TileKey, size: int, *, alpha: bool = False) -> QImage | None:
        """The tile, or None; `alpha`: a tile with transparent parts (the historical plan's),
        never kept raw."""
        raw = None if alpha else self._load_raw(key, size)
        if raw is not None:
            return raw
        path = self.path(key)
        if not path.is_file():
            return None
        image = QImage(str(path))
        if image.isNull() or image.width() != size or image.height() != size:
            log.info("ignoring unreadable map tile %s", path)
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: pruned last
        if alpha:
            return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
        return image.convertToFormat(QImage.Format.Format_RGB32)

    def _load_raw(self, key: TileKey, size: int) -> QImage | None:
        path = self.raw_path(key)
        image: QImage | None = None
        try:
            with path.open("rb", buffering=0) as stream:
                if os.fstat(stream.fileno()).st_size == size * size * 4:
                    # Read straight into the image's own pixels: no copy, no second buffer.
                    image = QImage(size, size, QImage.Format.Format_RGB32)
                    whole = image.bytesPerLine() == size * 4
                    if not whole or stream.readinto(image.bits()) != size * size * 4:
                        image = None
        except OSError:
            return None  # not there (or unreadable: rendered again)
        if image is not None:
            with contextlib.suppress(OSError):
                os.utime(path)  # recently used: pruned last
            return image
        log.info("ignoring unreadable map tile %s", path)
        with contextlib.suppress(OSError):
            path.unlink()
        return None

    def save(self, key: TileKey, image: QImage, raw: bool = False) -> None:
        """Keep the tile as PNG (~40 KB, ~3.5 ms to decode), or if `raw` as its bare RGB32
        pixels (1 MiB at 512 px, ~0.3 ms to read): for the few tile scales the exhibit starts and
        rests at, whose tiles its first frame waits for."""
        path = self.raw_path(key) if raw else self.path(key)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if raw:
                pixels = image.convertToFormat(QImage.Format.Format_RGB32)
                line = pixels.width() * 4
                data = bytes(pixels.constBits())
                if pixels.bytesPerLine() != line:  # (never at 512 px: rows are not padded)
                    data = b"".join(
                        data[y * pixels.bytesPerLine() : y * pixels.bytesPerLine() + line]
                        for y in range(pixels.height())
                    )
                temporary.write_bytes(data)
            elif not image.save(str(temporary), "PNG"):  # type: ignore[call-overload]
                raise OSError(f"could not write {temporary}")
            temporary.replace(path)  # a reader never sees half a file
        except OSError as error:
            log.info("map tile not cached on disk: %s", error)
            with contextlib.suppress(OSError):
                temporary.unlink()

    def prune(self) -> int:
        """Delete the least recently used files until the whole cache fits its budget; returns
        the bytes left."""
        files: list[tuple[float, int, Path]] = []
        for dirpath, _dirs, names in os.walk(self.root):
            for name in names:
                path = Path(dirpath) / name
                try:
                    info = path.stat()
                except OSError:
                    continue
                files.append((info.st_mtime, info.st_size, path))
        total = sum(size for _, size, _ in files)
        if total <= self.budget:
            return total
        files.sort()
        for _, size, path in files:
            if total <= self.budget * 0.8:  # room for a while, so this runs seldom
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size
        for dirpath, _dirs, _names in sorted(os.walk(self.root), reverse=True):
            with contextlib.suppress(OSError):
                if Path(dirpath) != self.root:
                    Path(dirpath).rmdir()  # only succeeds when empty
        return total
