"""The shape every `python -m kiosk` command shares: a sub-parser and a handler that gets the
parsed arguments and returns the exit code.

Each command module has a `register(commands)` that adds its commands with `add_command`;
kiosk/cli.py builds the one parser from them. A command module imports only argparse and the
standard library at its top: whatever a command needs (the loader, Qt, the analytics) is
imported inside its handler, so `python -m kiosk --help` and `kiosk validate` stay light.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeAlias

Handler: TypeAlias = Callable[[argparse.Namespace], int]
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def add_command(
    commands: Commands, name: str, summary: str, handler: Handler, description: str | None = None
) -> argparse.ArgumentParser:
    """A sub-command: `summary` is its one line in `python -m kiosk --help`, `description` (or
    the summary) opens its own --help."""
    parser = commands.add_parser(name, help=summary, description=description or summary)
    parser.set_defaults(handler=handler)
    return parser
