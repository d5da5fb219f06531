"""Background work: one pool, lanes of one job at a time, results delivered on the GUI thread."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from functools import partial

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.ui.qt import gui_collector, work


class Receiver(QObject):
    """Takes results, noting the thread each came in on."""

    def __init__(self) -> None:
        super().__init__()
        self.got: list[object] = []
        self.threads: list[str] = []

    def take(self, result: object) -> None:
        self.got.append(result)
        self.threads.append(threading.current_thread().name)


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Held jobs wait for this; it is set at the end whatever happened."""
    event = threading.Event()
    yield event
    event.set()
    assert work.wait_for_done(10_000)


def test_a_result_reaches_its_receiver_on_the_gui_thread(qtbot: QtBot) -> None:
    receiver = Receiver()
    ran_in: list[str] = []

    def job() -> int:
        ran_in.append(threading.current_thread().name)
        return 42

    work.submit(job, receiver.take)
    qtbot.waitUntil(lambda: receiver.got == [42], timeout=5_000)
    assert receiver.threads == ["MainThread"]
    assert ran_in and ran_in != ["MainThread"]
    # Garbage collection belongs to the GUI thread once jobs run.
    assert gui_collector.installed() is not None and not gc.isenabled()


def test_a_lane_runs_one_job_at_a_time_highest_priority_first(
    qtbot: QtBot, release: threading.Event
) -> None:
    receiver = Receiver()
    started = threading.Event()
    running: list[int] = []
    most: list[int] = [0]
    lock = threading.Lock()

    def job(name: str) -> str:
        with lock:
            running.append(1)
            most[0] = max(most[0], len(running))
        started.set()
        release.wait(10)
        with lock:
            running.pop()
        return name

    work.submit(lambda: job("first"), receiver.take)
    assert started.wait(5)
    work.submit(lambda: job("low"), receiver.take, priority=-1)
    work.submit(lambda: job("normal"), receiver.take)
    work.submit(lambda: job("high"), receiver.take, priority=1)
    release.set()
    qtbot.waitUntil(lambda: len(receiver.got) == 4, timeout=10_000)
    assert receiver.got == ["first", "high", "normal", "low"]
    assert most == [1]


def test_a_long_job_in_one_lane_does_not_hold_up_another(
    qtbot: QtBot, release: threading.Event
) -> None:
    receiver = Receiver()
    held = threading.Event()

    def long_job() -> str:
        held.set()
        release.wait(10)
        return "bundle"

    work.submit(long_job, receiver.take, lane=work.Lane.BUNDLES)
    assert held.wait(5)
    work.submit(lambda: "tile", receiver.take, lane=work.Lane.MAP)
    qtbot.waitUntil(lambda: receiver.got == ["tile"], timeout=5_000)
    release.set()
    qtbot.waitUntil(lambda: receiver.got == ["tile", "bundle"], timeout=5_000)


def test_a_failing_job_is_logged_and_the_lane_goes_on(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    receiver = Receiver()

    def broken() -> int:
        raise ValueError("a bug")

    work.submit(broken, receiver.take)
    work.submit(lambda: "after", receiver.take)
    qtbot.waitUntil(lambda: receiver.got == ["after"], timeout=5_000)
    assert "background work failed" in caplog.text and "a bug" in caplog.text


def test_a_result_for_a_receiver_that_went_is_dropped(qapp: QApplication) -> None:
    receiver = Receiver()
    got = receiver.got
    work.submit(lambda: "late", receiver.take)
    del receiver
    gc.collect()
    assert work.wait_for_done(5_000)
    QApplication.processEvents()
    assert got == []


def test_a_helper_runs_beside_or_in_the_waiting_thread_when_no_thread_is_free(
    release: threading.Event,
) -> None:
    threads: list[str] = []
    busy = [threading.Event() for _ in range(work.pool().maxThreadCount())]

    def hold(started: threading.Event) -> None:
        started.set()
        release.wait(10)

    # A thread of the pool is free: the helper runs there, at once.
    join = work.beside(lambda: threads.append(threading.current_thread().name))
    join()
    assert threads and threads[0] != "MainThread"
    # Every thread busy: the helper runs when joined, in the joining thread.
    for started in busy:
        work.beside(partial(hold, started))
        assert started.wait(5)
    join = work.beside(lambda: threads.append(threading.current_thread().name))
    assert len(threads) == 1
    join()
    assert threads[1] == "MainThread"
