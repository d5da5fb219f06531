"""The one exception of the update machinery: a named kind of fault and a message for people."""

from __future__ import annotations


class UpdateError(Exception):
    """An update could not be done; the running bundle is untouched.

    `kind` is short and stable for scripts and monitoring (server-down, http-404, timeout,
    truncated, wrong-hash, bad-signature, unsigned, invalid-bundle, unsafe-zip, disk-full, ...).
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


class StoreBusy(UpdateError):
    """Another process (the kiosk, or a technician's command) is changing the store."""

    def __init__(self, message: str) -> None:
        super().__init__("busy", message)
