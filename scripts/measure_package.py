"""Measure the package against the source: size, and start-up to the first painted frame.

    python scripts/measure_package.py dist/kiosk [runs]

Runs the source and the frozen smoke test alternately (so both see the same machine load) and
prints the medians of the wall-clock time to exit and of the reported startup_ms, their ratio,
and the package size. Figures belong in a report or a benchmark file, not in a unit test.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def once(command: list[str]) -> tuple[float, float]:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    wall = (time.perf_counter() - started) * 1000
    return wall, float(json.loads(result.stdout)["startup_ms"])


def main() -> None:
    package = Path(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 9
    source = [sys.executable, "-m", "kiosk", "--smoke-test"]
    frozen = [str(package / "kiosk"), "--smoke-test"]
    once(source), once(frozen)  # warm the file cache for both
    results: dict[str, list[tuple[float, float]]] = {"source": [], "frozen": []}
    for _ in range(runs):
        results["source"].append(once(source))
        results["frozen"].append(once(frozen))
    medians = {}
    for name, values in results.items():
        wall = statistics.median(v[0] for v in values)
        startup = statistics.median(v[1] for v in values)
        medians[name] = (wall, startup)
        print(f"{name:7} wall {wall:6.0f} ms   first frame {startup:6.0f} ms   ({runs} runs)")
    ratio_wall = medians["frozen"][0] / medians["source"][0]
    ratio_startup = medians["frozen"][1] / medians["source"][1]
    print(f"frozen / source: wall {ratio_wall:.2f}, first frame {ratio_startup:.2f}")
    size = sum(p.stat().st_size for p in package.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"package size: {size / 2**20:.1f} MB")


if __name__ == "__main__":
    main()
