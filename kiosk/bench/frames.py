"""Frame time while panning and pinching the map along a scripted path of synthetic touches.

One frame is one step of a gesture, measured in wall-clock time on the GUI thread: from just
before the touch update is sent (so Qt's delivery, the map's gesture handling, clustering and
label layout count) until the map viewport's resulting Paint event has been delivered and the
event loop has come back around (so the paint itself and the backing store's flush count). The
GUI thread's CPU time over the same span and the paint's own share are recorded beside it.
Work done by other threads (tile rendering, loading) counts only as far as it holds up the GUI
thread. docs/performance.md explains the method.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF

from kiosk.bench.harness import Script, Sleep, Steps, Touchscreen, load_for_ui, use_offscreen_screen
from kiosk.bench.stats import summary

# The path: (kind, (dx, dy) per step for a pan | (start gap, end gap) for a pinch). Pans move
# 12 px a step, a brisk 720 px/s at 60 Hz; each pan is undone by the next so the map stays clear
# of its edges; pinches zoom in before the pans and out after, visiting several zoom levels.
# Every pan must move the map: at 2.5x a map fitted to the height below the title card can be
# no wider than a 16:9 view (Petrograd's is exactly as wide at 1080p), so the pans across come
# after the second pinch, and the pan at 2.5x goes down and back.
_SEGMENTS: list[tuple[str, tuple[int, int]]] = [
    ("pinch", (200, 500)),
    ("pan", (0, 12)),
    ("pan", (0, -12)),
    ("pinch", (200, 500)),
    ("pan", (12, 0)),
    ("pan", (-12, 0)),
    ("pan", (9, 9)),
    ("pan", (-9, -9)),
    ("pinch", (500, 200)),
    ("pinch", (500, 200)),
]
LIFT_OFF_PX = 40
STEP_S = 1 / 60  # the touchscreen's report interval, on the window's clock
# Between two gestures a hand is lifted and put down again, which takes longer than this; the
# map's work ahead (the next levels' clusters and pictures) runs then, as it does on the exhibit.
GESTURE_GAP_MS = 150
# The visitor comes to a kiosk that has been running: the path starts once the map's work
# ahead (every level's clusters, worked out in slices while the map is idle) is done, or after
# this long. The time it took is reported.
AHEAD_WAIT_MS = 30_000


SLOWEST = 8  # frames listed by name in the results


def _path(rounds: int) -> Iterator[tuple[str, tuple[int, int]]]:
    for _ in range(rounds):
        yield from _SEGMENTS


def run(bundle_path: Path, width: int, height: int, *, steps: int, rounds: int) -> dict[str, Any]:
    use_offscreen_screen(width, height)
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.journey.theme import load_fonts
    from kiosk.ui.qt.clock import ManualClock
    from kiosk.ui.shell.main_window import MainWindow

    app = QApplication([])
    load_fonts()
    bundle = load_for_ui(bundle_path)
    # A clock that moves only when told: flights and glides cannot run on between steps, the
    # idle timer never starts the attract loop, and each step is one 1/60 s touch report.
    clock = ManualClock()
    started = time.perf_counter()
    window = MainWindow(bundle, clock=clock)
    window.resize(width, height)
    window.show()
    script = Script(app)
    touch = Touchscreen()
    view = window.map_view
    viewport = view.viewport()
    wall: list[float] = []
    cpu: list[float] = []
    paint: list[float] = []
    missed = 0
    first_frame_ms = 0.0
    ahead_ms: float | None = None  # from the first frame until the work ahead was done
    # Every frame with what it was, so the slow ones are named, not averaged away: the gesture
    # (its number in the path), the step in it, the map's zoom and clustering level after it, and
    # whether that frame was the first at its level in the run (a level visited first is worked
    # out then, unless the work ahead got there before).
    details: list[dict[str, Any]] = []
    levels_seen: set[int] = set()
    unpainted: list[dict[str, Any]] = []  # steps that moved the map and painted nothing
    still = 0  # steps that did not move the map
    gesture_no = 0

    def gesture(kind: str, shape: tuple[int, int]) -> Steps:
        nonlocal missed, still, gesture_no
        gesture_no += 1
        centre = QPointF(viewport.width() / 2, viewport.height() / 2)
        if kind == "pan":
            dx, dy = shape
            # Start off-centre against the direction of travel so the finger stays on screen.
            start = centre - QPointF(dx, dy) * steps / 2
            fingers = {0: start}
        else:
            gap = shape[0] / 2
            fingers = {0: centre - QPointF(gap, 0), 1: centre + QPointF(gap, 0)}
        touch.send(viewport, "press", dict(fingers))
        last = dict(fingers)
        yield Sleep(0)
        if kind == "pan":
            # Lift-off, not measured: a finger must travel past the tap slop before the map
            # pans at all, so the first move goes well past it (and its frame is waited for).
            fingers = {
                0: fingers[0] + QPointF(shape[0], shape[1]) * (LIFT_OFF_PX / max(map(abs, shape)))
            }
            clock.advance(STEP_S)
            lift_off = script.frame(viewport, timeout_ms=500)
            touch.moves(viewport, {}, fingers)
            last = dict(fingers)
            yield lift_off
        for step in range(1, steps + 1):
            clock.advance(STEP_S)
            if kind == "pan":
                moved = {0: fingers[0] + QPointF(shape[0], shape[1]) * step}
            else:
                gap = (shape[0] + (shape[1] - shape[0]) * step / steps) / 2
                moved = {0: centre - QPointF(gap, 0), 1: centre + QPointF(gap, 0)}
            frame = script.frame(viewport, timeout_ms=500)
            before = view.camera()
            t0, c0 = time.perf_counter(), time.thread_time()
            touch.moves(viewport, {}, moved)
            last = moved
            yield frame
            if view.camera() == before:
                # The map did not move (against the sheet's edge, or at a zoom limit): nothing
                # had to be painted, and a paint that came (a tile arriving) is not its frame.
                still += 1
                continue
            if frame.painted_at is None or frame.started_at is None or frame.cpu_at is None:
                missed += 1
                unpainted.append(
                    {"gesture": gesture_no, "kind": kind, "step": step, "zoom": round(view.zoom, 3)}
                )
                continue
            wall.append((frame.painted_at - t0) * 1000)
            cpu.append((frame.cpu_at - c0) * 1000)
            paint.append((frame.painted_at - frame.started_at) * 1000)
            level = view.marker_layer.level  # the clustering level shown after the frame
            details.append(
                {
                    "gesture": gesture_no,
                    "kind": kind,
                    "step": step,
                    "zoom": round(view.zoom, 3),
                    "level": level,
                    "first_at_level": level not in levels_seen,
                    "ms": round(wall[-1], 2),
                    "cpu_ms": round(cpu[-1], 2),
                    "paint_ms": round(paint[-1], 2),
                }
            )
            levels_seen.add(level)
        clock.advance(STEP_S)
        touch.send(viewport, "release", last)
        view.stop_motion()  # no glide: the next gesture starts from where this one ended
        yield Sleep(GESTURE_GAP_MS)

    def session() -> Steps:
        nonlocal first_frame_ms, ahead_ms
        first = script.frame(viewport, timeout_ms=60_000)
        yield first
        if first.painted_at is not None:
            first_frame_ms = (first.painted_at - started) * 1000
        shown = time.perf_counter()
        yield Sleep(300)  # let the first second's work (label layout, tile workers) start
        while not view.work_ahead_done and (time.perf_counter() - shown) * 1000 < AHEAD_WAIT_MS:
            yield Sleep(20)
        ahead_ms = (time.perf_counter() - shown) * 1000 if view.work_ahead_done else None
        for kind, shape in _path(rounds):
            yield from gesture(kind, shape)

    script.run(session())
    markers = sum(1 for m in view.markers.values() if m.isVisible())
    window.close()
    return {
        "frame_ms": summary(wall) if wall else None,
        "cpu_ms": summary(cpu) if cpu else None,
        "paint_ms": summary(paint) if paint else None,
        "steps_without_frame": missed,
        "steps_without_frame_detail": unpainted,
        "steps_not_moving": still,
        "window_to_first_frame_ms": round(first_frame_ms),
        "work_ahead_done_ms": round(ahead_ms) if ahead_ms is not None else None,
        "events": len(bundle.events),
        "markers_visible_at_end": markers,
        "size": f"{width}x{height}",
        "slowest_frames": sorted(details, key=lambda d: -d["ms"])[:SLOWEST],
        "frames_over_16_ms": sum(1 for d in details if d["ms"] > 16),
        "frames_over_16_ms_first_at_level": sum(
            1 for d in details if d["ms"] > 16 and d["first_at_level"]
        ),
    }
