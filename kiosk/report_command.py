"""`python -m kiosk report DB... --out DIR [--content BUNDLE]`: the curators' visitor report.

Merges one or more kiosks' analytics databases into DIR/report.html (self-contained) and
DIR/heatmap.png. The bundle names the events and draws the map; without --content the built-in
bundle is used if it is the exhibit the databases recorded. Every bad input gets one clear line
on stderr and exit code 1, never a traceback. The analytics modules are imported only when the
command runs, so the parser that lists every command stays light.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.command_registry import Commands, add_command
from kiosk.paths import default_bundle

if TYPE_CHECKING:
    from kiosk.analytics.dataset import Dataset
    from kiosk.content import Bundle

REPORT_FILE = "report.html"
HEATMAP_FILE = "heatmap.png"


def register(commands: Commands) -> None:
    parser = add_command(
        commands,
        "report",
        "merge kiosks' visitor analytics into one HTML report",
        report_command,
        "Merge kiosks' visitor analytics databases into one HTML report.",
    )
    parser.add_argument(
        "databases", type=Path, nargs="+", help="kiosk-analytics.sqlite3 files, one per kiosk"
    )
    parser.add_argument("--out", type=Path, required=True, help="the folder for the report")
    parser.add_argument(
        "--content",
        type=Path,
        default=None,
        help="the exhibit's bundle folder: names the events and draws the map "
        "(default: the built-in bundle, if the databases recorded it)",
    )


def _bundle(path: Path) -> Bundle:
    from kiosk.analytics.dataset import ReportError
    from kiosk.content import BundleInvalid, NotABundle, load_bundle

    try:
        return load_bundle(path)
    except NotABundle as exc:
        raise ReportError(f"--content {path}: {exc}") from None
    except BundleInvalid as exc:
        raise ReportError(
            f"--content {path} has {len(exc.problems)} problems; "
            f"`python -m kiosk validate {path}` lists them"
        ) from None


def _heatmap(bundle: Bundle, data: Dataset) -> bytes:
    # Qt only here: the rest of the report needs no display. Offscreen when there is no screen.
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from kiosk.analytics.heatmap import png_bytes, render_heatmap

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    return png_bytes(render_heatmap(bundle, data.taps, data.tap_cell_m))


def make_report(databases: list[Path], out: Path, content: Path | None) -> tuple[Path, Dataset]:
    """Write the report; returns its path and the merged data. Raises ReportError."""
    from kiosk.analytics.dataset import ReportError, load_dataset
    from kiosk.analytics.figures import Catalogue, compute
    from kiosk.analytics.html_report import render

    bundle = _bundle(content) if content is not None else None
    data = load_dataset(databases, bundle.manifest.id if bundle else None)
    if bundle is None:
        built_in = _bundle(default_bundle())
        if built_in.manifest.id == data.bundle_id:
            bundle = built_in
        else:
            data.notes.append(
                f"Events are named by their ids: give --content with the bundle of "
                f"{data.bundle_id} to see their titles and the map."
            )
    if bundle is not None:
        recorded = sorted({s.bundle_version for s in data.sessions})
        if recorded != [bundle.manifest.version]:
            data.notes.append(
                f"Names and map are from version {bundle.manifest.version} of the bundle; "
                f"the sessions were recorded with {', '.join(recorded)}."
            )
    figures = compute(data, Catalogue.of(bundle) if bundle else None)
    heatmap = _heatmap(bundle, data) if bundle is not None else None
    title = data.bundle_id or "exhibit"
    names: dict[str, str] = {}
    if bundle is not None:
        title = bundle.manifest.title.get(bundle.default_language) or title
        names = dict(bundle.manifest.language_names)
    page = render(
        figures,
        title,
        heatmap,
        max(data.taps.values(), default=0),
        data.tap_cell_m,
        data.notes,
        names,
        [f"{s.path} ({s.kiosk}: {s.sessions} sessions)" for s in data.sources],
        dt.datetime.now(),
    )
    try:
        out.mkdir(parents=True, exist_ok=True)
        report = out / REPORT_FILE
        report.write_text(page, encoding="utf-8")
        if heatmap is not None:
            (out / HEATMAP_FILE).write_bytes(heatmap)
    except OSError as exc:
        raise ReportError(f"the report cannot be written to {out}: {exc.strerror}") from None
    return report, data


def report_command(args: argparse.Namespace) -> int:
    from kiosk.analytics.dataset import ReportError

    try:
        report, data = make_report(args.databases, args.out, args.content)
    except ReportError as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 1
    kiosks = len(data.sources)
    print(f"{report}: {len(data.sessions)} sessions from {kiosks} kiosk{'s' * (kiosks != 1)}")
    for note in data.notes:
        print(f"note: {note}")
    return 0
