"""The timeline: a bar with the bundle's days, and a play control that walks through the story.

The bar holds any span, from one day to several years. It shows one button a day when they all
fit at a finger's size (at least `theme.TOUCH_MIN` px and `FINGER_MM` mm wide, as the markers);
when they do not, a button a week, then a month, then a year, whichever is the finest that fits;
a span so long that even its years do not fit scrolls sideways under a finger, with inertia.
Labels name the month wherever the days span more than one, and the year wherever they span more
than one (all from CLDR, kiosk.ui.journey.cldr). A Julian bundle's day or week shows its New Style
dates below. Tapping a button chooses its days in the `KioskState` (the window lights their
events and dims the rest); tapping it again clears the choice. `TimelinePlayer` selects the
events one after another on the clock; the bar shows (and scrolls to) the one playing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QVBoxLayout,
    QWidget,
)

from kiosk.content import Bundle
from kiosk.content.calendars import to_gregorian
from kiosk.ui.journey import cldr, theme
from kiosk.ui.journey.state import KioskState
from kiosk.ui.journey.words import tr
from kiosk.ui.map.touch_rules import FINGER_MM
from kiosk.ui.qt.clock import Clock
from kiosk.ui.qt.screen_density import px_per_mm

STEP_SECONDS = 9.0  # how long the play control stays on each event
MAX_DOTS = 8  # a button shows one dot per event, up to this many
KINDS = ("day", "week", "month", "year")  # the groupings, finest first
SPACING = 8  # px between buttons
TEXT_PADDING = 16  # px beside a button's label


def bundle_days(bundle: Bundle) -> list[dt.date]:
    """Every day of the bundle's date range, in its own calendar."""
    span = bundle.manifest.dates
    return [span.start + dt.timedelta(days=n) for n in range((span.end - span.start).days + 1)]


def events_between(bundle: Bundle, first: dt.date, last: dt.date) -> list[str]:
    """The ids of the events on any day from `first` to `last` (a span counts on each day)."""
    return [e.id for e in bundle.events if e.date <= last and (e.date_end or e.date) >= first]


def events_on(bundle: Bundle, day: dt.date) -> list[str]:
    """The ids of the events happening on `day` (an event spanning several days is on each)."""
    return events_between(bundle, day, day)


@dataclass(frozen=True)
class Period:
    """The days one timeline button stands for: a day, a week, a month or a year of the span."""

    first: dt.date
    last: dt.date
    kind: str

    def contains(self, day: dt.date) -> bool:
        return self.first <= day <= self.last


def periods(start: dt.date, end: dt.date, kind: str) -> list[Period]:
    """The span cut into days, weeks (seven days from its first), months or years, clipped to it."""
    found = []
    first = start
    while first <= end:
        if kind == "day":
            last = first
        elif kind == "week":
            last = first + dt.timedelta(days=6)
        elif kind == "month":
            following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            last = following - dt.timedelta(days=1)
        else:
            last = dt.date(first.year, 12, 31)
        last = min(last, end)
        found.append(Period(first, last, kind))
        first = last + dt.timedelta(days=1)
    return found


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def label_forms(
    period: Period, language: str, months: bool, years: bool, julian: bool
) -> list[tuple[str, str]]:
    """A button's two lines (its own dates, then New Style for a Julian day or week), from the
    longest form to the shortest. `months` and `years`: whether the whole span covers more than
    one month or year, so the labels must name them."""

    def new(day: dt.date) -> dt.date:
        return to_gregorian(day, "julian")

    def both(form: Callable[[dt.date, dt.date], str]) -> tuple[str, str]:
        own = form(period.first, period.last)
        return own, form(new(period.first), new(period.last)) if julian else ""

    if period.kind == "day":
        forms = [
            both(lambda d, _: cldr.long_date(d, language, with_year=years)),
            both(lambda d, _: cldr.short_date(d, language)),
        ]
        if not months and not julian:  # the one month is named in the bar's caption
            forms.append((str(period.first.day), ""))
        return forms
    if period.kind == "week":
        return [both(lambda a, b: cldr.day_interval(a, b, language, with_year=years))]
    if period.kind == "month":
        year = cldr.year(period.first, language) if years else ""
        return [
            (_capital(cldr.month_year(period.first, language)), ""),
            (_capital(cldr.month_name(period.first, language)), year),
            (_capital(cldr.month_name(period.first, language, "abbreviated")), year),
        ]
    return [(cldr.year(period.first, language), "")]


