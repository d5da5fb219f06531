"""`python -m kiosk validate`: exit codes, the text report and the JSON report."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "content" / "petrograd-1917"
EVENT = "volynsky-mutiny"


def validate(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "validate", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def broken_copy(tmp_path: Path) -> tuple[Path, int, int]:
    """A copy of the shipped bundle with one event's category misspelt; the spot's line, column."""
    copy = tmp_path / BUNDLE.name  # the same folder name, so the id still matches
    shutil.copytree(BUNDLE, copy)
    event = copy / "events" / f"{EVENT}.yaml"
    lines = event.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("category: "))
    lines[index] = "category: mutinyy\n"
    event.write_text("".join(lines), encoding="utf-8")
    return copy, index + 1, len("category: ") + 1


def test_valid_bundle() -> None:
    result = validate("content/petrograd-1917")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    *problems, summary = result.stdout.splitlines()
    assert problems == []  # the shipped bundle has no warnings either
    assert summary.startswith("petrograd-1917 ")
    assert ": valid - " in summary
    assert summary.endswith("; 0 errors, 0 warnings")


def test_broken_bundle(tmp_path: Path) -> None:
    copy, line, column = broken_copy(tmp_path)
    result = validate(copy)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"events/{EVENT}.yaml:{line}:{column}: error: there is no category 'mutinyy' in "
        "bundle.yaml - did you mean 'mutiny'?",
        f"{copy}: not valid; 1 error, 0 warnings",
    ]


def test_not_a_bundle(tmp_path: Path) -> None:
    result = validate(tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == f"error: {tmp_path} has no bundle.yaml; is it a content bundle?"
    assert validate(tmp_path / "absent").returncode == 2


def test_json_report(tmp_path: Path) -> None:
    copy, line, column = broken_copy(tmp_path)
    result = validate(copy, "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout) == {
        "bundle": str(copy),
        "valid": False,
        "errors": 1,
        "warnings": 0,
        "problems": [
            {
                "file": f"events/{EVENT}.yaml",
                "line": line,
                "column": column,
                "severity": "error",
                "message": "there is no category 'mutinyy' in bundle.yaml - did you mean 'mutiny'?",
            }
        ],
    }


def test_into_cache_stores_a_valid_bundle_for_the_kiosk_and_never_a_refused_one(
    tmp_path: Path,
) -> None:
    from kiosk.content.cache import ENVIRONMENT, BundleCache, bundle_key

    cache = BundleCache(tmp_path / "cache")
    environment = {**os.environ, ENVIRONMENT: str(cache.folder)}

    def into_cache(folder: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kiosk", "validate", "--into-cache", str(folder)],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )

    good = shutil.copytree(BUNDLE, tmp_path / "good" / BUNDLE.name)
    result = into_cache(good)
    assert result.returncode == 0, result.stdout + result.stderr
    cached = cache.get(bundle_key(good))
    assert cached is not None and cached.manifest.id == "petrograd-1917"
    broken, line, column = broken_copy(tmp_path)
    result = into_cache(broken)
    assert result.returncode == 1
    assert f"events/{EVENT}.yaml:{line}:{column}: error:" in result.stdout
    assert cache.get(bundle_key(broken)) is None
