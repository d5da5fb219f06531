"""One poll of a source, ending in the same judge-download-validate-install for every source.

Every fault becomes an `Attempt` with outcome "failed", its kind and a message, recorded in the
store's state and logged; nothing before `Store.install` touches the running bundle.

`_judge` holds the rules of what may be installed, after TUF's defences against rollback,
freeze and mix-and-match attacks (docs/operations.md, "What a kiosk installs"): never a version
at or below the newest installed here (`not-newer`; a rollback does not lower it, so a hold lasts
until a newer version), only the exhibit the kiosk is pinned to (`wrong-bundle`), never a
manifest past its expiry (`expired`, also after a 304); a technician on the kiosk may allow a
downgrade or switch exhibit. The store's lock is held only for the swap: the download happens
before, in a folder of its own, and the rules are checked again under the lock.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kiosk.content import BundleInvalid, NotABundle, load_bundle
from kiosk.content.problems import ProblemList
from kiosk.content.yaml_source import read_yaml
from kiosk.updates.errors import StoreBusy, UpdateError
from kiosk.updates.manifest import expiry_text
from kiosk.updates.offer import Offer, Quiet, disk_full_error
from kiosk.updates.state import Attempt, StoreState
from kiosk.updates.store import Store
from kiosk.updates.versions import Version, parse_version

log = logging.getLogger("kiosk.updates")
MAX_PROBLEMS_SHOWN = 5
DEFAULT_REQUEST_SECONDS = 60.0
DEFAULT_DOWNLOAD_SECONDS = 1800.0
LOCK_WAIT_SECONDS = 10.0  # the lock is held for a swap only: a short wait, never a download

Change = Callable[[StoreState], None]


class Source(Protocol):
    """Where bundles come from: a web server (http_source) or a folder (inbox)."""

    label: str

    def check(self, validators: dict[str, dict[str, str]]) -> Offer | Quiet: ...


def make_source(
    where: str,
    public_key: Path | None,
    settle_seconds: float = 30.0,
    timeout: float = 30.0,
    request_seconds: float = DEFAULT_REQUEST_SECONDS,
    download_seconds: float = DEFAULT_DOWNLOAD_SECONDS,
) -> Source:
    """An http(s):// URL is a web server; anything else is a folder."""
    from kiosk.updates.http_source import HttpSource
    from kiosk.updates.inbox import FolderSource

    if where.startswith(("http://", "https://")):
        return HttpSource(
            where,
            public_key,
            timeout=timeout,
            request_seconds=request_seconds,
            download_seconds=download_seconds,
        )
    return FolderSource(Path(where).expanduser(), public_key, settle_seconds)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Identity:
    """The exhibit a store is pinned to and the version at or below which nothing is taken."""

    bundle: str | None
    version: Version | None


_folder_identities: dict[Path, tuple[str | None, str | None]] = {}


def _folder_identity(folder: Path) -> tuple[str | None, str | None]:
    """The id and version in a store folder's bundle.yaml (folders in versions/ never change)."""
    if folder not in _folder_identities:
        doc = read_yaml(folder / "bundle.yaml", "bundle.yaml", ProblemList())
        data = doc.data if doc is not None else None
        found: tuple[str | None, str | None] = (None, None)
        if isinstance(data, dict):
            ident, version = data.get("id"), data.get("version")
            found = (
                ident if isinstance(ident, str) else None,
                version if isinstance(version, str) else None,
            )
        _folder_identities[folder] = found
    return _folder_identities[folder]


def _version_or_none(text: str | None) -> Version | None:
    try:
        return Version.parse(text) if text is not None else None
    except ValueError:  # written by an older kiosk: no baseline rather than no updates
        return None


