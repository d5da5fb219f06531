"""The curator's preview: reloads on save, keeps the last good version under a list of problems
while the saved bundle is broken, and drops the list once a save fixes it."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from kiosk.ui.qt.clock import ManualClock
from kiosk.ui.shell.preview import DEBOUNCE_MS, POLL_MS, PreviewWindow
from kiosk.ui.shell.unavailable import UnavailableScreen
from tests.ui.shell.conftest import open_preview

EVENT = "events/brandenburg-gate.yaml"
RELOAD_MS = 3000  # generous for a loaded CI machine; the preview aims at well under a second


def save_atomically(path: Path, text: str) -> None:
    """As many editors save: write a new file beside it, then rename it over the old one."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)  # a rename, as os.replace


def edit(path: Path, old: str, new: str, *, atomic: bool = True) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    if atomic:
        save_atomically(path, text.replace(old, new))
    else:
        path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_valid_bundle_shows_without_an_overlay(preview: PreviewWindow) -> None:
    assert preview.host.bundle is not None
    assert preview.host.bundle.manifest.id == "berlin-1989"
    assert not preview.overlay.isVisible()
    assert "berlin-1989" in preview.windowTitle()


def test_broken_save_keeps_the_last_good_version_and_lists_the_problem(
    qtbot: QtBot, preview: PreviewWindow, folder: Path
) -> None:
    good = preview.host.exhibit
    with qtbot.waitSignal(preview.reloaded, timeout=RELOAD_MS) as reloaded:
        edit(folder / EVENT, "category: crossing", "categroy: crossing")
    assert reloaded.args == [False]
    assert preview.host.exhibit is good  # the visitor's screen did not change
    assert preview.overlay.isVisible()
    listed = preview.overlay.text.toPlainText()
    assert f"{EVENT}:6:1: error: unknown field 'categroy' - did you mean 'category'?" in listed
    assert preview.overlay.heading.text().startswith("The saved bundle has 1 error;")
    assert "last version that worked" in preview.overlay.note.text()
    # The list sits over the window, in its lower part, with the title still in view.
    geometry = preview.overlay.geometry()
    assert preview.rect().contains(geometry)
    assert geometry.top() >= preview.height() // 3


def test_fixing_the_file_removes_the_overlay_and_shows_the_new_text(
    qtbot: QtBot, preview: PreviewWindow, folder: Path
) -> None:
    with qtbot.waitSignal(preview.reloaded, timeout=RELOAD_MS):
        edit(folder / EVENT, "category: crossing", "categroy: crossing")
    assert preview.overlay.isVisible()
    # Fixed, and the title changed as well, saved in place this time (no rename).
    with qtbot.waitSignal(preview.reloaded, timeout=RELOAD_MS) as reloaded:
        text = (folder / EVENT).read_text(encoding="utf-8")
        text = text.replace("categroy:", "category:").replace(
            "On the Wall at the Brandenburg Gate", "Dancing on the Wall"
        )
        (folder / EVENT).write_text(text, encoding="utf-8")
    assert reloaded.args == [True]
    assert not preview.overlay.isVisible()
    assert preview.host.bundle is not None
    assert preview.host.bundle.event("brandenburg-gate").title["en"] == "Dancing on the Wall"


def test_the_watch_survives_atomic_saves(
    qtbot: QtBot, preview: PreviewWindow, folder: Path
) -> None:
    path = folder / EVENT
    for title in ("First title", "Second title", "Third title"):
        current = path.read_text(encoding="utf-8").split("\n  en: ")[1].split("\n")[0]
        with qtbot.waitSignal(preview.reloaded, timeout=RELOAD_MS):
            edit(path, f"  en: {current}\n", f'  en: "{title}"\n')
        assert preview.host.bundle is not None
        assert preview.host.bundle.event("brandenburg-gate").title["en"] == title
        assert str(path) in preview.watcher.watched


def test_a_burst_of_writes_gives_one_reload(qtbot: QtBot, fonts: list[str], folder: Path) -> None:
    clock = ManualClock()
    preview = open_preview(qtbot, folder, clock)
    reloads: list[bool] = []
    preview.reloaded.connect(reloads.append)
    path = folder / EVENT
    text = path.read_text(encoding="utf-8")
    # An editor writing a file in pieces, or a save-all of several files: the watcher reports
    # each write, and they arrive together (no event loop turn between them, as on a busy CI).
    for i in range(5):
        path.write_text(text.replace("Brandenburg Gate", f"Brandenburg Gate {i}"), encoding="utf-8")
    qtbot.waitUntil(lambda: preview.watcher.pending, timeout=RELOAD_MS)
    clock.advance(DEBOUNCE_MS / 1000)
    qtbot.waitUntil(lambda: len(reloads) >= 1, timeout=RELOAD_MS)
    # Whatever the watcher still reports of the burst, past the quiet spell and two polls:
    for _ in range(3):
        QCoreApplication.processEvents()
        clock.advance(POLL_MS / 1000)
    qtbot.waitUntil(lambda: not preview.host.loading, timeout=RELOAD_MS)
    assert reloads == [True]


def test_new_files_are_noticed(qtbot: QtBot, preview: PreviewWindow, folder: Path) -> None:
    new_event = (
        (folder / EVENT)
        .read_text(encoding="utf-8")
        .replace("id: brandenburg-gate", "id: checkpoint-charlie")
    )
    with qtbot.waitSignal(preview.reloaded, timeout=RELOAD_MS):
        save_atomically(folder / "events" / "checkpoint-charlie.yaml", new_event)
    assert preview.host.bundle is not None
    assert len(preview.host.bundle.events) == 4


def test_a_bundle_broken_from_the_start_says_nothing_has_worked_yet(
    qtbot: QtBot, fonts: list[str], folder: Path
) -> None:
    edit(folder / "places.yaml", "lat: 52.5163", "lat: 25.5163")
    window = PreviewWindow(folder)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    assert window.host.bundle is None
    assert window.host.findChildren(UnavailableScreen)
    assert window.overlay.isVisible()
    assert "No version of this bundle has worked yet" in window.overlay.note.text()
    assert "places.yaml:" in window.overlay.text.toPlainText()


def test_editors_swap_and_backup_files_do_not_reload(
    qtbot: QtBot, fonts: list[str], folder: Path
) -> None:
    clock = ManualClock()
    preview = open_preview(qtbot, folder, clock)
    reloads: list[bool] = []
    preview.reloaded.connect(reloads.append)
    (folder / "events" / ".brandenburg-gate.yaml.swp").write_bytes(b"vim was here")
    (folder / "places.yaml~").write_text("a backup", encoding="utf-8")
    qtbot.waitUntil(lambda: preview.watcher.pending, timeout=RELOAD_MS)  # the folders changed
    for _ in range(3):  # past the quiet spell and a poll, each time
        QCoreApplication.processEvents()
        clock.advance(POLL_MS / 1000)
    assert not preview.host.loading
    assert reloads == []


def test_a_same_size_save_within_one_clock_tick_is_still_seen(
    qtbot: QtBot, preview: PreviewWindow, folder: Path
) -> None:
    # As on a FAT-formatted USB stick: the new content has the old size and the old time.
    path = folder / EVENT
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    with qtbot.waitSignal(preview.reloaded, timeout=RELOAD_MS):
        path.write_text(text.replace("On the Wall", "Up the Wall"), encoding="utf-8")
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert preview.host.bundle is not None
    assert preview.host.bundle.event("brandenburg-gate").title["en"].startswith("Up the Wall")
