"""people.yaml and labels.yaml: optional files, read, cross-checked and reported like the others.

Each test starts from the valid fixture bundle of conftest.py, adds the new files, and changes one
spot, asserting the exact line a curator would read.
"""

from __future__ import annotations

import pytest

from kiosk.content import validate_bundle
from kiosk.content.model import MapLabel
from tests.content.conftest import BundleFiles

PEOPLE_YAML = """\
    kirpichnikov:
      name: {en: "Timofei Kirpichnikov", ru: "Тимофей Кирпичников"}
      short_name: {en: "Kirpichnikov", ru: "Кирпичников"}
      born: 1892
      role: {en: "NCO of the Volynsky Regiment", ru: "Унтер-офицер Волынского полка"}
      entry:
        en: "A senior NCO who led the training detachment's refusal."
        ru: "Старший унтер-офицер, поднявший учебную команду."
      sources: ["Recollections"]
    khabalov:
      name: {en: "Sergei Khabalov", ru: "Сергей Хабалов"}
      born: 1858
      died: 1924
      entry: {en: "Commander of the district.", ru: "Командующий округом."}
"""

LABELS_YAML = """\
    neva:
      kind: river
      name: {en: "Neva", ru: "Нева"}
      line: [[59.94, 30.30], [59.95, 30.33]]
      priority: 10
    vyborg-side:
      kind: district
      name: {en: "Vyborg Side", ru: "Выборгская сторона"}
      lat: 59.965
      lon: 30.34
      min_zoom: 1.5
"""

MUTINY = "events/volynsky-mutiny.yaml"
QUOTES = "quotes.yaml"
PACT_SOURCE = '  source: {en: "Recollections", ru: "Воспоминания"}\n  date: 1917-02-27'


def problems_of(bundle: BundleFiles) -> list[str]:
    _, problems = validate_bundle(bundle.root)
    return [str(p) for p in problems]


@pytest.fixture
def full(bundle: BundleFiles) -> BundleFiles:
    """The fixture bundle with people.yaml, labels.yaml and references to people."""
    bundle.write("people.yaml", PEOPLE_YAML)
    bundle.write("labels.yaml", LABELS_YAML)
    bundle.replace(
        MUTINY, "quotes: [kirpichnikov-pact]", "quotes: [kirpichnikov-pact]\npeople: [kirpichnikov]"
    )
    bundle.replace(
        QUOTES, PACT_SOURCE, PACT_SOURCE + "\n  person: kirpichnikov\n  place: volynsky-barracks"
    )
    return bundle


def test_people_and_labels_are_optional(bundle: BundleFiles) -> None:
    result, problems = validate_bundle(bundle.root)
    assert problems == []
    assert result is not None
    assert (result.people, result.labels) == ({}, {})


def test_people_and_labels_are_read(full: BundleFiles) -> None:
    result, problems = validate_bundle(full.root)
    assert problems == []
    assert result is not None
    assert list(result.people) == ["kirpichnikov", "khabalov"]
    kirpichnikov = result.people["kirpichnikov"]
    assert (kirpichnikov.born, kirpichnikov.died) == (1892, None)
    assert kirpichnikov.short_name["ru"] == "Кирпичников"
    assert result.event("volynsky-mutiny").people == ["kirpichnikov"]
    pact = result.quotes["kirpichnikov-pact"]
    assert (pact.person, pact.place) == ("kirpichnikov", "volynsky-barracks")
    assert list(result.labels) == ["neva", "vyborg-side"]
    neva, vyborg = result.labels["neva"], result.labels["vyborg-side"]
    assert neva.points == [(59.94, 30.30), (59.95, 30.33)]
    assert (neva.priority, neva.min_zoom) == (10, 1.0)
    assert vyborg.points == [(59.965, 30.34)]
    assert (vyborg.kind, vyborg.min_zoom) == ("district", 1.5)


def test_unknown_person_in_an_event_suggests_the_closest(full: BundleFiles) -> None:
    full.replace(MUTINY, "people: [kirpichnikov]", "people: [kirpichnikow]")
    assert problems_of(full) == [
        f"{MUTINY}:12:10: error: there is no person 'kirpichnikow' in people.yaml"
        " - did you mean 'kirpichnikov'?"
    ]