class DayButton(QAbstractButton):
    """One button of the timeline: a day (or week, month, year), its dates, dots for events."""

    def __init__(self, period: Period, calendar: str, events: int, months: bool, years: bool):
        super().__init__()
        self.period = period
        self.day = period.first
        julian = calendar == "julian"
        self.new_style = to_gregorian(period.first, calendar) if julian else None
        self.events = events
        self.chosen = False
        self.language = "en"
        self._months, self._years = months, years
        self.setObjectName(f"{period.kind}-{period.first.isoformat()}")
        self.setEnabled(events > 0)  # nothing to light on days without events
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumSize(theme.TOUCH_MIN, theme.TOUCH_MIN)

    def _fonts(self) -> tuple[int, int]:
        return theme.scaled(20), theme.scaled(15)

    def forms(self) -> list[tuple[str, str]]:
        julian = self.new_style is not None and self.period.kind in ("day", "week")
        return label_forms(self.period, self.language, self._months, self._years, julian)

    def needed_width(self) -> int:
        """The narrowest this button can be: its shortest label, at least a finger's width."""
        return max(finger_px(self), text_width(self.forms()[-1]) + TEXT_PADDING)

    def label(self) -> tuple[str, str]:
        """The two lines shown, in the longest form that fits the button."""
        forms = self.forms()
        room = self.width() - TEXT_PADDING
        return next((form for form in forms if text_width(form) <= room), forms[-1])

    def sizeHint(self) -> QSize:
        return QSize(self.needed_width(), theme.TIMELINE_HEIGHT - 16)

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


def text_width(form: tuple[str, str]) -> int:
    """The width a button's two lines need in the active text size."""
    main = QFontMetrics(theme.font(theme.SANS, theme.scaled(20), bold=True))
    small = QFontMetrics(theme.font(theme.SANS, theme.scaled(15)))
    return max(main.horizontalAdvance(form[0]), small.horizontalAdvance(form[1]))


def finger_px(widget: QWidget) -> int:
    """A finger's width on this screen: at least TOUCH_MIN px and FINGER_MM mm."""
    return max(theme.TOUCH_MIN, round(FINGER_MM * px_per_mm(widget)))


