"""The timeline: a bar with the bundle's days, and a play control that walks through the story.

The days come from the bundle's date range, in its own calendar; for a Julian-calendar bundle
each day also shows its New Style date. Tapping a day chooses it in the `KioskState` (the window
highlights that day's events and dims the rest); tapping it again clears it. `TimelinePlayer`
selects the events one after another on the clock; the window stops it at any touch.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.content import Bundle
from kiosk.content.calendars import to_gregorian
from kiosk.ui.journey import theme
from kiosk.ui.journey.dates import day_text
from kiosk.ui.journey.state import KioskState
from kiosk.ui.journey.words import tr
from kiosk.ui.qt.clock import Clock

STEP_SECONDS = 9.0  # how long the play control stays on each event
MAX_DOTS = 8  # a day shows one dot per event, up to this many


def bundle_days(bundle: Bundle) -> list[dt.date]:
    """Every day of the bundle's date range, in its own calendar."""
    span = bundle.manifest.dates
    return [span.start + dt.timedelta(days=n) for n in range((span.end - span.start).days + 1)]


def events_on(bundle: Bundle, day: dt.date) -> list[str]:
    """The ids of the events happening on `day` (an event spanning several days is on each)."""
    return [e.id for e in bundle.events if e.date <= day <= (e.date_end or e.date)]


# Day labels from longest to shortest; a button shows the longest that fits its width.
_FORMATS = ("d MMMM", "d MMM", "d")


class DayButton(QAbstractButton):
    """One day: its date in the bundle's calendar, the New Style date below, dots for events."""

    def __init__(self, day: dt.date, calendar: str, events: int) -> None:
        super().__init__()
        self.day = day
        self.new_style = to_gregorian(day, calendar) if calendar == "julian" else None
        self.events = events
        self.chosen = False
        self.language = "en"
        self.setObjectName(f"day-{day.isoformat()}")
        self.setEnabled(events > 0)  # nothing to highlight on an empty day
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumSize(theme.TOUCH_MIN, theme.TOUCH_MIN)

    def _fonts(self) -> tuple[int, int]:
        return theme.scaled(20), theme.scaled(15)

    def label(self) -> tuple[str, str]:
        """The two lines shown, in the longest form that fits the button."""
        main_px, small_px = self._fonts()
        main = QFontMetrics(theme.font(theme.SANS, main_px, bold=True))
        small = QFontMetrics(theme.font(theme.SANS, small_px))
        room = self.width() - 12
        lines = ("", "")
        for fmt in _FORMATS:
            top = day_text(self.day, self.language, fmt)
            bottom = day_text(self.new_style, self.language, fmt) if self.new_style else ""
            lines = (top, bottom)
            if main.horizontalAdvance(top) <= room and small.horizontalAdvance(bottom) <= room:
                break
        return lines

    def sizeHint(self) -> QSize:
        main_px = self._fonts()[0]
        width = QFontMetrics(theme.font(theme.SANS, main_px, bold=True)).horizontalAdvance(
            "00 February"
        )
        return QSize(width + 16, theme.TIMELINE_HEIGHT - 16)

    def minimumSizeHint(self) -> QSize:
        return QSize(theme.TOUCH_MIN, theme.TOUCH_MIN)

    def paintEvent(self, event: QPaintEvent) -> None:
        colours = theme.palette()
        if self.chosen:
            surface = colours.chosen_pressed if self.isDown() else colours.chosen
        else:
            surface = colours.bar_pressed if self.isDown() else colours.bar
        text = (
            surface.text["text"] if self.isEnabled() else surface.text.get("muted", colours.border)
        )
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        painter.setPen(QPen(colours.border if self.isEnabled() else text, 2))
        painter.setBrush(
            surface.background if (self.chosen or self.isDown()) else Qt.GlobalColor.transparent
        )
        painter.drawRoundedRect(box, 8, 8)
        main_px, small_px = self._fonts()
        top, bottom = self.label()
        painter.setPen(text)
        painter.setFont(theme.font(theme.SANS, main_px, bold=True))
        dots_height = 12 if self.events else 0
        text_height = main_px * 1.25 + (small_px * 1.25 if bottom else 0)
        y = box.top() + (box.height() - text_height - dots_height) / 2
        painter.drawText(
            QRectF(box.left(), y, box.width(), main_px * 1.25), Qt.AlignmentFlag.AlignCenter, top
        )
        y += main_px * 1.25
        if bottom:
            painter.setFont(theme.font(theme.SANS, small_px))
            painter.drawText(
                QRectF(box.left(), y, box.width(), small_px * 1.25),
                Qt.AlignmentFlag.AlignCenter,
                bottom,
            )
            y += small_px * 1.25
        dots = min(self.events, MAX_DOTS)
        if dots:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(text)
            gap = 10
            x = box.center().x() - (dots - 1) * gap / 2
            for n in range(dots):
                painter.drawEllipse(QRectF(x + n * gap - 3, y + 4, 6, 6))
        painter.end()


