"""Curator images, decoded safely: size checked before decoding, under an allocation limit,
turned upright by their EXIF orientation, and scaled while decoding.

A missing, corrupt or oversized image gives None, never an error: the panel shows a calm stand-in.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader, QPixmap

from kiosk.content.media import MAX_IMAGE_PIXELS

# The validator refuses larger images; checked again here, as the file may have changed since.
MAX_PIXELS = MAX_IMAGE_PIXELS
# Tighter than Qt's default of 256 MB: the largest allowed image needs 4 bytes a pixel.
ALLOCATION_LIMIT_MB = MAX_IMAGE_PIXELS * 4 // (1024 * 1024) + 16


def picture_size(path: Path) -> QSize | None:
    """The picture's size as shown (turned upright by its EXIF orientation), from its header
    only; None if it cannot be shown safely."""
    reader = _reader(path)
    size = reader.size()
    if not size.isValid() or size.width() * size.height() > MAX_PIXELS:
        return None
    return _upright(size, reader)


def _reader(path: Path) -> QImageReader:
    reader = QImageReader(str(path))
    reader.setAllocationLimit(ALLOCATION_LIMIT_MB)
    # A phone photograph is often stored on its side with an EXIF note saying which way is up.
    reader.setAutoTransform(True)
    return reader


def _upright(size: QSize, reader: QImageReader) -> QSize:
    if reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90:
        return size.transposed()
    return size


def decode_image(path: Path, width_px: int, height_px: int | None = None) -> QImage | None:
    """The picture upright, scaled to `width_px` device pixels wide (or to fit within
    `width_px` x `height_px`), never larger than it is; None if it cannot be shown safely.

    Safe in any thread: it makes only a QImage (worker threads decode; see panels/pictures.py).
    """
    reader = _reader(path)
    stored = reader.size()
    if not stored.isValid() or stored.width() * stored.height() > MAX_PIXELS:
        return None
    shown = _upright(stored, reader)
    scale = width_px / max(shown.width(), 1)
    if height_px is not None:
        scale = min(scale, height_px / max(shown.height(), 1))
    scale = min(scale, 1.0)
    # The scaled size is of the picture as stored: Qt scales while decoding (a JPEG decodes at
    # an eighth, a quarter or a half of its size directly), then turns it upright.
    reader.setScaledSize(
        QSize(max(1, round(stored.width() * scale)), max(1, round(stored.height() * scale)))
    )
    image = reader.read()
    return None if image.isNull() else image


def load_image(path: Path, width: int, dpr: float = 1.0) -> QPixmap | None:
    """The image scaled to `width` logical px, or None if it cannot be shown safely."""
    image = decode_image(path, round(width * dpr))
    if image is None:
        return None
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(dpr)
    return pixmap
