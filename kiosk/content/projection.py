"""From latitude and longitude to flat map coordinates, and placing far-away places on the edge.

A city spans a few kilometres, so a local equirectangular projection (longitude scaled by the
cosine of the map's middle latitude) is accurate to well under a metre and needs no library. Map
coordinates are metres east (x) and south (y) of the map's north-west corner, the orientation of a
screen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kiosk.content.data import Bounds

EARTH_RADIUS_M = 6_371_008.8
_M_PER_DEG = math.pi * EARTH_RADIUS_M / 180


@dataclass(frozen=True)
class EdgePoint:
    """Where an off-map place is drawn: on the map's edge, pointing towards the place."""

    x: float
    y: float
    bearing_deg: float  # compass bearing from the map's centre, 0 = north, 90 = east
    distance_km: float  # great-circle distance from the map's centre


class Projection:
    """Projects WGS 84 coordinates into metres on the map of `bounds`."""

    def __init__(self, bounds: Bounds) -> None:
        self.bounds = bounds
        self._mid_lat = (bounds.south + bounds.north) / 2
        self._kx = _M_PER_DEG * math.cos(math.radians(self._mid_lat))
        self.width, self.height = self.project(bounds.south, bounds.east)

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        return ((lon - self.bounds.west) * self._kx, (self.bounds.north - lat) * _M_PER_DEG)

    @property
    def coefficients(self) -> tuple[float, float, float, float]:
        """(west, kx, north, ky): x = (lon - west) * kx and y = (north - lat) * ky, for loops
        over many points that cannot afford a call per point."""
        return (self.bounds.west, self._kx, self.bounds.north, _M_PER_DEG)

    def unproject(self, x: float, y: float) -> tuple[float, float]:
        return (self.bounds.north - y / _M_PER_DEG, self.bounds.west + x / self._kx)

    @property
    def centre(self) -> tuple[float, float]:
        """Latitude and longitude of the map's centre."""
        b = self.bounds
        return ((b.south + b.north) / 2, (b.west + b.east) / 2)

    def edge_point(self, lat: float, lon: float, inset_m: float) -> EdgePoint:
        """The point `inset_m` inside the map's edge on the way from its centre to (lat, lon)."""
        c_lat, c_lon = self.centre
        bearing = initial_bearing(c_lat, c_lon, lat, lon)
        dx, dy = math.sin(math.radians(bearing)), -math.cos(math.radians(bearing))
        cx, cy = self.width / 2, self.height / 2
        half_w, half_h = max(cx - inset_m, 0.0), max(cy - inset_m, 0.0)
        # The ray from the centre leaves the inset rectangle at the nearer of its two crossings.
        reach = min(
            half_w / abs(dx) if abs(dx) > 1e-12 else math.inf,
            half_h / abs(dy) if abs(dy) > 1e-12 else math.inf,
        )
        return EdgePoint(
            cx + dx * reach, cy + dy * reach, bearing, distance_m(c_lat, c_lon, lat, lon) / 1000
        )


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def initial_bearing(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Compass bearing in degrees (0 = north, clockwise) of the great circle from 1 to 2."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    y = math.sin(dl) * math.cos(p2)
    x = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return math.degrees(math.atan2(y, x)) % 360
