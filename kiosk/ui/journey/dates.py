"""Dates as a visitor reads them, in their language, in both calendars where the bundle needs it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale

from kiosk.content.calendars import to_gregorian
from kiosk.content.model import Event, Quote
from kiosk.ui.journey.words import tr


def day_text(day: dt.date, language: str, fmt: str) -> str:
    """A date in `language` with a Qt date format such as "d MMMM"."""
    return QLocale(language).toString(QDate(day.year, day.month, day.day), fmt)


def _day(day: dt.date, language: str, with_year: bool = True) -> str:
    return day_text(day, language, "d MMMM yyyy" if with_year else "d MMMM")


def format_span(start: dt.date, end: dt.date | None, language: str) -> str:
    """'27 February 1917', or '28 February – 2 March 1917' for a span."""
    if end is None or end == start:
        return _day(start, language)
    return f"{_day(start, language, with_year=start.year != end.year)} – {_day(end, language)}"


def event_dates(event: Event, calendar: str, language: str) -> list[str]:
    """One line per calendar: the bundle's own first, then New Style when they differ."""
    own = format_span(event.date, event.date_end, language)
    if calendar != "julian":
        return [own]
    new_start = to_gregorian(event.date, calendar)
    new_end = to_gregorian(event.date_end, calendar) if event.date_end else None
    new = format_span(new_start, new_end, language)
    return [f"{own} ({tr(language, 'old_style')})", f"{new} ({tr(language, 'new_style')})"]


def event_time(event: Event, language: str) -> str | None:
    if event.time_disputed:
        times = tr(language, "or").join(event.time_disputed)
        if event.time_approximate:
            times = tr(language, "about", time=times)
        return tr(language, "times_disputed", times=times)
    if event.time is None:
        return None
    text = event.time if event.time_end is None else f"{event.time}–{event.time_end}"
    return tr(language, "about", time=text) if event.time_approximate else text


def quote_dates(quote: Quote, calendar: str, language: str, source: str = "") -> str | None:
    """A quotation's dates, each labelled for what it is, or None if it has none to show.

    A quotation said or written on the day it tells of gives its date alone, and not even that if
    `source` (the source line shown with it) already names the year. Words written later give
    both, labelled, so a history written in 1930 never reads as written on the day it describes.
    """

    def day(value: dt.date) -> str:
        text = _day(value, language)
        return f"{text} ({tr(language, 'old_style')})" if calendar == "julian" else text

    if quote.describes is None:
        if quote.date is None or str(quote.date.year) in source:
            return None
        return day(quote.date)
    parts = []
    if quote.date is not None:
        parts.append(tr(language, "quote_written", date=day(quote.date)))
    parts.append(tr(language, "quote_describes", date=day(quote.describes)))
    return "\n".join(parts)
