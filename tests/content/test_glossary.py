"""glossary.yaml: the terms, how they are found in the texts, and what validation says of them."""

from __future__ import annotations

from kiosk.content import validate_bundle
from kiosk.content.data import GlossaryTerm
from kiosk.content.glossary import GlossaryMatcher, TermMark, used_terms
from tests.content.conftest import BundleFiles

GLOSSARY = """\
    strike:
      forms: {en: ["strike", "walked out"], ru: ["стачка", "бросили работу"]}
      definition: {en: "Stopping work together.", ru: "Совместное прекращение работы."}
    muster:
      forms: {en: ["muster"], ru: ["построении"]}
      definition: {en: "A parade of the troops.", ru: "Построение войск."}
      sources: ["Army regulations", {en: "Dictionary", ru: "Словарь"}]
"""


def _term(en: list[str], ru: list[str] | None = None) -> GlossaryTerm:
    forms = {"en": en} if ru is None else {"en": en, "ru": ru}
    return GlossaryTerm(forms=forms, definition={"en": "A definition."})


def _words(text: str, marks: list[TermMark]) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.term_id) for m in marks]


# --- finding terms in text ----------------------------------------------------------------


def test_a_form_matches_only_as_a_whole_word() -> None:
    matcher = GlossaryMatcher({"duma": _term(["Duma"])}, "en")
    text = "The Duma met; Dumas and misDuma did not."
    assert _words(text, matcher.marks(text)) == [("Duma", "duma")]


def test_the_longest_form_wins_where_two_terms_overlap() -> None:
    glossary = {"duma": _term(["Duma"]), "city-duma": _term(["City Duma"])}
    matcher = GlossaryMatcher(glossary, "en")
    text = "Women went to the City Duma; the Duma was suspended."
    assert _words(text, matcher.marks(text)) == [("City Duma", "city-duma"), ("Duma", "duma")]


def test_a_small_letter_form_also_matches_at_the_start_of_a_sentence() -> None:
    matcher = GlossaryMatcher({"td": _term(["x"], ["учебная команда"])}, "ru")
    text = "Учебная команда стреляла. Потом учебная команда восстала."
    assert _words(text, matcher.marks(text)) == [
        ("Учебная команда", "td"),
        ("учебная команда", "td"),
    ]


def test_a_capitalised_form_never_matches_a_small_letter() -> None:
    # «Совет» (the Soviet) is not «совет» (advice).
    matcher = GlossaryMatcher({"soviet": _term(["Soviet"], ["Совет"])}, "ru")
    text = "Он дал совет. Совет собрался."
    assert _words(text, matcher.marks(text)) == [("Совет", "soviet")]
    assert matcher.marks(text)[0].start == text.index("Совет собрался")


def test_only_each_terms_first_use_is_marked_across_the_texts() -> None:
    glossary = {"duma": _term(["Duma"]), "soviet": _term(["Soviet"])}
    texts = ["The Duma and the Duma.", "The Soviet met, and the Duma.", "The Soviet again."]
    marks = GlossaryMatcher(glossary, "en").first_uses(texts)
    assert [_words(t, m) for t, m in zip(texts, marks, strict=True)] == [
        [("Duma", "duma")],
        [("Soviet", "soviet")],
        [],
    ]


def test_a_language_without_forms_marks_nothing() -> None:
    matcher = GlossaryMatcher({"duma": _term(["Duma"])}, "ru")
    assert matcher.marks("Дума и Duma") == []
    assert used_terms({"duma": _term(["Duma"])}, "en", ["no term", "the Duma"]) == {"duma"}


def test_the_headword_is_the_first_form_in_the_language_or_the_fallbacks() -> None:
    term = _term(["Stavka", "Stavka's"], ["Ставка", "Ставки"])
    assert term.headword("ru", "en") == "Ставка"
    assert term.headword("de", "en") == "Stavka"


# --- validation -----------------------------------------------------------------------------


def test_a_glossary_is_read_and_validated(bundle: BundleFiles) -> None:
    bundle.write("glossary.yaml", GLOSSARY)
    bundle.replace(
        "events/volynsky-mutiny.yaml",
        'body: {en: "At the morning muster they refused.", ru: "На построении они отказались."}',
        'body: {en: "At the morning muster they refused; the strike spread.", '
        'ru: "На построении они отказались; стачка росла."}',
    )
    result, problems = validate_bundle(bundle.root)
    assert [str(p) for p in problems] == []
    assert result is not None
    assert set(result.glossary) == {"strike", "muster"}
    assert result.glossary["muster"].sources == [
        "Army regulations",
        {"en": "Dictionary", "ru": "Словарь"},
    ]


def test_a_term_no_text_uses_is_a_warning_per_language(bundle: BundleFiles) -> None:
    bundle.write(
        "glossary.yaml",
        GLOSSARY
        + """\
    arsenal:
      forms: {en: ["Arsenal"], ru: ["склад"]}
      definition: {en: "A store of arms.", ru: "Склад оружия."}
""",
    )
    _, problems = validate_bundle(bundle.root)
    assert [str(p) for p in problems] == [
        "glossary.yaml:8:1: warning: no event's 'en' text uses the term 'arsenal' (forms: "
        "Arsenal), so it is never marked; add the form the texts use, or remove the term",
        "glossary.yaml:8:1: warning: no event's 'ru' text uses the term 'arsenal' (forms: "
        "склад), so it is never marked; add the form the texts use, or remove the term",
    ]


def test_glossary_mistakes_are_reported_where_they_are(bundle: BundleFiles) -> None:
    bundle.write(
        "glossary.yaml",
        """\
        strike:
          forms: {en: ["walked out"], ru: ["бросили работу"]}
          definition: {en: "Stopping work together."}
          sauce: {en: "x"}
        walkout:
          forms: {en: ["walked out"], ru: []}
          definition: {en: "The same words.", ru: "Те же слова."}
        """,
    )
    _, problems = validate_bundle(bundle.root)
    assert [str(p) for p in problems] == [
        "glossary.yaml:4:3: error: unknown field 'sauce' - did you mean 'sources'?",
        "glossary.yaml:6:10: error: give at least one 'ru' form, the headword first",
    ]


def test_a_form_claimed_by_two_terms_and_a_missing_translation(bundle: BundleFiles) -> None:
    bundle.write(
        "glossary.yaml",
        """\
        strike:
          forms: {en: ["walked out"], ru: ["бросили работу"]}
          definition: {en: "Stopping work together."}
        walkout:
          forms: {en: ["walked out"]}
          definition: {en: "The same words.", ru: "Те же слова."}
        """,
    )
    _, problems = validate_bundle(bundle.root)
    assert [str(p) for p in problems] == [
        "glossary.yaml:3:15: warning: 'strike.definition' has no 'ru' translation; visitors "
        "will see the 'en' text instead",
        # Its one form belongs to 'strike', so nothing is ever marked as 'walkout'.
        "glossary.yaml:4:1: warning: no event's 'en' text uses the term 'walkout' (forms: "
        "walked out), so it is never marked; add the form the texts use, or remove the term",
        "glossary.yaml:5:10: warning: 'walkout.forms' has no 'ru' translation; visitors will "
        "see the 'en' text instead",
        "glossary.yaml:5:16: error: 'walked out' is already a form of 'strike'; a word in the "
        "texts can stand for one term only",
    ]
