"""Where the program finds its assets and default bundle, from source or frozen by PyInstaller."""

from __future__ import annotations

import sys
from pathlib import Path


def app_root() -> Path:
    """The folder holding `assets/` and `content/`: the repository, or the frozen app's folder."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def assets_dir() -> Path:
    return app_root() / "assets"


def fonts_dir() -> Path:
    return assets_dir() / "fonts"


DEFAULT_BUNDLE_ID = "petrograd-1917"


def default_bundle() -> Path:
    return app_root() / "content" / DEFAULT_BUNDLE_ID
