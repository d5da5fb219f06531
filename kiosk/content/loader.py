"""Loading a bundle folder: read every file, validate it, cross-check references, collect problems.

`validate_bundle` never raises for a bad bundle: it returns every problem found (errors and
warnings) and the bundle only when there are no errors. `load_bundle` is the same but raises
`BundleInvalid`, for callers that only want a usable bundle.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from kiosk.content import interface_words
from kiosk.content import model as models
from kiosk.content.audio import audio_problem
from kiosk.content.bundle import Bundle
from kiosk.content.data import (
    Event,
    GlossaryTerm,
    LangText,
    Manifest,
    MapLabel,
    Person,
    Place,
    Quote,
    Source,
    from_model,
    is_id,
)
from kiosk.content.geojson import LayerGeometry, read_layer
from kiosk.content.glossary import used_terms
from kiosk.content.markup import find_markup
from kiosk.content.media import inspect_image, size_warning
from kiosk.content.messages import closest, did_you_mean, report_validation_error
from kiosk.content.model import Id, Lang
from kiosk.content.parallel import available_workers, map_chunks
from kiosk.content.plan import GeoPlan, check_plan
from kiosk.content.problems import EMPTY_FILE, BundleInvalid, NotABundle, Problem, ProblemList
from kiosk.content.projection import Projection
from kiosk.content.yaml_source import KeyPath, YamlDocument, read_yaml

P = TypeVar("P")

# What validates each file's entries: the model of the plain class the rest of the loader reads.
_MODEL_OF: dict[type, type[BaseModel]] = {
    Manifest: models.Manifest,
    Place: models.Place,
    Quote: models.Quote,
    Person: models.Person,
    MapLabel: models.MapLabel,
    GlossaryTerm: models.GlossaryTerm,
    Event: models.Event,
}

MANIFEST = "bundle.yaml"
PLACES = "places.yaml"
QUOTES = "quotes.yaml"
PEOPLE = "people.yaml"  # optional
LABELS = "labels.yaml"  # optional
GLOSSARY = "glossary.yaml"  # optional
EVENTS_DIR = "events"
MAX_EVENTS = 50_000
# From this many event files on, worker processes help: starting one costs about as much as
# reading a few hundred files.
PARALLEL_FROM = 2_000
EVENT_CHUNK_MIN, EVENT_CHUNK_MAX = 50, 500


def _validate(
    plain: type[P], doc: YamlDocument, base: KeyPath, data: Any, problems: ProblemList
) -> P | None:
    """`data` validated by the model of `plain`, as a `plain`; None with its problems reported."""
    model = _MODEL_OF[plain]
    try:
        validated = model.model_validate(data)
    except ValidationError as exc:
        report_validation_error(exc, model, doc, base, problems)
        return None
    return from_model(validated, plain)


def _read_entries(
    root: Path, file: str, model: type[P], problems: ProblemList
) -> tuple[dict[str, P], YamlDocument | None]:
    """Read a file mapping ids to entries (places.yaml, quotes.yaml)."""
    return _entries_of(_read_mapping(root / file, file, problems), model, problems)


def _read_optional_entries(
    root: Path, file: str, model: type[P], problems: ProblemList
) -> tuple[dict[str, P], YamlDocument | None, set[str] | None]:
    """Read an optional file mapping ids to entries (people.yaml, labels.yaml).

    Returns the entries, the document and the ids references may name: an absent file defines
    none (so a reference to it is an error), an unreadable one gives None (it has its own error).
    """
    path = root / file
    if not path.exists():
        return {}, None, set()
    entries, doc = _entries_of(_read_mapping(path, file, problems), model, problems)
    return entries, doc, _entry_ids(doc)


def _read_mapping(path: Path, file: str, problems: ProblemList) -> YamlDocument | None:
    """Read a file of entries; one with no document (only comments, or nothing) has none: a
    curator who removed every entry need not know to write `{}`."""
    reading = ProblemList()
    doc = read_yaml(path, file, reading)
    if doc is None and [p.code for p in reading] == [EMPTY_FILE]:
        return YamlDocument(file, {})
    problems.extend(reading)
    return doc


def _entries_of(
    doc: YamlDocument | None, model: type[P], problems: ProblemList
) -> tuple[dict[str, P], YamlDocument | None]:
    if doc is None:
        return {}, None
    file = doc.file
    if not isinstance(doc.data, dict):
        problems.error(file, 1, 1, "this file must map ids to entries (id: fields)")
        return {}, doc
    entries: dict[str, P] = {}
    for key, value in doc.data.items():
        line, column = doc.mark((key,), key=True)
        if not isinstance(key, str) or not is_id(key):
            problems.error(
                file,
                line,
                column,
                f"{key!r} is not a valid id: use lower-case letters, digits and hyphens",
            )
            continue
        entry = _validate(model, doc, (key,), value, problems)
        if entry is not None:
            entries[key] = entry
    return entries, doc


def _entry_ids(doc: YamlDocument | None) -> set[str] | None:
    """Every id a file defines, its entry valid or not; None if the file could not be read.

    References are checked against these, so a place with a mistake in it is reported once, in
    places.yaml, and not again as "there is no place" in every event that names it.
    """
    if doc is None or not isinstance(doc.data, dict):
        return None
    return {key for key in doc.data if isinstance(key, str) and is_id(key)}


@dataclass(frozen=True)
class _EventContext:
    """What reading and checking one event file needs; sent once to each worker process."""

    root: Path
    # With errors in bundle.yaml, a stand-in built from its parts that are right (see
    # `_partial_manifest`); None only when bundle.yaml could not be read at all.
    manifest: Manifest | None
    place_ids: Collection[str] | None
    quote_ids: Collection[str] | None
    people_ids: Collection[str] | None
    unknown: frozenset[str] = frozenset()  # the parts of that stand-in not known


@dataclass(frozen=True)
class _EventFile:
    """What one event file gave.

    `checked` holds the cross-checks of a valid event; they count only if no earlier file has
    its id, which only the whole list of files can tell.
    """

    name: str
    problems: list[Problem]
    event: Event | None = None
    id_mark: tuple[int, int] = (1, 1)
    checked: list[Problem] = dataclasses.field(default_factory=list)


def _read_event_file(context: _EventContext, path: Path) -> _EventFile:
    file = f"{EVENTS_DIR}/{path.name}"
    problems = ProblemList()
    doc = read_yaml(path, file, problems)
    if doc is None:
        return _EventFile(file, list(problems))
    event = _validate(Event, doc, (), doc.data, problems)
    check = None
    if context.manifest is not None:
        check = _CrossCheck(context.root, context.manifest, ProblemList(), context.unknown)
    if event is None:
        # Still worth checking, so every problem shows in one run: its references, and the
        # translations of its texts that are well formed (a bad date hid them).
        if check is not None and isinstance(doc.data, dict):
            check.references(
                doc, doc.data, context.place_ids, context.quote_ids, context.people_ids
            )
            check.texts_of_invalid(doc, doc.data, ("title", "summary", "body"))
            problems.extend(check.problems)
        return _EventFile(file, list(problems))
    line, column = doc.mark(("id",))
    if event.id != path.stem:
        problems.error(
            file,
            line,
            column,
            f"the id '{event.id}' differs from the file name; name the file "
            f"'{event.id}.yaml' or change the id to '{path.stem}'",
        )
        return _EventFile(file, list(problems))
    if check is not None:
        check.event(event, doc, context.place_ids, context.quote_ids, context.people_ids)
        return _EventFile(file, list(problems), event, (line, column), list(check.problems))
    return _EventFile(file, list(problems), event, (line, column))


def _read_event_files(context: _EventContext, paths: Sequence[Path]) -> list[_EventFile]:
    """Each file read, validated and checked; its document (the position of every value) is
    then let go, so a large bundle never holds them all at once."""
    return [_read_event_file(context, path) for path in paths]


def _event_chunks(files: list[Path], workers: int) -> list[list[Path]]:
    """The files in chunks: small enough for the work to be shared out evenly, large enough that
    sending each to a worker and its result back costs little beside reading it."""
    if workers < 1 or len(files) < PARALLEL_FROM:
        return [files]
    size = max(EVENT_CHUNK_MIN, min(EVENT_CHUNK_MAX, len(files) // (4 * (workers + 1))))
    return [files[i : i + size] for i in range(0, len(files), size)]


def _read_events(
    context: _EventContext, problems: ProblemList, workers: int | None = None
) -> list[Event]:
    """The valid events, each read, validated and cross-checked.

    A large bundle's files are shared with worker processes (see kiosk/content/parallel.py);
    whoever reads a file, what it gives is the same.
    """
    folder = context.root / EVENTS_DIR
    if not folder.is_dir():
        problems.error(EVENTS_DIR, 1, 1, "the events/ folder is missing")
        return []
    files: list[Path] = []
    # Sorted by name: comparing Path objects costs more than reading a small file.
    for path in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if path.name.startswith("."):  # hidden: editor swap files, .DS_Store
            continue
        if path.suffix in (".yaml", ".yml") and not path.is_dir():
            files.append(path)
        elif _saved_with_extra_ending(path.name) and not path.is_dir():
            # An editor (Windows Notepad, TextEdit) added .txt, and Windows hides the ending:
            # the curator sees "abdication.yaml" and the exhibit would lose the event.
            problems.error(
                f"{EVENTS_DIR}/{path.name}",
                1,
                1,
                f"this event is not read: its name ends in '{path.suffix}' after '.yaml' (an "
                f"editor added it, and Windows may hide it); rename the file to '{path.stem}'",
            )
        else:
            what = "folder" if path.is_dir() else "file"
            problems.warning(
                f"{EVENTS_DIR}/{path.name}",
                1,
                1,
                f"this {what} is ignored: only files ending in .yaml in events/ are events",
            )
    if len(files) > MAX_EVENTS:
        problems.error(EVENTS_DIR, 1, 1, f"too many event files (at most {MAX_EVENTS})")
        files = files[:MAX_EVENTS]
    if not files:
        problems.error(EVENTS_DIR, 1, 1, "there are no event files in events/")
    workers = available_workers() if workers is None else workers
    chunks = _event_chunks(files, workers)
    events: list[Event] = []
    seen: dict[str, str] = {}
    for chunk in map_chunks(_read_event_files, context, chunks, workers):
        for read in chunk:
            problems.extend(read.problems)
            event = read.event
            if event is None:
                continue
            if event.id in seen:
                line, column = read.id_mark
                problems.error(
                    read.name, line, column, f"the id '{event.id}' is also used by {seen[event.id]}"
                )
                continue
            seen[event.id] = read.name
            events.append(event)
            problems.extend(read.checked)
    return events


def _saved_with_extra_ending(name: str) -> bool:
    """`event.yaml.txt` and the like: a YAML file with a text editor's ending added."""
    stem, _, ending = name.rpartition(".")
    return ending.lower() in ("txt", "text") and stem.lower().endswith((".yaml", ".yml"))


