"""Finding a bundle's glossary terms in its texts: where each term is first used.

Pure text work, no Qt: the event panel marks what `first_uses` finds, and the loader uses
`used_terms` to warn about a term that no text uses. A form matches as a whole word, exactly as
written, except that a form starting with a small letter also matches capitalised (at the start of
a sentence); a form starting with a capital never matches a small letter («Совет», the Soviet, is
not «совет», advice). Where forms of two terms overlap, the longest wins («City Duma» over
«Duma»), so each stretch of text belongs to one term at most.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kiosk.content.data import GlossaryTerm


@dataclass(frozen=True)
class TermMark:
    """A glossary term in a text: characters start to end (exclusive) are term `term_id`."""

    start: int
    end: int
    term_id: str


def _variants(form: str) -> list[str]:
    if form[:1].islower():
        return [form, form[:1].upper() + form[1:]]
    return [form]


class GlossaryMatcher:
    """The glossary's forms in one language, compiled once for a panel's texts."""

    def __init__(self, glossary: Mapping[str, GlossaryTerm], language: str) -> None:
        self._term_of: dict[str, str] = {}
        for term_id, term in glossary.items():
            for form in term.forms.get(language, []):
                for variant in _variants(form):
                    self._term_of.setdefault(variant, term_id)
        forms = sorted(self._term_of, key=lambda f: (-len(f), f))  # the longest tried first
        self._pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)")
            if forms
            else None
        )

    def marks(self, text: str) -> list[TermMark]:
        """Every use of a term in `text`, in order, none overlapping."""
        if self._pattern is None:
            return []
        return [
            TermMark(m.start(), m.end(), self._term_of[m.group()])
            for m in self._pattern.finditer(text)
        ]

    def first_uses(self, texts: Sequence[str]) -> list[list[TermMark]]:
        """For texts read in order (a summary, then paragraphs): each term's first use only."""
        seen: set[str] = set()
        found: list[list[TermMark]] = []
        for text in texts:
            marks = []
            for mark in self.marks(text):
                if mark.term_id not in seen:
                    seen.add(mark.term_id)
                    marks.append(mark)
            found.append(marks)
        return found


def used_terms(
    glossary: Mapping[str, GlossaryTerm], language: str, texts: Iterable[str]
) -> set[str]:
    """The ids of the terms some text uses in `language`."""
    matcher = GlossaryMatcher(glossary, language)
    return {mark.term_id for text in texts for mark in matcher.marks(text)}
