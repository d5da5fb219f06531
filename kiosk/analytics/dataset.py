"""Reading one or more kiosks' analytics databases and merging them into one `Dataset`.

Every way an input can be wrong (a missing file, a file that is not SQLite, an SQLite file that
is not an analytics database, another schema version, databases of different exhibits) becomes a
`ReportError` with a sentence a curator can act on. Databases are opened read-only, so making a
report never changes them (a kiosk may still be writing).
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.analytics.schema import SCHEMA_VERSION, TAP_CELL_M


class ReportError(Exception):
    """The inputs cannot make a report; the message says why, for a curator."""


@dataclass(frozen=True)
class Session:
    """One visitor's session, as the kiosk recorded it."""

    key: str
    kiosk: str
    bundle_id: str
    bundle_version: str
    started: float  # seconds since 1970, UTC
    utc_offset_minutes: int
    start_language: str
    last_touch: float | None  # None: the kiosk stopped without ending it (a power cut)
    ended: float | None
    end_reason: str | None
    languages: tuple[str, ...]
    touches: int

    @property
    def seconds(self) -> float | None:
        """First touch to last touch; None for a session that never ended."""
        return None if self.last_touch is None else max(0.0, self.last_touch - self.started)

    @property
    def local_hour(self) -> int:
        return int((self.started + self.utc_offset_minutes * 60) // 3600 % 24)


@dataclass(frozen=True)
class Action:
    """One thing a visitor did (see schema.ACTION_KINDS)."""

    session_key: str
    at: float
    kind: str
    subject: str | None
    seconds: float | None
    via: str | None


@dataclass(frozen=True)
class Source:
    """One database given to the report."""

    path: Path
    kiosk: str  # the configured kiosk name, else the database's random install id
    sessions: int
    dropped: int  # records the kiosk could not keep (its writer fell far behind)


@dataclass
class Dataset:
    """Every database's sessions, actions and map touches, merged."""

    sources: list[Source]
    sessions: list[Session]
    actions: list[Action]
    taps: dict[tuple[int, int], int]  # map cell -> touches
    tap_cell_m: float = TAP_CELL_M
    bundle_id: str | None = None
    notes: list[str] = field(default_factory=list)  # things the curator should know


def _connect_read_only(path: Path) -> sqlite3.Connection:
    if not path.exists():
        raise ReportError(f"{path}: there is no such file")
    if path.is_dir():
        raise ReportError(f"{path} is a folder; give the database file inside it")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        connection.execute("PRAGMA user_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise ReportError(f"{path} is not an analytics database (SQLite says: {exc})") from None
    return connection


_Tables = tuple[
    "Source", list["Session"], list["Action"], dict[str, list[tuple[int, int]]], float, list[str]
]


def _read(path: Path) -> _Tables:
    connection = _connect_read_only(path)
    try:
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.DatabaseError as exc:
            raise ReportError(f"{path} is not an analytics database (SQLite says: {exc})") from None
        if version == 0 and not tables:
            raise ReportError(f"{path} is empty: not an analytics database")
        if version != SCHEMA_VERSION:
            if not {"sessions", "actions", "taps"} <= tables:
                raise ReportError(f"{path} is an SQLite database but not a kiosk analytics one")
            raise ReportError(
                f"{path} has analytics schema version {version}; this report reads version "
                f"{SCHEMA_VERSION}. Make the report with the kiosk version that recorded it."
            )
        try:
            return _read_tables(path, connection)
        except sqlite3.DatabaseError as exc:
            raise ReportError(f"{path} cannot be read (SQLite says: {exc})") from None
    finally:
        connection.close()


class _Unreadable(ValueError):
    """A value in a row is not what the schema says (another program wrote it, or damage)."""


# Times a report can show: 1970 to the end of 9999 (datetime's range), as seconds since 1970.
_LATEST = 253402300799.0
_MAX_SECONDS = 366 * 86400.0  # a panel open for more than a year is no measurement
_MAX_CELL = 10**9


def _number(value: object) -> float:
    # SQLite keeps whatever it is given ('yesterday' in a REAL column): check every value.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Unreadable(value)
    number = float(value)
    if not math.isfinite(number):
        raise _Unreadable(value)
    return number


def _moment(value: object) -> float:
    number = _number(value)
    if not 0 <= number <= _LATEST:
        raise _Unreadable(value)
    return number


def _optional_moment(value: object) -> float | None:
    return None if value is None else _moment(value)


def _duration(value: object) -> float | None:
    if value is None:
        return None
    number = _number(value)
    if not 0 <= number <= _MAX_SECONDS:
        raise _Unreadable(value)
    return number


def _whole(value: object, low: int, high: int) -> int:
    number = _number(value)
    if number != int(number) or not low <= number <= high:
        raise _Unreadable(value)
    return int(number)


def _text(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise _Unreadable(value)
    return value


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _session(kiosk: str, row: tuple[object, ...]) -> Session:
    start_language = _text(row[5])
    languages = row[9] if row[9] is not None else start_language
    return Session(
        key=_text(row[0]),
        kiosk=kiosk,
        bundle_id=_text(row[1]),
        bundle_version=_text(row[2]),
        started=_moment(row[3]),
        utc_offset_minutes=_whole(row[4], -24 * 60, 24 * 60),
        start_language=start_language,
        last_touch=_optional_moment(row[6]),
        ended=_optional_moment(row[7]),
        end_reason=_optional_text(row[8]),
        languages=tuple(_text(languages).split(",")),
        touches=0 if row[10] is None else _whole(row[10], 0, 10**9),
    )


def _action(row: tuple[object, ...]) -> Action:
    return Action(
        session_key=_text(row[0]),
        at=_moment(row[1]),
        kind=_text(row[2]),
        subject=_optional_text(row[3]),
        seconds=_duration(row[4]),
        via=_optional_text(row[5]),
    )


def _read_tables(path: Path, connection: sqlite3.Connection) -> _Tables:
    """The rows of one database. A row with a value that cannot be read (a time that is not a
    number, an impossible one, a missing text) is left out and counted, and the report says so:
    one damaged row never costs the whole report."""
    meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    kiosk = str(meta.get("kiosk_name") or f"kiosk {meta.get('install_id', path.stem)}")
    skipped = {"sessions": 0, "actions": 0, "map touches": 0}
    sessions = []
    for row in connection.execute(
        "SELECT session_key, bundle_id, bundle_version, started, utc_offset_minutes, "
        "start_language, last_touch, ended, end_reason, languages, touches FROM sessions"
    ):
        try:
            sessions.append(_session(kiosk, row))
        except _Unreadable:
            skipped["sessions"] += 1
    actions = []
    for row in connection.execute(
        "SELECT session_key, at, kind, subject, seconds, via FROM actions ORDER BY at"
    ):
        try:
            actions.append(_action(row))
        except _Unreadable:
            skipped["actions"] += 1
    taps: dict[str, list[tuple[int, int]]] = {}
    for key, x, y in connection.execute("SELECT session_key, cell_x, cell_y FROM taps"):
        try:
            cell = (_whole(x, -_MAX_CELL, _MAX_CELL), _whole(y, -_MAX_CELL, _MAX_CELL))
            taps.setdefault(_text(key), []).append(cell)
        except _Unreadable:
            skipped["map touches"] += 1
    try:
        cell_m = _number(_as_number(meta.get("tap_cell_m", TAP_CELL_M)))
        if cell_m <= 0:
            raise _Unreadable(cell_m)
    except _Unreadable:
        cell_m = TAP_CELL_M
    try:
        dropped = _whole(_as_number(meta.get("dropped", 0) or 0), 0, 10**12)
    except _Unreadable:
        dropped = 0
    notes = []
    if any(skipped.values()):
        counted = ", ".join(f"{count} {table}" for table, count in skipped.items() if count)
        notes.append(
            f"{path} ({kiosk}): {counted} could not be read (a time or number that is not "
            "one, or a missing value) and are left out."
        )
    source = Source(path, kiosk, len(sessions), dropped)
    return source, sessions, actions, taps, cell_m, notes


def _as_number(value: object) -> object:
    """meta's values are text: '100.0' is the number 100."""
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def load_dataset(paths: list[Path], bundle_id: str | None = None) -> Dataset:  # noqa: C901 - one branch per kind of row and per way a database can be unreadable
    """Merge the databases at `paths`; only sessions of `bundle_id` if given.

    Without `bundle_id`, every session must be of one exhibit.
    """
    if not paths:
        raise ReportError("give at least one analytics database")
    sources: list[Source] = []
    sessions: dict[str, Session] = {}
    actions: list[Action] = []
    taps_by_session: dict[str, list[tuple[int, int]]] = {}
    notes: list[str] = []
    cells: set[float] = set()
    for path in paths:
        source, found, acted, tapped, cell, unreadable = _read(path)
        sources.append(source)
        notes.extend(unreadable)
        cells.add(cell)
        if not found:
            notes.append(f"{path} ({source.kiosk}) has no visitor sessions yet.")
        repeated = [s for s in found if s.key in sessions]
        if repeated:
            notes.append(
                f"{path} repeats {len(repeated)} sessions of another database given (the same "
                "kiosk's database twice, or a copy); each is counted once."
            )
            continue
        sessions.update((s.key, s) for s in found)
        actions.extend(acted)
        taps_by_session.update(tapped)
    if len(cells) > 1:
        raise ReportError("the databases use different touch grids; report on them separately")
    exhibits: dict[str, list[str]] = {}
    for session in sessions.values():
        exhibits.setdefault(session.bundle_id, [])
        if session.kiosk not in exhibits[session.bundle_id]:
            exhibits[session.bundle_id].append(session.kiosk)
    if bundle_id is None and len(exhibits) > 1:
        listed = "; ".join(f"{b} (from {', '.join(k)})" for b, k in sorted(exhibits.items()))
        raise ReportError(
            f"these databases record different exhibits: {listed}. A report covers one "
            "exhibit: give --content with that exhibit's bundle, or only its kiosks' databases."
        )
    if bundle_id is not None:
        others = [s for s in sessions.values() if s.bundle_id != bundle_id]
        if others and len(others) == len(sessions):
            recorded = ", ".join(sorted(exhibits))
            raise ReportError(
                f"no session in these databases is of the exhibit {bundle_id} (they record: "
                f"{recorded}); give the bundle those kiosks showed"
            )
        if others:
            notes.append(
                f"{len(others)} sessions of other exhibits "
                f"({', '.join(sorted(set(exhibits) - {bundle_id}))}) are left out."
            )
            for session in others:
                del sessions[session.key]
    if not sessions:
        raise ReportError(
            "no visitor sessions are recorded in "
            + ", ".join(str(p) for p in paths)
            + " yet: nothing to report"
        )
    keys = set(sessions)
    taps: dict[tuple[int, int], int] = {}
    for key, cells_of_session in taps_by_session.items():
        if key in keys:
            for cell_xy in cells_of_session:
                taps[cell_xy] = taps.get(cell_xy, 0) + 1
    chosen = bundle_id or next(iter(exhibits))
    return Dataset(
        sources=sources,
        sessions=sorted(sessions.values(), key=lambda s: s.started),
        actions=[a for a in actions if a.session_key in keys],
        taps=taps,
        tap_cell_m=cells.pop() if cells else TAP_CELL_M,
        bundle_id=chosen,
        notes=notes,
    )
