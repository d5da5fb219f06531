"""Prometheus metrics: scraped for real over HTTP, read from the textfile, printed by the CLI,
and parsed back with prometheus_client's own parser every time."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kiosk.analytics.schema import create_or_check, database_path
from kiosk.runtime.config import parse_config
from kiosk.runtime.metrics import (
    MetricsPublisher,
    Sample,
    exposition,
    parse_listen_address,
    sample_from_files,
    sample_running,
)
from kiosk.updates.state import Attempt, StoreState
from kiosk.updates.status import KioskStatus

ROOT = Path(__file__).resolve().parents[2]


def values(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of an exposition, keyed by name and sorted labels (the parser's view)."""
    found = {}
    for family in text_string_to_metric_families(text):
        for item in family.samples:
            found[(item.name, tuple(sorted(item.labels.items())))] = item.value
    return found


def one(found: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str) -> float:
    return found[(name, ())]


def iso(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat(timespec="seconds")


NOW = 1_800_000_000.0


def make_store(folder: Path) -> Path:
    """A store whose updates have failed three times in a row since it installed 1.1.0."""
    folder.mkdir(parents=True)
    state = StoreState()
    for index, (outcome, version) in enumerate(
        [("installed", "1.1.0"), ("failed", None), ("failed", None), ("failed", None)]
    ):
        state.record(
            Attempt(
                outcome,
                "https://example.org/",
                "x",
                version,
                "network" if outcome == "failed" else None,
                iso(NOW - 86_400 * 2 + index * 3600),
            )
        )
    state.record(  # the latest poll failed too: four in a row
        Attempt("failed", "https://example.org/", "still down", None, "network", iso(NOW - 60))
    )
    state.write(folder / "state.json")
    return folder


def make_analytics(folder: Path) -> Path:
    folder.mkdir(parents=True)
    connection = sqlite3.connect(database_path(folder))
    create_or_check(connection, "Hall 2")
    midnight = (
        dt.datetime.fromtimestamp(NOW).astimezone().replace(hour=0, minute=0, second=0).timestamp()
    )
    rows = [
        ("a", midnight - 600, 40),  # yesterday evening: not today
        ("b", midnight + 60, 12),
        ("c", midnight + 120, 30),
        ("d", NOW - 5, None),  # still going: counted as a session, its touches not yet
    ]
    with connection:
        for key, started, touches in rows:
            connection.execute(
                "INSERT INTO sessions (session_key, bundle_id, bundle_version, started, "
                "utc_offset_minutes, start_language, touches) VALUES (?, 'b', '1', ?, 0, 'en', ?)",
                (key, started, touches),
            )
    connection.close()
    return folder


def status_snapshot() -> dict[str, object]:
    status = KioskStatus("https://example.org/")
    status.set_bundle("petrograd-1917", "1.1.0", Path("/srv/store/versions/x"))
    return status.snapshot()


def test_a_running_kiosk_is_scraped_over_http(tmp_path: Path) -> None:
    store = make_store(tmp_path / "store")
    analytics = make_analytics(tmp_path / "analytics")
    crashes = [0]

    def take() -> Sample:
        return sample_running(
            status_snapshot(),
            crashes[0],
            kiosk_name="Hall 2",
            store=store,
            analytics_folder=analytics,
            now=NOW,
        )

    publisher = MetricsPublisher(take, listen="127.0.0.1:0")
    publisher.start()
    try:
        assert publisher.address is not None
        host, port = publisher.address
        assert port > 0
        url = f"http://{host}:{port}/metrics"
        crashes[0] = 2  # every scrape is a fresh sample
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/plain")
            text = response.read().decode("utf-8")
    finally:
        publisher.stop()
    found = values(text)
    assert one(found, "kiosk_up") == 1
    assert found[("kiosk_info", (("kiosk_name", "Hall 2"), ("version", "0.1.0")))] == 1
    bundle = (("id", "petrograd-1917"), ("version", "1.1.0"))
    assert found[("kiosk_bundle_info", bundle)] == 1
    assert 0 < one(found, "kiosk_uptime_seconds") < 3600
    assert one(found, "kiosk_start_time_seconds") == pytest.approx(
        NOW - one(found, "kiosk_uptime_seconds"), abs=1
    )
    assert one(found, "kiosk_resident_memory_bytes") > 10 * 2**20  # this very process
    assert one(found, "kiosk_crashes_recovered_total") == 2
    assert one(found, "kiosk_update_consecutive_failures") == 4
    assert one(found, "kiosk_update_failing_since_timestamp_seconds") == NOW - 86_400 * 2 + 3600
    assert one(found, "kiosk_last_update_timestamp_seconds") == NOW - 60
    assert found[("kiosk_last_update_outcome", (("outcome", "failed"),))] == 1
    assert found[("kiosk_last_update_outcome", (("outcome", "installed"),))] == 0
    assert one(found, "kiosk_visitor_sessions_today") == 3
    assert one(found, "kiosk_visitor_taps_today") == 42
    # The registry is the kiosk's own: none of the default process or platform collectors.
    assert not [name for name, _ in found if name.startswith(("process_", "python_"))]
    with pytest.raises(OSError):  # and the server has gone
        urllib.request.urlopen(url, timeout=2)


def test_the_textfile_is_written_on_a_timer_and_says_down_at_a_clean_stop(
    tmp_path: Path,
) -> None:
    textfile = tmp_path / "textfile" / "kiosk.prom"
    sample = Sample(up=True, sampled_at=NOW, bundle_id="petrograd-1917", bundle_version="1.1.0")
    taken = []

    def take() -> Sample:
        taken.append(time.monotonic())
        return sample

    publisher = MetricsPublisher(take, textfile=textfile, interval=0.05)
    publisher.start()
    try:
        deadline = time.monotonic() + 10
        while len(taken) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(taken) >= 3  # rewritten on its timer
        found = values(textfile.read_text(encoding="utf-8"))
        assert one(found, "kiosk_up") == 1
    finally:
        publisher.stop()
    found = values(textfile.read_text(encoding="utf-8"))
    assert one(found, "kiosk_up") == 0
    assert found[("kiosk_bundle_info", (("id", "petrograd-1917"), ("version", "1.1.0")))] == 1
    assert [p.name for p in textfile.parent.iterdir()] == ["kiosk.prom"]  # no temporary left


def test_an_unwritable_textfile_never_stops_the_kiosk(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    publisher = MetricsPublisher(lambda: Sample(up=True), textfile=blocker / "kiosk.prom")
    publisher.write_textfile()
    publisher.write_textfile()
    assert [r.message for r in caplog.records].count(
        f"cannot write the metrics file {blocker / 'kiosk.prom'}: "
        f"[Errno 17] File exists: '{blocker}'"
    ) == 1  # said once, not every 30 s


def write_status(path: Path, pid: int, written: float, uptime: int = 300) -> None:
    status = {
        "program": "kiosk 0.1.0",
        "pid": pid,
        "written_at": iso(written),
        "uptime_seconds": uptime,
        "bundle": {"id": "petrograd-1917", "version": "1.1.0", "folder": "/x"},
        "last_update": None,
    }
    path.write_text(json.dumps(status), encoding="utf-8")


def test_the_files_tell_whether_the_kiosk_is_up(tmp_path: Path) -> None:
    status = tmp_path / "status.json"
    down = sample_from_files(status, now=NOW)
    assert not down.up and down.uptime_seconds is None and down.bundle_id is None

    write_status(status, os.getpid(), NOW - 20)
    up = sample_from_files(status, store=make_store(tmp_path / "store"), now=NOW)
    assert up.up and up.uptime_seconds == 320 and up.bundle_id == "petrograd-1917"
    assert up.resident_bytes is not None and up.resident_bytes > 0
    assert up.update_failures_in_a_row == 4 and up.last_update_outcome == "failed"
    assert up.crashes_recovered is None  # only the running kiosk knows
    found = values(exposition(up))
    assert one(found, "kiosk_up") == 1
    assert ("kiosk_crashes_recovered_total", ()) not in found

    write_status(status, os.getpid(), NOW - 600)  # the kiosk stopped writing it
    assert not sample_from_files(status, now=NOW).up
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    write_status(status, int(finished.stdout), NOW - 5)  # fresh, but that process is gone
    gone = sample_from_files(status, now=NOW)
    assert not gone.up and gone.bundle_id == "petrograd-1917"
    for junk in ("", "[]", "{", "x" * 100):
        status.write_text(junk, encoding="utf-8")
        assert not sample_from_files(status, now=NOW).up


def kiosk(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_status_format_prometheus(tmp_path: Path) -> None:
    status = tmp_path / "state" / "status.json"
    status.parent.mkdir()
    analytics = make_analytics(tmp_path / "analytics")
    make_store(tmp_path / "store")
    config = tmp_path / "kiosk.yaml"
    config.write_text(
        "kiosk_name: Hall 2\n"
        "status_file: state/status.json\n"
        "analytics_folder: analytics\n"
        "update_source: https://example.org/\n"
        "update_store: store\n",
        encoding="utf-8",
    )
    # The test process stands in for the kiosk: its pid is alive, its status fresh.
    write_status(status, os.getpid(), time.time() - 3)
    done = kiosk("status", "--format", "prometheus", "--config", str(config))
    assert done.returncode == 0, done.stderr
    found = values(done.stdout)
    assert one(found, "kiosk_up") == 1
    assert found[("kiosk_info", (("kiosk_name", "Hall 2"), ("version", "0.1.0")))] == 1
    assert one(found, "kiosk_update_consecutive_failures") == 4
    assert one(found, "kiosk_resident_memory_bytes") > 0
    assert ("kiosk_visitor_sessions_today", ()) in found
    assert analytics.is_dir()
    status.unlink()
    done = kiosk("status", "--format", "prometheus", "--config", str(config))
    assert one(values(done.stdout), "kiosk_up") == 0
    # Without --format, `status` is still the store's own report.
    plain = kiosk("status", "--format", "json", "--store", "store", cwd=tmp_path)
    assert json.loads(plain.stdout)["last_attempt"]["outcome"] == "failed"


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("127.0.0.1:9817", ("127.0.0.1", 9817)),
        (":9817", ("0.0.0.0", 9817)),
        ("[::1]:0", ("::1", 0)),
    ],
)
def test_listen_addresses(text: str, address: tuple[str, int]) -> None:
    assert parse_listen_address(text) == address


@pytest.mark.parametrize("text", ["9817", "localhost", "host:port", "127.0.0.1:70000"])
def test_a_bad_listen_address_is_a_config_problem(tmp_path: Path, text: str) -> None:
    path = tmp_path / "kiosk.yaml"
    path.write_text(f'metrics_listen: "{text}"\n', encoding="utf-8")
    loaded = parse_config(path)
    assert [p.message for p in loaded.problems] == [
        f"{text!r} is not an address and port such as 127.0.0.1:9817"
    ]
    assert loaded.config.metrics_listen is None
