"""Opening hours: reading the setting, and open or closed at a given local time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk.runtime.config import parse_config
from kiosk.runtime.opening_hours import OpeningHours, OpeningHoursError

MONDAY = dt.datetime(2026, 12, 7)  # a Monday


def at(day: int, clock: str) -> dt.datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return MONDAY + dt.timedelta(days=day, hours=hours, minutes=minutes)


def test_weekdays_and_a_weekend_with_a_lunch_break() -> None:
    hours = OpeningHours.parse(["mon-fri 09:00-18:00", "sat,sun 10:00-12:30, 13:30-17:00"])
    assert not hours.is_open(at(0, "08:59"))
    assert hours.is_open(at(0, "09:00"))  # open from its first minute
    assert hours.is_open(at(4, "17:59"))
    assert not hours.is_open(at(4, "18:00"))  # closed at its last
    assert hours.is_open(at(5, "12:29")) and not hours.is_open(at(5, "13:00"))
    assert hours.is_open(at(6, "13:30")) and not hours.is_open(at(6, "17:00"))


def test_ranges_of_days_wrap_round_the_weekend_and_midnight_is_two_ranges() -> None:
    hours = OpeningHours.parse("fri-mon 20:00-24:00; sat-tue 00:00-01:00")
    assert [hours.is_open(at(day, "21:00")) for day in range(7)] == [
        True, False, False, False, True, True, True,
    ]  # fmt: skip
    assert hours.is_open(at(5, "00:30"))  # Friday night, after midnight
    assert not hours.is_open(at(4, "00:30"))  # Thursday night was closed
    assert hours.is_open(at(0, "23:59")) and hours.is_open(at(1, "00:59"))
    assert OpeningHours.parse("daily 10:00-16:00").is_open(at(3, "10:00"))


def test_the_next_change() -> None:
    hours = OpeningHours.parse("mon-fri 09:00-18:00")
    assert hours.next_change(at(0, "08:00")) == at(0, "09:00")
    assert hours.next_change(at(0, "12:00")) == at(0, "18:00")
    assert hours.next_change(at(4, "18:30")) == at(7, "09:00")  # Friday evening: Monday
    assert OpeningHours.parse("daily 00:00-24:00").next_change(at(0, "12:00")) is None


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("weekdays 09:00-18:00", "'weekdays' in 'weekdays 09:00-18:00' is not a day"),
        ("mon-fri 9:00-18:00", "'9:00' in 'mon-fri 9:00-18:00' is not a time"),
        ("mon 24:30-25:00", "'24:30' in 'mon 24:30-25:00' is not a time"),
        ("mon 18:00-09:00", "'18:00-09:00' in 'mon 18:00-09:00' ends before it starts"),
        ("mon 09:00", "'09:00' in 'mon 09:00' is not a time range"),
        ("mon-fri", "'mon-fri' needs days and times"),
        ("", "no opening hours are given"),
        ([], "no opening hours are given"),
    ],
)
def test_mistakes_are_named(spec: str | list[str], message: str) -> None:
    with pytest.raises(OpeningHoursError) as caught:
        OpeningHours.parse(spec)
    assert str(caught.value).startswith(message)


def test_the_config_key(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.yaml"
    path.write_text("opening_hours:\n  - mon-fri 09:00-18:00\n  - sat 10:00-16:00\n")
    loaded = parse_config(path)
    assert loaded.problems == []
    assert loaded.config.opening_hours == ("mon-fri 09:00-18:00", "sat 10:00-16:00")
    path.write_text("opening_hours: mon-fri 09:00-18:00\n")
    assert parse_config(path).config.opening_hours == ("mon-fri 09:00-18:00",)
    path.write_text("reduced_motion: true\nopening_hours: [mon-fri 9-18]\n")
    loaded = parse_config(path)
    assert [str(p) for p in loaded.problems] == [
        f"{path}:2:16: error: '9' in 'mon-fri 9-18' is not a time; write 24-hour times with "
        "two digits, such as 09:00 or 17:30"
    ]
    assert loaded.config.opening_hours is None and loaded.config.reduced_motion
