"""Staff access: the hidden gesture opens the PIN pad, and the right PIN the admin screen.

Both overlays are children of the BundleHost, so they cover the exhibit on whichever screen it is
and need no window manager. The exhibit underneath keeps running.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk.runtime.logs import log
from kiosk.runtime.pin import PinGate
from kiosk.ui.shell.host import BundleHost
from kiosk.ui.staff.admin import AdminScreen, StaffInfo
from kiosk.ui.staff.lockdown import Lockdown
from kiosk.ui.staff.pin_pad import PinPad


class StaffAccess(QObject):
    """Owns the PIN pad and admin screen of one kiosk window; `exit_requested` leaves the kiosk."""

    exit_requested = Signal()

    def __init__(
        self, host: BundleHost, lockdown: Lockdown, gate: PinGate, info: StaffInfo
    ) -> None:
        super().__init__(host)
        self.host = host
        self.lockdown = lockdown
        self.pin_pad = PinPad(gate, host)
        self.pin_pad.hide()
        self.admin = AdminScreen(host, info, host)
        self.admin.hide()
        lockdown.staff_requested.connect(self.open_pin_pad)
        self.pin_pad.accepted.connect(self._pin_accepted)
        self.admin.exit_requested.connect(self._exit)
        # A newly loaded bundle's window is added on top of the host's children: the staff
        # screens must stay above it (a reload from the admin screen adds one while it is open).
        host.bundle_loaded.connect(self._keep_on_top)
        host.bundle_loaded.connect(self._log_loaded)
        host.bundle_refused.connect(self._log_refused)

    def _log_loaded(self, bundle: object) -> None:
        log.info("bundle shown: %s", self.host.content)

    def _log_refused(self, folder: object, problems: list[str]) -> None:
        kept = "keeping the bundle on screen" if self.host.bundle else "nothing to show"
        log.error("bundle %s refused (%s):\n  %s", folder, kept, "\n  ".join(problems))

    def _keep_on_top(self) -> None:
        for overlay in (self.pin_pad, self.admin):
            if overlay.isVisible():
                overlay.raise_()

    def open_pin_pad(self) -> None:
        if self.admin.isVisible() or self.pin_pad.isVisible():
            return
        log.info("staff gesture: PIN pad opened")
        self.pin_pad.open()

    def _pin_accepted(self) -> None:
        log.info("staff PIN accepted: admin screen opened")
        self.admin.open()

    def _exit(self) -> None:
        log.info("staff chose 'exit to the desktop'")
        self.lockdown.allow_close = True
        self.exit_requested.emit()
