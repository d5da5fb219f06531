"""The staff PIN: stored only as a salted scrypt hash, and guessing it is slowed down.

The delay between tries grows with each wrong PIN and is kept in a file (`PinGate`), so a
restart does not reset it; it never exceeds a minute, so staff can always get in.

A hash looks like `scrypt$65536$8$1$<salt, base64>$<hash, base64>`: its cost parameters travel
with it, so they were raised (from N=16384) without breaking PINs already set, and can be again.
scrypt is memory-hard (64 MB a try here). N=65536 costs about 250 ms on the kiosk's reference
machine (2 cores; docs/decisions.md): unnoticeable for staff, and with at least 6 digits
(a million PINs) a stolen config file costs days of a whole machine, not the two minutes a
4-digit PIN at N=16384 took.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from kiosk.runtime.files import write_private

log = logging.getLogger("kiosk.staff")

SCHEME = "scrypt"
N, R, P = 2**16, 8, 1
MAX_N = 2**20  # a stored hash asking for more (1 GB a try) is damaged or hostile
SALT_BYTES = 16
HASH_BYTES = 32
MIN_DIGITS, MAX_DIGITS = 6, 12


class PinError(ValueError):
    """A PIN that may not be set (too short, not digits)."""


def check_pin_format(pin: str) -> None:
    if not pin.isascii() or not pin.isdigit():
        raise PinError("a PIN is made of digits only")
    if not MIN_DIGITS <= len(pin) <= MAX_DIGITS:
        raise PinError(f"a PIN has {MIN_DIGITS} to {MAX_DIGITS} digits")


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r * p, dklen=HASH_BYTES
    )


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """The string to store for `pin`: scheme, cost, salt and hash."""
    check_pin_format(pin)
    salt = salt if salt is not None else os.urandom(SALT_BYTES)
    digest = _scrypt(pin, salt, N, R, P)
    b64 = base64.b64encode
    return f"{SCHEME}${N}${R}${P}${b64(salt).decode()}${b64(digest).decode()}"


@dataclass(frozen=True)
class PinHash:
    """A stored hash taken apart: scrypt's cost parameters, the salt and the hash."""

    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes


def parse_pin_hash(stored: str) -> PinHash:
    """The parts of a stored hash; PinError says, in the kiosk's words, what is wrong with it."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        raise PinError(
            f"a PIN hash has six parts, {SCHEME}$N$r$p$salt$hash; set the PIN with kiosk set-pin"
        )
    _, n_text, r_text, p_text, salt_text, digest_text = parts
    try:
        n, r, p = int(n_text), int(r_text), int(p_text)
    except ValueError:
        raise PinError("the PIN hash's cost parameters N, r and p are not numbers") from None
    if n < 2 or n & (n - 1) or n > MAX_N or not 1 <= r <= 64 or not 1 <= p <= 16:
        raise PinError(f"the PIN hash's cost parameters (N={n}, r={r}, p={p}) are out of range")
    try:
        salt = base64.b64decode(salt_text, validate=True)
        digest = base64.b64decode(digest_text, validate=True)
    except ValueError:
        raise PinError("the PIN hash's salt or hash is not valid base64") from None
    if not salt or len(digest) != HASH_BYTES:
        raise PinError(f"the PIN hash needs a salt and a {HASH_BYTES}-byte hash")
    return PinHash(n, r, p, salt, digest)


def verify_pin(pin: str, stored: str) -> bool:
    """True if `pin` matches the stored hash; False for a wrong PIN or a damaged hash.

    The cost parameters are the hash's own, so hashes made with older (lower) costs still verify.
    """
    try:
        parsed = parse_pin_hash(stored)
        actual = _scrypt(pin, parsed.salt, parsed.n, parsed.r, parsed.p)
    except (ValueError, OverflowError, MemoryError):
        return False
    return hmac.compare_digest(actual, parsed.digest)


class Outcome(Enum):
    """How one try at the PIN pad ended."""

    ACCEPTED = "accepted"
    WRONG = "wrong"
    WAIT = "wait"  # tried during the delay: not checked, so neither right nor wrong
    NO_PIN = "no-pin"  # no PIN is set: nothing opens


@dataclass(frozen=True)
class Verdict:
    """What one try came to; `wait_seconds` is the delay before the next try is checked."""

    outcome: Outcome
    wait_seconds: float = 0.0


def backoff_seconds(failures: int) -> float:
    """The delay after `failures` wrong PINs in a row: 0, 0, 5, 10, 20, 40, then 60 s each.

    The first tries are free (fat fingers); then each miss doubles the wait up to a minute. A
    visitor can never make staff wait more than a minute: while the delay runs, tries are not
    checked and do not lengthen it.
    """
    if failures < PinGate.FREE_TRIES:
        return 0.0
    doublings = min(failures - PinGate.FREE_TRIES, 16)
    return min(PinGate.MAX_DELAY_SECONDS, PinGate.FIRST_DELAY_SECONDS * 2**doublings)


class PinGate:
    """Checks PINs and slows down guessing with a delay that grows with each wrong PIN.

    After `FREE_TRIES` misses in a row, the next try is checked only after 5 s, then 10, 20, 40,
    and at most `MAX_DELAY_SECONDS`; the right PIN (typed after the delay) always opens and
    resets the count. A try during the delay is answered `WAIT` and not checked at all.

    The count and the delay are kept in `state_file` (written atomically after every checked
    try), so restarting the kiosk, or pulling its plug, does not give a guesser fresh tries.
    `clock` gives wall-clock seconds (the delay must survive a restart); tests pass their own.
    A clock set back cannot stretch the delay beyond `MAX_DELAY_SECONDS`.
    """

    FREE_TRIES = 3
    FIRST_DELAY_SECONDS = 5.0
    MAX_DELAY_SECONDS = 60.0

    def __init__(
        self,
        stored: str | None,
        clock: Callable[[], float] = time.time,
        state_file: Path | None = None,
    ) -> None:
        self.stored = stored
        self._clock = clock
        self.state_file = state_file
        self.failures = 0
        self._not_before = 0.0
        self._load()

    @property
    def has_pin(self) -> bool:
        return bool(self.stored)

    def seconds_to_wait(self) -> float:
        """How long until the next try is checked (0 when it is)."""
        wait = self._not_before - self._clock()
        return min(max(0.0, wait), self.MAX_DELAY_SECONDS)

    seconds_locked = seconds_to_wait  # the name the PIN pad knew it by

    def check(self, pin: str) -> Verdict:
        """Check `pin`, unless no PIN is set or the delay still runs."""
        if not self.stored:
            return Verdict(Outcome.NO_PIN)
        wait = self.seconds_to_wait()
        if wait > 0:
            return Verdict(Outcome.WAIT, wait)
        if verify_pin(pin, self.stored):
            self.failures, self._not_before = 0, 0.0
            self._save()
            return Verdict(Outcome.ACCEPTED)
        self.failures += 1
        delay = backoff_seconds(self.failures)
        self._not_before = self._clock() + delay
        self._save()
        return Verdict(Outcome.WRONG, delay)

    def attempt(self, pin: str) -> bool:
        """True for the right PIN checked now (see `check` for why a try failed)."""
        return self.check(pin).outcome is Outcome.ACCEPTED

    def _load(self) -> None:
        if self.state_file is None:
            return
        try:
            with self.state_file.open("rb") as stream:
                data = json.loads(stream.read(4096))
            failures, not_before = int(data["failures"]), float(data["not_before"])
        except FileNotFoundError:
            return
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            # Damaged: start as after the free tries, so damaging it gains a guesser nothing.
            log.warning(
                "the PIN delay file %s is damaged; the delay starts afresh", self.state_file
            )
            failures, not_before = self.FREE_TRIES, self._clock() + self.FIRST_DELAY_SECONDS
        self.failures = max(0, failures)
        self._not_before = not_before if math.isfinite(not_before) else 0.0

    def _save(self) -> None:
        if self.state_file is None:
            return
        data = json.dumps({"failures": self.failures, "not_before": round(self._not_before, 3)})
        try:
            self.state_file.parent.mkdir(parents=True, exist_ok=True)
            write_private(self.state_file, data.encode("ascii") + b"\n")
        except OSError as exc:
            # The delay still holds in memory; only a restart would forget it.
            log.warning("cannot keep the PIN delay in %s: %s", self.state_file, exc)
