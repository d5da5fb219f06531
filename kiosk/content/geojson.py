"""Map layers: GeoJSON files read into projected polygons and lines.

Only geometry is kept (points, properties and styles are ignored: a layer's style comes from
bundle.yaml). Coordinates are projected once here, so the UI only draws.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.content.problems import ProblemList
from kiosk.content.projection import Projection

MAX_GEOJSON_BYTES = 16 * 1024 * 1024

Ring = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class LayerGeometry:
    """One layer's shapes in map metres: polygons (each a list of rings) and lines."""

    layer_id: str
    polygons: tuple[tuple[Ring, ...], ...]
    lines: tuple[Ring, ...]

    @property
    def is_empty(self) -> bool:
        return not self.polygons and not self.lines


_NUMBERS = (int, float)


def _bad_position(lon: float, lat: float) -> None:
    # json reads NaN and Infinity, which are not degrees either.
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ValueError("a position must be [longitude, latitude]")
    # Typically a file exported in metres (Web Mercator) instead of degrees.
    raise ValueError(
        f"the position [{lon}, {lat}] is not longitude and latitude in degrees; "
        "export the layer in WGS 84 (EPSG:4326)"
    )


class _Reader:
    def __init__(self, projection: Projection) -> None:
        self._coefficients = projection.coefficients
        self.polygons: list[tuple[Ring, ...]] = []
        self.lines: list[Ring] = []

    def _ring(self, coords: Any) -> Ring:
        if not isinstance(coords, list) or len(coords) < 2:
            raise ValueError("a line needs at least two positions")
        west, kx, north, ky = self._coefficients
        ring = []
        # The hot loop of loading a bundle (100,000+ positions): plain comparisons, no calls.
        for position in coords:
            if type(position) is not list or len(position) < 2:
                raise ValueError("a position must be [longitude, latitude]")
            lon, lat = position[0], position[1]
            # type() rather than isinstance: bool is an int to Python, and no bool is a degree.
            if type(lon) not in _NUMBERS or type(lat) not in _NUMBERS:
                raise ValueError("a position must be [longitude, latitude]")
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):  # also false for NaN
                _bad_position(lon, lat)
            ring.append(((lon - west) * kx, (north - lat) * ky))
        return tuple(ring)

    def geometry(self, geometry: Any) -> None:
        if geometry is None:
            return
        if not isinstance(geometry, dict):
            raise ValueError("'geometry' must be an object")
        kind = geometry.get("type")
        coords: Any = geometry.get("coordinates")
        if kind != "GeometryCollection" and not isinstance(coords, list):
            raise ValueError("'coordinates' must be a list")
        if kind == "Polygon":
            self.polygons.append(tuple(self._ring(r) for r in coords))
        elif kind == "MultiPolygon":
            self.polygons.extend(tuple(self._ring(r) for r in poly) for poly in coords)
        elif kind == "LineString":
            self.lines.append(self._ring(coords))
        elif kind == "MultiLineString":
            self.lines.extend(self._ring(line) for line in coords)
        elif kind == "GeometryCollection":
            for part in geometry.get("geometries") or []:
                self.geometry(part)
        elif kind not in ("Point", "MultiPoint"):
            raise ValueError(f"unknown geometry type {kind!r}")


def read_layer(
    path: Path, file: str, layer_id: str, projection: Projection, problems: ProblemList
) -> LayerGeometry | None:
    """Read a GeoJSON FeatureCollection; report problems and return None if it is unusable."""
    try:
        size = path.stat().st_size
        if size > MAX_GEOJSON_BYTES:
            problems.error(file, 1, 1, f"the map layer is too large ({size} bytes)")
            return None
        data = json.loads(path.read_bytes())
    except OSError as exc:
        problems.error(file, 1, 1, f"the map layer cannot be read: {exc.strerror or exc}")
        return None
    except json.JSONDecodeError as exc:
        problems.error(file, exc.lineno, exc.colno, f"this is not valid JSON: {exc.msg}")
        return None
    except RecursionError:  # a hostile or broken file: thousands of nested brackets
        problems.error(file, 1, 1, "the map layer is nested too deeply to be GeoJSON")
        return None
    except UnicodeDecodeError:
        problems.error(file, 1, 1, "the map layer is not UTF-8 text")
        return None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        problems.error(file, 1, 1, 'a map layer must be a GeoJSON "FeatureCollection"')
        return None
    reader = _Reader(projection)
    for index, feature in enumerate(data.get("features") or []):
        try:
            if not isinstance(feature, dict):
                raise ValueError("a feature must be an object")
            reader.geometry(feature.get("geometry"))
        except (ValueError, TypeError) as exc:
            problems.error(file, 1, 1, f"feature {index + 1}: {exc}")
            return None
        except RecursionError:  # GeometryCollections nested without end
            problems.error(file, 1, 1, f"feature {index + 1}: the geometry is nested too deeply")
            return None
    return LayerGeometry(layer_id, tuple(reader.polygons), tuple(reader.lines))
