"""Markup in curator text is found (and warned about), plain punctuation is not."""

from __future__ import annotations

import pytest

from kiosk.content.markup import find_markup


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("A <b>bold</b> claim", "<b>"),
        ('<img src="file:///etc/passwd"> here', '<img src="file:///etc/passwd">'),
        ("ends </i>", "</i>"),
        ("line<br/>break", "<br/>"),
        ("see ![map](/etc/hostname)", "![map](/etc/hostname)"),
        ("a [link](http://example.org) here", "[link](http://example.org)"),
        ("**very** important", "**very**"),
        ("Smith &amp; Sons", "&amp;"),
        ("<a href='" + "x" * 80 + "'>", "<a href='" + "x" * 30 + "…"),
    ],
)
def test_markup_is_found(text: str, found: str) -> None:
    assert find_markup(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "Prices rose 5 < 7 > 3 times",
        "«Хлеба!» — кричали они",
        "a * b * c, and [1] a footnote",
        "Bread & peace",
        "Trotsky, History, vol. 1 (1932), p. 101",
        "“Immediately, without delay”",
    ],
)
def test_plain_text_is_left_alone(text: str) -> None:
    assert find_markup(text) is None