def _translations(
    doc: YamlDocument,
    path: KeyPath,
    text: Mapping[str, object],
    languages: list[str],
    problems: ProblemList,
) -> None:
    """Warn about missing translations and languages the bundle does not declare."""
    for language in languages:
        if language not in text:
            name = ".".join(str(p) for p in path if isinstance(p, str)) or "text"
            line, column = doc.mark(path)
            problems.warning(
                doc.file,
                line,
                column,
                f"'{name}' has no '{language}' translation; visitors will see "
                f"the '{languages[0]}' text instead",
            )
    for language in text:
        if language not in languages:
            line, column = doc.mark((*path, language), key=True)
            problems.warning(
                doc.file,
                line,
                column,
                f"'{language}' is not one of the bundle's languages ({', '.join(languages)}); "
                "this text is never shown",
            )


def _bundle_file(root: Path, relative: str) -> Path | None:
    """The file `relative` inside the bundle, or None if it would leave the bundle."""
    candidate = (root / relative).resolve()
    try:
        candidate.relative_to(root.resolve())
    except ValueError:
        return None
    return candidate


def _written_path(relative: str) -> str:
    """A bundle path as the kiosk looks it up: its parts joined by /, without `.` parts."""
    return "/".join(part for part in PurePosixPath(relative).parts if part != ".")


