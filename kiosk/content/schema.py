"""JSON Schemas for a curator's editor, generated from the content model.

One schema per kind of file (bundle.yaml, places.yaml, events/*.yaml, ...). A YAML file names its
schema on its first line, `# yaml-language-server: $schema=schema/event.schema.json` (a path
relative to the file), and an editor with YAML support (VS Code's YAML extension) then
completes field names, shows the help below on hover and underlines mistakes while typing.

The schemas only help while typing: `python -m kiosk validate` stays the judge, since it also
checks what a schema cannot (references between files, dates, coordinates, images). The help
texts live here, beside the generator, and a test requires one for every field of the model.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

from kiosk.content.model import (
    Event,
    GlossaryTerm,
    Id,
    Manifest,
    MapLabel,
    Person,
    Place,
    Quote,
)

SCHEMA_DIALECT = "http://json-schema.org/draft-07/schema#"  # what yaml-language-server reads
SCHEMA_FOLDER = "schema"
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
# Inside the bundle: not absolute, no drive letter, no ".." step (the loader checks symlinks).
BUNDLE_PATH_PATTERN = r"^(?![/\\])(?![A-Za-z]:)(?!(.*/)?\.\.(/|$)).+$"


@dataclass(frozen=True)
class FileKind:
    """A kind of bundle file: where it lives, and what it holds."""

    name: str  # the schema's file name is NAME.schema.json
    files: str  # which files, as a curator would say it
    model: Any  # a model, or a type such as dict[Id, Place]
    title: str

    @property
    def schema_file(self) -> str:
        return f"{self.name}.schema.json"

    def comment_for(self, relative_path: str) -> str:
        """The first line naming this schema, for a file at `relative_path` in the bundle."""
        depth = relative_path.count("/")
        return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_FOLDER}/{self.schema_file}"


FILE_KINDS = (
    FileKind("bundle", "bundle.yaml", Manifest, "Exhibit manifest (bundle.yaml)"),
    FileKind("places", "places.yaml", dict[Id, Place], "Places (places.yaml)"),
    FileKind("quotes", "quotes.yaml", dict[Id, Quote], "Quotations (quotes.yaml)"),
    FileKind("event", "events/*.yaml", Event, "One event (events/*.yaml)"),
    FileKind("people", "people.yaml", dict[Id, Person], "People (people.yaml)"),
    FileKind("labels", "labels.yaml", dict[Id, MapLabel], "Map labels (labels.yaml)"),
    FileKind("glossary", "glossary.yaml", dict[Id, GlossaryTerm], "Glossary (glossary.yaml)"),
)

_TRANSLATIONS = "Per language: {en: ..., ru: ...}, one entry for each of the bundle's languages. "

# The help an editor shows for each field, by model and field name. In plain words.
FIELD_HELP: dict[str, dict[str, str]] = {
    "Manifest": {
        "format": "The bundle format this file is written in. Always 1 for this kiosk.",
        "id": "The bundle's id: lower-case letters, digits and hyphens, like the folder name.",
        "version": 'Your version of the exhibit, in quotes, such as "1.0.0". Shown to staff.',
        "title": _TRANSLATIONS + "The exhibit's title, shown at the top of the screen.",
        "subtitle": _TRANSLATIONS + "A line under the title (optional).",
        "languages": "The languages of the exhibit, such as [en, ru]. The first is the default: "
        "visitors see it first, and wherever a translation is missing.",
        "language_names": "How each language is named on its button, such as "
        '{en: "English", ru: "Русский"} (optional).',
        "calendar": "The calendar the dates in the bundle are written in: julian (Old Style; "
        "the kiosk then shows the New Style date as well) or gregorian (New Style).",
        "dates": "The first and last day the exhibit covers; every event must fall within them.",
        "map": "The map: its extent, its layers and their attribution.",
        "categories": "The kinds of event, by id (such as strike: ...), each with a label, a "
        "colour and a marker shape. Every event names one.",
        "idle_seconds": "After this many seconds without a touch, the kiosk returns to its start "
        "screen (10 to 3600; 60 if left out).",
        "credits": "Paragraphs of credits, each with its translations: a list (shown under one "
        "heading), or by section: map, sources and pictures (optional).",
        "words": "The kiosk's own words (buttons, headings) to add or replace, by key and "
        'language, such as close: {uk: "Закрити"}; for a language the kiosk has no words for, '
        "or a better word for this exhibit (optional). The keys: docs/bundle-format.md.",
        "calendar_note": _TRANSLATIONS + "Under each event's dates in a julian exhibit: which "
        "calendar the dates follow and where; {days} becomes the difference between the "
        "calendars in the exhibit's year (optional).",
    },
    "CreditSections": {
        "map": _TRANSLATIONS + "Paragraphs about the map: where its data comes from, its "
        "licences, how it differs from the city of the day.",
        "sources": _TRANSLATIONS + "Paragraphs naming the historical sources.",
        "pictures": _TRANSLATIONS + "Paragraphs about the pictures; each image's own credit "
        "is listed after them.",
    },
    "DateRange": {
        "start": "The first day, written YYYY-MM-DD, such as 1917-02-23.",
        "end": "The last day, written YYYY-MM-DD; not before start.",
    },
    "MapSpec": {
        "bounds": "The map's extent in degrees: west, south, east and north.",
        "paper": 'The map\'s background colour, in quotes, such as "#efe6d0" (optional).',
        "max_zoom": "How far visitors may zoom in: 8 means eight times the whole map (1 to 64).",
        "layers": "The map layers, drawn in this order (the first at the bottom).",
        "attribution": "The map data's credits, shown on the map (licences require them): each "
        'line the same in every language, or translated: {en: "...", fr: "..."}.',
        "plan": "A scanned historical plan shown over the map, placed by ground control points "
        "(optional). Credit its source in attribution.",
    },
    "Plan": {
        "file": "The scanned plan, by its path in the bundle, such as map/plan-1914.jpg. JPEG, "
        "PNG or TIFF, at most 100 MB and 50 million pixels.",
        "points": "At least 3 ground control points, each {pixel: [x, y], lat: ..., lon: ...}: "
        "a pixel of the scan (x from the left, y from the top) and where that spot is today. "
        "Give points or annotation.",
        "annotation": "A file with the control points: a Georeference Annotation (JSON) as "
        "Allmaps Editor exports it, such as map/plan-1914.json, or a QGIS Georeferencer points "
        "file, such as map/plan-1914.points. Give points or annotation.",
        "transform": "How the plan is fitted to its points: affine (straight lines stay "
        "straight; 3 points or more) or polynomial (bends a warped scan; 6 points or more).",
        "opacity": "How opaque the plan is when fully shown, more than 0 and at most 1 (1 if "
        "left out).",
    },
    "ControlPoint": {
        "pixel": "[x, y]: the point on the scan in pixels, x from the left edge and y from the "
        "top, as an image editor shows them.",
        "lat": "Where that point is: latitude in degrees north.",
        "lon": "Where that point is: longitude in degrees east.",
    },
    "Bounds": {
        "west": "The longitude of the map's left edge, in degrees east (such as 30.17).",
        "south": "The latitude of the map's bottom edge, in degrees north (such as 59.875).",
        "east": "The longitude of the map's right edge; more than west.",
        "north": "The latitude of the map's top edge; more than south.",
    },
    "Layer": {
        "id": "The layer's id, such as water; each layer's id is different.",
        "file": "The GeoJSON file, by its path in the bundle, such as map/water.geojson. "
        "Coordinates in degrees (WGS 84).",
        "fill": 'The colour inside shapes, in quotes, such as "#b9cdd0". Leave out for none.',
        "stroke": "The colour of lines and outlines, in quotes. Leave out for none.",
        "width": "The line width in pixels (more than 0, at most 20; 1 if left out).",
        "dash": "true to draw the lines dashed (such as railways).",
    },
    "Category": {
        "label": _TRANSLATIONS + "The category's name in the legend and on the event panel.",
        "colour": 'The markers\' colour, in quotes, such as "#e69f00".',
        "shape": "The markers' shape: circle, square, diamond, triangle or hexagon, so the "
        "categories differ by more than colour.",
    },
    "Place": {
        "name": _TRANSLATIONS + "The place's name, shown on the event panel.",
        "short_name": _TRANSLATIONS + "A shorter name for labels on the map (optional).",
        "lat": "Latitude in degrees north, such as 59.9311 (the first number in most map apps).",
        "lon": "Longitude in degrees east, such as 30.3615.",
        "off_map": "true for a place outside the map (such as another city): its marker is "
        "shown at the map's edge.",
    },
    "Quote": {
        "text": _TRANSLATIONS + "The exact words, as the source prints them.",
        "original_language": "The language the words were first said or written in, such as "
        "ru (optional).",
        "translation": _TRANSLATIONS + "Per language, who translated the words, shown as "
        "written (optional).",
        "author": _TRANSLATIONS + "Who said or wrote the words.",
        "person": "The author's id in people.yaml, if there is one (optional).",
        "source": _TRANSLATIONS + "Where the words are published: book, volume, chapter, page.",
        "date": "When the words were said or written, YYYY-MM-DD (optional).",
        "describes": "The day the words tell of, YYYY-MM-DD, when they were written later "
        "(a memoir, a history, testimony); shown as the day described (optional).",
        "place": "Where the words were said or written: an id of places.yaml (optional).",
    },
    "Person": {
        "name": _TRANSLATIONS + "The person's full name.",
        "short_name": _TRANSLATIONS + "A shorter name for buttons and lists (optional).",
        "born": "The year of birth, such as 1879 (optional; leave out if unknown).",
        "died": "The year of death (optional; not before born).",
        "role": _TRANSLATIONS + "One line on who they were in the story (optional).",
        "entry": _TRANSLATIONS + "A short entry: two or three sentences.",
        "sources": "Where the facts come from, one line each (optional): plain text, or "
        "per language {en: ..., ru: ...}, shown in the visitor's language.",
    },
    "MapLabel": {
        "kind": "What is named: river, canal, island, district, street, square, bridge, "
        "station or landmark (it sets the label's style).",
        "name": _TRANSLATIONS + "The name written on the map.",
        "lat": "For a label at a point: its latitude in degrees north.",
        "lon": "For a label at a point: its longitude in degrees east.",
        "line": "For a label written along a line (a river, a street): a list of [lat, lon] "
        "points. Give either lat and lon, or line.",
        "min_zoom": "The label appears from this zoom on (1 = the whole map; 1 if left out).",
        "priority": "Where labels collide, the higher priority is shown (-100 to 100; 0 if "
        "left out).",
    },
    "Event": {
        "id": "The event's id: the same as the file name without .yaml.",
        "date": "The day, written YYYY-MM-DD in the bundle's calendar, such as 1917-02-27.",
        "date_end": "The last day, for an event over several days (optional).",
        "time": 'The time it started, in quotes, such as "06:00" (optional).',
        "time_end": 'The time it ended, in quotes, such as "07:30" (optional; needs time).',
        "time_approximate": "true if the times are only roughly known (shown as about 06:00).",
        "time_disputed": "When the sources disagree on the hour: each time they give, earliest "
        'first, such as ["12:00", "15:00"] (shown as "sources disagree: 12:00 or 15:00"). '
        "Instead of time and time_end (optional).",
        "place": "Where it happened: an id of places.yaml.",
        "category": "What kind of event it is: an id of the categories in bundle.yaml.",
        "title": _TRANSLATIONS + "The headline of the event panel.",
        "summary": _TRANSLATIONS + "One or two sentences, shown first.",
        "body": _TRANSLATIONS + "The story in short paragraphs (separate them by an empty "
        "line). Shown as plain text.",
        "quotes": "Quotations shown with the event: ids of quotes.yaml, such as [bread-banner].",
        "people": "Who the event is about: ids of people.yaml, in the order shown (optional).",
        "media": "Images shown with the event, each with a caption and a credit (optional).",
        "sources": "Where the facts come from, one line each, shown under the story: plain "
        "text, or per language {en: ..., ru: ...}, shown in the visitor's language.",
        "audio": "Narration per language (optional): a sound file of the bundle that reads the "
        "event's text, such as {en: audio/strike-en.mp3}, or {file: ..., transcript: ...} when "
        "it says something else.",
    },
    "Recording": {
        "file": "The recording, by its path in the bundle, such as audio/strike-en.mp3. WAV, "
        "MP3, OGG Vorbis or FLAC (not OGG Opus), at most 30 MB and 10 minutes.",
        "transcript": "What the recording says, word for word, when it is not the event's own "
        "text: shown as captions while it plays (optional).",
    },
    "GlossaryTerm": {
        "forms": "Per language, the term as it stands in the texts, the headword first, such as "
        '{en: ["Duma"], ru: ["Дума", "Думы", "Думе"]}: a word is marked only in a form listed '
        "here.",
        "definition": _TRANSLATIONS + "What the term means, in one or two sentences.",
        "sources": "Where the definition comes from, one line each (optional): plain text, or "
        "per language {en: ..., ru: ...}.",
    },
    "Media": {
        "file": "The image, by its path in the bundle, such as media/barracks.jpg. JPEG, PNG "
        "or GIF, at most 20 MB and 25 million pixels.",
        "caption": _TRANSLATIONS + "What the image shows.",
        "credit": "Who made the image or holds it, and its licence.",
        "alt": _TRANSLATIONS + "What the picture shows, in a sentence, for visitors who cannot "
        "see it (screen readers read it out). Validate warns when it is missing.",
    },
}


def _models(annotation: Any) -> list[type[BaseModel]]:
    """Every model reachable from an annotation: the models an editor will show fields of."""
    found: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> None:
        if model in found:
            return
        found.append(model)
        for field in model.model_fields.values():
            for inner in _inner_models(field.annotation):
                visit(inner)

    for model in _inner_models(annotation):
        visit(model)
    return found


def _inner_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found = []
    for arg in getattr(annotation, "__args__", ()):
        found += _inner_models(arg)
    return found


def all_models() -> list[type[BaseModel]]:
    """The models of every file kind."""
    found: list[type[BaseModel]] = []
    for kind in FILE_KINDS:
        found += [m for m in _models(kind.model) if m not in found]
    return found


def _string_branch(schema: dict[str, Any]) -> dict[str, Any] | None:
    """The part of a property schema that describes text (it may be one of several types)."""
    if schema.get("type") == "string":
        return schema
    for option in schema.get("anyOf", []):
        if option.get("type") == "string":
            return option
    return None


def _draft7(node: Any) -> Any:
    """Rewrite the few 2020-12 keywords pydantic emits into draft-07 ones, recursively."""
    if isinstance(node, list):
        return [_draft7(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: _draft7(value) for key, value in node.items()}
    if "patternProperties" in result:  # translations: only language codes as keys
        result.setdefault("additionalProperties", False)
    if "prefixItems" in result:  # fixed-length lists, such as [lat, lon]
        result["items"] = result.pop("prefixItems")
        result["additionalItems"] = False
    return result


def _annotate(schema: dict[str, Any]) -> None:
    """Add the help texts and the patterns that the model checks in code."""
    for name, model_schema in schema.get("$defs", {}).items():
        help_texts = FIELD_HELP.get(name, {})
        for field, prop in model_schema.get("properties", {}).items():
            if field in help_texts:
                prop["description"] = help_texts[field]
            prop.pop("title", None)  # "Time End": noise next to the description
            if name == "Event" and field in ("time", "time_end"):
                branch = _string_branch(prop)
                if branch is not None:
                    branch["pattern"] = TIME_PATTERN
            if name == "Event" and field == "time_disputed":
                prop.setdefault("items", {})["pattern"] = TIME_PATTERN
            if field == "file":
                branch = _string_branch(prop)
                if branch is not None:
                    branch["pattern"] = BUNDLE_PATH_PATTERN


def schema_for(kind: FileKind) -> dict[str, Any]:
    """The JSON Schema (draft-07) of one kind of bundle file."""
    raw = TypeAdapter(kind.model).json_schema(ref_template="#/$defs/{model}")
    root_model = kind.model if isinstance(kind.model, type) else None
    if root_model is not None:
        # Make the top-level model a definition too, so every model is annotated alike.
        defs = raw.pop("$defs", {})
        defs[root_model.__name__] = raw
        raw = {"$ref": f"#/$defs/{root_model.__name__}", "$defs": defs}
    _annotate(raw)
    schema = _draft7(raw)
    head = {
        "$schema": SCHEMA_DIALECT,
        "$id": kind.schema_file,
        "title": kind.title,
        "description": f"The kiosk's {kind.files}. Check the whole bundle with "
        "`python -m kiosk validate FOLDER`; this schema only helps while typing.",
    }
    return {**head, **schema}


def write_schemas(folder: Path) -> list[Path]:
    """Write one schema file per kind into `folder` (created); returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in FILE_KINDS:
        path = folder / kind.schema_file
        text = json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


