"""Every corpus case prints exactly its golden and exits as its case.yaml says.

On a deliberate change of wording: `.venv/bin/python -m tests.corpus` rewrites the goldens; the
git diff is the review.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.corpus.runner import BASE, CORPUS, Case, cases, run_validate

CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_output_matches_the_golden(case: Case, tmp_path: Path) -> None:
    code, output = run_validate(case, tmp_path)
    assert output == case.golden.read_text(encoding="utf-8"), (
        f"{case.name} ({case.about}): the output changed; if that is deliberate, run "
        "`.venv/bin/python -m tests.corpus` and review the diff"
    )
    assert code == case.exit


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.exit != 2], ids=[c.name for c in CASES if c.exit != 2]
)
def test_json_output_says_the_same(case: Case, tmp_path: Path) -> None:
    code, output = run_validate(case, tmp_path / "json", "--format", "json")
    report = json.loads(output)
    text = case.golden.read_text(encoding="utf-8").splitlines()[:-1]  # less the summary
    assert [
        f"{p['file']}:{p['line']}:{p['column']}: {p['severity']}: {p['message']}"
        for p in report["problems"]
    ] == text
    assert report["valid"] is (code == 0)
    assert (report["errors"], report["warnings"]) == (
        sum(": error: " in line for line in text),
        sum(": warning: " in line for line in text),
    )


def test_every_case_has_a_golden_and_a_reason() -> None:
    folders = {p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_")}
    folders.discard("__pycache__")
    assert folders == {case.name for case in CASES}
    for case in CASES:
        assert case.golden.is_file(), f"{case.name} has no expected.txt"
        assert case.about.strip()


def test_the_base_bundle_is_valid(tmp_path: Path) -> None:
    base = Case("base", "the base itself", 0, [], BASE, [])
    code, output = run_validate(base, tmp_path)
    assert output == (
        "corpus-base 1.0.0: valid - 3 events, 2 quotations, 3 places; 0 errors, 0 warnings\n"
    )
    assert code == 0
