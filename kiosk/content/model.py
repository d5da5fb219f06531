"""The validated content model: what each bundle file may contain, as pydantic models.

These models describe one file each (`Manifest` for bundle.yaml, `Place`, `Quote`, `Event`,
`Person` for people.yaml, `MapLabel` for labels.yaml). They only validate: each validated entry
is turned at once into the plain class of the same name in `kiosk.content.data`, which the
cross-checks, the assembled `kiosk.content.bundle.Bundle` and the UI read (so a kiosk starting
from its bundle cache never imports pydantic). Every model forbids unknown fields so a misspelt
field name is reported, not silently ignored.
docs/bundle-format.md is the curator-facing description of the same rules; keep the two in step.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

# The patterns live with the plain classes (kiosk.content.data), which need no pydantic.
from kiosk.content.data import (
    COLOUR_PATTERN,
    ID_MAX_LENGTH,
    ID_PATTERN,
    LANG_PATTERN,
    WORD_KEY_PATTERN,
)

FORMAT_VERSION = 1

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=ID_MAX_LENGTH)]
Lang = Annotated[str, StringConstraints(pattern=LANG_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=5000)]
Colour = Annotated[str, StringConstraints(pattern=COLOUR_PATTERN)]
WordKey = Annotated[str, StringConstraints(pattern=WORD_KEY_PATTERN, max_length=60)]
Shape = Literal["circle", "square", "diamond", "triangle", "hexagon"]


_TIME_RE = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def _check_time(value: str) -> str:
    if not _TIME_RE.match(value):
        raise ValueError('a time is written "HH:MM" on the 24-hour clock, such as "06:30"')
    return value


def _check_relative_path(value: str) -> str:
    # The full containment check (symlinks, existence) happens in the loader, which knows the
    # bundle folder; here only the written form is checked.
    if value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value) or ".." in value.split("/"):
        raise ValueError(
            f"'{value}' is not inside the bundle folder; copy the file into the bundle and "
            "name it by its path there, such as media/x.jpg"
        )
    return value


Time = Annotated[str, AfterValidator(_check_time)]
BundlePath = Annotated[str, StringConstraints(min_length=1), AfterValidator(_check_relative_path)]
LangText = dict[Lang, Text]
# Where a fact comes from: one line in every language (a plain string: a title is often the same
# in all of them), or a line per language, such as {en: "Pipes, The Russian Revolution (1990)",
# ru: "Р. Пайпс. Русская революция (1990)"}, shown in the visitor's language.
# The value itself says which it is (a mapping: translations; anything else: text), so a mistake
# is reported once, as one of the two, not once for each.
SOURCE_TAGS = ("source:text", "source:translations")  # never an id, field or language


def _source_kind(value: object) -> str:
    return SOURCE_TAGS[1] if isinstance(value, dict) else SOURCE_TAGS[0]


Source = Annotated[
    Annotated[Text, Tag(SOURCE_TAGS[0])] | Annotated[LangText, Tag(SOURCE_TAGS[1])],
    Discriminator(_source_kind),
]


class _Strict(BaseModel):
    # The validators are built when first used: the kiosk starting from its bundle cache
    # (kiosk/content/cache.py) never validates, and building them is most of importing this.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Bounds(_Strict):
    """The map's extent in degrees."""

    west: float = Field(ge=-180, le=180)
    south: float = Field(ge=-85, le=85)
    east: float = Field(ge=-180, le=180)
    north: float = Field(ge=-85, le=85)

    @model_validator(mode="after")
    def _ordered(self) -> Bounds:
        if self.west >= self.east:
            raise ValueError("west must be less than east")
        if self.south >= self.north:
            raise ValueError("south must be less than north")
        return self


class Layer(_Strict):
    """A map layer: a GeoJSON file and how to draw it."""

    id: Id
    file: BundlePath
    fill: Colour | None = None
    stroke: Colour | None = None
    width: float = Field(default=1.0, gt=0, le=20)
    dash: bool = False

    @field_validator("fill", "stroke", mode="before")
    @classmethod
    def _colour_given(cls, value: object) -> object:
        # `fill: #b9cdd0` without quotes is an empty value to YAML (# starts a comment), and an
        # optional colour would silently vanish; leave the field out to mean "none".
        if value is None:
            raise ValueError(
                'there is no colour here; write it in quotes, such as "#1f5fa8" (without '
                "quotes YAML reads # and what follows as a comment), or leave the field out"
            )
        return value


class ControlPoint(_Strict):
    """A ground control point of a historical plan: a pixel of the scan and where it is."""

    pixel: tuple[Annotated[float, Field(ge=0)], Annotated[float, Field(ge=0)]]  # x right, y down
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


Transform = Literal["affine", "polynomial"]


