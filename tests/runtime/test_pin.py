"""The staff PIN: a salted scrypt hash, never the PIN itself, and wrong PINs slowed down."""

from __future__ import annotations

import base64
import hashlib
import time

import pytest

from kiosk.runtime.pin import PinError, PinGate, hash_pin, parse_pin_hash, verify_pin

PIN = "482193"
PIN_HASH = hash_pin(PIN)  # scrypt is deliberately slow (about 250 ms): hash once


def test_the_hash_is_salted_and_verifies() -> None:
    second = hash_pin(PIN)
    assert second != PIN_HASH  # a fresh salt each time
    assert PIN not in PIN_HASH
    assert verify_pin(PIN, PIN_HASH) and verify_pin(PIN, second)
    assert not verify_pin("482194", PIN_HASH)
    assert not verify_pin("", PIN_HASH)


def test_the_cost_is_raised_and_the_parameters_travel_with_the_hash() -> None:
    """Finding 5 of issue 17: a 4-digit PIN's hash at N=16384 fell in 129 s on 2 cores."""
    assert PIN_HASH.startswith("scrypt$65536$8$1$")
    parsed = parse_pin_hash(PIN_HASH)
    assert (parsed.n, parsed.r, parsed.p, len(parsed.salt)) == (65536, 8, 1, 16)
    # A hash set before the cost was raised still verifies with its own parameters.
    salt = b"0123456789abcdef"
    old = hashlib.scrypt(b"4821", salt=salt, n=16384, r=8, p=1, dklen=32)
    b64 = base64.b64encode
    stored = f"scrypt$16384$8$1${b64(salt).decode()}${b64(old).decode()}"
    assert verify_pin("4821", stored) and not verify_pin("4822", stored)


def test_hashing_takes_a_noticeable_but_short_time() -> None:
    started = time.perf_counter()
    verify_pin(PIN, PIN_HASH)
    elapsed = time.perf_counter() - started
    # About 250 ms alone on the 2-core reference machine; generous bounds for a loaded one.
    assert 0.08 < elapsed < 5.0


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "scrypt$",
        "scrypt$garbage",
        "md5$1$2$3$4$5",
        "scrypt$x$8$1$AA==$AA==",
        "scrypt$16384$8$1$AA==$AA==",  # a 1-byte hash
        "scrypt$1073741824$8$1$AAAA$" + "A" * 43 + "=",  # 1 TB a try: refused, not attempted
        "scrypt$16000$8$1$AAAA$" + "A" * 43 + "=",  # N not a power of two
        "scrypt$16384$8$1$not base64!$" + "A" * 43 + "=",
        "z",
    ],
)
def test_a_damaged_hash_refuses_every_pin_and_says_why(stored: str) -> None:
    assert not verify_pin(PIN, stored)
    with pytest.raises(PinError):
        parse_pin_hash(stored)


@pytest.mark.parametrize("pin", ["123", "4821", "48219", "12a456", "", "1234567890123", "١٢٣٤٥٦"])
def test_only_6_to_12_plain_digits_can_be_set(pin: str) -> None:
    with pytest.raises(PinError):
        hash_pin(pin)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_wrong_pins_are_rate_limited_and_the_lock_grows() -> None:
    clock = Clock()
    gate = PinGate(PIN_HASH, clock)
    for _ in range(PinGate.FREE_TRIES):
        assert gate.seconds_locked() == 0
        assert not gate.attempt("0000")
    assert gate.seconds_locked() == PinGate.FIRST_LOCK_SECONDS
    # While locked, even the right PIN is not accepted (and not even checked).
    assert not gate.attempt(PIN)
    clock.now += PinGate.FIRST_LOCK_SECONDS - 1
    assert not gate.attempt(PIN)
    clock.now += 1
    assert not gate.attempt("1111")  # the fourth miss doubles the lock
    assert gate.seconds_locked() == 2 * PinGate.FIRST_LOCK_SECONDS
    clock.now += 2 * PinGate.FIRST_LOCK_SECONDS
    assert gate.attempt(PIN)
    # Success forgives: three more free tries.
    assert not gate.attempt("0000") and gate.seconds_locked() == 0


def test_the_lock_is_capped() -> None:
    clock = Clock()
    gate = PinGate(PIN_HASH, clock)
    for _ in range(20):
        gate.attempt("0000")
        clock.now += gate.seconds_locked()
    gate.attempt("0000")
    assert gate.seconds_locked() == PinGate.MAX_LOCK_SECONDS


def test_without_a_pin_nothing_opens() -> None:
    gate = PinGate(None)
    assert not gate.has_pin
    assert not gate.attempt("")
    assert not gate.attempt("0000")
