"""A picture full-screen: to look at it closely, with its caption and credit.

It opens from a tap on a picture in the event panel and covers the whole window with a dark
backdrop. The picture fills the space above its caption; two fingers pinch it larger (up to
`MAX_ZOOM` times, around the point between them), one finger moves it while it is enlarged, and
it never slides out of sight. A tap beside the picture, or the close button, ends it. With a
mouse (the curators' preview) the wheel zooms, a drag moves and a click beside it closes.

The picture is decoded at the screen's size in the background (panels/pictures.py); until it
is in, the panel's smaller copy stands in for it, enlarged. Enlarged past one and a half times,
a sharper copy (up to one and a half times the screen's size, never more than the file has)
is decoded.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
    QTouchEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from kiosk.content import Bundle
from kiosk.content.data import pick
from kiosk.ui.journey import theme
from kiosk.ui.journey.state import KioskState
from kiosk.ui.journey.words import tr
from kiosk.ui.map.touch_rules import tap_slop_px
from kiosk.ui.panels.pictures import PictureKey, PictureStore, picture_store
from kiosk.ui.qt import screen_density
from kiosk.ui.qt.images import picture_size

MAX_ZOOM = 6.0
DETAIL_FROM = 1.5  # enlarged this much, a sharper copy is decoded
DETAIL_TIMES = 1.5  # ... of up to this many times the screen's size (16 MB at 1080p)
MARGIN = 28
CAPTION_PX = 24
CREDIT_PX = 18
BACKDROP = QColor(12, 12, 12, 238)
TEXT = QColor("#f4f1e8")  # 17:1 on the backdrop
TEXT_SOFT = QColor("#c9c4b8")  # 11:1
WHEEL_STEP = 1.25  # a mouse wheel's notch zooms by this much


class PictureViewer(QWidget):
    """A picture of an event, full-screen over its parent; `closed` when it ends."""

    closed = Signal()

    def __init__(
        self,
        bundle: Bundle,
        state: KioskState,
        parent: QWidget,
        store: PictureStore | None = None,
    ) -> None:
        super().__init__(parent)
        self._bundle = bundle
        self._state = state
        self._store = store or picture_store()
        self.setObjectName("picture-viewer")
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.hide()
        self.event_id: str | None = None
        self.index = 0
        self.zoom = 1.0
        self.offset = QPointF()  # of the picture's centre from the middle of its area
        self._size = QSizeF(4, 3)  # the picture's proportions, as shown
        self._pixmap: QPixmap | None = None
        self._shown_key: PictureKey | None = None
        self._wanted: list[PictureKey] = []  # asked of the store, best last
        self._touch_start: QPointF | None = None
        self._pinch: tuple[float, float, QPointF, QPointF] | None = None
        self._pan_from: QPointF | None = None
        self._mouse_from: QPointF | None = None
        self._mouse_moved = False

        self.caption = QLabel(self)
        self.caption.setObjectName("picture-caption")
        self.credit = QLabel(self)
        self.credit.setObjectName("picture-credit")
        for label in (self.caption, self.credit):
            label.setTextFormat(Qt.TextFormat.PlainText)  # curator text, never HTML
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("picture-close")
        self.close_button.setMinimumSize(theme.TOUCH_MIN * 3, 64)
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.clicked.connect(self.close_picture)
        self._store.ready.connect(self._arrived)
        state.language_changed.connect(self._language_changed)
        state.selection_changed.connect(self._selection_changed)
        state.appearance_changed.connect(lambda _appearance: self._restyle())
        self._restyle()

    # --- opening and closing -------------------------------------------------------------

    def show_picture(self, event_id: str, index: int) -> None:
        """Show the event's picture number `index` over everything else."""
        event = self._bundle.event(event_id)
        if not 0 <= index < len(event.media):
            return
        self.event_id, self.index = event_id, index
        self.zoom, self.offset = 1.0, QPointF()
        path = self._path()
        size = picture_size(path)
        self._size = QSizeF(size) if size is not None else QSizeF(4, 3)
        self._pixmap, self._shown_key, self._wanted = None, None, []
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self._fill_text()
        self._layout()
        stand_in = self._store.largest(path)
        if stand_in is not None:
            self._pixmap = QPixmap.fromImage(stand_in)
        self._ask(1.0)
        self.show()
        self.raise_()
        self.setAccessibleName(self._alt())

    def close_picture(self) -> None:
        if self.isVisible():
            self.hide()
            self._pixmap, self._wanted = None, []  # the store keeps the decoded pictures
            self.closed.emit()

    def _selection_changed(self, _event_id: object) -> None:
        self.close_picture()  # another event, the panel closed, or the kiosk reset

    # --- the picture ---------------------------------------------------------------------

    def _path(self) -> Path:
        assert self.event_id is not None
        return self._bundle.root / self._bundle.event(self.event_id).media[self.index].file

    def _area(self) -> QRectF:
        """Where the picture may be, above its caption and clear of the close button."""
        top = MARGIN + self.close_button.height() + 12
        bottom = self.caption.y() - 16 if self.caption.height() else self.height() - MARGIN
        return QRectF(MARGIN, top, self.width() - 2 * MARGIN, max(40, bottom - top))

    def fitted_rect(self) -> QRectF:
        """The picture's rectangle at zoom 1: as large as the area allows, centred."""
        area = self._area()
        scale = min(area.width() / self._size.width(), area.height() / self._size.height())
        size = self._size * scale
        return QRectF(
            area.center().x() - size.width() / 2,
            area.center().y() - size.height() / 2,
            size.width(),
            size.height(),
        )

    def picture_rect(self) -> QRectF:
        """Where the picture is drawn now, enlarged and moved."""
        fitted = self.fitted_rect()
        size = fitted.size() * self.zoom
        centre = fitted.center() + self.offset
        return QRectF(
            centre.x() - size.width() / 2,
            centre.y() - size.height() / 2,
            size.width(),
            size.height(),
        )

    def _ask(self, zoom: float) -> None:
        """Ask the store for the picture at the size it is shown at (sharper when enlarged)."""
        fitted = self.fitted_rect()
        dpr = self.devicePixelRatioF()
        times = 1.0 if zoom < DETAIL_FROM else DETAIL_TIMES
        key = self._store.key(
            self._path(),
            round(fitted.width() * dpr * times),
            round(fitted.height() * dpr * times),
        )
        if key is None or key in self._wanted:
            return
        self._wanted.append(key)
        image = self._store.image(key)
        if image is not None:
            self._show(key, image)
        else:
            self._store.request(key)

    def _arrived(self, key: PictureKey) -> None:
        if key in self._wanted and self.isVisible():
            image = self._store.image(key)
            if image is not None:
                self._show(key, image)

    def _show(self, key: PictureKey, image: QImage) -> None:
        # A sharper copy replaces a smaller one, never the other way round.
        if self._shown_key is not None and self._shown_key.width > key.width:
            return
        self._shown_key = key
        self._pixmap = QPixmap.fromImage(image)
        self.update()

    @property
    def sharp(self) -> bool:
        """True once the picture is shown from a copy decoded for this screen."""
        return self._shown_key is not None

    @property
    def shown_width(self) -> int:
        """The width in pixels of the decoded copy shown (0 while only a stand-in is)."""
        return self._shown_key.width if self._shown_key is not None else 0

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Run the event loop until the sharpest copy asked for is in (for tests and scripts)."""
        return not self._wanted or self._store.wait(self._wanted[-1], timeout_ms)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKDROP)
        # Enlarged, the picture fills the screen but for the band of its caption and credit.
        band = self.caption.y() - 12 if self.caption.height() else self.height()
        painter.setClipRect(QRectF(0, 0, self.width(), band))
        rect = self.picture_rect()
        if self._pixmap is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawPixmap(rect, self._pixmap, QRectF(self._pixmap.rect()))
        else:
            painter.fillRect(rect, QColor(60, 60, 60))
        painter.end()

    # --- moving and enlarging ------------------------------------------------------------

    def _set_view(self, zoom: float, offset: QPointF) -> None:
        self.zoom = min(MAX_ZOOM, max(1.0, zoom))
        fitted = self.fitted_rect()
        area = self._area()
        # The picture may move until its edge reaches the middle of the area: never out of sight.
        reach_x = max(0.0, (fitted.width() * self.zoom - area.width()) / 2 + area.width() / 2)
        reach_y = max(0.0, (fitted.height() * self.zoom - area.height()) / 2 + area.height() / 2)
        if self.zoom <= 1.0:
            reach_x = reach_y = 0.0
        self.offset = QPointF(
            min(reach_x, max(-reach_x, offset.x())), min(reach_y, max(-reach_y, offset.y()))
        )
        self.update()

    def zoom_at(self, factor: float, at: QPointF) -> None:
        """Enlarge by `factor`, keeping the spot of the picture under `at` where it is."""
        self._zoom_from(self.zoom * factor, self.zoom, self.offset, at, at)
        if self.zoom >= DETAIL_FROM:
            self._ask(self.zoom)

    def _zoom_from(
        self, zoom: float, zoom_before: float, offset_before: QPointF, at: QPointF, to: QPointF
    ) -> None:
        """The view enlarged to `zoom` from a view (`zoom_before`, `offset_before`), with the
        spot of the picture that was under `at` brought under `to`."""
        zoom = min(MAX_ZOOM, max(1.0, zoom))
        fitted_centre = self.fitted_rect().center()
        spot = (at - (fitted_centre + offset_before)) / zoom_before  # from the picture's centre
        self._set_view(zoom, to - spot * zoom - fitted_centre)

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (
            QEvent.Type.TouchBegin,
            QEvent.Type.TouchUpdate,
            QEvent.Type.TouchEnd,
            QEvent.Type.TouchCancel,
        ):
            assert isinstance(event, QTouchEvent)
            self._touch(event)
            event.accept()
            return True
        return super().event(event)

    def _touch(self, event: QTouchEvent) -> None:
        kind = event.type()
        points = [p for p in event.points() if p.state() != p.State.Released]
        if kind == QEvent.Type.TouchCancel:
            self._touch_start = self._pinch = self._pan_from = None
            return
        if kind == QEvent.Type.TouchBegin:
            self._touch_start = self._pan_from = event.points()[0].position()
        if len(points) >= 2:
            self._touch_start = None  # two fingers: never a tap
            a, b = points[0].position(), points[1].position()
            gap = max(1.0, math.dist(a.toTuple(), b.toTuple()))
            middle = (a + b) / 2
            if self._pinch is None:
                self._pinch = (gap, self.zoom, middle, self.offset)
                return
            start_gap, start_zoom, start_middle, start_offset = self._pinch
            # The spot that was between the fingers stays between them, enlarged with the gap.
            self._zoom_from(
                start_zoom * gap / start_gap, start_zoom, start_offset, start_middle, middle
            )
            self._pan_from = None
            return
        if self._pinch is not None and len(points) == 1:
            self._pinch = None  # one finger left of a pinch: it moves the picture from here
            self._pan_from = points[0].position()
            return
        if len(points) == 1 and kind == QEvent.Type.TouchUpdate:
            pos = points[0].position()
            if self._pan_from is None:
                self._pan_from = pos
            if self._touch_start is not None and (
                math.dist(pos.toTuple(), self._touch_start.toTuple())
                > tap_slop_px(screen_density.px_per_mm(self))
            ):
                self._touch_start = None  # moved too far for a tap
            self._set_view(self.zoom, self.offset + (pos - self._pan_from))
            self._pan_from = pos
            return
        if kind == QEvent.Type.TouchEnd:
            start, self._touch_start = self._touch_start, None
            self._pinch = self._pan_from = None
            if start is not None:
                self._tapped(start)
            elif self.zoom >= DETAIL_FROM:
                self._ask(self.zoom)

    def _tapped(self, pos: QPointF) -> None:
        if self.close_button.geometry().contains(pos.toPoint()):
            self.close_button.click()
        elif not self.picture_rect().contains(pos):
            self.close_picture()  # a tap beside the picture ends it, as on the quotation card

    # The mouse (the curators' preview): the wheel zooms, a drag moves, a click beside closes.
    def wheelEvent(self, event: QWheelEvent) -> None:
        notches = event.angleDelta().y() / 120
        if notches:
            self.zoom_at(WHEEL_STEP**notches, event.position())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._mouse_from, self._mouse_moved = event.position(), False
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._mouse_from is not None:
            delta = event.position() - self._mouse_from
            if abs(delta.x()) + abs(delta.y()) > 4:
                self._mouse_moved = True
            self._set_view(self.zoom, self.offset + delta)
            self._mouse_from = event.position()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._mouse_from is not None and not self._mouse_moved:
            self._tapped(event.position())
        self._mouse_from = None
        event.accept()

    # --- words and layout ----------------------------------------------------------------

    def _alt(self) -> str:
        if self.event_id is None:
            return ""
        media = self._bundle.event(self.event_id).media[self.index]
        if media.alt is None:
            return pick(media.caption, self._state.language, self._bundle.default_language)
        return pick(media.alt, self._state.language, self._bundle.default_language)

    def _fill_text(self) -> None:
        if self.event_id is None:
            return
        language = self._state.language
        media = self._bundle.event(self.event_id).media[self.index]
        self.caption.setText(pick(media.caption, language, self._bundle.default_language))
        self.credit.setText(media.credit)
        self.close_button.setText(f"✕  {tr(language, 'close')}")

    def _language_changed(self, _language: str) -> None:
        if self.isVisible():
            self._fill_text()
            self._layout()
            self.setAccessibleName(self._alt())

    def _restyle(self) -> None:
        self.caption.setFont(theme.font(theme.SERIF, theme.scaled(CAPTION_PX)))
        self.caption.setStyleSheet(f"color: {TEXT.name()}; background: transparent;")
        self.credit.setFont(theme.font(theme.SANS, theme.scaled(CREDIT_PX)))
        self.credit.setStyleSheet(f"color: {TEXT_SOFT.name()}; background: transparent;")
        self.close_button.setFont(theme.font(theme.SANS, theme.scaled(21), bold=True))
        self.close_button.setStyleSheet(
            f"QPushButton {{ background: {TEXT.name()}; color: #111111; "
            "border: 3px solid #111111; border-radius: 8px; padding: 6px 18px; }"
        )
        if self.isVisible():
            self._layout()

    def _layout(self) -> None:
        width, height = self.width(), self.height()
        self.close_button.adjustSize()
        self.close_button.move(width - MARGIN - self.close_button.width(), MARGIN)
        text_width = min(width - 2 * MARGIN, theme.scaled(1100))
        x = (width - text_width) // 2
        credit_height = self.credit.heightForWidth(text_width)
        caption_height = self.caption.heightForWidth(text_width)
        credit_y = height - MARGIN - credit_height
        caption_y = credit_y - 6 - caption_height
        self.caption.setGeometry(x, caption_y, text_width, caption_height)
        self.credit.setGeometry(x, credit_y, text_width, credit_height)
        self._set_view(self.zoom, self.offset)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._layout()
