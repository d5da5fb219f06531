"""The command line: `python -m kiosk [options]` runs the kiosk; `python -m kiosk validate DIR`
checks a bundle.

Exit codes of `validate`: 0 valid (warnings allowed), 1 errors found, 2 not a bundle at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kiosk import __version__
from kiosk.content import NotABundle, Severity, validate_bundle
from kiosk.paths import default_bundle


def _validate_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m kiosk validate",
        description="Check a content bundle and list every problem as file:line:column.",
    )
    parser.add_argument("bundle", type=Path, help="the bundle folder, e.g. content/petrograd-1917")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _run_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m kiosk",
        description="Run the museum kiosk. Subcommand: 'validate DIR' checks a bundle.",
    )
    parser.add_argument(
        "--content",
        type=Path,
        default=None,
        help="the bundle folder to show (default: the built-in one)",
    )
    parser.add_argument(
        "--windowed", action="store_true", help="run in a window instead of full-screen"
    )
    parser.add_argument(
        "--size", default="1600x900", help="window size for --windowed, WIDTHxHEIGHT"
    )
    parser.add_argument(
        "--language", default=None, help="start in this language instead of the bundle's default"
    )
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    return parser


def validate_command(argv: list[str]) -> int:
    args = _validate_parser().parse_args(argv)
    try:
        bundle, problems = validate_bundle(args.bundle)
    except NotABundle as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    if args.format == "json":
        report = {
            "bundle": str(args.bundle),
            "valid": bundle is not None,
            "errors": errors,
            "warnings": warnings,
            "problems": [
                {
                    "file": p.file,
                    "line": p.line,
                    "column": p.column,
                    "severity": p.severity.value,
                    "message": p.message,
                }
                for p in problems
            ],
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            print(problem)
        summary = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        if bundle is not None:
            manifest = bundle.manifest
            print(
                f"{manifest.id} {manifest.version}: valid - {len(bundle.events)} events, "
                f"{len(bundle.quotes)} quotations, {len(bundle.places)} places; {summary}"
            )
        else:
            print(f"{args.bundle}: not valid; {summary}")
    return 0 if bundle is not None else 1


def _parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise SystemExit(f"error: --size must look like 1600x900, not {text!r}") from None
    return width, height


def run_command(argv: list[str]) -> int:
    args = _run_parser().parse_args(argv)
    from kiosk.app import run  # Qt is imported only when the kiosk really runs.

    return run(
        content=args.content or default_bundle(),
        windowed=args.windowed,
        size=_parse_size(args.size),
        language=args.language,
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "validate":
        return validate_command(argv[1:])
    return run_command(argv)
