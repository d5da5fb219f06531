"""The installation's accessibility settings: the keypad's key map, narration volume and speech.

One block of the installation config (`accessibility:`), because the technician sets it up in one
go with the keypad and the headphones (docs/accessibility.md). Keys are named as Qt names them
without the `Key_` prefix (`Left`, `Return`, `F1`, `VolumeUp`), checked here without importing Qt:
the config is read before Qt is loaded. A key bound to two actions is refused.
"""

from __future__ import annotations

import difflib
import string
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

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


def _key_name(key: str) -> str:
    if key not in KEY_NAMES:
        near = difflib.get_close_matches(key, KEY_NAMES, n=1)
        hint = f" - did you mean '{near[0]}'?" if near else ""
        raise ValueError(f"'{key}' is not a key name such as Left, Return or F1{hint}")
    return key


KeyName = Annotated[str, AfterValidator(_key_name)]


class AccessibilitySettings(BaseModel):
    """The `accessibility:` block of the installation config; every field has a default."""

    # Built when a config file is validated, not on import: the defaults come from
    # `defaults()`, which needs no validator (building one scans pydantic's plugins at start-up).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    @classmethod
    def defaults(cls) -> AccessibilitySettings:
        """Every setting at its default, without building the validator."""
        return cls.model_construct()

    # Action -> keys, for the actions given; the others keep their default keys.
    keys: dict[Action, tuple[KeyName, ...]] = Field(default_factory=dict)
    volume: float = Field(default=0.8, ge=0, le=1)  # narration, 0 to 1; the keypad changes it
    # "system": events without a recording are read by the system's voice (speech-dispatcher,
    # Windows' voices) in the event's language; "off": only recordings are played.
    speech: Speech = "off"
    # The synthesizer's command, instead of the platform's: {language} and {text} are filled in.
    speech_command: tuple[str, ...] | None = Field(default=None, min_length=1)
    # Keypad use speaks the focused event's title and summary (for visitors who cannot see).
    audio_mode: bool = True

    @field_validator("keys")
    @classmethod
    def _each_key_once(cls, keys: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        seen: dict[str, str] = {}
        for action, names in keys.items():
            for key in names:
                if seen.get(key, action) != action:
                    raise ValueError(f"'{key}' is bound to both '{seen[key]}' and '{action}'")
                seen[key] = action
        return keys

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
