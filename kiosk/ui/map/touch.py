"""What fingers on the map mean: contacts in, intents out (tap, pan, pinch, flick, resting hand).

No Qt: the map view turns each touch event into `Contact`s (positions and contact sizes in
viewport px) and acts on the intents `TouchInterpreter` returns, in order. The mouse goes through
the same interpreter as a single finger. Times are seconds from the view's clock.

A touch sequence runs from the first finger down to the last finger up:
- a first finger shows press feedback at once (`Press`); any sign of a second finger, a pan or a
  resting hand takes it away again (`Unpress`);
- a single finger that moves more than the tap slop pans (`Pan`), and lifted while moving fast
  enough lets the map glide on (`Flick`);
- two fingers pinch about their midpoint (`Pinch`); the one left after the other lifts pans on;
- a finger lifted within the slop and `REST_S` of landing is a `Tap`;
- a resting hand (the rules are in `touch_rules`) does nothing at all until every contact lifts;
- a touch that catches a map gliding faster than `CATCH_PX_S` only stops it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum

from kiosk.ui.map.motion import VelocityTracker
from kiosk.ui.map.touch_rules import REST_S, looks_like_resting_hand, tap_slop_px

FLICK_MIN_PX_S = 60.0  # a release slower than this is a put-down, not a flick
CATCH_PX_S = 150.0  # a touch that stops a map gliding faster than this is a catch, not a tap

Point = tuple[float, float]


class Phase(Enum):
    """Where a touch event stands in its sequence (Qt's TouchBegin, -Update, -End, -Cancel)."""

    BEGIN = "begin"
    UPDATE = "update"
    END = "end"
    CANCEL = "cancel"


@dataclass(frozen=True)
class Contact:
    """One finger in a touch event: its id, where it is, how wide, and whether it is lifting."""

    id: int
    x: float
    y: float
    diameter: float = 0.0  # the contact's larger width in px (0 where the screen says nothing)
    lifted: bool = False


@dataclass(frozen=True)
class Began:
    """A touch sequence started: a visitor is here, and any motion of the map stops."""


@dataclass(frozen=True)
class Press:
    """A single finger came down here: show which marker it is on."""

    x: float
    y: float


@dataclass(frozen=True)
class Unpress:
    """No marker is pressed (any longer)."""


@dataclass(frozen=True)
class Pan:
    """Move the map with the finger by (dx, dy) px."""

    dx: float
    dy: float


@dataclass(frozen=True)
class Pinch:
    """Zoom by `spread / start_spread` about the map point first under `start`, putting that
    point under `mid`. `fresh` marks a pinch's first step: its map point and starting scale are
    taken now, so rounding never accumulates into drift."""

    start: Point
    mid: Point
    spread: float
    start_spread: float
    fresh: bool


@dataclass(frozen=True)
class Tap:
    """A tap at (x, y): it acts at once."""

    x: float
    y: float


@dataclass(frozen=True)
class Flick:
    """The finger lifted while moving at (vx, vy) px/s at time `t`: the map glides on."""

    vx: float
    vy: float
    t: float


Intent = Began | Press | Unpress | Pan | Pinch | Tap | Flick


@dataclass
class _Sequence:
    """One touch sequence on the map, from the first finger down to the last finger up."""

    t0: float
    press: dict[int, Point] = field(default_factory=dict)
    last: dict[int, Point] = field(default_factory=dict)
    panning: bool = False
    multi: bool = False
    resting: bool = False  # a resting hand: nothing acts until every contact lifts
    caught: bool = False  # the touch caught a gliding map: stopping it is all it does
    after_pinch: bool = False  # one finger of a pinch lifted; the other pans on
    # A pinch's starting midpoint and finger spread (at least 1 px).
    pinch: tuple[Point, float] | None = None


class TouchInterpreter:
    """Turns one surface's touch events (and mouse presses) into intents.

    `px_per_mm` gives the screen's real density, asked when a rule in millimetres is applied.
    """

    def __init__(self, px_per_mm: Callable[[], float]) -> None:
        self._px_per_mm = px_per_mm
        self._sequence: _Sequence | None = None
        self._velocity = VelocityTracker()

    @property
    def active(self) -> bool:
        """True while a finger (or the mouse button) is down."""
        return self._sequence is not None

    def touch(
        self, phase: Phase, contacts: Iterable[Contact], now: float, glide_speed: float = 0.0
    ) -> list[Intent]:
        """One touch event; `glide_speed` is how fast the map glides now (px/s, 0 if not)."""
        contacts = list(contacts)
        out: list[Intent] = []
        points = {c.id: (c.x, c.y) for c in contacts}
        if phase is Phase.BEGIN or self._sequence is None:
            self._sequence = self._begin(points, now, glide_speed, out)
        sequence = self._sequence
        if phase is Phase.CANCEL:
            out.append(Unpress())
            self._sequence = None
            return out
        new_contact = False
        for point_id, pos in points.items():
            if point_id not in sequence.press:
                sequence.press[point_id] = pos
                new_contact = True
        held = [c for c in contacts if not c.lifted]
        if not sequence.resting and looks_like_resting_hand(
            [(c.x, c.y) for c in held] or list(points.values()),
            [c.diameter for c in held],
            self._px_per_mm(),
            new_contact or phase is Phase.BEGIN,
        ):
            sequence.resting = True
            out.append(Unpress())
        sequence.multi = sequence.multi or len(sequence.press) > 1
        if sequence.multi:
            out.append(Unpress())
        if phase is Phase.UPDATE and not sequence.resting:
            # A contact lifting in this update no longer steers the pinch.
            self._move(sequence, {c.id: (c.x, c.y) for c in held}, now, out)
            if sequence.pinch is not None and len(held) < 2:
                sequence.pinch = None  # a finger lifted; one landing again starts a fresh pinch
                sequence.after_pinch = True
        elif phase is Phase.END:
            self._end(sequence, points, now, out)
            self._sequence = None
            return out
        sequence.last.update(points)
        return out

    def press(self, x: float, y: float, now: float, glide_speed: float = 0.0) -> list[Intent]:
        """The mouse button went down: a one-finger sequence starts."""
        out: list[Intent] = []
        self._sequence = self._begin({0: (x, y)}, now, glide_speed, out)
        return out

    def drag(self, x: float, y: float, now: float) -> list[Intent]:
        """The mouse moved with its button down."""
        out: list[Intent] = []
        sequence = self._sequence
        if sequence is not None:
            self._move(sequence, {0: (x, y)}, now, out)
            sequence.last[0] = (x, y)
        return out

    def release(self, x: float, y: float, now: float) -> list[Intent]:
        """The mouse button came up."""
        out: list[Intent] = []
        sequence = self._sequence
        if sequence is not None:
            self._end(sequence, {0: (x, y)}, now, out)
            self._sequence = None
        return out

    def _begin(
        self, points: dict[int, Point], now: float, glide_speed: float, out: list[Intent]
    ) -> _Sequence:
        """A first finger (or the mouse) came down: stop any motion, show press feedback."""
        out.append(Began())
        sequence = _Sequence(now, dict(points), dict(points))
        sequence.caught = glide_speed > CATCH_PX_S
        self._velocity.reset()
        if len(points) == 1 and not sequence.caught:
            out.append(Press(*next(iter(points.values()))))
        return sequence

    def _move(
        self, sequence: _Sequence, points: dict[int, Point], now: float, out: list[Intent]
    ) -> None:
        ids = [i for i in points if i in sequence.last]
        if len(points) >= 2 and len(ids) >= 2:
            out.append(self._pinch(sequence, points[ids[0]], points[ids[1]], ids))
            sequence.panning = True
        elif len(points) == 1 and (not sequence.multi or sequence.after_pinch):
            # One finger, or the one left on the glass after a pinch: it goes on panning.
            ((point_id, pos),) = points.items()
            start = sequence.press.get(point_id, pos)
            if not sequence.panning and math.dist(pos, start) > tap_slop_px(self._px_per_mm()):
                sequence.panning = True
                sequence.last[point_id] = start
                out.append(Unpress())
            if sequence.panning:
                last = sequence.last.get(point_id, pos)
                out.append(Pan(pos[0] - last[0], pos[1] - last[1]))
                self._velocity.add(now, pos[0], pos[1])

    @staticmethod
    def _pinch(sequence: _Sequence, a: Point, b: Point, ids: list[int]) -> Pinch:
        mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        spread = math.dist(a, b)
        fresh = sequence.pinch is None
        if sequence.pinch is None:
            last_a, last_b = sequence.last[ids[0]], sequence.last[ids[1]]
            start_mid = ((last_a[0] + last_b[0]) / 2, (last_a[1] + last_b[1]) / 2)
            sequence.pinch = (start_mid, max(math.dist(last_a, last_b), 1.0))
        start_mid, start_spread = sequence.pinch
        return Pinch(start_mid, mid, max(spread, 1.0), start_spread, fresh)

    def _end(
        self, sequence: _Sequence, points: dict[int, Point], now: float, out: list[Intent]
    ) -> None:
        """The last finger lifted: a tap acts now, a flick glides on."""
        out.append(Unpress())
        if sequence.resting or sequence.multi or sequence.caught:
            return
        if sequence.panning:
            if points:
                x, y = next(iter(points.values()))
                self._velocity.add(now, x, y)
            vx, vy = self._velocity.velocity(now)
            if math.hypot(vx, vy) > FLICK_MIN_PX_S:
                out.append(Flick(vx, vy, now))
            return
        if now - sequence.t0 <= REST_S and sequence.press:
            out.append(Tap(*next(iter(sequence.press.values()))))
