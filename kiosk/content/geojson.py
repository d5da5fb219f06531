"""Map layers: GeoJSON files read into projected polygons and lines.

Only geometry is kept (points, properties and styles are ignored: a layer's style comes from
bundle.yaml). Coordinates are projected once here, so the UI only draws.
"""

from __future__ import annotations

import contextlib
import json
import math
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.content.problems import ProblemList
from kiosk.content.projection import Projection
from kiosk.content.safe_read import FileTooLarge, read_regular_file

MAX_GEOJSON_BYTES = 16 * 1024 * 1024

Ring = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class LayerGeometry:
    """One layer's shapes in map metres: polygons (each a list of rings) and lines.

    Pickled (the validated-bundle cache) as two packed arrays, decoded on first use: unpickling
    Petrograd's ~100,000 coordinates as float tuples took ~30 ms of every start, and a start
    whose map tiles are on disk never draws from the geometry at all.
    """

    layer_id: str
    polygons: tuple[tuple[Ring, ...], ...]
    lines: tuple[Ring, ...]

    @property
    def is_empty(self) -> bool:
        return not self.polygons and not self.lines

    def shapes(self) -> tuple[tuple[tuple[Ring, ...], ...], tuple[Ring, ...]]:
        """The polygons and lines, decoded for this caller only if the layer was unpickled
        packed: the map's painter turns them into paths at once, and keeping Petrograd's
        ~100,000 points as tuples besides cost the kiosk ~4 MB for its life."""
        packed = self.__dict__.get("_packed")
        if packed is not None and "polygons" not in self.__dict__:
            return _unpack(*packed)
        return self.polygons, self.lines

    def __reduce__(self) -> tuple[Any, ...]:
        return (_packed_layer, (self.layer_id, *_pack(self.polygons, self.lines)))

    if not TYPE_CHECKING:  # (for mypy the fields are plain attributes)

        def __getattr__(self, name: str) -> Any:
            # Only reached for a field not set yet: a layer unpickled packed, decoded now.
            packed = self.__dict__.get("_packed")
            if name not in ("polygons", "lines") or packed is None:
                raise AttributeError(name)
            polygons, lines = _unpack(*packed)
            object.__setattr__(self, "polygons", polygons)
            object.__setattr__(self, "lines", lines)
            return polygons if name == "polygons" else lines


def _pack(polygons: tuple[tuple[Ring, ...], ...], lines: tuple[Ring, ...]) -> tuple[bytes, bytes]:
    """Every coordinate in one array of doubles, and the shape in one of counts: the number of
    polygons, then per polygon its number of rings, then every ring's and line's length."""
    counts = array("q", [len(polygons)])
    counts.extend(len(polygon) for polygon in polygons)
    rings = [ring for polygon in polygons for ring in polygon] + list(lines)
    counts.extend(len(ring) for ring in rings)
    coords = array("d", [value for ring in rings for point in ring for value in point])
    return coords.tobytes(), counts.tobytes()


def _unpack(
    coords_bytes: bytes, counts_bytes: bytes
) -> tuple[tuple[tuple[Ring, ...], ...], tuple[Ring, ...]]:
    coords, counts = array("d"), array("q")
    coords.frombytes(coords_bytes)
    counts.frombytes(counts_bytes)
    values = iter(coords)
    points = list(zip(values, values, strict=True))  # (x, y) pairs
    n_polygons = counts[0]
    ring_counts = counts[1 : 1 + n_polygons]
    rings: list[Ring] = []
    start = 0
    for length in counts[1 + n_polygons :]:
        rings.append(tuple(points[start : start + length]))
        start += length
    polygons = []
    first = 0
    for n_rings in ring_counts:
        polygons.append(tuple(rings[first : first + n_rings]))
        first += n_rings
    return tuple(polygons), tuple(rings[first:])


def _packed_layer(layer_id: str, coords: bytes, counts: bytes) -> LayerGeometry:
    """A layer as unpickled: its shapes decoded when first asked for (see `__getattr__`)."""
    layer = object.__new__(LayerGeometry)
    object.__setattr__(layer, "layer_id", layer_id)
    object.__setattr__(layer, "_packed", (coords, counts))
    return layer


_NUMBERS = (int, float)
_DRAWN = ("Polygon", "MultiPolygon", "LineString", "MultiLineString")
MAX_REPORTED_FEATURES = 5  # a broken export breaks thousands of features alike

JsonPath = tuple[str | int, ...]


class _GeoError(ValueError):
    """A mistake in a feature, with where it is inside the feature (keys and list indexes)."""

    def __init__(self, message: str, path: JsonPath = ()) -> None:
        super().__init__(message)
        self.path = path

    def within(self, *prefix: str | int) -> _GeoError:
        return _GeoError(str(self), (*prefix, *self.path))


