"""Regression test for the PySide6 6.12 / Python 3.11 crash (docs/decisions.md).

PySide6 6.12.0 drops a reference to None in common setters; on Python 3.11 that kills the
process with "Fatal Python error: none_dealloc" after a few thousand calls. The calls run in a
child process, so the bug fails this test instead of crashing the whole suite.
"""

from __future__ import annotations

import os
import subprocess
import sys

CALLS = 20_000

_CHILD = f"""
import sys
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsRectItem, QLabel, QWidget

app = QApplication([])
item = QGraphicsRectItem(0, 0, 10, 10)
label = QLabel()
widget = QWidget()
before = sys.getrefcount(None)
for i in range({CALLS}):
    item.setPos(QPointF(i % 100, i % 50))
    item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, i % 2 == 0)
    label.setText(str(i))
    widget.resize(100 + i % 7, 80)
    widget.setObjectName("w" + str(i % 3))
after = sys.getrefcount(None)
print(before - after)
"""


def test_tens_of_thousands_of_setter_calls_keep_none_alive() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", _CHILD], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    lost = int(result.stdout.strip().splitlines()[-1])
    # 5 affected calls per loop: the bug would lose about 100,000 references to None.
    assert lost < 1_000, f"{lost} references to None were lost"
