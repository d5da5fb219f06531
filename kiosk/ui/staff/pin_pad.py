"""The staff PIN pad: large digit keys over a dimmed exhibit, opened by the hidden gesture.

Keys are 96 px, twice the kiosk's minimum touch target, since staff type here standing at the
screen. The PIN is checked by a `PinGate`, which slows down guessing with a delay after each
wrong PIN (at most a minute); the pad counts the delay down. The keys stay usable during it: a PIN
sent then is not checked (the pad says to wait, keeps the digits, and OK after the countdown sends
them), so the right PIN typed too early is never taken, or logged, as a wrong one.
Left alone for `IDLE_SECONDS` it closes, so a visitor who stumbled on it is not stuck.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.runtime.logs import log
from kiosk.runtime.pin import MAX_DIGITS, Outcome, PinGate
from kiosk.ui.journey import theme
from kiosk.ui.qt.staff_marks import mark_staff

KEY_SIZE = 96
IDLE_SECONDS = 30

_KEY_STYLE = (
    "QPushButton {{ background: {bg}; color: {fg}; border: 2px solid {border};"
    " border-radius: 12px; }}"
    "QPushButton:pressed {{ background: {pressed}; }}"
)


class PinPad(QWidget):
    """Covers its parent; emits `accepted` for the right PIN, `cancelled` when dismissed."""

    accepted = Signal()
    cancelled = Signal()

    def __init__(self, gate: PinGate, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("pin-pad")
        mark_staff(self)
        self.gate = gate
        self.entered = ""
        self._notice = ""  # what the last try came to, shown above a running countdown
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.card = QFrame(self)
        self.card.setObjectName("pin-card")
        self.card.setStyleSheet(
            f"#pin-card {{ background: {theme.CARD.name()}; border-radius: 16px; }}"
        )
        layout = QVBoxLayout(self.card)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(16)
        title = QLabel("Staff only: enter the PIN")
        title.setFont(theme.font(theme.SANS, 26, bold=True))
        title.setStyleSheet(f"color: {theme.INK.name()};")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        self.dots = QLabel()
        self.dots.setObjectName("pin-dots")
        self.dots.setFont(theme.font(theme.SANS, 40, bold=True))
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots.setMinimumHeight(56)
        self.dots.setStyleSheet(f"color: {theme.INK.name()};")
        layout.addWidget(self.dots)
        self.message = QLabel()
        self.message.setObjectName("pin-message")
        self.message.setFont(theme.font(theme.SANS, 20))
        self.message.setStyleSheet(f"color: {theme.ACCENT.name()};")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(56)
        layout.addWidget(self.message)

        grid = QGridLayout()
        grid.setSpacing(14)
        self.keys: dict[str, QPushButton] = {}
        labels = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "Clear", "0", "OK"]
        for index, label in enumerate(labels):
            button = self._key(label)
            grid.addWidget(button, index // 3, index % 3)
        layout.addLayout(grid)
        cancel = self._key("Cancel")
        cancel.setFixedWidth(3 * KEY_SIZE + 2 * 14)
        layout.addWidget(cancel, alignment=Qt.AlignmentFlag.AlignHCenter)

        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_SECONDS * 1000)
        self._idle.timeout.connect(self.cancel)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._show_lock)
        self._refresh()

    def _key(self, label: str) -> QPushButton:
        button = QPushButton(label)
        button.setObjectName(f"pin-key-{label.lower()}")
        button.setFixedSize(KEY_SIZE, KEY_SIZE)
        button.setFont(theme.font(theme.SANS, 34 if len(label) == 1 else 22, bold=True))
        primary = label == "OK"
        button.setStyleSheet(
            _KEY_STYLE.format(
                bg=(theme.ACCENT if primary else theme.CARD.darker(106)).name(),
                fg=(theme.CARD if primary else theme.INK).name(),
                border=theme.INK_SOFT.name(),
                pressed=theme.INK_SOFT.name(),
            )
        )
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda _checked=False, key=label: self.press(key))
        self.keys[label] = button
        return button

    def open(self) -> None:
        self.entered = ""
        self._notice = ""
        self.message.clear()
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.setFocus()
        self._idle.start()
        self._show_lock()
        self._refresh()

    def cancel(self) -> None:
        self._close()
        self.cancelled.emit()

    def _close(self) -> None:
        self.entered = ""
        self._idle.stop()
        self._countdown.stop()
        self.hide()

    def press(self, key: str) -> None:
        """One key of the pad: a digit, Clear, OK or Cancel."""
        self._idle.start()
        if key == "Cancel":
            self.cancel()
            return
        if key == "Clear":
            self.entered = ""
        elif key == "OK":
            self._submit()
        elif key.isdigit() and len(self.entered) < MAX_DIGITS:
            self.entered += key
        self._refresh()

    def _submit(self) -> None:
        verdict = self.gate.check(self.entered)
        if verdict.outcome is Outcome.NO_PIN:
            return
        if verdict.outcome is Outcome.WAIT:
            # Not checked: neither right nor wrong. The digits stay for OK after the countdown.
            self._notice = "Not checked yet."
            self._show_lock()
            return
        self.entered = ""
        if verdict.outcome is Outcome.ACCEPTED:
            self._close()
            self.accepted.emit()
            return
        log.warning("a wrong staff PIN was entered (%d in a row)", self.gate.failures)
        self._notice = "That PIN is not right."
        self._show_lock()

    def _show_lock(self) -> None:
        if not self.gate.has_pin:
            self.message.setText(
                "No staff PIN is set on this kiosk. A technician sets one with: kiosk set-pin"
            )
            return
        wait = self.gate.seconds_to_wait()
        if wait > 0:
            then = "then press OK" if self.entered else "then try again"
            self.message.setText(f"{self._notice} Wait {math.ceil(wait)} s, {then}.".strip())
            self._countdown.start()
        else:
            if self._countdown.isActive():  # the delay is over
                self._countdown.stop()
                self._notice = ""
            self.message.setText(self._notice)
        self._refresh()

    def _refresh(self) -> None:
        self.dots.setText("●" * len(self.entered) if self.entered else "–")
        for label, button in self.keys.items():
            if label != "Cancel":
                button.setEnabled(self.gate.has_pin)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A technician with a keyboard may type the PIN.
        text = event.text()
        if text.isdigit():
            self.press(text)
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.press("OK")
        elif event.key() == Qt.Key.Key_Backspace:
            self.press("Clear")
        elif event.key() == Qt.Key.Key_Escape:
            self.press("Cancel")

    def resizeEvent(self, event: object) -> None:
        self.card.adjustSize()
        self.card.move(
            (self.width() - self.card.width()) // 2, (self.height() - self.card.height()) // 2
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(20, 16, 12, 190))
