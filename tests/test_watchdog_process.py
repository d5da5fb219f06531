"""The real kiosk under a fake systemd: READY=1, then WATCHDOG=1 pings from the GUI thread's
timer at half of WATCHDOG_USEC, and a clean stop on SIGTERM with the log written."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ready_and_watchdog_pings_reach_a_fake_notify_socket(tmp_path: Path) -> None:
    address = str(tmp_path / "notify")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(address)
    listener.settimeout(30)
    config = tmp_path / "kiosk.yaml"
    config.write_text(f"log_folder: {tmp_path / 'logs'}\n", encoding="utf-8")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "NOTIFY_SOCKET": address,
        "WATCHDOG_USEC": "400000",
    }
    kiosk = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--config", str(config)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        messages = [listener.recv(64)]
        started = time.monotonic()
        messages += [listener.recv(64) for _ in range(3)]
        elapsed = time.monotonic() - started
    finally:
        kiosk.send_signal(signal.SIGTERM)
        _, stderr = kiosk.communicate(timeout=20)
        listener.close()
    assert messages == [b"READY=1"] + [b"WATCHDOG=1"] * 3
    assert 0.3 < elapsed < 10  # three pings at 200 ms, not a flood
    assert kiosk.returncode == 0, stderr
    assert "Traceback" not in stderr
    log = (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "kiosk started: petrograd-1917" in log
    assert "kiosk stopped with exit code 0" in log
