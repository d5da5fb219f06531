"""The content layer: bundle files -> validated, cross-checked model. Never imports Qt.

Everything here runs without a display (so `kiosk validate` works on any machine) and is tested
without Qt; tests/test_architecture.py enforces that no module here imports PySide6.
"""

from kiosk.content.bundle import Bundle
from kiosk.content.loader import NotABundle, load_bundle, validate_bundle
from kiosk.content.problems import BundleInvalid, Problem, Severity

__all__ = [
    "Bundle",
    "BundleInvalid",
    "NotABundle",
    "Problem",
    "Severity",
    "load_bundle",
    "validate_bundle",
]
