"""Randomly broken bundles only ever give problems: never another exception, a hang or a blow-up.

Hypothesis breaks one file of the corpus base bundle at a time (its YAML, its GeoJSON layer or
its image), in three ways: bytes (flipped, inserted, deleted, cut off), lines (YAML's special
characters, tabs, indentation, swapped and repeated lines) and structure (a value replaced by
any YAML value, a key dropped or renamed).
Each example must finish within the deadline and allocate a bounded amount of memory.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.content import Problem, Severity, validate_bundle
from tests.corpus.runner import BASE, BUNDLE_NAME

FILES = sorted(
    str(path.relative_to(BASE))
    for path in BASE.rglob("*")
    if path.suffix in (".yaml", ".geojson", ".png")
)
YAML_FILES = [name for name in FILES if name.endswith(".yaml")]
MAX_PEAK_BYTES = 64 * 1024 * 1024

# Randomised locally (new cases each run); fixed on CI, so a red build is reproducible there.
FUZZ = settings(
    max_examples=60,
    deadline=dt.timedelta(seconds=2),
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)

YAML_SNIPPETS = [
    "\t", "  ", ": ", "- ", "#", "&a ", "*a", "!!python/object/apply:os.system ['true'] ",
    "!local ", "<<: ", "{", "}", "[", "]", "|", ">", "'", '"', "---\n", "...\n", "? ",
    "%YAML 1.1\n", "no", "yes", "~", "null", "1917-02-30", "6:00", "0x1F", ".inf", "\x00",
    "\ufeff", "\u2028", "é", "Ж", "\\", "@", "`", "%", ",",
]  # fmt: skip


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def _fresh_copy(workdir: Path) -> Path:
    root = workdir / BUNDLE_NAME
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(BASE, root)
    return root


def _check(root: Path) -> None:
    """Validate under a memory watch; the result must be problems, never anything else."""
    tracemalloc.start()
    try:
        bundle, problems = validate_bundle(root)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MAX_PEAK_BYTES, f"validation allocated {peak / 1e6:.0f} MB"
    assert all(isinstance(p, Problem) for p in problems)
    for problem in problems:
        assert problem.line >= 1 and problem.column >= 1, problem
        assert problem.message.strip(), problem
        assert not Path(problem.file).is_absolute(), problem
        assert "Traceback" not in problem.message
    errors = [p for p in problems if p.severity is Severity.ERROR]
    assert (bundle is None) == bool(errors)


@st.composite
def byte_edits(draw: st.DrawFn, data: bytes) -> bytes:
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "cut", "repeat"]))
        if kind == "flip" and at < len(data):
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
        elif kind == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 40)) :]
        elif kind == "cut":
            data = data[:at]
        elif kind == "repeat":
            data = data[:at] + data[at : at + draw(st.integers(1, 200))] * 2 + data[at:]
    return data


@st.composite
def line_edits(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        kind = draw(st.sampled_from(["snippet", "indent", "dedent", "swap", "repeat", "drop"]))
        if kind == "snippet":
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(st.sampled_from(YAML_SNIPPETS)) + line[at:]
        elif kind == "indent":
            lines[index] = draw(st.sampled_from([" ", "  ", "\t", "    "])) + line
        elif kind == "dedent":
            lines[index] = line.lstrip()
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], line
        elif kind == "repeat":
            lines.insert(index, line)
        elif kind == "drop" and len(lines) > 1:
            del lines[index]
    return "\n".join(lines)


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.dates()
    | st.text(max_size=30)
    | st.sampled_from(["en", "ru", "strike", "mutiny", "media/banner.png", "../x", "#e69f00"])
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


@st.composite
def structure_edits(draw: st.DrawFn, text: str) -> str:
    data = yaml.safe_load(text)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)))
        if not path:
            data = draw(VALUES)
            continue
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        kind = draw(st.sampled_from(["replace", "drop", "rename"]))
        if kind == "replace" or isinstance(parent, list):
            parent[path[-1]] = draw(VALUES)
        elif kind == "drop":
            del parent[path[-1]]
        else:
            parent[draw(st.text(max_size=12) | st.integers() | st.booleans())] = parent.pop(
                path[-1]
            )
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@FUZZ
@given(data=st.data(), name=st.sampled_from(FILES))
def test_random_bytes_give_only_problems(workdir: Path, data: st.DataObject, name: str) -> None:
    root = _fresh_copy(workdir)
    target = root / name
    target.write_bytes(data.draw(byte_edits(target.read_bytes())))
    _check(root)


@FUZZ
@given(data=st.data(), name=st.sampled_from(YAML_FILES))
def test_random_lines_give_only_problems(workdir: Path, data: st.DataObject, name: str) -> None:
    root = _fresh_copy(workdir)
    target = root / name
    text = target.read_text(encoding="utf-8")
    target.write_text(data.draw(line_edits(text)), encoding="utf-8", errors="surrogatepass")
    _check(root)


@FUZZ
@given(data=st.data(), name=st.sampled_from(YAML_FILES))
def test_random_structure_gives_only_problems(
    workdir: Path, data: st.DataObject, name: str
) -> None:
    root = _fresh_copy(workdir)
    target = root / name
    target.write_text(data.draw(structure_edits(target.read_text(encoding="utf-8"))))
    _check(root)
