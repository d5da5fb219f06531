"""Dates, times, numbers and quotation marks as each language writes them, from CLDR data."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from kiosk.content import Bundle, model
from kiosk.content.data import Event, from_model
from kiosk.ui.journey import cldr
from kiosk.ui.journey.dates import calendar_note, event_dates, event_time, format_span

NNBSP = "\u202f"
DAY = dt.date(1871, 3, 28)


@pytest.mark.parametrize(
    ("language", "long", "short"),
    [
        ("en", "28 March 1871", "28 Mar"),
        ("de", "28. März 1871", "28. März"),
        ("fr", "28 mars 1871", "28 mars"),
        ("ru", f"28 марта 1871{NNBSP}г.", "28 мар."),
        ("es", "28 de marzo de 1871", "28 mar"),
        ("it", "28 marzo 1871", "28 mar"),
    ],
)
def test_dates_follow_each_languages_own_pattern(language: str, long: str, short: str) -> None:
    assert cldr.long_date(DAY, language) == long
    assert cldr.short_date(DAY, language) == short


def test_a_span_names_the_year_once_unless_it_changes() -> None:
    assert (
        format_span(dt.date(1871, 3, 18), dt.date(1871, 5, 28), "de") == "18. März – 28. Mai 1871"
    )
    assert (
        format_span(dt.date(1870, 12, 28), dt.date(1871, 1, 2), "fr")
        == "28 décembre 1870 – 2 janvier 1871"
    )


def _event(**fields: object) -> Event:
    base = {"id": "x", "date": DAY, "place": "p", "category": "c"}
    base |= {"title": {"fr": "t"}, "summary": {"fr": "s"}, "body": {"fr": "b"}}
    return from_model(model.Event.model_validate(base | fields), Event)


@pytest.mark.parametrize(
    ("language", "text"),
    [("fr", "vers 16 h"), ("de", "gegen 16 Uhr"), ("en", "about 16:00"), ("ru", "около 16:00")],
)
def test_an_approximate_hour_is_said_as_the_language_says_it(language: str, text: str) -> None:
    assert event_time(_event(time="16:00", time_approximate=True), language) == text


def test_exact_times_and_spans_keep_their_minutes() -> None:
    assert event_time(_event(time="16:00"), "fr") == "16:00"
    assert event_time(_event(time="05:00", time_end="07:00", time_approximate=True), "de") == (
        "gegen 05:00–07:00"
    )


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "1,234"), ("de", "1.234"), ("fr", f"1{NNBSP}234"), ("ru", "1\u00a0234")],
)
def test_numbers_have_the_languages_separators(language: str, text: str) -> None:
    assert cldr.number(1234, language) == text


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "“Paris”"),
        ("de", "„Paris“"),
        ("ru", "«Paris»"),
        ("fr", f"«{NNBSP}Paris{NNBSP}»"),
        ("it", "«Paris»"),
    ],
)
def test_quotations_get_the_languages_marks(language: str, text: str) -> None:
    assert cldr.quoted("Paris", language) == text


def test_a_language_cldr_data_is_missing_for_is_formatted_by_qt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The package keeps Babel's data for some languages only (kiosk.spec); Qt has them all.
    monkeypatch.setattr(cldr, "_babel", lambda _language, for_names=False: None)
    assert cldr.long_date(DAY, "de") == "28. März 1871"
    assert cldr.long_date(DAY, "uk").startswith("28 березня 1871")
    assert cldr.clock_time("16:00", "de") == "16:00"
    assert cldr.number(1234, "de", 0) == "1.234"
    assert cldr.native_language_name("uk") == "Українська"


def test_language_names_are_cldrs_in_the_visitors_language() -> None:
    assert cldr.native_language_name("fr") == "Français"
    assert cldr.language_name_in("en", "fr") == "anglais"
    assert cldr.language_name_in("ru", "de") == "Russisch"


def test_the_calendar_note_counts_the_days_of_the_exhibits_year(bundle: Bundle) -> None:
    assert "13 days" in calendar_note(bundle, "en")  # Petrograd, 1917
    manifest = dataclasses.replace(
        bundle.manifest,
        dates=dataclasses.replace(
            bundle.manifest.dates, start=dt.date(1871, 3, 18), end=dt.date(1871, 5, 28)
        ),
        calendar_note={},
    )
    earlier = dataclasses.replace(bundle, manifest=manifest)
    assert calendar_note(earlier, "en") == (
        "These dates are in the Julian calendar, which was then 12 days behind ours."
    )
    assert "12\u00a0jours" in calendar_note(earlier, "fr")
    assert "Russia" in calendar_note(bundle, "en"), "the bundle's own wording comes first"


def test_a_gregorian_exhibit_has_one_line_of_dates(paris_bundle: Bundle) -> None:
    event = paris_bundle.event("commune-proclaimed")
    assert event_dates(event, "gregorian", "de") == ["28. März 1871"]
    assert event_time(event, "fr") == "vers 16 h"
