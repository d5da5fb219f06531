"""The C allocator's settings are taken where glibc is, and left alone elsewhere."""

from __future__ import annotations

import platform
import sys

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
