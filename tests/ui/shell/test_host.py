"""The bundle host: a refused bundle never replaces the one on screen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk.bench.generate import generate
from kiosk.paths import default_bundle
from kiosk.ui.shell.host import BundleHost
from kiosk.ui.shell.unavailable import UnavailableScreen
from tests.ui.conftest import PARIS


def test_broken_reload_keeps_the_last_good_window(
    qtbot: QtBot, fonts: list[str], tmp_path: Path
) -> None:
    bundle = tmp_path / "petrograd-1917"
    shutil.copytree(default_bundle(), bundle)
    host = BundleHost()
    qtbot.addWidget(host)
    assert host.load(bundle)
    good = host.exhibit
    qtbot.waitUntil(lambda: not host.findChildren(UnavailableScreen))
    assert good is not None

    event = bundle / "events" / "volynsky-mutiny.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("category:", "categroy:"))
    refused: list[list[str]] = []
    host.bundle_refused.connect(lambda _path, problems: refused.append(problems))
    assert not host.load(bundle)
    assert host.exhibit is good
    assert refused and any("did you mean 'category'" in line for line in refused[0])
    assert host.problems == refused[0]

    event.write_text(event.read_text(encoding="utf-8").replace("categroy:", "category:"))
    assert host.load(bundle)
    assert host.exhibit is not good and host.problems == []


# --- loading in the background ----------------------------------------------------------------


@pytest.fixture(scope="module")
def large_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bundle that takes a visible while to validate (hundreds of events)."""
    return generate(600, tmp_path_factory.mktemp("large") / "large-bundle")


def showing(qtbot: QtBot, folder: Path) -> BundleHost:
    host = BundleHost()
    qtbot.addWidget(host)
    assert host.load(folder)
    return host


def test_a_background_load_keeps_the_exhibit_running_until_the_new_one_is_ready(
    qtbot: QtBot, fonts: list[str], large_bundle: Path
) -> None:
    host = showing(qtbot, default_bundle())
    old = host.exhibit
    seen_while_loading: list[object] = []
    ticks = QTimer()
    ticks.setInterval(10)
    # The GUI thread keeps serving its event loop: the timer fires while the worker validates,
    # and the old exhibit is still the one on screen at each tick.
    ticks.timeout.connect(lambda: seen_while_loading.append(host.exhibit) if host.loading else None)
    ticks.start()
    with qtbot.waitSignal(host.bundle_loaded, timeout=60_000) as loaded:
        host.load_in_background(large_bundle)
        assert host.loading and host.exhibit is old  # returned at once
    ticks.stop()
    # At least one tick: how many depends on how often the validating worker lets the GUI thread
    # have the interpreter (three were asked for once, and a loaded CI machine gave two).
    assert len(seen_while_loading) >= 1
    assert all(exhibit is old for exhibit in seen_while_loading)
    assert loaded.args[0].manifest.id == "large-bundle"
    assert host.exhibit is not old and host.content == large_bundle and not host.loading


def test_a_bundle_refused_in_the_background_keeps_the_last_good_one(
    qtbot: QtBot, fonts: list[str], tmp_path: Path
) -> None:
    bundle = tmp_path / "petrograd-1917"
    shutil.copytree(default_bundle(), bundle)
    host = showing(qtbot, bundle)
    good = host.exhibit
    event = bundle / "events" / "volynsky-mutiny.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("category:", "categroy:"))
    with qtbot.waitSignal(host.bundle_refused, timeout=30_000) as refused:
        host.load_in_background(bundle)
    assert host.exhibit is good and host.bundle is not None
    assert any("did you mean 'category'" in line for line in refused.args[1])
    assert host.problems == refused.args[1] and host.attempted == bundle


def test_of_two_loads_in_quick_succession_the_newest_wins(
    qtbot: QtBot, fonts: list[str], tmp_path: Path, large_bundle: Path
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(default_bundle(), broken)
    (broken / "places.yaml").write_text("not: [a, mapping\n", encoding="utf-8")
    host = showing(qtbot, default_bundle())
    loaded: list[str] = []
    refused: list[Path] = []
    host.bundle_loaded.connect(lambda bundle: loaded.append(bundle.manifest.id))
    host.bundle_refused.connect(lambda folder, _problems: refused.append(folder))
    host.load_in_background(broken)  # still being read when the next one is asked for
    host.load_in_background(large_bundle)
    qtbot.waitUntil(lambda: not host.loading, timeout=60_000)
    assert loaded == ["large-bundle"] and refused == []  # the outdated outcome was dropped
    assert host.content == large_bundle

    # A load on the spot supersedes one still running in the background.
    host.load_in_background(broken)
    assert host.load(default_bundle())
    qtbot.waitUntil(lambda: not host.loading, timeout=60_000)
    assert host.bundle is not None and host.bundle.manifest.id == "petrograd-1917"
    assert refused == [] and host.problems == []


def _unavailable_texts(host: BundleHost) -> list[str]:
    (screen,) = [s for s in host.findChildren(UnavailableScreen) if not s.isHidden()]
    return [label.text() for label in screen.findChildren(QLabel)]


def test_a_refused_bundle_is_apologised_for_in_its_own_languages(
    qtbot: QtBot, tmp_path: Path, fonts: list[str]
) -> None:
    broken = tmp_path / "paris-1871"
    shutil.copytree(PARIS, broken)
    (broken / "events" / "elections.yaml").write_text("id: [", encoding="utf-8")
    host = BundleHost()
    qtbot.addWidget(host)
    assert not host.load(broken)
    texts = _unavailable_texts(host)
    assert "Cette exposition est en cours de mise à jour" in texts
    assert "Diese Ausstellung wird gerade aktualisiert" in texts
    assert "Экспозиция обновляется" not in texts  # not a language of this exhibit


def test_with_no_bundle_known_the_screen_speaks_every_language_the_kiosk_has(
    qtbot: QtBot, tmp_path: Path, fonts: list[str]
) -> None:
    host = BundleHost()
    qtbot.addWidget(host)
    assert not host.load(tmp_path / "nothing-here")
    texts = _unavailable_texts(host)
    assert "Esta exposición se está actualizando" in texts
    assert "La mostra è in fase di aggiornamento" in texts


def test_the_installations_languages_win(qtbot: QtBot, tmp_path: Path, fonts: list[str]) -> None:
    host = BundleHost(unavailable_languages=("it",))
    qtbot.addWidget(host)
    assert not host.load(PARIS.parent / "no-such-bundle")
    assert _unavailable_texts(host) == [
        "La mostra è in fase di aggiornamento",
        "Vi preghiamo di tornare tra poco.",
    ]
