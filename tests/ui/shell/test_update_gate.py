"""The kiosk swaps a newly installed bundle in only during the attract loop, never while a visitor
is using it, without a restart; the updater's thread offers it, the screen's thread swaps it.
Time is a ManualClock: the window's idle reset runs on it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QPointingDevice
from pytestqt.qtbot import QtBot

from kiosk.content.cache import BundleCache, bundle_key
from kiosk.runtime.config import InstallationConfig
from kiosk.ui.journey.idle import COUNTDOWN_SECONDS, Phase
from kiosk.ui.qt.clock import ManualClock
from kiosk.ui.shell import update_gate
from kiosk.ui.shell.host import BundleHost
from kiosk.ui.shell.update_gate import KioskUpdates, UpdateGate
from tests.ui.shell.conftest import clocked_host
from tests.ui.touch import tap
from tests.updates.helpers import break_bundle, make_bundle

IDLE = 60  # the starter bundle's idle_seconds


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    return make_bundle(tmp_path / "bundles", "1.0.0")


@pytest.fixture
def v2(tmp_path: Path) -> Path:
    return make_bundle(tmp_path / "bundles", "2.0.0")


@pytest.fixture
def host(
    qtbot: QtBot, v1: Path, manual_clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[BundleHost]:
    yield clocked_host(qtbot, monkeypatch, manual_clock, v1, (1920, 1080))


def version(host: BundleHost) -> str:
    assert host.bundle is not None
    return host.bundle.manifest.version


def offer_from_a_thread(gate: UpdateGate, folder: Path, qtbot: QtBot) -> None:
    worker = threading.Thread(target=gate.offered.emit, args=(folder,))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: folder in (gate.pending, gate.host.attempted), timeout=10_000)


def test_a_bundle_offered_while_a_visitor_is_there_waits_for_the_attract_loop(
    host: BundleHost,
    v2: Path,
    qtbot: QtBot,
    manual_clock: ManualClock,
    touchscreen: QPointingDevice,
) -> None:
    gate = UpdateGate(host)
    assert host.exhibit is not None
    tap(host.exhibit.map_view.viewport(), touchscreen, QPoint(900, 500))  # a visitor
    assert host.exhibit.idle.phase is Phase.ACTIVE
    first_window = host.exhibit
    offer_from_a_thread(gate, v2, qtbot)
    assert gate.pending == v2 and version(host) == "1.0.0"
    manual_clock.advance(IDLE - 5)
    tap(host.exhibit.map_view.viewport(), touchscreen, QPoint(800, 400))  # still there
    manual_clock.advance(IDLE + 1)
    assert host.exhibit.idle.phase is Phase.COUNTDOWN  # "Still there?" is not idle enough
    assert version(host) == "1.0.0" and host.exhibit is first_window
    manual_clock.advance(COUNTDOWN_SECONDS + 1)
    # Nobody answered: the attract loop began, and the new bundle with it, without a restart.
    assert version(host) == "2.0.0"
    assert host.exhibit is not first_window
    assert host.exhibit.idle.phase is Phase.ATTRACT  # the loop goes on with the new content
    assert gate.pending is None


def test_offered_during_the_attract_loop_it_is_swapped_in_at_once(
    host: BundleHost, v2: Path, qtbot: QtBot
) -> None:
    assert host.exhibit is not None
    host.exhibit.start_attract()
    gate = UpdateGate(host)
    offer_from_a_thread(gate, v2, qtbot)
    qtbot.waitUntil(lambda: version(host) == "2.0.0", timeout=10_000)
    assert host.exhibit.idle.phase is Phase.ATTRACT


def test_a_bundle_refused_on_loading_leaves_the_screen_as_it_was(
    host: BundleHost, v2: Path, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    assert host.exhibit is not None
    host.exhibit.start_attract()
    gate = UpdateGate(host)
    break_bundle(v2)
    offer_from_a_thread(gate, v2, qtbot)
    qtbot.waitUntil(lambda: gate.pending is None and host.attempted == v2, timeout=10_000)
    assert version(host) == "1.0.0"
    assert "was refused on loading" in caplog.text


def test_the_bundle_on_screen_is_not_loaded_again(host: BundleHost, v1: Path, qtbot: QtBot) -> None:
    gate = UpdateGate(host)
    window = host.exhibit
    gate.offered.emit(v1)
    qtbot.wait(10)
    assert gate.pending is None and host.exhibit is window


def test_the_kiosk_starts_its_updater_after_start_up_and_stops_it(
    host: BundleHost, tmp_path: Path, qtbot: QtBot
) -> None:
    status_file = tmp_path / "status.json"
    updates = KioskUpdates(host, InstallationConfig(status_file=status_file))
    assert updates.service is None  # nothing delays the first frame
    qtbot.waitUntil(lambda: status_file.is_file(), timeout=5000)
    status = json.loads(status_file.read_text(encoding="utf-8"))
    assert status["bundle"]["version"] == "1.0.0"
    updates.stop()
    assert updates.service is not None and not updates.service._thread.is_alive()


@pytest.fixture
def cache(tmp_path: Path) -> BundleCache:
    return BundleCache(tmp_path / "cache")


@pytest.fixture
def cached_host(
    qtbot: QtBot,
    v1: Path,
    cache: BundleCache,
    manual_clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> BundleHost:
    """The kiosk's host: validated bundles kept in a cache, as `kiosk` runs it."""
    return clocked_host(qtbot, monkeypatch, manual_clock, v1, (1920, 1080), cache)


