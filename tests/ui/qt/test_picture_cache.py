"""The cache of drawn pictures keeps to its budget in bytes, least recently used out first."""

from __future__ import annotations

import random

from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import QApplication

from kiosk.ui.qt.picture_cache import PictureCache, picture_bytes


def _picture(width: int, height: int) -> QImage:
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("teal"))
    return image


def test_picture_bytes_counts_the_pixels(qapp: QApplication) -> None:
    assert picture_bytes(_picture(10, 20)) == 10 * 20 * 4
    assert picture_bytes(QPixmap.fromImage(_picture(8, 8))) == 8 * 8 * 4


def test_the_bytes_never_exceed_the_budget_whatever_comes() -> None:
    budget = 50_000
    cache: PictureCache[int, QImage] = PictureCache(budget)
    rng = random.Random(4)
    for _ in range(500):
        key = rng.randrange(60)
        if rng.random() < 0.3:
            cache.get(key)
        else:
            cache.put(key, _picture(rng.randint(1, 60), rng.randint(1, 60)))
        assert cache.bytes <= budget
        assert cache.bytes == sum(picture_bytes(p) for p, _ in cache._pictures.values())


def test_the_least_recently_used_go_first() -> None:
    one = picture_bytes(_picture(10, 10))
    cache: PictureCache[str, QImage] = PictureCache(3 * one)
    for key in "abc":
        cache.put(key, _picture(10, 10))
    assert cache.get("a") is not None  # used: now the most recent
    cache.put("d", _picture(10, 10))
    assert "b" not in cache and all(k in cache for k in "acd")
    assert cache.pop("a") is not None and cache.bytes == 2 * one
    cache.clear()
    assert len(cache) == 0 and cache.bytes == 0


def test_a_picture_larger_than_the_budget_is_kept_alone_until_the_next() -> None:
    cache: PictureCache[str, QImage] = PictureCache(100)
    cache.put("small", _picture(2, 2))
    big = cache.put("big", _picture(20, 20))
    assert cache.get("big") is big and "small" not in cache
    cache.put("next", _picture(2, 2))
    assert "big" not in cache and cache.bytes <= 100


def test_qts_own_pixmap_cache_is_bounded(qapp: QApplication) -> None:
    from PySide6.QtGui import QPixmapCache

    from kiosk.ui.qt.picture_cache import QT_PIXMAP_CACHE_KB, limit_qt_pixmap_cache

    before = QPixmapCache.cacheLimit()
    try:
        limit_qt_pixmap_cache()
        assert QPixmapCache.cacheLimit() == QT_PIXMAP_CACHE_KB < 10 * 1024
    finally:
        QPixmapCache.setCacheLimit(before)
