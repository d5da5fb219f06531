"""Render what the kiosk shows for every visitor (docs/accessibility.md), as PNG files.

    .venv/bin/python scripts/access_screenshots.py [OUTDIR]   (default: docs/visitor)

Writes keypad-focus.png (the keypad's focus ring on an event, in high contrast), keypad-help.png
(the help key's card) and listen.png (an event's recording playing, with its progress and the
sentence being said). The shipped bundle has no recordings, so a copy of it gets a generated
tone as the Volynsky mutiny's English narration; it plays into miniaudio's null device. Runs
offscreen; the map jumps instead of flying.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KIOSK_AUDIO_OUTPUT", "null")

from PySide6.QtWidgets import QApplication

from kiosk.content import load_bundle
from kiosk.paths import default_bundle
from kiosk.ui.journey.theme import Appearance, load_fonts
from kiosk.ui.shell.main_window import MainWindow
from tests.sounds import write_wav

NARRATED = "volynsky-mutiny"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?", default=Path("docs/visitor"))
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    load_fonts()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "petrograd-1917"
        shutil.copytree(default_bundle(), root)
        write_wav(root / "audio" / "volynsky-en.wav", seconds=40, pitch=220)
        with (root / "events" / f"{NARRATED}.yaml").open("a", encoding="utf-8") as stream:
            stream.write("audio:\n  en: audio/volynsky-en.wav\n")
        window = MainWindow(load_bundle(root))
        window.map_view.reduced_motion = True
        window.resize(1920, 1080)
        window.show()
        args.out.mkdir(parents=True, exist_ok=True)

        def settle(seconds: float = 0.4) -> None:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                app.processEvents()
                time.sleep(0.02)
            window.map_view.tiles.wait()
            app.processEvents()

        def shot(name: str) -> None:
            settle()
            window.grab().save(str(args.out / name))
            print(args.out / name)

        window.state.set_appearance(Appearance(high_contrast=True))
        window.keypad.in_use = True
        window.keypad.focus(window.bundle.events[4].id)
        shot("keypad-focus.png")
        window.narration.stop()
        window.state.set_appearance(Appearance())
        window.keypad.press("help")
        shot("keypad-help.png")
        window.keypad.help.hide()
        window.keypad.focus(None)
        window.state.select(NARRATED)
        window.listen_bar.toggle()
        settle(9.0)  # a few sentences in
        shot("listen.png")
        window.narration.stop()
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
