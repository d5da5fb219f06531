"""What the visitor is doing now (language, chosen event, timeline day, text size and contrast).

The state only holds and announces; it draws nothing and sets no module's globals. The window
that owns it makes its appearance the one the theme draws in (`MainWindow`).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, Signal

from kiosk.content import Bundle
from kiosk.ui.journey import words
from kiosk.ui.journey.theme import Appearance


class KioskState(QObject):
    """The single source of truth for the visitor's session; views never talk to each other."""

    language_changed = Signal(str)
    selection_changed = Signal(object)  # an event id, or None when nothing is chosen
    day_changed = Signal(object)  # the chosen (first) day, or None; see day_span for the last
    appearance_changed = Signal(object)  # the visitor's text size and contrast (an Appearance)

    def __init__(self, bundle: Bundle, language: str | None = None) -> None:
        super().__init__()
        self.bundle = bundle
        languages = bundle.manifest.languages
        self._language = language if language in languages else bundle.default_language
        self._selected: str | None = None
        self._day: dt.date | None = None
        self._last_day: dt.date | None = None  # set when several days are chosen
        self._appearance = Appearance()  # a new session starts in the normal appearance
        words.use_bundle(bundle)  # its own interface words stand before the kiosk's

    @property
    def language(self) -> str:
        return self._language

    @property
    def selected(self) -> str | None:
        return self._selected

    def set_language(self, language: str) -> None:
        if language != self._language and language in self.bundle.manifest.languages:
            self._language = language
            self.language_changed.emit(language)

    def select(self, event_id: str | None) -> None:
        if event_id != self._selected:
            self._selected = event_id
            self.selection_changed.emit(event_id)

    @property
    def day(self) -> dt.date | None:
        """The chosen day, or the first of the chosen days (a week, a month on the timeline)."""
        return self._day

    @property
    def day_span(self) -> tuple[dt.date, dt.date] | None:
        """The first and last of the chosen days (the same for one day), or None."""
        if self._day is None:
            return None
        return self._day, self._last_day or self._day

    def set_day(self, day: dt.date | None) -> None:
        self.set_days(day, day)

    def set_days(self, first: dt.date | None, last: dt.date | None = None) -> None:
        """Choose the days from `first` to `last` (a group on the timeline), or none."""
        last = last if first is not None and last is not None and last > first else None
        if (first, last) != (self._day, self._last_day):
            self._day, self._last_day = first, last
            self.day_changed.emit(first)

    @property
    def appearance(self) -> Appearance:
        return self._appearance

    def set_appearance(self, appearance: Appearance) -> None:
        if appearance != self._appearance:
            self._appearance = appearance
            self.appearance_changed.emit(appearance)
