"""Noticing visitors: every touch, the idle countdown ("Still there?"), and the reset after it.

`TouchWatcher` filters the input of the window's QWindow, where every touch, click and wheel
arrives before any widget sees it, so it notices a touch anywhere without each widget's help; it
can also keep a whole gesture from the widgets (the touch that ends the attract loop or the
countdown is not also a tap on whatever lies underneath). `IdleMonitor` is the state machine
active -> countdown -> attract on an injected `Clock`. `CountdownOverlay` draws the countdown.
"""

from __future__ import annotations

import enum
import math

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QSinglePointEvent,
    QTouchEvent,
    QWindow,
)
from PySide6.QtWidgets import QWidget

from kiosk.ui.journey import theme
from kiosk.ui.journey.words import tr
from kiosk.ui.qt.clock import Clock

COUNTDOWN_SECONDS = 10  # how long "Still there?" waits before starting again
POLL_SECONDS = 0.25

_PRESSES = {QEvent.Type.TouchBegin, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick}
_MOVES = {QEvent.Type.TouchUpdate, QEvent.Type.MouseMove, QEvent.Type.Wheel}
_RELEASES = {QEvent.Type.TouchEnd, QEvent.Type.TouchCancel, QEvent.Type.MouseButtonRelease}


class Phase(enum.Enum):
    """Where the kiosk is between visitors."""

    ACTIVE = "active"  # someone is (or was lately) using it
    COUNTDOWN = "countdown"  # "Still there?"
    ATTRACT = "attract"  # nobody: the attract loop runs


