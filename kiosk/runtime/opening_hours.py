"""Opening hours: when the museum is open, so the kiosk can blank its screen and pause outside them.

The installation config's `opening_hours` is one line or a list of lines, each naming days and
time ranges in the kiosk's local time:

    opening_hours:
      - mon-fri 09:00-18:00
      - sat,sun 10:00-12:30, 13:30-17:00

Days are `mon` ... `sun`, ranges of them (`mon-fri`, `fri-mon` wraps round the weekend), lists
(`sat,sun`), or `daily`. A range starts at its first minute and ends before its last (09:00-18:00
is open at 09:00 and closed at 18:00); `24:00` is the end of the day, so an evening that runs past
midnight is two ranges (`fri 20:00-24:00` and `sat 00:00-01:00`). Days not named are closed.

Nothing here imports Qt: the UI asks `is_open(now)` on a timer (kiosk/ui/shell/opening_hours.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # datetime.weekday() order
_TIME = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")
_LINE = re.compile(r"^\s*(\S+)\s+(.+?)\s*$")


class OpeningHoursError(ValueError):
    """A line of opening hours that cannot be read; the message says why, for a technician."""


@dataclass(frozen=True)
class Opening:
    """Open on `days` (0 = Monday) from `start` to `end`, in minutes after midnight."""

    days: frozenset[int]
    start: int
    end: int


def _day(name: str, line: str) -> int:
    try:
        return DAYS.index(name)
    except ValueError:
        raise OpeningHoursError(
            f"{name!r} in {line!r} is not a day; write mon, tue, wed, thu, fri, sat, sun, a range "
            "such as mon-fri, or daily"
        ) from None


def _days(text: str, line: str) -> frozenset[int]:
    if text == "daily":
        return frozenset(range(7))
    days: set[int] = set()
    for part in text.split(","):
        first, sep, last = part.partition("-")
        start = _day(first, line)
        end = _day(last, line) if sep else start
        days.update((start + offset) % 7 for offset in range((end - start) % 7 + 1))
    return frozenset(days)


def _minutes(text: str, line: str) -> int:
    match = _TIME.match(text)
    if match is None or (match.group(1) == "24" and match.group(2) != "00"):
        raise OpeningHoursError(
            f"{text!r} in {line!r} is not a time; write 24-hour times with two digits, such as "
            "09:00 or 17:30"
        )
    return int(match.group(1)) * 60 + int(match.group(2))


def _line(line: str) -> list[Opening]:
    match = _LINE.match(line.lower())
    if match is None:
        raise OpeningHoursError(f"{line!r} needs days and times, such as 'mon-fri 09:00-18:00'")
    days = _days(match.group(1), line)
    openings = []
    for span in match.group(2).split(","):
        start_text, sep, end_text = span.strip().partition("-")
        if not sep:
            raise OpeningHoursError(
                f"{span.strip()!r} in {line!r} is not a time range; write it as 09:00-18:00"
            )
        start, end = _minutes(start_text.strip(), line), _minutes(end_text.strip(), line)
        if end <= start:
            raise OpeningHoursError(
                f"{span.strip()!r} in {line!r} ends before it starts; a range past midnight is "
                "two ranges, such as 'fri 20:00-24:00' and 'sat 00:00-01:00'"
            )
        openings.append(Opening(days, start, end))
    return openings


@dataclass(frozen=True)
class OpeningHours:
    """The week's openings; `is_open(moment)` for a local time."""

    openings: tuple[Opening, ...]

    @classmethod
    def parse(cls, spec: str | Sequence[str]) -> OpeningHours:
        """Read one line, several lines separated by ';', or a list of lines."""
        lines = spec.split(";") if isinstance(spec, str) else list(spec)
        openings = [opening for line in lines if line.strip() for opening in _line(line)]
        if not openings:
            raise OpeningHoursError("no opening hours are given; leave the key out to stay open")
        return cls(tuple(openings))

    def is_open(self, moment: dt.datetime) -> bool:
        minute = moment.hour * 60 + moment.minute
        day = moment.weekday()
        return any(
            day in opening.days and opening.start <= minute < opening.end
            for opening in self.openings
        )

    def next_change(self, moment: dt.datetime) -> dt.datetime | None:
        """The first minute after `moment` when it opens (if closed) or closes (if open)."""
        now_open = self.is_open(moment)
        midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        candidates = sorted(
            midnight + dt.timedelta(days=offset, minutes=minute)
            for offset in range(9)
            for opening in self.openings
            for minute in (opening.start, opening.end)
        )
        for candidate in candidates:
            if candidate > moment and self.is_open(candidate) != now_open:
                return candidate
        return None
