"""Base maps from OpenStreetMap: `kiosk map build` and `kiosk new --osm`.

An extract (`.osm.pbf` or `.osm` XML) is read with pyosmium (`osm`), its water, waterways,
streets, railways and parks clipped to the bundle's bounds and simplified for its zoom range with
shapely (`layers`), and written into the bundle's map/ folder as GeoJSON with the map section of
bundle.yaml and the ODbL licence file (`install`). Qt-free, like the content layer: it runs
wherever `kiosk validate` runs.
"""

from __future__ import annotations

from importlib.util import find_spec

LIBRARIES = ("osmium", "shapely", "numpy")


class MapBuildError(Exception):
    """The map cannot be built; the message says why in one line a curator can act on."""


def require_libraries() -> None:
    """MapBuildError unless pyosmium and shapely can be imported. The packaged kiosk leaves them
    out (kiosk.spec: with numpy they would nearly double its size), so its `kiosk-debug` says so
    instead of failing with a traceback."""
    missing = [name for name in LIBRARIES if find_spec(name) is None]
    if missing:
        raise MapBuildError(
            f"building a map needs {', '.join(missing)}, which this installation lacks (the "
            "packaged kiosk leaves them out); run the command from a Python install of the "
            "kiosk (make run sets one up in .venv): python -m kiosk map build ..."
        )
