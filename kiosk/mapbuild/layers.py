"""From an extract's features to the bundle's GeoJSON layers: clip, simplify, round, write.

Geometry is handled in a local frame of metres east and north of the bounds' south-west corner
(the projection the kiosk itself uses, kiosk/content/projection.py), so the simplification
tolerance is a distance on the ground: one screen pixel at the map's largest zoom on a 4K screen,
finer than anything a visitor can see. Areas of a layer are merged into one (overlapping water
polygons would otherwise punch holes in each other under the kiosk's even-odd fill), lines of one
kind and name are joined into as few lines as possible, and coordinates are rounded to the
decimals that tolerance needs.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, Polygon, box

from kiosk.content.data import Bounds
from kiosk.content.geojson import MAX_GEOJSON_BYTES
from kiosk.content.projection import Projection
from kiosk.mapbuild import MapBuildError
from kiosk.mapbuild.osm import COASTLINE, Extract, Feature

# The largest screen the kiosk is made for, in pixels: the whole map fits it at zoom 1.
SCREEN_PX = (3840, 2160)
M_PER_DEGREE_LAT = 111_320.0


@dataclass(frozen=True)
class LayerStyle:
    """How a layer is drawn: the fields of a bundle.yaml map layer."""

    id: str
    fill: str | None = None
    stroke: str | None = None
    width: float = 1.0
    dash: bool = False


# Drawn in this order, the first at the bottom; the colours are the paper tones of a period map.
DEFAULT_STYLES = (
    LayerStyle("parks", fill="#d3d6b0"),
    LayerStyle("water", fill="#b9cdd0", stroke="#5d7f88", width=0.8),
    LayerStyle("waterways", stroke="#5d7f88", width=1.2),
    LayerStyle("streets-minor", stroke="#cbbb9c", width=0.6),
    LayerStyle("streets", stroke="#b3a184", width=0.9),
    LayerStyle("streets-major", stroke="#9a8768", width=1.5),
    LayerStyle("railways", stroke="#6b6257", width=1.2, dash=True),
)
LAYER_IDS = tuple(style.id for style in DEFAULT_STYLES)
POLYGON_LAYERS = {"parks", "water"}
WHAT = {
    "parks": "parks, gardens, grass and woods (leisure=park/garden, landuse=grass/forest/...)",
    "water": "rivers, lakes, docks and the sea as areas (natural=water, waterway=riverbank, "
    "multipolygons, the sea inside natural=coastline)",
    "waterways": "river and canal centrelines (waterway=river/canal)",
    "streets-minor": "residential and other minor streets (highway=residential/unclassified/...)",
    "streets": "secondary and tertiary streets (highway=secondary/tertiary)",
    "streets-major": "main roads (highway=motorway/trunk/primary)",
    "railways": "railway lines (railway=rail/narrow_gauge/light_rail, no sidings or yards)",
}


@dataclass(frozen=True)
class BuiltLayer:
    """A layer ready to write: its style, its file inside the bundle and the GeoJSON text."""

    style: LayerStyle
    file: str
    text: str
    features: int


def tolerance_m(bounds: Bounds, max_zoom: float) -> float:
    """One pixel of a 4K screen at the map's largest zoom, in metres on the ground."""
    projection = Projection(bounds)
    metres_per_px = max(projection.width / SCREEN_PX[0], projection.height / SCREEN_PX[1])
    return metres_per_px / max_zoom


def decimals_for(tolerance: float) -> int:
    """Decimals of a degree that keep rounding under half the tolerance (5 to 7)."""
    return min(7, max(5, math.ceil(math.log10(2 * M_PER_DEGREE_LAT / tolerance))))


class _Frame:
    """Degrees to local metres (x east, y north of the south-west corner) and back."""

    def __init__(self, bounds: Bounds) -> None:
        west, kx, _north, ky = Projection(bounds).coefficients
        self.origin = np.array([west, bounds.south])
        self.scale = np.array([kx, ky])
        self.box = box(0, 0, (bounds.east - west) * kx, (bounds.north - bounds.south) * ky)

    def to_metres(self, geometry: Any) -> Any:
        return shapely.transform(geometry, lambda c: (c - self.origin) * self.scale)

    def to_degrees(self, geometry: Any) -> Any:
        return shapely.transform(geometry, lambda c: c / self.scale + self.origin)


def _parts(geometry: Any, kind: type) -> Iterator[Any]:
    """The parts of `kind` (Polygon or LineString) in any geometry."""
    if geometry.is_empty:
        return
    if isinstance(geometry, kind):
        yield geometry
    elif hasattr(geometry, "geoms"):
        for part in geometry.geoms:
            yield from _parts(part, kind)


def _is_sea(face: Polygon, coasts: list[LineString]) -> bool:
    """A coastline has the land on its left and the sea on its right (OSM's rule)."""
    point = face.representative_point()
    coast = min(coasts, key=point.distance)
    along = coast.project(point)
    step = min(1.0, coast.length / 2)
    before = coast.interpolate(max(0.0, min(along - step, coast.length - 2 * step)))
    after = coast.interpolate(max(2 * step, min(along + step, coast.length)))
    cross = (after.x - before.x) * (point.y - before.y) - (after.y - before.y) * (
        point.x - before.x
    )
    return cross < 0


