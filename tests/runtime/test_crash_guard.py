"""The exception hooks: logged in full, the kiosk carries on; a storm or a fatal error ends it."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator

import pytest

from kiosk.runtime import exit_codes
from kiosk.runtime.crash_guard import CrashGuard


@pytest.fixture
def fatal() -> list[int]:
    return []


@pytest.fixture
def guard(fatal: list[int]) -> Iterator[CrashGuard]:
    clock = [0.0]
    guard = CrashGuard(fatal.append, max_errors=3, window_seconds=10, clock=lambda: clock[0])
    guard.clock = clock  # type: ignore[attr-defined]
    guard.install()
    yield guard
    guard.uninstall()


def raise_and_hook(exc: BaseException) -> None:
    try:
        raise exc
    except BaseException:
        sys.excepthook(*sys.exc_info())


def test_an_exception_is_logged_in_full_and_the_kiosk_carries_on(
    guard: CrashGuard, fatal: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="kiosk"):
        raise_and_hook(ValueError("a marker with no place"))
    assert fatal == []
    assert guard.count == 1 and guard.last == "ValueError: a marker with no place"
    record = caplog.records[-1]
    assert record.exc_info is not None and record.exc_info[0] is ValueError
    assert "Traceback" in caplog.text and "raise_and_hook" in caplog.text


def test_a_storm_of_errors_ends_the_kiosk_for_a_restart(
    guard: CrashGuard, fatal: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    raise_and_hook(ValueError("1"))
    guard.clock[0] += 11  # type: ignore[attr-defined]  # the first is out of the window
    raise_and_hook(ValueError("2"))
    raise_and_hook(ValueError("3"))
    assert fatal == []
    raise_and_hook(ValueError("4"))
    assert fatal == [exit_codes.CRASH]
    assert "3 errors within 10 s" in caplog.text


def test_memory_errors_are_fatal(guard: CrashGuard, fatal: list[int]) -> None:
    raise_and_hook(MemoryError())
    assert fatal == [exit_codes.CRASH]


def test_a_thread_dies_alone(guard: CrashGuard, caplog: pytest.LogCaptureFixture) -> None:
    def work() -> None:
        raise RuntimeError("the analytics writer failed")

    thread = threading.Thread(target=work, name="analytics")
    thread.start()
    thread.join()
    assert guard.count == 1
    assert "unhandled exception in thread analytics" in caplog.text
    assert "the analytics writer failed" in caplog.text


def test_uninstall_restores_the_previous_hooks(fatal: list[int]) -> None:
    before = (sys.excepthook, threading.excepthook)
    guard = CrashGuard(fatal.append)
    guard.install()
    assert sys.excepthook == guard.handle
    guard.uninstall()
    assert (sys.excepthook, threading.excepthook) == before
