"""The targets of DESIGN.md section 6, checked against a run's figures.

Each target names the benchmark, the figure (a path into its result) and the limit. A target
whose benchmark was skipped, failed or did not produce the figure is "not measured", never
"pass".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Target:
    """One quality bar: which figure of which benchmark must stay at or under `limit`."""

    what: str  # the row of DESIGN.md section 6
    target: str  # as written there
    benchmark: str  # the benchmark's name in the plan (a prefix for frames of another size)
    path: tuple[str, ...]  # where the figure is in its result
    limit: float
    unit: str


def _large(benchmarks: dict[str, Any], prefix: str) -> str:
    """The name of the frames benchmark of the large generated bundle (10,000 events in full)."""
    for name in benchmarks:
        if name.startswith(prefix) and "petrograd" not in name and name.endswith("1920x1080"):
            return name
    return f"{prefix}gen-10000-1920x1080"


def targets(benchmarks: dict[str, Any]) -> list[Target]:
    large_frames = _large(benchmarks, "frames-")
    validation = benchmarks.get("validation", {}).get("result", {})
    large_validation = next(
        (name for name in reversed(list(validation)) if name.startswith("gen-")), "gen-10000"
    )
    return [
        Target(
            "cold start to first painted frame, from source",
            "<= 1.0 s",
            "startup",
            ("kiosk_ms", "median"),
            1000,
            "ms",
        ),
        Target(
            "cold start: kiosk / bare PySide6 window (medians)",
            "<= 2x",
            "startup",
            ("ratio",),
            2.0,
            "x",
        ),
        Target(
            "tap on a marker to the panel's first painted frame (p99 of the taps)",
            "<= 50 ms",
            "tap",
            ("tap_to_panel_ms", "p99"),
            50,
            "ms",
        ),
        Target(
            "tap to the panel's first frame, five 24-megapixel pictures a panel (p99)",
            "<= 50 ms",
            "tap-pictures",
            ("tap_to_panel_ms", "p99"),
            50,
            "ms",
        ),
        Target(
            "map frame time panning / pinching at 1920x1080 (median)",
            "<= 8 ms",
            "frames-petrograd-1920x1080",
            ("frame_ms", "median"),
            8,
            "ms",
        ),
        Target(
            "map frame time panning / pinching at 1920x1080 (p99)",
            "<= 16 ms",
            "frames-petrograd-1920x1080",
            ("frame_ms", "p99"),
            16,
            "ms",
        ),
        Target(
            "same with a generated bundle of 10,000 events (p99)",
            "<= 16 ms",
            large_frames,
            ("frame_ms", "p99"),
            16,
            "ms",
        ),
        Target(
            "validate the Petrograd bundle (median)",
            "<= 150 ms",
            "validation",
            ("petrograd", "ms", "median"),
            150,
            "ms",
        ),
        Target(
            "validate a 10,000-event bundle (median)",
            "<= 3 s",
            "validation",
            (large_validation, "ms", "median"),
            3000,
            "ms",
        ),
        Target(
            "validation grows linearly: ms per added event, 1,000 to 10,000 over 100 to 1,000",
            "<= 1.25x",
            "validation",
            ("linearity", "marginal_ratio"),
            1.25,
            "x",
        ),
        Target(
            "memory after the scripted interactions: RSS growth after warm-up",
            "<= 20 MB",
            "soak",
            ("rss_growth_mb",),
            20,
            "MB",
        ),
        Target(
            "memory after the scripted interactions: leaked QObjects",
            "0",
            "soak",
            ("qobject_growth",),
            0,
            "",
        ),
        Target(
            "memory during the scripted interactions: highest RSS",
            "<= 150 MB",
            "soak",
            ("rss_max_mb",),
            150,
            "MB",
        ),
        Target(
            "memory in a real window (Xvfb) under random use with rests: highest RSS",
            "<= 150 MB",
            "soak-window",
            ("rss_max_mb",),
            150,
            "MB",
        ),
        Target(
            "same: the last round's highest RSS over the round before (levels off)",
            "<= 5 MB",
            "soak-window",
            ("last_round_growth_mb",),
            5,
            "MB",
        ),
        Target("one-folder package size", "<= 130 MB", "package", ("size_mb",), 130, "MB"),
        Target(
            "package start-up / source start-up (medians)",
            "<= 1.2x",
            "package",
            ("ratio",),
            1.2,
            "x",
        ),
    ]


def linearity(result: dict[str, Any]) -> dict[str, float] | None:
    """How validation time grows with the number of events, from the generated bundles.

    A fixed cost (the map layers, the manifest) does not grow with events, so the raw ratio of
    two times is below the ratio of their sizes even when growth is linear. The check is on the
    marginal cost: ms per added event between the two largest bundles over that between the
    two smaller ones; 1.0 is linear, above it grows faster than linearly.
    """
    sizes = sorted(
        (value["events"], value["ms"]["median"])
        for name, value in result.items()
        if name.startswith("gen-") and isinstance(value, dict)
    )
    if len(sizes) < 3 or sizes[-2][1] <= sizes[-3][1]:
        return None  # too few sizes, or noise larger than the difference: no reading
    (n1, t1), (n2, t2), (n3, t3) = sizes[-3:]
    lower, upper = (t2 - t1) / (n2 - n1), (t3 - t2) / (n3 - n2)
    return {
        "time_ratio": round(t3 / t2, 2),  # e.g. 10,000 / 1,000 events
        "size_ratio": round(n3 / n2, 2),
        "marginal_ms_per_event_lower": round(lower, 4),
        "marginal_ms_per_event_upper": round(upper, 4),
        "marginal_ratio": round(upper / lower, 2),
    }


def _figure(result: dict[str, Any], path: tuple[str, ...]) -> float | None:
    value: Any = result
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return float(value) if isinstance(value, int | float) else None


def evaluate(benchmarks: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    validation = benchmarks.get("validation", {})
    if validation.get("status") == "ok":
        validation["result"]["linearity"] = linearity(validation["result"])
    for target in targets(benchmarks):
        bench = benchmarks.get(target.benchmark)
        row: dict[str, Any] = {
            "what": target.what,
            "target": target.target,
            "benchmark": target.benchmark,
            "figure": ".".join(target.path),
            "limit": target.limit,
            "unit": target.unit,
            "value": None,
        }
        if bench is None:
            row["verdict"] = "not measured"
            row["note"] = "not run"
        elif bench["status"] != "ok":
            row["verdict"] = "not measured"
            row["note"] = bench.get("reason") or f"the benchmark {bench['status']}"
        else:
            value = _figure(bench["result"], target.path)
            row["value"] = value
            if value is None:
                row["verdict"] = "not measured"
                row["note"] = "no figure"
            else:
                row["verdict"] = "pass" if value <= target.limit else "miss"
                if target.benchmark == "soak" and bench["result"].get("stopped_by_time_budget"):
                    row["note"] = (
                        f"soak stopped by its time budget after {bench['result']['interactions']}"
                        f" of {bench['result']['interactions_planned']} interactions"
                    )
        rows.append(row)
    return rows
