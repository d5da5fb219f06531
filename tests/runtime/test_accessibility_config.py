"""The config's `accessibility:` block: the keypad's key map, checked and merged over defaults."""

from __future__ import annotations

from pathlib import Path

from kiosk.runtime.accessibility import DEFAULT_KEYS, AccessibilitySettings
from kiosk.runtime.config import parse_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_default_key_map_is_the_smithsonian_layout() -> None:
    keys = AccessibilitySettings().key_map()
    assert keys["Left"] == "previous" and keys["Right"] == "next"
    assert keys["Return"] == "select" and keys["Backspace"] == "back"
    assert keys["F1"] == "help" and keys["VolumeUp"] == "volume_up"
    assert set(keys.values()) == set(DEFAULT_KEYS)


def test_an_installation_replaces_only_the_actions_it_names(tmp_path: Path) -> None:
    loaded = parse_config(
        write(tmp_path, "accessibility:\n  keys:\n    help: [H]\n    back: [Left]\n")
    )
    assert loaded.problems == []
    keys = loaded.config.accessibility.key_map()
    assert keys["H"] == "help" and "F1" not in keys
    assert keys["Left"] == "back"  # taken from "previous", whose other keys stay
    assert keys["Right"] == "next"


def test_a_misspelt_key_is_pointed_at_with_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, "accessibility:\n  keys:\n    select: [Space, Retrun]\n  volume: 0.5\n")
    loaded = parse_config(path)
    assert [str(p) for p in loaded.problems] == [
        f"{path}:3:21: error: 'Retrun' is not a key name such as Left, Return or F1"
        " - did you mean 'Return'?"
    ]
    # The block is back at its defaults, and the kiosk runs.
    assert loaded.config.accessibility == AccessibilitySettings()


def test_a_key_bound_to_two_actions_and_a_loud_volume_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "accessibility:\n  keys:\n    next: [N]\n    help: [N]\n  volume: 1.5\n")
    messages = [p.message for p in parse_config(path).problems]
    assert any("'N' is bound to both 'next' and 'help'" in m for m in messages), messages
    assert any("at most 1" in m for m in messages), messages
