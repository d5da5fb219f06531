"""The touch interpreter on its own: contacts in, intents out, no window and no Qt."""

from __future__ import annotations

import math

import pytest

from kiosk.ui.map.touch import (
    CATCH_PX_S,
    Began,
    Contact,
    Flick,
    Intent,
    Pan,
    Phase,
    Pinch,
    Press,
    Tap,
    TouchInterpreter,
    Unpress,
)
from kiosk.ui.map.touch_rules import PALM_MM, REST_S, TWO_HANDS_MM

PX_PER_MM = 4.0  # the tap slop is then 16 px


@pytest.fixture
def touch() -> TouchInterpreter:
    return TouchInterpreter(lambda: PX_PER_MM)


def kinds(intents: list[Intent]) -> list[type]:
    return [type(intent) for intent in intents]


def finger(x: float, y: float, *, id: int = 1, lifted: bool = False, size: float = 0.0) -> Contact:
    return Contact(id, x, y, size, lifted)


def test_a_tap_presses_at_once_and_taps_when_the_finger_lifts(touch: TouchInterpreter) -> None:
    assert touch.touch(Phase.BEGIN, [finger(100, 100)], 0.0) == [Began(), Press(100, 100)]
    assert touch.active
    # A wobble within the slop is still a tap, at the place the finger landed.
    assert touch.touch(Phase.UPDATE, [finger(108, 104)], 0.1) == []
    assert touch.touch(Phase.END, [finger(108, 104, lifted=True)], 0.2) == [
        Unpress(),
        Tap(100, 100),
    ]
    assert not touch.active


def test_a_finger_held_past_the_rest_time_does_not_tap(touch: TouchInterpreter) -> None:
    touch.touch(Phase.BEGIN, [finger(100, 100)], 0.0)
    assert touch.touch(Phase.END, [finger(100, 100, lifted=True)], REST_S + 0.01) == [Unpress()]


def test_a_drag_past_the_slop_pans_from_where_the_finger_landed(
    touch: TouchInterpreter,
) -> None:
    touch.touch(Phase.BEGIN, [finger(100, 100)], 0.0)
    intents = touch.touch(Phase.UPDATE, [finger(130, 100)], 0.05)
    assert intents == [Unpress(), Pan(30, 0)]  # the whole way, not only past the slop
    assert touch.touch(Phase.UPDATE, [finger(140, 90)], 0.1) == [Pan(10, -10)]
    # Lifted after stopping: a put-down, no glide and no tap.
    assert touch.touch(Phase.END, [finger(140, 90, lifted=True)], 0.5) == [Unpress()]


def test_a_flick_glides_on_at_the_fingers_speed(touch: TouchInterpreter) -> None:
    touch.touch(Phase.BEGIN, [finger(100, 100)], 0.0)
    for step in range(1, 6):
        touch.touch(Phase.UPDATE, [finger(100 + 40 * step, 100)], 0.02 * step)
    intents = touch.touch(Phase.END, [finger(340, 100, lifted=True)], 0.12)
    assert kinds(intents) == [Unpress, Flick]
    flick = intents[1]
    assert isinstance(flick, Flick)
    assert flick.vx == pytest.approx(2000, rel=0.01)
    assert flick.vy == 0
    assert flick.t == 0.12


def test_two_fingers_pinch_about_where_they_started(touch: TouchInterpreter) -> None:
    touch.touch(Phase.BEGIN, [finger(100, 100, id=1)], 0.0)
    landed = touch.touch(Phase.UPDATE, [finger(100, 100, id=1), finger(200, 100, id=2)], 0.05)
    assert landed == [Unpress()]  # a second finger: no marker stays pressed
    spread = touch.touch(Phase.UPDATE, [finger(80, 100, id=1), finger(220, 100, id=2)], 0.1)
    assert spread[-1] == Pinch((150, 100), (150, 100), 140, 100, fresh=True)
    more = touch.touch(Phase.UPDATE, [finger(60, 110, id=1), finger(240, 110, id=2)], 0.15)
    assert more[-1] == Pinch((150, 100), (150, 110), 180, 100, fresh=False)
    # A pinch never taps or glides when it ends.
    end = touch.touch(Phase.END, [finger(60, 110, id=1, lifted=True)], 0.2)
    assert end == [Unpress(), Unpress()]


