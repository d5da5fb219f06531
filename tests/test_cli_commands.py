"""The one command line: every command registered once, listed on one line each by --help,
each with its own --help, and no command at all still runs the kiosk with the run options."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import cli

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = (
    "validate",
    "new",
    "map",
    "preview",
    "media",
    "schema",
    "report",
    "publish",
    "keygen",
    "update",
    "rollback",
    "status",
    "set-pin",
    "check-config",
)


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_is_registered_once_with_a_handler() -> None:
    commands = _subcommands(cli.build_parser())
    assert tuple(commands) == COMMANDS
    for name, parser in commands.items():
        assert callable(parser.get_default("handler")), name
        assert parser.description, f"{name} --help says nothing"


def test_help_lists_every_command_on_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as done:
        cli.main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    lines = out[out.index("\ncommands:\n") :].splitlines()[3:]
    listed = {line.split()[0]: line for line in lines}
    assert tuple(listed) == COMMANDS
    # One line each, with a summary beside the name, within an 80-column terminal.
    assert all(len(line.split()) > 2 and len(line) <= 80 for line in listed.values())


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_its_own_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main([command, "--help"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: python -m kiosk {command} ")


def test_no_command_runs_the_kiosk_with_the_run_options(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[argparse.Namespace] = []

    def run(args: argparse.Namespace) -> int:
        seen.append(args)
        return 7

    monkeypatch.setattr(cli, "run_command", run)
    assert cli.main(["--windowed", "--size", "800x600", "--language", "ru"]) == 7
    (args,) = seen
    assert args.command is None
    assert (args.windowed, args.size, args.language, args.smoke_test) == (
        True,
        "800x600",
        "ru",
        False,
    )


def test_a_misspelt_command_names_the_real_ones(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["valdate", "content"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'valdate'" in err and "'validate'" in err


def test_the_command_list_imports_neither_qt_nor_the_heavy_commands() -> None:
    # Building the parser (as --help and every command do) must stay cheap: the loader, Qt,
    # the analytics and the update machinery are imported by the command that needs them.
    code = (
        "import sys; from kiosk import cli; cli.build_parser(); "
        "heavy = ('PySide6', 'kiosk.ui', 'kiosk.analytics', 'kiosk.content.loader', 'yaml', "
        "'kiosk.updates.updater', 'kiosk.app'); "
        "bad = sorted(m for m in sys.modules if m.startswith(heavy)); print(bad); "
        "sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
