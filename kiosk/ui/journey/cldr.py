"""Dates, times, numbers, quotation marks and language names as each language writes them (CLDR).

Babel's CLDR data gives the patterns ("28. März 1871", "28 mars 1871", "16 Uhr", "1 234,5");
Qt's own copy of CLDR (QLocale) gives the quotation marks, which Babel does not carry, and stands
in for a language Babel has no data for (the package keeps Babel's data only for the kiosk's own
word languages, kiosk.spec): there the long date is Qt's long format without its weekday and an
approximate hour keeps its minutes ("vers 16:00"). No pattern is written by hand here, except
the one French rule CLDR leaves to typesetters: a narrow no-break space inside guillemets.

English is formatted as CLDR's international English (en_001: "27 February 1917"), not the
United States' ("February 27, 1917").
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Literal

from PySide6.QtCore import QDate, QLocale, QTime

from kiosk.ui.journey import words

try:  # Babel: in every install, the package too (kiosk.spec); QLocale stands in without it
    from babel import Locale, UnknownLocaleError
    from babel.dates import format_date, format_interval, format_skeleton, get_month_names
    from babel.numbers import format_decimal
except ImportError:  # pragma: no cover - a build that lost Babel still runs
    Locale = None  # type: ignore[assignment,misc]

# Which CLDR locale formats a bundle's language code, where the bare language is not the one.
_FORMAT_LOCALE = {"en": "en_001"}
NARROW_NBSP = "\u202f"


def data_source() -> str:
    """'babel' where Babel's CLDR data is installed (source installs, the package), else 'qt'."""
    return "qt" if Locale is None else "babel"


@functools.cache
def _babel(language: str, for_names: bool = False) -> Locale | None:
    if Locale is None:  # pragma: no cover - the frozen package: Qt's CLDR data throughout
        return None
    code = language.replace("-", "_")
    if not for_names:
        code = _FORMAT_LOCALE.get(code, code)
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return None


def _qlocale(language: str) -> QLocale:
    return QLocale(language.replace("-", "_"))


def _qt_date(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _qt_pattern(language: str, with_year: bool) -> str:
    """Qt's long date format without its weekday (and year): used only without Babel data."""
    pattern = _qlocale(language).dateFormat(QLocale.FormatType.LongFormat)
    for weekday in ("dddd, ", "dddd ", ", dddd", " dddd", "dddd"):
        pattern = pattern.replace(weekday, "")
    if not with_year:
        for year in (" 'г'.", " yyyy", ", yyyy", "yyyy"):
            pattern = pattern.replace(year, "")
    return pattern.strip(" ,")


def long_date(day: dt.date, language: str, with_year: bool = True) -> str:
    """The day as a sentence writes it: "28 March 1871", "28. März 1871", "28 mars" (no year)."""
    locale = _babel(language)
    if locale is None:
        return _qlocale(language).toString(_qt_date(day), _qt_pattern(language, with_year))
    if with_year:
        return format_date(day, "long", locale=locale)
    return format_skeleton("MMMMd", day, locale=locale)


def short_date(day: dt.date, language: str) -> str:
    """Day and short month, for a label where space is short: "28 Mar", "28. März", "28 mars"."""
    locale = _babel(language)
    if locale is None:
        return _qlocale(language).toString(_qt_date(day), "d MMM")
    return format_skeleton("MMMd", day, locale=locale)


def month_year(day: dt.date, language: str, with_year: bool = True) -> str:
    """The month (standing alone), with its year: "March 1871", "mars 1871", "март 1871 г."."""
    locale = _babel(language)
    if locale is None:
        return _qlocale(language).toString(_qt_date(day), "MMMM yyyy" if with_year else "MMMM")
    return format_skeleton("yMMMM" if with_year else "MMMM", day, locale=locale)


def short_month(day: dt.date, language: str) -> str:
    """The month's short name standing alone: "Mar", "mars", "März"."""
    locale = _babel(language)
    if locale is None:
        return _qlocale(language).toString(_qt_date(day), "MMM")
    return format_skeleton("LLL", day, locale=locale)


def year(day: dt.date, language: str) -> str:
    """The year alone, as the language writes it."""
    locale = _babel(language)
    if locale is None:
        return str(day.year)
    return format_skeleton("y", day, locale=locale)


def clock_time(hhmm: str, language: str, whole_hour_alone: bool = False) -> str:
    """A time "HH:MM" as the language writes it ("16:00", "16.00" ...).

    With `whole_hour_alone`, a time on the hour is written as the hour alone where the language
    has a word for that ("16 h", "16 Uhr"); where it has none, the minutes stay ("16:00").
    """
    hour, minute = (int(part) for part in hhmm.split(":"))
    moment = dt.time(hour, minute)
    locale = _babel(language)
    if locale is None:
        return _qlocale(language).toString(QTime(hour, minute), QLocale.FormatType.ShortFormat)
    # CLDR's pattern for the hour alone quotes its word: "HH 'h'" (fr), "HH 'Uhr'" (de).
    if whole_hour_alone and minute == 0 and "'" in str(locale.datetime_skeletons.get("H", "")):
        return format_skeleton("H", moment, locale=locale)
    return format_skeleton("Hm", moment, locale=locale)


def number(value: float, language: str, decimals: int = 0) -> str:
    """A number with the language's separators: "1,234.5", "1 234,5", "1.234,5"."""
    locale = _babel(language)
    if locale is None:
        return _qlocale(language).toString(float(value), "f", decimals)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale)


def quoted(text: str, language: str) -> str:
    """`text` between the language's quotation marks (CLDR): “…” en, „…“ de, «…» ru, « … » fr."""
    marked = _qlocale(language).quoteString(text)
    if language.split("-")[0] == "fr" and marked.startswith("«") and marked.endswith("»"):
        return f"«{NARROW_NBSP}{marked[1:-1].strip()}{NARROW_NBSP}»"
    return marked


def quote_marks(language: str) -> tuple[str, str]:
    """The opening and closing quotation marks of `language` (with French spacing)."""
    opening, closing = quoted("\0", language).split("\0")
    return opening, closing


def native_language_name(code: str) -> str:
    """How a language names itself, capitalised for a button: "Français", "Deutsch"."""
    return words.native_language_name(code)


def language_name_in(code: str, language: str) -> str:
    """The name of language `code` in `language`, as in a sentence: "anglais", "Englisch"."""
    locale = _babel(language, for_names=True)
    base = code.replace("-", "_").split("_")[0]
    name = locale.languages.get(base) if locale is not None else None
    return str(name) if name else native_language_name(code)


def day_interval(first: dt.date, last: dt.date, language: str, with_year: bool = False) -> str:
    """A few days in a row, as CLDR joins them: "18–24 Mar", "18.–24. März", "28 Feb – 6 Mar"."""
    locale = _babel(language)
    if locale is None:
        return f"{short_date(first, language)} – {short_date(last, language)}"
    return format_interval(first, last, "yMMMd" if with_year else "MMMd", locale=locale)


def month_name(day: dt.date, language: str, width: Literal["abbreviated", "wide"] = "wide") -> str:
    """The month of `day` standing alone (not "of March"): "March", "mars", "март"; or "Mar"."""
    locale = _babel(language)
    if locale is None:
        return _qlocale(language).standaloneMonthName(
            day.month,
            QLocale.FormatType.LongFormat if width == "wide" else QLocale.FormatType.ShortFormat,
        )
    return str(get_month_names(width, "stand-alone", locale=locale)[day.month])
