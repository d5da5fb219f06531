"""Workers hand their results to the GUI thread through the courier and never hold a Qt object,
so what a view closed while its job runs leaves behind is deleted on the GUI thread, never in the
worker (Qt does not allow deleting a QObject outside its thread)."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.content import Bundle
from kiosk.ui.map import tiles as map_tiles
from kiosk.ui.map.tiles import MapTiles
from kiosk.ui.qt import courier, work
from kiosk.ui.shell import host as host_module
from kiosk.ui.shell.host import BundleHost
from tests.updates.helpers import make_bundle


class Receiver(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.got: list[tuple[object, str]] = []

    def take(self, value: object) -> None:
        self.got.append((value, threading.current_thread().name))


def from_a_thread(to: courier.Address, value: object) -> None:
    worker = threading.Thread(target=courier.send, args=(to, value), name="job")
    worker.start()
    worker.join()


def test_a_result_sent_from_a_worker_is_delivered_on_the_gui_thread(qtbot: QtBot) -> None:
    receiver = Receiver()
    from_a_thread(courier.address(receiver.take), 42)
    assert receiver.got == []  # not called in the worker
    qtbot.waitUntil(lambda: receiver.got != [], timeout=10_000)
    assert receiver.got == [(42, threading.main_thread().name)]


def test_a_result_for_an_object_that_went_is_dropped(qapp: QApplication) -> None:
    receiver = Receiver()
    to = courier.address(receiver.take)
    del receiver
    gc.collect()
    from_a_thread(to, 42)
    QCoreApplication.processEvents()  # delivered to nobody, and nothing raised
    assert to() is None


def test_a_result_for_an_object_qt_deleted_is_dropped(qapp: QApplication) -> None:
    parent = QObject()
    receiver = Receiver(parent)
    to = courier.address(receiver.take)
    shiboken6.delete(parent)  # takes the receiver with it; our Python reference stays
    from_a_thread(to, 42)
    QCoreApplication.processEvents()
    assert receiver.got == []


class Deaths:
    """The threads in which the QObjects alive now are deleted (their `destroyed` signal)."""

    def __init__(self) -> None:
        self.threads: dict[str, int] = {}
        self._lock = threading.Lock()
        self._watched: list[weakref.ref[QObject]] = []
        for thing in gc.get_objects():
            if isinstance(thing, QObject) and shiboken6.isValid(thing):
                # Direct: called in the thread that deletes it (the default would queue it to us).
                thing.destroyed.connect(self._died, Qt.ConnectionType.DirectConnection)
                self._watched.append(weakref.ref(thing))

    def stop(self) -> None:
        """Stop watching those still alive (the application, the worker pool...)."""
        for ref in self._watched:
            thing = ref()
            if thing is not None and shiboken6.isValid(thing):
                thing.destroyed.disconnect(self._died)

    def _died(self, *_: object) -> None:
        with self._lock:
            name = threading.current_thread().name
            self.threads[name] = self.threads.get(name, 0) + 1


@pytest.fixture
def watch() -> Iterator[Callable[[], Deaths]]:
    """Starts watching the QObjects alive at the moment it is called; stops after the test."""
    made: list[Deaths] = []

    def start() -> Deaths:
        made.append(Deaths())
        return made[-1]

    yield start
    for deaths in made:
        deaths.stop()


@pytest.fixture
def gate() -> Iterator[tuple[threading.Event, threading.Event]]:
    """The worker's jobs wait for `release` (after setting `entered`); released at the end."""
    entered, release = threading.Event(), threading.Event()
    yield entered, release
    release.set()
    work.wait_for_done()


def hold(
    monkeypatch: pytest.MonkeyPatch, owner: object, name: str, gate: tuple[threading.Event, ...]
) -> None:
    entered, release = gate
    original = getattr(owner, name)

    def held(*args: object, **kwargs: object) -> object:
        entered.set()
        release.wait(10)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, held)


def wait_for(event: threading.Event) -> None:
    for _ in range(500):
        if event.wait(0.01):
            return
        QCoreApplication.processEvents()
    raise AssertionError("the worker never started the job")


def finish(gate: tuple[threading.Event, threading.Event]) -> None:
    gate[1].set()
    work.wait_for_done()
    QCoreApplication.processEvents()
    gc.collect()


def test_map_tiles_dropped_while_a_tile_renders_are_deleted_on_the_gui_thread(
    qapp: QApplication,
    bundle: Bundle,
    monkeypatch: pytest.MonkeyPatch,
    gate: tuple[threading.Event, threading.Event],
    watch: Callable[[], Deaths],
) -> None:
    hold(monkeypatch, map_tiles._TileSource, "tile", gate)
    tiles = MapTiles(bundle, use_disk=False)
    tiles.set_view(0.5, 1920, 1080, "fffff0")
    wait_for(gate[0])
    deaths = watch()
    del tiles
    gc.collect()
    finish(gate)
    assert set(deaths.threads) == {"MainThread"}  # the tiles, at least


def test_a_host_closed_while_a_bundle_loads_is_deleted_on_the_gui_thread(
    qapp: QApplication,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    watch: Callable[[], Deaths],
) -> None:
    """The host's relay was its child, so this held before the courier too; it keeps holding."""
    gate = threading.Event(), threading.Event()
    hold(monkeypatch, host_module, "read_bundle", gate)
    host = BundleHost()
    host.load_in_background(make_bundle(tmp_path, "1.0.0"))
    wait_for(gate[0])
    deaths = watch()
    shiboken6.delete(host)
    del host
    gc.collect()
    gate[1].set()
    work.wait_for_done(10_000)
    QCoreApplication.processEvents()
    gc.collect()
    assert set(deaths.threads) == {"MainThread"}
