"""What the map keeps is pixels only: a QImage that has been painted on keeps its paint engine,
with the rasteriser's buffers, for as long as it lives, several times its pixels for a lettered
name. Tiles and names are painted, then copied out, so the copies kept hold none of that."""

from __future__ import annotations

import ctypes
import gc
import platform
import sys

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from kiosk.content import Bundle
from kiosk.ui.journey import theme
from kiosk.ui.map.labels import LabelStyle, letter
from kiosk.ui.map.tile_cache import TileKey
from kiosk.ui.map.tiles import TILE_PX, _TileSource, style_of

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="measured with glibc's mallinfo2",
)


_FIELDS = "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost"


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in _FIELDS.split(" ")]


def _in_use() -> int:
    """Bytes the C allocator has handed out and not had back (heap blocks and mapped ones)."""
    libc = ctypes.CDLL("libc.so.6")
    if not hasattr(libc, "mallinfo2"):  # pragma: no cover - glibc before 2.33
        pytest.skip("glibc without mallinfo2")
    libc.mallinfo2.restype = _MallInfo2
    gc.collect()
    info = libc.mallinfo2()
    return int(info.uordblks + info.hblkhd)


def test_lettered_names_kept_hold_their_pixels_and_little_more(qapp: QApplication) -> None:
    theme.load_fonts()
    style = LabelStyle(theme.SERIF, 19, "#7b5a3a", capitals=True, spacing=3.0)  # with a halo
    paper, ink = QColor("#f3ead8"), QColor("#3f3124")
    letter("Warm-up", style, paper, ink, 1.0)  # the font's own caches, made once
    before = _in_use()
    kept: list[QImage] = [letter(f"Name of a place {i}", style, paper, ink, 1.0) for i in range(60)]
    pixels = sum(image.sizeInBytes() for image in kept)
    held = _in_use() - before
    # Kept as painted, each held ~270 KB of paint engine besides its ~20 KB of pixels.
    assert held < 2 * pixels + 2**20, f"{held / 2**20:.1f} MB held for {pixels / 2**20:.1f} MB"


def test_rendered_tiles_kept_hold_their_pixels_and_little_more(
    qapp: QApplication, bundle: Bundle
) -> None:
    source = _TileSource(bundle, None, 0)
    style = style_of(theme.TABLE)
    scale = 4 * TILE_PX / bundle.projection.width  # the map four tiles across
    keys = [TileKey(style, scale, col, row) for col in range(4) for row in range(4)]
    for key in keys:  # the painter's paths, what Qt caches with each path drawn, the canvas
        source.render(key)
    before = _in_use()
    kept = [source.render(key) for key in keys]
    pixels = sum(image.sizeInBytes() for image in kept)
    held = _in_use() - before
    assert held < pixels + 2**20, f"{held / 2**20:.1f} MB held for {pixels / 2**20:.1f} MB"
    assert len({image.cacheKey() for image in kept}) == len(kept), "each its own pixels"
