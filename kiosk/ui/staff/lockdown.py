"""Kiosk-mode lockdown and the hidden staff gesture, as one application-wide event filter.

While locked, shortcuts, context menus and close requests (a window manager's close button,
Alt+F4) do nothing, nor does any key that could lead out of the exhibit: Escape, function keys,
system keys, and anything held with Ctrl, Alt or Meta. Plain keys (arrows, Tab, Return, Space,
letters) still reach the exhibit, for the visitor's keypad (kiosk/ui/access/keypad.py), and so
do the keys of its key map (a help key may be F1); no plain key can leave the kiosk. Widgets
marked as staff widgets (the PIN pad and the admin screen, see kiosk/ui/qt/staff_marks.py) get
every key.

The staff gesture works locked or not: a press held for `hold_seconds` (finger or mouse) inside
the configured corner of the kiosk window emits `staff_requested`. The press is only watched,
never taken, so whatever lies in the corner still works as usual for a visitor.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QTouchEvent
from PySide6.QtWidgets import QWidget

from kiosk.ui.qt.clock import Clock, SystemClock
from kiosk.ui.qt.staff_marks import is_staff

CORNER_SIZE = 120  # logical px: about 2.5 cm on a 1080p 40" screen, easy to find for staff

_KEY_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride}
_ESCAPE_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)
_SYSTEM_KEYS = {
    Qt.Key.Key_Escape,
    Qt.Key.Key_Menu,
    Qt.Key.Key_Super_L,
    Qt.Key.Key_Super_R,
    Qt.Key.Key_Hyper_L,
    Qt.Key.Key_Hyper_R,
    Qt.Key.Key_Meta,
    Qt.Key.Key_Alt,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_Control,
    Qt.Key.Key_Close,
    Qt.Key.Key_Exit,
    Qt.Key.Key_Cancel,
    Qt.Key.Key_Back,
    Qt.Key.Key_HomePage,
    Qt.Key.Key_Sleep,
    Qt.Key.Key_PowerOff,
    Qt.Key.Key_Suspend,
    Qt.Key.Key_Hibernate,
    Qt.Key.Key_LaunchMedia,
    Qt.Key.Key_Explorer,
    Qt.Key.Key_Search,
    Qt.Key.Key_Print,
    Qt.Key.Key_SysReq,
}


def _visitor_may_press(event: QKeyEvent) -> bool:
    """A plain key that cannot lead out of the exhibit."""
    key = event.key()
    if event.modifiers() & _ESCAPE_MODIFIERS or key in _SYSTEM_KEYS:
        return False
    return not Qt.Key.Key_F1 <= key <= Qt.Key.Key_F35


_PRESS_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin}
_MOVE_EVENTS = {QEvent.Type.MouseMove, QEvent.Type.TouchUpdate}
_RELEASE_EVENTS = {
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.TouchEnd,
    QEvent.Type.TouchCancel,
}


class Lockdown(QObject):
    """Install with `QApplication.installEventFilter(lockdown)`."""

    staff_requested = Signal()

    def __init__(
        self,
        window: QWidget,
        corner: str = "top-left",
        hold_seconds: float = 3.0,
        locked: bool = True,
        visitor_keys: Iterable[int] = (),
        clock: Clock | None = None,
    ) -> None:
        super().__init__(window)
        # The keypad's keys: they reach the exhibit even where a plain key would not (F1).
        self.visitor_keys = frozenset(visitor_keys)
        self.window = window
        self.corner = corner
        self.locked = locked
        self.allow_close = False  # set by the admin screen's "exit to the desktop"
        clock = clock or SystemClock(self)
        self._hold = clock.timer(hold_seconds, self._held, self)

    def _held(self) -> None:
        self._hold.stop()  # once per press
        self.staff_requested.emit()

    @property
    def holding(self) -> bool:
        return self._hold.active

    def corner_rect(self) -> QRect:
        """The corner's square in global (screen) coordinates."""
        origin = self.window.mapToGlobal(QPoint(0, 0))
        width, height = self.window.width(), self.window.height()
        x = origin.x() + (width - CORNER_SIZE if self.corner.endswith("right") else 0)
        y = origin.y() + (height - CORNER_SIZE if self.corner.startswith("bottom") else 0)
        return QRect(x, y, CORNER_SIZE, CORNER_SIZE)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _PRESS_EVENTS or kind in _MOVE_EVENTS or kind in _RELEASE_EVENTS:
            self._track(kind, event)
            return False
        if not self.locked:
            return False
        if kind == QEvent.Type.ContextMenu:
            return True
        if kind == QEvent.Type.Shortcut:
            return True  # a shortcut firing is never for a visitor
        if kind in _KEY_EVENTS and isinstance(event, QKeyEvent):
            keypad = event.key() in self.visitor_keys and not event.modifiers() & _ESCAPE_MODIFIERS
            return not (is_staff(watched) or keypad or _visitor_may_press(event))
        if kind == QEvent.Type.Close and watched is self.window and not self.allow_close:
            event.ignore()
            return True
        return False

    def _track(self, kind: QEvent.Type, event: QEvent) -> None:
        position = self._global_position(event)
        if kind in _RELEASE_EVENTS or (position is None and isinstance(event, QTouchEvent)):
            self._hold.stop()  # a lift, or a second finger: a pinch is never the staff gesture
        elif position is None or not self.window.isVisible():
            return
        elif kind in _PRESS_EVENTS:
            if self.corner_rect().contains(position.toPoint()) and not self._hold.active:
                self._hold.start()
        elif self._hold.active and not self.corner_rect().adjusted(-24, -24, 24, 24).contains(
            position.toPoint()
        ):
            self._hold.stop()  # a finger wobbles; a drag out of the corner is a visitor panning

    @staticmethod
    def _global_position(event: QEvent) -> QPointF | None:
        if isinstance(event, QTouchEvent):
            points = event.points()
            if len(points) != 1:
                return None  # a pinch is never the staff gesture
            return points[0].globalPosition()
        if isinstance(event, QMouseEvent):
            if event.type() == QEvent.Type.MouseMove and not event.buttons():
                return None  # hover
            if event.type() == QEvent.Type.MouseButtonPress and (
                event.button() != Qt.MouseButton.LeftButton
            ):
                return None
            return event.globalPosition()
        return None