@functools.lru_cache(maxsize=256)
def _names_in(folder: Path, changed: int) -> tuple[str, ...]:
    """The names in a folder (`changed`, its modification time, renews the cached listing)."""
    try:
        return tuple(entry.name for entry in folder.iterdir())
    except OSError:
        return ()


def _listing(folder: Path) -> tuple[str, ...]:
    try:
        changed = folder.stat().st_mtime_ns
    except OSError:
        return ()
    return _names_in(folder, changed)


def _as_on_disk(root: Path, written: str) -> str | None:
    """`written` with each part spelt as it is on disk, found with or without the same
    capitals; None if some part is not there at all (or leaves the bundle with ..)."""
    folder = root
    parts: list[str] = []
    for part in written.split("/"):
        if part in ("", ".."):
            return None
        names = _listing(folder)
        if part not in names:
            folded = part.casefold()
            matches = [name for name in names if name.casefold() == folded]
            if not matches:
                return None
            part = matches[0]
        parts.append(part)
        folder = folder / part
    return "/".join(parts)


def _near_file(root: Path, written: str) -> str:
    """ " - did you mean '...'?" naming a file of the same folder with a similar name, if any."""
    folder, _, name = written.rpartition("/")
    on_disk = _as_on_disk(root, folder) if folder else ""
    if on_disk is None:
        return ""
    names = [n for n in _listing(root / on_disk) if not n.startswith(".")]
    close = closest(name, names)
    if close is None:
        return ""
    return f" - did you mean '{on_disk}/{close}'?" if on_disk else f" - did you mean '{close}'?"


