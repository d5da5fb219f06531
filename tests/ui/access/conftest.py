"""A copy of the shipped bundle whose Volynsky mutiny has recordings, and a window showing it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.content import Bundle, load_bundle
from kiosk.paths import default_bundle
from kiosk.runtime.accessibility import AccessibilitySettings
from kiosk.ui.journey.options import DisplayOptions
from kiosk.ui.qt.clock import ManualClock
from kiosk.ui.shell.main_window import MainWindow
from tests.sounds import write_wav
from tests.ui.conftest import shown

NARRATED = "volynsky-mutiny"
RUSSIAN_TRANSCRIPT = "Первая фраза записи. Вторая фраза записи. Третья."
SECONDS = 1.0


@pytest.fixture(scope="session")
def narrated_bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    root = tmp_path_factory.mktemp("narrated") / "petrograd-1917"
    shutil.copytree(default_bundle(), root)
    write_wav(root / "audio" / "volynsky-en.wav", seconds=SECONDS)
    write_wav(root / "audio" / "volynsky-ru.wav", seconds=SECONDS, pitch=330)
    event = root / "events" / f"{NARRATED}.yaml"
    with event.open("a", encoding="utf-8") as stream:
        stream.write(
            "audio:\n"
            "  en: audio/volynsky-en.wav\n"
            f'  ru: {{file: audio/volynsky-ru.wav, transcript: "{RUSSIAN_TRANSCRIPT}"}}\n'
        )
    return load_bundle(root)


def open_window(qtbot: QtBot, window: MainWindow) -> MainWindow:
    return shown(qtbot, window, (1920, 1080))


@pytest.fixture
def narrated_window(
    qtbot: QtBot, narrated_bundle: Bundle, fonts: list[str], manual_clock: ManualClock
) -> Iterator[MainWindow]:
    window = open_window(qtbot, MainWindow(narrated_bundle, clock=manual_clock))
    yield window
    window.narration.stop()


@pytest.fixture
def speaking_window(
    qtbot: QtBot, narrated_bundle: Bundle, fonts: list[str], tmp_path: Path
) -> Iterator[MainWindow]:
    """The system's voice allowed, played by a fake synthesizer that writes what it was asked
    to say into `said.txt` and then takes its time."""
    script = (
        "import sys, time, pathlib; "
        f"pathlib.Path({str(tmp_path / 'said.txt')!r}).write_text("
        "sys.argv[1] + '|' + sys.argv[2] + '|' + sys.stdin.read(), encoding='utf-8'); "
        "time.sleep(30)"
    )
    import sys

    settings = AccessibilitySettings(
        speech="system", speech_command=(sys.executable, "-c", script, "{language}", "{text}")
    )
    window = MainWindow(narrated_bundle, options=DisplayOptions(accessibility=settings))
    yield open_window(qtbot, window)
    window.narration.stop()
