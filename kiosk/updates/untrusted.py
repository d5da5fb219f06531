"""One helper for text that came from outside (a manifest, a server, a zip, a sync folder).

Such text reaches log lines, state.json, status.json and the admin screen. A newline in it could
forge a whole log line ("… staff PIN accepted"), a carriage return or an escape sequence could
redraw a terminal, and a right-to-left override could reverse what staff read. `printable`
escapes every character that is not printable the way `repr` does (`\\n`, `\\x1b`, `\\u202e`),
keeps everything else (accents, Cyrillic) as it is, and cuts very long text short, so one
hostile string stays one short, visible line.
"""

from __future__ import annotations

MAX_CHARS = 500
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(character: str) -> str:
    if character in _NAMED:
        return _NAMED[character]
    code = ord(character)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(value: object, limit: int = MAX_CHARS) -> str:
    """`value` as one line of printable text, at most `limit` characters (then "…")."""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable() and len(text) <= limit:  # the usual case, at no cost
        return text
    shown = "".join(c if c.isprintable() else _escaped(c) for c in text[: limit + 1])
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def printable_or_none(value: object, limit: int = MAX_CHARS) -> str | None:
    return None if value is None else printable(value, limit)
