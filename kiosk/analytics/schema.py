"""The analytics database: its tables, its version (PRAGMA user_version), and opening it.

Nothing in it identifies a person: sessions carry a random key, times, the languages used and a
count of touches; touches are kept only as a cell of a coarse grid on the map. The kiosk is named
by the installation's `kiosk_name`, else by a random id made when the database was created (not
the host name, which often holds a person's name).
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

SCHEMA_VERSION = 1
DATABASE_FILE = "kiosk-analytics.sqlite3"
# Touches are kept as cells of this many map units (metres) on a side: coarse enough that a
# finger's exact spot is gone, fine enough to show which streets and markers draw visitors.
TAP_CELL_M = 100.0

TABLES = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    session_key TEXT PRIMARY KEY,     -- random; unique across kiosks, so databases merge
    bundle_id TEXT NOT NULL,
    bundle_version TEXT NOT NULL,
    started REAL NOT NULL,            -- seconds since 1970 (UTC): the first touch
    utc_offset_minutes INTEGER NOT NULL,  -- the kiosk's local time then, for hours of the day
    start_language TEXT NOT NULL,
    last_touch REAL,                  -- the last touch; NULL until the session ends
    ended REAL,                       -- when the kiosk reset (or stopped, or swapped content)
    end_reason TEXT,                  -- 'idle', 'stopped' or 'content'
    languages TEXT,                   -- every language used, comma-separated, in order of use
    touches INTEGER
);
CREATE TABLE IF NOT EXISTS actions (
    session_key TEXT NOT NULL,
    at REAL NOT NULL,                 -- seconds since 1970 (UTC)
    kind TEXT NOT NULL,               -- see ACTION_KINDS
    subject TEXT,                     -- an event, quotation or person id; a day; a language
    seconds REAL,                     -- how long it stayed open (events, quotations, narration)
    via TEXT                          -- events: 'visitor' or 'play' (the story playing);
                                      -- narration: 'recording' or 'speech'
);
CREATE TABLE IF NOT EXISTS taps (
    session_key TEXT NOT NULL,
    at REAL NOT NULL,
    cell_x INTEGER NOT NULL,          -- x // TAP_CELL_M in map coordinates
    cell_y INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS actions_by_kind ON actions (kind, subject);
"""

ACTION_KINDS = (
    "event",  # an event's panel was open for `seconds`
    "quote",  # a quotation was shown large for `seconds`
    "person",  # a person's entry was opened
    "credits",  # the credits were opened
    "day",  # a day was chosen on the timeline
    "play",  # the story was started
    "language",  # the visitor switched to `subject`
    "attract_interrupted",  # a touch ended the attract loop after it had run `seconds`
    "countdown_rescued",  # a touch during "Still there?" kept the session going
    "keypad",  # a key of the visitor's keypad: `subject` is what it did (next, select, help...)
    "screen_reader",  # a screen reader was running during the session (once a session)
    "narration",  # `subject` was heard for `seconds`, `via` a recording or the system's voice
)


class SchemaMismatch(Exception):
    """The database was written by a different version of the analytics schema."""

    def __init__(self, found: int) -> None:
        super().__init__(
            f"it has analytics schema version {found}; this kiosk reads version {SCHEMA_VERSION}"
        )
        self.found = found


def create_or_check(connection: sqlite3.Connection, kiosk_name: str | None) -> None:
    """Create the tables in a new database, or check an existing one's version.

    Raises `SchemaMismatch` for another version: its data is left untouched.
    """
    found = connection.execute("PRAGMA user_version").fetchone()[0]
    if found not in (0, SCHEMA_VERSION):
        raise SchemaMismatch(found)
    with connection:
        connection.executescript(TABLES)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute(
            "INSERT OR IGNORE INTO meta VALUES ('install_id', ?)", (uuid.uuid4().hex[:12],)
        )
        connection.execute("INSERT OR IGNORE INTO meta VALUES ('tap_cell_m', ?)", (TAP_CELL_M,))
        connection.execute("INSERT OR IGNORE INTO meta VALUES ('dropped', '0')")
        if kiosk_name:
            connection.execute(
                "INSERT OR REPLACE INTO meta VALUES ('kiosk_name', ?)", (kiosk_name,)
            )


def database_path(folder: Path) -> Path:
    return folder / DATABASE_FILE
