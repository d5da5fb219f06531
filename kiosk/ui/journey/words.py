"""The kiosk's own words (buttons, labels) in the visitor's language; bundles supply the rest.

The words are gettext catalogues, kiosk/locale/<language>/LC_MESSAGES/kiosk.po (read through
kiosk.content.interface_words), complete for English, Russian, German, French, Spanish and
Italian. A bundle's `words:` section adds words for other languages and replaces built-in ones;
`use_bundle` makes the shown bundle's words the ones `tr` finds first. English is the fallback
for a word no catalogue or bundle has in the visitor's language. No Qt here (tests/
test_architecture.py): the words are needed where no widget is.
"""

from __future__ import annotations

from kiosk.content import interface_words
from kiosk.content.bundle import Bundle

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


# How some languages name themselves: for the button of a language whose name neither the bundle
# (language_names) nor Babel's CLDR data (absent from the package) gives.
LANGUAGE_NAMES = {
    "en": "English",
    "ru": "Русский",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "it": "Italiano",
    "uk": "Українська",
    "fi": "Suomi",
    "pl": "Polski",
    "zh": "中文",
}


def language_name(code: str, overrides: dict[str, str]) -> str:
    """How a language names itself, for its button: the bundle's name, else CLDR's."""
    return overrides.get(code) or native_language_name(code)


def native_language_name(code: str) -> str:
    """A language's own name, capitalised for a button ("Français"): from Babel's CLDR data
    where it is installed, else the short table above, else the code."""
    try:
        from babel import Locale, UnknownLocaleError
    except ImportError:  # pragma: no cover - the frozen package
        return LANGUAGE_NAMES.get(code, code)
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        name = None
    name = name or LANGUAGE_NAMES.get(code, code)
    return name[:1].upper() + name[1:]
