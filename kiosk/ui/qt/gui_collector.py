"""Python's cyclic garbage collector, run on the GUI thread only.

Left to itself the collector runs in whichever thread happens to allocate when a threshold is
crossed: the map tiles' worker, the bundle loader, the analytics writer. A collection there
finalises whatever garbage it finds, and garbage holding Qt objects (a closed panel's widgets
and timers, a replaced window) then deletes them from the wrong thread; a timer deleted that way
stays registered with the GUI thread's event dispatcher, which later delivers its timeout to
freed memory and the process dies with a segmentation fault. So once Qt and Python threads share
a process, automatic collection is turned off and a timer on the GUI thread makes the same
decisions the interpreter would and collects there:
- the generational collector (CPython 3.11 to 3.13): generation thresholds; a full collection
  only when the objects promoted since the last one are a quarter of those that survived it;
- the incremental collector (CPython 3.14: two generations, `gc.get_threshold()[2]` always 0):
  past the young generation's threshold, the young generation and an increment of the old one
  (`gc.collect(1)`), which is all the interpreter does by itself; it never needs a full pass.
The timer also collects the young generation once a second whatever the count says: freeing
objects lowers the count (to 0 if enough are freed), so garbage made between two ticks and
followed by a burst of frees (a closed panel's widgets, a worker's results dropped) would
otherwise wait for the next burst of allocations, which an idle kiosk may not make for hours.
"""

from __future__ import annotations

import gc
import logging
import sys
import threading

from PySide6.QtCore import QCoreApplication, QObject, QTimer

log = logging.getLogger(__name__)

INTERVAL_MS = 100  # a generation-0 collection here takes ~0.2 ms; ten a second is plenty
YOUNG_EVERY = 10  # ticks: the young generation collected at least once a second (~0.1 ms)
FULL_RATIO = 4  # CPython: a full pass once long-lived pending > long-lived total / 4
# CPython 3.14's incremental collector: young and old generations, the third threshold always 0.
INCREMENTAL = sys.version_info >= (3, 14) and gc.get_threshold()[2] == 0

_installed: GuiCollector | None = None
_was_enabled = True  # whether automatic collection was on before the first install


class GuiCollector(QObject):
    """Collects garbage on a timer of the GUI thread, as often as the collector itself would."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._long_lived_total = 0  # as CPython starts: the first full pass comes early
        self._long_lived_pending = 0
        self._ticks = 0
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        self._ticks += 1
        if self.collect_due() is None and self._ticks % YOUNG_EVERY == 0:
            gc.collect(0)

    def collect_due(self) -> int | None:
        """Collect the generation the interpreter would collect now, if any; its number."""
        if threading.current_thread() is not threading.main_thread():
            return None  # only ever on the GUI thread (this is its whole point)
        if gc.isenabled():  # turned back on by code that paused it while we turned it off
            gc.disable()
        counts = gc.get_count()
        if counts[0] <= self._thresholds[0]:
            return None
        if INCREMENTAL:
            gc.collect(1)  # the young generation and an increment of the old
            return 1
        for generation in (2, 1, 0):
            if counts[generation] <= self._thresholds[generation]:
                continue
            if generation == 2 and self._long_lived_pending * FULL_RATIO < self._long_lived_total:
                continue
            self._collect(generation)
            return generation
        return None

    def _collect(self, generation: int) -> None:
        young = 0
        if generation == 1:  # survivors of a generation-1 pass move to the oldest
            young = len(gc.get_objects(generation=0)) + len(gc.get_objects(generation=1))
        found = gc.collect(generation)
        if generation == 2:
            self._long_lived_total = len(gc.get_objects(generation=2))
            self._long_lived_pending = 0
        elif generation == 1:
            self._long_lived_pending += max(0, young - found)


def collect_on_gui_thread() -> GuiCollector | None:
    """Turn automatic collection off and collect on the GUI thread from now on.

    Idempotent; called once the QApplication exists (by the kiosk at start, and by whatever
    starts a Python thread beside Qt objects, so scripts and tests get it too). Must be called
    on the GUI thread. None without an application.
    """
    global _installed, _was_enabled
    app = QCoreApplication.instance()
    if app is None:
        return None
    if _installed is not None:
        try:
            if _installed.parent() is app:
                return _installed
        except RuntimeError:  # its application was deleted
            pass
    else:
        _was_enabled = gc.isenabled()
    gc.disable()
    _installed = GuiCollector(app)
    log.debug("garbage collection moved to the GUI thread")
    return _installed


def uninstall() -> None:
    """Stop collecting on the GUI thread and give collection back to the interpreter as it was
    (tests, once no thread but the GUI thread runs Python). Call on the GUI thread."""
    global _installed
    collector, _installed = _installed, None
    if collector is None:
        return
    try:
        collector.deleteLater()
        collector._timer.stop()
    except RuntimeError:  # its application was deleted, and the collector with it
        pass
    if _was_enabled:
        gc.enable()


def installed() -> GuiCollector | None:
    """The collector in use, if one has been installed."""
    return _installed
