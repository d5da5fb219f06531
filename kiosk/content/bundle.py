"""The assembled bundle: manifest, places, quotations, events and map geometry, cross-checked.

This is the only thing the UI reads; it is built by `kiosk.content.loader.load_bundle` and never
changes afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.content.geojson import LayerGeometry
from kiosk.content.model import Event, Manifest, Place, Quote
from kiosk.content.projection import Projection


@dataclass(frozen=True)
class Bundle:
    """A whole bundle, validated: its files' contents plus the projected map layers."""

    root: Path
    manifest: Manifest
    places: dict[str, Place]
    quotes: dict[str, Quote]
    events: tuple[Event, ...]  # in time order
    layers: tuple[LayerGeometry, ...]  # in drawing order, bottom first

    @property
    def default_language(self) -> str:
        return self.manifest.languages[0]

    @property
    def projection(self) -> Projection:
        return Projection(self.manifest.map.bounds)

    def event(self, event_id: str) -> Event:
        for event in self.events:
            if event.id == event_id:
                return event
        raise KeyError(event_id)

    def index_of(self, event_id: str) -> int:
        return next(i for i, event in enumerate(self.events) if event.id == event_id)
