"""Start-up: process creation to the first painted frame, the kiosk against a bare window.

Both are started as fresh processes, alternately so that whatever else the machine does falls
on both alike, with the same environment (offscreen platform, software rendering). The kiosk
runs its own `--smoke-test`, which prints `startup_ms` counted from the OS's record of the
process's creation to the delivery of the map's first Paint event; the bare window
(kiosk/bench/bare_window.py) times a plain 1920x1080 QWidget's first Paint the same way. The
first pair is run and discarded (its times are kept as `first_run`) so that both find the files
in the OS cache, the kiosk its validated-bundle cache (a folder of the suite's own) and Python
its compiled modules (.pyc, written by that first run even where the caller's environment says
not to write them): cold processes on a warm disk, as an exhibit restarts on an unchanged bundle
from an installation whose modules are compiled (the package carries them compiled). A second,
shorter series runs the kiosk with that cache off, as its first start after a content change does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from kiosk.bench.stats import summary

BARE_WINDOW = Path(__file__).with_name("bare_window.py")
BUNDLE_CACHE = "KIOSK_BUNDLE_CACHE"  # kiosk/content/cache.py: a folder, or "off"


def measure(command: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(
            f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()[-500:]}"
        )
    report: dict[str, Any] = json.loads(lines[-1])
    return report


def environment(**settings: str) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)
    # Set, every start would compile each kiosk module again (+0.15 s): a development setting,
    # not a kiosk's (an installed or packaged kiosk runs compiled modules).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(settings)
    return env


def compare(
    first: list[str], second: list[str], runs: int, env: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Alternate runs of two commands, after one discarded pair: their reports, that pair
    first."""
    reports_a = [measure(first, env)]
    reports_b = [measure(second, env)]
    for _ in range(runs):
        reports_a.append(measure(first, env))
        reports_b.append(measure(second, env))
    return reports_a, reports_b


def times(reports: list[dict[str, Any]]) -> list[float]:
    return [float(r["startup_ms"]) for r in reports[1:]]  # the discarded first run left out


def run(*, runs: int, uncached_runs: int) -> dict[str, Any]:
    kiosk = [sys.executable, "-m", "kiosk", "--smoke-test"]
    bare = [sys.executable, str(BARE_WINDOW)]
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-cache-") as cache:
        kiosk_reports, bare_reports = compare(
            kiosk, bare, runs, environment(**{BUNDLE_CACHE: cache})
        )
    uncached, bare_again = compare(kiosk, bare, uncached_runs, environment(**{BUNDLE_CACHE: "off"}))
    kiosk_summary, bare_summary = summary(times(kiosk_reports), 0), summary(times(bare_reports), 0)
    return {
        "kiosk_ms": kiosk_summary,
        "bare_window_ms": bare_summary,
        "ratio": round(kiosk_summary["median"] / bare_summary["median"], 2),
        "kiosk_without_bundle_cache_ms": summary(times(uncached), 0),
        "bare_window_beside_those_ms": summary(times(bare_again), 0),
        "bundle_cache": dict(
            Counter(str(r.get("bundle_cache", "unknown")) for r in kiosk_reports[1:])
        ),
        "first_run": {
            "kiosk_ms": kiosk_reports[0]["startup_ms"],
            "bare_window_ms": bare_reports[0]["startup_ms"],
            "kiosk_bundle_cache": kiosk_reports[0].get("bundle_cache", "unknown"),
        },
        "markers_drawn": kiosk_reports[-1].get("markers_drawn"),
        "bundle": kiosk_reports[-1].get("bundle"),
    }
