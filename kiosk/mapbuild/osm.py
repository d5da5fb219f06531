"""Reading an OpenStreetMap extract: the features a base map draws, sorted into layers.

pyosmium reads `.osm.pbf` and `.osm` XML alike and assembles areas (closed ways and multipolygon
relations) for us; only objects with one of the keys below ever reach Python, and each becomes a
shapely geometry in degrees with its layer, its kind (the tag value) and its name.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import osmium
import shapely
from osmium.osm import Area, Way

from kiosk.mapbuild import MapBuildError

# The keys of every tag that puts a feature on the base map (a C++ filter drops the rest).
KEYS = ("natural", "waterway", "landuse", "leisure", "highway", "railway")

WATER_AREAS = {
    ("natural", "water"),
    ("waterway", "riverbank"),
    ("waterway", "dock"),
    ("landuse", "reservoir"),
    ("landuse", "basin"),
}
PARK_AREAS = {
    ("leisure", "park"),
    ("leisure", "garden"),
    ("landuse", "grass"),
    ("landuse", "forest"),
    ("landuse", "recreation_ground"),
    ("landuse", "village_green"),
    ("landuse", "meadow"),
    ("natural", "wood"),
}
WATERWAY_LINES = {"river", "canal"}
RAILWAY_LINES = {"rail", "narrow_gauge", "light_rail"}
RAILWAY_SERVICES_LEFT_OUT = {"siding", "yard", "spur", "crossover"}
STREET_CLASSES = {
    "streets-major": {"motorway", "trunk", "primary"},
    "streets": {"secondary", "tertiary"},
    "streets-minor": {"residential", "unclassified", "living_street", "pedestrian", "road"},
}
COASTLINE = "coastline"  # natural=coastline: the sea's edge, land on the left (layers.sea_polygons)

Extent = tuple[float, float, float, float]  # west, south, east, north in degrees


@dataclass
class Feature:
    """One feature of the extract, in degrees."""

    layer: str
    kind: str
    name: str | None
    geometry: Any  # a shapely geometry: (Multi)Polygon for areas, LineString for lines


@dataclass
class Extract:
    """What a base map needs from an extract, and what the extract says about itself."""

    path: Path
    features: list[Feature] = field(default_factory=list)
    header_extent: Extent | None = None  # from the file's header, when it has one
    data_extent: Extent | None = None  # of the features read
    timestamp: str | None = None  # the data's date, when the header gives it
    skipped: int = 0  # ways whose nodes are missing from the extract (cut at its edge)


def _street_layer(highway: str) -> str | None:
    base = highway.removesuffix("_link")
    for layer, classes in STREET_CLASSES.items():
        if base in classes:
            return layer
    return None


def classify_line(tags: Any) -> tuple[str, str] | None:
    """The (layer, kind) of a way drawn as a line, or None."""
    waterway = tags.get("waterway")
    if waterway in WATERWAY_LINES and tags.get("tunnel") in (None, "no"):
        return "waterways", waterway
    railway = tags.get("railway")
    if (
        railway in RAILWAY_LINES
        and tags.get("service") not in RAILWAY_SERVICES_LEFT_OUT
        and tags.get("tunnel") in (None, "no")
    ):
        return "railways", railway
    highway = tags.get("highway")
    if highway is not None and tags.get("area") != "yes":
        layer = _street_layer(highway)
        if layer is not None:
            return layer, highway
    if tags.get("natural") == COASTLINE:
        return COASTLINE, COASTLINE
    return None


def classify_area(tags: Any) -> tuple[str, str] | None:
    """The (layer, kind) of an area (closed way or multipolygon), or None."""
    for key, value in ((k, tags.get(k)) for k in KEYS):
        if value is None:
            continue
        if (key, value) in WATER_AREAS:
            return "water", value
        if (key, value) in PARK_AREAS:
            return "parks", value
    return None


class Progress:
    """Progress lines on stderr for extracts large enough to keep a curator waiting."""

    EVERY_S = 2.0
    FROM_BYTES = 8 * 1024 * 1024

    def __init__(self, path: Path, stream: TextIO | None = None, *, quiet: bool = False) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.size = path.stat().st_size if path.exists() else 0
        self.active = not quiet and self.size >= self.FROM_BYTES
        self.start = time.monotonic()
        self._last = self.start

    def say(self, text: str) -> None:
        if self.active:
            print(text, file=self.stream, flush=True)

    def tick(self, count: int) -> None:
        now = time.monotonic()
        if self.active and now - self._last >= self.EVERY_S:
            self._last = now
            self.say(f"  {count:,} map features read ({now - self.start:.0f} s)")


def _header_extent(processor: osmium.FileProcessor) -> Extent | None:
    box = processor.header.box()
    if not box.valid():
        return None
    bottom_left, top_right = box.bottom_left, box.top_right
    return (bottom_left.lon, bottom_left.lat, top_right.lon, top_right.lat)


def _timestamp(processor: osmium.FileProcessor) -> str | None:
    header = processor.header
    for key in ("osmosis_replication_timestamp", "timestamp"):
        value = header.get(key)
        if value:
            return str(value)
    return None


def _grow(extent: Extent | None, bounds: tuple[float, float, float, float]) -> Extent:
    if extent is None:
        return bounds
    return (
        min(extent[0], bounds[0]),
        min(extent[1], bounds[1]),
        max(extent[2], bounds[2]),
        max(extent[3], bounds[3]),
    )


def _geometry(
    obj: Any, wkb: osmium.geom.WKBFactory
) -> tuple[tuple[str, str] | None, Callable[[], bytes | str]]:
    if isinstance(obj, Area):
        return classify_area(obj.tags), lambda: wkb.create_multipolygon(obj)
    assert isinstance(obj, Way)
    return classify_line(obj.tags), lambda: wkb.create_linestring(obj)


def read_extract(
    path: Path,
    check_header: Callable[[Extent | None], None] | None = None,
    progress: Progress | None = None,
) -> Extract:
    """Read the base-map features of an extract.

    `check_header` sees the header's extent before the (possibly long) reading starts, so bounds
    outside the extract are refused at once. Raises MapBuildError for a missing, unreadable or
    damaged file.
    """
    if not path.is_file():
        raise MapBuildError(f"{path}: no such file")
    if not path.name.lower().endswith((".osm.pbf", ".pbf", ".osm", ".osm.bz2", ".osm.gz")):
        raise MapBuildError(
            f"{path}: not an OpenStreetMap extract; give a .osm.pbf or .osm file, as the "
            "extract services and openstreetmap.org's Export give them"
        )
    progress = progress or Progress(path, quiet=True)
    extract = Extract(path)
    wkb = osmium.geom.WKBFactory()
    try:
        processor = (
            osmium.FileProcessor(str(path))
            .with_areas(osmium.filter.KeyFilter(*KEYS))
            .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY | osmium.osm.AREA))
            .with_filter(osmium.filter.KeyFilter(*KEYS))
        )
        extract.header_extent = _header_extent(processor)
        extract.timestamp = _timestamp(processor)
        if check_header is not None:
            check_header(extract.header_extent)
        progress.say(
            f"reading {path.name} ({progress.size / 1e6:,.1f} MB): areas first, then streets, "
            "water, railways and parks; a large extract takes minutes"
        )
        for obj in processor:
            if isinstance(obj, Way) and obj.is_closed() and classify_line(obj.tags) is None:
                continue  # drawn, if at all, as the area pyosmium assembles from it
            found, make = _geometry(obj, wkb)
            if found is None:
                continue
            try:
                geometry = shapely.from_wkb(make())
            except (osmium.InvalidLocationError, RuntimeError, shapely.errors.GEOSException):
                # A way cut at the extract's edge has nodes without locations, and a broken
                # multipolygon cannot be assembled: neither can be drawn.
                extract.skipped += 1
                continue
            if geometry.is_empty:
                continue
            layer, kind = found
            name = obj.tags.get("name")
            extract.features.append(Feature(layer, kind, name, geometry))
            extract.data_extent = _grow(extract.data_extent, geometry.bounds)
            progress.tick(len(extract.features))
    except RuntimeError as exc:
        # pyosmium's own message is one line and names the fault (XML parsing error at line 6,
        # PBF error: invalid BlobHeader size, Could not detect file format...).
        raise MapBuildError(f"{path}: cannot be read as OpenStreetMap data: {exc}") from None
    progress.say(
        f"read {len(extract.features):,} map features in {time.monotonic() - progress.start:.0f} s"
    )
    return extract
