"""The flat map projection and the edge markers of far-away places."""

from __future__ import annotations

import math

import pytest

from kiosk.content.data import Bounds
from kiosk.content.projection import EARTH_RADIUS_M, Projection, distance_m, initial_bearing

# The Petrograd bundle's map.
BOUNDS = Bounds(west=30.17, south=59.875, east=30.46, north=60.005)
MOSCOW = (55.758, 37.618)
INSET = 100.0


@pytest.fixture
def projection() -> Projection:
    return Projection(BOUNDS)


def test_north_west_corner_is_the_origin(projection: Projection) -> None:
    assert projection.project(BOUNDS.north, BOUNDS.west) == (0.0, 0.0)


def test_south_east_corner_is_width_and_height(projection: Projection) -> None:
    x, y = projection.project(BOUNDS.south, BOUNDS.east)
    assert (x, y) == (projection.width, projection.height)
    # x grows east and y grows south, as on a screen.
    assert projection.project(BOUNDS.north, BOUNDS.east) == pytest.approx((projection.width, 0))
    assert projection.project(BOUNDS.south, BOUNDS.west) == pytest.approx((0, projection.height))


def test_size_in_metres_agrees_with_the_great_circle_distances(projection: Projection) -> None:
    b = BOUNDS
    north_edge = distance_m(b.north, b.west, b.north, b.east)
    south_edge = distance_m(b.south, b.west, b.south, b.east)
    west_edge = distance_m(b.north, b.west, b.south, b.west)
    east_edge = distance_m(b.north, b.east, b.south, b.east)
    assert projection.width == pytest.approx(north_edge, rel=0.005)
    assert projection.width == pytest.approx(south_edge, rel=0.005)
    assert projection.height == pytest.approx(west_edge, rel=0.005)
    assert projection.height == pytest.approx(east_edge, rel=0.005)
    # About 16 by 14.5 km: the size of central Petrograd.
    assert 16_000 < projection.width < 16_300
    assert 14_400 < projection.height < 14_500


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(59.9311, 30.3615), (60.005, 30.17), (59.875, 30.46), (55.758, 37.618), (0.0, 0.0)],
)
def test_project_unproject_round_trip(projection: Projection, lat: float, lon: float) -> None:
    x, y = projection.project(lat, lon)
    assert projection.unproject(x, y) == pytest.approx((lat, lon), abs=1e-9)


def test_centre(projection: Projection) -> None:
    assert projection.centre == pytest.approx((59.94, 30.315))
    x, y = projection.project(*projection.centre)
    assert (x, y) == pytest.approx((projection.width / 2, projection.height / 2))


def test_place_due_south_is_on_the_bottom_edge(projection: Projection) -> None:
    lat, lon = projection.centre
    point = projection.edge_point(lat - 5, lon, INSET)
    assert point.bearing_deg == pytest.approx(180, abs=1e-6)
    assert point.x == pytest.approx(projection.width / 2)
    assert point.y == pytest.approx(projection.height - INSET)
    assert point.distance_km == pytest.approx(5 * math.pi * EARTH_RADIUS_M / 180 / 1000)


def test_place_due_north_is_on_the_top_edge(projection: Projection) -> None:
    lat, lon = projection.centre
    point = projection.edge_point(lat + 5, lon, INSET)
    assert point.bearing_deg == pytest.approx(0, abs=1e-6)
    assert (point.x, point.y) == pytest.approx((projection.width / 2, INSET))


def test_place_to_the_east_is_on_the_right_edge(projection: Projection) -> None:
    lat, lon = projection.centre
    point = projection.edge_point(lat, lon + 3, INSET)
    assert 80 < point.bearing_deg < 90  # a great circle heads a little north of east
    assert point.x == pytest.approx(projection.width - INSET)
    assert INSET < point.y < projection.height / 2


def test_moscow_from_petrograd(projection: Projection) -> None:
    point = projection.edge_point(*MOSCOW, INSET)
    assert 130 < point.bearing_deg < 140  # south-east
    assert 620 < point.distance_km < 640
    # South-east: on the bottom edge, right of the middle (the map is wider than it is tall).
    assert point.y == pytest.approx(projection.height - INSET)
    assert projection.width / 2 < point.x < projection.width - INSET


def _on_inset_border(projection: Projection, x: float, y: float) -> float:
    return min(x - INSET, projection.width - INSET - x, y - INSET, projection.height - INSET - y)


@pytest.mark.parametrize("lat", [-60.0, -10.0, 30.0, 59.0, 59.95, 61.0, 80.0])
@pytest.mark.parametrize("lon", [-170.0, -60.0, 0.0, 25.0, 30.315, 35.0, 120.0])
def test_edge_point_is_on_the_inset_border(projection: Projection, lat: float, lon: float) -> None:
    point = projection.edge_point(lat, lon, INSET)
    assert 0 <= point.x <= projection.width
    assert 0 <= point.y <= projection.height
    assert _on_inset_border(projection, point.x, point.y) == pytest.approx(0, abs=1e-6)
    assert 0 <= point.bearing_deg < 360


def test_inset_larger_than_the_map_keeps_the_point_inside(projection: Projection) -> None:
    point = projection.edge_point(*MOSCOW, 1e9)
    assert (point.x, point.y) == pytest.approx((projection.width / 2, projection.height / 2))


def test_distance_spot_checks() -> None:
    one_degree = math.pi * EARTH_RADIUS_M / 180  # 111.195 km
    assert distance_m(59.94, 30.315, 59.94, 30.315) == 0
    assert distance_m(0, 0, 1, 0) == pytest.approx(one_degree)
    assert distance_m(0, 0, 0, 1) == pytest.approx(one_degree)
    assert distance_m(60, 30, 60, 31) == pytest.approx(one_degree / 2, rel=1e-3)  # cos 60 = 1/2
    assert distance_m(0, 0, 0, 180) == pytest.approx(math.pi * EARTH_RADIUS_M)
    assert distance_m(90, 0, -90, 0) == pytest.approx(math.pi * EARTH_RADIUS_M)
    # Znamenskaya Square to the Tauride Palace: 1890 m north and 701 m east on a flat map.
    assert distance_m(59.9311, 30.3615, 59.9481, 30.3741) == pytest.approx(2016, abs=2)


@pytest.mark.parametrize(
    ("to", "bearing"),
    [((1, 0), 0), ((0, 1), 90), ((-1, 0), 180), ((0, -1), 270), ((1, 1), 45)],
)
def test_initial_bearing_at_the_equator(to: tuple[float, float], bearing: float) -> None:
    assert initial_bearing(0, 0, *to) == pytest.approx(bearing, abs=0.01)


def test_initial_bearing_is_a_great_circle() -> None:
    # Due "east" at 60 N, the great circle sets off north of east and returns south of west.
    east = initial_bearing(60, 30, 60, 40)
    assert 80 < east < 90
    assert initial_bearing(60, 40, 60, 30) == pytest.approx(360 - east)


@pytest.mark.parametrize("lat, lon", [(59.9311, 30.3615), (59.875, 30.17), (60.0, 30.45)])
def test_coefficients_give_the_same_points_as_project(
    projection: Projection, lat: float, lon: float
) -> None:
    # The GeoJSON reader inlines the projection through these for speed.
    west, kx, north, ky = projection.coefficients
    assert ((lon - west) * kx, (north - lat) * ky) == pytest.approx(projection.project(lat, lon))
