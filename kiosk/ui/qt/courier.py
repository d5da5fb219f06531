"""Brings a worker thread's results to the GUI thread, without the worker holding a Qt object.

A job that keeps a reference to a QObject (a relay to emit on, a view to call back) can end up
dropping the last one itself: when the view was closed while the job ran, the object is then
deleted in the worker, not in the thread it belongs to, perhaps while the GUI thread delivers
an event to it, which Qt does not allow (docs/decisions.md, "Workers never hold a Qt object").
So a job carries only an `Address`, a weak reference to the method that takes its result; the one
courier of the process lives on the GUI thread as long as the application and calls that method
there, if its object is still alive. The job's last references are then plain Python objects
and Qt value types (images, colours), which may be freed in any thread.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

Address = weakref.WeakMethod  # the GUI-thread method a job's result goes to


class _Courier(QObject):
    """Lives on the GUI thread, owned by the application; calls addresses there."""

    arrived = Signal(object, object)  # an Address, the arguments for its method

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def _deliver(self, address: Address, args: tuple[Any, ...]) -> None:
        method = address()
        if method is None:  # its object went while the job ran: the result is dropped
            return
        owner = method.__self__
        if isinstance(owner, shiboken6.Shiboken.Object) and not shiboken6.isValid(owner):
            return  # the Python side lives on, but Qt deleted the object
        method(*args)


_courier: _Courier | None = None


def address(method: Callable[..., object]) -> Address:
    """Where a job started now delivers its result: `method`, called on the GUI thread.

    Call on the GUI thread, once the application exists (it makes the courier if need be).
    """
    global _courier
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("the courier needs a running QApplication")
    if _courier is None or not shiboken6.isValid(_courier) or _courier.parent() is not app:
        _courier = _Courier(app)
    return weakref.WeakMethod(method)


def send(to: Address, *args: object) -> None:
    """From any thread: call `to` with `args` on the GUI thread, if its object still lives.

    The courier is read from the module, so the job never holds it either.
    """
    courier = _courier
    if courier is None:
        return
    with contextlib.suppress(RuntimeError):  # the application (and the courier) went at exit
        courier.arrived.emit(to, args)


def reset() -> None:
    """Drop the courier and the results still on their way (tests: nothing of one test's
    background work reaches the next). A new courier is made by the next `address`."""
    global _courier
    courier, _courier = _courier, None
    if courier is not None and shiboken6.isValid(courier):
        shiboken6.delete(courier)
