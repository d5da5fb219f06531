"""`python -m kiosk.bench`: `generate N DIR` writes a synthetic bundle of N events; `run` runs
the benchmark suite and writes benchmarks/results.json and benchmarks/RESULTS.md (`--quick`:
tiny counts, written elsewhere unless `--out` is given); `child SPEC` is one benchmark, run by
the suite in a process of its own.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from kiosk.bench.generate import DEFAULT_SEED, generate
from kiosk.paths import app_root


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kiosk.bench", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser(
        "generate",
        help="write a synthetic bundle of N events (valid by construction, same for a seed)",
    )
    gen.add_argument("events", type=int, help="how many events")
    gen.add_argument("folder", type=Path, help="a new folder to write the bundle into")
    gen.add_argument("--seed", type=int, default=DEFAULT_SEED)
    gen.add_argument(
        "--base", type=Path, default=None, help="the bundle to build on (default: the built-in one)"
    )
    run = commands.add_parser("run", help="run the benchmarks and write their results")
    run.add_argument("--quick", action="store_true", help="tiny counts: proves the suite works")
    run.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where results.json and RESULTS.md go (default: benchmarks/, or a temporary "
        "folder in quick mode)",
    )
    run.add_argument(
        "--only",
        nargs="+",
        choices=("startup", "validation", "tap", "frames", "soak", "soak-window", "package"),
        help="run only these benchmarks",
    )
    run.add_argument(
        "--soak-budget",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop the memory soak at the end of a cycle period after this long (default 480; "
        "0: never, run all 10,000 interactions however long they take)",
    )
    child = commands.add_parser("child", help="run one benchmark (used by `run`)")
    child.add_argument("spec", help="the benchmark's spec as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "generate":
        start = time.perf_counter()
        try:
            generate(args.events, args.folder, base=args.base, seed=args.seed)
        except (ValueError, FileExistsError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"{args.folder}: {args.events} events in {time.perf_counter() - start:.1f} s")
        return 0
    if args.command == "child":
        from kiosk.bench.suite import RESULT_PREFIX, child

        result = child(json.loads(args.spec))
        print(RESULT_PREFIX + json.dumps(result, ensure_ascii=False), flush=True)
        return 0
    from kiosk.bench.suite import run_suite

    out = args.out
    if out is None:
        out = (
            Path(tempfile.gettempdir()) / "kiosk-bench-quick"
            if args.quick
            else app_root() / "benchmarks"
        )
    results = run_suite(
        out,
        quick=args.quick,
        only=args.only,
        soak_budget_s=args.soak_budget,
        progress=lambda line: print(line, flush=True),
    )
    print(f"results: {out / 'results.json'} and {out / 'RESULTS.md'}")
    for row in results["targets"]:
        print(f"  {row['verdict']:>12}  {row['what']}: {row['value']} (target {row['target']})")
    failed = [name for name, b in results["benchmarks"].items() if b["status"] == "failed"]
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
