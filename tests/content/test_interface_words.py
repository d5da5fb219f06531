"""The kiosk's word catalogues: complete in every built-in language, compiled, documented."""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kiosk.content import interface_words
from kiosk.content.interface_words import (
    built_in,
    built_in_languages,
    catalogue_file,
    keys,
    missing_words,
    placeholder_problem,
    placeholders,
)

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["en", "ru", "de", "fr", "es", "it"]
# Words that are rightly the same as the English.
SAME_AS_ENGLISH = {("fr", "sources"), ("fr", "km_away"), ("de", "km_away"), ("es", "km_away")}
SAME_AS_ENGLISH |= {("it", "km_away"), ("de", "position")}


def test_the_six_languages_have_catalogues() -> None:
    assert set(LANGUAGES) <= set(built_in_languages())


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_word_is_there_with_the_english_placeholders(language: str) -> None:
    with catalogue_file(language, ".po").open("rb") as file:
        catalogue = read_po(file)
    ids = [str(m.id) for m in catalogue if m.id]
    assert sorted(ids) == sorted(keys()), "a key is missing or extra"
    for key in keys():
        text = built_in(language, key)
        assert text, (language, key)
        english = built_in("en", key)
        assert english is not None
        assert placeholders(text) == placeholders(english), (language, key)
        wordless = not re.sub(r"\{[a-z_]+\}", "", english).strip(" .,:;()")  # "{a} ({b})"
        if language != "en" and (language, key) not in SAME_AS_ENGLISH and not wordless:
            assert text != english, f"{language} {key} is still the English"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_compiled_catalogue_is_that_of_its_source(language: str) -> None:
    # The kiosk reads the .mo; `make words` writes it from the .po.
    with catalogue_file(language, ".po").open("rb") as file:
        catalogue = read_po(file, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    buffer.seek(0)
    expected = gettext.GNUTranslations(buffer)
    with catalogue_file(language).open("rb") as file:
        shipped = gettext.GNUTranslations(file)
    for key in keys():
        assert shipped.gettext(key) == expected.gettext(key), (
            f"{catalogue_file(language)} is out of date: run make words"
        )


def test_every_key_is_documented_for_curators() -> None:
    text = (ROOT / "docs" / "bundle-format.md").read_text(encoding="utf-8")
    for key in keys():
        assert f"| `{key}` |" in text, key


def test_a_language_without_a_catalogue_lacks_every_word_the_bundle_does_not_give() -> None:
    assert built_in("uk", "close") is None
    missing = missing_words("uk", {"close": {"uk": "Закрити"}})
    assert "close" not in missing and "whole_city" in missing
    assert len(missing) == len(keys()) - 1
    assert missing_words("fr", {}) == []


@pytest.mark.parametrize(
    ("key", "text", "problem"),
    [
        ("about", "около {time}", None),
        ("about", "около {hour}", "unknown placeholder {hour}"),
        ("close", "Close {", "not part of a placeholder"),
        ("close", "Close {{x}}", None),
        ("calendar_note", "Russia, {days} days", None),
    ],
)
def test_a_curators_word_keeps_the_placeholders(key: str, text: str, problem: str | None) -> None:
    found = placeholder_problem(key, text)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_the_catalogues_are_inside_the_package() -> None:
    assert interface_words.LOCALE_DIR == ROOT / "kiosk" / "locale"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"locale/*/LC_MESSAGES/*.mo"' in pyproject
    assert "kiosk/locale" in (ROOT / "kiosk.spec").read_text(encoding="utf-8")
