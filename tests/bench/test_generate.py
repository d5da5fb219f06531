"""The synthetic bundle generator: valid by construction, deterministic, and as described."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.bench.__main__ import main
from kiosk.bench.generate import generate
from kiosk.content import load_bundle, validate_bundle
from kiosk.paths import default_bundle


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("events", [100, pytest.param(1000, marks=pytest.mark.slow)])
def test_generated_bundle_validates_without_any_problem(tmp_path: Path, events: int) -> None:
    folder = generate(events, tmp_path / f"gen-{events}")
    bundle, problems = validate_bundle(folder)
    assert problems == []
    assert bundle is not None
    assert len(bundle.events) == events
    # Everything the format offers is used: quotations, people, times, off-map places, all
    # the base's languages and categories.
    base = load_bundle(default_bundle())
    assert bundle.manifest.languages == base.manifest.languages
    assert {e.category for e in bundle.events} == set(base.manifest.categories)
    assert any(e.quotes for e in bundle.events)
    assert any(e.people for e in bundle.events)
    assert any(e.time for e in bundle.events)
    assert len(bundle.quotes) > len(base.quotes)
    assert len(bundle.people) > len(base.people)
    assert len(bundle.places) > len(base.places)
    for event in bundle.events:
        assert set(event.title) == set(base.manifest.languages)
        assert bundle.manifest.dates.contains(event.date)
    # The map is the real one, just as heavy.
    assert [layer.file for layer in bundle.manifest.map.layers] == [
        layer.file for layer in base.manifest.map.layers
    ]
    for layer in base.manifest.map.layers:
        assert (folder / layer.file).read_bytes() == (base.root / layer.file).read_bytes()
    assert (folder / "map" / "LICENSE.md").is_file()
    assert bundle.manifest.map.attribution == base.manifest.map.attribution


def test_events_spread_over_the_map(tmp_path: Path) -> None:
    bundle = load_bundle(generate(400, tmp_path / "spread"))
    bounds = bundle.manifest.map.bounds
    mid_lat, mid_lon = (bounds.south + bounds.north) / 2, (bounds.west + bounds.east) / 2
    quarters = set()
    for event in bundle.events:
        place = bundle.places[event.place]
        if not place.off_map:
            quarters.add((place.lat > mid_lat, place.lon > mid_lon))
    assert quarters == {(a, b) for a in (False, True) for b in (False, True)}


def test_same_seed_same_bundle_other_seed_other_bundle(tmp_path: Path) -> None:
    # The same folder name in three places: the bundle's id is its folder's name.
    first = _files(generate(50, tmp_path / "1" / "gen", seed=5))
    assert first == _files(generate(50, tmp_path / "2" / "gen", seed=5))
    assert first != _files(generate(50, tmp_path / "3" / "gen", seed=6))


def test_generated_text_is_marked_as_generated(tmp_path: Path) -> None:
    bundle = load_bundle(generate(20, tmp_path / "marked"))
    assert "(20 generated events)" in bundle.manifest.title["en"]
    assert bundle.event("event-00007").title["en"].endswith("(no. 7)")
    assert bundle.event("event-00007").title["ru"].endswith("(№ 7)")


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "30", str(tmp_path / "cli")]) == 0
    assert "30 events" in capsys.readouterr().out
    assert len(list((tmp_path / "cli" / "events").iterdir())) == 30
    # An existing folder is never overwritten.
    assert main(["generate", "30", str(tmp_path / "cli")]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["generate", "0", str(tmp_path / "none")]) == 1
