"""`python -m kiosk.bench generate N DIR`: write a synthetic bundle of N events."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kiosk.bench.generate import DEFAULT_SEED, generate


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


if __name__ == "__main__":
    sys.exit(main())
