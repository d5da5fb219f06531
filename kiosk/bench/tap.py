"""Tap to panel: a finger lifting off a marker, until the event panel's first frame is painted.

Each tap is a real touch press and release on a marker that stands alone on the map (not in a
cluster, not under a bar or card), on a 1920x1080 offscreen screen, inside the running event
loop. The clock starts just before the release is sent and stops once the first Paint event of
the event panel has been delivered and the event loop has come back around (so the whole update
that paints the panel, and its flush, count). Then the panel is closed and the map returned to
the whole city without animation, ready for the next tap.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPointF

from kiosk.bench.harness import Script, Sleep, Steps, Touchscreen, load_for_ui, use_offscreen_screen
from kiosk.bench.stats import summary

if TYPE_CHECKING:
    from kiosk.ui.shell.main_window import MainWindow

PRESS_S = 0.08  # how long the finger rests on the glass: a brisk tap


def tappable_markers(window: MainWindow) -> list[tuple[str, QPointF]]:
    """Markers a finger can reach: shown on their own, in view, and not covered by anything."""
    view = window.map_view
    viewport = view.viewport()
    found = []
    for event_id, marker in view.markers.items():
        if not marker.isVisible():
            continue
        pos = view.marker_screen_pos(event_id)
        if not viewport.rect().adjusted(8, 8, -8, -8).contains(pos.toPoint()):
            continue
        if view.marker_at(pos) is not marker:
            continue
        if window.childAt(viewport.mapTo(window, pos.toPoint())) is not viewport:
            continue
        found.append((event_id, pos))
    return found


PHOTO_SIZE = (6000, 4000)  # a 24-megapixel camera's photograph
PICTURES_WAIT_S = 20.0


def _photograph(path: Path, seed: int) -> None:
    """A camera-sized JPEG that decodes like a photograph (grain over smooth tones)."""
    from PIL import Image

    width, height = PHOTO_SIZE
    grain = Image.effect_noise((width // 2, height // 2), 40 + seed).resize(PHOTO_SIZE)
    tones = Image.linear_gradient("L").resize(PHOTO_SIZE)
    Image.merge("RGB", (grain, tones, Image.blend(grain, tones, 0.5))).save(path, quality=92)


def with_pictures(bundle_path: Path, count: int) -> Path:
    """A copy of the bundle in which every event without pictures shows `count` photographs of
    24 megapixels. The photographs are made once and kept in the temporary folder."""
    folder = Path(tempfile.gettempdir()) / "kiosk-bench-pictures"
    photos = folder / "photos"
    photos.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        if not (photos / f"photo-{i}.jpg").is_file():
            _photograph(photos / f"photo-{i}.jpg", i)
    copy = folder / bundle_path.name
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(bundle_path, copy)
    shutil.copytree(photos, copy / "media" / "bench", dirs_exist_ok=True)
    media = "media:\n" + "".join(
        f"  - file: media/bench/photo-{i}.jpg\n"
        f'    caption: {{en: "Photograph {i + 1}"}}\n'
        f'    credit: "Made for the benchmark"\n'
        f'    alt: {{en: "Grain over a grey gradient"}}\n'
        for i in range(count)
    )
    for event in sorted((copy / "events").glob("*.yaml")):
        text = event.read_text(encoding="utf-8")
        if "\nmedia:" not in text:
            event.write_text(text.rstrip("\n") + "\n" + media, encoding="utf-8")
    return copy


def run(bundle_path: Path, *, taps: int, pictures: int = 0) -> dict[str, Any]:
    use_offscreen_screen(1920, 1080)
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.journey.theme import load_fonts
    from kiosk.ui.panels.event import EventPanel
    from kiosk.ui.panels.pictures import PictureBox, picture_store
    from kiosk.ui.qt.clock import ManualClock
    from kiosk.ui.shell.main_window import MainWindow

    if pictures:
        bundle_path = with_pictures(bundle_path, pictures)
    app = QApplication([])
    load_fonts()
    bundle = load_for_ui(bundle_path)
    store = picture_store()
    pictures_in: list[float] = []
    clock = ManualClock()  # flights wait for the clock: each tap starts from the same map
    window = MainWindow(bundle, clock=clock)
    window.resize(1920, 1080)
    window.show()
    script = Script(app)
    touch = Touchscreen()
    view = window.map_view
    viewport = view.viewport()
    latencies: list[float] = []
    cpu: list[float] = []
    missed = 0
    tapped: set[str] = set()

    def is_panel(watched: QObject) -> bool:
        return isinstance(watched, EventPanel)

    def session() -> Steps:
        nonlocal missed
        yield script.frame(viewport, timeout_ms=60_000)
        yield Sleep(200)
        for i in range(taps):
            targets = tappable_markers(window)
            if not targets:
                raise RuntimeError("no marker can be tapped on the whole-city map")
            event_id, pos = targets[i % len(targets)]
            store.clear()  # every tap opens its panel cold: its pictures not yet decoded
            pressed = script.frame(viewport, timeout_ms=300)
            touch.send(viewport, "press", {0: pos})
            yield pressed  # the marker's press feedback
            clock.advance(PRESS_S)
            panel = script.frame(match=is_panel, timeout_ms=2000)
            t0, c0 = time.perf_counter(), time.thread_time()
            touch.send(viewport, "release", {0: pos})
            yield panel
            if panel.painted_at is None or panel.cpu_at is None:
                missed += 1
            else:
                latencies.append((panel.painted_at - t0) * 1000)
                cpu.append((panel.cpu_at - c0) * 1000)
            if window.state.selected != event_id:
                raise RuntimeError(f"tapping {event_id} selected {window.state.selected}")
            boxes = window.panel.findChildren(PictureBox)
            if boxes:  # until the worker has decoded them all, before the next tap
                deadline = time.perf_counter() + PICTURES_WAIT_S
                while not all(box.loaded or box.broken for box in boxes):
                    if time.perf_counter() > deadline:
                        raise RuntimeError(f"the pictures of {event_id} never came in")
                    yield Sleep(5)
                pictures_in.append((time.perf_counter() - t0) * 1000)
            tapped.add(event_id)
            window.state.select(None)
            clock.advance(30)  # the flight to the event ends at its next tick
            yield Sleep(40)
            view.stop_motion()
            view.show_whole_city(animated=False)
            yield Sleep(0)

    script.run(session())
    window.close()
    return {
        "tap_to_panel_ms": summary(latencies) if latencies else None,
        "cpu_ms": summary(cpu) if cpu else None,
        "taps_without_panel": missed,
        "distinct_markers": len(tapped),
        "events": len(bundle.events),
        "pictures_per_panel": pictures,
        "pictures_in_ms": summary(pictures_in) if pictures_in else None,
    }