def sea_polygons(coastlines: list[Any], frame_box: Polygon) -> list[Polygon]:
    """The parts of the map's box on the sea side of the coastline (in metres)."""
    if not coastlines:
        return []
    merged = shapely.line_merge(MultiLineString(coastlines), directed=True)
    coasts = list(_parts(merged.intersection(frame_box), LineString))
    coasts = [line for line in coasts if line.length > 0]
    if not coasts:
        return []
    noded = shapely.union_all([frame_box.boundary, *coasts])
    faces = list(_parts(shapely.polygonize(list(_parts(noded, LineString))), Polygon))
    return [face for face in faces if _is_sea(face, coasts)]


def _round_ring(coords: Iterable[tuple[float, ...]], digits: int) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y, *_ in coords:
        point = [round(x, digits), round(y, digits)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def _polygon_coords(polygon: Polygon, digits: int) -> list[list[list[float]]] | None:
    rings = []
    for ring in (polygon.exterior, *polygon.interiors):
        rounded = _round_ring(ring.coords, digits)
        if len(rounded) >= 4:
            rings.append(rounded)
        elif not rings:
            return None  # the outer ring itself vanished
    return rings


def _feature(geometry: dict[str, Any], properties: dict[str, str]) -> str:
    return json.dumps(
        {"type": "Feature", "properties": properties, "geometry": geometry},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _collection(features: list[str]) -> str:
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(features) + "\n]}\n"


def _polygon_layer(
    geometries: list[Any], frame: _Frame, tolerance: float, digits: int
) -> list[str]:
    merged = shapely.union_all(geometries)
    simplified = merged.simplify(tolerance, preserve_topology=True)
    features = []
    for part in _parts(simplified, Polygon):
        if part.area < 4 * tolerance * tolerance:  # under 2x2 pixels at the largest zoom
            continue
        coords = _polygon_coords(frame.to_degrees(part), digits)
        if coords is not None:
            features.append(_feature({"type": "Polygon", "coordinates": coords}, {}))
    return features


def _line_layer(
    clipped: list[tuple[Feature, Any]], frame: _Frame, tolerance: float, digits: int
) -> list[str]:
    groups: dict[tuple[str, str | None], list[Any]] = defaultdict(list)
    for feature, geometry in clipped:
        groups[(feature.kind, feature.name)].extend(_parts(geometry, LineString))
    features = []
    for (kind, name), lines in sorted(groups.items(), key=lambda g: (g[0][0], g[0][1] or "")):
        joined = shapely.line_merge(shapely.union_all(lines))
        properties = {"kind": kind, **({"name": name} if name else {})}
        for line in _parts(joined.simplify(tolerance, preserve_topology=True), LineString):
            if line.length < 2 * tolerance:
                continue
            coords = _round_ring(frame.to_degrees(line).coords, digits)
            if len(coords) >= 2:
                features.append(_feature({"type": "LineString", "coordinates": coords}, properties))
    return features


def build_layers(
    extract: Extract,
    bounds: Bounds,
    max_zoom: float,
    styles: dict[str, LayerStyle] | None = None,
) -> list[BuiltLayer]:
    """The base map's layers inside `bounds`, in drawing order; layers with nothing in them are
    left out. `styles` (by layer id) overrides the default look, so a bundle keeps its palette."""
    frame = _Frame(bounds)
    tolerance = tolerance_m(bounds, max_zoom)
    digits = decimals_for(tolerance)
    by_layer: dict[str, list[Feature]] = defaultdict(list)
    for feature in extract.features:
        by_layer[feature.layer].append(feature)
    clipped: dict[str, list[tuple[Feature, Any]]] = defaultdict(list)
    for layer, features in by_layer.items():
        metric = frame.to_metres(np.array([f.geometry for f in features], dtype=object))
        inside = shapely.intersection(metric, frame.box)
        for feature, geometry in zip(features, inside, strict=True):
            if not geometry.is_empty:
                clipped[layer].append((feature, geometry))
    sea = sea_polygons([g for _, g in clipped.pop(COASTLINE, [])], frame.box)
    built = []
    for default in DEFAULT_STYLES:
        layer = default.id
        if layer in POLYGON_LAYERS:
            polygons = [g for _, g in clipped.get(layer, [])]
            polygons += sea if layer == "water" else []
            texts = _polygon_layer(polygons, frame, tolerance, digits) if polygons else []
        else:
            texts = _line_layer(clipped.get(layer, []), frame, tolerance, digits)
        if not texts:
            continue
        text = _collection(texts)
        size = len(text.encode("utf-8"))
        if size > MAX_GEOJSON_BYTES:
            raise MapBuildError(
                f"the {layer} layer would be {size / 1e6:.0f} MB, more than the kiosk reads "
                f"({MAX_GEOJSON_BYTES / 1e6:.0f} MB); choose smaller bounds or a lower max_zoom"
            )
        style = (styles or {}).get(layer, default)
        built.append(BuiltLayer(style, f"map/{layer}.geojson", text, len(texts)))
    return built


def extent_meets(extent: tuple[float, float, float, float], bounds: Bounds) -> tuple[bool, bool]:
    """(overlaps, covers): whether an extract's extent meets the bounds, and holds all of them."""
    west, south, east, north = extent
    overlaps = west < bounds.east and east > bounds.west and south < bounds.north
    overlaps = overlaps and north > bounds.south
    covers = west <= bounds.west and east >= bounds.east
    covers = covers and south <= bounds.south and north >= bounds.north
    return overlaps, covers
