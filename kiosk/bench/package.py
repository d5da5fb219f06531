"""The one-folder package: its size, and its start-up against the source's, when it is built.

`make package` builds dist/kiosk/. Its size is every file's bytes (links not followed), as
tests/test_package.py counts them. Start-up runs `dist/kiosk/kiosk-debug --smoke-test` (the
console twin of the exhibit's program, the same code) and `python -m kiosk --smoke-test`
alternately, as the start-up benchmark does, and compares the medians.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from kiosk.bench.startup import compare, environment, times
from kiosk.bench.stats import summary

MB = 2**20


def package_folder(root: Path) -> Path:
    return root / "dist" / "kiosk"


def program(root: Path) -> Path:
    return package_folder(root) / ("kiosk-debug.exe" if sys.platform == "win32" else "kiosk-debug")


def size_mb(folder: Path) -> float:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return round(sum(p.stat().st_size for p in files) / MB, 1)


def run(root: Path, *, runs: int) -> dict[str, Any]:
    folder = package_folder(root)
    if not program(root).is_file():
        return {"skipped": f"not built: {folder} has no kiosk-debug (run `make package`)"}
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-cache-") as cache:
        # Each with a validated-bundle cache of its own, warmed by the discarded first run
        # (the frozen and the source code have different cache keys anyway).
        frozen, source = compare(
            [str(program(root)), "--smoke-test"],
            [sys.executable, "-m", "kiosk", "--smoke-test"],
            runs,
            environment(KIOSK_BUNDLE_CACHE=cache),
        )
    frozen_summary, source_summary = summary(times(frozen), 0), summary(times(source), 0)
    return {
        "size_mb": size_mb(folder),
        "frozen_ms": frozen_summary,
        "source_ms": source_summary,
        "ratio": round(frozen_summary["median"] / source_summary["median"], 2),
    }
