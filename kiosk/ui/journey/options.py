"""Display options that come from the installation, not from the bundle.

The runtime layer (command line, installation config) fills these in; the UI reads them. A value
of None means "use what the bundle says".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.runtime.accessibility import AccessibilitySettings


@dataclass(frozen=True)
class DisplayOptions:
    """How this installation wants the exhibit shown."""

    idle_seconds: float | None = None  # None: the bundle's own idle time
    reduced_motion: bool = False  # no drift, no flights: an installation's accessibility setting
    # False: never the "Still there?" countdown, the reset or the attract loop by itself (the
    # curators' preview, where nobody touching the screen means somebody typing in an editor).
    idle: bool = True
    # The keypad's key map, narration volume and speech (the config's `accessibility:` block).
    accessibility: AccessibilitySettings = field(default_factory=AccessibilitySettings.defaults)
