"""Curator pictures for the panels and the viewer: decoded off the GUI thread, kept scaled.

A camera's photograph (24 megapixels, 13 MB) takes 150-190 ms to decode: on the GUI thread, at
every opening of its panel, three times the whole budget from a tap to the panel's first frame.
So a picture is shown at once as a quiet box of its own proportions (read from the header, a
fraction of a millisecond) while a background job on the map's lane (`kiosk.ui.qt.work`)
decodes it, scaled while decoding, to the size it is shown at; the courier brings the image
back to the GUI thread, where the box becomes the picture. Decoded pictures are kept, keyed by
file, its modification and the size asked for, up to `BUDGET_BYTES` (least recently used first
out), so opening the panel again, or the next visitor opening it, shows the picture in the first
frame.
"""

from __future__ import annotations

import functools
import logging
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ui.journey import theme
from kiosk.ui.panels.parts import ClickTaps
from kiosk.ui.qt import work
from kiosk.ui.qt.images import decode_image, picture_size

log = logging.getLogger(__name__)

# About ten panel-sized pictures (two panels of five) and one full-screen one at 1080p: the
# kiosk's whole resident budget is 150 MB (DESIGN.md; the budgets of every cache are in
# docs/performance.md, "Memory"), so pictures get a bounded part of it.
BUDGET_BYTES = 24 * 1024 * 1024
PRIORITY = 1  # ahead of map tiles (0) and name lettering (-1) waiting in the map's lane


@dataclass(frozen=True)
class PictureKey:
    """A picture file as it is now, at one size in device pixels (width, and height to fit)."""

    path: str
    modified_ns: int
    file_size: int
    width: int
    height: int  # 0: scaled to the width alone


def _key(path: Path, width: int, height: int = 0) -> PictureKey | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return PictureKey(str(path), stat.st_mtime_ns, stat.st_size, width, height)


def _decode(key: PictureKey) -> tuple[PictureKey, QImage | None]:
    """In a worker thread: decode the image (None if it cannot be shown)."""
    try:
        image = decode_image(Path(key.path), key.width, key.height or None)
    except Exception:  # a broken picture must not take the exhibit down
        log.exception("could not decode the picture %s", key.path)
        image = None
    return key, image


