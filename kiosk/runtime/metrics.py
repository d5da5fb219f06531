"""Metrics for Prometheus: the kiosk's health in the text exposition format.

One `Sample` holds what monitoring wants to know about a kiosk: is it up, since when, which
bundle it shows, how its last content update went and how many have failed in a row, its memory,
the errors it recovered from, and today's visitors. It is built from the same data as the status
file (kiosk/updates/status.py): inside the running kiosk from the live status and the crash
guard (`sample_running`), and by `kiosk status --format prometheus` from the files the kiosk
leaves (`sample_from_files`: status.json, the store's state.json, the analytics database, and
the kiosk's process by the pid in status.json).

`exposition(sample)` renders it with prometheus_client, through a registry of our own (never the
library's global one, which would also carry the Python process collectors and anything an
imported library registered). `MetricsPublisher` runs in the kiosk: every `interval` seconds it
writes the textfile that node_exporter's textfile collector reads (atomically, so the collector
never reads half a file), and optionally serves `/metrics` over HTTP. Nothing here imports Qt.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prometheus_client import generate_latest, start_http_server, write_to_textfile
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    InfoMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector, CollectorRegistry

from kiosk import __version__

if TYPE_CHECKING:
    from kiosk.runtime.config import InstallationConfig

log = logging.getLogger("kiosk.metrics")

# The outcomes an update attempt can have (kiosk/updates/state.py); each gets a 0/1 series, so a
# dashboard can graph them and a new outcome still shows as soon as it happens.
UPDATE_OUTCOMES = ("installed", "up-to-date", "waiting", "held-back", "failed", "rolled-back")
# A status file older than this means the kiosk stopped writing it (it writes every 30 s).
STATUS_STALE_SECONDS = 120.0
MAX_STATUS_BYTES = 1024 * 1024


@dataclass
class Sample:
    """One look at a kiosk; None means "not known" and that metric is left out."""

    up: bool
    sampled_at: float = field(default_factory=time.time)
    kiosk_name: str | None = None
    program_version: str = __version__
    started_at: float | None = None  # seconds since 1970
    uptime_seconds: float | None = None
    bundle_id: str | None = None
    bundle_version: str | None = None
    last_update_at: float | None = None
    last_update_outcome: str | None = None
    update_failures_in_a_row: int | None = None
    update_failing_since: float | None = None
    resident_bytes: float | None = None
    crashes_recovered: int | None = None
    sessions_today: int | None = None
    taps_today: int | None = None


def _families(sample: Sample) -> Iterator[Metric]:
    up = GaugeMetricFamily("kiosk_up", "1 while the kiosk program runs, else 0")
    up.add_metric([], 1.0 if sample.up else 0.0)
    yield up
    info = InfoMetricFamily("kiosk", "The kiosk program and this kiosk's name")
    info.add_metric([], {"version": sample.program_version, "kiosk_name": sample.kiosk_name or ""})
    yield info
    sampled = GaugeMetricFamily(
        "kiosk_sample_timestamp_seconds", "When these figures were taken (seconds since 1970)"
    )
    sampled.add_metric([], sample.sampled_at)
    yield sampled
    gauges: list[tuple[str, str, float | int | None]] = [
        (
            "kiosk_start_time_seconds",
            "When the kiosk started (seconds since 1970)",
            sample.started_at,
        ),
        ("kiosk_uptime_seconds", "Seconds since the kiosk started", sample.uptime_seconds),
        (
            "kiosk_last_update_timestamp_seconds",
            "When the last content update attempt ended (seconds since 1970)",
            sample.last_update_at,
        ),
        (
            "kiosk_update_consecutive_failures",
            "Content update attempts that failed in a row (0 after any success)",
            sample.update_failures_in_a_row,
        ),
        (
            "kiosk_update_failing_since_timestamp_seconds",
            "When the current run of failed updates began (seconds since 1970)",
            sample.update_failing_since,
        ),
        (
            "kiosk_resident_memory_bytes",
            "The kiosk process's resident memory",
            sample.resident_bytes,
        ),
        (
            "kiosk_visitor_sessions_today",
            "Visitor sessions begun since local midnight (analytics)",
            sample.sessions_today,
        ),
        (
            "kiosk_visitor_taps_today",
            "Touches by visitors in today's finished sessions (analytics)",
            sample.taps_today,
        ),
    ]
    for name, documentation, value in gauges:
        if value is not None:
            family = GaugeMetricFamily(name, documentation)
            family.add_metric([], float(value))
            yield family
    if sample.bundle_id is not None:
        bundle = InfoMetricFamily("kiosk_bundle", "The content bundle on screen")
        bundle.add_metric([], {"id": sample.bundle_id, "version": sample.bundle_version or ""})
        yield bundle
    if sample.last_update_outcome is not None:
        outcome = GaugeMetricFamily(
            "kiosk_last_update_outcome",
            "1 for how the last content update attempt ended, 0 for the other outcomes",
            labels=["outcome"],
        )
        outcomes = list(UPDATE_OUTCOMES)
        if sample.last_update_outcome not in outcomes:
            outcomes.append(sample.last_update_outcome)
        for name in outcomes:
            outcome.add_metric([name], 1.0 if name == sample.last_update_outcome else 0.0)
        yield outcome
    if sample.crashes_recovered is not None:
        crashes = CounterMetricFamily(
            "kiosk_crashes_recovered",
            "Unexpected errors the kiosk logged and carried on after, since it started",
        )
        crashes.add_metric([], float(sample.crashes_recovered))
        yield crashes


class SampleCollector(Collector):
    """A prometheus_client collector that takes a fresh sample at every scrape."""

    def __init__(self, take: Callable[[], Sample]) -> None:
        self._take = take

    def collect(self) -> Iterator[Metric]:
        return _families(self._take())


def registry_for(take: Callable[[], Sample]) -> CollectorRegistry:
    """A registry of our own (not prometheus_client's global one) holding only the kiosk's."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(SampleCollector(take))
    return registry


def exposition(sample: Sample) -> str:
    """`sample` in the Prometheus text exposition format (version 0.0.4)."""
    return generate_latest(registry_for(lambda: sample)).decode("utf-8")


# -- Figures shared by both ways of sampling


def parse_time(text: object) -> float | None:
    """Seconds since 1970 for an ISO 8601 time as the status and state files write it."""
    if not isinstance(text, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def update_figures(sample: Sample, store: Path | None) -> None:
    """The last attempt and the failures in a row, from the store's state.json."""
    if store is None or not store.is_dir():
        return
    from kiosk.updates.store import Store

    state = Store(store).state()
    last = state.last_attempt
    if last is None:
        return
    sample.last_update_at = parse_time(last.time)
    sample.last_update_outcome = last.outcome
    failures: list[Any] = []
    if last.outcome == "failed":
        # The history keeps every failure (and every change) but not the quiet polls, so the
        # failures at its end are the ones since the last success.
        for attempt in reversed(state.history):
            if attempt.outcome != "failed":
                break
            failures.append(attempt)
        failures = failures or [last]
    sample.update_failures_in_a_row = len(failures)
    sample.update_failing_since = parse_time(failures[-1].time) if failures else None


def analytics_figures(sample: Sample, folder: Path | None, now: float) -> None:
    """Today's sessions and touches, read from the analytics database (read-only)."""
    if folder is None:
        return
    from kiosk.analytics.schema import database_path

    path = database_path(folder)
    if not path.is_file():
        return
    midnight = (
        dt.datetime.fromtimestamp(now)
        .astimezone()
        .replace(hour=0, minute=0, second=0, microsecond=0)
        .timestamp()
    )
    try:
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=1.0)
        try:
            sessions, touches = connection.execute(
                "SELECT COUNT(*), COALESCE(SUM(touches), 0) FROM sessions WHERE started >= ?",
                (midnight,),
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        log.debug("no visitor figures from %s: %s", path, exc)
        return
    sample.sessions_today, sample.taps_today = int(sessions), int(touches)


def _bundle_and_update(sample: Sample, status: Mapping[str, Any]) -> None:
    bundle = status.get("bundle")
    if isinstance(bundle, dict) and isinstance(bundle.get("id"), str):
        sample.bundle_id = bundle["id"]
        version = bundle.get("version")
        sample.bundle_version = version if isinstance(version, str) else None
    last = status.get("last_update")
    if sample.last_update_outcome is None and isinstance(last, dict):
        outcome = last.get("outcome")
        sample.last_update_outcome = outcome if isinstance(outcome, str) else None
        sample.last_update_at = parse_time(last.get("time"))


# -- In the running kiosk


def sample_running(
    status: Mapping[str, Any] | None,
    crashes_recovered: int,
    *,
    kiosk_name: str | None = None,
    store: Path | None = None,
    analytics_folder: Path | None = None,
    now: float | None = None,
) -> Sample:
    """This process's own sample: `status` is a KioskStatus snapshot (None before it exists)."""
    from kiosk.runtime.health import memory_megabytes, process_age_seconds

    now = time.time() if now is None else now
    uptime = process_age_seconds()
    memory = memory_megabytes()
    sample = Sample(
        up=True,
        sampled_at=now,
        kiosk_name=kiosk_name,
        started_at=now - uptime,
        uptime_seconds=uptime,
        resident_bytes=memory * 2**20 if memory is not None else None,
        crashes_recovered=crashes_recovered,
    )
    update_figures(sample, store)
    if status is not None:
        _bundle_and_update(sample, status)
    analytics_figures(sample, analytics_folder, now)
    return sample


# -- From the files a kiosk leaves (kiosk status --format prometheus)


def read_status(path: Path) -> dict[str, Any] | None:
    """status.json as a dict, or None if it is missing, too large or not a JSON object."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_STATUS_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_STATUS_BYTES:
        return None
    try:
        status = json.loads(data)
    except ValueError:
        return None
    return status if isinstance(status, dict) else None


def process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - os.kill(pid, 0) would end it there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists; it belongs to another user (the kiosk's)
    except OSError:
        return False
    return True


def resident_bytes_of(pid: int) -> float | None:
    """Another process's resident memory (Linux's /proc), or None."""
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return float(pages * os.sysconf("SC_PAGE_SIZE"))


def sample_from_files(
    status_file: Path,
    *,
    kiosk_name: str | None = None,
    store: Path | None = None,
    analytics_folder: Path | None = None,
    now: float | None = None,
    stale_after: float = STATUS_STALE_SECONDS,
) -> Sample:
    """What the files say about the kiosk, for a process other than the kiosk.

    The kiosk is up when its status file is fresh and the process that wrote it still runs;
    then its uptime and memory are known too. What only the running kiosk knows (the errors it
    recovered from) is left out.
    """
    now = time.time() if now is None else now
    sample = Sample(up=False, sampled_at=now, kiosk_name=kiosk_name)
    status = read_status(status_file)
    update_figures(sample, store)
    if status is not None:
        written = parse_time(status.get("written_at"))
        pid = status.get("pid")
        fresh = written is not None and 0 <= now - written <= stale_after
        alive = isinstance(pid, int) and process_alive(pid)
        sample.up = fresh and alive
        version = status.get("program")
        if isinstance(version, str) and version.startswith("kiosk "):
            sample.program_version = version.removeprefix("kiosk ")
        _bundle_and_update(sample, status)
        if sample.up:
            assert isinstance(pid, int) and written is not None
            uptime = status.get("uptime_seconds")
            if isinstance(uptime, (int, float)):
                sample.uptime_seconds = float(uptime) + (now - written)
                sample.started_at = now - sample.uptime_seconds
            sample.resident_bytes = resident_bytes_of(pid)
    analytics_figures(sample, analytics_folder, now)
    return sample


# -- The publisher in the kiosk


def parse_listen_address(text: str) -> tuple[str, int]:
    """`host:port` (`[::1]:9817` for IPv6; `:9817` means every address) as (host, port)."""
    host, sep, port_text = text.rpartition(":")
    if not sep or not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise ValueError(f"{text!r} is not an address and port such as 127.0.0.1:9817")
    host = host.strip("[]") or "0.0.0.0"  # the technician asked for every address
    return host, int(port_text)


class MetricsPublisher:
    """Writes the textfile every `interval` seconds and serves /metrics, on threads of its own.

    `take` builds a sample; it is called from those threads, so it must only read data that is
    safe to read there (the status snapshot is locked; counters are plain ints).
    """

    def __init__(
        self,
        take: Callable[[], Sample],
        textfile: Path | None = None,
        listen: str | None = None,
        interval: float = 30.0,
    ) -> None:
        self.take = take
        self.textfile = textfile
        self.listen = listen
        self.interval = interval
        self.registry = registry_for(take)
        self.address: tuple[str, int] | None = None
        self._server: Any = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_problem: str | None = None

    def start(self) -> None:
        if self.listen is not None:
            host, port = parse_listen_address(self.listen)
            try:
                self._server, _ = start_http_server(port, addr=host, registry=self.registry)
            except OSError as exc:
                log.error("cannot serve /metrics on %s: %s", self.listen, exc)
            else:
                self.address = self._server.server_address[:2]
                log.info("serving Prometheus metrics on http://%s:%d/metrics", *self.address)
        if self.textfile is not None:
            self._thread = threading.Thread(target=self._run, name="kiosk-metrics", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving; the textfile is written once more with kiosk_up 0 (a clean stop)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self.textfile is not None:
            self.write_textfile(stopping=True)

    def write_textfile(self, stopping: bool = False) -> None:
        assert self.textfile is not None
        try:
            registry = self.registry
            if stopping:
                final = self.take()
                final.up = False
                registry = registry_for(lambda: final)
            self.textfile.parent.mkdir(parents=True, exist_ok=True)
            write_to_textfile(str(self.textfile), registry)
        except Exception as exc:  # monitoring must never take the kiosk down
            problem = f"cannot write the metrics file {self.textfile}: {exc}"
            if problem != self._last_problem:  # once, not every 30 s
                log.error("%s", problem)
            self._last_problem = problem
        else:
            self._last_problem = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self.write_textfile()
            self._stop.wait(self.interval)


def start_publisher(
    config: InstallationConfig,
    status: Callable[[], Mapping[str, Any] | None],
    crashes_recovered: Callable[[], int],
) -> MetricsPublisher | None:
    """The running kiosk's publisher, as `config` asks for it (None: no metrics configured).

    `status` gives the status file's current content (None before the updater has started) and
    `crashes_recovered` the crash guard's count; both are read on the publisher's threads.
    """
    if config.metrics_textfile is None and config.metrics_listen is None:
        return None
    from kiosk.runtime.config import default_update_store

    store = (config.update_store or default_update_store()) if config.update_source else None

    def take() -> Sample:
        return sample_running(
            status(),
            crashes_recovered(),
            kiosk_name=config.kiosk_name,
            store=store,
            analytics_folder=config.analytics_folder,
        )

    publisher = MetricsPublisher(
        take, config.metrics_textfile, config.metrics_listen, config.metrics_interval_seconds
    )
    publisher.start()
    return publisher
