"""The bundles shipped in content/: every one validates, and the Petrograd exhibit is complete."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from kiosk.content import Bundle, Severity, validate_bundle

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
PETROGRAD = CONTENT / "petrograd-1917"
# Every folder in content/ is a bundle, so a new one is tested without touching this file.
BUNDLES = sorted(p for p in CONTENT.iterdir() if p.is_dir() and not p.name.startswith("."))

# Quotations kept in quotes.yaml that no event shows. The bundle format has no place for a
# quotation on its own, so each one here is a deliberate choice: a quotation missing from its
# event by mistake fails the test instead.
STANDALONE_QUOTES = {
    "lenin-defeat-own-government",  # Lenin's 1915 defeatism, context for the exhibit
    "lenin-first-revolution",  # Lenin hears the news in Switzerland, March 1917
}


@functools.cache
def _validated(folder: Path) -> tuple[Bundle | None, tuple[str, ...], tuple[str, ...]]:
    """The bundle, its errors and its warnings, read once per test run."""
    bundle, problems = validate_bundle(folder)
    errors = tuple(str(p) for p in problems if p.severity is Severity.ERROR)
    warnings = tuple(str(p) for p in problems if p.severity is Severity.WARNING)
    return bundle, errors, warnings


def _petrograd() -> Bundle:
    bundle, errors, _ = _validated(PETROGRAD)
    assert bundle is not None, errors
    return bundle


def test_petrograd_is_among_the_bundles() -> None:
    assert PETROGRAD in BUNDLES


@pytest.mark.parametrize("folder", BUNDLES, ids=lambda p: p.name)
def test_bundle_has_no_errors(folder: Path) -> None:
    bundle, errors, _ = _validated(folder)
    assert errors == ()
    assert bundle is not None
    assert bundle.manifest.id == folder.name


def test_petrograd_has_no_warnings() -> None:
    _, _, warnings = _validated(PETROGRAD)
    assert warnings == ()


def test_petrograd_is_big_enough() -> None:
    bundle = _petrograd()
    # The fact sheet's 22 and the six the review added (tests/test_petrograd_accuracy.py).
    assert len(bundle.events) == 28
    assert len(bundle.quotes) >= 15
    assert len(bundle.people) >= 13
    assert len(bundle.labels) >= 40


def test_every_quotation_is_shown_or_allowed_to_stand_alone() -> None:
    bundle = _petrograd()
    assert set(bundle.quotes) >= STANDALONE_QUOTES, "STANDALONE_QUOTES names a missing quotation"
    used = {quote_id for event in bundle.events for quote_id in event.quotes}
    unused = sorted(set(bundle.quotes) - used - STANDALONE_QUOTES)
    assert unused == [], "shown by no event; use them or add them to STANDALONE_QUOTES"


def test_every_event_is_inside_the_bundle_dates() -> None:
    bundle = _petrograd()
    dates = bundle.manifest.dates
    outside = [
        event.id
        for event in bundle.events
        if not dates.contains(event.date)
        or (event.date_end is not None and not dates.contains(event.date_end))
    ]
    assert outside == []


def test_petrograd_events_are_in_time_order() -> None:
    events = _petrograd().events
    assert [e.sort_key for e in events] == sorted(e.sort_key for e in events)


PARIS = ROOT / "tests" / "bundles" / "paris-1871"


def test_the_paris_test_exhibit_is_clean_and_unlike_petrograd() -> None:
    """The test suite's second exhibit: another city, French first, Gregorian, months long."""
    bundle, errors, warnings = _validated(PARIS)
    assert errors == () and warnings == ()
    assert bundle is not None
    manifest = bundle.manifest
    assert manifest.languages[0] == "fr" and set(manifest.languages) == {"fr", "en", "de"}
    assert manifest.calendar == "gregorian"
    assert (manifest.dates.end - manifest.dates.start).days > 60
    assert len(bundle.events) >= 10
    assert any(bundle.places[e.place].off_map for e in bundle.events)