class Plan(_Strict):
    """A scanned historical plan laid over the map, placed by ground control points (given in
    bundle.yaml or in a Georeference Annotation file; kiosk/content/plan.py checks and fits them).
    """

    file: BundlePath
    points: list[ControlPoint] | None = None
    annotation: BundlePath | None = None
    transform: Transform | None = None  # None: the annotation's, else affine
    opacity: float = Field(default=1.0, gt=0, le=1)

    @model_validator(mode="after")
    def _one_source_of_points(self) -> Plan:
        if (self.points is None) == (self.annotation is None):
            raise ValueError(
                "give the plan's ground control points either as points (a list of {pixel: "
                "[x, y], lat: ..., lon: ...}) or as annotation (a Georeference Annotation file "
                "exported from Allmaps), not both"
                if self.points is not None
                else "a plan needs its ground control points: points (a list of {pixel: [x, y], "
                "lat: ..., lon: ...}) or annotation (a Georeference Annotation file)"
            )
        return self


class MapSpec(_Strict):
    """The map section of bundle.yaml."""

    bounds: Bounds
    paper: Colour = "#efe6d0"
    max_zoom: float = Field(default=8.0, ge=1, le=64)
    layers: list[Layer] = Field(min_length=1)
    # Each line the same in every language ("© OpenStreetMap contributors") or translated.
    attribution: list[Text | LangText] = Field(min_length=1)
    plan: Plan | None = None


class Category(_Strict):
    """An event category: its label, colour and marker shape."""

    label: LangText
    colour: Colour
    shape: Shape = "circle"


class DateRange(_Strict):
    """The period an exhibit covers, in the bundle's calendar."""

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.end < self.start:
            raise ValueError("the end date is before the start date")
        return self


class CreditSections(_Strict):
    """bundle.yaml's credits by section, each a list of translated paragraphs."""

    map: list[LangText] = []  # where the map comes from, its licences, how it differs
    sources: list[LangText] = []  # the historical sources
    pictures: list[LangText] = []  # the pictures (each image's own credit is added to these)


class Manifest(_Strict):
    """bundle.yaml."""

    format: Literal[1]
    id: Id
    version: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    title: LangText
    subtitle: LangText = {}
    languages: list[Lang] = Field(min_length=1)
    language_names: dict[Lang, Text] = {}
    calendar: Literal["julian", "gregorian"]
    dates: DateRange
    map: MapSpec
    categories: dict[Id, Category] = Field(min_length=1)
    idle_seconds: int = Field(default=60, ge=10, le=3600)
    # A list of translated paragraphs (shown under one heading), or the same by section.
    credits: list[LangText] | CreditSections = []
    # The kiosk's own words (buttons, headings) this bundle adds or replaces, per key and
    # language: words for a language the kiosk lacks, or a better word for this exhibit.
    words: dict[WordKey, LangText] = {}
    # Under a Julian exhibit's dates: which calendar the dates follow and where, per language;
    # {days} is replaced by the calendars' difference in the exhibit's year.
    calendar_note: LangText = {}

    @model_validator(mode="after")
    def _unique_languages(self) -> Manifest:
        if len(set(self.languages)) != len(self.languages):
            raise ValueError("a language is listed twice in 'languages'")
        return self


class Place(_Strict):
    """An entry of places.yaml."""

    name: LangText
    short_name: LangText = {}  # for labels on the map, where space is short
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    off_map: bool = False


class Quote(_Strict):
    """An entry of quotes.yaml: an exact wording, with who said it and where it is published."""

    text: LangText = Field(min_length=1)
    original_language: Lang | None = None
    translation: LangText = {}  # per language: a note on who translated it, shown as written
    author: LangText
    person: Id | None = None  # the author's entry in people.yaml, when there is one
    source: LangText
    date: dt.date | None = None  # when the words were said or written
    # The day the words tell of, when they were written later (a memoir, a history, testimony):
    # shown as such, never as the day they were written.
    describes: dt.date | None = None
    place: Id | None = None  # where the words were written or spoken: a key of places.yaml

    @field_validator("describes")
    @classmethod
    def _describes_not_after_written(
        cls, value: dt.date | None, info: ValidationInfo
    ) -> dt.date | None:
        written = info.data.get("date")
        if value is not None and written is not None and value > written:
            raise ValueError(
                f"describes ({value}) is after date ({written}), the day the words were said "
                "or written; words cannot tell of a later day"
            )
        return value


class Person(_Strict):
    """An entry of people.yaml: someone the story names, with a short entry of their own."""

    name: LangText
    short_name: LangText = {}  # for buttons and lists, where space is short
    born: int | None = Field(default=None, ge=1, le=3000)  # years only; leave out if unknown
    died: int | None = Field(default=None, ge=1, le=3000)
    role: LangText = {}  # one line under the name: what they were in the story
    entry: LangText  # a short entry: two or three sentences
    sources: list[Source] = []

    @field_validator("died")
    @classmethod
    def _died_after_born(cls, value: int | None, info: ValidationInfo) -> int | None:
        born = info.data.get("born")
        if value is not None and born is not None and value < born:
            raise ValueError(f"died ({value}) is before born ({born})")
        return value


LabelKind = Literal[
    "river", "canal", "island", "district", "street", "square", "bridge", "station", "landmark"
]
LatLon = tuple[Annotated[float, Field(ge=-90, le=90)], Annotated[float, Field(ge=-180, le=180)]]


