"""A bundle's content as the kiosk reads it: plain, slotted, frozen classes, without pydantic.

`kiosk.content.model` describes what each bundle file may contain and validates it with
pydantic; a validated entry is turned into the class of the same name here (`from_model`), and
everything after validation (the cross-checks, the assembled `Bundle`, the UI, the bundle cache)
reads these. So a kiosk starting from its bundle cache unpickles plain data and never imports
pydantic (about 75 ms and 17 MB of every start, docs/performance.md).

Each class has exactly the fields of its model, with the same names, defaults and meaning
(tests/content/test_data.py checks the two against each other); the helpers the UI uses
(`pick`, `source_text`, `is_id`) and the patterns the validation messages name live here too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from pydantic import BaseModel

# The patterns are named so the model, the loader and the messages use the very same ones.
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID_MAX_LENGTH = 80
LANG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"
COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"
WORD_KEY_PATTERN = r"^[a-z][a-z0-9_]*$"  # a key of the kiosk's own words (kiosk/locale)
_ID_RE = re.compile(ID_PATTERN)

LangText = dict[str, str]  # per language code, as validated (kiosk.content.model.LangText)
# Where a fact comes from: one line in every language, or a line per language.
Source = str | LangText
Shape = Literal["circle", "square", "diamond", "triangle", "hexagon"]
Transform = Literal["affine", "polynomial"]
LabelKind = Literal[
    "river", "canal", "island", "district", "street", "square", "bridge", "station", "landmark"
]
LatLon = tuple[float, float]


def is_id(value: str) -> bool:
    """True if `value` is written the way an id must be."""
    return len(value) <= ID_MAX_LENGTH and bool(_ID_RE.fullmatch(value))


def pick(text: LangText | str, language: str, fallback: str) -> str:
    """The text in `language`, else in `fallback`, else in any language given (a plain string
    is the same in every language)."""
    if isinstance(text, str):
        return text
    if language in text:
        return text[language]
    if fallback in text:
        return text[fallback]
    return next(iter(text.values()), "")


def source_text(source: Source, language: str, fallback: str) -> str:
    """A source line as a visitor of `language` reads it (see `Source`)."""
    return source if isinstance(source, str) else pick(source, language, fallback)


@dataclass(frozen=True, slots=True, kw_only=True)
class Bounds:
    """The map's extent in degrees."""

    west: float
    south: float
    east: float
    north: float

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


@dataclass(frozen=True, slots=True, kw_only=True)
class Layer:
    """A map layer: a GeoJSON file and how to draw it."""

    id: str
    file: str
    fill: str | None = None
    stroke: str | None = None
    width: float = 1.0
    dash: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ControlPoint:
    """A ground control point of a historical plan: a pixel of the scan and where it is."""

    pixel: tuple[float, float]  # x right, y down
    lat: float
    lon: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """A scanned historical plan laid over the map, placed by ground control points."""

    file: str
    points: list[ControlPoint] | None = None
    annotation: str | None = None
    transform: Transform | None = None  # None: the annotation's, else affine
    opacity: float = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class MapSpec:
    """The map section of bundle.yaml."""

    bounds: Bounds
    paper: str = "#efe6d0"
    max_zoom: float = 8.0
    layers: list[Layer]
    attribution: list[str | LangText]
    plan: Plan | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Category:
    """An event category: its label, colour and marker shape."""

    label: LangText
    colour: str
    shape: Shape = "circle"


@dataclass(frozen=True, slots=True, kw_only=True)
class DateRange:
    """The period an exhibit covers, in the bundle's calendar."""

    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditSections:
    """bundle.yaml's credits by section, each a list of translated paragraphs."""

    map: list[LangText] = field(default_factory=list)
    sources: list[LangText] = field(default_factory=list)
    pictures: list[LangText] = field(default_factory=list)

    def sections(self) -> list[tuple[str, list[LangText]]]:
        """(section, paragraphs) in the order shown, the empty ones left out."""
        found = [("map", self.map), ("sources", self.sources), ("pictures", self.pictures)]
        return [(name, texts) for name, texts in found if texts]


@dataclass(frozen=True, slots=True, kw_only=True)
class Manifest:
    """bundle.yaml."""

    format: Literal[1]
    id: str
    version: str
    title: LangText
    subtitle: LangText = field(default_factory=dict)
    languages: list[str]
    language_names: dict[str, str] = field(default_factory=dict)
    calendar: Literal["julian", "gregorian"]
    dates: DateRange
    map: MapSpec
    categories: dict[str, Category]
    idle_seconds: int = 60
    credits: list[LangText] | CreditSections = field(default_factory=list)
    words: dict[str, LangText] = field(default_factory=dict)
    calendar_note: LangText = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Place:
    """An entry of places.yaml."""

    name: LangText
    short_name: LangText = field(default_factory=dict)
    lat: float
    lon: float
    off_map: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """An entry of quotes.yaml: an exact wording, with who said it and where it is published."""

    text: LangText
    original_language: str | None = None
    translation: LangText = field(default_factory=dict)
    author: LangText
    person: str | None = None
    source: LangText
    date: dt.date | None = None  # when the words were said or written
    describes: dt.date | None = None  # the day the words tell of, when written later
    place: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    """An entry of people.yaml: someone the story names, with a short entry of their own."""

    name: LangText
    short_name: LangText = field(default_factory=dict)
    born: int | None = None
    died: int | None = None
    role: LangText = field(default_factory=dict)
    entry: LangText
    sources: list[Source] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class MapLabel:
    """An entry of labels.yaml: a name written on the map, at a point or along a line, from
    `min_zoom` on (in the unit of the map's `max_zoom`); where labels collide, the higher
    `priority` wins."""

    kind: LabelKind
    name: LangText
    lat: float | None = None
    lon: float | None = None
    line: list[LatLon] | None = None
    min_zoom: float = 1.0
    priority: int = 0

    @property
    def points(self) -> list[tuple[float, float]]:
        """The label's position as (lat, lon) points: one for a point label, more for a line."""
        if self.line is not None:
            return [(lat, lon) for lat, lon in self.line]
        assert self.lat is not None and self.lon is not None
        return [(self.lat, self.lon)]


