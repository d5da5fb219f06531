"""Event files shared with worker processes: the same events and problems as read in one process.

The loader uses workers only for bundles of thousands of events; here the threshold and chunk
size are lowered so a small bundle full of mistakes is split into many chunks, and whatever
reads a chunk (this process, a worker, or this process again after a worker failed), the
result must be exactly that of reading it all here.
"""

from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path

import pytest

from kiosk.content import collector_paused, loader, parallel, validate_bundle
from tests.content.conftest import BundleFiles

EXTRA_EVENT = """\
    id: {id}
    date: 1917-02-2{day}
    place: znamenskaya-square
    category: strike
    title: {{en: "Event {id}", ru: "Событие {id}"}}
    summary: {{en: "Summary {id}."}}
    body: {{en: "Body of {id}.", ru: "Текст {id}."}}
"""


@pytest.fixture
def many_events(bundle: BundleFiles, monkeypatch: pytest.MonkeyPatch) -> BundleFiles:
    """The test bundle with 40 more events and a mistake of every kind spread through them,
    split into chunks of two files."""
    for i in range(40):
        bundle.write(
            f"events/extra-{i:02d}.yaml", EXTRA_EVENT.format(id=f"extra-{i:02d}", day=3 + i % 6)
        )
    bundle.replace("events/extra-03.yaml", "place: znamenskaya-square", "place: nowhere")
    bundle.replace("events/extra-11.yaml", "id: extra-11", "id: extra-12")  # not its file name
    bundle.write("events/extra-17.yml", EXTRA_EVENT.format(id="extra-17", day=4))  # id used twice
    bundle.replace("events/extra-25.yaml", "category: strike", "category: [strike]")  # invalid,
    bundle.replace("events/extra-25.yaml", "place: znamenskaya-square", "place: nowhere-else")
    bundle.write("events/extra-31.yaml", "id: extra-31\ndate: [unclosed\n")  # YAML syntax
    monkeypatch.setattr(loader, "PARALLEL_FROM", 1)
    monkeypatch.setattr(loader, "EVENT_CHUNK_MIN", 2)
    monkeypatch.setattr(loader, "EVENT_CHUNK_MAX", 2)
    return bundle


def _in_one_process(root: Path) -> tuple[object, list[str]]:
    found, problems = validate_bundle(root, workers=0)
    return found, [str(p) for p in problems]


def test_workers_find_exactly_what_one_process_finds(many_events: BundleFiles) -> None:
    alone = _in_one_process(many_events.root)
    for mistake in (  # every mistake above shows, once
        "extra-03.yaml:3:8: error: there is no place 'nowhere' in places.yaml",
        "extra-11.yaml:1:5: error: the id 'extra-12' differs from the file name",
        "extra-17.yml:1:5: error: the id 'extra-17' is also used by events/extra-17.yaml",
        "extra-25.yaml:3:8: error: there is no place 'nowhere-else' in places.yaml",
        "extra-25.yaml:4:11: error:",
        "extra-31.yaml:3:1: error: a list opened with [ is not closed",
    ):
        assert sum(mistake in problem for problem in alone[1]) == 1, mistake
    found, problems = validate_bundle(many_events.root, workers=2)
    assert (found, [str(p) for p in problems]) == alone


def test_a_valid_bundle_read_with_workers_is_the_same_bundle(
    bundle: BundleFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(20):
        bundle.write(
            f"events/extra-{i:02d}.yaml", EXTRA_EVENT.format(id=f"extra-{i:02d}", day=3 + i % 6)
        )
    monkeypatch.setattr(loader, "PARALLEL_FROM", 1)
    monkeypatch.setattr(loader, "EVENT_CHUNK_MIN", 3)
    monkeypatch.setattr(loader, "EVENT_CHUNK_MAX", 3)
    alone, alone_problems = validate_bundle(bundle.root, workers=0)
    shared, shared_problems = validate_bundle(bundle.root, workers=1)
    assert alone is not None and shared is not None
    assert shared.events == alone.events and len(shared.events) == 23
    assert shared_problems == alone_problems


def test_a_worker_that_stops_costs_only_time(
    many_events: BundleFiles, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    alone = _in_one_process(many_events.root)
    # A "worker" that reads a little of its input and quits: every chunk it took is read here.
    quits = [sys.executable, "-c", "import sys; sys.stdin.buffer.read(20)"]
    monkeypatch.setattr(parallel, "_worker_command", lambda: quits)
    with caplog.at_level(logging.WARNING, logger="kiosk.content.parallel"):
        found, problems = validate_bundle(many_events.root, workers=2)
    assert (found, [str(p) for p in problems]) == alone
    assert "a validation worker process stopped" in caplog.text


def test_a_worker_that_cannot_start_costs_only_time(
    many_events: BundleFiles, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    alone = _in_one_process(many_events.root)
    missing = [str(many_events.root / "no-such-python")]
    monkeypatch.setattr(parallel, "_worker_command", lambda: missing)
    with caplog.at_level(logging.WARNING, logger="kiosk.content.parallel"):
        found, problems = validate_bundle(many_events.root, workers=1)
    assert (found, [str(p) for p in problems]) == alone
    assert "no validation worker process could be started" in caplog.text


def test_no_workers_in_the_packaged_program(monkeypatch: pytest.MonkeyPatch) -> None:
    # There the executable is the kiosk itself, not Python: it cannot run a worker.
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert parallel.available_workers() == 0


def test_small_bundles_use_no_workers(bundle: BundleFiles, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_worker() -> list[str]:
        raise AssertionError("a worker was started for three events")

    monkeypatch.setattr(parallel, "_worker_command", no_worker)
    found, problems = validate_bundle(bundle.root, workers=3)
    assert found is not None and problems == []


def test_validation_never_switches_the_process_wide_collector(
    bundle: BundleFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The collector is the process's: in the kiosk the GUI thread owns it, whichever thread
    validates. Only a program that does nothing else pauses it (`collector_paused`)."""
    switched: list[str] = []
    monkeypatch.setattr(gc, "disable", lambda: switched.append("disable"))
    monkeypatch.setattr(gc, "enable", lambda: switched.append("enable"))
    found, _ = validate_bundle(bundle.root)
    assert found is not None
    assert switched == []
    with collector_paused():
        assert switched == ["disable"]


@pytest.mark.parametrize("enabled", [True, False])
def test_validation_leaves_the_garbage_collector_as_it_found_it(
    bundle: BundleFiles, enabled: bool
) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        validate_bundle(bundle.root)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
