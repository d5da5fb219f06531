"""The kiosk's own words (buttons, labels) in the visitor's language; bundles supply the rest.

The words are gettext catalogues, kiosk/locale/<language>/LC_MESSAGES/kiosk.po (read through
kiosk.content.interface_words), complete for English, Russian, German, French, Spanish and
Italian. A bundle's `words:` section adds words for other languages and replaces built-in ones;
`use_bundle` makes the shown bundle's words the ones `tr` finds first. English is the fallback
for a word no catalogue or bundle has in the visitor's language.
"""

from __future__ import annotations

from kiosk.content import interface_words
from kiosk.content.bundle import Bundle
from kiosk.ui.journey import cldr

_bundle_words: dict[str, dict[str, str]] = {}


def use_bundle(bundle: Bundle | None) -> None:
    """Let `bundle`'s own words (its `words:` section) stand before the built-in ones."""
    global _bundle_words
    _bundle_words = dict(bundle.manifest.words) if bundle is not None else {}


def has_word(language: str, key: str) -> bool:
    """True if `key` has a text in `language` (from the bundle or built in), not only English."""
    return (
        language in _bundle_words.get(key, {})
        or interface_words.built_in(language, key) is not None
    )


def tr(language: str, key: str, **values: object) -> str:
    """The kiosk word `key` in `language` (English if missing), with {values} filled in."""
    text = _bundle_words.get(key, {}).get(language) or interface_words.built_in(language, key)
    if text is None:
        text = _bundle_words.get(key, {}).get(interface_words.SOURCE_LANGUAGE)
    if text is None:
        text = interface_words.built_in(interface_words.SOURCE_LANGUAGE, key)
    if text is None:
        raise KeyError(f"the kiosk has no word '{key}'")
    if not values:
        return text
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):  # a bundle's word the validator warned about
        english = interface_words.built_in(interface_words.SOURCE_LANGUAGE, key) or text
        return english.format(**values)


def language_name(code: str, overrides: dict[str, str]) -> str:
    """How a language names itself, for its button: the bundle's name, else CLDR's."""
    return overrides.get(code) or cldr.native_language_name(code)
