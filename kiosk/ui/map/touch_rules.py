"""When contact with the screen is a finger meaning something, and when it is a palm or a rest.

Pure rules on sizes in millimetres and times in seconds, no Qt. The map view measures contacts in
pixels and converts with the screen's real pixel density.

The rule (also in docs/decisions.md): a touch sequence does nothing at all (no tap, no pan, no
zoom) from the moment it shows any sign of a hand resting on the glass, until every contact lifts:
- three or more contacts at once: a palm, a leaning forearm or a whole hand;
- a contact larger than `PALM_MM` across, where the screen reports contact size;
- two contacts further apart than `TWO_HANDS_MM` when the second lands: not one visitor's
  pinch but a second hand or a second visitor.
A single finger is a tap only if it lifted within `TAP_SLOP_MM` of where it landed and within
`REST_S` of landing: a finger left resting on the glass and lifted later does not act.
"""

from __future__ import annotations

import math

TAP_SLOP_MM = 4.0  # a finger that wobbles less than this is still tapping
TAP_SLOP_MIN_PX = 14.0  # ... and never less than this many logical px, on small dense screens
PALM_MM = 30.0  # a fingertip is 8-20 mm across; a palm's contact is far bigger
MAX_FINGERS = 2  # more than a pinch's two contacts at once is a hand resting on the glass
TWO_HANDS_MM = 350.0  # wider than a pinch even with two index fingers
REST_S = 1.0  # held still longer than this: resting, not tapping
FINGER_MM = 15.0  # a fingertip target: the Natural History Museum's gallery guideline


def tap_slop_px(px_per_mm: float) -> float:
    return max(TAP_SLOP_MIN_PX, TAP_SLOP_MM * px_per_mm)


def touch_target_px(px_per_mm: float, minimum_px: float) -> float:
    """A finger-sized target: `FINGER_MM` on the real screen, never under `minimum_px`."""
    return max(minimum_px, FINGER_MM * px_per_mm)


def looks_like_resting_hand(
    contacts: list[tuple[float, float]],
    diameters_px: list[float],
    px_per_mm: float,
    new_contact: bool,
) -> bool:
    """True if these contacts (positions and contact sizes in px) are a resting hand.

    `new_contact` says a contact has just landed: the two-hands distance is judged only then, so
    a pinch whose fingers spread wide as it zooms keeps working.
    """
    if len(contacts) > MAX_FINGERS:
        return True
    if any(d > PALM_MM * px_per_mm for d in diameters_px):
        return True
    if new_contact and len(contacts) == 2:
        (ax, ay), (bx, by) = contacts
        if math.hypot(ax - bx, ay - by) > TWO_HANDS_MM * px_per_mm:
            return True
    return False
