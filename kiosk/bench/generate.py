"""Large synthetic bundles for the benchmarks, valid by construction and the same for a given seed.

`generate(n, folder)` writes a bundle of `n` events built on a real base bundle (the shipped
Petrograd one by default): its map layers, labels, categories, credits and licence are copied as
they are, so the map is exactly as heavy as the real exhibit's, and the events, places, quotations
and people are generated from the base's own words: titles, summaries, paragraphs, quotations and
sources are drawn sentence by sentence from the base's texts in each of its languages, so text
lengths and scripts are realistic. Every generated event is numbered in its title, so nobody can
mistake a generated bundle for real content.

The base bundle is validated first, and everything generated keeps to the rules the loader checks
(ids, references, dates inside the exhibit's range, places inside the map, every text in every
language, no markup, each YAML file under the size cap), so the result validates with no errors
and no warnings. tests/bench/test_generate.py proves it for 100 and 1,000 events; the benchmark
suite validates a 10,000-event one every run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kiosk.content import Bundle, load_bundle
from kiosk.content.data import LangText, is_id, source_text
from kiosk.content.yaml_source import MAX_YAML_BYTES
from kiosk.paths import default_bundle

try:  # libyaml's emitter: the 10,000-event bundle is written in seconds, not a minute
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]

DEFAULT_SEED = 1917

# Shares of the events that get each optional field; about what a curated bundle has.
_WITH_TIME = 0.4
_WITH_END_DATE = 0.1
_OFF_MAP_EVENTS = 0.01
# A few given and family names per language, in step (index i is the same name in each language);
# only the bundle's own languages are used, and any other language falls back to the first list.
_GIVEN = {
    "en": ["Ivan", "Pyotr", "Anna", "Maria", "Sergei", "Olga", "Nikolai", "Vera", "Pavel",
           "Elena", "Mikhail", "Natalia", "Grigory", "Tatiana", "Aleksei", "Sofia"],
    "ru": ["Иван", "Пётр", "Анна", "Мария", "Сергей", "Ольга", "Николай", "Вера", "Павел",
           "Елена", "Михаил", "Наталья", "Григорий", "Татьяна", "Алексей", "Софья"],
}  # fmt: skip
_FAMILY = {
    "en": ["Smirnov", "Ivanov", "Kuznetsov", "Popov", "Sokolov", "Lebedev", "Kozlov", "Novikov",
           "Morozov", "Volkov", "Solovyov", "Vasiliev", "Zaitsev", "Pavlov", "Semyonov", "Golubev"],
    "ru": ["Смирнов", "Иванов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков",
           "Морозов", "Волков", "Соловьёв", "Васильев", "Зайцев", "Павлов", "Семёнов", "Голубев"],
}  # fmt: skip
_NUMBER_WORD = {"en": "no.", "ru": "№", "de": "Nr.", "fr": "n°"}
# Sentence ends: split after . ! ? … followed by a space; keeps quotation marks with their sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def _number_word(language: str) -> str:
    return _NUMBER_WORD.get(language.split("-")[0], "#")


@dataclass(frozen=True)
class Counts:
    """How many of each entry a bundle of `events` events gets: about the base's proportions,
    capped so each single YAML file stays well under the loader's size limit."""

    events: int
    places: int
    quotes: int
    people: int

    @classmethod
    def for_events(cls, events: int) -> Counts:
        return cls(
            events=events,
            places=min(max(events // 4, 10), 3000),
            quotes=min(max(events // 4, 5), 1200),
            people=min(max(events // 25, 5), 400),
        )


class _Words:
    """The base bundle's texts per language, cut into pieces to draw from."""

    def __init__(self, base: Bundle) -> None:
        self.languages = base.manifest.languages
        self.titles = self._texts(e.title for e in base.events)
        self.summaries = self._texts(e.summary for e in base.events)
        self.sentences = self._sentences(e.body for e in base.events)
        self.quote_texts = self._texts(q.text for q in base.quotes.values())
        self.quote_sources = self._texts(q.source for q in base.quotes.values())
        self.entries = self._texts(p.entry for p in base.people.values())
        self.roles = self._texts(p.role for p in base.people.values() if p.role)
        first = self.languages[0]
        self.sources = sorted(
            {source_text(s, first, first) for e in base.events for s in e.sources}
        )

    def _texts(self, texts: Any) -> list[LangText]:
        # Only texts that have every language, so each generated text has them all too.
        return [dict(t) for t in texts if all(lang in t for lang in self.languages)]

    def _sentences(self, bodies: Any) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {lang: [] for lang in self.languages}
        for body in bodies:
            for lang in self.languages:
                if lang in body:
                    found[lang].extend(
                        s for s in _SENTENCE_END.split(body[lang].replace("\n", " ")) if s.strip()
                    )
        return found


class _Generator:
    def __init__(self, base: Bundle, counts: Counts, seed: int) -> None:
        self.base = base
        self.counts = counts
        self.random = random.Random(seed)
        self.words = _Words(base)
        self.languages = base.manifest.languages
        if not self.words.titles or not self.words.quote_texts or not self.words.entries:
            raise ValueError(
                f"the base bundle {base.root} needs events, quotations and people with every "
                "text in all its languages to generate from"
            )

    # -- small helpers -------------------------------------------------------------------------

    def _pick(self, items: Sequence[Any]) -> Any:
        return items[self.random.randrange(len(items))]

    def _numbered(self, text: LangText, number: int) -> LangText:
        return {lang: f"{value} ({_number_word(lang)} {number})" for lang, value in text.items()}

    def _paragraphs(self) -> LangText:
        # 2-4 paragraphs of 1-3 sentences: the base events' bodies are about that long.
        shape = [self.random.randint(1, 3) for _ in range(self.random.randint(2, 4))]
        body: LangText = {}
        for lang in self.languages:
            pool = self.words.sentences[lang]
            body[lang] = "\n\n".join(
                " ".join(self._pick(pool) for _ in range(count)) for count in shape
            )
        return body

    def _day(self) -> dt.date:
        dates = self.base.manifest.dates
        span = (dates.end - dates.start).days
        return dates.start + dt.timedelta(days=self.random.randint(0, span))

    def _time(self) -> str:
        return f"{self.random.randint(6, 22):02d}:{self.random.choice((0, 15, 30, 45)):02d}"

    # -- the files -----------------------------------------------------------------------------

    def places(self) -> dict[str, dict[str, Any]]:
        """The base's places (off-map ones too) and generated addresses spread over the map."""
        places = {pid: _dump(place) for pid, place in self.base.places.items()}
        streets = [
            dict(label.name)
            for label in self.base.labels.values()
            if label.kind in ("street", "square") and all(x in label.name for x in self.languages)
        ] or [dict(place.name) for place in self.base.places.values()]
        bounds = self.base.manifest.map.bounds
        # Keep 3% off each edge, where the map's frame and buttons are.
        dx, dy = (bounds.east - bounds.west) * 0.03, (bounds.north - bounds.south) * 0.03
        for i in range(1, self.counts.places + 1):
            street = self._pick(streets)
            places[f"place-{i:05d}"] = {
                "name": self._numbered(street, i),
                "lat": round(self.random.uniform(bounds.south + dy, bounds.north - dy), 5),
                "lon": round(self.random.uniform(bounds.west + dx, bounds.east - dx), 5),
            }
        return places

    def people(self) -> dict[str, dict[str, Any]]:
        people = {pid: _dump(person) for pid, person in self.base.people.items()}
        for i in range(1, self.counts.people + 1):
            given, family = self.random.randrange(16), self.random.randrange(16)
            name = {
                lang: f"{_GIVEN.get(lang, _GIVEN['en'])[given]} "
                f"{_FAMILY.get(lang, _FAMILY['en'])[family]} ({_number_word(lang)} {i})"
                for lang in self.languages
            }
            born = self.random.randint(1850, 1900)
            person: dict[str, Any] = {"name": name, "born": born}
            if self.random.random() < 0.7:
                person["died"] = self.random.randint(born + 20, born + 90)
            if self.words.roles:
                person["role"] = self._pick(self.words.roles)
            person["entry"] = self._pick(self.words.entries)
            if self.words.sources:
                person["sources"] = [self._pick(self.words.sources)]
            people[f"person-{i:04d}"] = person
        return people

    def quotes(self, people: Sequence[str], places: Sequence[str]) -> dict[str, dict[str, Any]]:
        quotes = {qid: _dump(quote) for qid, quote in self.base.quotes.items()}
        for i in range(1, self.counts.quotes + 1):
            person_id = self._pick(people)
            person = self._people[person_id]
            quote: dict[str, Any] = {
                "text": self._pick(self.words.quote_texts),
                "author": person["name"],
                "person": person_id,
                "source": self._pick(self.words.quote_sources),
                "date": self._day(),
            }
            if self.random.random() < 0.5:
                quote["place"] = self._pick(places)
            quotes[f"quote-{i:05d}"] = quote
        return quotes

    def event(self, number: int, places: Sequence[str], off_map: Sequence[str]) -> dict[str, Any]:
        place = self._pick(
            off_map if off_map and self.random.random() < _OFF_MAP_EVENTS else places
        )
        day = self._day()
        event: dict[str, Any] = {"id": f"event-{number:05d}", "date": day}
        if self.random.random() < _WITH_END_DATE and day < self.base.manifest.dates.end:
            event["date_end"] = day + dt.timedelta(days=1)
        if self.random.random() < _WITH_TIME:
            event["time"] = self._time()
            if self.random.random() < 0.3:
                event["time_approximate"] = True
        event["place"] = place
        event["category"] = self._pick(self._categories)
        event["title"] = self._numbered(self._pick(self.words.titles), number)
        event["summary"] = self._pick(self.words.summaries)
        event["body"] = self._paragraphs()
        quotes = self.random.sample(self._quote_ids, k=min(self._quote_count(), 3))
        if quotes:
            event["quotes"] = quotes
        people = self.random.sample(self._person_ids, k=min(self.random.randint(0, 3), 3))
        if people:
            event["people"] = people
        if self.words.sources:
            event["sources"] = [
                self._pick(self.words.sources) for _ in range(self.random.randint(1, 3))
            ]
        return event

    def _quote_count(self) -> int:
        roll = self.random.random()
        return 0 if roll < 0.4 else 1 if roll < 0.85 else 2

    def write(self, folder: Path) -> None:
        base = self.base.root
        folder.mkdir(parents=True)
        manifest = yaml.safe_load((base / "bundle.yaml").read_text(encoding="utf-8"))
        manifest["id"] = folder.resolve().name if is_id(folder.resolve().name) else "generated"
        manifest["version"] = f"generated-{self.counts.events}"
        manifest["title"] = {
            lang: f"{value} ({self.counts.events} generated events)"
            for lang, value in manifest["title"].items()
        }
        for layer in manifest["map"]["layers"]:
            (folder / layer["file"]).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(base / layer["file"], folder / layer["file"])
        for extra in ("map/LICENSE.md", "labels.yaml"):
            if (base / extra).is_file():
                (folder / extra).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(base / extra, folder / extra)
        _write(folder / "bundle.yaml", manifest)

        self._categories = sorted(self.base.manifest.categories)
        places = self.places()
        on_map = [pid for pid, p in places.items() if not p.get("off_map")]
        off_map = [pid for pid, p in places.items() if p.get("off_map")]
        self._people = self.people()
        self._person_ids = sorted(self._people)
        quotes = self.quotes(self._person_ids, on_map)
        self._quote_ids = sorted(quotes)
        _write(folder / "places.yaml", places)
        _write(folder / "people.yaml", self._people)
        _write(folder / "quotes.yaml", quotes)
        events = folder / "events"
        events.mkdir()
        for number in range(1, self.counts.events + 1):
            event = self.event(number, on_map, off_map)
            _write(events / f"{event['id']}.yaml", event)


def _dump(entry: Any) -> dict[str, Any]:
    # Only the fields the curator wrote (those not at their default), so a copied entry looks
    # like the original. The entries are kiosk.content.data's flat classes (no nested ones).
    data: dict[str, Any] = {}
    for field in dataclasses.fields(entry):
        value = getattr(entry, field.name)
        if field.default is not dataclasses.MISSING:
            default: Any = field.default
        elif field.default_factory is not dataclasses.MISSING:
            default = field.default_factory()
        else:
            data[field.name] = value
            continue
        if value != default:
            data[field.name] = value
    return data


def _str_representer(dumper: Any, value: str) -> yaml.ScalarNode:
    # Paragraphs as literal blocks, as curators write them.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _CuratorDumper(_Dumper):
    """Writes YAML as a curator would: no anchors or aliases (the loader refuses them, and an
    entry shared between two places in the data must be written out in full), paragraphs as
    literal blocks."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_CuratorDumper.add_representer(str, _str_representer)


def _write(path: Path, data: Any) -> None:
    text = yaml.dump(data, Dumper=_CuratorDumper, allow_unicode=True, sort_keys=False, width=100)
    size = len(text.encode("utf-8"))
    if size > MAX_YAML_BYTES:  # the counts are chosen so this never happens; say so if it does
        raise ValueError(f"{path.name} would be {size} bytes, over the {MAX_YAML_BYTES} limit")
    path.write_text(text, encoding="utf-8")


def generate(
    events: int, folder: Path, *, base: Path | None = None, seed: int = DEFAULT_SEED
) -> Path:
    """Write a bundle of `events` generated events into `folder` (which must not exist yet)."""
    if events < 1:
        raise ValueError("a bundle needs at least one event")
    if folder.exists():
        raise FileExistsError(f"{folder} already exists; give a new folder")
    _Generator(load_bundle(base or default_bundle()), Counts.for_events(events), seed).write(folder)
    return folder