class _CrossCheck:
    """Checks between files: references, dates, coordinates, translations, files."""

    def __init__(
        self,
        root: Path,
        manifest: Manifest,
        problems: ProblemList,
        unknown: frozenset[str] = frozenset(),
    ) -> None:
        self.root = root
        self.manifest = manifest
        self.languages = manifest.languages
        self.problems = problems
        # Parts of bundle.yaml with errors of their own: the checks against them are left out.
        self.unknown = unknown

    def texts_of_invalid(
        self, doc: YamlDocument, data: dict[Any, Any], fields: Sequence[str]
    ) -> None:
        """The translation warnings of an entry that is not valid, for its well-formed texts."""
        for field in fields:
            try:
                text = _LANG_TEXT.validate_python(data.get(field))
            except ValidationError:
                continue  # missing or malformed: reported by the entry's own validation
            self._translation((field,), text, doc)

    def manifest_texts(self, doc: YamlDocument) -> Iterator[tuple[KeyPath, LangText]]:
        yield ("title",), self.manifest.title
        if self.manifest.subtitle:
            yield ("subtitle",), self.manifest.subtitle
        for cat_id, category in self.manifest.categories.items():
            yield ("categories", cat_id, "label"), category.label
        credits = self.manifest.credits
        if isinstance(credits, list):
            for i, credit in enumerate(credits):
                yield ("credits", i), credit
        else:
            for section, texts in credits.sections():
                for i, credit in enumerate(texts):
                    yield ("credits", section, i), credit
        for i, line in enumerate(self.manifest.map.attribution):
            if not isinstance(line, str):
                yield ("map", "attribution", i), line

    def places(self, places: dict[str, Place], doc: YamlDocument) -> None:
        bounds = self.manifest.map.bounds
        for place_id, place in places.items():
            self._translation((place_id, "name"), place.name, doc)
            if place.short_name:
                self._translation((place_id, "short_name"), place.short_name, doc)
            if "bounds" in self.unknown:
                continue  # the map's extent has an error of its own
            inside = bounds.contains(place.lat, place.lon)
            line, column = doc.mark((place_id, "lat"))
            if not inside and not place.off_map:
                hint = ""
                if bounds.contains(place.lon, place.lat):
                    hint = "; latitude and longitude look swapped"
                self.problems.error(
                    doc.file,
                    line,
                    column,
                    f"'{place_id}' ({place.lat}, {place.lon}) is outside the map "
                    f"({bounds.south}-{bounds.north} N, {bounds.west}-{bounds.east} E){hint}; "
                    "if it really is far away, add 'off_map: true'",
                )
            elif inside and place.off_map:
                self.problems.warning(
                    doc.file,
                    line,
                    column,
                    f"'{place_id}' is marked off_map but lies inside the map; "
                    "remove 'off_map: true' to show it where it is",
                )

    def quotes(
        self,
        quotes: dict[str, Quote],
        doc: YamlDocument,
        place_ids: Collection[str] | None,
        people_ids: Collection[str] | None,
    ) -> None:
        for quote_id, quote in quotes.items():
            self.plain_text(doc, (quote_id, "text"), quote.text)
            self._translation((quote_id, "author"), quote.author, doc)
            self._translation((quote_id, "source"), quote.source, doc)
            if quote.person is not None:
                self._reference(
                    doc, (quote_id, "person"), quote.person, people_ids, "person", PEOPLE
                )
            if quote.place is not None:
                self._reference(doc, (quote_id, "place"), quote.place, place_ids, "place", PLACES)
            if quote.describes is not None and not self.manifest.dates.contains(quote.describes):
                line, column = doc.mark((quote_id, "describes"))
                dates = self.manifest.dates
                self.problems.warning(
                    doc.file,
                    line,
                    column,
                    f"{quote.describes.isoformat()} is outside the exhibit's dates "
                    f"({dates.start.isoformat()} to {dates.end.isoformat()} in bundle.yaml); "
                    "'describes' is the day the words tell of",
                )

    def people(self, people: dict[str, Person], doc: YamlDocument) -> None:
        for person_id, person in people.items():
            self._translation((person_id, "name"), person.name, doc)
            self._translation((person_id, "entry"), person.entry, doc)
            self.sources(doc, (person_id, "sources"), person.sources)
            for field in ("short_name", "role"):
                text = getattr(person, field)
                if text:
                    self._translation((person_id, field), text, doc)

    def glossary(self, glossary: dict[str, GlossaryTerm], doc: YamlDocument) -> None:
        """Translations, and no form claimed by two terms (a text's word is one term's)."""
        owner: dict[tuple[str, str], str] = {}
        for term_id, term in glossary.items():
            self._translation((term_id, "forms"), term.forms, doc)
            self._translation((term_id, "definition"), term.definition, doc)
            self.plain_text(doc, (term_id, "definition"), term.definition)
            self.sources(doc, (term_id, "sources"), term.sources)
            for language, forms in term.forms.items():
                for i, form in enumerate(forms):
                    other = owner.setdefault((language, form), term_id)
                    if other != term_id:
                        line, column = doc.mark((term_id, "forms", language, i))
                        self.problems.error(
                            doc.file,
                            line,
                            column,
                            f"'{form}' is already a form of '{other}'; a word in the texts "
                            "can stand for one term only",
                        )

    def glossary_use(
        self, glossary: dict[str, GlossaryTerm], doc: YamlDocument, events: Sequence[Event]
    ) -> None:
        """Warn about a term that no event's summary or story uses, in each language: it is
        never marked, so its definition is never shown."""
        for language in self.languages:
            texts = [
                text
                for event in events
                for field in (event.summary, event.body)
                if (text := field.get(language))
            ]
            used = used_terms(glossary, language, texts)
            for term_id, term in glossary.items():
                if term_id in used or language not in term.forms:
                    continue
                line, column = doc.mark((term_id,), key=True)
                forms = ", ".join(term.forms[language])
                self.problems.warning(
                    doc.file,
                    line,
                    column,
                    f"no event's '{language}' text uses the term '{term_id}' (forms: {forms}), so "
                    "it is never marked; add the form the texts use, or remove the term",
                )

    def labels(self, labels: dict[str, MapLabel], doc: YamlDocument) -> None:
        bounds = self.manifest.map.bounds
        max_zoom = self.manifest.map.max_zoom
        for label_id, label in labels.items():
            self._translation((label_id, "name"), label.name, doc)
            for i, (lat, lon) in enumerate(label.points):
                if "bounds" not in self.unknown and not bounds.contains(lat, lon):
                    path: KeyPath = (label_id, "line", i) if label.line else (label_id, "lat")
                    line, column = doc.mark(path)
                    self.problems.error(
                        doc.file,
                        line,
                        column,
                        f"'{label_id}' ({lat}, {lon}) is outside the map "
                        f"({bounds.south}-{bounds.north} N, {bounds.west}-{bounds.east} E); "
                        "a label is written where it is, so it must lie on the map",
                    )
                    break
            if label.min_zoom > max_zoom:
                line, column = doc.mark((label_id, "min_zoom"))
                self.problems.warning(
                    doc.file,
                    line,
                    column,
                    f"min_zoom {label.min_zoom} is beyond the map's max_zoom ({max_zoom}); "
                    "this label is never shown",
                )

    def event(
        self,
        event: Event,
        doc: YamlDocument,
        place_ids: Collection[str] | None,
        quote_ids: Collection[str] | None,
        people_ids: Collection[str] | None = frozenset(),
    ) -> None:
        for field in ("title", "summary", "body"):
            self._translation((field,), getattr(event, field), doc)
            self.plain_text(doc, (field,), getattr(event, field))
        # The fields references() reads, as model_dump() would give them, without dumping the rest.
        fields = {
            "place": event.place,
            "category": event.category,
            "quotes": event.quotes,
            "people": event.people,
        }
        self.references(doc, fields, place_ids, quote_ids, people_ids)
        self._date(doc, ("date",), event.date)
        if event.date_end is not None:
            self._date(doc, ("date_end",), event.date_end)
        self.sources(doc, ("sources",), event.sources)
        for i, media in enumerate(event.media):
            self._translation(("media", i, "caption"), media.caption, doc)
            self.plain_text(doc, ("media", i, "caption"), media.caption)
            if media.alt is None:
                line, column = doc.mark(("media", i), key=False)
                self.problems.warning(
                    doc.file,
                    line,
                    column,
                    f"'{media.file}' has no alt text: add 'alt' with a sentence per language "
                    "saying what the picture shows, for visitors who cannot see it (screen "
                    "readers read it out)",
                )
            else:
                self._translation(("media", i, "alt"), media.alt, doc)
                self.plain_text(doc, ("media", i, "alt"), media.alt)
            self.image(doc, ("media", i, "file"), media.file)
        for language, value in event.audio.items():
            recording = event.recording(language)
            assert recording is not None
            where: KeyPath = (
                ("audio", language) if isinstance(value, str) else ("audio", language, "file")
            )
            self.recording(doc, where, recording.file)
            if recording.transcript is not None:
                self.plain_text(
                    doc, ("audio", language, "transcript"), {language: recording.transcript}
                )
        for language in event.audio:
            if language not in self.languages:
                line, column = doc.mark(("audio", language), key=True)
                self.problems.warning(
                    doc.file,
                    line,
                    column,
                    f"there is a recording in '{language}', which is not one of the bundle's "
                    "languages; no visitor will hear it",
                )

    def references(
        self,
        doc: YamlDocument,
        data: dict[Any, Any],
        place_ids: Collection[str] | None,
        quote_ids: Collection[str] | None,
        people_ids: Collection[str] | None = frozenset(),
    ) -> None:
        """Check an event's place, category, quotations and people; `data` may be an invalid
        event's, so only values that are well-formed ids are looked up (others have their own
        error)."""

        def check(
            path: KeyPath, value: object, known: Collection[str] | None, what: str, where: str
        ) -> None:
            if isinstance(value, str) and is_id(value):
                self._reference(doc, path, value, known, what, where)

        check(("place",), data.get("place"), place_ids, "place", PLACES)
        categories = None if "categories" in self.unknown else self.manifest.categories
        check(("category",), data.get("category"), categories, "category", MANIFEST)
        quotes = data.get("quotes")
        for i, quote_id in enumerate(quotes if isinstance(quotes, list) else []):
            check(("quotes", i), quote_id, quote_ids, "quotation", QUOTES)
        people = data.get("people")
        for i, person_id in enumerate(people if isinstance(people, list) else []):
            check(("people", i), person_id, people_ids, "person", PEOPLE)

    def file_exists(self, doc: YamlDocument, path: KeyPath, relative: str) -> Path | None:
        line, column = doc.mark(path)
        resolved = _bundle_file(self.root, relative)
        if resolved is None:
            self.problems.error(
                doc.file,
                line,
                column,
                f"'{relative}' leads outside the bundle folder (it is a link to a file "
                "elsewhere); copy the file itself into the bundle",
            )
            return None
        written = _written_path(relative)
        on_disk = _as_on_disk(self.root, written)
        if on_disk is not None and on_disk != written:
            # Found only by ignoring capitals: Windows and macOS do, the kiosk's Linux does not.
            self.problems.error(
                doc.file,
                line,
                column,
                f"the file is named '{on_disk}', not '{relative}'; write the name exactly as it "
                "is, capitals included (Windows and macOS find the file either way, a kiosk "
                "running Linux does not)",
            )
            return None
        if not resolved.is_file():
            hint = _near_file(self.root, written)
            self.problems.error(
                doc.file, line, column, f"the file '{relative}' does not exist{hint}"
            )
            return None
        return resolved

    def image(self, doc: YamlDocument, path: KeyPath, relative: str) -> None:
        resolved = self.file_exists(doc, path, relative)
        if resolved is None:
            return
        problem, info = inspect_image(resolved)
        line, column = doc.mark(path)
        if problem is not None:
            self.problems.error(doc.file, line, column, f"'{relative}': {problem}")
        elif info is not None and (note := size_warning(info)) is not None:
            self.problems.warning(doc.file, line, column, f"'{relative}': {note}")

    def sources(self, doc: YamlDocument, path: KeyPath, sources: Sequence[Source]) -> None:
        """A source given per language should have every language (a plain line serves all)."""
        for i, source in enumerate(sources):
            if not isinstance(source, str):
                self._translation((*path, i), source, doc)

    def recording(self, doc: YamlDocument, path: KeyPath, relative: str) -> None:
        resolved = self.file_exists(doc, path, relative)
        problem = audio_problem(resolved) if resolved is not None else None
        if problem is not None:
            line, column = doc.mark(path)
            self.problems.error(doc.file, line, column, f"'{relative}': {problem}")

    def plain_text(self, doc: YamlDocument, path: KeyPath, text: LangText) -> None:
        """Warn about markup that visitors would read as it is, not as formatting."""
        for language, value in text.items():
            found = find_markup(value)
            if found is not None:
                line, column = doc.mark((*path, language))
                self.problems.warning(
                    doc.file,
                    line,
                    column,
                    f"this text contains markup ({found}); the kiosk shows text exactly as "
                    "written, so visitors would read the markup itself: remove it",
                )

    def _translation(self, path: KeyPath, text: Mapping[str, object], doc: YamlDocument) -> None:
        if "languages" not in self.unknown:
            _translations(doc, path, text, self.languages, self.problems)

    def _reference(
        self,
        doc: YamlDocument,
        path: KeyPath,
        value: str,
        known: Collection[str] | None,
        what: str,
        where: str,
    ) -> None:
        # None: the file that defines these ids could not be read; it has its own error.
        if known is not None and value not in known:
            line, column = doc.mark(path)
            hint = did_you_mean(value, list(known))
            self.problems.error(
                doc.file, line, column, f"there is no {what} '{value}' in {where}{hint}"
            )

    def _date(self, doc: YamlDocument, path: KeyPath, day: dt.date) -> None:
        dates = self.manifest.dates
        if not dates.contains(day):
            line, column = doc.mark(path)
            self.problems.error(
                doc.file,
                line,
                column,
                f"{day.isoformat()} is outside the exhibit's dates "
                f"({dates.start.isoformat()} to {dates.end.isoformat()} in bundle.yaml)",
            )