class MapLabel(_Strict):
    """An entry of labels.yaml: a name written on the map, at a point or along a line.

    `min_zoom` is in the unit of the map's `max_zoom` (1 = the whole map): the label appears from
    that zoom on. Where labels would collide, the higher `priority` wins and the other waits for
    a closer zoom.
    """

    kind: LabelKind
    name: LangText
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    line: list[LatLon] | None = Field(default=None, min_length=2, max_length=200)
    min_zoom: float = Field(default=1.0, ge=1, le=64)
    priority: int = Field(default=0, ge=-100, le=100)

    @model_validator(mode="after")
    def _one_position(self) -> MapLabel:
        point = self.lat is not None or self.lon is not None
        if point and (self.lat is None or self.lon is None):
            raise ValueError("a label at a point needs both lat and lon")
        if point == (self.line is not None):
            raise ValueError(
                "give a label either lat and lon (a point) or line (a list of [lat, lon] "
                "points to write the name along), not both"
            )
        return self


class GlossaryTerm(_Strict):
    """An entry of glossary.yaml: a word visitors may not know, and what it means.

    `forms` are the words as they stand in the texts, per language (Russian needs each case it is
    used in); the first is the headword shown above the definition. Where a term is first used in
    an event's text, the panel marks it, and a tap shows the definition in place.
    """

    forms: dict[Lang, list[Text]] = Field(min_length=1)
    definition: LangText  # one or two sentences
    sources: list[Source] = []

    @field_validator("forms")
    @classmethod
    def _forms_given(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for language, forms in value.items():
            if not forms:
                raise ValueError(f"give at least one '{language}' form, the headword first")
            if len(set(forms)) != len(forms):
                raise ValueError(f"a '{language}' form is listed twice")
        return value


class Media(_Strict):
    """An image shown with an event, with its caption, credit and alt text."""

    file: BundlePath
    caption: LangText
    credit: Text
    # What the picture shows, for visitors who cannot see it (read by screen readers); the
    # loader warns when it is missing.
    alt: LangText | None = None


class Recording(_Strict):
    """An event's narration in one language: a sound file, and what it says if that is not the
    event's own text (the kiosk shows the words as captions while it plays)."""

    file: BundlePath
    transcript: Text | None = None  # None: the recording reads the event's summary and text


def _narration_form(value: object) -> str:
    return "file" if isinstance(value, str) else "recording"


# A file name alone, or a file with its transcript: told apart by the value's form, so a bad
# file name is reported once (as a file), not also as a mapping it never meant to be.
Narration = Annotated[
    Annotated[BundlePath, Tag("file")] | Annotated[Recording, Tag("recording")],
    Discriminator(_narration_form),
]


class Event(_Strict):
    """A file of events/."""

    id: Id
    date: dt.date
    date_end: dt.date | None = None
    time: Time | None = None
    time_end: Time | None = None
    time_approximate: bool = False
    # When the sources disagree on the hour: each time one of them gives, such as
    # ["12:00", "15:00"] ("sources disagree: 12:00 or 15:00"), instead of time and time_end, which
    # would read as an event lasting from one to the other.
    time_disputed: list[Time] = Field(default=[], max_length=4)
    place: Id
    category: Id
    title: LangText
    summary: LangText
    body: LangText
    quotes: list[Id] = []
    people: list[Id] = []  # keys of people.yaml: who the event is about, in the order shown
    media: list[Media] = []
    sources: list[Source] = []
    # Narration per language: `en: audio/x.mp3` (it reads the event's own text), or
    # `en: {file: ..., transcript: ...}` when it says something else.
    audio: dict[Lang, Narration] = {}

    # Field validators (not a model validator) so the message points at the field itself.
    @field_validator("date_end")
    @classmethod
    def _ends_after_start(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("date")
        if value is not None and start is not None and value < start:
            raise ValueError(f"date_end ({value}) is before date ({start})")
        return value

    @field_validator("time_end")
    @classmethod
    def _time_before_end(cls, value: str | None, info: ValidationInfo) -> str | None:
        # A `time` that failed its own validation is absent from info.data: reported already.
        if value is not None and "time" in info.data and info.data["time"] is None:
            raise ValueError("time_end is given without time; add the starting time")
        return value

    @field_validator("time_disputed")
    @classmethod
    def _disputed_times(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if not value:
            return value
        if len(value) < 2:
            raise ValueError(
                "time_disputed lists the times the sources give, at least two; for one time, "
                'write time: "HH:MM" instead'
            )
        if len(set(value)) != len(value):
            raise ValueError("a time is listed twice in time_disputed")
        if value != sorted(value):
            raise ValueError(
                f"list the disputed times from the earliest: [{', '.join(sorted(value))}]"
            )
        if info.data.get("time") is not None or info.data.get("time_end") is not None:
            raise ValueError(
                "give either time (and time_end) or time_disputed, not both: time_disputed "
                "already says when the event may have been"
            )
        return value
