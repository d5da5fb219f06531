"""systemd notification: READY=1 once the first frame is up, WATCHDOG=1 while the UI is alive.

The protocol is one datagram per message to the AF_UNIX socket named in $NOTIFY_SOCKET (a name
starting with '@' is an abstract socket), so no extra dependency is needed. $WATCHDOG_USEC is the
unit's WatchdogSec; pinging at half of it (from a timer on the GUI thread, see kiosk/app.py) means
a UI that stops running its event loop misses its pings and systemd restarts it.
Without $NOTIFY_SOCKET (not under systemd, or on Windows) every call does nothing.
"""

from __future__ import annotations

import os
import socket

from kiosk.runtime.logs import log


class SystemdNotifier:
    """Sends sd_notify messages; does nothing when not started by systemd with Type=notify."""

    def __init__(self, environ: dict[str, str] | None = None) -> None:
        env = dict(os.environ) if environ is None else environ
        self.address = self._address(env.get("NOTIFY_SOCKET", ""))
        self.watchdog_seconds = self._watchdog_seconds(env)
        self._failed = False

    @staticmethod
    def _address(name: str) -> str | None:
        if not name or not hasattr(socket, "AF_UNIX"):
            return None
        if name.startswith("@"):
            return "\0" + name[1:]  # Linux abstract namespace
        return name if name.startswith("/") else None

    @staticmethod
    def _watchdog_seconds(env: dict[str, str]) -> float | None:
        pid = env.get("WATCHDOG_PID")
        # The watchdog is the main process's. That is the kiosk itself, or its parent when a
        # compositor starts it (`cage -- kiosk` in the packaged unit, with NotifyAccess=all):
        # the kiosk's pings then keep the session alive. Any other process's is not ours.
        if pid and pid not in (str(os.getpid()), str(os.getppid())):
            return None
        try:
            usec = int(env.get("WATCHDOG_USEC", ""))
        except ValueError:
            return None
        return usec / 1_000_000 if usec > 0 else None

    @property
    def enabled(self) -> bool:
        return self.address is not None

    @property
    def ping_interval_ms(self) -> int | None:
        """How often to send WATCHDOG=1: half the watchdog time, as systemd advises."""
        if self.watchdog_seconds is None or not self.enabled:
            return None
        return max(100, round(self.watchdog_seconds * 1000 / 2))

    def notify(self, message: str) -> bool:
        """Send one message; False if it could not be sent (logged once, never raised)."""
        if self.address is None:
            return False
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
                sock.connect(self.address)
                sock.sendall(message.encode())
        except OSError as exc:
            if not self._failed:
                log.warning("cannot notify systemd at %r: %s", self.address, exc)
                self._failed = True
            return False
        return True

    def ready(self) -> bool:
        return self.notify("READY=1")

    def ping(self) -> bool:
        return self.notify("WATCHDOG=1")

    def status(self, text: str) -> bool:
        return self.notify(f"STATUS={text}")
