"""Dates as a visitor reads them, in their language, in both calendars where the bundle needs it.

Every pattern is CLDR's (kiosk.ui.journey.cldr): "28 March 1871", "28. März 1871", "vers 16 h".
"""

from __future__ import annotations

import datetime as dt

from kiosk.content.bundle import Bundle
from kiosk.content.calendars import calendar_difference, to_gregorian
from kiosk.content.data import Event, Quote
from kiosk.ui.journey import cldr
from kiosk.ui.journey.words import tr


def _day(day: dt.date, language: str, with_year: bool = True) -> str:
    return cldr.long_date(day, language, with_year=with_year)


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
    """ "05:00–07:00", or an approximate time in words: "about 16:00", "vers 16 h"; where the
    sources disagree, their times."""
    if event.time_disputed:
        times = tr(language, "or").join(cldr.clock_time(t, language) for t in event.time_disputed)
        if event.time_approximate:
            times = tr(language, "about", time=times)
        return tr(language, "times_disputed", times=times)
    if event.time is None:
        return None
    alone = event.time_approximate and event.time_end is None
    text = cldr.clock_time(event.time, language, whole_hour_alone=alone)
    if event.time_end is not None:
        text = f"{text}–{cldr.clock_time(event.time_end, language)}"
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


def calendar_note(bundle: Bundle, language: str) -> str:
    """The note under a Julian exhibit's dates, with the calendars' difference in its year.

    The bundle's own `calendar_note` (which may say where that calendar was used) comes first,
    then its `words:`, then the kiosk's own words.
    """
    manifest = bundle.manifest
    days = calendar_difference(manifest.dates.start)
    own = manifest.calendar_note.get(language)
    if own is not None:
        return own.format(days=cldr.number(days, language))
    return tr(language, "calendar_note", days=cldr.number(days, language))
