"""Curator images, decoded safely: size checked before decoding, under an allocation limit.

A missing, corrupt or oversized image gives a calm placeholder, never an error on screen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImageReader, QPainter, QPixmap

from kiosk.content.media import MAX_IMAGE_PIXELS
from kiosk.ui.journey import theme

# The validator refuses larger images; checked again here, as the file may have changed since.
MAX_PIXELS = MAX_IMAGE_PIXELS
# Tighter than Qt's default of 256 MB: the largest allowed image needs 4 bytes a pixel.
ALLOCATION_LIMIT_MB = MAX_IMAGE_PIXELS * 4 // (1024 * 1024) + 16


def load_image(path: Path, width: int, dpr: float = 1.0) -> QPixmap | None:
    """The image scaled to `width` logical px, or None if it cannot be shown safely."""
    reader = QImageReader(str(path))
    reader.setAllocationLimit(ALLOCATION_LIMIT_MB)
    size = reader.size()
    if not size.isValid() or size.width() * size.height() > MAX_PIXELS:
        return None
    target_w = round(width * dpr)
    target_h = max(1, round(size.height() * target_w / max(size.width(), 1)))
    reader.setScaledSize(QSize(target_w, target_h))
    image = reader.read()
    if image.isNull():
        return None
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(dpr)
    return pixmap


def placeholder(width: int, height: int, dpr: float = 1.0) -> QPixmap:
    """A quiet framed box standing in for an image that cannot be shown."""
    pixmap = QPixmap(round(width * dpr), round(height * dpr))
    pixmap.setDevicePixelRatio(dpr)
    pixmap.fill(theme.PAPER.darker(108))
    painter = QPainter(pixmap)
    painter.setPen(theme.INK_SOFT)
    painter.drawRect(QRectF(0.5, 0.5, width - 1, height - 1))
    painter.setFont(theme.font(theme.SANS, 40))
    painter.drawText(QRectF(0, 0, width, height), Qt.AlignmentFlag.AlignCenter, "▢")
    painter.end()
    return pixmap
