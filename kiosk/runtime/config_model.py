"""The installation config's validation: pydantic models of kiosk.yaml and its accessibility block.

Imported only when a config file is read (`kiosk.runtime.config.parse_config`): a kiosk without
one runs on the defaults of the plain classes `InstallationConfig` and `AccessibilitySettings`
and never imports pydantic before its first frame (docs/performance.md). Each model has exactly
the fields and defaults of its plain class (tests/runtime/test_config.py checks); a validated
config is turned into the plain one by `plain_config`.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from kiosk.content.data import LANG_PATTERN
from kiosk.runtime.accessibility import KEY_NAMES, AccessibilitySettings, Action, Speech
from kiosk.runtime.config import Corner, InstallationConfig

Lang = Annotated[str, StringConstraints(pattern=LANG_PATTERN)]


def _key_name(key: str) -> str:
    if key not in KEY_NAMES:
        near = difflib.get_close_matches(key, KEY_NAMES, n=1)
        hint = f" - did you mean '{near[0]}'?" if near else ""
        raise ValueError(f"'{key}' is not a key name such as Left, Return or F1{hint}")
    return key


KeyName = Annotated[str, AfterValidator(_key_name)]


class AccessibilityModel(BaseModel):
    """Validates the `accessibility:` block: the fields of `AccessibilitySettings`."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    keys: dict[Action, tuple[KeyName, ...]] = Field(default_factory=dict)
    volume: float = Field(default=0.8, ge=0, le=1)
    speech: Speech = "off"
    speech_command: tuple[str, ...] | None = Field(default=None, min_length=1)
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


class InstallationConfigModel(BaseModel):
    """Validates a config file: the fields of `InstallationConfig`, with their limits."""

    # Built when a file is first validated (this module is imported only then).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    bundle: Path | None = None  # None: the bundle built into the program
    language: Lang | None = None  # start in this language instead of the bundle's default
    # The languages of the "this exhibit is being updated" screen, shown when no bundle loads
    # (the bundle's own languages are unknown then); None: every language the kiosk has words for.
    updating_screen_languages: tuple[Lang, ...] | None = Field(default=None, min_length=1)
    screen: int | str | None = None  # index (0 = first) or the screen's name; None: primary
    idle_seconds: float | None = Field(default=None, ge=10, le=3600)
    reduced_motion: bool = False
    admin_corner: Corner = "top-left"
    admin_hold_seconds: float = Field(default=3.0, ge=1, le=15)
    admin_pin_hash: str | None = None
    log_folder: Path | None = None  # None: the platform's log folder (see default_log_folder)
    log_max_megabytes: float = Field(default=5, gt=0, le=1024)
    # At least 2: with 1 (no backup), Python's RotatingFileHandler never rotates at all.
    log_keep_files: int = Field(default=5, ge=2, le=100)
    # Visitor analytics are recorded in this folder (docs/operations.md); None: not recorded.
    analytics_folder: Path | None = None
    # This kiosk's name in merged analytics reports; None: a random id made with the database.
    kiosk_name: str | None = Field(default=None, min_length=1, max_length=80)
    update_source: str | None = None  # a folder or an http(s):// URL, for content updates
    update_store: Path | None = None  # None: the platform's data folder (default_update_store)
    update_public_key: Path | None = None  # Ed25519 public key (PEM): only signed bundles then
    update_interval_seconds: float = Field(default=300, ge=10, le=86400)
    update_settle_seconds: float = Field(default=30, ge=1, le=3600)  # a folder's quiet time
    # The exhibit (bundle id) this kiosk takes updates of; None: the one it runs (updater.py).
    update_bundle_id: str | None = Field(default=None, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    # Wall-clock deadlines of one manifest request and one zip download from a web server.
    update_request_seconds: float = Field(default=60, ge=1, le=3600)
    update_download_seconds: float = Field(default=1800, ge=10, le=86400)
    status_file: Path | None = None  # None: status.json in the platform's state folder
    # Prometheus (docs/operations.md): a textfile for node_exporter's textfile collector (None:
    # not written), an address to serve /metrics on (None: not served), and how often the file
    # is rewritten.
    metrics_textfile: Path | None = None
    metrics_listen: str | None = None
    metrics_interval_seconds: float = Field(default=30, ge=5, le=3600)
    # When the museum is open (kiosk/runtime/opening_hours.py); outside them the screen is black
    # and the exhibit paused. None: always open.
    opening_hours: tuple[str, ...] | None = None
    # Keypad key map, narration volume, speech (kiosk/runtime/accessibility.py); one block.
    accessibility: AccessibilityModel = Field(default_factory=AccessibilityModel.model_construct)

    @field_validator("admin_pin_hash")
    @classmethod
    def _a_hash_that_can_match(cls, value: str | None) -> str | None:
        if value is not None:
            from kiosk.runtime.pin import PinError, parse_pin_hash

            try:
                parse_pin_hash(value)
            except PinError as exc:  # no PIN could ever match it: nobody could open the pad
                raise ValueError(f"this PIN hash is damaged: {exc}") from None
        return value

    @field_validator("screen", mode="before")
    @classmethod
    def _index_or_name(cls, value: object) -> object:
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, str))):
            raise ValueError(
                "a screen is a number (0 is the first screen) or the system's name for it, "
                "such as HDMI-1"
            )
        return value

    @field_validator("opening_hours", mode="before")
    @classmethod
    def _days_and_times(cls, value: object) -> object:
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list) and all(isinstance(line, str) for line in value):
            from kiosk.runtime.opening_hours import OpeningHours

            OpeningHours.parse(value)  # its error says what is wrong, in our words
        return value

    @field_validator("metrics_listen")
    @classmethod
    def _address_and_port(cls, value: str | None) -> str | None:
        if value is not None:
            from kiosk.runtime.metrics import parse_listen_address

            parse_listen_address(value)  # its ValueError says what is wrong, in our words
        return value

    @field_validator("update_source")
    @classmethod
    def _folder_or_web(cls, value: str | None) -> str | None:
        if value is not None and "://" in value and not value.startswith(("http://", "https://")):
            raise ValueError("an update source is a folder or an http:// or https:// URL")
        return value


def plain_config(checked: InstallationConfigModel) -> InstallationConfig:
    """The plain config holding what the validated `checked` holds."""
    values = {name: getattr(checked, name) for name in InstallationConfigModel.model_fields}
    block = checked.accessibility
    values["accessibility"] = AccessibilitySettings(
        **{name: getattr(block, name) for name in AccessibilityModel.model_fields}
    )
    return InstallationConfig(**values)