def test_the_finger_left_after_a_pinch_pans_on(touch: TouchInterpreter) -> None:
    touch.touch(Phase.BEGIN, [finger(100, 100, id=1), finger(200, 100, id=2)], 0.0)
    touch.touch(Phase.UPDATE, [finger(90, 100, id=1), finger(210, 100, id=2)], 0.05)
    touch.touch(Phase.UPDATE, [finger(90, 100, id=1), finger(210, 100, id=2, lifted=True)], 0.1)
    intents = touch.touch(Phase.UPDATE, [finger(120, 130, id=1)], 0.15)
    assert intents[-1] == Pan(30, 30)
    # A second finger landing again starts a fresh pinch from where both are now.
    touch.touch(Phase.UPDATE, [finger(120, 130, id=1), finger(220, 130, id=3)], 0.2)
    intents = touch.touch(Phase.UPDATE, [finger(110, 130, id=1), finger(230, 130, id=3)], 0.25)
    pinch = intents[-1]
    assert isinstance(pinch, Pinch) and pinch.fresh
    assert pinch.start == (170, 130) and math.isclose(pinch.spread / pinch.start_spread, 1.2)


@pytest.mark.parametrize(
    "contacts",
    [
        [finger(100, 100, id=1), finger(150, 100, id=2), finger(200, 100, id=3)],
        [finger(100, 100, id=1, size=(PALM_MM + 5) * PX_PER_MM)],
        [finger(100, 100, id=1), finger(100 + (TWO_HANDS_MM + 10) * PX_PER_MM, 100, id=2)],
    ],
    ids=["three contacts", "a palm", "two hands"],
)
def test_a_resting_hand_does_nothing_until_every_contact_lifts(
    touch: TouchInterpreter, contacts: list[Contact]
) -> None:
    intents = touch.touch(Phase.BEGIN, contacts, 0.0)
    assert Unpress() in intents
    moved = [Contact(c.id, c.x + 100, c.y + 50, c.diameter) for c in contacts]
    assert touch.touch(Phase.UPDATE, moved, 0.1) in ([], [Unpress()])
    lifted = [Contact(c.id, c.x, c.y, c.diameter, True) for c in moved]
    assert not {Pan, Pinch, Tap, Flick} & set(kinds(touch.touch(Phase.END, lifted, 0.2)))
    # The next touch is a fresh sequence: a tap again.
    touch.touch(Phase.BEGIN, [finger(100, 100)], 1.0)
    assert Tap(100, 100) in touch.touch(Phase.END, [finger(100, 100, lifted=True)], 1.1)


def test_a_touch_that_catches_a_fast_glide_only_stops_it(touch: TouchInterpreter) -> None:
    assert touch.touch(Phase.BEGIN, [finger(100, 100)], 0.0, CATCH_PX_S + 1) == [Began()]
    assert touch.touch(Phase.END, [finger(100, 100, lifted=True)], 0.1) == [Unpress()]
    # A slow glide is no catch: that touch is a tap like any other.
    touch.touch(Phase.BEGIN, [finger(100, 100)], 1.0, CATCH_PX_S - 1)
    assert Tap(100, 100) in touch.touch(Phase.END, [finger(100, 100, lifted=True)], 1.1)


def test_a_cancelled_sequence_ends_without_acting(touch: TouchInterpreter) -> None:
    touch.touch(Phase.BEGIN, [finger(100, 100)], 0.0)
    assert touch.touch(Phase.CANCEL, [finger(100, 100)], 0.05) == [Unpress()]
    assert not touch.active


def test_an_update_without_a_begin_starts_a_sequence(touch: TouchInterpreter) -> None:
    assert touch.touch(Phase.UPDATE, [finger(100, 100)], 0.0)[:2] == [Began(), Press(100, 100)]


def test_the_mouse_is_one_finger(touch: TouchInterpreter) -> None:
    assert touch.press(10, 10, 0.0) == [Began(), Press(10, 10)]
    assert touch.release(12, 10, 0.1) == [Unpress(), Tap(10, 10)]
    touch.press(10, 10, 1.0)
    assert touch.drag(60, 10, 1.05) == [Unpress(), Pan(50, 0)]
    assert touch.drag(70, 10, 1.1) == [Pan(10, 0)]
    assert kinds(touch.release(80, 10, 1.12)) == [Unpress, Flick]
    # Without a press, moving and releasing the mouse mean nothing.
    assert touch.drag(90, 10, 2.0) == [] and touch.release(90, 10, 2.1) == []
