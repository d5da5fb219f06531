"""Refuse the Python / PySide6 combinations known to crash, before any Qt object is made.

PySide6 6.12.0 on Python 3.11 drops a reference to None in common setters (setPos, setText,
resize, ...); after a few thousand calls the interpreter dies with "none_dealloc" (see
docs/decisions.md). Python 3.12 made None immortal, so only older Pythons are affected. We pin a
safe PySide6, and this check turns an accidental upgrade into a clear message instead of a crash
hours into an exhibit day.
"""

from __future__ import annotations

import sys


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def unsafe_combination(python: tuple[int, int], pyside: str) -> bool:
    """True where PySide6 `pyside` on Python `python` has the None refcount bug."""
    return python < (3, 12) and _version_tuple(pyside)[:2] == (6, 12)


def check_qt_runtime() -> str | None:
    """A message explaining why this runtime is unsafe, or None if it is fine."""
    import PySide6

    if unsafe_combination(sys.version_info[:2], PySide6.__version__):
        return (
            f"PySide6 {PySide6.__version__} crashes on Python "
            f"{sys.version_info[0]}.{sys.version_info[1]} (a reference-count bug). "
            "Install the pinned PySide6 (make run does) or use Python 3.12 or newer."
        )
    return None
