"""Semantic versions: what is allowed, and precedence exactly as semver.org section 11 gives it."""

from __future__ import annotations

import itertools

import pytest

from kiosk.updates.errors import UpdateError
from kiosk.updates.versions import Version, parse_version


def test_the_specification_s_precedence_example() -> None:
    ordered = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "1.0.1",
        "1.9.0",
        "1.10.0",
        "2.0.0",
        "10.0.0",
    ]
    parsed = [Version.parse(text) for text in ordered]
    shuffled = parsed[5:] + parsed[:5]
    assert sorted(shuffled) == parsed
    for lower, higher in itertools.pairwise(parsed):
        assert lower < higher and higher > lower and lower != higher


def test_build_notes_are_ignored_when_comparing() -> None:
    assert Version.parse("1.0.0+a") == Version.parse("1.0.0+b.7")
    assert not Version.parse("1.0.0+a") < Version.parse("1.0.0")
    assert str(Version.parse("1.0.0-rc.1+b")) == "1.0.0-rc.1+b"


@pytest.mark.parametrize(
    "text",
    [
        "1.0",
        "v1.0.0",
        "01.0.0",
        "1.0.0-",
        "1.0.0-01",
        "1.0.0+",
        "1.0.0-a..b",
        "spring 2026",
        "",
        "1.0.0\n",
        "١.٠.٠",
        "1." * 200 + "0",
    ],
)
def test_what_is_not_a_semantic_version(text: str) -> None:
    with pytest.raises(ValueError):
        Version.parse(text)
    with pytest.raises(UpdateError) as caught:
        parse_version(text)
    assert caught.value.kind == "bad-version"
    assert "write MAJOR.MINOR.PATCH such as 1.4.0" in caught.value.message


def test_a_version_that_is_not_text_is_refused() -> None:
    with pytest.raises(UpdateError, match="not a semantic version"):
        parse_version(1.5)
