"""The suite: which benchmarks run, each in its own child process, and their targets.

`run_suite()` generates the synthetic bundles it needs (cached between runs, keyed by the
generator's source and the base bundle), starts one child process per benchmark
(`python -m kiosk.bench child SPEC`, which prints one `BENCH-RESULT {json}` line), checks the
figures against the targets of DESIGN.md section 6, and writes results.json and RESULTS.md.
Quick mode runs every benchmark with tiny counts to prove the suite works; its figures mean
nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.bench import generate as generator
from kiosk.bench.machine import machine
from kiosk.bench.report import update_document, write_markdown
from kiosk.paths import app_root, default_bundle

RESULT_PREFIX = "BENCH-RESULT "
CHILD_TIMEOUT_S = 1200


@dataclass(frozen=True)
class Counts:
    """How much each benchmark does: the full suite's counts, or quick mode's."""

    startup_runs: int
    startup_uncached_runs: int
    taps: int
    frame_steps: int
    frame_rounds: int
    generated: tuple[int, ...]  # sizes of generated bundles to validate; the last is the large one
    validation_runs: dict[str, int]
    soak_interactions: int
    soak_markers: int
    soak_budget_s: float
    window_rounds: int  # the real-window soak: rounds of random actions, each with a rest
    window_actions: int
    window_rest_s: float
    package_runs: int

    @classmethod
    def full(cls) -> Counts:
        return cls(
            startup_runs=10,
            startup_uncached_runs=5,
            taps=200,
            frame_steps=12,
            frame_rounds=2,
            generated=(100, 1000, 10000),
            validation_runs={"petrograd": 10, "gen-100": 5, "gen-1000": 3, "gen-10000": 2},
            soak_interactions=10_000,
            soak_markers=6,
            soak_budget_s=480,
            window_rounds=3,
            window_actions=200,
            window_rest_s=25,
            package_runs=5,
        )

    @classmethod
    def quick(cls) -> Counts:
        return cls(
            startup_runs=2,
            startup_uncached_runs=1,
            taps=4,
            frame_steps=2,
            frame_rounds=1,
            generated=(10, 40, 200),
            validation_runs={"petrograd": 2, "gen-10": 2, "gen-40": 2, "gen-200": 2},
            soak_interactions=40,
            soak_markers=1,
            soak_budget_s=120,
            window_rounds=2,
            window_actions=10,
            window_rest_s=25,
            package_runs=1,
        )


# -- the child processes ----------------------------------------------------------------------


def child(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one benchmark in this process (a child of the suite) and return its result."""
    kind = spec["kind"]
    if kind == "startup":
        from kiosk.bench import startup

        return startup.run(runs=spec["runs"], uncached_runs=spec["uncached_runs"])
    if kind == "tap":
        from kiosk.bench import tap

        return tap.run(Path(spec["bundle"]), taps=spec["taps"], pictures=spec.get("pictures", 0))
    if kind == "frames":
        from kiosk.bench import frames

        return frames.run(
            Path(spec["bundle"]),
            spec["width"],
            spec["height"],
            steps=spec["steps"],
            rounds=spec["rounds"],
        )
    if kind == "validation":
        from kiosk.bench import validation

        bundles = {name: Path(path) for name, path in spec["bundles"].items()}
        return validation.run(bundles, spec["runs"])
    if kind == "soak":
        from kiosk.bench import soak

        return soak.run(
            Path(spec["bundle"]),
            interactions=spec["interactions"],
            budget_s=spec["budget_s"],
            markers=spec["markers"],
        )
    if kind == "soak-window":
        from kiosk.bench import soak_window

        return soak_window.run(spec["rounds"], spec["actions"], spec["rest_s"])
    if kind == "package":
        from kiosk.bench import package

        return package.run(Path(spec["root"]), runs=spec["runs"])
    raise ValueError(f"no benchmark of kind {kind!r}")