def test_person_named_without_people_yaml_is_an_error(bundle: BundleFiles) -> None:
    bundle.replace(
        MUTINY, "quotes: [kirpichnikov-pact]", "quotes: [kirpichnikov-pact]\npeople: [khabalov]"
    )
    assert problems_of(bundle) == [
        f"{MUTINY}:12:10: error: there is no person 'khabalov' in people.yaml"
    ]


def test_unknown_person_and_place_of_a_quotation(full: BundleFiles) -> None:
    full.replace(QUOTES, "person: kirpichnikov", "person: kirpichnikof")
    full.replace(QUOTES, "place: volynsky-barracks", "place: volynsky")
    assert problems_of(full) == [
        "quotes.yaml:14:11: error: there is no person 'kirpichnikof' in people.yaml"
        " - did you mean 'kirpichnikov'?",
        "quotes.yaml:15:10: error: there is no place 'volynsky' in places.yaml"
        " - did you mean 'volynsky-barracks'?",
    ]


def test_an_invalid_event_still_has_its_people_checked(full: BundleFiles) -> None:
    full.replace(MUTINY, "people: [kirpichnikov]", "people: [nobody]\ntitel: x")
    assert problems_of(full) == [
        f"{MUTINY}:12:10: error: there is no person 'nobody' in people.yaml",
        f"{MUTINY}:13:1: error: unknown field 'titel' - did you mean 'title'?",
    ]


def test_person_mistakes(full: BundleFiles) -> None:
    full.replace("people.yaml", "  died: 1924", "  died: 1824")
    full.replace("people.yaml", "  born: 1892\n", "  born: 1892\n  borm: 1892\n")
    assert problems_of(full) == [
        "people.yaml:5:3: error: unknown field 'borm' - did you mean 'born'?",
        "people.yaml:14:9: error: died (1824) is before born (1858)",
    ]


def test_person_without_a_translation_is_a_warning(full: BundleFiles) -> None:
    full.replace("people.yaml", 'ru: "Командующий округом."', "")
    full.replace("people.yaml", '"Commander of the district.", ', '"Commander of the district."')
    assert problems_of(full) == [
        "people.yaml:14:10: warning: 'khabalov.entry' has no 'ru' translation;"
        " visitors will see the 'en' text instead"
    ]


def test_label_needs_exactly_one_position(full: BundleFiles) -> None:
    full.replace("labels.yaml", "  lat: 59.965\n  lon: 30.34\n", "")
    full.replace("labels.yaml", "  priority: 10\n", "  priority: 10\n  lat: 59.94\n  lon: 30.3\n")
    problems = problems_of(full)
    assert len(problems) == 2
    assert all("give a label either lat and lon" in p for p in problems)
    assert [p.split(" ")[0] for p in problems] == ["labels.yaml:2:3:", "labels.yaml:9:3:"]


def test_label_with_lat_only(full: BundleFiles) -> None:
    full.replace("labels.yaml", "  lon: 30.34\n", "")
    [problem] = problems_of(full)
    assert problem.endswith("error: a label at a point needs both lat and lon")


def test_label_outside_the_map(full: BundleFiles) -> None:
    full.replace("labels.yaml", "[59.95, 30.33]", "[59.95, 31.33]")
    full.replace("labels.yaml", "lat: 59.965", "lat: 58.965")
    assert problems_of(full) == [
        "labels.yaml:4:26: error: 'neva' (59.95, 31.33) is outside the map (59.9-60.0 N, "
        "30.2-30.4 E); a label is written where it is, so it must lie on the map",
        "labels.yaml:9:8: error: 'vyborg-side' (58.965, 30.34) is outside the map (59.9-60.0 N, "
        "30.2-30.4 E); a label is written where it is, so it must lie on the map",
    ]


def test_label_kind_and_zoom_mistakes(full: BundleFiles) -> None:
    full.replace("labels.yaml", "kind: river", "kind: rivers")
    full.replace("labels.yaml", "min_zoom: 1.5", "min_zoom: 12")
    problems = problems_of(full)
    assert problems[0].startswith("labels.yaml:2:9: error: 'rivers' is not allowed here; expected")
    assert problems[1] == (
        "labels.yaml:11:13: warning: min_zoom 12.0 is beyond the map's max_zoom (8.0); "
        "this label is never shown"
    )
    assert len(problems) == 2


def test_label_line_needs_two_points() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        MapLabel.model_validate({"kind": "canal", "name": {"en": "x"}, "line": [[59.9, 30.3]]})