def store_identity(store: Store, state: StoreState) -> Identity:
    """The pinned exhibit and trusted version: state.json's record, and never below the current
    bundle's own (which covers a crash between an install and the state's update, and stores
    from before the record existed)."""
    current = store.current_path()
    bundle, version = _folder_identity(current) if current is not None else (None, None)
    here = _version_or_none(version)
    if state.trusted_bundle is not None and bundle in (None, state.trusted_bundle):
        trusted = _version_or_none(state.trusted_version)
        if trusted is not None and (here is None or trusted > here):
            here = trusted
        return Identity(state.trusted_bundle, here)
    return Identity(bundle, here)


def _trust(state: StoreState, bundle: str, version: str) -> None:
    state.trusted_bundle, state.trusted_version = bundle, version


@dataclass
class _Result:
    attempt: Attempt
    change: Change | None = None  # applied to the state when the attempt is recorded
    recorded: bool = False  # already recorded under the lock that installed it


class Updater:
    """Polls `source` and installs what it offers into `store`.

    `bundle_id` pins the exhibit (the config's `update_bundle_id`); `switch_bundle` is a
    technician's explicit change of exhibit; `allow_downgrade` a technician's explicit
    permission to install a version that is not newer. `clock` gives the time manifests'
    expiry dates are checked against.
    """

    def __init__(
        self,
        store: Store,
        source: Source,
        *,
        bundle_id: str | None = None,
        switch_bundle: str | None = None,
        allow_downgrade: bool = False,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self.store = store
        self.source = source
        self.bundle_id = bundle_id
        self.switch_bundle = switch_bundle
        self.allow_downgrade = allow_downgrade
        self.clock = clock

    def poll_once(self) -> Attempt:
        label = self.source.label
        try:
            result = self._poll()
        except StoreBusy as exc:
            result = _Result(Attempt("busy", label, exc.message))
        except UpdateError as exc:
            outcome = "waiting" if exc.kind == "changed" else "failed"
            result = _Result(Attempt(outcome, label, exc.message, kind=exc.kind))
        except OSError as exc:
            error = disk_full_error(exc)
            kind, message = (
                (error.kind, error.message)
                if error
                else ("io-error", f"{type(exc).__name__}: {exc}")
            )
            result = _Result(Attempt("failed", label, message, kind=kind))
        if not result.recorded:
            self._record(result)
        _log(result.attempt)
        return result.attempt

    def _record(self, result: _Result) -> None:
        """Save the attempt in state.json, under the lock for a moment only."""
        try:
            with self.store.locked(LOCK_WAIT_SECONDS):
                state = self.store.state()
                if result.change is not None:
                    result.change(state)
                state.record(result.attempt)
                self.store.save_state(state)
        except StoreBusy:
            log.debug("update: the store is busy; this attempt is not recorded")
        except (UpdateError, OSError) as exc:
            log.warning("update: the attempt cannot be recorded in the store: %s", exc)

    def _poll(self) -> _Result:
        state = self.store.state()  # replaced atomically: read without the lock
        result = self.source.check(state.http_validators)  # network I/O: no lock held
        if isinstance(result, Quiet):
            if result.outcome == "up-to-date" and _expired(state.manifest_expires, self.clock()):
                return _Result(
                    Attempt(
                        "failed",
                        self.source.label,
                        f"the server says the manifest has not changed, but it expired on "
                        f"{state.manifest_expires}; this kiosk refuses stale manifests: the "
                        "publisher must publish (sign) it again",
                        kind="expired",
                    ),
                    _forget_validators,  # the next poll reads the whole manifest again
                )
            return _Result(Attempt(result.outcome, self.source.label, result.message))
        decided = self._judge(result, state)
        if decided is not None:
            return decided
        with self.store.download_area() as area:
            root = result.fetch(area)  # network I/O: no lock held
            self._validate(root, result)
            with self.store.locked(LOCK_WAIT_SECONDS):
                state = self.store.state()
                decided = self._judge(result, state)  # again: a rollback may have come between
                if decided is None:
                    self.store.install(root, result.name)
                    _trust(state, result.bundle, result.version)
                    state.held_back = None  # only ever a newer version, or a technician's choice
                    _remember(state, result)
                    decided = _Result(
                        Attempt(
                            "installed",
                            self.source.label,
                            f"{result.bundle} {result.name} is now current",
                            result.version,
                        )
                    )
                elif decided.change is not None:
                    decided.change(state)
                state.record(decided.attempt)
                self.store.save_state(state)
                decided.recorded = True
        return decided

    def _judge(self, offer: Offer, state: StoreState) -> _Result | None:
        """None: install `offer`; a result: nothing to install; UpdateError: refused."""
        label = self.source.label
        what = f"{offer.bundle} {offer.version}"
        if offer.expires is not None and offer.expires <= self.clock():
            raise UpdateError(
                "expired",
                f"the manifest of {what} expired on {offer.expires:%Y-%m-%d %H:%M} UTC; this "
                "kiosk refuses stale manifests: the publisher must publish (sign) it again "
                "(docs/operations.md, 'Expiry and re-signing')",
            )
        version = parse_version(offer.version, f"the offered bundle {offer.bundle}")
        here = store_identity(self.store, state)
        expected = self.switch_bundle or self.bundle_id or here.bundle
        if expected is not None and offer.bundle != expected:
            raise UpdateError(
                "wrong-bundle",
                f"the source offers the exhibit {offer.bundle!r}, but this kiosk is pinned to "
                f"{expected!r}; changing the exhibit is done on the kiosk: "
                f"`kiosk update --once --switch-bundle {offer.bundle}` or update_bundle_id",
            )
        if offer.name == self.store.current:

            def confirm(state: StoreState) -> None:
                _remember(state, offer)
                if state.trusted_bundle is None or here.version is None or version > here.version:
                    _trust(state, offer.bundle, offer.version)

            attempt = Attempt("up-to-date", label, f"{offer.name} is current", offer.version)
            return _Result(attempt, confirm)
        if self.allow_downgrade:
            return None
        if offer.name == state.held_back:
            return _Result(
                Attempt(
                    "held-back",
                    label,
                    f"{offer.name} was rolled back from; only a version newer than "
                    f"{offer.version} is installed",
                    offer.version,
                )
            )
        switching = here.bundle is not None and offer.bundle != here.bundle
        if not switching and here.version is not None and version <= here.version:
            if version == here.version:
                how = "the same version as the newest installed on this kiosk, with other content"
            else:
                how = f"older than {here.version}, the newest version installed on this kiosk"
            held = " (a rollback does not lower it)" if state.held_back else ""
            raise UpdateError(
                "not-newer",
                f"the source offers {what}, {how}{held}; only a newer version is installed by "
                "itself (a technician can install it on the kiosk: "
                "`kiosk update --once --allow-downgrade`)",
            )
        return None

    @staticmethod
    def _validate(root: Path, offer: Offer) -> None:
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
        if bundle.manifest.id != offer.bundle:
            raise UpdateError(
                "mismatch",
                f"the manifest says bundle {offer.bundle}, the bundle says {bundle.manifest.id}",
            )


def _remember(state: StoreState, offer: Offer) -> None:
    if offer.validators is not None:
        url, headers = offer.validators
        state.http_validators = {url: headers} if headers else {}
        state.manifest_expires = expiry_text(offer.expires) if offer.expires else None


def _forget_validators(state: StoreState) -> None:
    state.http_validators = {}


def _expired(expires: str | None, now: dt.datetime) -> bool:
    if expires is None:
        return False
    try:
        moment = dt.datetime.strptime(expires, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return True  # state.json damaged: read the whole manifest again
    return moment <= now


def rollback(store: Store, label: str = "rollback command") -> Attempt:
    """Make the previous bundle current and hold back the one rolled back from."""
    with store.locked(LOCK_WAIT_SECONDS):
        state = store.state()
        left = store.current
        if left is None or store.previous is None:
            raise UpdateError("no-previous", "there is no previous bundle to roll back to")
        # The trusted version stays (at least the one left): the hold lasts until a newer one.
        here = store_identity(store, state)
        if here.bundle is not None and here.version is not None:
            _trust(state, here.bundle, str(here.version))
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