def _run_child(spec: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    command = [sys.executable, "-m", "kiosk.bench", "child", json.dumps(spec)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S, cwd=app_root()
        )
    except subprocess.TimeoutExpired:
        return {"status": "failed", "error": f"timed out after {CHILD_TIMEOUT_S} s"}
    seconds = round(time.perf_counter() - started, 1)
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if done.returncode != 0 or not lines:
        error = (done.stderr.strip() or done.stdout.strip())[-2000:]
        return {"status": "failed", "seconds": seconds, "error": error}
    result = json.loads(lines[-1][len(RESULT_PREFIX) :])
    if "skipped" in result:
        return {"status": "skipped", "seconds": seconds, "reason": result["skipped"]}
    return {"status": "ok", "seconds": seconds, "result": result}


# -- generated bundles --------------------------------------------------------------------------


def _generator_key(base: Path) -> str:
    """Changes when the generator or the base bundle does, so a cached bundle is never stale."""
    digest = hashlib.sha256(Path(generator.__file__).read_bytes())
    for path in sorted(base.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def generated_bundle(events: int, cache: Path) -> Path:
    base = default_bundle()
    folder = cache / _generator_key(base) / f"gen-{events}"
    if not (folder / ".complete").is_file():
        if folder.exists():
            import shutil

            shutil.rmtree(folder)
        generator.generate(events, folder, base=base)
        (folder / ".complete").write_text("generated\n")
    return folder


# -- the suite -----------------------------------------------------------------------------------


def plan(counts: Counts, bundles: dict[str, Path], root: Path) -> dict[str, dict[str, Any]]:
    """Every benchmark's child spec, by name, in running order."""
    petrograd = str(default_bundle())
    large = f"gen-{counts.generated[-1]}"
    specs: dict[str, dict[str, Any]] = {
        "startup": {
            "kind": "startup",
            "runs": counts.startup_runs,
            "uncached_runs": counts.startup_uncached_runs,
        },
        "validation": {
            "kind": "validation",
            "bundles": {"petrograd": petrograd, **{k: str(v) for k, v in bundles.items()}},
            "runs": counts.validation_runs,
        },
        "tap": {"kind": "tap", "bundle": petrograd, "taps": counts.taps},
        # Every panel with five 24-megapixel photographs, decoded cold at each tap.
        "tap-pictures": {
            "kind": "tap",
            "bundle": petrograd,
            "taps": max(4, counts.taps // 4),
            "pictures": 5,
        },
    }
    for name, bundle in (("petrograd", petrograd), (large, str(bundles[large]))):
        for width, height in ((1920, 1080), (3840, 2160)):
            specs[f"frames-{name}-{width}x{height}"] = {
                "kind": "frames",
                "bundle": bundle,
                "width": width,
                "height": height,
                "steps": counts.frame_steps,
                "rounds": counts.frame_rounds,
            }
    specs["soak"] = {
        "kind": "soak",
        "bundle": petrograd,
        "interactions": counts.soak_interactions,
        "budget_s": counts.soak_budget_s,
        "markers": counts.soak_markers,
    }
    # The kiosk in a real window (Xvfb), driven by xdotool in real time; skipped without them.
    specs["soak-window"] = {
        "kind": "soak-window",
        "rounds": counts.window_rounds,
        "actions": counts.window_actions,
        "rest_s": counts.window_rest_s,
    }
    specs["package"] = {"kind": "package", "root": str(root), "runs": counts.package_runs}
    return specs


def run_suite(
    out: Path,
    *,
    quick: bool = False,
    only: list[str] | None = None,
    cache: Path | None = None,
    soak_budget_s: float | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    root = app_root()
    counts = Counts.quick() if quick else Counts.full()
    if soak_budget_s is not None:
        counts = dataclasses.replace(counts, soak_budget_s=soak_budget_s or 1e9)
    cache = cache or Path(tempfile.gettempdir()) / "kiosk-bench-bundles"
    started = time.perf_counter()
    info = machine(root)
    progress(f"generating bundles of {', '.join(map(str, counts.generated))} events (cached)")
    bundles = {f"gen-{n}": generated_bundle(n, cache) for n in counts.generated}
    specs = plan(counts, bundles, root)
    if only:
        specs = {
            name: spec
            for name, spec in specs.items()
            if name in only or (name.split("-")[0] in only and name != "soak-window")
        }
    benchmarks: dict[str, dict[str, Any]] = {}
    for name, spec in specs.items():
        progress(f"{name} ...")
        benchmarks[name] = {"spec": spec, **_run_child(spec)}
        progress(f"{name}: {benchmarks[name]['status']} in {benchmarks[name].get('seconds')} s")
    from kiosk.bench.targets import evaluate

    results: dict[str, Any] = {
        "suite": "kiosk benchmarks (DESIGN.md section 6)",
        "mode": "quick" if quick else "full",
        "machine": info,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "seconds": round(time.perf_counter() - started, 1),
        "benchmarks": benchmarks,
    }
    results["targets"] = evaluate(benchmarks)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(
        json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    write_markdown(results, out / "RESULTS.md")
    if not quick and not only and out.resolve() == (root / "benchmarks").resolve():
        update_document(results, root / "docs" / "performance.md")  # a full run's table
    return results
