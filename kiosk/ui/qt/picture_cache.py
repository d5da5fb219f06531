"""A cache of drawn pictures bounded by bytes: the least recently used go first.

Every picture the kiosk draws once and copies afterwards (marker glyphs, cluster discs, lettered
map names) is kept in one of these, each with its own budget in bytes (docs/performance.md,
"Memory"). A cache keyed by what it shows (colours, counts, device pixel ratios, angles) grows
with every new combination a visitor meets; months of visitors meet many.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

from PySide6.QtGui import QImage, QPixmap, QPixmapCache

# Qt's own cache of pictures (its styles' rendered frames, gradients, icons): 10 MB by default.
# The kiosk's widgets are few and drawn from palettes; this is where their pieces are kept.
QT_PIXMAP_CACHE_KB = 4 * 1024

K = TypeVar("K", bound=Hashable)
P = TypeVar("P", QPixmap, QImage)


def limit_qt_pixmap_cache() -> None:
    """Bound Qt's process-wide QPixmapCache to `QT_PIXMAP_CACHE_KB` (needs a QGuiApplication)."""
    QPixmapCache.setCacheLimit(QT_PIXMAP_CACHE_KB)


def picture_bytes(picture: QPixmap | QImage) -> int:
    """The memory a picture's pixels take (rows of whole bytes)."""
    return picture.width() * picture.height() * max(1, picture.depth() // 8)


class PictureCache(Generic[K, P]):
    """Pictures by key, at most `budget` bytes of pixels together (a single larger picture is
    kept until the next one comes)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._pictures: OrderedDict[K, tuple[P, int]] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._pictures)

    def __contains__(self, key: object) -> bool:
        return key in self._pictures

    @property
    def bytes(self) -> int:
        return self._bytes

    def get(self, key: K) -> P | None:
        entry = self._pictures.get(key)
        if entry is None:
            return None
        self._pictures.move_to_end(key)
        return entry[0]

    def put(self, key: K, picture: P) -> P:
        """Keep `picture` under `key` (returned, for `cache.put(key, draw())`)."""
        self.pop(key)
        size = picture_bytes(picture)
        self._pictures[key] = (picture, size)
        self._bytes += size
        while self._bytes > self.budget and len(self._pictures) > 1:
            _, (_, dropped) = self._pictures.popitem(last=False)
            self._bytes -= dropped
        return picture

    def pop(self, key: K) -> P | None:
        entry = self._pictures.pop(key, None)
        if entry is None:
            return None
        self._bytes -= entry[1]
        return entry[0]

    def clear(self) -> None:
        self._pictures.clear()
        self._bytes = 0
