"""One poll of a source, ending in the same validate-then-install for every source.

Every fault becomes an `Attempt` with outcome "failed", its kind and a message, recorded in the
store's state and logged; nothing before `Store.install` touches the running bundle, and staging
is cleared whatever happens.

After a rollback the store holds the version rolled back from (`held_back`): while the source
still offers exactly that (same version, same hash) it is not installed again; once the source
offers anything else, the hold is forgotten.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Protocol

from kiosk.content import BundleInvalid, NotABundle, load_bundle
from kiosk.updates.errors import StoreBusy, UpdateError
from kiosk.updates.offer import Offer, Quiet, disk_full_error
from kiosk.updates.state import Attempt, StoreState
from kiosk.updates.store import Store

log = logging.getLogger("kiosk.updates")
MAX_PROBLEMS_SHOWN = 5


class Source(Protocol):
    """Where bundles come from: a web server (http_source) or a folder (inbox)."""

    label: str

    def check(self, validators: dict[str, dict[str, str]]) -> Offer | Quiet: ...


def make_source(
    where: str, public_key: Path | None, settle_seconds: float = 30.0, timeout: float = 30.0
) -> Source:
    """An http(s):// URL is a web server; anything else is a folder."""
    from kiosk.updates.http_source import HttpSource
    from kiosk.updates.inbox import FolderSource

    if where.startswith(("http://", "https://")):
        return HttpSource(where, public_key, timeout=timeout)
    return FolderSource(Path(where).expanduser(), public_key, settle_seconds)


class Updater:
    """Polls `source` and installs what it offers into `store`."""

    def __init__(self, store: Store, source: Source) -> None:
        self.store = store
        self.source = source

    def poll_once(self) -> Attempt:
        try:
            with self.store.locked():
                state = self.store.state()
                attempt = self._poll(state)
                state.record(attempt)
                self.store.save_state(state)
        except StoreBusy as exc:
            attempt = Attempt("busy", self.source.label, exc.message)
        except UpdateError as exc:
            attempt = Attempt("failed", self.source.label, exc.message, kind=exc.kind)
        except OSError as exc:
            error = disk_full_error(exc)
            kind, message = (error.kind, error.message) if error else ("io-error", str(exc))
            attempt = Attempt("failed", self.source.label, message, kind=kind)
        _log(attempt)
        return attempt

    def _poll(self, state: StoreState) -> Attempt:
        label = self.source.label
        try:
            result = self.source.check(state.http_validators)
            if isinstance(result, Quiet):
                return Attempt(result.outcome, label, result.message)
            if result.name == state.held_back:
                return Attempt(
                    "held-back",
                    label,
                    f"{result.name} was rolled back from; it is installed again only after the "
                    "source publishes another version",
                    result.version,
                )
            state.held_back = None  # the source has moved on
            if result.name == self.store.current:
                self._remember(state, result)
                return Attempt("up-to-date", label, f"{result.name} is current", result.version)
            self._install(result)
            self._remember(state, result)
            return Attempt("installed", label, f"{result.name} is now current", result.version)
        except UpdateError as exc:
            outcome = "waiting" if exc.kind == "changed" else "failed"
            return Attempt(outcome, label, exc.message, kind=exc.kind)
        except OSError as exc:
            error = disk_full_error(exc)
            if error is None:
                return Attempt("failed", label, f"{type(exc).__name__}: {exc}", kind="io-error")
            return Attempt("failed", label, error.message, kind=error.kind)

    def _install(self, offer: Offer) -> None:
        staging = self.store.new_staging_folder()
        try:
            root = offer.fetch(staging)
            try:
                bundle = load_bundle(root)
            except (BundleInvalid, NotABundle) as exc:
                problems = [str(p) for p in getattr(exc, "problems", [])] or [str(exc)]
                shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
                more = len(problems) - MAX_PROBLEMS_SHOWN
                raise UpdateError(
                    "invalid-bundle",
                    f"the bundle is not valid: {shown}{f' (and {more} more)' if more > 0 else ''}",
                ) from None
            if bundle.manifest.version != offer.version:
                raise UpdateError(
                    "mismatch",
                    f"the manifest says version {offer.version}, the bundle says "
                    f"{bundle.manifest.version}",
                )
            self.store.install(root, offer.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    @staticmethod
    def _remember(state: StoreState, offer: Offer) -> None:
        if offer.validators is not None:
            url, headers = offer.validators
            state.http_validators = {url: headers} if headers else {}


def rollback(store: Store, label: str = "rollback command") -> Attempt:
    """Make the previous bundle current and hold back the one rolled back from."""
    with store.locked():
        state = store.state()
        left = store.current
        if left is None or store.previous is None:
            raise UpdateError("no-previous", "there is no previous bundle to roll back to")
        # The hold is on disk before the swap: a crash between them never lets the poller put
        # the bundle rolled back from straight back.
        state.held_back = left
        # Forget the validators: the next poll reads the manifest and says "held-back", not a
        # 304 "up-to-date" that would hide that the source still offers the bundle left.
        state.http_validators = {}
        store.save_state(state)
        back = store.rollback()
        attempt = Attempt("rolled-back", label, f"{back} is current again; {left} is held back")
        state.record(attempt)
        store.save_state(state)
    _log(attempt)
    return attempt


def _log(attempt: Attempt) -> None:
    if attempt.outcome == "failed":
        # Integrity faults are errors; a server that is away for a while is a warning.
        transient = attempt.kind in ("server-down", "timeout", "busy") or (
            attempt.kind or ""
        ).startswith("http-5")
        log.log(logging.WARNING if transient else logging.ERROR, "update: %s", attempt.line())
    elif attempt.outcome in ("installed", "rolled-back", "held-back"):
        log.info("update: %s", attempt.line())
    else:
        log.debug("update: %s", attempt.line())
