"""The start-up floor: a bare PySide6 window, timed exactly as `kiosk --smoke-test` times itself.

Run as a script (`python kiosk/bench/bare_window.py`), not as part of the kiosk package, so it
imports nothing but PySide6: process creation to the first Paint event of a 1920x1080 window
having been delivered, counted from the OS's record of when the process started. It prints one
JSON line with `startup_ms`, like the smoke test.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

_IMPORTED = time.monotonic()


def process_age_seconds() -> float:
    """Seconds since this process was created; the same reading as kiosk.runtime.health's."""
    if sys.platform.startswith("linux"):
        stat = Path("/proc/self/stat").read_text()
        start_ticks = int(stat.rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    return time.monotonic() - _IMPORTED  # pragma: no cover - elsewhere only from the import


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    window = QWidget()
    report: dict[str, object] = {"startup_ms": None}

    def finish() -> None:
        report["startup_ms"] = round(process_age_seconds() * 1000)
        app.exit(0)

    class FirstFrame(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if watched is window and event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, finish)  # after this paint has been delivered
                window.removeEventFilter(self)
            return False

    watcher = FirstFrame()
    window.installEventFilter(watcher)
    QTimer.singleShot(20_000, lambda: app.exit(1))
    window.resize(1920, 1080)
    window.show()
    code = app.exec()
    print(json.dumps(report), flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