class TimelineBar(QWidget):
    """The play control and the day buttons, along the lower part of the screen."""

    play_requested = Signal()  # the play control was tapped (start, or stop while playing)

    def __init__(self, bundle: Bundle, state: KioskState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bundle = bundle
        self._state = state
        self._playing = False
        self.setObjectName("timeline")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setFixedHeight(theme.TIMELINE_HEIGHT)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 8)
        layout.setSpacing(8)

        self.play_button = QPushButton()
        self.play_button.setObjectName("play-button")
        self.play_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.play_button.setMinimumSize(theme.TOUCH_MIN * 3, theme.TIMELINE_HEIGHT - 16)
        self.play_button.clicked.connect(self.play_requested)
        layout.addWidget(self.play_button)
        layout.addSpacing(12)

        calendar = bundle.manifest.calendar
        self._calendars: list[QLabel] = []
        if calendar == "julian":
            # The two rows of dates are named once, at the start of the bar.
            captions = QWidget()
            column = QVBoxLayout(captions)
            column.setContentsMargins(0, 0, 0, 12)
            column.setSpacing(0)
            for _ in range(2):
                label = QLabel()
                label.setTextFormat(Qt.TextFormat.PlainText)
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                column.addWidget(label)
                self._calendars.append(label)
            layout.addWidget(captions)

        self.day_buttons: dict[dt.date, DayButton] = {}
        for day in bundle_days(bundle):
            button = DayButton(day, calendar, len(events_on(bundle, day)))
            button.clicked.connect(self._day_clicked)
            layout.addWidget(button, 1)
            self.day_buttons[day] = button

        state.language_changed.connect(self._retranslate)
        state.day_changed.connect(self._show_day)
        state.appearance_changed.connect(self._restyle)
        self._restyle()

    def _day_clicked(self) -> None:
        button = self.sender()
        assert isinstance(button, DayButton)
        self._state.set_day(None if self._state.day == button.day else button.day)

    def _show_day(self, day: dt.date | None) -> None:
        for button_day, button in self.day_buttons.items():
            button.chosen = button_day == day
            button.update()

    def set_playing(self, playing: bool) -> None:
        self._playing = playing
        self._retranslate(self._state.language)

    def _retranslate(self, language: str) -> None:
        key = "stop" if self._playing else "play"
        self.play_button.setText(tr(language, key))
        if self._calendars:
            self._calendars[0].setText(tr(language, "old_style"))
            self._calendars[1].setText(tr(language, "new_style"))
        for button in self.day_buttons.values():
            button.language = language
            button.update()

    def _restyle(self, *_args: object) -> None:
        colours = theme.palette()
        bar = colours.bar
        self.setStyleSheet(f"#timeline {{ background: {theme.css(bar.background)}; }}")
        self.play_button.setFont(theme.font(theme.SANS, theme.scaled(20), bold=True))
        self.play_button.setStyleSheet(button_style(chosen=self._playing))
        # Only a Julian-calendar bundle names its two rows of dates.
        for label, size in zip(self._calendars, (20, 15)[: len(self._calendars)], strict=True):
            label.setFont(theme.font(theme.SANS, theme.scaled(size)))
            label.setStyleSheet(f"color: {bar.text['muted'].name()}; background: transparent;")
        self._retranslate(self._state.language)
        self._show_day(self._state.day)


def button_style(chosen: bool) -> str:
    """The style sheet of a push button on the dark bars, chosen (on) or not."""
    colours = theme.palette()
    if chosen:
        normal, pressed, border = colours.chosen, colours.chosen_pressed, colours.chosen.background
    else:
        normal, pressed, border = colours.bar, colours.bar_pressed, colours.border
    background = "transparent" if not chosen else theme.css(normal.background)
    return (
        f"QPushButton {{ background: {background}; color: {normal.text['text'].name()}; "
        f"border: 2px solid {border.name()}; border-radius: 8px; padding: 6px 18px; }}"
        f"QPushButton:pressed {{ background: {theme.css(pressed.background)}; "
        f"color: {pressed.text['text'].name()}; }}"
    )


class TimelinePlayer(QObject):
    """Walks through the story: selects each event in time order, `STEP_SECONDS` apart."""

    playing_changed = Signal(bool)

    def __init__(
        self, bundle: Bundle, state: KioskState, clock: Clock, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._bundle = bundle
        self._state = state
        self._next = 0
        self._timer = clock.timer(STEP_SECONDS, self._step, self)

    @property
    def playing(self) -> bool:
        return self._timer.active

    def toggle(self) -> None:
        if self.playing:
            self.stop()
        else:
            self.start()

    def start(self) -> None:
        """Play from the event after the chosen one (from the first if none, or at the end)."""
        selected = self._state.selected
        events = self._bundle.events
        self._next = 0
        if selected is not None and self._bundle.index_of(selected) + 1 < len(events):
            self._next = self._bundle.index_of(selected) + 1
        self._timer.start()
        self.playing_changed.emit(True)
        self._step()

    def stop(self) -> None:
        if self.playing:
            self._timer.stop()
            self.playing_changed.emit(False)

    def _step(self) -> None:
        events = self._bundle.events
        if self._next >= len(events):
            self.stop()
            return
        event = events[self._next]
        self._next += 1
        self._state.set_day(event.date)
        self._state.select(event.id)
