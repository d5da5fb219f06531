"""Calendar conversion: Julian (Old Style) dates to Gregorian (New Style).

Russia used the Julian calendar until February 1918, so a bundle about 1917 writes its dates Old
Style and the kiosk shows the New Style date beside them. The conversion goes through the Julian
Day Number, so it holds for any century (the gap was 12 days in the 1800s, 13 from March 1900).
"""

from __future__ import annotations

import datetime as dt

# Python's ordinal 1 (0001-01-01, proleptic Gregorian) is Julian Day Number 1721426.
_ORDINAL_TO_JDN = 1721425


def julian_day_number(year: int, month: int, day: int) -> int:
    """The Julian Day Number of a date written in the Julian calendar."""
    a = (14 - month) // 12
    y = year + 4800 - a
    m = month + 12 * a - 3
    return day + (153 * m + 2) // 5 + 365 * y + y // 4 - 32083


def julian_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of the Julian calendar date `year-month-day`."""
    return dt.date.fromordinal(julian_day_number(year, month, day) - _ORDINAL_TO_JDN)


def to_gregorian(day: dt.date, calendar: str) -> dt.date:
    """A bundle date (stored as year/month/day fields) in the Gregorian calendar."""
    if calendar == "julian":
        return julian_to_gregorian(day.year, day.month, day.day)
    return day


def calendar_difference(day: dt.date) -> int:
    """How many days the Julian calendar was behind the Gregorian on the Julian date `day`.

    10 days from 1582 to February 1700, then 11, 12 from March 1800 (so 12 in 1871), 13 from
    March 1900 (13 in 1917) and 14 from March 2100.
    """
    return (julian_to_gregorian(day.year, day.month, day.day) - day).days
