"""Test-wide set-up: Qt runs offscreen, on one screen with no display, 1920 px wide like a
kiosk's and 2000 px tall, so that a 1920x1080 window and a portrait 1080x1920 one both lie on it
(`tests.ui.conftest.show_at`) and every touch on them lands. (2000, not 1920: at the offscreen
platform's 100 dpi that is a whole number of millimetres, so the density measured is exactly it.)

The offscreen platform's default screen is 800x800; on it, touches beyond 800 px belong to no
screen, and Qt's gesture manager cannot find their target. The e2e test starts its own X server.
"""

import atexit
import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_SCREEN = Path(__file__).with_name("offscreen-screen.json")
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={_SCREEN}")
# No validated-bundle cache in ~/.cache: tests that want one give it a folder of their own.
os.environ.setdefault("KIOSK_BUNDLE_CACHE", "off")
# Narration plays into miniaudio's null device: no sound card needed, and no test makes a noise.
os.environ.setdefault("KIOSK_AUDIO_OUTPUT", "null")

# Map tiles rendered by the tests go to a folder of their own, not the user's cache.
if "KIOSK_TILE_CACHE" not in os.environ:
    _TILES = tempfile.mkdtemp(prefix="kiosk-test-tiles-")
    os.environ["KIOSK_TILE_CACHE"] = _TILES
    atexit.register(shutil.rmtree, _TILES, ignore_errors=True)


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_main_thread() -> Iterator[None]:
    """Once a UI test has moved garbage collection to the GUI thread's timer (see
    kiosk.ui.qt.gui_collector), collect what is due after every test too: tests that run no
    event loop would otherwise never collect."""
    yield
    module = sys.modules.get("kiosk.ui.qt.gui_collector")
    collector = module.installed() if module is not None else None
    if collector is not None:
        with contextlib.suppress(RuntimeError):  # its application is gone
            collector.collect_due()
