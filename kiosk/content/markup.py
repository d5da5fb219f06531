"""Spotting HTML or Markdown in curator text, which the kiosk shows exactly as written.

Curator text is plain text on screen (never interpreted, so it can load nothing). A curator who
types `<b>` or `**bold**` expecting formatting would have visitors read the markup itself; the
validator warns, quoting what it found.
"""

from __future__ import annotations

import re

_MARKUP = re.compile(
    r"<\s*/?\s*[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?\s*>"  # an HTML tag: <b>, </i>, <img src=...>
    r"|!?\[[^\]\n]+\]\([^)\n]*\)"  # a Markdown link or image: [text](url), ![alt](file)
    r"|\*\*[^*\n]+\*\*|__[^_\n]+__"  # Markdown bold
    r"|&(?:[a-zA-Z]+|#[0-9]+);"  # an HTML entity: &amp; &nbsp; &#8212;
)
MAX_SHOWN = 40


def find_markup(text: str) -> str | None:
    """The first piece of HTML or Markdown markup in `text` (shortened), or None."""
    match = _MARKUP.search(text)
    if match is None:
        return None
    found = match.group(0)
    return found if len(found) <= MAX_SHOWN else found[: MAX_SHOWN - 1] + "…"