def _bad_position(lon: float, lat: float, index: int) -> _GeoError:
    # json reads NaN and Infinity, which are not degrees either.
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return _GeoError("a position must be [longitude, latitude]", (index,))
    # Typically a file exported in metres (Web Mercator) instead of degrees.
    return _GeoError(
        f"the position [{lon}, {lat}] is not longitude and latitude in degrees; "
        "export the layer in WGS 84 (EPSG:4326)",
        (index,),
    )


class _Reader:
    def __init__(self, projection: Projection) -> None:
        self._coefficients = projection.coefficients
        self.polygons: list[tuple[Ring, ...]] = []
        self.lines: list[Ring] = []

    def _ring(self, coords: Any) -> Ring:
        if not isinstance(coords, list) or len(coords) < 2:
            raise _GeoError("a line needs at least two positions")
        west, kx, north, ky = self._coefficients
        ring: list[tuple[float, float]] = []
        # The hot loop of loading a bundle (100,000+ positions): plain comparisons, no calls.
        # On a mistake, len(ring) is the index of the position at fault.
        for position in coords:
            if type(position) is not list or len(position) < 2:
                raise _GeoError("a position must be [longitude, latitude]", (len(ring),))
            lon, lat = position[0], position[1]
            # type() rather than isinstance: bool is an int to Python, and no bool is a degree.
            if type(lon) not in _NUMBERS or type(lat) not in _NUMBERS:
                raise _GeoError("a position must be [longitude, latitude]", (len(ring),))
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):  # also false for NaN
                raise _bad_position(lon, lat, len(ring))
            ring.append(((lon - west) * kx, (north - lat) * ky))
        return tuple(ring)

    def _rings(self, coords: Any) -> tuple[Ring, ...]:
        if not isinstance(coords, list):
            raise _GeoError("'coordinates' must be a list")
        rings = []
        for index, ring in enumerate(coords):
            try:
                rings.append(self._ring(ring))
            except _GeoError as exc:
                raise exc.within(index) from None
        return tuple(rings)

    def geometry(self, geometry: Any) -> None:  # noqa: C901 - one case per GeoJSON geometry type
        if geometry is None:
            return
        if not isinstance(geometry, dict):
            raise _GeoError("'geometry' must be an object")
        kind = geometry.get("type")
        coords: Any = geometry.get("coordinates")
        if kind != "GeometryCollection" and not isinstance(coords, list):
            raise _GeoError("'coordinates' must be a list", ("coordinates",) if coords else ())
        try:
            if kind == "Polygon":
                self.polygons.append(self._rings(coords))
            elif kind == "MultiPolygon":
                for index, polygon in enumerate(coords):
                    try:
                        self.polygons.append(self._rings(polygon))
                    except _GeoError as exc:
                        raise exc.within(index) from None
            elif kind == "LineString":
                self.lines.append(self._ring(coords))
            elif kind == "MultiLineString":
                self.lines.extend(self._rings(coords))
        except _GeoError as exc:
            raise exc.within("coordinates") from None
        if kind == "GeometryCollection":
            for index, part in enumerate(geometry.get("geometries") or []):
                try:
                    self.geometry(part)
                except _GeoError as exc:
                    raise exc.within("geometries", index) from None
        elif kind not in _DRAWN and kind not in ("Point", "MultiPoint"):  # points: ignored
            raise _GeoError(f"unknown geometry type {kind!r}", ("type",))


_scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]  # public, not in stubs


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def locate(text: str, path: JsonPath) -> tuple[int, int]:
    """The 1-based line and column of the value at `path` in a JSON text (as far as it goes).

    Only used when reporting a mistake, so it may be slower than json: values before the one
    sought are skipped by decoding them.
    """
    decoder = json.JSONDecoder()
    pos = _skip_space(text, 0)
    for part in path:
        if pos >= len(text) or text[pos] not in "[{":
            break
        is_object = text[pos] == "{"
        if is_object != isinstance(part, str):
            break
        index, pos, found = 0, _skip_space(text, pos + 1), False
        while pos < len(text) and text[pos] not in "]}":
            if is_object:
                key, pos = _scanstring(text, pos + 1)
                pos = _skip_space(text, _skip_space(text, pos) + 1)  # past the colon
                found = key == part
            else:
                found = index == part
            if found:
                break
            _, pos = decoder.raw_decode(text, pos)
            pos = _skip_space(text, pos)
            if pos < len(text) and text[pos] == ",":
                pos = _skip_space(text, pos + 1)
            index += 1
        if not found:
            break
    before = text[:pos]
    return before.count("\n") + 1, pos - (before.rfind("\n") + 1) + 1


