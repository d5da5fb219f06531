"""The kiosk's own words (buttons, headings, notes) from its gettext catalogues, and their checks.

The words live in kiosk/locale/<language>/LC_MESSAGES/kiosk.po, one catalogue per language,
where each msgid is the word's key ("close") and its msgstr the text ("Fermer"). The kiosk reads
the compiled kiosk.mo beside each .po with the standard library's gettext (`make words` compiles
them; tests/content/test_interface_words.py fails when one is out of date), so no catalogue
parser is ever imported, before the first frame or in the package. The English catalogue names
every key.

A bundle may add words for any other language and replace any built-in word (`words:` in
bundle.yaml, see docs/bundle-format.md); `missing_words` says which keys a bundle language still
lacks, and `placeholder_problem` checks a curator's text keeps the placeholders the kiosk fills.
No Qt here: the validator uses this module too.
"""

from __future__ import annotations

import functools
import gettext
import string
import struct
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "kiosk"
SOURCE_LANGUAGE = "en"  # its catalogue names every key; the fallback for any missing word


def catalogue_file(language: str, suffix: str = ".mo") -> Path:
    """Where the catalogue of `language` is (its compiled .mo, or with suffix=".po" its source)."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@functools.cache
def _translations(language: str) -> gettext.NullTranslations | None:
    path = catalogue_file(language.replace("-", "_"))
    if not path.is_file():
        return None
    with path.open("rb") as file:
        return gettext.GNUTranslations(file)


def built_in(language: str, key: str) -> str | None:
    """The kiosk's own word `key` in `language`, or None if its catalogue lacks it."""
    translations = _translations(language)
    if translations is None:
        return None
    text = translations.gettext(key)
    return None if text == key else text  # gettext gives the msgid back when it has no entry


def built_in_languages() -> list[str]:
    """The languages the kiosk has catalogues for, in code order."""
    if not LOCALE_DIR.is_dir():
        return []
    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))


@functools.cache
def keys() -> tuple[str, ...]:
    """Every word's key: the msgids of the English catalogue, in the compiled file's (sorted)
    order. Read straight from the .mo (GNU gettext's documented layout), so neither the kiosk nor
    its package needs a .po parser."""
    data = catalogue_file(SOURCE_LANGUAGE).read_bytes()
    order = "<" if data[:4] == b"\xde\x12\x04\x95" else ">"  # the magic number, either way round
    count, originals = struct.unpack(f"{order}4x4xII", data[:16])
    found = []
    for n in range(count):
        length, offset = struct.unpack(
            f"{order}II", data[originals + 8 * n : originals + 8 * n + 8]
        )
        key = data[offset : offset + length].decode("utf-8")
        if key:  # the empty msgid is the catalogue's header
            found.append(key)
    return tuple(found)


def placeholders(text: str) -> set[str]:
    """The {names} in a text, as str.format reads them (ValueError if it cannot be read)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def placeholder_problem(key: str, text: str) -> str | None:
    """What is wrong with a curator's `text` for the word `key`, or None if it can be used."""
    source = built_in(SOURCE_LANGUAGE, key)
    expected = placeholders(source) if source is not None else set()
    try:
        found = placeholders(text)
    except ValueError:
        return "a { or } that is not part of a placeholder; write {{ or }} for a brace itself"
    unknown = sorted(found - expected)
    if unknown:
        known = ", ".join("{" + name + "}" for name in sorted(expected)) or "none"
        return f"unknown placeholder {{{unknown[0]}}}; this word's placeholders are: {known}"
    return None


def missing_words(language: str, bundle_words: dict[str, dict[str, str]]) -> list[str]:
    """The keys with no text in `language`, neither built in nor given by the bundle."""
    return [
        key
        for key in keys()
        if built_in(language, key) is None and language not in bundle_words.get(key, {})
    ]
