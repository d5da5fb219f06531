"""How the map moves on its own: a flight between two views, and a glide after a flick.

Pure arithmetic on time, no Qt, so both are tested without waiting: the map view asks where the
camera is at a given moment from an injectable clock. A flight follows van Wijk and Nuij's
"smooth and efficient zooming and panning" path: for a long way it zooms out, travels, and zooms
back in, so the visitor keeps their bearings. A glide keeps a flicked map moving and slows it
down exponentially, like a puck on ice.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

RHO = math.sqrt(2)  # how much a flight prefers zooming out over travelling (van Wijk's rho)
FLIGHT_MIN_S = 0.45
FLIGHT_MAX_S = 1.4
GLIDE_TAU_S = 0.33  # velocity falls to 1/e in this time; about iOS's "normal" deceleration
GLIDE_STOP_PX_S = 12.0  # slower than this is stopped
GLIDE_MAX_PX_S = 6000.0
VELOCITY_WINDOW_S = 0.1  # a flick's speed is measured over its last 100 ms
PAUSE_S = 0.08  # a finger that rested this long before lifting has no velocity left


@dataclass(frozen=True)
class Camera:
    """A view of the map: the scene point at the centre and the scale (screen px per unit)."""

    x: float
    y: float
    scale: float


def _ease(t: float) -> float:
    """Cubic ease in and out: a flight starts and lands gently."""
    return 4 * t * t * t if t < 0.5 else 1 - (-2 * t + 2) ** 3 / 2


class Flight:
    """A camera path from `start` to `end` for a viewport `width` px wide, started at `t0`.

    Its duration follows the path's length unless `duration` (seconds) is given.
    """

    def __init__(
        self, start: Camera, end: Camera, width: float, t0: float, duration: float | None = None
    ) -> None:
        self.start, self.end, self.t0 = start, end, t0
        # van Wijk works in "width of the view in scene units".
        w0, w1 = width / start.scale, width / end.scale
        dx, dy = end.x - start.x, end.y - start.y
        d = math.hypot(dx, dy)
        self._w0, self._w1, self._dx, self._dy, self._d = w0, w1, dx, dy, d
        if d < 1e-9 * max(w0, w1):
            self._straight = True
            self._r0 = 0.0
            length = abs(math.log(w1 / w0)) / RHO
        else:
            self._straight = False
            rho2, rho4 = RHO**2, RHO**4
            b0 = (w1 * w1 - w0 * w0 + rho4 * d * d) / (2 * w0 * rho2 * d)
            b1 = (w1 * w1 - w0 * w0 - rho4 * d * d) / (2 * w1 * rho2 * d)
            self._r0 = math.log(math.sqrt(b0 * b0 + 1) - b0)
            r1 = math.log(math.sqrt(b1 * b1 + 1) - b1)
            length = (r1 - self._r0) / RHO
        self._length = length
        # The path's length (in "screens travelled") sets the time, within bounds a visitor likes.
        natural = min(FLIGHT_MAX_S, max(FLIGHT_MIN_S, 0.45 * abs(length)))
        self.duration = natural if duration is None else max(0.0, duration)

    def done(self, now: float) -> bool:
        return now - self.t0 >= self.duration

    def at(self, now: float) -> Camera:
        if self.duration <= 0:
            return self.end
        t = min(1.0, max(0.0, (now - self.t0) / self.duration))
        if t >= 1.0:
            return self.end
        s = _ease(t) * self._length
        if self._straight:
            k = _ease(t)
            ratio = self.end.scale / self.start.scale
            return Camera(
                self.start.x + k * self._dx,
                self.start.y + k * self._dy,
                self.start.scale * ratio**k,
            )
        r0 = self._r0
        u = (
            self._w0
            / (RHO**2 * self._d)
            * (math.cosh(r0) * math.tanh(RHO * s + r0) - math.sinh(r0))
        )
        w = self._w0 * math.cosh(r0) / math.cosh(RHO * s + r0)
        return Camera(
            self.start.x + u * self._dx,
            self.start.y + u * self._dy,
            self.start.scale * self._w0 / w,
        )


class Glide:
    """The drift of a map flicked at (vx, vy) px/s at time `t0`, slowing down exponentially."""

    def __init__(self, vx: float, vy: float, t0: float) -> None:
        speed = math.hypot(vx, vy)
        if speed > GLIDE_MAX_PX_S:
            vx, vy = vx * GLIDE_MAX_PX_S / speed, vy * GLIDE_MAX_PX_S / speed
        self.vx, self.vy, self.t0 = vx, vy, t0

    def stop_axis(self, horizontal: bool) -> None:
        """The map hit its edge on one axis: stop moving along it (no pushing into the wall)."""
        if horizontal:
            self.vx = 0.0
        else:
            self.vy = 0.0

    def speed(self, now: float) -> float:
        return math.hypot(self.vx, self.vy) * math.exp(-(now - self.t0) / GLIDE_TAU_S)

    def done(self, now: float) -> bool:
        return self.speed(now) < GLIDE_STOP_PX_S

    def offset(self, now: float) -> tuple[float, float]:
        """How far (px) the map has travelled since the flick."""
        k = GLIDE_TAU_S * (1 - math.exp(-max(0.0, now - self.t0) / GLIDE_TAU_S))
        return self.vx * k, self.vy * k


class VelocityTracker:
    """The speed of a finger at the moment it lifts, from its last few positions."""

    def __init__(self) -> None:
        self._samples: deque[tuple[float, float, float]] = deque()

    def reset(self) -> None:
        self._samples.clear()

    def add(self, t: float, x: float, y: float) -> None:
        self._samples.append((t, x, y))
        while len(self._samples) > 2 and t - self._samples[0][0] > VELOCITY_WINDOW_S:
            self._samples.popleft()

    def velocity(self, now: float) -> tuple[float, float]:
        """px/s over the recent window; zero if the finger stopped before lifting."""
        if len(self._samples) < 2:
            return 0.0, 0.0
        t1, x1, y1 = self._samples[-1]
        if now - t1 > PAUSE_S:
            return 0.0, 0.0
        t0, x0, y0 = self._samples[0]
        dt = t1 - t0
        if dt < 0.005:
            return 0.0, 0.0
        return (x1 - x0) / dt, (y1 - y0) / dt
