"""Building a corpus case's bundle and running `python -m kiosk validate` on it.

A case is a folder beside this file: `case.yaml` says what a curator did wrong (`about`), the
exit code it must give (`exit`) and the edits that break a copy of `_base/` (a small valid
bundle); an optional `files/` folder is laid over the copy first (for binary files and whole
new files). `expected.txt` is the golden: exactly what the command prints.

Regenerate every golden after a deliberate change of wording, then review the diff:
    .venv/bin/python -m tests.corpus
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kiosk.cli import main

CORPUS = Path(__file__).parent
BASE = CORPUS / "_base"
BUNDLE_NAME = "corpus-base"  # the base bundle's id, so the copy's folder name matches it


@dataclass(frozen=True)
class Case:
    """One broken bundle of the corpus."""

    name: str
    about: str
    exit: int
    edits: list[dict[str, Any]]
    folder: Path
    args: list[str]

    @property
    def golden(self) -> Path:
        return self.folder / "expected.txt"


def cases() -> list[Case]:
    found = []
    for folder in sorted(CORPUS.iterdir()):
        spec = folder / "case.yaml"
        if not spec.is_file():
            continue
        data = yaml.safe_load(spec.read_text(encoding="utf-8"))
        found.append(
            Case(
                name=folder.name,
                about=data["about"],
                exit=data["exit"],
                edits=data.get("edits") or [],
                folder=folder,
                args=data.get("args") or [],
            )
        )
    return found


def _replace(root: Path, spec: dict[str, str]) -> None:
    path = root / spec["file"]
    text = path.read_text(encoding="utf-8")
    count = text.count(spec["old"])
    if count != 1:
        raise ValueError(f"{spec['old']!r} occurs {count} times in {spec['file']}")
    path.write_text(text.replace(spec["old"], spec["new"]), encoding="utf-8")


def _apply(root: Path, edit: dict[str, Any]) -> None:
    (kind, spec), *rest = edit.items()
    if rest:
        raise ValueError(f"one edit at a time, not {list(edit)}")
    if kind == "replace":
        _replace(root, spec)
    elif kind == "write":  # a whole text file
        target = root / spec["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(spec["text"], encoding=spec.get("encoding", "utf-8"))
    elif kind == "reencode":  # the same text, saved in another encoding
        target = root / spec["file"]
        target.write_bytes(target.read_text(encoding="utf-8").encode(spec["encoding"]))
    elif kind == "delete":
        target = root / spec
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    elif kind == "rename":
        (root / spec["file"]).rename(root / spec["to"])
    elif kind == "symlink":
        target = root / spec["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(spec["target"])
    elif kind == "grow":  # made sparse, so a huge file costs nothing
        with (root / spec["file"]).open("r+b") as stream:
            stream.truncate(spec["bytes"])
    else:
        raise ValueError(f"unknown edit {kind!r}")


def build(case: Case, workdir: Path) -> Path:
    """Lay out the case's broken bundle in `workdir`; returns its folder."""
    root = workdir / BUNDLE_NAME
    shutil.copytree(BASE, root)
    overlay = case.folder / "files"
    if overlay.is_dir():
        shutil.copytree(overlay, root, dirs_exist_ok=True)
    for edit in case.edits:
        _apply(root, edit)
    return root


def run_validate(case: Case, workdir: Path, *extra: str) -> tuple[int, str]:
    """Run the validate command in-process from `workdir`; exit code and everything printed."""
    root = build(case, workdir)
    out = io.StringIO()
    previous = Path.cwd()
    os.chdir(workdir)  # so the summary line names the bundle as a curator would type it
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = main(["validate", *case.args, root.name, *extra])
    finally:
        os.chdir(previous)
    return code, out.getvalue()
