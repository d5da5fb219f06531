"""Test-wide set-up: Qt runs offscreen, on a 1920x1080 screen like a kiosk's, with no display.

The offscreen platform's default screen is 800x800; on it, touches beyond 800 px belong to no
screen, and Qt's gesture manager cannot find their target. The e2e test starts its own X server.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

_SCREEN = Path(__file__).with_name("offscreen-screen.json")
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={_SCREEN}")
# No validated-bundle cache in ~/.cache: tests that want one give it a folder of their own.
os.environ.setdefault("KIOSK_BUNDLE_CACHE", "off")

# Map tiles rendered by the tests go to a folder of their own, not the user's cache.
if "KIOSK_TILE_CACHE" not in os.environ:
    _TILES = tempfile.mkdtemp(prefix="kiosk-test-tiles-")
    os.environ["KIOSK_TILE_CACHE"] = _TILES
    atexit.register(shutil.rmtree, _TILES, ignore_errors=True)
