"""Regenerate the corpus goldens: `.venv/bin/python -m tests.corpus`, then review `git diff`."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.corpus.runner import cases, run_validate


def regenerate() -> None:
    for case in cases():
        with tempfile.TemporaryDirectory() as workdir:
            code, output = run_validate(case, Path(workdir))
        case.golden.write_text(output, encoding="utf-8")
        mark = "" if code == case.exit else f"  (exit {code}, case.yaml says {case.exit})"
        print(f"{case.name}: {output.count(chr(10))} lines{mark}")


if __name__ == "__main__":
    regenerate()
