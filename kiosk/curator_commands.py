"""The curators' commands: `schema` (editor schemas), `new` (a starter bundle), `preview`.

Kept apart from kiosk/cli.py (which runs the kiosk) so each stays small; cli.py dispatches here.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def schema_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kiosk schema",
        description="Write a JSON Schema for each kind of bundle file, for editors with YAML "
        "support (such as VS Code's YAML extension). See docs/curators.md.",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("schema"),
        help="the folder to write into (default: ./schema); a bundle keeps them in its "
        "schema/ folder, which its files name on their first line",
    )
    args = parser.parse_args(argv)
    from kiosk.content.schema import write_schemas

    for path in write_schemas(args.out):
        print(path)
    return 0


COMMANDS = {"schema": schema_command}
