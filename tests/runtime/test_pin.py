"""The staff PIN: a salted scrypt hash, never the PIN itself, and wrong PINs slowed down."""

from __future__ import annotations

import pytest

from kiosk.runtime.pin import PinError, PinGate, hash_pin, verify_pin


def test_the_hash_is_salted_and_verifies() -> None:
    first, second = hash_pin("4821"), hash_pin("4821")
    assert first != second  # a fresh salt each time
    assert "4821" not in first
    assert first.startswith("scrypt$16384$8$1$")
    assert verify_pin("4821", first) and verify_pin("4821", second)
    assert not verify_pin("4822", first)
    assert not verify_pin("", first)


@pytest.mark.parametrize("stored", ["", "scrypt$", "md5$1$2$3$4$5", "scrypt$x$8$1$AA==$AA==", "z"])
def test_a_damaged_hash_refuses_every_pin(stored: str) -> None:
    assert not verify_pin("4821", stored)


@pytest.mark.parametrize("pin", ["123", "12a4", "", "1234567890123", "١٢٣٤"])
def test_only_4_to_12_plain_digits_can_be_set(pin: str) -> None:
    with pytest.raises(PinError):
        hash_pin(pin)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_wrong_pins_are_rate_limited_and_the_lock_grows() -> None:
    clock = Clock()
    gate = PinGate(hash_pin("4821"), clock)
    for _ in range(PinGate.FREE_TRIES):
        assert gate.seconds_locked() == 0
        assert not gate.attempt("0000")
    assert gate.seconds_locked() == PinGate.FIRST_LOCK_SECONDS
    # While locked, even the right PIN is not accepted (and not even checked).
    assert not gate.attempt("4821")
    clock.now += PinGate.FIRST_LOCK_SECONDS - 1
    assert not gate.attempt("4821")
    clock.now += 1
    assert not gate.attempt("1111")  # the fourth miss doubles the lock
    assert gate.seconds_locked() == 2 * PinGate.FIRST_LOCK_SECONDS
    clock.now += 2 * PinGate.FIRST_LOCK_SECONDS
    assert gate.attempt("4821")
    # Success forgives: three more free tries.
    assert not gate.attempt("0000") and gate.seconds_locked() == 0


def test_the_lock_is_capped() -> None:
    clock = Clock()
    gate = PinGate(hash_pin("4821"), clock)
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
