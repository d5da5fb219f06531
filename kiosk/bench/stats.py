"""Summaries of repeated measurements: n, min, median, p99 (nearest rank), max and mean."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of them at or below.

    With fewer than 100 values the p99 is simply the largest, never an interpolation that
    would pretend to a resolution the sample does not have.
    """
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def summary(values: Sequence[float], digits: int = 2) -> dict[str, float | int]:
    """The figures every benchmark reports for a series of measurements."""
    if not values:
        raise ValueError("no values")
    return {
        "n": len(values),
        "min": round(min(values), digits),
        "median": round(statistics.median(values), digits),
        "p99": round(percentile(values, 0.99), digits),
        "max": round(max(values), digits),
        "mean": round(statistics.fmean(values), digits),
    }
