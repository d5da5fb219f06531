"""The store's memory: the last update attempts, what was rolled back from, the exhibit and the
highest version this kiosk trusts, and HTTP validators.

One small JSON file (`state.json`), always replaced atomically. It is bookkeeping only: losing it
loses history, never a bundle (the pointers say which bundle runs).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kiosk.content.safe_read import read_regular_file
from kiosk.updates.durable import write_atomic
from kiosk.updates.untrusted import printable, printable_or_none

HISTORY_LENGTH = 50
MAX_STATE_BYTES = 4 * 1024 * 1024


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def now_text() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass
class Attempt:
    """One update attempt: when, from where, how it ended (`outcome`), and why."""

    outcome: str  # installed, up-to-date, waiting, held-back, failed, rolled-back
    source: str
    message: str
    version: str | None = None
    kind: str | None = None  # the fault's kind when outcome is "failed"
    time: str = field(default_factory=now_text)

    def __post_init__(self) -> None:
        # Messages quote manifests, servers and zips: escaped here, once, they are safe in the
        # log, state.json, status.json and on the admin screen (issue 17, finding 8).
        self.outcome = printable(self.outcome, 40)
        self.source = printable(self.source)
        self.message = printable(self.message, 2000)
        self.version = printable_or_none(self.version, 80)
        self.kind = printable_or_none(self.kind, 40)
        self.time = printable(self.time, 40)

    def line(self) -> str:
        version = f" {self.version}" if self.version else ""
        return f"{self.time} {self.outcome}{version} from {self.source}: {self.message}"


@dataclass
class StoreState:
    """Everything in state.json."""

    last_attempt: Attempt | None = None
    history: list[Attempt] = field(default_factory=list)  # attempts that changed or failed
    # The version folder a rollback left: not installed again while the source still offers it.
    held_back: str | None = None
    http_validators: dict[str, dict[str, str]] = field(default_factory=dict)  # url -> headers
    # The exhibit this kiosk is pinned to and the highest version of it installed here (TUF's
    # rollback protection): nothing at or below that version is installed unless a technician
    # asks on the kiosk. A rollback leaves it as it is, so the hold lasts until a newer version.
    trusted_bundle: str | None = None
    trusted_version: str | None = None
    # The expiry of the manifest last accepted from a web server: a 304 "not modified" answer
    # keeps it, so it is checked on every poll, and a server cannot freeze a kiosk with 304s.
    manifest_expires: str | None = None

    @classmethod
    def read(cls, path: Path) -> StoreState:
        try:
            data = json.loads(read_regular_file(path, MAX_STATE_BYTES).decode("utf-8"))
            trusted = data.get("trusted") or {}
            return cls(
                last_attempt=Attempt(**data["last_attempt"]) if data.get("last_attempt") else None,
                history=[Attempt(**item) for item in data.get("history", [])],
                held_back=data.get("held_back"),
                http_validators=dict(data.get("http_validators", {})),
                trusted_bundle=_text_or_none(trusted.get("bundle")),
                trusted_version=_text_or_none(trusted.get("version")),
                manifest_expires=_text_or_none(data.get("manifest_expires")),
            )
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            # Bookkeeping: start afresh rather than stop updating. The rollback protection then
            # falls back on the version of the current bundle (updater.store_identity).
            return cls()

    def write(self, path: Path) -> None:
        trusted = None
        if self.trusted_bundle is not None:
            trusted = {"bundle": self.trusted_bundle, "version": self.trusted_version}
        data = {
            "last_attempt": asdict(self.last_attempt) if self.last_attempt else None,
            "history": [asdict(item) for item in self.history[-HISTORY_LENGTH:]],
            "held_back": self.held_back,
            "http_validators": self.http_validators,
            "trusted": trusted,
            "manifest_expires": self.manifest_expires,
        }
        write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))

    def record(self, attempt: Attempt) -> None:
        self.last_attempt = attempt
        if attempt.outcome not in ("up-to-date", "waiting"):
            self.history.append(attempt)
            del self.history[:-HISTORY_LENGTH]
