"""The garbage collector runs on the GUI thread only (a Qt object freed by a collection in a
worker thread used to crash the kiosk: its timer fired on freed memory)."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.ui.qt import gui_collector
from kiosk.ui.qt.gui_collector import GuiCollector, collect_on_gui_thread


class _Node:
    """A reference cycle's member (plain objects in a cycle are freed only by the collector)."""

    def __init__(self) -> None:
        self.me = self


def _allocate(count: int, into: list[list[int]]) -> None:
    """What a worker thread does all the time: make container objects (kept, so that the
    interpreter's allocation count stays over its threshold)."""
    into.extend([index] for index in range(count))


def _garbage_made_in_a_worker() -> list[weakref.ref[_Node]]:
    """5,000 reference cycles made and dropped by a worker thread; weak references to them."""
    made: list[weakref.ref[_Node]] = []

    def work() -> None:
        for _ in range(5_000):
            made.append(weakref.ref(_Node()))

    worker = threading.Thread(target=work, name="busy-worker")
    worker.start()
    worker.join()
    return made


@pytest.fixture
def collector(qapp: QApplication) -> Iterator[GuiCollector]:
    installed = collect_on_gui_thread()
    assert installed is not None
    yield installed
    assert not gc.isenabled()


@pytest.fixture
def collecting_threads() -> Iterator[list[str]]:
    names: list[str] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            names.append(threading.current_thread().name)

    gc.callbacks.append(record)
    yield names
    gc.callbacks.remove(record)


def test_installing_it_twice_gives_the_same_collector(collector: GuiCollector) -> None:
    assert collect_on_gui_thread() is collector
    assert not gc.isenabled()


def test_a_qt_object_in_garbage_is_freed_on_the_gui_thread_not_in_a_worker(
    qtbot: QtBot, collector: GuiCollector, collecting_threads: list[str]
) -> None:
    freed_in: list[str] = []
    holder = _Node()
    holder.timer = QTimer()  # type: ignore[attr-defined]
    holder.timer.start(60_000)  # type: ignore[attr-defined]
    weakref.finalize(holder, lambda: freed_in.append(threading.current_thread().name))
    del holder  # garbage now, in a cycle: only a collection frees it
    made: list[list[int]] = []
    worker = threading.Thread(target=_allocate, args=(200_000, made), name="busy-worker")
    worker.start()
    worker.join()
    assert freed_in == []  # the worker's allocations did not start a collection there
    qtbot.waitUntil(lambda: bool(freed_in), timeout=5_000)
    assert freed_in == ["MainThread"]
    assert len(made) == 200_000
    assert collecting_threads and set(collecting_threads) == {"MainThread"}


def test_garbage_made_in_a_worker_is_collected_by_the_gui_thread_timer(
    qtbot: QtBot, collector: GuiCollector, collecting_threads: list[str]
) -> None:
    made = _garbage_made_in_a_worker()
    qtbot.waitUntil(lambda: all(ref() is None for ref in made), timeout=5_000)
    assert set(collecting_threads) == {"MainThread"}


def test_garbage_is_collected_even_after_frees_brought_the_count_back_down(
    qtbot: QtBot, collector: GuiCollector, collecting_threads: list[str]
) -> None:
    """Freeing objects lowers the count the timer reads: a closed panel's widgets freed after
    garbage was made leave the count at 0 with the garbage still there."""
    freed_later = [[index] for index in range(20_000)]
    gc.collect()
    made = _garbage_made_in_a_worker()
    del freed_later
    assert gc.get_count()[0] <= gc.get_threshold()[0]  # nothing is due by the count
    qtbot.waitUntil(lambda: all(ref() is None for ref in made), timeout=10_000)
    assert set(collecting_threads) == {"MainThread"}


def test_only_what_is_due_is_collected(collector: GuiCollector) -> None:
    gc.collect()
    assert collector.collect_due() is None  # nothing allocated since
    _keep = [[index] for index in range(gc.get_threshold()[0] * 2)]
    assert collector.collect_due() == 0
    assert collector.collect_due() is None
    assert len(_keep) > 0


def test_a_collector_turned_back_on_by_other_code_is_turned_off_again(
    collector: GuiCollector,
) -> None:
    gc.enable()  # as the bundle loader's pause does if it started before the kiosk's
    collector.collect_due()
    assert not gc.isenabled()


def test_it_never_collects_from_another_thread(collector: GuiCollector) -> None:
    _keep = [[index] for index in range(gc.get_threshold()[0] * 2)]
    answers: list[int | None] = []
    worker = threading.Thread(target=lambda: answers.append(collector.collect_due()))
    worker.start()
    worker.join()
    assert answers == [None]
    assert len(_keep) > 0


def test_with_the_incremental_collector_it_collects_young_and_an_increment_of_the_old(
    collector: GuiCollector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CPython 3.14's collector has no middle generation and no full passes of its own: past the
    young threshold it collects the young generation and a slice of the old (`collect(1)`)."""
    monkeypatch.setattr(gui_collector, "INCREMENTAL", True)
    asked: list[int] = []

    def collect(generation: int = 2) -> int:
        asked.append(generation)
        return 0

    monkeypatch.setattr(gc, "collect", collect)
    _keep = [[index] for index in range(gc.get_threshold()[0] * 2)]
    assert collector.collect_due() == 1
    assert asked == [1]
    assert len(_keep) > 0
