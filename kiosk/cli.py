"""The command line: one argparse parser with a sub-command for each of the kiosk's commands.

`python -m kiosk [options]` with no command runs the kiosk; `python -m kiosk --help` lists every
command with one line each, and `python -m kiosk COMMAND --help` explains one. The commands are
registered by the modules that implement them (kiosk/command_registry.py says how): `validate`,
`set-pin` and `check-config` here; `new`, `map build`, `preview`, `media prepare`, `schema` in
kiosk/curator_commands.py; `publish`, `keygen`, `update`, `rollback` in kiosk/updates/commands.py;
`status` in kiosk/status_command.py; `report` in kiosk/report_command.py.

Exit codes of `validate`: 0 valid (warnings allowed), 1 errors found, 2 not a bundle at all.
The kiosk's own exit codes are in kiosk/runtime/exit_codes.py.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from kiosk import __version__, curator_commands, report_command, status_command
from kiosk.command_registry import Commands, add_command
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
from kiosk.updates import commands as update_commands


def _program_name() -> str:
    """How the user started us: the packaged executable by its own name (kiosk, kiosk-debug)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).stem
    return "python -m kiosk"


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: the kiosk's run options and every command."""
    parser = argparse.ArgumentParser(
        prog=_program_name(),
        description="Run the museum kiosk (with no command), or one of the commands below; "
        "'COMMAND --help' explains a command.",
        formatter_class=_CommandListFormatter,
    )
    _add_run_options(parser)
    commands = parser.add_subparsers(
        title="commands", dest="command", metavar="COMMAND", required=False
    )
    # In the order a curator meets them, then the gallery's technicians'.
    register_validate(commands)
    curator_commands.register(commands)
    report_command.register(commands)
    update_commands.register(commands)
    status_command.register(commands)
    register_config(commands)
    return parser


class _CommandListFormatter(argparse.HelpFormatter):
    """Each command's summary on its own line beside its name, in an 80-column terminal."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=22)


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
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
        metavar="DIR",
        help="the bundle folder to show (default: the built-in one)",
    )
    parser.add_argument(
        "--windowed", action="store_true", help="run in a window instead of full-screen"
    )
    parser.add_argument(
        "--size",
        default="1600x900",
        metavar="WxH",
        help="window size for --windowed, e.g. 1600x900",
    )
    parser.add_argument(
        "--language",
        default=None,
        metavar="CODE",
        help="start in this language instead of the bundle's default",
    )
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")


def register_validate(commands: Commands) -> None:
    validate = add_command(
        commands,
        "validate",
        "check a bundle: every problem as file:line:column",
        validate_command,
        "Check a content bundle and list every problem as file:line:column.",
    )
    validate.add_argument(
        "bundle", type=Path, help="the bundle folder, e.g. content/petrograd-1917"
    )
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.add_argument(
        "--into-cache",
        action="store_true",
        help="also store a valid bundle in the kiosk's validated-bundle cache "
        "($KIOSK_BUNDLE_CACHE), as the running kiosk does for a content update",
    )


def register_config(commands: Commands) -> None:
    set_pin = add_command(
        commands,
        "set-pin",
        "set the staff PIN (stored as a salted hash)",
        set_pin_command,
        "Set the staff PIN: its salted hash is written to the installation config.",
    )
    _config_argument(set_pin)
    set_pin.add_argument(
        "--pin-stdin",
        action="store_true",
        help="read the PIN from the first line of standard input (for scripts)",
    )
    check = add_command(
        commands,
        "check-config",
        "check the installation config",
        check_config_command,
        "Check the installation config and list every problem as file:line:column.",
    )
    _config_argument(check)


def _config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="the installation config file (default: the one the kiosk would use)",
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def validate_command(args: argparse.Namespace) -> int:
    # The loader only here: the kiosk itself starts without it when its bundle is in the cache.
    from kiosk.content import NotABundle, Severity, collector_paused, validate_bundle
    from kiosk.content.cache import bundle_key, default_cache

    try:
        # The cache's key is taken before reading: a file changed meanwhile stores nothing.
        key = bundle_key(args.bundle) if args.into_cache else None
        with collector_paused():  # this process only validates
            bundle, problems = validate_bundle(args.bundle)
    except NotABundle as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if key is not None and bundle is not None:
        cache = default_cache()
        if cache is not None and bundle_key(args.bundle) == key:
            cache.put(key, bundle)
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


def run_command(args: argparse.Namespace) -> int:
    if _explicit_config_missing(args.config):
        return exit_codes.USAGE
    # Qt is imported only when the kiosk really runs.
    from kiosk.app import run
    from kiosk.launch import Launch
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


def set_pin_command(args: argparse.Namespace) -> int:
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


def check_config_command(args: argparse.Namespace) -> int:
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
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        return run_command(args)
    code: int = args.handler(args)
    return code
