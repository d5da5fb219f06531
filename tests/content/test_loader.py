"""validate_bundle and load_bundle: the fixture bundle is valid; each mistake gives one problem.

Every test changes one spot of the valid bundle of conftest.py and asserts the exact line a
curator would read, `file:line:column: severity: message`.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kiosk.content import (
    Bundle,
    BundleInvalid,
    NotABundle,
    Severity,
    load_bundle,
    validate_bundle,
)
from kiosk.content.data import source_text
from kiosk.content.model import Place, Quote
from tests import images
from tests.content.conftest import BundleFiles

STRIKE = "events/women-day-strike.yaml"
BREAD_LANGUAGE = 'ru: "Хлеба!"}\n  original_language: ru'  # in quotes.yaml, lines 2-3
MUTINY = "events/volynsky-mutiny.yaml"
MEDIA = """\
quotes: [bread-banner]
media:
  - file: {file}
    caption: {{en: "Strikers", ru: "Бастующие"}}
    credit: "Public domain"
    alt: {{en: "Women with a banner", ru: "Женщины с транспарантом"}}
"""


def problems_of(bundle: BundleFiles) -> list[str]:
    """Every problem of the bundle, as the validate command prints it."""
    _, problems = validate_bundle(bundle.root)
    return [str(p) for p in problems]


def add_media(bundle: BundleFiles, file: str) -> None:
    bundle.replace(STRIKE, "quotes: [bread-banner]\n", MEDIA.format(file=file))


# --- the valid bundle ---------------------------------------------------------------------


def test_fixture_bundle_is_valid(bundle: BundleFiles) -> None:
    result, problems = validate_bundle(bundle.root)
    assert problems == []
    assert isinstance(result, Bundle)
    assert result.root == bundle.root
    assert result.manifest.id == "test-bundle"
    assert result.manifest.calendar == "julian"
    assert result.manifest.languages == ["en", "ru"]
    assert result.default_language == "en"
    assert list(result.manifest.categories) == ["strike", "mutiny"]
    assert result.manifest.categories["strike"].shape == "circle"  # the default
    assert list(result.places) == ["znamenskaya-square", "volynsky-barracks", "pskov-station"]
    assert result.places["pskov-station"].off_map
    assert list(result.quotes) == ["bread-banner", "kirpichnikov-pact"]
    assert result.quotes["kirpichnikov-pact"].date == dt.date(1917, 2, 27)
    # Events in time order, whatever the order of their files.
    assert [e.id for e in result.events] == ["women-day-strike", "volynsky-mutiny", "abdication"]
    mutiny = result.event("volynsky-mutiny")
    assert (mutiny.time, mutiny.time_end, mutiny.time_approximate) == ("05:00", "07:00", True)
    assert result.index_of("abdication") == 2
    strike = result.event("women-day-strike")
    assert strike.body["en"] == "Textile workers walked out.\n\nBy evening the strike had spread.\n"
    with pytest.raises(KeyError):
        result.event("no-such-event")
    # The one map layer: the pond and the canal; the point is ignored.
    [layer] = result.layers
    assert layer.layer_id == "water"
    assert (len(layer.polygons), len(layer.lines)) == (1, 1)


def test_load_bundle_returns_the_bundle(bundle: BundleFiles) -> None:
    assert [e.id for e in load_bundle(bundle.root).events] == [
        "women-day-strike",
        "volynsky-mutiny",
        "abdication",
    ]


def test_load_bundle_raises_with_every_problem(bundle: BundleFiles) -> None:
    bundle.replace(STRIKE, "category: strike", "category: strikes")
    bundle.replace(MUTINY, "place: volynsky-barracks", "place: volynsky")
    bundle.replace("places.yaml", "lon: 30.3614\n", "lon: 30.3614\n  off_map: true\n")
    with pytest.raises(BundleInvalid) as caught:
        load_bundle(bundle.root)
    assert str(caught.value) == "the bundle has 2 error(s)"
    assert [(p.file, p.severity) for p in caught.value.problems] == [
        (MUTINY, Severity.ERROR),
        (STRIKE, Severity.ERROR),
        ("places.yaml", Severity.WARNING),  # warnings are carried too
    ]


# --- not a bundle at all ------------------------------------------------------------------


def test_folder_without_bundle_yaml_is_not_a_bundle(bundle: BundleFiles) -> None:
    bundle.path("bundle.yaml").unlink()
    with pytest.raises(NotABundle, match=r"has no bundle\.yaml; is it a content bundle\?"):
        validate_bundle(bundle.root)


def test_bundle_yml_is_named(bundle: BundleFiles) -> None:
    bundle.path("bundle.yaml").rename(bundle.path("bundle.yml"))
    with pytest.raises(NotABundle, match=r"has bundle\.yml; rename it to bundle\.yaml"):
        validate_bundle(bundle.root)


def test_missing_folder_is_not_a_bundle(tmp_path: Path) -> None:
    with pytest.raises(NotABundle, match="is not a folder"):
        validate_bundle(tmp_path / "absent")
    with pytest.raises(NotABundle, match="is not a folder"):
        load_bundle(tmp_path / "absent")


def test_a_file_is_not_a_bundle(bundle: BundleFiles) -> None:
    with pytest.raises(NotABundle, match="is not a folder"):
        validate_bundle(bundle.path("bundle.yaml"))


# --- field mistakes -----------------------------------------------------------------------


def test_misspelt_field_suggests_the_right_one(bundle: BundleFiles) -> None:
    bundle.replace(STRIKE, "title:", "titel:")
    # Only the misspelling is reported: "title is missing" would say the same thing twice.
    assert problems_of(bundle) == [
        f"{STRIKE}:5:1: error: unknown field 'titel' - did you mean 'title'?"
    ]


def test_unknown_field_lists_the_fields_when_nothing_is_close(bundle: BundleFiles) -> None:
    bundle.replace("places.yaml", "  lon: 30.3615\n", "  lon: 30.3615\n  colour: red\n")
    fields = ", ".join(Place.model_fields)  # name, lat, lon, off_map, ...
    assert problems_of(bundle) == [
        f"places.yaml:5:3: error: unknown field 'colour' (the fields here are: {fields})"
    ]


def test_missing_required_field(bundle: BundleFiles) -> None:
    bundle.replace(
        STRIKE, 'summary: {en: "Textile workers walk out.", ru: "Работницы бросают работу."}\n', ""
    )
    assert problems_of(bundle) == [f"{STRIKE}:1:1: error: the required field 'summary' is missing"]


def test_missing_required_field_in_a_nested_mapping(bundle: BundleFiles) -> None:
    bundle.replace("bundle.yaml", '    colour: "#e69f00"\n', "")
    assert problems_of(bundle) == [
        "bundle.yaml:18:5: error: the required field 'colour' is missing"
    ]


def test_wrong_type_is_reported_once(bundle: BundleFiles) -> None:
    bundle.replace("places.yaml", "lat: 59.9311", "lat: north")
    # The place still exists: the event naming it is not told "there is no place".
    assert problems_of(bundle) == ["places.yaml:3:8: error: expected a number here, not 'north'"]


def test_broken_quotation_is_not_reported_again_by_its_event(bundle: BundleFiles) -> None:
    bundle.replace(
        "quotes.yaml",
        BREAD_LANGUAGE,
        BREAD_LANGUAGE.replace(": ru", ": Russian"),
    )
    assert problems_of(bundle) == [
        "quotes.yaml:3:22: error: 'Russian' is not a language code such as 'en' or 'ru'"
    ]


def test_unreadable_places_file_is_reported_once(bundle: BundleFiles) -> None:
    bundle.write("places.yaml", "- znamenskaya-square\n- volynsky-barracks\n")
    assert problems_of(bundle) == [
        "places.yaml:1:1: error: this file must map ids to entries (id: fields)"
    ]


def test_entry_that_is_not_a_mapping(bundle: BundleFiles) -> None:
    bundle.write(STRIKE, "- id: women-day-strike\n")
    assert problems_of(bundle) == [
        f"{STRIKE}:1:1: error: expected fields (name: value) here, not a list"
    ]


def test_text_instead_of_translations(bundle: BundleFiles) -> None:
    bundle.replace(
        STRIKE,
        'title: {en: "Women\'s Day strike", ru: "Забастовка в Женский день"}',
        'title: "Strike"',
    )
    assert problems_of(bundle) == [
        f"{STRIKE}:5:8: error: expected translations such as {{en: ..., ru: ...}}, not 'Strike'"
    ]


def test_empty_text(bundle: BundleFiles) -> None:
    bundle.replace(STRIKE, 'ru: "Забастовка в Женский день"', 'ru: ""')
    assert problems_of(bundle) == [f"{STRIKE}:5:39: error: this text is empty"]


@pytest.mark.parametrize(
    ("word", "value"), [("no", "false"), ("yes", "true"), ("off", "false"), ("on", "true")]
)
def test_unquoted_yes_no_word_is_explained(bundle: BundleFiles, word: str, value: str) -> None:
    bundle.replace(STRIKE, 'ru: "Работницы бросают работу."', f"ru: {word}")
    assert problems_of(bundle) == [
        f"{STRIKE}:6:48: error: YAML read this unquoted word as the yes/no value {value} "
        f'(it does that to yes, no, on, off, true and false); put the text in quotes: "{word}"'
    ]


@pytest.mark.parametrize(
    ("field", "written", "number"), [("time", "6:00", 360), ("time_end", "18:30", 1110)]
)
def test_unquoted_time_is_explained(
    bundle: BundleFiles, field: str, written: str, number: int
) -> None:
    bundle.replace(MUTINY, f'{field}: "0', f'{field}: {written}  # was: "0')
    line = 3 if field == "time" else 4
    column = len(field) + 3
    assert problems_of(bundle) == [
        f"{MUTINY}:{line}:{column}: error: YAML read this unquoted time as the number {number} "
        '(it counts 6:00 as 360 minutes); write times in quotes, such as "06:00"'
    ]


def test_unquoted_time_with_leading_zero_stays_text(bundle: BundleFiles) -> None:
    bundle.replace(MUTINY, 'time: "05:00"', "time: 05:00")
    result, problems = validate_bundle(bundle.root)
    assert problems == []
    assert result is not None
    assert result.event("volynsky-mutiny").time == "05:00"


def test_unquoted_number_in_a_text_field(bundle: BundleFiles) -> None:
    bundle.replace("bundle.yaml", 'version: "1.0.0"', "version: 1.0")
    assert problems_of(bundle) == [
        'bundle.yaml:3:10: error: YAML read this as the number 1.0; put the text in quotes: "1.0"'
    ]


def test_unquoted_colour_is_a_comment(bundle: BundleFiles) -> None:
    bundle.replace("bundle.yaml", 'colour: "#e69f00"', "colour: #e69f00")
    assert problems_of(bundle) == [
        "bundle.yaml:19:12: error: there is no value here; if you wrote one starting with #, "
        'such as a colour, put it in quotes: "#1f5fa8" (YAML reads # and what follows as a '
        "comment)"
    ]


def test_bad_time(bundle: BundleFiles) -> None:
    bundle.replace(MUTINY, 'time: "05:00"', 'time: "5 am"')
    assert problems_of(bundle) == [
        f'{MUTINY}:3:7: error: a time is written "HH:MM" on the 24-hour clock, such as "06:30"'
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'colour: "#e69f00"',
            "colour: orange",
            "bundle.yaml:19:13: error: 'orange' is not a colour: "
            'write it as "#rrggbb", such as "#1f5fa8"',
        ),
        (
            "shape: diamond",
            "shape: star",
            "bundle.yaml:23:12: error: 'star' is not allowed here; "
            "expected 'circle', 'square', 'diamond', 'triangle' or 'hexagon'",
        ),
        (
            "calendar: julian",
            "calendar: Julian",
            "bundle.yaml:6:11: error: 'Julian' is not allowed here; "
            "expected 'julian' or 'gregorian'",
        ),
        (
            "format: 1",
            "format: 2",
            "bundle.yaml:1:9: error: this bundle is written in format 2, but this kiosk reads "
            "format 1; update the kiosk, or write the bundle for format 1",
        ),
        (
            "languages: [en, ru]",
            "languages: [en, Russian]",
            "bundle.yaml:5:17: error: 'Russian' is not a language code such as 'en' or 'ru'",
        ),
        (
            "languages: [en, ru]",
            "languages: [en, ru, en]",
            "bundle.yaml:1:1: error: a language is listed twice in 'languages'",
        ),
        ("west: 30.2", "west: 30.5", "bundle.yaml:9:11: error: west must be less than east"),
        (
            "end: 1917-03-03",
            "end: 1917-02-01",
            "bundle.yaml:7:8: error: the end date is before the start date",
        ),
    ],
)
def test_manifest_mistakes(bundle: BundleFiles, old: str, new: str, expected: str) -> None:
    bundle.replace("bundle.yaml", old, new)
    assert problems_of(bundle) == [expected]


# --- ids ----------------------------------------------------------------------------------


def test_bad_event_id_points_at_the_value(bundle: BundleFiles) -> None:
    bundle.replace(STRIKE, "id: women-day-strike", "id: Women-Day")
    assert problems_of(bundle) == [
        f"{STRIKE}:1:5: error: 'Women-Day' is not a valid id: use lower-case letters, digits "
        "and hyphens, such as 'volynsky-mutiny'"
    ]


def test_bad_place_id(bundle: BundleFiles) -> None:
    bundle.replace("places.yaml", "pskov-station:", "Pskov_Station:")
    assert problems_of(bundle) == [
        "events/abdication.yaml:3:8: error: there is no place 'pskov-station' in places.yaml",
        "places.yaml:9:1: error: 'Pskov_Station' is not a valid id: use lower-case letters, "
        "digits and hyphens",
    ]


def test_bad_category_id_points_at_the_key(bundle: BundleFiles) -> None:
    bundle.replace("bundle.yaml", "  mutiny:", "  Mutiny:")
    assert problems_of(bundle) == [
        "bundle.yaml:20:3: error: 'Mutiny' is not a valid id: use lower-case letters, digits "
        "and hyphens, such as 'volynsky-mutiny'"
    ]


def test_event_id_differing_from_file_name(bundle: BundleFiles) -> None:
    bundle.replace(STRIKE, "id: women-day-strike", "id: womens-day-strike")
    assert problems_of(bundle) == [
        f"{STRIKE}:1:5: error: the id 'womens-day-strike' differs from the file name; name the "
        "file 'womens-day-strike.yaml' or change the id to 'women-day-strike'"
    ]


def test_duplicate_event_id(bundle: BundleFiles) -> None:
    # The only way to write the same id twice with ids matching file names: .yaml and .yml.
    bundle.write("events/women-day-strike.yml", bundle.read(STRIKE))
    assert problems_of(bundle) == [
        "events/women-day-strike.yml:1:5: error: the id 'women-day-strike' is also used by "
        f"{STRIKE}"
    ]


def test_bundle_id_differing_from_folder_is_a_warning(bundle: BundleFiles) -> None:
    bundle.replace("bundle.yaml", "id: test-bundle", "id: other-bundle")
    result, problems = validate_bundle(bundle.root)
    assert result is not None
    assert [str(p) for p in problems] == [
        "bundle.yaml:2:5: warning: the bundle id 'other-bundle' differs from its folder name "
        "'test-bundle'"
    ]


# --- references ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "place: znamenskaya-square",
            "place: znamenskaya-sqare",
            "3:8: error: there is no place 'znamenskaya-sqare' in places.yaml - did you mean "
            "'znamenskaya-square'?",
        ),
        (
            "category: strike",
            "category: strikes",
            "4:11: error: there is no category 'strikes' in bundle.yaml - did you mean 'strike'?",
        ),
        (
            "quotes: [bread-banner]",
            "quotes: [bread-baner]",
            "13:10: error: there is no quotation 'bread-baner' in quotes.yaml - did you mean "
            "'bread-banner'?",
        ),
        (
            "quotes: [bread-banner]",
            "quotes: [bread-banner, trotsky]",
            "13:24: error: there is no quotation 'trotsky' in quotes.yaml",
        ),
    ],
)
def test_unknown_reference(bundle: BundleFiles, old: str, new: str, expected: str) -> None:
    bundle.replace(STRIKE, old, new)
    assert problems_of(bundle) == [f"{STRIKE}:{expected}"]


# --- files --------------------------------------------------------------------------------


def test_media_file_present(bundle: BundleFiles) -> None:
    bundle.path("media").mkdir()
    bundle.path("media/strike.jpg").write_bytes(images.jpeg_header(800, 600))
    add_media(bundle, "media/strike.jpg")
    result, problems = validate_bundle(bundle.root)
    assert problems == []
    assert result is not None
    assert result.event("women-day-strike").media[0].file == "media/strike.jpg"


def test_media_file_missing(bundle: BundleFiles) -> None:
    add_media(bundle, "media/strike.jpg")
    assert problems_of(bundle) == [
        f"{STRIKE}:15:11: error: the file 'media/strike.jpg' does not exist"
    ]


def test_media_file_missing_names_a_near_one(bundle: BundleFiles) -> None:
    bundle.path("media").mkdir()
    bundle.path("media/strikers.jpg").write_bytes(images.jpeg_header(800, 600))
    add_media(bundle, "media/striker.jpg")
    assert problems_of(bundle) == [
        f"{STRIKE}:15:11: error: the file 'media/striker.jpg' does not exist - did you mean "
        "'media/strikers.jpg'?"
    ]


def test_media_name_with_other_capitals_is_refused_where_the_file_system_finds_it(
    bundle: BundleFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on Windows and macOS, whose file systems ignore capitals: the Linux kiosk would not.
    bundle.path("media").mkdir()
    real = bundle.path("media/strike.jpg")
    real.write_bytes(images.jpeg_header(800, 600))
    is_file = Path.is_file
    monkeypatch.setattr(
        Path, "is_file", lambda path: is_file(path) or str(path).lower() == str(real).lower()
    )
    add_media(bundle, "Media/Strike.JPG")
    assert problems_of(bundle) == [
        f"{STRIKE}:15:11: error: the file is named 'media/strike.jpg', not 'Media/Strike.JPG'; "
        "write the name exactly as it is, capitals included (Windows and macOS find the file "
        "either way, a kiosk running Linux does not)"
    ]


@pytest.mark.parametrize(
    "path", ["../secret.jpg", "media/../../secret.jpg", "/etc/passwd", "C:/x.jpg"]
)
def test_media_path_leaving_the_bundle(bundle: BundleFiles, path: str) -> None:
    (bundle.root.parent / "secret.jpg").write_bytes(b"x")  # exists, and must not be reached
    add_media(bundle, path)
    assert problems_of(bundle) == [
        f"{STRIKE}:15:11: error: '{path}' is not inside the bundle folder; copy the file into "
        "the bundle and name it by its path there, such as media/x.jpg"
    ]


def test_media_symlink_pointing_outside_is_refused(bundle: BundleFiles) -> None:
    outside = bundle.root.parent / "outside.jpg"
    outside.write_bytes(b"x")
    bundle.path("media").mkdir()
    bundle.path("media/strike.jpg").symlink_to(outside)
    add_media(bundle, "media/strike.jpg")
    assert problems_of(bundle) == [
        f"{STRIKE}:15:11: error: 'media/strike.jpg' leads outside the bundle folder (it is a "
        "link to a file elsewhere); copy the file itself into the bundle"
    ]


def test_map_layer_file_missing(bundle: BundleFiles) -> None:
    bundle.path("map/water.geojson").unlink()
    assert problems_of(bundle) == [
        "bundle.yaml:12:13: error: the file 'map/water.geojson' does not exist"
    ]


def test_map_layer_problems_are_reported_in_its_file(bundle: BundleFiles) -> None:
    bundle.write("map/water.geojson", '{"type": "Feature"}')
    assert problems_of(bundle) == [
        'map/water.geojson:1:1: error: a map layer must be a GeoJSON "FeatureCollection"'
    ]


def test_two_layers_with_one_id(bundle: BundleFiles) -> None:
    bundle.replace(
        "bundle.yaml",
        "  attribution:",
        "    - id: water\n      file: map/water.geojson\n  attribution:",
    )
    assert problems_of(bundle) == ["bundle.yaml:14:11: error: two map layers have the id 'water'"]


# --- places -------------------------------------------------------------------------------


def test_place_outside_the_map(bundle: BundleFiles) -> None:
    bundle.replace("places.yaml", "lat: 59.9311", "lat: 58.9311")
    assert problems_of(bundle) == [
        "places.yaml:3:8: error: 'znamenskaya-square' (58.9311, 30.3615) is outside the map "
        "(59.9-60.0 N, 30.2-30.4 E); if it really is far away, add 'off_map: true'"
    ]


def test_place_with_latitude_and_longitude_swapped(bundle: BundleFiles) -> None:
    bundle.replace("places.yaml", "lat: 59.9311\n  lon: 30.3615", "lat: 30.3615\n  lon: 59.9311")
    assert problems_of(bundle) == [
        "places.yaml:3:8: error: 'znamenskaya-square' (30.3615, 59.9311) is outside the map "
        "(59.9-60.0 N, 30.2-30.4 E); latitude and longitude look swapped; if it really is far "
        "away, add 'off_map: true'"
    ]


def test_off_map_place_inside_the_map_is_a_warning(bundle: BundleFiles) -> None:
    bundle.replace("places.yaml", "lon: 30.3614\n", "lon: 30.3614\n  off_map: true\n")
    result, problems = validate_bundle(bundle.root)
    assert result is not None
    assert [str(p) for p in problems] == [
        "places.yaml:7:8: warning: 'volynsky-barracks' is marked off_map but lies inside the "
        "map; remove 'off_map: true' to show it where it is"
    ]


# --- dates --------------------------------------------------------------------------------


def test_date_outside_the_bundle_dates(bundle: BundleFiles) -> None:
    bundle.replace(STRIKE, "date: 1917-02-23", "date: 1917-02-22")
    assert problems_of(bundle) == [
        f"{STRIKE}:2:7: error: 1917-02-22 is outside the exhibit's dates (1917-02-23 to "
        "1917-03-03 in bundle.yaml)"
    ]


def test_end_date_outside_the_bundle_dates(bundle: BundleFiles) -> None:
    bundle.replace(STRIKE, "date: 1917-02-23\n", "date: 1917-02-23\ndate_end: 1917-03-04\n")
    assert problems_of(bundle) == [
        f"{STRIKE}:3:11: error: 1917-03-04 is outside the exhibit's dates (1917-02-23 to "
        "1917-03-03 in bundle.yaml)"
    ]


def test_impossible_date_is_reported_once(bundle: BundleFiles) -> None:
    bundle.replace(STRIKE, "date: 1917-02-23", "date: 1917-02-30")
    assert problems_of(bundle) == [
        f"{STRIKE}:2:7: error: 1917-02-30 is not a real date: February 1917 has 28 days"
    ]


def test_date_written_as_text(bundle: BundleFiles) -> None:
    bundle.replace(STRIKE, "date: 1917-02-23", 'date: "23 Feb 1917"')
    assert problems_of(bundle) == [
        f"{STRIKE}:2:7: error: '23 Feb 1917' is not a real date written YYYY-MM-DD"
    ]


def test_end_date_before_date(bundle: BundleFiles) -> None:
    bundle.replace(STRIKE, "date: 1917-02-23\n", "date: 1917-02-24\ndate_end: 1917-02-23\n")
    assert problems_of(bundle) == [
        f"{STRIKE}:3:11: error: date_end (1917-02-23) is before date (1917-02-24)"
    ]


def test_end_time_without_start_time(bundle: BundleFiles) -> None:
    bundle.replace(STRIKE, "date: 1917-02-23\n", 'date: 1917-02-23\ntime_end: "10:00"\n')
    assert problems_of(bundle) == [
        f"{STRIKE}:3:11: error: time_end is given without time; add the starting time"
    ]


def test_unquoted_layer_colour_is_not_silently_dropped(bundle: BundleFiles) -> None:
    bundle.replace("bundle.yaml", 'fill: "#b9cdd0"', "fill: #b9cdd0")
    problems = problems_of(bundle)
    assert len(problems) == 1
    assert "there is no colour here; write it in quotes" in problems[0]


# --- translations -------------------------------------------------------------------------


def test_missing_translation_is_a_warning(bundle: BundleFiles) -> None:
    bundle.replace(STRIKE, ', ru: "Забастовка в Женский день"', "")
    result, problems = validate_bundle(bundle.root)
    assert result is not None  # still usable: visitors see the default language
    assert result.event("women-day-strike").title == {"en": "Women's Day strike"}
    assert [str(p) for p in problems] == [
        f"{STRIKE}:5:8: warning: 'title' has no 'ru' translation; visitors will see the 'en' "
        "text instead"
    ]
    assert problems[0].severity is Severity.WARNING


def test_missing_translation_in_a_nested_text(bundle: BundleFiles) -> None:
    bundle.replace("bundle.yaml", ', ru: "Забастовки"', "")
    assert problems_of(bundle) == [
        "bundle.yaml:18:12: warning: 'categories.strike.label' has no 'ru' translation; "
        "visitors will see the 'en' text instead"
    ]


def test_undeclared_language_is_a_warning(bundle: BundleFiles) -> None:
    bundle.replace(
        STRIKE,
        'summary: {en: "Textile workers walk out.",',
        'summary: {en: "Textile workers walk out.", de: "Streik",',
    )
    result, problems = validate_bundle(bundle.root)
    assert result is not None
    assert [str(p) for p in problems] == [
        f"{STRIKE}:6:44: warning: 'de' is not one of the bundle's languages (en, ru); this "
        "text is never shown"
    ]


# --- several files, several problems ------------------------------------------------------


def test_missing_events_folder(bundle: BundleFiles) -> None:
    shutil.rmtree(bundle.path("events"))
    result, problems = validate_bundle(bundle.root)
    assert result is None
    assert [str(p) for p in problems] == ["events:1:1: error: the events/ folder is missing"]


def test_empty_events_folder(bundle: BundleFiles) -> None:
    for path in bundle.path("events").iterdir():
        path.unlink()
    assert problems_of(bundle) == ["events:1:1: error: there are no event files in events/"]


def test_missing_places_file(bundle: BundleFiles) -> None:
    bundle.path("places.yaml").unlink()
    assert problems_of(bundle) == ["places.yaml:1:1: error: the file places.yaml is missing"]


def test_broken_manifest_does_not_stop_the_other_files_being_checked(
    bundle: BundleFiles,
) -> None:
    bundle.replace("bundle.yaml", "languages: [en, ru]", "languages: [en, ru")
    bundle.replace("places.yaml", "lat: 59.9436", "lat: north")
    bundle.replace(STRIKE, "title:", "titel:")
    bundle.replace(
        "quotes.yaml", BREAD_LANGUAGE, BREAD_LANGUAGE.replace("original_language", "origin")
    )
    result, problems = validate_bundle(bundle.root)
    assert result is None
    assert [str(p) for p in problems] == [
        "bundle.yaml:6:9: error: a list opened with [ is not closed with ], or its items are not "
        "separated by commas (YAML: did not find expected ',' or ']')",
        f"{STRIKE}:5:1: error: unknown field 'titel' - did you mean 'title'?",
        "places.yaml:7:8: error: expected a number here, not 'north'",
        "quotes.yaml:3:3: error: unknown field 'origin' (the fields here are: "
        f"{', '.join(Quote.model_fields)})",
    ]


def test_problems_are_sorted_by_file_then_position(bundle: BundleFiles) -> None:
    # Made in an order unlike the report's; some in one file, on several lines.
    bundle.replace(MUTINY, "category: mutiny", "category: mutinies")
    bundle.replace(MUTINY, 'time: "05:00"', 'time: "5:00"')
    bundle.replace("places.yaml", "lat: 57.812", "lat: north")
    bundle.replace(STRIKE, "date: 1917-02-23", "date: 1917-02-01")
    bundle.replace("bundle.yaml", ', ru: "Тестовая выставка"', "")
    bundle.replace("places.yaml", "lat: 59.9311", "lat: 0")
    _, problems = validate_bundle(bundle.root)
    assert [(p.file, p.line, p.column) for p in problems] == [
        ("bundle.yaml", 4, 8),
        ("events/volynsky-mutiny.yaml", 3, 7),
        # The event is invalid (its time), yet its unknown category is still reported.
        ("events/volynsky-mutiny.yaml", 7, 11),
        ("events/women-day-strike.yaml", 2, 7),
        ("places.yaml", 3, 8),
        ("places.yaml", 11, 8),
    ]
    assert problems == sorted(problems)


def test_every_problem_is_reported_once(bundle: BundleFiles) -> None:
    bundle.replace(STRIKE, "category: strike\n", "category: strike\ncategory: mutiny\n")
    assert problems_of(bundle) == [
        f"{STRIKE}:5:1: error: duplicate key 'category' (first given on line 4); YAML would "
        "silently keep only the last one"
    ]


def test_forbidden_tag_in_an_event_is_reported_once(bundle: BundleFiles) -> None:
    bundle.replace(STRIKE, "category: strike", "category: !!python/name:os.system strike")
    assert problems_of(bundle) == [
        f"{STRIKE}:4:11: error: the tag !!python/name:os.system is not allowed (tags can make "
        "YAML create objects or run programs); remove it"
    ]


# --- a quotation's two dates: when written, and the day it tells of ---------------------------


def test_a_quotation_may_describe_an_earlier_day(bundle: BundleFiles) -> None:
    bundle.replace(
        "quotes.yaml", "  date: 1917-02-27\n", "  date: 1917-03-22\n  describes: 1917-02-25\n"
    )
    result, problems = validate_bundle(bundle.root)
    assert problems == []
    assert result is not None
    quote = result.quotes["kirpichnikov-pact"]
    assert (quote.date, quote.describes) == (dt.date(1917, 3, 22), dt.date(1917, 2, 25))


def test_a_quotation_cannot_describe_a_day_after_it_was_written(bundle: BundleFiles) -> None:
    bundle.replace(
        "quotes.yaml", "  date: 1917-02-27\n", "  date: 1917-02-27\n  describes: 1917-02-28\n"
    )
    assert problems_of(bundle) == [
        "quotes.yaml:14:14: error: describes (1917-02-28) is after date (1917-02-27), the day the "
        "words were said or written; words cannot tell of a later day"
    ]


def test_a_described_day_outside_the_exhibit_is_a_warning(bundle: BundleFiles) -> None:
    bundle.replace("quotes.yaml", "  date: 1917-02-27\n", "  describes: 1917-03-05\n")
    assert problems_of(bundle) == [
        "quotes.yaml:13:14: warning: 1917-03-05 is outside the exhibit's dates (1917-02-23 to "
        "1917-03-03 in bundle.yaml); 'describes' is the day the words tell of"
    ]


# --- sources: a plain line, or a line per language -----------------------------------------


def test_a_source_may_be_given_per_language(bundle: BundleFiles) -> None:
    bundle.replace(
        STRIKE,
        'sources: ["Trotsky, The History of the Russian Revolution, vol. 1, ch. 7"]',
        'sources:\n  - "Trotsky, vol. 1"\n  - {en: "Pipes (1990)", ru: "Пайпс (1990)"}',
    )
    result, problems = validate_bundle(bundle.root)
    assert problems == []
    assert result is not None
    sources = result.event("women-day-strike").sources
    assert sources == ["Trotsky, vol. 1", {"en": "Pipes (1990)", "ru": "Пайпс (1990)"}]
    assert [source_text(s, "ru", "en") for s in sources] == ["Trotsky, vol. 1", "Пайпс (1990)"]


def test_a_source_missing_a_language_is_a_warning(bundle: BundleFiles) -> None:
    bundle.replace(
        STRIKE,
        'sources: ["Trotsky, The History of the Russian Revolution, vol. 1, ch. 7"]',
        'sources:\n  - {en: "Pipes (1990)"}',
    )
    assert problems_of(bundle) == [
        f"{STRIKE}:15:5: warning: 'sources' has no 'ru' translation; visitors will see the 'en' "
        "text instead"
    ]


def test_a_source_that_is_neither_text_nor_translations_is_an_error(bundle: BundleFiles) -> None:
    bundle.replace(
        STRIKE,
        'sources: ["Trotsky, The History of the Russian Revolution, vol. 1, ch. 7"]',
        "sources: [12]",
    )
    assert problems_of(bundle) == [
        f'{STRIKE}:14:11: error: YAML read this as the number 12; put the text in quotes: "12"'
    ]


# --- sources disagreeing on the hour --------------------------------------------------------

TIMES = 'time: "05:00"\ntime_end: "07:00"\n'


def test_disputed_times_are_kept_and_sort_by_the_earliest(bundle: BundleFiles) -> None:
    bundle.replace(MUTINY, TIMES, 'time_disputed: ["12:00", "15:00"]\n')
    result, problems = validate_bundle(bundle.root)
    assert problems == []
    assert result is not None
    event = result.event("volynsky-mutiny")
    assert (event.time, event.time_end, event.time_disputed) == (None, None, ["12:00", "15:00"])
    assert event.first_time == "12:00"
    assert event.sort_key[1] == "12:00"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (
            'time_disputed: ["12:00"]\n',
            "3:16: error: time_disputed lists the times the sources give, at least two; for one "
            'time, write time: "HH:MM" instead',
        ),
        (
            'time_disputed: ["15:00", "12:00"]\n',
            "3:16: error: list the disputed times from the earliest: [12:00, 15:00]",
        ),
        (
            'time_disputed: ["12:00", "12:00"]\n',
            "3:16: error: a time is listed twice in time_disputed",
        ),
        (
            'time: "05:00"\ntime_disputed: ["05:00", "06:00"]\n',
            "4:16: error: give either time (and time_end) or time_disputed, not both: "
            "time_disputed already says when the event may have been",
        ),
        (
            'time_disputed: ["12:00", "25:00"]\n',
            '3:26: error: a time is written "HH:MM" on the 24-hour clock, such as "06:30"',
        ),
    ],
)
def test_disputed_time_mistakes(bundle: BundleFiles, written: str, expected: str) -> None:
    bundle.replace(MUTINY, TIMES, written)
    assert problems_of(bundle) == [f"{MUTINY}:{expected}"]