class TimelineBar(QWidget):
    """The play control and the timeline's buttons, along the lower part of the screen."""

    play_requested = Signal()  # the play control was tapped (start, or stop while playing)
    regrouped = Signal()  # new buttons: the grouping (day, week, month, year) changed

    def __init__(self, bundle: Bundle, state: KioskState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bundle = bundle
        self._state = state
        self._playing = False
        self.kind = ""  # the grouping shown: day, week, month or year
        self.setObjectName("timeline")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setFixedHeight(theme.TIMELINE_HEIGHT)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 8)
        layout.setSpacing(SPACING)

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
        # The month of a span within one month, named once where its days show only numbers.
        self._month = QLabel()
        self._month.setObjectName("timeline-month")
        self._month.setTextFormat(Qt.TextFormat.PlainText)
        self._month.hide()
        layout.addWidget(self._month)

        self.strip_area = QScrollArea()
        self.strip_area.setObjectName("timeline-scroll")
        self.strip_area.setFrameShape(QFrame.Shape.NoFrame)
        self.strip_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.strip_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.strip_area.setWidgetResizable(True)
        self.strip_area.setStyleSheet(
            "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }"
        )
        QScroller.grabGesture(
            self.strip_area.viewport(), QScroller.ScrollerGestureType.TouchGesture
        )
        # The room for the buttons changes with the play button's text too (language, large
        # text), not only with the bar's width: the grouping is chosen again whenever it does.
        self.strip_area.installEventFilter(self)
        layout.addWidget(self.strip_area, 1)

        dates = bundle.manifest.dates
        self._months = (dates.start.year, dates.start.month) != (dates.end.year, dates.end.month)
        self._years = dates.start.year != dates.end.year
        self.buttons: list[DayButton] = []
        self.day_buttons: dict[dt.date, DayButton] = {}  # by each button's first day

        state.language_changed.connect(self._retranslate)
        state.day_changed.connect(self._show_day)
        state.appearance_changed.connect(self._restyle)
        self._restyle()

    # --- which grouping fits --------------------------------------------------------------

    def _fits(self, kind: str, room: int) -> bool:
        """Whether the buttons of `kind` fit in `room` px at their narrowest."""
        dates = self._bundle.manifest.dates
        found = periods(dates.start, dates.end, kind)
        finger = finger_px(self)
        if len(found) * (finger + SPACING) - SPACING > room:
            return False  # too many even at a finger's width: no need to measure the labels
        julian = self._bundle.manifest.calendar == "julian" and kind in ("day", "week")
        language = self._state.language
        needed = -SPACING
        for period in found:
            form = label_forms(period, language, self._months, self._years, julian)[-1]
            needed += max(finger, text_width(form) + TEXT_PADDING) + SPACING
        return needed <= room

    def _choose(self) -> None:
        """Show the finest grouping whose buttons all fit at a finger's size, else years."""
        room = max(1, self.strip_area.width())
        kind = next((k for k in KINDS if self._fits(k, room)), KINDS[-1])
        if kind == self.kind:
            for button in self.buttons:
                button.setMinimumWidth(button.needed_width())
            return
        self.kind = kind
        dates = self._bundle.manifest.dates
        calendar = self._bundle.manifest.calendar
        strip = QWidget()
        strip.setObjectName("timeline-strip")
        row = QHBoxLayout(strip)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(SPACING)
        self.buttons = []
        for period in periods(dates.start, dates.end, kind):
            events = len(events_between(self._bundle, period.first, period.last))
            button = DayButton(period, calendar, events, self._months, self._years)
            button.language = self._state.language
            button.setMinimumWidth(button.needed_width())
            button.clicked.connect(self._clicked)
            row.addWidget(button, 1)
            self.buttons.append(button)
        old = self.strip_area.takeWidget()
        if old is not None:
            old.deleteLater()
        self.strip_area.setWidget(strip)
        self.day_buttons = {b.period.first: b for b in self.buttons}
        self._month.setVisible(kind == "day" and not self._months and not self._calendars)
        self._show_day(self._state.day)
        self.regrouped.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.strip_area and event.type() == QEvent.Type.Resize:
            self._choose()
        return False

    # --- choosing and showing --------------------------------------------------------------

    def _clicked(self) -> None:
        button = self.sender()
        assert isinstance(button, DayButton)
        period = button.period
        if self._state.day_span == (period.first, period.last):
            self._state.set_days(None)
        else:
            self._state.set_days(period.first, period.last)

    def button_for(self, day: dt.date) -> DayButton | None:
        """The button whose days include `day`."""
        return next((b for b in self.buttons if b.period.contains(day)), None)

    def _show_day(self, day: dt.date | None) -> None:
        chosen = self.button_for(day) if day is not None else None
        for button in self.buttons:
            button.chosen = button is chosen
            button.update()
        if chosen is not None:
            QScroller.scroller(self.strip_area.viewport()).stop()  # a glide would carry it off
            self.strip_area.ensureWidgetVisible(chosen, SPACING, 0)

    def set_playing(self, playing: bool) -> None:
        self._playing = playing
        self._retranslate(self._state.language)

    def _retranslate(self, language: str) -> None:
        key = "stop" if self._playing else "play"
        self.play_button.setText(tr(language, key))
        if self._calendars:
            self._calendars[0].setText(tr(language, "old_style"))
            self._calendars[1].setText(tr(language, "new_style"))
        start = self._bundle.manifest.dates.start
        self._month.setText(_capital(cldr.month_year(start, language)))
        for button in self.buttons:
            button.language = language
            button.update()
        self._choose()  # the labels' widths differ between languages

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
        self._month.setFont(theme.font(theme.SANS, theme.scaled(20), bold=True))
        self._month.setStyleSheet(f"color: {bar.text['muted'].name()}; background: transparent;")
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
