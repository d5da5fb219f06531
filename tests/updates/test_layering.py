"""kiosk/updates never imports Qt: the commands run on a technician's machine without a display,
and the updater thread touches no widget."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_update_package_imports_no_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, kiosk.updates as u\n"
        "for m in pkgutil.iter_modules(u.__path__):\n"
        "    importlib.import_module('kiosk.updates.' + m.name)\n"
        "import kiosk.cli\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