class TouchWatcher(QObject):
    """Reports every touch on a window; while `swallowing`, keeps the next gesture to itself."""

    # A finger or button went down, at this point of the window: once per touch (not again for
    # the mouse press Qt makes from it, nor for a double click's second press event).
    pressed = Signal(QPointF)
    active = Signal()  # any touch, drag, click or wheel

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.swallowing = False
        # Outside opening hours: touches are nobody's (a cleaner's cloth); none is reported.
        self.paused = False
        self._in_swallowed_gesture = False
        self._window: QWindow | None = None

    def watch(self, window: QWindow | None) -> None:
        """Watch `window` (the QWindow of the top-level widget) instead of the one before."""
        if window is self._window:
            return
        if self._window is not None:
            self._window.removeEventFilter(self)
        self._window = window
        if window is not None:
            window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A watcher the garbage collector is tearing down (its attributes cleared, its Qt object
        # not yet deleted) can still be handed its window's last events: it lets them pass.
        if getattr(self, "paused", True):
            return False
        kind = event.type()
        if kind in _PRESSES:
            swallow = self.swallowing  # decided before anyone reacts to this very touch
            self.active.emit()
            if kind != QEvent.Type.MouseButtonDblClick and not _synthesized(event):
                self.pressed.emit(_position(event))
            if swallow:
                self._in_swallowed_gesture = True
                event.accept()
                return True
        elif kind in _MOVES:
            if kind != QEvent.Type.MouseMove or (
                isinstance(event, QMouseEvent) and event.buttons() != Qt.MouseButton.NoButton
            ):
                self.active.emit()
            if self._in_swallowed_gesture:
                event.accept()
                return True
        elif kind in _RELEASES:
            self.active.emit()
            if self._in_swallowed_gesture:
                # A touch sequence ends with TouchEnd once every finger is up.
                self._in_swallowed_gesture = False
                event.accept()
                return True
        return False


def _synthesized(event: QEvent) -> bool:
    return (
        isinstance(event, QMouseEvent)
        and event.source() != Qt.MouseEventSource.MouseEventNotSynthesized
    )


def _position(event: QEvent) -> QPointF:
    if isinstance(event, QTouchEvent) and event.points():
        return event.points()[0].position()
    if isinstance(event, QSinglePointEvent):
        return event.position()
    return QPointF()


class IdleMonitor(QObject):
    """After `idle_seconds` without a touch: a countdown; after that, a reset and the attract loop.

    Any touch during the countdown or the attract loop makes the kiosk active again.
    """

    phase_changed = Signal(object)  # the new Phase
    countdown_changed = Signal(int)  # whole seconds left in the countdown
    reset_requested = Signal()  # the countdown ran out: back to the start

    def __init__(
        self,
        clock: Clock,
        idle_seconds: float,
        countdown_seconds: float = COUNTDOWN_SECONDS,
        parent: QObject | None = None,
        *,
        enabled: bool = True,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self.idle_seconds = idle_seconds
        self.countdown_seconds = countdown_seconds
        self._phase = Phase.ACTIVE
        self._last_touch = clock.now()
        self._countdown_end = 0.0
        self._seconds_left = 0
        self._busy = False
        self._timer = clock.timer(POLL_SECONDS, self._poll, self)
        if enabled:  # disabled, the kiosk never goes idle by itself (enter_attract still works)
            self._timer.start()

    @property
    def phase(self) -> Phase:
        return self._phase

    @property
    def seconds_left(self) -> int:
        return self._seconds_left

    def touched(self) -> None:
        self._last_touch = self._clock.now()
        if self._phase is not Phase.ACTIVE:
            self._set_phase(Phase.ACTIVE)

    def set_busy(self, busy: bool) -> None:
        """While busy (the story plays), the kiosk is not idle; idleness counts from the end."""
        self._busy = busy
        self._last_touch = self._clock.now()

    def enter_attract(self) -> None:
        """Go straight to the attract loop (at start-up: nobody has touched anything yet)."""
        self._set_phase(Phase.ATTRACT)

    def _set_phase(self, phase: Phase) -> None:
        self._phase = phase
        self.phase_changed.emit(phase)

    def _poll(self) -> None:
        now = self._clock.now()
        if self._phase is Phase.ACTIVE:
            if not self._busy and now - self._last_touch >= self.idle_seconds:
                self._countdown_end = now + self.countdown_seconds
                self._seconds_left = math.ceil(self.countdown_seconds)
                self._set_phase(Phase.COUNTDOWN)
                self.countdown_changed.emit(self._seconds_left)
        elif self._phase is Phase.COUNTDOWN:
            left = max(0, math.ceil(self._countdown_end - now))
            if left != self._seconds_left:
                self._seconds_left = left
                self.countdown_changed.emit(left)
            if now >= self._countdown_end:
                self.reset_requested.emit()
                self._set_phase(Phase.ATTRACT)


class CountdownOverlay(QWidget):
    """The "Still there?" card and the seconds left, over a darkened screen; touches pass on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("countdown")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.language = "en"
        self.seconds_left = COUNTDOWN_SECONDS
        self.total = COUNTDOWN_SECONDS
        self.hide()

    def show_seconds(self, seconds: int) -> None:
        self.seconds_left = seconds
        self.update()

    def card_rect(self) -> QRectF:
        width = min(self.width() - 48, theme.scaled(760))
        # padding, title, gap, line, gap, ring, padding (as drawn by paintEvent)
        height = theme.scaled(36) * 2 + theme.scaled(48) * 1.3 + theme.scaled(8)
        height += theme.scaled(26) * 1.4 + theme.scaled(20) + 2 * theme.scaled(70)
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)

    def paintEvent(self, event: QPaintEvent) -> None:
        colours = theme.palette()
        panel = colours.panel
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), colours.wash)
        card = self.card_rect()
        painter.setPen(QPen(panel.text["ink"], 3))
        painter.setBrush(panel.background)
        painter.drawRoundedRect(card, 16, 16)

        y = card.top() + theme.scaled(36)
        title_px = theme.scaled(48)
        painter.setFont(theme.font(theme.SERIF, title_px, bold=True))
        painter.drawText(
            QRectF(card.left(), y, card.width(), title_px * 1.3),
            Qt.AlignmentFlag.AlignCenter,
            tr(self.language, "still_there"),
        )
        y += title_px * 1.3 + theme.scaled(8)
        body_px = theme.scaled(26)
        painter.setFont(theme.font(theme.SANS, body_px))
        painter.drawText(
            QRectF(card.left() + 24, y, card.width() - 48, body_px * 1.4),
            Qt.AlignmentFlag.AlignCenter,
            tr(self.language, "touch_to_stay"),
        )
        y += body_px * 1.4 + theme.scaled(20)

        # The seconds left, in a ring that empties as they run out.
        radius = theme.scaled(70)
        ring = QRectF(card.center().x() - radius, y, 2 * radius, 2 * radius)
        painter.setPen(QPen(panel.text["soft"], 4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(ring)
        share = self.seconds_left / self.total if self.total else 0.0
        painter.setPen(
            QPen(panel.text["accent"], 12, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        )
        painter.drawArc(ring.adjusted(6, 6, -6, -6), 90 * 16, round(share * 360 * 16))
        painter.setPen(panel.text["ink"])
        painter.setFont(theme.font(theme.SANS, theme.scaled(60), bold=True))
        painter.drawText(ring, Qt.AlignmentFlag.AlignCenter, str(self.seconds_left))
        painter.end()
