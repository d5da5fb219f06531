"""Julian (Old Style) to Gregorian (New Style) dates."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.content.calendars import (
    calendar_difference,
    julian_day_number,
    julian_to_gregorian,
    to_gregorian,
)


@pytest.mark.parametrize(
    ("julian", "gregorian"),
    [
        ((1917, 2, 23), dt.date(1917, 3, 8)),  # the women's day strike: International Women's Day
        ((1917, 2, 27), dt.date(1917, 3, 12)),  # the garrison mutinies
        ((1917, 3, 3), dt.date(1917, 3, 16)),  # Grand Duke Mikhail declines the throne
        ((1917, 10, 25), dt.date(1917, 11, 7)),  # the October Revolution, in November
        ((1918, 1, 31), dt.date(1918, 2, 13)),  # Russia's last Julian day (next: 14 February)
        ((1582, 10, 4), dt.date(1582, 10, 14)),  # the last day before the Gregorian switch...
        ((1582, 10, 5), dt.date(1582, 10, 15)),  # ...and the first after it: a 10-day gap
        ((1800, 3, 1), dt.date(1800, 3, 13)),  # 12 days in the 1800s
        ((1900, 2, 28), dt.date(1900, 3, 12)),  # still 12 days...
        ((1900, 2, 29), dt.date(1900, 3, 13)),  # ...a day the Gregorian calendar does not have
        ((1900, 3, 1), dt.date(1900, 3, 14)),  # then 13
    ],
)
def test_julian_to_gregorian(julian: tuple[int, int, int], gregorian: dt.date) -> None:
    assert julian_to_gregorian(*julian) == gregorian


def test_julian_day_number() -> None:
    # The J2000 epoch, 2000-01-01 (Gregorian), is Julian Day 2451545: 1999-12-19 Old Style.
    assert julian_day_number(1999, 12, 19) == 2451545
    # The Julian Day count starts on 1 January 4713 BC (Julian), astronomical year -4712.
    assert julian_day_number(-4712, 1, 1) == 0


def test_to_gregorian_converts_a_julian_bundle_date() -> None:
    assert to_gregorian(dt.date(1917, 2, 23), "julian") == dt.date(1917, 3, 8)


def test_to_gregorian_passes_gregorian_dates_through() -> None:
    day = dt.date(1917, 2, 23)
    assert to_gregorian(day, "gregorian") == day


def test_thirteen_days_from_march_1900_to_january_1918() -> None:
    day, last = dt.date(1900, 3, 1), dt.date(1918, 1, 31)
    checked = 0
    while day <= last:
        assert julian_to_gregorian(day.year, day.month, day.day) - day == dt.timedelta(days=13), day
        day += dt.timedelta(days=1)
        checked += 1
    assert checked == (last - dt.date(1900, 3, 1)).days + 1 == 6546


@pytest.mark.parametrize(
    ("julian", "days"),
    [
        (dt.date(1700, 3, 1), 11),
        (dt.date(1871, 3, 18), 12),  # the calendar note of an 1871 exhibit
        (dt.date(1900, 2, 28), 12),
        (dt.date(1900, 3, 1), 13),
        (dt.date(1917, 2, 23), 13),  # Petrograd's
        (dt.date(2100, 3, 1), 14),
    ],
)
def test_the_calendars_difference_is_computed_for_the_year(julian: dt.date, days: int) -> None:
    assert calendar_difference(julian) == days