def read_layer(  # noqa: C901 - one check per way a layer file can be wrong
    path: Path, file: str, layer_id: str, projection: Projection, problems: ProblemList
) -> LayerGeometry | None:
    """Read a GeoJSON FeatureCollection; report problems and return None if it is unusable."""
    try:
        raw = read_regular_file(path, MAX_GEOJSON_BYTES)
        data = json.loads(raw)
    except FileTooLarge as exc:
        problems.error(file, 1, 1, f"the map layer is too large ({exc.size} bytes)")
        return None
    except OSError as exc:
        problems.error(file, 1, 1, f"the map layer cannot be read: {exc.strerror or exc}")
        return None
    except json.JSONDecodeError as exc:
        problems.error(
            file,
            exc.lineno,
            exc.colno,
            f"the map layer is damaged or cut short (not valid JSON: {exc.msg}); export it again",
        )
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
    mistakes: list[tuple[int, _GeoError]] = []
    features = data.get("features") or []
    for index, feature in enumerate(features if isinstance(features, list) else []):
        if not isinstance(feature, dict):
            mistakes.append((index, _GeoError("a feature must be an object")))
            continue
        try:
            reader.geometry(feature.get("geometry"))
        except _GeoError as mistake:
            mistakes.append((index, mistake.within("geometry")))
        except RecursionError:  # GeometryCollections nested without end
            mistakes.append((index, _GeoError("the geometry is nested too deeply", ("geometry",))))
    if not mistakes:
        geometry = LayerGeometry(layer_id, tuple(reader.polygons), tuple(reader.lines))
        if geometry.is_empty or _reaches_the_map(reader, projection):
            return geometry
        _report_outside(raw, data, file, projection, problems)
        return None
    text = raw.decode("utf-8-sig")
    for number, (index, found) in enumerate(mistakes[: MAX_REPORTED_FEATURES + 1]):
        try:
            line, column = locate(text, ("features", index, *found.path))
        except (ValueError, RecursionError):  # pragma: no cover - the text parsed above
            line, column = 1, 1
        message = f"feature {index + 1}: {found}"
        if number == MAX_REPORTED_FEATURES:  # the rest in one line, at the first not listed
            message = (
                f"{len(mistakes) - MAX_REPORTED_FEATURES} more features have mistakes, from "
                f"feature {index + 1} on ({len(mistakes)} in all); fix the ones above first"
            )
        problems.error(file, line, column, message)
    return None


def _reaches_the_map(reader: _Reader, projection: Projection) -> bool:
    """Whether any shape of the layer overlaps the map (by its bounding box, in map metres).

    Stops at the first shape that does, so a good layer costs next to nothing.
    """
    width, height = projection.width, projection.height
    rings = [ring for polygon in reader.polygons for ring in polygon] + reader.lines
    for ring in rings:
        xs = [x for x, _ in ring]
        ys = [y for _, y in ring]
        if max(xs) >= 0 and min(xs) <= width and max(ys) >= 0 and min(ys) <= height:
            return True
    return False


def _first_position(data: dict[str, Any]) -> tuple[JsonPath, list[Any]] | None:
    """The path to the first drawn position of the layer, and that position."""
    for index, feature in enumerate(data.get("features") or []):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict) or geometry.get("type") not in _DRAWN:
            continue
        path: JsonPath = ("features", index, "geometry", "coordinates")
        value: Any = geometry.get("coordinates")
        while isinstance(value, list) and value and isinstance(value[0], list):
            path, value = (*path, 0), value[0]
        if isinstance(value, list) and len(value) >= 2:
            return path, value
    return None


def _report_outside(
    raw: bytes, data: dict[str, Any], file: str, projection: Projection, problems: ProblemList
) -> None:
    """An error at the layer's first position: nothing of it lies on the map, and why if seen."""
    bounds = projection.bounds
    found = _first_position(data)
    line, column, hint = 1, 1, ""
    if found is not None:
        path, (lon, lat) = found[0], found[1][:2]
        with contextlib.suppress(ValueError, RecursionError):  # the text parsed before
            line, column = locate(raw.decode("utf-8-sig"), path)
        if bounds.contains(lon, lat):  # read the other way round, it would be on the map
            hint = (
                f"; its positions look like [latitude, longitude] (the first is [{lon}, {lat}]): "
                "GeoJSON writes [longitude, latitude], so export it again or swap them"
            )
        else:
            hint = f"; its first position is [{lon}, {lat}] (longitude, latitude)"
    problems.error(
        file,
        line,
        column,
        "no shape of this map layer lies on the map "
        f"({bounds.south}-{bounds.north} N, {bounds.west}-{bounds.east} E){hint}",
    )
