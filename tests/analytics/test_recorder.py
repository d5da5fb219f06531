"""The recorder: WAL mode, batched transactions, and never blocking or failing its caller."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from kiosk.analytics.recorder import Recorder, connect
from kiosk.analytics.schema import SCHEMA_VERSION, database_path
from tests.analytics.conftest import rows


def _some_activity(recorder: Recorder, key: str = "s1", taps: int = 3) -> None:
    recorder.session_start(key, "petrograd-1917", "1.0", 1_700_000_000.0, 180, "en")
    for i in range(taps):
        recorder.tap(key, 1_700_000_001.0 + i, i, 2 * i)
    recorder.action(key, 1_700_000_002.0, "event", "volynsky-mutiny", 12.5, "visitor")
    recorder.session_end(key, 1_700_000_030.0, 1_700_000_100.0, "idle", ["en", "ru"], taps)


def test_the_database_is_in_wal_mode_with_the_schema_version(recorder: Recorder) -> None:
    _some_activity(recorder)
    assert recorder.flush()
    folder = recorder.folder
    assert rows(folder, "PRAGMA journal_mode") == [("wal",)]
    assert rows(folder, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    meta = dict(rows(folder, "SELECT key, value FROM meta"))
    assert meta["kiosk_name"] == "Test hall"
    assert len(meta["install_id"]) == 12 and meta["dropped"] == "0"
    assert rows(folder, "SELECT languages, touches, end_reason FROM sessions") == [
        ("en,ru", 3, "idle")
    ]
    assert rows(folder, "SELECT cell_x, cell_y FROM taps ORDER BY at") == [(0, 0), (1, 2), (2, 4)]
    assert rows(folder, "SELECT kind, subject, seconds, via FROM actions") == [
        ("event", "volynsky-mutiny", 12.5, "visitor")
    ]


def test_records_are_written_in_batches_not_one_transaction_each(tmp_path: Path) -> None:
    commits: list[int] = []

    def counting(path: Path) -> sqlite3.Connection:
        connection = connect(path)
        connection.set_trace_callback(lambda sql: commits.append(1) if sql == "COMMIT" else None)
        return connection

    recorder = Recorder(tmp_path, batch_seconds=0.5, connector=counting)
    try:
        for i in range(200):
            _some_activity(recorder, f"s{i}", taps=2)  # 800 records within one batch time
        assert recorder.flush()
    finally:
        recorder.close()
    assert rows(tmp_path, "SELECT count(*) FROM sessions") == [(200,)]
    assert rows(tmp_path, "SELECT count(*) FROM taps") == [(400,)]
    assert 1 <= len(commits) <= 10  # the schema's own, then a handful of batches


def test_a_database_locked_by_another_program_does_not_block_recording(
    recorder: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    _some_activity(recorder, "before")
    assert recorder.flush()
    other = sqlite3.connect(database_path(recorder.folder), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # e.g. a backup tool holding the file
    try:
        with caplog.at_level(logging.WARNING, logger="kiosk.analytics"):
            calls = threading.Event()

            def visitor() -> None:
                for i in range(500):
                    _some_activity(recorder, f"during-{i}")
                calls.set()

            worker = threading.Thread(target=visitor)
            worker.start()
            # Every call returns although nothing can be written (the writer waits on the lock).
            assert calls.wait(5)
            worker.join()
            assert not recorder.flush(timeout=0.3)
            deadline = time.monotonic() + 10
            while recorder.failures == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert recorder.failures >= 1
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert recorder.flush()  # kept and written once the lock is gone
    assert rows(recorder.folder, "SELECT count(*) FROM sessions") == [(501,)]
    assert any("database is locked" in r.getMessage() for r in caplog.records)
    assert recorder.dropped == 0


def test_a_full_disk_is_logged_once_and_the_records_are_written_later(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:

    def small_disk(path: Path) -> sqlite3.Connection:
        connection = connect(path)
        # A real SQLITE_FULL: the database may not grow past its current pages + a few.
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {max(pages, 1) + 8}")
        return connection

    recorder = Recorder(tmp_path, batch_seconds=0.01, retry_seconds=0.05, connector=small_disk)
    try:
        with caplog.at_level(logging.WARNING, logger="kiosk.analytics"):
            for i in range(400):
                recorder.action(f"s{i}", 1.0, "event", "x" * 400, 1.0)
            deadline = time.monotonic() + 10
            while recorder.failures < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert recorder.failures >= 3
        full_messages = [r for r in caplog.records if "full" in r.getMessage()]
        assert len(full_messages) == 1  # rate-limited: once a minute, not once a try
    finally:
        recorder.close(timeout=1)


def test_an_unwritable_folder_is_logged_and_the_kiosk_carries_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    in_the_way = tmp_path / "analytics"
    in_the_way.write_text("a file where the folder should be")
    recorder = Recorder(in_the_way, batch_seconds=0.01, retry_seconds=0.05)
    try:
        with caplog.at_level(logging.WARNING, logger="kiosk.analytics"):
            _some_activity(recorder)
            deadline = time.monotonic() + 10
            while recorder.failures == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
        assert recorder.failures >= 1
        assert any("cannot write" in r.getMessage() for r in caplog.records)
        _some_activity(recorder, "later")  # still accepted, never raises
    finally:
        recorder.close(timeout=1)


def test_when_the_writer_falls_far_behind_records_are_dropped_and_counted(
    tmp_path: Path,
) -> None:
    gate = threading.Event()

    def slow(path: Path) -> sqlite3.Connection:
        gate.wait(10)  # the disk hangs
        return connect(path)

    recorder = Recorder(tmp_path, batch_seconds=0.01, queue_limit=100, connector=slow)
    try:
        for i in range(1000):
            recorder.tap("s", float(i), 0, 0)
        assert recorder.dropped >= 1000 - 2 * 100
        gate.set()
        assert recorder.flush()
    finally:
        recorder.close()
    [(written,)] = rows(tmp_path, "SELECT count(*) FROM taps")
    [(dropped,)] = rows(tmp_path, "SELECT value FROM meta WHERE key = 'dropped'")
    assert int(written) + int(dropped) == 1000


def test_a_database_of_another_schema_version_is_left_alone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = database_path(tmp_path)
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE future (x)")
    connection.execute("PRAGMA user_version = 99")
    connection.commit()
    connection.close()
    recorder = Recorder(tmp_path, batch_seconds=0.01)
    with caplog.at_level(logging.ERROR, logger="kiosk.analytics"):
        _some_activity(recorder)
        assert recorder.flush()
    recorder.close()
    assert rows(tmp_path, "PRAGMA user_version") == [(99,)]
    assert rows(tmp_path, "SELECT name FROM sqlite_master") == [("future",)]
    assert any("schema version 99" in r.getMessage() for r in caplog.records)
