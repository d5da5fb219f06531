"""Start-up: process creation to the first painted frame, the kiosk against a bare window.

Both are started as fresh processes, alternately so that whatever else the machine does falls
on both alike, with the same environment (offscreen platform, software rendering). The kiosk
runs its own `--smoke-test`, which prints `startup_ms` counted from the OS's record of the
process's creation to the delivery of the map's first Paint event; the bare window
(kiosk/bench/bare_window.py) times a plain 1920x1080 QWidget's first Paint the same way. The
first pair is run and discarded so that both find the files in the OS cache ("warm disk, cold
process": a kiosk at boot may be slower the very first time).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from kiosk.bench.stats import summary

BARE_WINDOW = Path(__file__).with_name("bare_window.py")


def measure(command: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(
            f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()[-500:]}"
        )
    report: dict[str, Any] = json.loads(lines[-1])
    return report


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)
    return env


def compare(kiosk: list[str], floor: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Alternate runs of two commands; the start-up times of each, first pair discarded."""
    env = environment()
    measure(kiosk, env)
    measure(floor, env)
    first: list[float] = []
    second: list[float] = []
    for _ in range(runs):
        first.append(float(measure(kiosk, env)["startup_ms"]))
        second.append(float(measure(floor, env)["startup_ms"]))
    return first, second


def run(*, runs: int) -> dict[str, Any]:
    kiosk, bare = compare(
        [sys.executable, "-m", "kiosk", "--smoke-test"],
        [sys.executable, str(BARE_WINDOW)],
        runs,
    )
    kiosk_summary, bare_summary = summary(kiosk, 0), summary(bare, 0)
    return {
        "kiosk_ms": kiosk_summary,
        "bare_window_ms": bare_summary,
        "ratio": round(kiosk_summary["median"] / bare_summary["median"], 2),
    }
