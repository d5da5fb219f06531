"""The numbers of the report, computed from a merged `Dataset` (and the exhibit's names).

With the exhibit's bundle, every event and quotation is listed by its title, the never-opened
ones included; without it, only what visitors opened is known, by id.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from kiosk.analytics.dataset import Dataset
from kiosk.content import Bundle


@dataclass(frozen=True)
class Named:
    """Something visitors can open: its id and the name a curator knows it by."""

    id: str
    name: str


@dataclass(frozen=True)
class Catalogue:
    """The exhibit's events, quotations and people, in the bundle's order, with names."""

    events: tuple[Named, ...] = ()
    quotes: tuple[Named, ...] = ()
    people: tuple[Named, ...] = ()
    language_names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, bundle: Bundle) -> Catalogue:
        language = bundle.default_language

        def pick(texts: dict[str, str]) -> str:
            return texts.get(language) or next(iter(texts.values()), "")

        def short(text: str, words: int = 12) -> str:
            split = text.split()
            return " ".join(split[:words]) + (" …" if len(split) > words else "")

        return cls(
            events=tuple(Named(e.id, pick(e.title)) for e in bundle.events),
            quotes=tuple(
                Named(qid, f"{pick(q.author)}: “{short(pick(q.text))}”")
                for qid, q in bundle.quotes.items()
            ),
            people=tuple(Named(pid, pick(p.name)) for pid, p in bundle.people.items()),
            language_names=dict(bundle.manifest.language_names),
        )


@dataclass(frozen=True)
class Opened:
    """How often something was opened, and for how long (seconds)."""

    item: Named
    opens: int
    by_play: int = 0  # events shown by the story playing, not chosen by the visitor
    median_seconds: float | None = None
    total_seconds: float = 0.0


@dataclass
class Figures:
    """Everything the report shows, as numbers."""

    sessions: int
    first: float  # the first session's start (seconds since 1970)
    last: float
    median_session_seconds: float | None
    unfinished_sessions: int  # ended by a power cut or a crash: no length known
    touches: int
    map_touches: int
    median_touches: float
    events: list[Opened]  # every event, most opened first
    quotes: list[Opened]
    people: list[Opened]
    credits_opens: int
    languages: list[tuple[str, int]]  # language, sessions that used it (most first)
    switched_language: int  # sessions that used more than one language
    hours: list[int]  # sessions started in each hour of the kiosk's local day
    attract_interruptions: int
    median_attract_seconds: float | None  # how long the loop had run when someone came
    countdown_rescues: int
    play_starts: int
    day_choices: list[tuple[str, int]]  # day (ISO), times chosen, in date order
    timeline_sessions: int  # sessions that chose a day or played the story
    kiosks: list[tuple[str, int]]  # kiosk, sessions
    dropped: int
    versions: list[tuple[str, int]]  # bundle version, sessions
    # Every visitor (issue 19): sessions that used the keypad, a screen reader, narration.
    keypad_sessions: int = 0
    keypad_presses: int = 0
    screen_reader_sessions: int = 0
    narration_sessions: int = 0
    narrations: int = 0  # recordings or readings started
    spoken_by_system: int = 0  # of those, read by the system's voice (no recording)
    median_narration_seconds: float | None = None


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _opened(
    catalogue: tuple[Named, ...], counts: dict[str, list[float]], played: Counter[str]
) -> list[Opened]:
    known = {n.id: n for n in catalogue}
    # Opened ids the bundle does not (or no longer) have are still listed, by id.
    items = list(catalogue) + [Named(i, i) for i in sorted(set(counts) - set(known))]
    figures = [
        Opened(
            item,
            len(counts.get(item.id, [])),
            played.get(item.id, 0),
            _median(counts.get(item.id, [])),
            sum(counts.get(item.id, [])),
        )
        for item in items
    ]
    order = {n.id: i for i, n in enumerate(items)}
    return sorted(figures, key=lambda f: (-f.opens, -f.by_play, order[f.item.id]))


def compute(data: Dataset, catalogue: Catalogue | None = None) -> Figures:  # noqa: C901 - one figure per kind of record in the report
    catalogue = catalogue or Catalogue()
    sessions = data.sessions
    lengths = [s.seconds for s in sessions if s.seconds is not None]
    event_dwell: dict[str, list[float]] = {}
    played: Counter[str] = Counter()
    quote_dwell: dict[str, list[float]] = {}
    people: dict[str, list[float]] = {}
    days: Counter[str] = Counter()
    timeline_users: set[str] = set()
    attract: list[float] = []
    counts: Counter[str] = Counter()
    users: dict[str, set[str]] = {"keypad": set(), "screen_reader": set(), "narration": set()}
    listened: list[float] = []
    for action in data.actions:
        if action.kind in users:
            users[action.kind].add(action.session_key)
        if action.kind == "narration":
            listened.append(action.seconds or 0.0)
        counts[action.kind] += 1
        subject = action.subject or ""
        if action.kind == "event":
            if action.via == "play":
                played[subject] += 1
            else:
                event_dwell.setdefault(subject, []).append(action.seconds or 0.0)
        elif action.kind == "quote":
            quote_dwell.setdefault(subject, []).append(action.seconds or 0.0)
        elif action.kind == "person":
            people.setdefault(subject, []).append(0.0)
        elif action.kind == "day":
            days[subject] += 1
            timeline_users.add(action.session_key)
        elif action.kind == "play":
            timeline_users.add(action.session_key)
        elif action.kind == "attract_interrupted" and action.seconds is not None:
            attract.append(action.seconds)
    languages: Counter[str] = Counter()
    for session in sessions:
        languages.update(set(session.languages))
    hours = [0] * 24
    for session in sessions:
        hours[session.local_hour] += 1
    kiosks = Counter(s.kiosk for s in sessions)
    versions = Counter(s.bundle_version for s in sessions)
    person_figures = [Opened(o.item, o.opens) for o in _opened(catalogue.people, people, Counter())]
    return Figures(
        sessions=len(sessions),
        first=min(s.started for s in sessions),
        last=max(s.started for s in sessions),
        median_session_seconds=_median(lengths),
        unfinished_sessions=len(sessions) - len(lengths),
        touches=sum(s.touches for s in sessions),
        map_touches=sum(data.taps.values()),
        median_touches=statistics.median(s.touches for s in sessions),
        events=_opened(catalogue.events, event_dwell, played),
        quotes=_opened(catalogue.quotes, quote_dwell, Counter()),
        people=person_figures,
        credits_opens=counts["credits"],
        languages=languages.most_common(),
        switched_language=sum(1 for s in sessions if len(set(s.languages)) > 1),
        hours=hours,
        attract_interruptions=counts["attract_interrupted"],
        median_attract_seconds=_median(attract),
        countdown_rescues=counts["countdown_rescued"],
        play_starts=counts["play"],
        day_choices=sorted(days.items()),
        timeline_sessions=len(timeline_users),
        kiosks=sorted(kiosks.items(), key=lambda k: (-k[1], k[0])),
        dropped=sum(s.dropped for s in data.sources),
        versions=sorted(versions.items()),
        keypad_sessions=len(users["keypad"]),
        keypad_presses=counts["keypad"],
        screen_reader_sessions=len(users["screen_reader"]),
        narration_sessions=len(users["narration"]),
        narrations=counts["narration"],
        spoken_by_system=sum(
            1 for a in data.actions if a.kind == "narration" and a.via == "speech"
        ),
        median_narration_seconds=_median(listened),
    )
