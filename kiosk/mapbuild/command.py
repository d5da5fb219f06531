"""`python -m kiosk map build EXTRACT --bounds W,S,E,N --out BUNDLE`, and the map part of
`python -m kiosk new NAME --osm EXTRACT --bounds W,S,E,N`.

Exit codes: 0 the map is built and the bundle valid, 1 built but the bundle has errors (such as
places now outside the bounds; they are listed), 2 nothing was written (a bad extract or bounds,
or nothing to draw): one line on stderr, never a traceback. The command line of `map build` is
in kiosk/curator_commands.py, which calls `build_command` here.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from kiosk.content import model
from kiosk.content.data import Bounds, from_model
from kiosk.mapbuild import MapBuildError, require_libraries

if TYPE_CHECKING:  # imported when a map is built (see require_libraries)
    from kiosk.mapbuild.layers import BuiltLayer, LayerStyle
    from kiosk.mapbuild.osm import Extent, Extract


def parse_bounds(text: str) -> Bounds:
    parts = text.replace(" ", "").split(",")
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise MapBuildError(
            f"--bounds {text!r}: give four numbers west,south,east,north in degrees, such as "
            "30.17,59.875,30.46,60.005"
        ) from None
    try:
        checked = model.Bounds(west=west, south=south, east=east, north=north)
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise MapBuildError(f"--bounds {text}: {reason}") from None
    return from_model(checked, Bounds)


def _extent_text(extent: Extent) -> str:
    west, south, east, north = extent
    return f"{west:.4f} to {east:.4f} E, {south:.4f} to {north:.4f} N"


def _check_extent(extent: Extent | None, bounds: Bounds, path: Path, *, data: bool) -> None:
    from kiosk.mapbuild.layers import extent_meets

    if extent is None:
        return
    overlaps, covers = extent_meets(extent, bounds)
    what = "its data covers" if data else "which covers"
    if not overlaps:
        raise MapBuildError(
            f"{path.name}: the bounds {bounds.west},{bounds.south},{bounds.east},{bounds.north} "
            f"lie outside the extract, {what} {_extent_text(extent)}; check the order "
            "west,south,east,north or use an extract of this place"
        )
    if not covers and not data:
        print(
            f"warning: the bounds reach beyond the extract ({_extent_text(extent)}); "
            "the map will be empty there",
            file=sys.stderr,
        )


def make_map(
    extract_path: Path,
    bounds: Bounds,
    max_zoom: float,
    styles: dict[str, LayerStyle] | None = None,
    *,
    quiet: bool = False,
) -> tuple[Extract, list[BuiltLayer]]:
    """Read an extract and build its layers inside `bounds`, writing nothing (MapBuildError for
    anything that stops the build)."""
    require_libraries()
    from kiosk.mapbuild.layers import build_layers
    from kiosk.mapbuild.osm import Progress, read_extract

    progress = Progress(extract_path, quiet=quiet) if extract_path.is_file() else None
    extract = read_extract(
        extract_path,
        check_header=lambda extent: _check_extent(extent, bounds, extract_path, data=False),
        progress=progress,
    )
    if extract.header_extent is None:
        _check_extent(extract.data_extent, bounds, extract_path, data=True)
    if not extract.features:
        raise MapBuildError(
            f"{extract_path.name}: the extract has no water, waterways, streets, railways or "
            "parks at all"
        )
    built = build_layers(extract, bounds, max_zoom, styles)
    if not built:
        raise MapBuildError(
            f"{extract_path.name}: nothing to draw inside the bounds {bounds.west},"
            f"{bounds.south},{bounds.east},{bounds.north}: no water, streets, railways or parks"
        )
    return extract, built


def describe(built: list[BuiltLayer]) -> str:
    return ", ".join(f"{b.style.id} ({b.features})" for b in built)


def _report_validation(folder: Path) -> int:
    from kiosk.content import Severity, validate_bundle

    bundle, problems = validate_bundle(folder)
    for problem in problems:
        print(problem)
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    if bundle is None:
        print(f"{folder}: the map is built, but the bundle has {errors} error(s) to fix (above)")
        return 1
    print(f"{folder}: valid")
    return 0


def build_command(args: argparse.Namespace) -> int:
    require_libraries()
    from kiosk.mapbuild.install import Source, install_map, read_map_section, styles_of

    folder: Path = args.out
    _, section = read_map_section(folder)
    if args.bounds is not None:
        bounds = parse_bounds(args.bounds)
    else:
        try:
            bounds = from_model(model.Bounds.model_validate(section.get("bounds")), Bounds)
        except ValidationError:
            raise MapBuildError(
                f"{folder}/bundle.yaml: its map bounds cannot be read; give --bounds"
            ) from None
    max_zoom = section.get("max_zoom", 8)
    max_zoom = float(max_zoom) if isinstance(max_zoom, int | float) and max_zoom >= 1 else 8.0
    extract, built = make_map(args.extract, bounds, max_zoom, styles_of(section), quiet=args.quiet)
    source = Source(args.extract.name, extract.timestamp)
    written, dropped = install_map(folder, built, bounds, source)
    print(f"map layers: {describe(built)}")
    for path in written:
        print(f"  wrote {path}")
    for file in dropped:
        print(f"  no longer used by bundle.yaml: {file} (delete it if it is not needed)")
    if extract.skipped:
        print(f"  {extract.skipped} ways cut at the extract's edge were left out")
    return _report_validation(folder)


def new_with_osm(folder: Path, extract_path: Path, bounds_text: str) -> int:
    """`kiosk new FOLDER --osm EXTRACT --bounds W,S,E,N`: the starter bundle on a real map."""
    from kiosk.content.starter import StarterError, check_new_folder, create_starter, template

    try:
        require_libraries()
        from kiosk.mapbuild.install import Source, install_map, mark_far_places, relabel_starter

        check_new_folder(folder)
        bounds = parse_bounds(bounds_text)
        max_zoom = starter_max_zoom(template().joinpath("bundle.yaml").read_text("utf-8"))
        extract, built = make_map(extract_path, bounds, max_zoom)
        create_starter(folder)
        (folder / "map" / "river.geojson").unlink(missing_ok=True)  # the template's sketch
        source = Source(extract_path.name, extract.timestamp)
        install_map(folder, built, bounds, source, fresh=True)
        far = mark_far_places(folder, bounds)
        relabel_starter(folder, built, bounds)
    except (MapBuildError, StarterError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"A starter bundle is in {folder}, its map from {extract_path.name}: {describe(built)}.")
    if far:
        print(
            f"The starter's story happens elsewhere: its places ({', '.join(far)}) are marked "
            "off_map and shown at the map's edge until you replace them with your own."
        )
    print("Next:")
    print(f"  python -m kiosk validate {folder}   (check it)")
    print(f"  python -m kiosk preview {folder}    (see it as visitors will, while you edit)")
    return _report_validation(folder)


def starter_max_zoom(template_text: str) -> float:
    found = re.search(r"^\s+max_zoom:\s*([0-9.]+)", template_text, re.MULTILINE)
    return float(found.group(1)) if found else 8.0