_LANG_TEXT: TypeAdapter[dict[str, str]] = TypeAdapter(models.LangText)
_WHOLE_WORLD = models.Bounds(west=-180, south=-85, east=180, north=85)


def _partial_manifest(data: Any) -> tuple[Manifest, frozenset[str]] | None:
    """A stand-in for a bundle.yaml with errors, from the parts of it that are right, so the
    other files are still checked against them: its languages, dates, map bounds and zoom, and
    categories. Returns the stand-in and the names of the parts not known; None if not even a
    mapping was read."""
    if not isinstance(data, dict):
        return None
    unknown: set[str] = set()

    def part(name: str, adapter: TypeAdapter[Any], value: Any, default: Any) -> Any:
        try:
            return adapter.validate_python(value)
        except ValidationError:
            unknown.add(name)
            return default

    languages = part("languages", TypeAdapter(list[Lang]), data.get("languages"), [])
    if not languages:
        unknown.add("languages")
    dates = part(
        "dates",
        TypeAdapter(models.DateRange),
        data.get("dates"),
        models.DateRange(start=dt.date.min, end=dt.date.max),
    )
    found_map = data.get("map")
    spec: dict[Any, Any] = found_map if isinstance(found_map, dict) else {}
    bounds = part("bounds", TypeAdapter(models.Bounds), spec.get("bounds"), _WHOLE_WORLD)
    max_zoom = part("max_zoom", TypeAdapter(float), spec.get("max_zoom", 8.0), 64.0)
    categories = part(
        "categories", TypeAdapter(dict[Id, models.Category]), data.get("categories"), {}
    )
    calendar: Literal["julian", "gregorian"] = (
        "julian" if data.get("calendar") == "julian" else "gregorian"
    )
    stand_in = models.Manifest.model_construct(
        format=1,
        id=str(data.get("id", "")),
        version=str(data.get("version", "")),
        title={},
        languages=languages,
        calendar=calendar,
        dates=dates,
        map=models.MapSpec.model_construct(
            bounds=bounds, max_zoom=max_zoom, layers=[], attribution=[]
        ),
        categories=categories,
    )
    return from_model(stand_in, Manifest), frozenset(unknown)


