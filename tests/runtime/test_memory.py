"""The C allocator's settings are taken where glibc is, and left alone elsewhere."""

from __future__ import annotations

import linecache
import platform
import sys
from pathlib import Path

import pytest

from kiosk.runtime import memory

glibc = pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="the settings are glibc's",
)


@glibc
def test_the_allocators_limits_are_set_and_free_memory_can_be_given_back() -> None:
    assert memory.tune_allocator(), "glibc accepts every setting"
    assert isinstance(memory.give_back(), bool)  # safe to call at any time


def test_elsewhere_the_settings_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "_looked", True)
    monkeypatch.setattr(memory, "_libc", None)
    assert memory.tune_allocator() is False
    assert memory.give_back() is False


def test_giving_back_forgets_the_source_lines_kept_for_tracebacks(tmp_path: Path) -> None:
    # PySide6's import hook reads every later module's source into linecache (~11 MB).
    source = tmp_path / "some_module.py"
    source.write_text("x = 1\n", encoding="utf-8")
    assert linecache.getline(str(source), 1) == "x = 1\n"
    assert str(source) in linecache.cache
    memory.give_back()
    assert str(source) not in linecache.cache
    assert linecache.getline(str(source), 1) == "x = 1\n", "read again when a traceback needs it"
