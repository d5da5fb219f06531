"""The systemd notifier, talking to a fake notify socket as systemd would listen on one."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.runtime.watchdog import SystemdNotifier


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    path = str(tmp_path / "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(5)
    yield sock, path
    sock.close()


def test_ready_and_pings_reach_the_socket(notify_socket: tuple[socket.socket, str]) -> None:
    sock, path = notify_socket
    notifier = SystemdNotifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "20000000"})
    assert notifier.enabled and notifier.ping_interval_ms == 10_000
    assert notifier.ready()
    assert notifier.ping()
    assert sock.recv(64) == b"READY=1"
    assert sock.recv(64) == b"WATCHDOG=1"


def test_abstract_socket_names(tmp_path: Path) -> None:
    name = f"kiosk-test-{os.getpid()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + name)
    sock.settimeout(5)
    try:
        assert SystemdNotifier({"NOTIFY_SOCKET": "@" + name}).ping()
        assert sock.recv(64) == b"WATCHDOG=1"
    finally:
        sock.close()


def test_not_under_systemd_nothing_happens() -> None:
    notifier = SystemdNotifier({})
    assert not notifier.enabled
    assert notifier.ping_interval_ms is None
    assert not notifier.ready()


def test_a_watchdog_for_another_process_is_not_ours(
    notify_socket: tuple[socket.socket, str],
) -> None:
    _, path = notify_socket
    env = {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "1"}
    assert SystemdNotifier(env).ping_interval_ms is None
    env["WATCHDOG_PID"] = str(os.getpid())
    assert SystemdNotifier(env).ping_interval_ms == 500
    # The compositor that started the kiosk is the service's main process (cage -- kiosk).
    env["WATCHDOG_PID"] = str(os.getppid())
    assert SystemdNotifier(env).ping_interval_ms == 500


def test_a_vanished_socket_is_logged_once_never_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    notifier = SystemdNotifier({"NOTIFY_SOCKET": str(tmp_path / "gone")})
    assert not notifier.ping()
    assert not notifier.ping()
    assert caplog.text.count("cannot notify systemd") == 1
