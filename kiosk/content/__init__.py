"""The content layer: bundle files -> validated, cross-checked model. Never imports Qt.

Everything here runs without a display (so `kiosk validate` works on any machine) and is tested
without Qt; tests/test_architecture.py enforces that no module here imports PySide6.

The names below are imported on first use (PEP 562): a kiosk starting from the validated-bundle
cache needs the bundle's plain classes (`kiosk.content.data`) but never the pydantic model, the
loader, the YAML reader or the error messages, and importing them would cost it tens of
milliseconds before its first frame.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.content.bundle import Bundle
    from kiosk.content.loader import collector_paused, load_bundle, validate_bundle
    from kiosk.content.problems import BundleInvalid, NotABundle, Problem, Severity

# Where each name lives (the same names as __all__).
_WHERE = {
    "Bundle": "kiosk.content.bundle",
    "BundleInvalid": "kiosk.content.problems",
    "NotABundle": "kiosk.content.problems",
    "Problem": "kiosk.content.problems",
    "Severity": "kiosk.content.problems",
    "collector_paused": "kiosk.content.loader",
    "load_bundle": "kiosk.content.loader",
    "validate_bundle": "kiosk.content.loader",
}

__all__ = [
    "Bundle",
    "BundleInvalid",
    "NotABundle",
    "Problem",
    "Severity",
    "collector_paused",
    "load_bundle",
    "validate_bundle",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value  # once found, a plain module attribute
    return value