def _check_manifest(
    root: Path, manifest: Manifest, doc: YamlDocument, check: _CrossCheck, problems: ProblemList
) -> tuple[tuple[LayerGeometry, ...], GeoPlan | None]:
    line, column = doc.mark(("id",))
    if manifest.id != root.resolve().name:
        problems.warning(
            MANIFEST,
            line,
            column,
            f"the bundle id '{manifest.id}' differs from its folder name '{root.resolve().name}'",
        )
    for path, text in check.manifest_texts(doc):
        _translations(doc, path, text, manifest.languages, problems)
    _check_words(manifest, doc, problems)
    projection = Projection(manifest.map.bounds)
    layers: list[LayerGeometry] = []
    seen: set[str] = set()
    for i, layer in enumerate(manifest.map.layers):
        if layer.id in seen:
            line, column = doc.mark(("map", "layers", i, "id"))
            problems.error(MANIFEST, line, column, f"two map layers have the id '{layer.id}'")
        seen.add(layer.id)
        resolved = check.file_exists(doc, ("map", "layers", i, "file"), layer.file)
        if resolved is not None:
            geometry = read_layer(resolved, layer.file, layer.id, projection, problems)
            if geometry is not None:
                layers.append(geometry)
    plan = None
    if manifest.map.plan is not None:
        plan = check_plan(
            manifest.map.plan,
            doc,
            projection,
            lambda path, relative: check.file_exists(doc, path, relative),
            problems,
        )
    return tuple(layers), plan


