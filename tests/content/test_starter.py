"""`python -m kiosk new`: a starter bundle that is valid with no warnings, names its schemas,
and refuses to overwrite anything."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from kiosk.cli import main
from kiosk.content import validate_bundle
from kiosk.content.schema import kind_of, schema_for
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
