"""Recording visitor activity without ever making the visitor wait for the disk.

Every `record_*` call only puts a small tuple on a bounded queue and returns. One background
thread takes what has queued up and writes it in a single transaction (SQLite in WAL mode, so a
report can read the database while the kiosk writes). If the database is locked by another
program, the folder is unwritable or the disk is full, the batch is kept and tried again later;
the problem is logged at most once a minute, and the kiosk carries on. If the writer falls far
behind, new records are dropped and counted (the count is stored in the database's meta table).
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.analytics.schema import SchemaMismatch, create_or_check, database_path

log = logging.getLogger("kiosk.analytics")

QUEUE_LIMIT = 20_000  # records waiting for the writer; beyond this, new ones are dropped
BATCH_SECONDS = 1.0  # the writer gathers records this long before one transaction
RETRY_SECONDS = 5.0  # after a failed write, the next try waits this long
LOG_EVERY_SECONDS = 60.0  # the same kind of failure is logged at most this often
BUSY_TIMEOUT_MS = 2000  # how long the writer waits for a lock held by another connection

Record = tuple[object, ...]
_STOP: Record = ("stop",)

_SQL = {
    "session_start": "INSERT OR IGNORE INTO sessions (session_key, bundle_id, bundle_version, "
    "started, utc_offset_minutes, start_language) VALUES (?, ?, ?, ?, ?, ?)",
    "session_end": "UPDATE sessions SET last_touch = ?, ended = ?, end_reason = ?, "
    "languages = ?, touches = ? WHERE session_key = ?",
    "action": "INSERT INTO actions (session_key, at, kind, subject, seconds, via) "
    "VALUES (?, ?, ?, ?, ?, ?)",
    "tap": "INSERT INTO taps (session_key, at, cell_x, cell_y) VALUES (?, ?, ?, ?)",
}


def connect(path: Path) -> sqlite3.Connection:
    """A connection for the writer thread: WAL journal, bounded wait for locks."""
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            log.warning("analytics: the database %s could not use WAL mode (%s)", path, mode)
        connection.execute("PRAGMA synchronous = NORMAL")  # WAL: durable at checkpoints, fast
    except BaseException:
        connection.close()
        raise
    return connection


class Recorder:
    """Queues visitor activity and writes it to `folder`'s database on a background thread."""

    def __init__(
        self,
        folder: Path,
        kiosk_name: str | None = None,
        *,
        queue_limit: int = QUEUE_LIMIT,
        batch_seconds: float = BATCH_SECONDS,
        retry_seconds: float = RETRY_SECONDS,
        connector: Callable[[Path], sqlite3.Connection] = connect,
    ) -> None:
        self.folder = folder
        self.path = database_path(folder)
        self.kiosk_name = kiosk_name
        self._queue: queue.Queue[Record] = queue.Queue(maxsize=queue_limit)
        self._batch_seconds = batch_seconds
        self._retry_seconds = retry_seconds
        self._connector = connector
        self._connection: sqlite3.Connection | None = None
        self._pending: list[Record] = []  # taken from the queue, not yet written
        self._pending_limit = queue_limit
        self._dropped = 0  # dropped by `record` (the caller's thread only)
        self._dropped_behind = 0  # dropped by the writer thread (pending list full)
        self._dropped_saved = 0
        self._disabled: str | None = None  # why nothing can ever be written (schema mismatch)
        self._last_logged: dict[str, float] = {}
        self._flushed = threading.Condition()
        self._written = 0  # records written so far (for flush)
        self._accepted = 0  # records queued so far
        self.failures = 0  # failed write attempts (tests and the admin screen can read it)
        self._thread = threading.Thread(target=self._run, name="analytics-writer", daemon=True)
        self._thread.start()

    # --- the caller's side (the GUI thread): never blocks --------------------------------

    @property
    def dropped(self) -> int:
        return self._dropped + self._dropped_behind

    def record(self, *item: object) -> None:
        """Queue one record; if the queue is full, drop it and count it."""
        try:
            self._queue.put_nowait(item)
            self._accepted += 1
        except queue.Full:
            self._dropped += 1

    def session_start(
        self,
        key: str,
        bundle_id: str,
        bundle_version: str,
        started: float,
        utc_offset_minutes: int,
        language: str,
    ) -> None:
        self.record(
            "session_start", key, bundle_id, bundle_version, started, utc_offset_minutes, language
        )

    def session_end(
        self,
        key: str,
        last_touch: float,
        ended: float,
        reason: str,
        languages: list[str],
        touches: int,
    ) -> None:
        self.record("session_end", last_touch, ended, reason, ",".join(languages), touches, key)

    def action(
        self,
        key: str,
        at: float,
        kind: str,
        subject: str | None = None,
        seconds: float | None = None,
        via: str | None = None,
    ) -> None:
        self.record("action", key, at, kind, subject, seconds, via)

    def tap(self, key: str, at: float, cell_x: int, cell_y: int) -> None:
        self.record("tap", key, at, cell_x, cell_y)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything queued so far is written; False if that took too long."""
        target = self._accepted
        deadline = time.monotonic() + timeout
        with self._flushed:
            self._flushed.notify_all()
            while self._written < target:
                left = deadline - time.monotonic()
                if left <= 0 or not self._thread.is_alive():
                    return False
                self._flushed.wait(min(left, 0.05))
        return True

    def close(self, timeout: float = 3.0) -> None:
        """Write what is queued (waiting at most `timeout`) and stop the writer."""
        try:
            self._queue.put(_STOP, timeout=timeout)
        except queue.Full:
            log.warning("analytics: the writer is stuck; %d records are lost", self._queue.qsize())
            return
        self._thread.join(timeout)

    # --- the writer thread -----------------------------------------------------------------

    def _run(self) -> None:
        stopping = False
        while not stopping:
            stopping = self._gather()
            has_news = self._pending or self.dropped != self._dropped_saved
            if has_news and not self._write() and not stopping:
                self._wait_for_retry()
        if self._pending:
            self._write()  # one last try on the way out
        if self._connection is not None:
            self._connection.close()

    def _gather(self) -> bool:
        """Move queued records to `_pending` for up to a batch's time; True on the stop mark."""
        deadline = time.monotonic() + self._batch_seconds
        wait: float | None = None if not self._pending else self._batch_seconds
        while True:
            try:
                item = self._queue.get(timeout=wait)
            except queue.Empty:
                return False
            if item == _STOP:
                return True
            if len(self._pending) < self._pending_limit:
                self._pending.append(item)
            else:
                self._dropped_behind += 1  # the disk has been failing for a long time
                self._written += 1  # (counted as handled, so flush() does not wait for it)
            wait = max(0.0, deadline - time.monotonic())
            if wait == 0.0 and self._queue.empty():
                return False

    def _wait_for_retry(self) -> None:
        # Meanwhile the queue fills (and overflows into the dropped count, never blocking).
        time.sleep(self._retry_seconds)

    def _open(self) -> sqlite3.Connection | None:
        if self._disabled is not None:
            return None
        if self._connection is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            connection = self._connector(self.path)
            try:
                create_or_check(connection, self.kiosk_name)
            except SchemaMismatch as exc:
                connection.close()
                self._disabled = f"the database {self.path} is not used: {exc}"
                log.error("analytics: %s; nothing will be recorded", self._disabled)
                return None
            except BaseException:
                connection.close()
                raise
            self._connection = connection
        return self._connection

    def _write(self) -> bool:
        """Write `_pending` in one transaction; True if written (or never writable)."""
        batch = self._pending
        dropped = self.dropped
        try:
            connection = self._open()
            if connection is None:
                self._forget(batch)
                return True
            connection.execute("BEGIN IMMEDIATE")
            try:
                for item in batch:
                    connection.execute(_SQL[str(item[0])], item[1:])
                if dropped != self._dropped_saved:
                    connection.execute(
                        "UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = 'dropped'",
                        (dropped - self._dropped_saved,),
                    )
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
        except (sqlite3.Error, OSError) as exc:
            self.failures += 1
            self._log_failure(exc)
            if self._connection is not None and not isinstance(exc, sqlite3.OperationalError):
                self._connection.close()  # a broken file: open it afresh next time
                self._connection = None
            return False
        self._dropped_saved = dropped
        self._forget(batch)
        return True

    def _forget(self, batch: list[Record]) -> None:
        self._pending = []
        with self._flushed:
            self._written += len(batch)
            self._flushed.notify_all()

    def _log_failure(self, exc: Exception) -> None:
        kind = type(exc).__name__ + ":" + str(exc).split(":")[0]
        now = time.monotonic()
        if now - self._last_logged.get(kind, -LOG_EVERY_SECONDS) >= LOG_EVERY_SECONDS:
            self._last_logged[kind] = now
            log.warning(
                "analytics: cannot write to %s (%s); the records are kept and tried again "
                "(this message repeats at most once a minute)",
                self.path,
                exc,
            )