def _check_words(manifest: Manifest, doc: YamlDocument, problems: ProblemList) -> None:
    """The bundle's own interface words and calendar note, and the words still missing."""
    known = interface_words.keys()
    languages = manifest.languages
    for key, texts in manifest.words.items():
        if key not in known:
            line, column = doc.mark(("words", key), key=True)
            hint = did_you_mean(key, list(known))
            problems.error(MANIFEST, line, column, f"the kiosk has no word '{key}'{hint}")
            continue
        for language, text in texts.items():
            problem = interface_words.placeholder_problem(key, text)
            if problem is not None:
                line, column = doc.mark(("words", key, language))
                problems.error(MANIFEST, line, column, problem)
            if language not in languages:
                line, column = doc.mark(("words", key, language), key=True)
                problems.warning(
                    MANIFEST,
                    line,
                    column,
                    f"'{language}' is not one of the bundle's languages "
                    f"({', '.join(languages)}); this word is never shown",
                )
    for language, text in manifest.calendar_note.items():
        problem = interface_words.placeholder_problem("calendar_note", text)
        if problem is not None:
            line, column = doc.mark(("calendar_note", language))
            problems.error(MANIFEST, line, column, problem)
    if manifest.calendar_note:
        if manifest.calendar == "julian":
            _translations(doc, ("calendar_note",), manifest.calendar_note, languages, problems)
        else:
            line, column = doc.mark(("calendar_note",), key=True)
            problems.warning(
                MANIFEST, line, column, "calendar_note is shown only for a julian calendar"
            )
    for index, language in enumerate(languages):
        missing = interface_words.missing_words(language, manifest.words)
        line, column = doc.mark(("languages", index))
        for key in missing:
            english = interface_words.built_in(interface_words.SOURCE_LANGUAGE, key)
            problems.warning(
                MANIFEST,
                line,
                column,
                f"the kiosk has no '{language}' text for its word '{key}' (in English: "
                f'"{english}"); visitors will read the English; add it under words: {key}:',
            )


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused, and turned back on after if it was on.

    For a program that only validates (`kiosk validate`, `publish`, the benchmark): reading a
    bundle makes objects by the hundred thousand that live on (the events) and next to no
    reference cycles, so the collector's passes over them find nothing and take a tenth of the
    time of a 10,000-event bundle, more the larger the bundle. `validate_bundle` itself leaves
    the collector alone: the collector is the whole process's, and in the kiosk it belongs to the
    GUI thread (kiosk/ui/qt/gui_collector.py), whichever thread validates.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _require_bundle_folder(root: Path) -> None:
    """`NotABundle` unless `root` is a folder with a bundle.yaml."""
    if not root.is_dir():
        raise NotABundle(f"{root} is not a folder")
    if not (root / MANIFEST).is_file():
        if (root / "bundle.yml").is_file():
            raise NotABundle(f"{root} has bundle.yml; rename it to {MANIFEST}")
        raise NotABundle(f"{root} has no {MANIFEST}; is it a content bundle?")


