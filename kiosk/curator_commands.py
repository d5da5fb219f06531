"""The curators' commands: `schema` (editor schemas), `new` (a starter bundle, `--osm` for a map
from OpenStreetMap: kiosk/mapbuild/), `preview`.

Kept apart from kiosk/cli.py (which runs the kiosk) so each stays small; cli.py dispatches here.
"""

from __future__ import annotations

import argparse
import sys
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


def new_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kiosk new",
        description="Create a small, valid starter bundle to make your own exhibit from.",
    )
    parser.add_argument(
        "folder", type=Path, help="the new bundle's folder; its name becomes the bundle's id"
    )
    parser.add_argument(
        "--osm",
        type=Path,
        default=None,
        metavar="EXTRACT",
        help="draw the map from this OpenStreetMap extract (.osm.pbf or .osm); needs --bounds",
    )
    parser.add_argument(
        "--bounds", default=None, metavar="W,S,E,N", help="with --osm: the map's extent in degrees"
    )
    args = parser.parse_args(argv)
    if args.osm is not None or args.bounds is not None:
        if args.osm is None or args.bounds is None:
            print("error: --osm and --bounds go together", file=sys.stderr)
            return 2
        from kiosk.mapbuild.command import new_with_osm

        return new_with_osm(args.folder, args.osm, args.bounds)
    from kiosk.content.starter import StarterError, create_starter

    try:
        create_starter(args.folder)
    except (StarterError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"A starter bundle is in {args.folder}. Next:")
    print(f"  python -m kiosk validate {args.folder}   (check it)")
    print(f"  python -m kiosk preview {args.folder}    (see it as visitors will, while you edit)")
    print("Every field is explained in the files themselves and in docs/curators.md.")
    return 0


def preview_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kiosk preview",
        description="Show a bundle as visitors will see it, in a window that reloads whenever "
        "a file is saved and lists the problems of a broken save.",
    )
    parser.add_argument("folder", type=Path, help="the bundle folder")
    parser.add_argument("--size", default="1600x900", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--language", default=None, help="start in this language")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"error: {args.folder} is not a folder", file=sys.stderr)
        return 2
    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        print(f"error: --size must look like 1600x900, not {args.size!r}", file=sys.stderr)
        return 2
    from kiosk.compat import check_qt_runtime

    problem = check_qt_runtime()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 3
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.journey.theme import load_fonts
    from kiosk.ui.shell.preview import PreviewWindow

    app = QApplication(sys.argv[:1])
    app.setApplicationName("kiosk preview")
    load_fonts()
    window = PreviewWindow(args.folder.resolve(), args.language)
    window.reloaded.connect(lambda shown: _report(window, shown))
    _report(window, window.host.bundle is not None and not window.host.problems)
    window.resize(width, height)
    window.show()
    return app.exec()


def _report(window: object, shown: bool) -> None:
    """One line in the terminal per reload, for curators who keep it beside the editor."""
    from kiosk.ui.shell.preview import PreviewWindow

    assert isinstance(window, PreviewWindow)
    if shown:
        print(f"{window.folder}: reloaded, valid", flush=True)
    else:
        print(f"{window.folder}: {len(window.host.problems)} problem(s):", flush=True)
        for line in window.host.problems:
            print(f"  {line}", flush=True)


COMMANDS = {"schema": schema_command, "new": new_command, "preview": preview_command}
