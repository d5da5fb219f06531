"""The editor schemas: generated from the model, with help for every field, draft-07, and in
agreement with the validator about shipped files and typical mistakes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from kiosk.cli import main
from kiosk.content.schema import (
    FIELD_HELP,
    FILE_KINDS,
    FileKind,
    all_models,
    kind_of,
    schema_for,
)

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [ROOT / "content" / "petrograd-1917", ROOT / "tests" / "corpus" / "_base"]


def as_editor_sees_it(value: Any) -> Any:
    """YAML data as an editor's YAML 1.2 reading gives it to a schema: dates are text."""
    if isinstance(value, dict):
        return {str(k): as_editor_sees_it(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editor_sees_it(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def validator(kind: FileKind) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(schema_for(kind))


def errors(kind_name: str, text: str) -> list[str]:
    kind = next(k for k in FILE_KINDS if k.name == kind_name)
    data = as_editor_sees_it(yaml.safe_load(text))
    return [e.message for e in validator(kind).iter_errors(data)]


def shipped_files() -> list[Path]:
    found = []
    for bundle in SHIPPED:
        found += [
            p for p in sorted(bundle.rglob("*.yaml")) if kind_of(p.relative_to(bundle).as_posix())
        ]
    return found


def test_every_field_has_help_and_no_help_is_stale() -> None:
    for model in all_models():
        help_texts = FIELD_HELP.get(model.__name__, {})
        missing = set(model.model_fields) - set(help_texts)
        assert not missing, f"{model.__name__}: add help for {sorted(missing)} to FIELD_HELP"
        assert not set(help_texts) - set(model.model_fields), f"{model.__name__}: stale help"
    assert set(FIELD_HELP) == {m.__name__ for m in all_models()}


@pytest.mark.parametrize("kind", FILE_KINDS, ids=[k.name for k in FILE_KINDS])
def test_schema_is_draft7_and_every_property_is_described(kind: FileKind) -> None:
    schema = schema_for(kind)
    jsonschema.Draft7Validator.check_schema(schema)
    for name, definition in schema["$defs"].items():
        for field, prop in definition.get("properties", {}).items():
            assert prop.get("description"), f"{kind.name}: {name}.{field} has no description"


@pytest.mark.parametrize(
    "path", shipped_files(), ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}/{p.name}"
)
def test_shipped_files_satisfy_their_schema(path: Path) -> None:
    bundle = next(b for b in SHIPPED if b in path.parents)
    kind = kind_of(path.relative_to(bundle).as_posix())
    assert kind is not None
    data = as_editor_sees_it(yaml.safe_load(path.read_text(encoding="utf-8")))
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in validator(kind).iter_errors(data)]
    assert problems == []


EVENT = """\
id: women-day-strike
date: 1917-02-23
time: "09:00"
place: znamenskaya-square
category: strike
title: {en: "Women's Day strike"}
summary: {en: "Textile workers walk out."}
body: {en: "Textile workers walked out."}
media:
  - file: media/banner.png
    caption: {en: "A banner"}
    credit: "Made for the tests"
"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("title:", "titel:", "Additional properties are not allowed ('titel' was unexpected)"),
        ('time: "09:00"', 'time: "9:00"', "'9:00' is not valid under any of the given schemas"),
        ("place: znamenskaya-square\n", "", "'place' is a required property"),
        ("title: {en:", "title: {english:", "'english' does not match any of the regexes"),
        ("file: media/banner.png", "file: ../banner.png", "'../banner.png' does not match"),
        ("file: media/banner.png", "file: /etc/passwd", "'/etc/passwd' does not match"),
        ("category: strike", "category: Strike", "'Strike' does not match"),
        ("date: 1917-02-23", "date: yes", "True is not of type 'string'"),
    ],
)
def test_typical_mistakes_are_underlined(old: str, new: str, expected: str) -> None:
    assert errors("event", EVENT) == []
    found = errors("event", EVENT.replace(old, new))
    assert any(message.startswith(expected) for message in found), found


def test_ids_of_an_entries_file_are_checked() -> None:
    places = 'Pskov Station:\n  name: {en: "Pskov"}\n  lat: 57.8\n  lon: 28.3\n'
    assert errors("places", places) == [
        "'Pskov Station' does not match any of the regexes: '^[a-z0-9]+(-[a-z0-9]+)*$'"
    ]


def test_map_label_line_is_a_list_of_lat_lon_pairs() -> None:
    good = "neva:\n  kind: river\n  name: {en: Neva}\n  line: [[59.95, 30.3], [59.94, 30.32]]\n"
    assert errors("labels", good) == []
    assert errors("labels", good.replace("[59.95, 30.3]", "[59.95, 30.3, 7]"))


def test_schema_command_writes_one_file_per_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", "--out", str(tmp_path / "schema")]) == 0
    written = sorted(p.name for p in (tmp_path / "schema").iterdir())
    assert written == sorted(k.schema_file for k in FILE_KINDS)
    event = json.loads((tmp_path / "schema" / "event.schema.json").read_text(encoding="utf-8"))
    assert event == schema_for(next(k for k in FILE_KINDS if k.name == "event"))
    assert capsys.readouterr().out.count("\n") == len(FILE_KINDS)


@pytest.mark.parametrize(
    ("path", "comment"),
    [
        ("bundle.yaml", "# yaml-language-server: $schema=schema/bundle.schema.json"),
        (
            "events/volynsky-mutiny.yaml",
            "# yaml-language-server: $schema=../schema/event.schema.json",
        ),
        ("events/x.yml", "# yaml-language-server: $schema=../schema/event.schema.json"),
        ("people.yaml", "# yaml-language-server: $schema=schema/people.schema.json"),
    ],
)
def test_first_line_comment_names_the_schema_relative_to_the_file(path: str, comment: str) -> None:
    kind = kind_of(path)
    assert kind is not None
    assert kind.comment_for(path) == comment


def test_files_that_are_no_kind() -> None:
    assert kind_of("map/water.geojson") is None
    assert kind_of("events/sub/x.yaml") is None


@pytest.mark.parametrize("bundle", SHIPPED[:1], ids=lambda p: p.name)
def test_shipped_bundle_names_its_current_schemas(bundle: Path) -> None:
    # Each file's first line points the curator's editor at the bundle's own schema/ folder,
    # and the schemas there are the current ones (regenerate: python -m kiosk schema --out
    # content/petrograd-1917/schema).
    for path in sorted(bundle.rglob("*.yaml")):
        relative = path.relative_to(bundle).as_posix()
        kind = kind_of(relative)
        assert kind is not None, relative
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first == kind.comment_for(relative), relative
    for kind in FILE_KINDS:
        written = json.loads((bundle / "schema" / kind.schema_file).read_text(encoding="utf-8"))
        assert written == schema_for(kind), (
            f"{kind.schema_file} is out of date: run "
            f".venv/bin/python -m kiosk schema --out {bundle.relative_to(ROOT)}/schema"
        )
