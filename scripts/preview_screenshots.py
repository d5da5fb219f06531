"""Screenshots of the curator's preview: a broken save, then the fix (for docs/curators.md).

    .venv/bin/python scripts/preview_screenshots.py OUTDIR [--bundle DIR] [--size 1600x900]

Copies the bundle (default: a fresh starter bundle), runs the real preview window offscreen,
saves a broken event file the way editors do (write beside, rename over), waits for the reload,
takes preview-broken.png, saves the fix, waits again and takes preview-fixed.png.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.content.starter import create_starter
from kiosk.ui.journey.theme import load_fonts
from kiosk.ui.shell.preview import PreviewWindow

BROKEN = [
    ("category: crossing", "categroy: crossing"),
    ("date: 1989-11-10", "date: 1989-11-31"),
    ("place: brandenburg-gate", "place: brandenburger-tor"),
]


def save(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def pause(milliseconds: int) -> None:
    """Let the map's flight run in real time before a picture is taken."""
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()


def wait_for_reload(app: QApplication, window: PreviewWindow) -> None:
    loop = QEventLoop()
    window.reloaded.connect(loop.quit)
    QTimer.singleShot(5000, loop.quit)
    loop.exec()
    window.reloaded.disconnect(loop.quit)
    for _ in range(5):
        app.processEvents()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--bundle", type=Path, default=None)
    parser.add_argument("--size", default="1600x900")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    app = QApplication(sys.argv[:1])
    load_fonts()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / (args.bundle.name if args.bundle else "berlin-1989")
        if args.bundle:
            shutil.copytree(args.bundle, folder)
        else:
            create_starter(folder)
        window = PreviewWindow(folder)
        window.resize(width, height)
        window.show()
        if window.host.exhibit:
            window.host.exhibit.state.select("brandenburg-gate")
        pause(1500)
        args.out.mkdir(parents=True, exist_ok=True)
        event = folder / "events" / "brandenburg-gate.yaml"
        good = event.read_text(encoding="utf-8")
        broken = good
        for old, new in BROKEN:
            broken = broken.replace(old, new)
        save(event, broken)
        wait_for_reload(app, window)
        window.grab().save(str(args.out / "preview-broken.png"))
        print(args.out / "preview-broken.png")
        save(event, good.replace("On the Wall at the Brandenburg Gate", "Dancing on the Wall"))
        wait_for_reload(app, window)
        if window.host.exhibit:
            window.host.exhibit.state.select("brandenburg-gate")
        pause(1500)
        window.grab().save(str(args.out / "preview-fixed.png"))
        print(args.out / "preview-fixed.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
