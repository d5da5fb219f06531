"""The curators' commands refuse bad arguments with a plain message, before any window opens."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import main


def test_preview_of_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'nowhere'} is not a folder\n"


def test_preview_with_a_bad_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", str(tmp_path), "--size", "big"]) == 2
    assert "--size must look like 1600x900" in capsys.readouterr().err


def test_new_into_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "exhibit"
    target.write_text("not a folder", encoding="utf-8")
    assert main(["new", str(target)]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
