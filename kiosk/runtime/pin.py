"""The staff PIN: stored only as a salted scrypt hash, and guessing it is slowed down.

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
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

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


class PinGate:
    """Checks PINs and rate-limits wrong ones: after a few misses, each try waits longer.

    `clock` returns seconds (monotonic); tests pass their own.
    """

    FREE_TRIES = 3
    FIRST_LOCK_SECONDS = 30.0
    MAX_LOCK_SECONDS = 600.0

    def __init__(self, stored: str | None, clock: Callable[[], float] = time.monotonic) -> None:
        self.stored = stored
        self._clock = clock
        self._misses = 0
        self._locked_until = 0.0

    @property
    def has_pin(self) -> bool:
        return bool(self.stored)

    def seconds_locked(self) -> float:
        """How long until the next try is accepted (0 when it is)."""
        return max(0.0, self._locked_until - self._clock())

    def attempt(self, pin: str) -> bool:
        """True for the right PIN. While locked, every try fails without being checked."""
        if not self.stored or self.seconds_locked() > 0:
            return False
        if verify_pin(pin, self.stored):
            self._misses = 0
            return True
        self._misses += 1
        if self._misses >= self.FREE_TRIES:
            doublings = self._misses - self.FREE_TRIES
            lock = min(self.MAX_LOCK_SECONDS, self.FIRST_LOCK_SECONDS * 2**doublings)
            self._locked_until = self._clock() + lock
        return False
