"""Validation time: `validate_bundle` on the shipped bundle and on generated ones of growing size.

Each bundle is validated once unmeasured (imports, pydantic's first use, the OS file cache),
then timed over several runs in this one process; the figure is wall-clock time per whole
validation, and per event. Linear growth shows as an unchanged time per event: the 10,000/1,000
ratio of the medians should be about 10.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from kiosk.bench.stats import summary
from kiosk.content import Severity, collector_paused, validate_bundle


def time_validation(bundle: Path, runs: int) -> dict[str, Any]:
    with collector_paused():  # as `kiosk validate` runs it
        return _time_validation(bundle, runs)


def _time_validation(bundle: Path, runs: int) -> dict[str, Any]:
    first = time.perf_counter()
    result, problems = validate_bundle(bundle)
    first_ms = (time.perf_counter() - first) * 1000
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    if result is None or errors:
        raise RuntimeError(f"{bundle} does not validate: {errors} errors")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        validate_bundle(bundle)
        times.append((time.perf_counter() - start) * 1000)
    events = len(result.events)
    return {
        "events": events,
        "ms": summary(times, 1),
        "first_run_ms": round(first_ms, 1),
        "ms_per_event": round(summary(times, 3)["median"] / events, 3),
        "warnings": len(problems),
    }


def run(bundles: dict[str, Path], runs: dict[str, int]) -> dict[str, Any]:
    return {name: time_validation(path, runs[name]) for name, path in bundles.items()}
