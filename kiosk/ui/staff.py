"""Staff access: the hidden gesture opens the PIN pad, and the right PIN the admin screen.

Both overlays are children of the BundleHost, so they cover the exhibit on whichever screen it is
and need no window manager. The exhibit underneath keeps running.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk.runtime.logs import log
from kiosk.runtime.pin import PinGate
from kiosk.ui.admin import AdminScreen, StaffInfo
from kiosk.ui.host import BundleHost
from kiosk.ui.lockdown import Lockdown
from kiosk.ui.pin_pad import PinPad


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
