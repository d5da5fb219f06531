"""The screen's pixel density is read without handing Python the QScreen (kiosk/ui/screen_density):
a widget collected as garbage must never take the application's screen with it."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.ui.qt import screen_density
from kiosk.ui.shell.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]

# In a process of its own, as the crash would end the test run. The screen's Python wrapper is
# made first, as in a running kiosk where every widget shares it; then a widget of its own
# (owned by Python) measures the screen, ends up in a reference cycle and is collected.
COLLECT_A_WIDGET = textwrap.dedent(
    """
    import gc
    from PySide6.QtGui import QPixmap
    from PySide6.QtWidgets import QApplication, QWidget
    from kiosk.ui.qt import screen_density

    app = QApplication([])
    gc.disable()
    screen = QApplication.primaryScreen()
    widget = QWidget()
    print(round(MEASURE, 3))
    del screen
    widget.cycle = widget
    del widget
    gc.collect()
    QWidget().show()
    QPixmap(8, 8).fill()
    print(QApplication.primaryScreen().name())
    """
)


def collect_a_widget(measure: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # on the test screen (QT_QPA_PLATFORM from os.environ)
        [sys.executable, "-c", COLLECT_A_WIDGET.replace("MEASURE", measure)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_widget_that_measured_the_screen_is_collected_and_the_screen_stays() -> None:
    result = collect_a_widget("screen_density.px_per_mm(widget)")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == [str(round(100 / 25.4, 3)), "kiosk"]


def test_asking_the_widget_for_its_screen_instead_deletes_the_screen() -> None:
    """Why screen_density exists (PySide6 6.11). If this starts passing, PySide no longer
    deletes the screen, and the module's detour may go."""
    result = collect_a_widget("widget.screen().physicalDotsPerInch() / 25.4")
    assert result.returncode == -signal.SIGSEGV, result.stdout + result.stderr[-2000:]


def test_the_density_is_the_screens(window: MainWindow, qapp: QApplication) -> None:
    dpi = QApplication.primaryScreen().physicalDotsPerInch()  # 100 on the test screen
    assert screen_density.px_per_mm(window.map_view) == dpi / 25.4
    assert window.map_view.px_per_mm() == dpi / 25.4
