"""The store: install, rollback, pruning, pointers that only ever name complete bundles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.content import load_bundle
from kiosk.updates.errors import StoreBusy, UpdateError
from kiosk.updates.store import Store, version_folder_name


def stage(store: Store, bundle: Path) -> Path:
    staged = store.new_staging_folder() / "bundle"
    shutil.copytree(bundle, staged)
    return staged


def install(store: Store, bundle: Path, name: str) -> Path:
    with store.locked():
        return store.install(stage(store, bundle), name)


def test_an_empty_store_has_no_current(store: Store) -> None:
    assert store.current is None and store.previous is None and store.current_path() is None


def test_install_makes_it_current_and_the_old_one_previous(
    store: Store, v1: Path, v2: Path
) -> None:
    install(store, v1, "1.0.0-aaa")
    assert store.current == "1.0.0-aaa" and store.previous is None
    path = install(store, v2, "2.0.0-bbb")
    assert (store.current, store.previous) == ("2.0.0-bbb", "1.0.0-aaa")
    assert path == store.current_path()
    assert load_bundle(path).manifest.version == "2.0.0"
    assert (store.root / "current").read_text() == "2.0.0-bbb\n"


def test_rollback_swaps_current_and_previous(store: Store, v1: Path, v2: Path) -> None:
    install(store, v1, "1.0.0-aaa")
    install(store, v2, "2.0.0-bbb")
    with store.locked():
        assert store.rollback() == "1.0.0-aaa"
    assert (store.current, store.previous) == ("1.0.0-aaa", "2.0.0-bbb")


def test_rollback_without_previous_is_refused(store: Store, v1: Path) -> None:
    install(store, v1, "1.0.0-aaa")
    with store.locked(), pytest.raises(UpdateError, match="no previous"):
        store.rollback()
    assert store.current == "1.0.0-aaa"


def test_only_current_previous_and_the_one_on_screen_are_kept(
    store: Store, v1: Path, v2: Path, tmp_path: Path
) -> None:
    install(store, v1, "1-a")
    store.mark_showing("1-a")
    install(store, v2, "2-b")
    install(store, v1, "3-c")
    install(store, v2, "4-d")
    assert sorted(p.name for p in store.versions.iterdir()) == ["1-a", "3-c", "4-d"]
    store.mark_showing(None)
    install(store, v1, "5-e")
    assert sorted(p.name for p in store.versions.iterdir()) == ["4-d", "5-e"]
    assert not list(store.staging.glob("old-*"))  # the pruned folders went through staging


def test_reinstalling_a_kept_version_reuses_its_folder(store: Store, v1: Path, v2: Path) -> None:
    install(store, v1, "1-a")
    install(store, v2, "2-b")
    install(store, v1, "1-a")
    assert (store.current, store.previous) == ("1-a", "2-b")


def test_a_pointer_to_something_missing_or_odd_reads_as_none(store: Store, v1: Path) -> None:
    install(store, v1, "1-a")
    for text in ("gone\n", "../1-a\n", "\n", "/etc\n"):
        (store.root / "current").write_text(text)
        assert store.current is None


def test_leftovers_of_a_crash_are_cleared_when_the_store_is_next_changed(store: Store) -> None:
    store.staging.mkdir(parents=True)
    (store.staging / "incoming-x").mkdir()
    (store.staging / "incoming-x" / "half.zip").write_bytes(b"PK")
    (store.root / ".current.123.tmp").write_text("half")
    with store.locked():
        assert not list(store.staging.iterdir())
    assert not (store.root / ".current.123.tmp").exists()


def test_one_writer_at_a_time(store: Store) -> None:
    with store.locked(), pytest.raises(StoreBusy), Store(store.root).locked():
        pass


def test_folder_names_are_safe_and_tell_contents_apart() -> None:
    assert version_folder_name("1.2.0", "ab" * 32) == "1.2.0-" + "ab" * 6
    assert version_folder_name("../../etc passwd", "cd" * 32) == "etc_passwd-" + "cd" * 6
    assert version_folder_name("2024/05 spring", "ef" * 32).startswith("2024_05_spring-")
