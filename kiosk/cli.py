"""The command line: `python -m kiosk [options]` runs the kiosk; `python -m kiosk validate DIR`
checks a bundle; `set-pin` sets the staff PIN and `check-config` checks an installation config.
Content updates (`publish`, `keygen`, `update`, `status`, `rollback`): kiosk/updates/commands.py.

Exit codes of `validate`: 0 valid (warnings allowed), 1 errors found, 2 not a bundle at all.
The kiosk's own exit codes are in kiosk/runtime/exit_codes.py.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from kiosk import __version__
from kiosk.curator_commands import COMMANDS as CURATOR_COMMANDS
from kiosk.paths import default_bundle
from kiosk.runtime import exit_codes
from kiosk.runtime.config import (
    check_paths,
    default_config_paths,
    find_config,
    load_config,
    set_config_value,
)
from kiosk.runtime.pin import MAX_DIGITS, MIN_DIGITS, PinError, hash_pin
from kiosk.status_command import wants_format
from kiosk.updates.commands import COMMANDS as UPDATE_COMMANDS


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
        description="Run the museum kiosk. Subcommands: 'validate DIR' checks a bundle, "
        "'set-pin' sets the staff PIN, 'check-config' checks the installation config.",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="the installation config file (default: $KIOSK_CONFIG or the platform's config "
        "folder, see docs/configuration.md)",
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="start, paint the first frame offscreen, print one JSON line and exit",
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


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def validate_command(argv: list[str]) -> int:
    # The loader only here: the kiosk itself starts without it when its bundle is in the cache.
    from kiosk.content import NotABundle, Severity, validate_bundle

    args = _validate_parser().parse_args(argv)
    try:
        bundle, problems = validate_bundle(args.bundle)
    except NotABundle as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = sum(1 for p in problems if p.severity is Severity.WARNING)
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
        summary = f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
        if bundle is not None:
            manifest = bundle.manifest
            print(
                f"{manifest.id} {manifest.version}: valid - {_count(len(bundle.events), 'event')}, "
                f"{_count(len(bundle.quotes), 'quotation')}, "
                f"{_count(len(bundle.places), 'place')}; {summary}"
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


def _explicit_config_missing(path: Path | None) -> bool:
    if path is not None and not path.is_file():
        print(f"error: the config file {path} does not exist", file=sys.stderr)
        return True
    return False


def run_command(argv: list[str]) -> int:
    args = _run_parser().parse_args(argv)
    if _explicit_config_missing(args.config):
        return exit_codes.USAGE
    # Qt is imported only when the kiosk really runs.
    from kiosk.app import Launch, run
    from kiosk.updates.service import startup_bundle

    # The running kiosk keeps a copy of a config that loads cleanly, to fall back on if a later
    # edit breaks the file (kiosk.runtime.config.load_config).
    loaded = load_config(args.config, keep_last_good=not args.smoke_test)
    return run(
        Launch(
            # The command line wins over the update store's current bundle (with update_source),
            # which wins over the config's bundle, which wins over the built-in bundle.
            content=args.content
            or startup_bundle(loaded.config)
            or loaded.config.bundle
            or default_bundle(),
            windowed=args.windowed,
            size=_parse_size(args.size),
            language=args.language or loaded.config.language,
            loaded=loaded,
            smoke_test=args.smoke_test,
        )
    )


def _config_parser(prog: str, description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"python -m kiosk {prog}", description=description)
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="the installation config file (default: the one the kiosk would use)",
    )
    return parser


def set_pin_command(argv: list[str]) -> int:
    parser = _config_parser(
        "set-pin", "Set the staff PIN: its salted hash is written to the installation config."
    )
    parser.add_argument(
        "--pin-stdin",
        action="store_true",
        help="read the PIN from the first line of standard input (for scripts)",
    )
    args = parser.parse_args(argv)
    path = find_config(args.config) or default_config_paths()[0]
    if args.pin_stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass(f"New staff PIN ({MIN_DIGITS} to {MAX_DIGITS} digits): ")
        if getpass.getpass("The same PIN again: ") != pin:
            print("error: the two PINs differ; nothing was changed", file=sys.stderr)
            return 1
    try:
        stored = hash_pin(pin)
    except PinError as exc:
        print(f"error: {exc}; nothing was changed", file=sys.stderr)
        return 1
    try:
        set_config_value(path, "admin_pin_hash", stored)
    except OSError as exc:
        print(f"error: cannot write {path}: {exc}", file=sys.stderr)
        return 1
    print(f"The staff PIN is set in {path}. Restart the kiosk to use it.")
    return 0


def check_config_command(argv: list[str]) -> int:
    args = _config_parser(
        "check-config", "Check the installation config and list every problem as file:line:column."
    ).parse_args(argv)
    if _explicit_config_missing(args.config):
        return exit_codes.USAGE
    loaded = load_config(args.config)
    if loaded.path is None:
        places = " or ".join(str(p) for p in default_config_paths())
        print(f"no config file ({places}): the built-in defaults apply")
        return 0
    problems = [*loaded.problems]
    if not loaded.unreadable:
        problems.extend(check_paths(loaded))
    for problem in sorted(problems, key=lambda p: (p.line, p.column, p.message)):
        print(problem)
    count = len(problems)
    if loaded.unreadable:
        verdict = "cannot be read; " + (
            f"the kiosk runs on its last good copy, {loaded.fallback}"
            if loaded.fallback
            else "the kiosk runs on the built-in defaults"
        )
    elif count:
        verdict = f"{count} problem{'s' * (count != 1)} (a key with a wrong value is ignored)"
    else:
        verdict = "valid"
    print(f"{loaded.path}: {verdict}")
    return 1 if count else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "validate":
        return validate_command(argv[1:])
    if argv and argv[0] in CURATOR_COMMANDS:  # schema, new, preview
        return CURATOR_COMMANDS[argv[0]](argv[1:])
    if argv and argv[0] == "status" and wants_format(argv[1:]):  # text, json or prometheus
        from kiosk.status_command import status_command

        return status_command(argv[1:])
    if argv and argv[0] in UPDATE_COMMANDS:  # publish, keygen, update, status, rollback
        return UPDATE_COMMANDS[argv[0]](argv[1:])
    if argv and argv[0] == "set-pin":
        return set_pin_command(argv[1:])
    if argv and argv[0] == "check-config":
        return check_config_command(argv[1:])
    if argv and argv[0] == "map":  # map build: a base map from OpenStreetMap (kiosk/mapbuild/)
        from kiosk.mapbuild.command import map_command

        return map_command(argv[1:])
    if argv and argv[0] == "report":  # visitor analytics (imported only when asked for)
        from kiosk.report_command import report_command

        return report_command(argv[1:])
    return run_command(argv)