@dataclass(frozen=True, slots=True, kw_only=True)
class GlossaryTerm:
    """An entry of glossary.yaml: a word visitors may not know (its forms per language, the
    headword first), and what it means."""

    forms: dict[str, list[str]]
    definition: LangText
    sources: list[Source] = field(default_factory=list)

    def headword(self, language: str, fallback: str) -> str:
        """The term as the definition's heading shows it."""
        forms = self.forms.get(language) or self.forms.get(fallback)
        return forms[0] if forms else next(iter(self.forms.values()))[0]


@dataclass(frozen=True, slots=True, kw_only=True)
class Media:
    """An image shown with an event, with its caption, credit and alt text."""

    file: str
    caption: LangText
    credit: str
    alt: LangText | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Recording:
    """An event's narration in one language: a sound file, and what it says if that is not the
    event's own text."""

    file: str
    transcript: str | None = None  # None: the recording reads the event's summary and text


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """A file of events/."""

    id: str
    date: dt.date
    date_end: dt.date | None = None
    time: str | None = None
    time_end: str | None = None
    time_approximate: bool = False
    time_disputed: list[str] = field(default_factory=list)
    place: str
    category: str
    title: LangText
    summary: LangText
    body: LangText
    quotes: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    audio: dict[str, str | Recording] = field(default_factory=dict)

    def recording(self, language: str) -> Recording | None:
        """The narration in `language`, if there is one."""
        value = self.audio.get(language)
        return Recording(file=value) if isinstance(value, str) else value

    @property
    def first_time(self) -> str | None:
        """The event's (earliest possible) time, if it has one."""
        return self.time or (self.time_disputed[0] if self.time_disputed else None)

    @property
    def sort_key(self) -> tuple[dt.date, str, str]:
        return (self.date, self.first_time or "99:99", self.id)


# --- From the validated model ----------------------------------------------------------------

P = TypeVar("P")

# The plain class of each model class, by name (the model's classes are named as these).
PLAIN_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Bounds,
        Layer,
        ControlPoint,
        Plan,
        MapSpec,
        Category,
        DateRange,
        CreditSections,
        Manifest,
        Place,
        Quote,
        Person,
        MapLabel,
        GlossaryTerm,
        Media,
        Recording,
        Event,
    )
}
_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in PLAIN_CLASSES.values()
}
# The fields that may hold another of these classes (by their declared types); the others hold
# only text, numbers, dates and lists or mappings of them, taken over as they are.
_NAME = re.compile(r"\b(" + "|".join(PLAIN_CLASSES) + r")\b")
_NESTED: dict[type, frozenset[str]] = {
    cls: frozenset(f.name for f in dataclasses.fields(cls) if _NAME.search(str(f.type)))
    for cls in PLAIN_CLASSES.values()
}
_CHECKED: dict[type, type] = {}  # model class -> its plain class, once their fields matched


def from_model(model: BaseModel, plain: type[P]) -> P:
    """The plain `plain` holding what the validated `model` holds, nested models included.

    Raises TypeError if the two do not describe the same fields: a field added to one and not
    the other must fail here, in the tests, not drop content on its way to the kiosk.
    """
    made = _plain_value(model)
    if not isinstance(made, plain):
        raise TypeError(f"{type(model).__name__} gives a {type(made).__name__}, not {plain}")
    return made


def _plain_class(model: type) -> type:
    cls = _CHECKED.get(model)
    if cls is None:
        found = PLAIN_CLASSES.get(model.__name__)
        if found is None or _FIELDS[found] != tuple(getattr(model, "model_fields", ())):
            raise TypeError(
                f"{model.__name__} has no plain class with the same fields in {__name__}"
            )
        cls = _CHECKED[model] = found
    return cls


def _plain_value(value: Any) -> Any:
    """`value` with each model in it (at any depth of lists, tuples and dicts) made plain."""
    if isinstance(value, str | int | float | dt.date | None):  # the leaves, most of them
        return value
    if isinstance(value, list):
        return [_plain_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain_value(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(_plain_value(item) for item in value)
    cls = _plain_class(type(value))
    nested = _NESTED[cls]
    return cls(
        **{
            name: _plain_value(getattr(value, name)) if name in nested else getattr(value, name)
            for name in _FIELDS[cls]
        }
    )
