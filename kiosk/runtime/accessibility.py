"""The installation's accessibility settings: the keypad's key map, narration volume and speech.

One block of the installation config (`accessibility:`), because the technician sets it up in one
go with the keypad and the headphones (docs/accessibility.md). Keys are named as Qt names them
without the `Key_` prefix (`Left`, `Return`, `F1`, `VolumeUp`), checked here without importing Qt:
the config is read before Qt is loaded. A key bound to two actions is refused.

The settings are a plain class: a kiosk without a config file reads the defaults without
importing pydantic; a config file is validated by `kiosk.runtime.config_model`.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Literal

# What a keypad can do, in the order the help reads them.
Action = Literal[
    "previous",  # the event before, in story order
    "next",  # the event after
    "up",  # scroll the open panel up
    "down",  # ... and down
    "select",  # open the focused event; in an open panel, listen to it (or stop)
    "back",  # close what is open (quotation, person, panel, help)
    "larger",  # large text
    "smaller",  # normal text
    "help",  # the keys explained, aloud and on screen
    "volume_up",
    "volume_down",
    "language",  # the next of the bundle's languages
    "contrast",  # high contrast on or off
    "day",  # the next day with events on the timeline (after the last: every day again)
    "play",  # the story played event by event, or stopped
]

# The Smithsonian layout (arrows, select, back, help, volume) as a keyboard-emulating keypad
# sends it, and a keyboard's own keys for the same.
DEFAULT_KEYS: dict[str, tuple[str, ...]] = {
    "previous": ("Left",),
    "next": ("Right",),
    "up": ("Up",),
    "down": ("Down",),
    "select": ("Return", "Enter", "Space"),
    "back": ("Backspace",),
    "larger": ("Plus", "Equal"),
    "smaller": ("Minus",),
    "help": ("F1", "Help", "Question"),
    "volume_up": ("VolumeUp", "PageUp"),
    "volume_down": ("VolumeDown", "PageDown"),
    # Not on a keypad: a keyboard's letters, or a keypad's spare keys mapped to them.
    "language": ("L",),
    "contrast": ("C",),
    "day": ("D",),
    "play": ("P",),
}

_NAMED_KEYS = (
    "Left Right Up Down Return Enter Space Backspace Tab Delete Insert Home End PageUp PageDown "
    "Plus Minus Equal Asterisk Slash Question Period Comma Help Select Back Forward "
    "VolumeUp VolumeDown VolumeMute MediaPlay MediaPause MediaTogglePlayPause MediaStop "
    "MediaNext MediaPrevious"
)
KEY_NAMES = frozenset(
    [
        *string.ascii_uppercase,
        *(str(digit) for digit in range(10)),
        *(f"F{n}" for n in range(1, 25)),
        *_NAMED_KEYS.split(" "),
    ]
)

Speech = Literal["off", "system"]


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessibilitySettings:
    """The `accessibility:` block of the installation config; every field has a default.

    Validated by `kiosk.runtime.config_model.AccessibilityModel`, which has the same fields."""

    @classmethod
    def defaults(cls) -> AccessibilitySettings:
        """Every setting at its default."""
        return cls()

    # Action -> keys, for the actions given; the others keep their default keys.
    keys: dict[Action, tuple[str, ...]] = field(default_factory=dict)
    volume: float = 0.8  # narration, 0 to 1; the keypad changes it
    # "system": events without a recording are read by the system's voice (speech-dispatcher,
    # Windows' voices) in the event's language; "off": only recordings are played.
    speech: Speech = "off"
    # The synthesizer's command, instead of the platform's: {language} and {text} are filled in.
    speech_command: tuple[str, ...] | None = None
    # Keypad use speaks the focused event's title and summary (for visitors who cannot see).
    audio_mode: bool = True

    def key_map(self) -> dict[str, str]:
        """Key name -> action: the defaults, with the actions the installation set replaced."""
        actions: dict[str, tuple[str, ...]] = {**DEFAULT_KEYS, **dict(self.keys.items())}
        result: dict[str, str] = {}
        for action, names in actions.items():
            for key in names:
                result.setdefault(key, action)  # an installation's own binding wins below
        for action, names in self.keys.items():
            for key in names:
                result[key] = action
        return result
