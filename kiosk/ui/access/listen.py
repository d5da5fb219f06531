"""The Listen control at the top of the event panel: play or stop, progress, and captions.

Shown only when the open event can be heard in the visitor's language (a recording, or the
system's voice if the installation allows it). While it plays, a bar fills with the time heard
and the sentence being spoken is shown beneath it, so a visitor who cannot hear well (or stands
in a noisy hall) reads what the headphones say: for a recording with its own transcript that is
the only place the words appear.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.access.narration import Narration
from kiosk.ui.journey import theme
from kiosk.ui.journey.state import KioskState
from kiosk.ui.journey.words import tr

BAR_HEIGHT = 10


def _clock(seconds: float) -> str:
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


class ProgressLine(QWidget):
    """How much of the narration has been heard: a bar that fills, with a screen-reader value."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("listen-progress")
        self.setFixedHeight(BAR_HEIGHT)
        self.share = 0.0

    def set_share(self, share: float) -> None:
        self.share = min(1.0, max(0.0, share))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        colours = theme.palette().panel.text
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QRectF(self.rect())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colours["soft"])
        painter.drawRoundedRect(box, BAR_HEIGHT / 2, BAR_HEIGHT / 2)
        if self.share > 0:
            painter.setBrush(colours["ink"])
            filled = QRectF(
                box.left(), box.top(), max(BAR_HEIGHT, box.width() * self.share), BAR_HEIGHT
            )
            painter.drawRoundedRect(filled, BAR_HEIGHT / 2, BAR_HEIGHT / 2)
        painter.end()


class ListenBar(QFrame):
    """Listen / Stop for the open event, the time heard, and the sentence being spoken."""

    def __init__(self, narration: Narration, state: KioskState) -> None:
        super().__init__()
        self.setObjectName("listen-bar")
        self._narration = narration
        self._state = state
        self.event_id: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 4, 18, 8)
        layout.setSpacing(6)
        row = QHBoxLayout()
        row.setSpacing(14)
        self.button = QPushButton()
        self.button.setObjectName("listen-button")
        self.button.setMinimumSize(theme.TOUCH_MIN * 3, theme.TOUCH_MIN)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.toggle)
        self.progress = ProgressLine()
        self.time = QLabel()
        self.time.setObjectName("listen-time")
        self.time.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.button)
        row.addWidget(self.progress, 1)
        row.addWidget(self.time)
        layout.addLayout(row)
        self.captions = QLabel()
        self.captions.setObjectName("listen-captions")
        self.captions.setTextFormat(Qt.TextFormat.PlainText)  # curator text, never HTML
        self.captions.setWordWrap(True)
        self.captions.hide()
        layout.addWidget(self.captions)
        narration.changed.connect(self._changed)
        narration.progress.connect(self._progress)
        narration.caption.connect(self._caption)
        state.appearance_changed.connect(self.restyle)
        state.language_changed.connect(self._retranslate)
        self.restyle()
        self.hide()

    def show_for(self, event_id: str | None) -> None:
        """Offer the narration of `event_id` (hidden if it has none in the visitor's language)."""
        self.event_id = event_id
        self.setVisible(
            event_id is not None and self._narration.available(event_id, self._state.language)
        )
        self._retranslate()

    def toggle(self) -> None:
        """Play the open event's narration, or stop it if it plays."""
        if self._narration.playing:
            self._narration.stop()
        elif self.event_id is not None:
            self._narration.play(self.event_id, self._state.language)

    def _changed(self, event_id: str | None) -> None:
        playing = event_id is not None
        self.captions.setVisible(playing)
        if not playing:
            self.progress.set_share(0.0)
            self.time.setText("")
        self._retranslate()

    def _progress(self, position: float, seconds: float) -> None:
        self.progress.set_share(position / seconds if seconds else 0.0)
        self.time.setText(f"{_clock(position)} / {_clock(seconds)}")
        percent = round(100 * self.progress.share)
        self.progress.setAccessibleDescription(f"{percent}%")

    def _caption(self, text: str) -> None:
        if self.captions.text() != text:
            self.captions.setText(text)

    def _retranslate(self, *_args: object) -> None:
        language = self._state.language
        key = "stop_listening" if self._narration.playing else "listen"
        glyph = "■" if self._narration.playing else "▶"
        self.button.setText(f"{glyph}  {tr(language, key)}")
        self.button.setAccessibleName(tr(language, key))
        self.progress.setAccessibleName(tr(language, "listen"))

    def restyle(self, *_args: object) -> None:
        panel = theme.palette().panel
        ink, background = panel.text["ink"].name(), panel.background.name()
        accent = panel.text["accent"].name()
        self.button.setFont(theme.font(theme.SANS, theme.scaled(20), bold=True))
        self.button.setStyleSheet(
            f"QPushButton {{ background: {background}; color: {ink}; border: 2px solid {ink}; "
            "border-radius: 8px; padding: 6px 16px; }"
            f"QPushButton:pressed {{ background: {accent}; color: {background}; }}"
        )
        self.time.setFont(theme.font(theme.SANS, theme.scaled(17)))
        self.time.setStyleSheet(f"color: {ink}; background: transparent;")
        self.captions.setFont(theme.font(theme.SANS, theme.scaled(20), bold=True))
        self.captions.setStyleSheet(
            f"color: {background}; background: {ink}; border-radius: 6px; padding: 8px 12px;"
        )