class PictureStore(QObject):
    """Decoded pictures, at the sizes asked for; `ready` says when one has come in."""

    ready = Signal(object)  # the PictureKey now in the store (or known to have failed)

    def __init__(self, budget_bytes: int = BUDGET_BYTES, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.budget_bytes = budget_bytes
        self._images: OrderedDict[PictureKey, QImage] = OrderedDict()
        self._bytes = 0
        self._failed: set[PictureKey] = set()
        self._waiting: set[PictureKey] = set()

    @property
    def bytes_held(self) -> int:
        return self._bytes

    def key(self, path: Path, width: int, height: int = 0) -> PictureKey | None:
        """The key of `path` as it is now; None if the file cannot be found."""
        return _key(path, width, height)

    def image(self, key: PictureKey) -> QImage | None:
        """The decoded picture if it is in the store (and marks it recently used)."""
        image = self._images.get(key)
        if image is not None:
            self._images.move_to_end(key)
        return image

    def largest(self, path: Path) -> QImage | None:
        """The largest decoded copy of the picture at `path` as it is now, if any: a stand-in
        while a copy of the size wanted is decoded."""
        now = _key(path, 0)
        if now is None:
            return None
        best = max(
            (
                (k.width, image)
                for k, image in self._images.items()
                if k.path == now.path
                and (k.modified_ns, k.file_size) == (now.modified_ns, now.file_size)
            ),
            key=lambda pair: pair[0],
            default=None,
        )
        return best[1] if best is not None else None

    def clear(self) -> None:
        """Forget every decoded picture (pictures on their way still arrive)."""
        self._images.clear()
        self._failed.clear()
        self._bytes = 0

    def failed(self, key: PictureKey) -> bool:
        return key in self._failed

    def request(self, key: PictureKey) -> None:
        """Decode the picture in the background unless it is in, known bad, or on its way."""
        if key in self._images or key in self._failed or key in self._waiting:
            return
        self._waiting.add(key)
        work.submit(functools.partial(_decode, key), self._arrived, priority=PRIORITY)

    def wait(self, key: PictureKey, timeout_ms: int = 10_000) -> bool:
        """Run the event loop until `key` has come in (for tests and scripts)."""
        from PySide6.QtCore import QDeadlineTimer, QEventLoop, QTimer

        if key not in self._waiting:
            return True
        loop = QEventLoop()
        self.ready.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        deadline = QDeadlineTimer(timeout_ms)
        while key in self._waiting and not deadline.hasExpired():
            loop.exec()
        self.ready.disconnect(loop.quit)
        return key not in self._waiting

    def _arrived(self, result: tuple[PictureKey, QImage | None]) -> None:
        key, image = result
        self._waiting.discard(key)
        if image is None:
            self._failed.add(key)
        else:
            self._images[key] = image
            self._bytes += image.sizeInBytes()
            while self._bytes > self.budget_bytes and len(self._images) > 1:
                _, dropped = self._images.popitem(last=False)
                self._bytes -= dropped.sizeInBytes()
        self.ready.emit(key)


_store: PictureStore | None = None


def picture_store() -> PictureStore:
    """The one store of the process (on the GUI thread), so a window rebuilt for a new bundle
    or language finds the pictures already decoded."""
    global _store
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance()
    if _store is None or _store.parent() is not app:
        _store = PictureStore(parent=app)
    return _store


class PictureBox(QWidget):
    """A picture in a panel: its own proportions at once, the picture itself once decoded.

    It is as wide as its layout gives it and as high as the picture's proportions ask; until
    the picture is in, a quiet box stands in its place, and a picture that cannot be shown
    leaves a framed box with a symbol (never a hole or an error). A tap emits `tapped`.
    """

    tapped = Signal()

    def __init__(self, path: Path, width: int, store: PictureStore | None = None) -> None:
        super().__init__()
        self.setObjectName("media-image")
        self.path = path
        self.index = 0  # its place among the event's pictures
        ClickTaps(self, self.tapped.emit)  # a click (the preview, with a mouse) is a tap too
        self._store = store or picture_store()
        dpr = self.devicePixelRatioF()
        size = picture_size(path)
        self._aspect = size.height() / size.width() if size is not None else 2 / 3
        self._width = width
        self._key = self._store.key(path, round(width * dpr)) if size is not None else None
        self._pixmap: QPixmap | None = None
        self.broken = self._key is None
        self.setFixedSize(width, self.shown_height())
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        if self._key is not None:
            self._store.ready.connect(self._arrived)
            self._take(self._key)
            if self._pixmap is None and not self.broken:
                self._store.request(self._key)

    def shown_height(self) -> int:
        return max(1, round(self._width * self._aspect))

    @property
    def loaded(self) -> bool:
        """True once the picture itself is shown."""
        return self._pixmap is not None

    def _take(self, key: PictureKey) -> None:
        image = self._store.image(key)
        if image is not None:
            self._pixmap = QPixmap.fromImage(image)
            self.update()
        elif self._store.failed(key):
            self.broken = True
            self.update()

    def _arrived(self, key: PictureKey) -> None:
        if key == self._key:
            self._take(key)

    def pixmap(self) -> QPixmap:
        """What the box shows now, at its size (the picture, or the box standing in for it)."""
        shown = QPixmap(self.size() * self.devicePixelRatioF())
        shown.setDevicePixelRatio(self.devicePixelRatioF())
        shown.fill(Qt.GlobalColor.transparent)
        painter = QPainter(shown)
        self._draw(painter)
        painter.end()
        return shown

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self._draw(painter)
        painter.end()

    def _draw(self, painter: QPainter) -> None:
        rect = QRectF(0, 0, self.width(), self.height())
        if self._pixmap is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawPixmap(rect, self._pixmap, QRectF(self._pixmap.rect()))
            return
        painter.fillRect(rect, theme.CARD.darker(108))
        if self.broken:
            painter.setPen(theme.INK_SOFT)
            painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
            painter.setFont(theme.font(theme.SANS, 40))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "▢")

    def sizeHint(self) -> QSize:
        return QSize(self._width, self.shown_height())
