"""`python -m kiosk new`: a starter bundle that is valid with no warnings, names its schemas,
and refuses to overwrite anything."""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from kiosk.cli import main
from kiosk.content import validate_bundle
from kiosk.content.schema import FILE_KINDS, kind_of, schema_for
from kiosk.content.starter import create_starter
from tests.content.test_schema import as_editor_sees_it


@pytest.fixture
def starter(tmp_path: Path) -> Path:
    folder = tmp_path / "harbour-1850"
    create_starter(folder)
    return folder


def test_starter_is_valid_without_a_single_warning(starter: Path) -> None:
    bundle, problems = validate_bundle(starter)
    assert problems == []
    assert bundle is not None
    assert bundle.manifest.id == "harbour-1850"
    assert len(bundle.events) >= 3 and bundle.quotes and bundle.places and bundle.layers
    assert len(bundle.manifest.languages) >= 2  # so translations are shown, not just described


def test_every_yaml_file_names_its_schema_on_the_first_line_and_satisfies_it(
    starter: Path,
) -> None:
    files = sorted(starter.rglob("*.yaml"))
    assert len(files) >= 7
    for path in files:
        relative = path.relative_to(starter).as_posix()
        kind = kind_of(relative)
        assert kind is not None, relative
        text = path.read_text(encoding="utf-8")
        assert text.splitlines()[0] == kind.comment_for(relative)
        # The comment resolves: the schema it names is there, and is the current one.
        target = (path.parent / text.splitlines()[0].split("$schema=")[1]).resolve()
        assert target.is_file(), relative
        assert yaml.safe_load(target.read_text(encoding="utf-8")) == schema_for(kind)
        data = as_editor_sees_it(yaml.safe_load(text))
        assert list(jsonschema.Draft7Validator(schema_for(kind)).iter_errors(data)) == []


@pytest.mark.parametrize("name", ["bundle.yaml", "places.yaml", "events/press-conference.yaml"])
def test_files_are_commented_field_by_field(starter: Path, name: str) -> None:
    lines = (starter / name).read_text(encoding="utf-8").splitlines()
    fields = [i for i, line in enumerate(lines) if line and line[0] not in " #"]
    assert fields
    for i in fields:
        # A note on the field's own line, or a comment line just above it.
        if name.startswith("places") and not lines[i].startswith(("  ", "#")):
            continue  # place ids: the file's header explains them
        assert " #" in lines[i] or lines[i - 1].startswith("#"), lines[i]
    assert "{{" not in "\n".join(lines)


def test_new_refuses_a_folder_that_is_not_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "exhibit"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["new", str(folder)]) == 2
    assert "is not empty" in capsys.readouterr().err
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_new_refuses_a_folder_name_that_cannot_be_an_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", str(tmp_path / "My Exhibit")]) == 2
    assert "must be lower-case letters, digits and hyphens" in capsys.readouterr().err
    assert not (tmp_path / "My Exhibit").exists()


def test_new_then_validate_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "my-exhibit"
    assert main(["new", str(folder)]) == 0
    assert f"python -m kiosk preview {folder}" in capsys.readouterr().out
    assert main(["validate", str(folder)]) == 0
    assert capsys.readouterr().out.endswith("; 0 errors, 0 warnings\n")


def test_the_editor_settings_read_yaml_as_the_kiosk_does_and_name_every_schema(
    starter: Path,
) -> None:
    settings = json.loads((starter / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    # The YAML extension reads YAML 1.2 unless told: `time: 17:00` would be text there and
    # `title: no` too, while the kiosk (YAML 1.1) reads a number and false.
    assert settings["yaml.yamlVersion"] == "1.1"
    mapping = settings["yaml.schemas"]
    assert len(mapping) == len(FILE_KINDS)
    files = [p.relative_to(starter).as_posix() for p in starter.rglob("*.yaml")]
    for schema, globs in mapping.items():
        assert (starter / schema).resolve().is_file(), schema
        kind = next(k for k in FILE_KINDS if schema.endswith("/" + k.schema_file))
        assert all(g.startswith("/") for g in globs)  # from the bundle folder opened
        matched = [f for f in files if any(fnmatch.fnmatchcase(f, g[1:]) for g in globs)]
        assert matched == [f for f in files if kind_of(f) is kind], schema
    assert settings["[yaml]"]["editor.insertSpaces"] is True
    # Hidden from the kiosk: the bundle is as valid with the settings as without.
    assert validate_bundle(starter)[1] == []


def test_with_yaml_1_1_the_schema_catches_what_validate_catches(starter: Path) -> None:
    # PyYAML reads YAML 1.1, as the settings make the editor read it: the two classic slips
    # then break the event schema, so the editor underlines them.
    event = next(k for k in FILE_KINDS if k.name == "event")
    text = (starter / "events" / "brandenburg-gate.yaml").read_text(encoding="utf-8")
    good = as_editor_sees_it(yaml.safe_load(text))
    validator = jsonschema.Draft7Validator(schema_for(event))
    assert list(validator.iter_errors(good)) == []
    for slip in ({"time": yaml.safe_load("t: 17:00")["t"]}, {"title": {"en": False}}):
        assert list(validator.iter_errors({**good, **slip})), slip


def test_schema_command_writes_the_editor_settings_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    assert main(["schema", "--out", str(bundle / "schema"), "--editor-settings", str(bundle)]) == 0
    settings = bundle / ".vscode" / "settings.json"
    assert json.loads(settings.read_text(encoding="utf-8"))["yaml.yamlVersion"] == "1.1"
    settings.write_text('{"editor.fontSize": 18}\n', encoding="utf-8")
    capsys.readouterr()
    assert main(["schema", "--out", str(bundle / "schema"), "--editor-settings", str(bundle)]) == 0
    assert "exists already" in capsys.readouterr().out
    assert settings.read_text(encoding="utf-8") == '{"editor.fontSize": 18}\n'


def test_a_file_of_entries_emptied_to_its_comments_means_no_entries(starter: Path) -> None:
    # A curator removes the starter's quotation: its file keeps the schema line and comments.
    quotes = starter / "quotes.yaml"
    comments = [line for line in quotes.read_text(encoding="utf-8").splitlines() if line[:1] == "#"]
    quotes.write_text("\n".join(comments) + "\n", encoding="utf-8")
    (starter / "people.yaml").write_text("# nobody yet\n", encoding="utf-8")
    _bundle, problems = validate_bundle(starter)
    messages = [str(p) for p in problems if p.severity.value == "error"]
    # Only the event that still names the quotation and its speaker is wrong, where it does.
    assert messages == [
        "events/press-conference.yaml:26:10: error: there is no quotation"
        " 'schabowski-immediately' in quotes.yaml",
        "events/press-conference.yaml:27:10: error: there is no person 'schabowski' in people.yaml",
    ]
