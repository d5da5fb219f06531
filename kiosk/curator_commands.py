"""The curators' commands: `new` (a starter bundle, `--osm` for a map from OpenStreetMap:
kiosk/mapbuild/), `map build`, `preview`, `media prepare` (screen-sized pictures) and `schema`
(editor schemas and settings).

Kept apart from kiosk/cli.py (which runs the kiosk) so each stays small; `register` adds them
to the one parser that cli.py builds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.command_registry import Commands, add_command


def register(commands: Commands) -> None:
    new = add_command(
        commands,
        "new",
        "create a small, valid, commented starter bundle",
        new_command,
    )
    new.add_argument(
        "folder", type=Path, help="the new bundle's folder; its name becomes the bundle's id"
    )
    new.add_argument(
        "--osm",
        type=Path,
        default=None,
        metavar="EXTRACT",
        help="draw the map from this OpenStreetMap extract (.osm.pbf or .osm); needs --bounds",
    )
    new.add_argument(
        "--bounds", default=None, metavar="W,S,E,N", help="with --osm: the map's extent in degrees"
    )
    maps = add_command(
        commands,
        "map",
        "build a bundle's base map from OpenStreetMap data",
        _map_help,
        "Build a bundle's base map from OpenStreetMap data: 'map build EXTRACT --out BUNDLE'.",
    )
    maps.set_defaults(map_parser=maps)
    map_actions = maps.add_subparsers(title="actions", dest="action", metavar="ACTION")
    build = add_command(
        map_actions,
        "build",
        "rebuild a bundle's map layers from an OpenStreetMap extract",
        map_build_command,
        "Read an OpenStreetMap extract (.osm.pbf or .osm, as the extract services or "
        "openstreetmap.org's Export give them) and write the bundle's map layers: water, rivers "
        "and canals, streets by class, railways and parks, clipped to the bounds and simplified "
        "for the map's zoom range, with the ODbL attribution and map/LICENSE.md. bundle.yaml's "
        "map section is rewritten; its paper, max_zoom, layer colours and your own layers are "
        "kept.",
    )
    build.add_argument("extract", type=Path, help="the extract, a .osm.pbf or .osm file")
    build.add_argument("--out", type=Path, required=True, help="the bundle folder to rebuild")
    build.add_argument(
        "--bounds",
        default=None,
        help="the map's extent in degrees: west,south,east,north, such as "
        "30.17,59.875,30.46,60.0 (default: the bundle's)",
    )
    build.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    preview = add_command(
        commands,
        "preview",
        "show a bundle as visitors will, reloaded on every save",
        preview_command,
        "Show a bundle as visitors will see it, in a window that reloads whenever a file is "
        "saved and lists the problems of a broken save.",
    )
    preview.add_argument("folder", type=Path, help="the bundle folder")
    preview.add_argument("--size", default="1600x900", help="window size, WIDTHxHEIGHT")
    preview.add_argument("--language", default=None, help="start in this language")
    preview.add_argument(
        "--idle",
        action="store_true",
        help="go idle as the kiosk does (the countdown, the reset and the attract loop after "
        "the bundle's idle_seconds without a touch); by default the preview never does",
    )
    media = add_command(
        commands,
        "media",
        "prepare pictures: screen-sized, upright JPEG copies",
        _media_help,
        "Work on a bundle's pictures. 'media prepare BUNDLE' replaces each picture in media/ "
        "that is larger than any screen shows, turned by an EXIF note, or in a format the kiosk "
        "does not show (WebP, TIFF) by a screen-sized, upright copy; the originals are moved to "
        "a folder beside the bundle.",
    )
    media.set_defaults(media_parser=media)
    actions = media.add_subparsers(title="actions", dest="action", metavar="ACTION")
    prepare = add_command(
        actions,
        "prepare",
        "replace the bundle's large, turned or WebP/TIFF pictures by screen-sized copies",
        media_prepare_command,
        "Replace each picture in the bundle's media/ folder that needs it by a copy at most "
        "3840 pixels on its longer side, turned upright, saved as JPEG (quality 88; a PNG stays "
        "a PNG). The originals are moved to BUNDLE-originals/ beside the bundle (or --originals).",
    )
    prepare.add_argument("bundle", type=Path, help="the bundle folder")
    prepare.add_argument(
        "--originals",
        type=Path,
        default=None,
        metavar="DIR",
        help="where the originals go (default: a folder named BUNDLE-originals beside it)",
    )
    prepare.add_argument(
        "--max-side",
        type=int,
        default=None,
        metavar="PIXELS",
        help="the longest side of a prepared picture (default: 3840, a 4K screen's width)",
    )
    schema = add_command(
        commands,
        "schema",
        "write JSON Schemas of the bundle files for editors",
        schema_command,
        "Write a JSON Schema for each kind of bundle file, for editors with YAML support "
        "(such as VS Code's YAML extension). See docs/curators.md.",
    )
    schema.add_argument(
        "--out",
        type=Path,
        default=Path("schema"),
        help="the folder to write into (default: ./schema); a bundle keeps them in its "
        "schema/ folder, which its files name on their first line",
    )
    schema.add_argument(
        "--editor-settings",
        type=Path,
        default=None,
        metavar="BUNDLE",
        help="also write BUNDLE/.vscode/settings.json (YAML 1.1 and the schemas, as 'new' "
        "does), unless the bundle has one already",
    )


def _media_help(args: argparse.Namespace) -> int:
    """`media` without an action: say which there are."""
    args.media_parser.print_help(sys.stderr)
    return 2


def media_prepare_command(args: argparse.Namespace) -> int:
    if not args.bundle.is_dir():
        print(f"error: {args.bundle} is not a folder", file=sys.stderr)
        return 2
    try:
        from kiosk.media_prepare import PREPARED_SIDE, prepare_bundle
    except ImportError:  # the packaged kiosk leaves Pillow out
        print(
            "error: 'media prepare' needs Pillow, which this build of the kiosk leaves out; "
            "run it where the kiosk is installed from source (python -m kiosk media prepare)",
            file=sys.stderr,
        )
        return 3
    max_side = args.max_side or PREPARED_SIDE
    if max_side < 200:
        print("error: --max-side must be at least 200 pixels", file=sys.stderr)
        return 2
    outcome = prepare_bundle(args.bundle, args.originals, max_side)
    for done in outcome.prepared:
        print(done.line())
    for name, why in outcome.failed:
        print(f"error: {name}: {why}", file=sys.stderr)
    print(
        f"{args.bundle}: {len(outcome.prepared)} prepared, {len(outcome.unchanged)} already fine"
        + (f", {len(outcome.failed)} failed" if outcome.failed else "")
    )
    return 1 if outcome.failed else 0


def schema_command(args: argparse.Namespace) -> int:
    from kiosk.content.schema import EDITOR_SETTINGS, write_editor_settings, write_schemas

    for path in write_schemas(args.out):
        print(path)
    if args.editor_settings is not None:
        if not args.editor_settings.is_dir():
            print(f"error: {args.editor_settings} is not a folder", file=sys.stderr)
            return 2
        written = write_editor_settings(args.editor_settings)
        if written is None:
            existing = args.editor_settings / EDITOR_SETTINGS
            print(f"{existing} exists already: left as it is (docs/curators.md lists what to add)")
        else:
            print(written)
    return 0


def _map_help(args: argparse.Namespace) -> int:
    """`map` without an action: say which there are."""
    args.map_parser.print_help(sys.stderr)
    return 2


def map_build_command(args: argparse.Namespace) -> int:
    from kiosk.mapbuild import MapBuildError
    from kiosk.mapbuild.command import build_command

    try:
        return build_command(args)
    except (MapBuildError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def new_command(args: argparse.Namespace) -> int:
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
    print(
        "Open the folder itself in VS Code (with Red Hat's YAML extension): its .vscode/"
        "settings.json makes the editor read the files as the kiosk does."
    )
    return 0


def preview_command(args: argparse.Namespace) -> int:
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

    from kiosk.ui.journey.options import DisplayOptions
    from kiosk.ui.journey.theme import load_fonts
    from kiosk.ui.shell.preview import PreviewWindow

    app = QApplication(sys.argv[:1])
    app.setApplicationName("kiosk preview")
    load_fonts()
    window = PreviewWindow(args.folder.resolve(), args.language, DisplayOptions(idle=args.idle))
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