def _checked_against(
    manifest: Manifest | None, doc: YamlDocument | None
) -> tuple[Manifest | None, frozenset[str]]:
    """What the other files are checked against: the manifest, or with errors in bundle.yaml a
    stand-in from the parts of it that are right (and which parts are not known)."""
    if manifest is not None or doc is None:
        return manifest, frozenset()
    partial = _partial_manifest(doc.data)
    return partial if partial is not None else (None, frozenset())


def validate_bundle(
    root: Path, *, workers: int | None = None
) -> tuple[Bundle | None, list[Problem]]:
    """Check a bundle folder completely; the bundle is returned only if it has no errors.

    `workers`: how many worker processes may share the reading of a large bundle's events
    (None: one per processor beyond this one's, none in the packaged program; 0: none).
    """
    _require_bundle_folder(root)
    problems = ProblemList()
    manifest_doc = read_yaml(root / MANIFEST, MANIFEST, problems)
    manifest = None
    if manifest_doc is not None:
        manifest = _validate(Manifest, manifest_doc, (), manifest_doc.data, problems)
    places, places_doc = _read_entries(root, PLACES, Place, problems)
    quotes, quotes_doc = _read_entries(root, QUOTES, Quote, problems)
    people, people_doc, people_ids = _read_optional_entries(root, PEOPLE, Person, problems)
    labels, labels_doc, _ = _read_optional_entries(root, LABELS, MapLabel, problems)
    glossary, glossary_doc, _ = _read_optional_entries(root, GLOSSARY, GlossaryTerm, problems)
    place_ids, quote_ids = _entry_ids(places_doc), _entry_ids(quotes_doc)

    layers: tuple[LayerGeometry, ...] = ()
    plan: GeoPlan | None = None
    checked_against, unknown = _checked_against(manifest, manifest_doc)
    if checked_against is not None:
        check = _CrossCheck(root, checked_against, problems, unknown)
        if manifest is not None and manifest_doc is not None:
            layers, plan = _check_manifest(root, manifest, manifest_doc, check, problems)
        if places_doc is not None:
            check.places(places, places_doc)
        if quotes_doc is not None:
            check.quotes(quotes, quotes_doc, place_ids, people_ids)
        if people_doc is not None:
            check.people(people, people_doc)
        if labels_doc is not None:
            check.labels(labels, labels_doc)
        if glossary_doc is not None:
            check.glossary(glossary, glossary_doc)

    context = _EventContext(root, checked_against, place_ids, quote_ids, people_ids, unknown)
    events = _read_events(context, problems, workers)
    if manifest is not None and glossary_doc is not None and glossary:
        _CrossCheck(root, manifest, problems).glossary_use(glossary, glossary_doc, events)

    found = problems.sorted()
    if problems.has_errors or manifest is None:
        return None, found
    ordered = tuple(sorted(events, key=lambda e: e.sort_key))
    bundle = Bundle(
        root, manifest, places, quotes, ordered, layers, people, labels, glossary, plan=plan
    )
    return bundle, found


def load_bundle(root: Path) -> Bundle:
    """A usable bundle, or `BundleInvalid` listing every problem."""
    bundle, problems = validate_bundle(root)
    if bundle is None:
        raise BundleInvalid(problems)
    return bundle