def test_while_it_waits_the_bundle_is_validated_ahead_so_the_swap_is_quick(
    cached_host: BundleHost,
    cache: BundleCache,
    v2: Path,
    qtbot: QtBot,
    manual_clock: ManualClock,
    touchscreen: QPointingDevice,
) -> None:
    host = cached_host
    assert host.exhibit is not None
    tap(host.exhibit.map_view.viewport(), touchscreen, QPoint(900, 500))
    gate = UpdateGate(host)
    gate.offered.emit(v2)
    assert gate.pending == v2
    qtbot.waitUntil(lambda: gate.preparing is None, timeout=30_000)
    assert cache.get(bundle_key(v2)) is not None
    manual_clock.advance(IDLE + COUNTDOWN_SECONDS + 2)
    assert version(host) == "2.0.0" and host.from_cache  # no validation in the attract loop


def test_offered_during_the_attract_loop_it_is_validated_in_the_background_before_the_swap(
    cached_host: BundleHost, cache: BundleCache, v2: Path, qtbot: QtBot
) -> None:
    """The screen's thread never waits for a validation: the attract loop runs on while a child
    process validates the bundle into the cache; the swap is then a cache hit."""
    host = cached_host
    assert host.exhibit is not None
    host.exhibit.start_attract()
    gate = UpdateGate(host)
    gate.offered.emit(v2)  # on the screen's thread: the swap would happen here and now
    assert version(host) == "1.0.0" and gate.preparing == v2 and gate.pending == v2
    qtbot.waitUntil(lambda: version(host) == "2.0.0", timeout=30_000)
    assert host.from_cache and cache.get(bundle_key(v2)) is not None
    assert gate.pending is None and gate.preparing is None
    assert host.exhibit.idle.phase is Phase.ATTRACT


def test_a_bundle_offered_twice_is_validated_once(
    cached_host: BundleHost,
    v2: Path,
    qtbot: QtBot,
    touchscreen: QPointingDevice,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prepared: list[Path] = []
    monkeypatch.setattr(
        update_gate, "validate_in_child", lambda folder, cache: prepared.append(folder)
    )
    assert cached_host.exhibit is not None
    tap(cached_host.exhibit.map_view.viewport(), touchscreen, QPoint(900, 500))  # a visitor
    gate = UpdateGate(cached_host)
    gate.offered.emit(v2)
    gate.offered.emit(v2)
    qtbot.waitUntil(lambda: gate.preparing is None, timeout=10_000)
    assert prepared == [v2] and gate.pending == v2


def test_the_bundle_waiting_is_validated_in_a_child_process_not_in_the_kiosk(
    tmp_path: Path, v2: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_process: list[Path] = []
    monkeypatch.setattr(update_gate, "read_bundle", lambda folder, cache: in_process.append(folder))
    cache = BundleCache(tmp_path / "cache")
    update_gate._prepare_into(v2, cache)
    assert cache.get(bundle_key(v2)) is not None and in_process == []
    # A child that cannot run: validated here instead, as before.
    monkeypatch.setattr(update_gate, "validate_in_child", lambda folder, cache: None)
    update_gate._prepare_into(v2, cache)
    assert in_process == [v2]