EDITOR_SETTINGS = Path(".vscode") / "settings.json"


def editor_settings() -> dict[str, Any]:
    """VS Code's settings for a bundle folder, so the editor underlines what `validate` finds:
    YAML 1.1 (as the kiosk reads it: `time: 17:00` is a number and `title: no` false there; the
    YAML extension reads YAML 1.2 unless told), each kind of file tied to its schema (also for a
    file whose first line does not name one), and indentation by two spaces, never tabs."""
    return {
        "yaml.yamlVersion": "1.1",
        # Patterns starting with / are from the folder opened in the editor: the bundle.
        "yaml.schemas": {
            f"./{SCHEMA_FOLDER}/{kind.schema_file}": [f"/{kind.files}"] for kind in FILE_KINDS
        },
        "yaml.validate": True,
        "yaml.completion": True,
        "yaml.hover": True,
        "files.encoding": "utf8",
        "[yaml]": {
            "editor.insertSpaces": True,
            "editor.tabSize": 2,
            "editor.detectIndentation": False,
        },
    }


def write_editor_settings(bundle: Path) -> Path | None:
    """Write `.vscode/settings.json` in the bundle folder; None (and nothing written) if the
    folder has one already: it may hold a curator's own settings."""
    path = bundle / EDITOR_SETTINGS
    if path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(editor_settings(), indent=2) + "\n", encoding="utf-8")
    return path


def kind_of(relative_path: str) -> FileKind | None:
    """The kind of a bundle file, by its path relative to the bundle."""
    if re.fullmatch(r"events/[^/]+\.ya?ml", relative_path):
        return next(k for k in FILE_KINDS if k.name == "event")
    return next((k for k in FILE_KINDS if k.files == relative_path), None)
