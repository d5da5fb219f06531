"""`kiosk --smoke-test`: start, load the bundle, paint the first frame offscreen, report, exit.

It proves that a build (from source or frozen) really works on a machine without showing
anything: one JSON line on stdout, exit code 0 when the bundle was shown and painted. The
start-up time is counted from the creation of the process, so it includes the interpreter (and a
frozen app's bootloader), which is what a visitor waits for.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING

from kiosk import __version__
from kiosk.runtime import exit_codes
from kiosk.runtime.health import process_age_seconds

if TYPE_CHECKING:
    from kiosk.launch import Launch

SMOKE_SIZE = (1920, 1080)
TIMEOUT_MS = 20_000
TILES_TIMEOUT_MS = 30_000  # after the report's figures are taken


def smoke_test(launch: Launch) -> int:
    # Offscreen unless the caller chose a platform: no display is needed or touched.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.content.cache import default_cache
    from kiosk.launch import build_window, display_options
    from kiosk.ui.journey import cldr
    from kiosk.ui.journey.theme import load_fonts
    from kiosk.ui.map.markers import MarkerItem

    app = QApplication(sys.argv[:1])
    load_fonts()
    cache = default_cache()  # as the kiosk starts: from the cache when the bundle is unchanged
    host = build_window(
        launch.content,
        launch.language,
        display_options(launch.config),
        launch.config.updating_screen_languages,
        cache,
    )
    report: dict[str, object] = {
        "startup_ms": None,
        "cpu_ms": None,
        "bundle": None,
        "version": None,
        "events": 0,
        "markers_drawn": 0,
        # "hit": shown from the validated-bundle cache, "miss": validated (and stored), "off".
        "bundle_cache": "off" if cache is None else "hit" if host.from_cache else "miss",
        "frozen": bool(getattr(sys, "frozen", False)),
        "kiosk": __version__,
        "python": sys.version.split()[0],
        "pyside6": pyside_version,
        "platform": app.platformName(),
    }
    exhibit = host.exhibit
    painted = exhibit.map_view.viewport() if exhibit else host
    paints = 0

    class FirstFrame(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if watched is painted and event.type() == QEvent.Type.Paint:
                # Judged after this paint has been delivered, not inside it.
                QTimer.singleShot(0, painted_once)
            return False

    def painted_once() -> None:
        nonlocal paints
        if report["startup_ms"] is not None:
            return
        paints += 1
        # The first frame is the exhibit as a visitor sees it: a paint with plain paper where
        # the base map is still coming in does not count. (Scaled from another zoom level while
        # its own tiles are rendered counts: after a content change, before any tile is on disk.)
        if exhibit is not None and not exhibit.map_view.tiles.shows_map:
            return
        painted.removeEventFilter(watcher)
        finish()

    def finish() -> None:
        report["startup_ms"] = round(process_age_seconds() * 1000)
        # The processor time it took (all threads): far below startup_ms when the machine was
        # busy with other work, so a slow start on a loaded machine can be told from a slow kiosk.
        report["cpu_ms"] = round(1000 * sum(os.times()[:2]))
        report["paints"] = paints  # of the map up to that frame (1: the first showed it)
        # Every tile at its own zoom level (from the tile cache on disk), none scaled from another.
        report["map_sharp"] = exhibit is not None and exhibit.map_view.tiles.whole
        # Where dates and numbers are formatted from: Babel's CLDR data, or Qt's in its absence
        # (a package that lost Babel would still run, formatting less well).
        report["cldr"] = cldr.data_source()
        if exhibit is not None:
            view = exhibit.map_view
            drawn = [
                item
                for item in view.items(view.viewport().rect())
                if isinstance(item, MarkerItem) and item.isVisible()
            ]
            report.update(
                bundle=exhibit.bundle.manifest.id,
                version=exhibit.bundle.manifest.version,
                events=len(exhibit.bundle.events),
                markers_drawn=len(drawn),
            )
            # Timed; now leave the tile cache as a kiosk's first seconds would: the tiles of the
            # view and of the levels it starts at rendered and on disk for the next start (a
            # start that always ended here would find only the whole-map level, ever).
            exhibit.map_view.tiles.wait(TILES_TIMEOUT_MS)
        app.exit(exit_codes.OK if exhibit is not None else 1)

    watcher = FirstFrame()
    painted.installEventFilter(watcher)
    QTimer.singleShot(TIMEOUT_MS, lambda: app.exit(exit_codes.CRASH))
    host.resize(*SMOKE_SIZE)
    host.show()
    code = app.exec()
    if code == exit_codes.CRASH:
        report["error"] = (
            f"no frame showing the map was painted within {TIMEOUT_MS / 1000:.0f} s"
            f" ({paints} paints)"
        )
    print(json.dumps(report, ensure_ascii=False), flush=True)
    return code
