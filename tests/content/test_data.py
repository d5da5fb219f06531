"""The plain classes the kiosk reads (kiosk.content.data) against the pydantic models that
validate (kiosk.content.model): the same fields and defaults, and a validated bundle holds
exactly what its files validate to."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from kiosk.content import data, load_bundle, model
from kiosk.paths import default_bundle

ROOT = Path(__file__).resolve().parents[2]


def _models() -> list[type[BaseModel]]:
    return [
        value
        for value in vars(model).values()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == model.__name__
        and not value.__name__.startswith("_")
    ]


def test_every_model_has_a_plain_class_with_its_fields_and_defaults() -> None:
    names = {cls.__name__ for cls in _models()}
    assert names == set(data.PLAIN_CLASSES)
    for cls in _models():
        plain = data.PLAIN_CLASSES[cls.__name__]
        fields = {f.name: f for f in dataclasses.fields(plain)}
        assert list(fields) == list(cls.model_fields), cls.__name__
        for name, info in cls.model_fields.items():
            found = fields[name]
            if info.is_required():
                assert found.default is dataclasses.MISSING, f"{cls.__name__}.{name}"
                assert found.default_factory is dataclasses.MISSING, f"{cls.__name__}.{name}"
                continue
            default = (
                found.default_factory()
                if found.default_factory is not dataclasses.MISSING
                else found.default
            )
            assert default == info.get_default(call_default_factory=True), f"{cls}.{name}"


def _dump(value: Any) -> Any:
    """A validated model or a plain object as nested plain values, to compare the two."""
    if isinstance(value, BaseModel):
        return {name: _dump(getattr(value, name)) for name in type(value).model_fields}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_dump(item) for item in value]
    if isinstance(value, dict):
        return {key: _dump(item) for key, item in value.items()}
    return value


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_a_loaded_bundle_holds_what_its_files_validate_to() -> None:
    root = default_bundle()
    bundle = load_bundle(root)
    manifest = model.Manifest.model_validate(_read(root / "bundle.yaml"))
    assert type(bundle.manifest) is data.Manifest
    assert _dump(bundle.manifest) == _dump(manifest)
    for file, entries, cls in (
        ("places.yaml", bundle.places, model.Place),
        ("quotes.yaml", bundle.quotes, model.Quote),
        ("people.yaml", bundle.people, model.Person),
        ("labels.yaml", bundle.labels, model.MapLabel),
        ("glossary.yaml", bundle.glossary, model.GlossaryTerm),
    ):
        validated = {key: cls.model_validate(value) for key, value in _read(root / file).items()}
        assert entries, file
        assert _dump(entries) == _dump(validated), file
    for event in bundle.events:
        validated_event = model.Event.model_validate(_read(root / "events" / f"{event.id}.yaml"))
        assert type(event) is data.Event
        assert _dump(event) == _dump(validated_event), event.id


def test_nested_models_become_their_plain_classes() -> None:
    event = model.Event.model_validate(
        {
            "id": "a",
            "date": "1917-03-08",
            "place": "p",
            "category": "c",
            "title": {"en": "t"},
            "summary": {"en": "s"},
            "body": {"en": "b"},
            "media": [{"file": "m.jpg", "caption": {"en": "c"}, "credit": "x"}],
            "audio": {"en": "a.mp3", "ru": {"file": "r.mp3", "transcript": "words"}},
        }
    )
    plain = data.from_model(event, data.Event)
    assert type(plain.media[0]) is data.Media
    assert plain.audio == {"en": "a.mp3", "ru": data.Recording(file="r.mp3", transcript="words")}
    assert plain.recording("en") == data.Recording(file="a.mp3")
    assert plain.sort_key == (dt.date(1917, 3, 8), "99:99", "a")


def _models_in(value: Any) -> list[str]:
    """Where a pydantic model is left in `value` (a loaded bundle holds none)."""
    if isinstance(value, BaseModel):
        return [type(value).__name__]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [
            found for f in dataclasses.fields(value) for found in _models_in(getattr(value, f.name))
        ]
    if isinstance(value, list | tuple):
        return [found for item in value for found in _models_in(item)]
    if isinstance(value, dict):
        return [found for item in value.values() for found in _models_in(item)]
    return []


@pytest.mark.parametrize("root", [default_bundle(), ROOT / "tests" / "bundles" / "paris-1871"])
def test_a_loaded_bundle_holds_no_model_at_any_depth(root: Path) -> None:
    assert _models_in(load_bundle(root)) == []


def test_a_plans_points_become_plain() -> None:
    points = [{"pixel": [i, 2 * i], "lat": 48.8 + i / 100, "lon": 2.3} for i in range(3)]
    plan = data.from_model(
        model.Plan.model_validate({"file": "p.png", "points": points}), data.Plan
    )
    assert plan.points is not None and type(plan.points[0]) is data.ControlPoint
    assert plan.points[1].pixel == (1.0, 2.0)


def test_a_model_without_its_plain_twin_is_refused() -> None:
    class Stray(BaseModel):
        x: int = 1

    with pytest.raises(TypeError, match="no plain class"):
        data.from_model(Stray(), data.Bounds)
    bounds = model.Bounds(west=0, south=0, east=1, north=1)
    with pytest.raises(TypeError, match="not"):
        data.from_model(bounds, data.Place)


def test_the_plain_classes_need_no_pydantic() -> None:
    source = Path(data.__file__).read_text(encoding="utf-8")
    imports = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert not [line for line in imports if "pydantic" in line]
