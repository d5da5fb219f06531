"""The folder source: a bundle is taken only when complete (marker, settle time, or a zip that
matches its manifest), never while a sync tool is still writing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.content import load_bundle
from kiosk.updates.inbox import READY_MARKER, FolderSource
from kiosk.updates.publish import publish
from kiosk.updates.signing import generate_key_pair
from kiosk.updates.store import Store
from kiosk.updates.updater import Updater, rollback
from tests.updates.helpers import break_bundle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def version(store: Store) -> str | None:
    path = store.current_path()
    return load_bundle(path).manifest.version if path else None


def test_a_bundle_folder_is_taken_only_after_the_settle_time(
    v1: Path, store: Store, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(v1, inbox)
    clock = Clock()
    updater = Updater(store, FolderSource(inbox, settle_seconds=30, clock=clock))
    assert updater.poll_once().outcome == "waiting"
    clock.now += 20
    (inbox / "places.yaml").write_text((inbox / "places.yaml").read_text() + "\n")  # still syncing
    assert updater.poll_once().outcome == "waiting"
    clock.now += 29
    assert updater.poll_once().outcome == "waiting"
    clock.now += 2  # 31 s without a change
    assert updater.poll_once().outcome == "installed"
    assert version(store) == "1.0.0"
    assert not (store.current_path() / READY_MARKER).exists()  # type: ignore[operator]


def test_the_marker_file_makes_it_complete_at_once(v1: Path, store: Store, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(v1, inbox)
    updater = Updater(store, FolderSource(inbox, settle_seconds=3600, clock=Clock()))
    assert updater.poll_once().outcome == "waiting"
    (inbox / READY_MARKER).touch()
    assert updater.poll_once().outcome == "installed"
    assert updater.poll_once().outcome == "up-to-date"


@pytest.mark.parametrize(
    "partial", [".places.yaml.a1B2c3", ".syncthing.places.yaml.tmp", "~syncthing~x.tmp", "x.part"]
)
def test_files_of_a_sync_in_progress_mean_not_yet(
    v1: Path, store: Store, tmp_path: Path, partial: str
) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(v1, inbox)
    (inbox / READY_MARKER).touch()
    (inbox / partial).write_text("half")
    attempt = Updater(store, FolderSource(inbox, clock=Clock())).poll_once()
    assert attempt.outcome == "waiting" and partial in attempt.message
    assert store.current is None


def test_an_invalid_bundle_in_the_inbox_changes_nothing(
    v1: Path, v2: Path, store: Store, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(v1, inbox)
    (inbox / READY_MARKER).touch()
    source = FolderSource(inbox, clock=Clock())
    assert Updater(store, source).poll_once().outcome == "installed"
    shutil.rmtree(inbox)
    shutil.copytree(v2, inbox)
    (inbox / READY_MARKER).touch()
    break_bundle(inbox)
    attempt = Updater(store, source).poll_once()
    assert (attempt.outcome, attempt.kind) == ("failed", "invalid-bundle")
    assert version(store) == "1.0.0"


def test_published_output_in_a_sync_folder(
    v1: Path, v2: Path, store: Store, tmp_path: Path
) -> None:
    outbox, inbox = tmp_path / "outbox", tmp_path / "inbox"
    publish(v1, outbox)
    shutil.copytree(outbox, inbox)
    updater = Updater(store, FolderSource(inbox))
    assert updater.poll_once().outcome == "installed"
    publish(v2, outbox)
    # The manifest arrives before its zip (a sync tool's order is its own): waiting, not a fault.
    shutil.copy(outbox / "manifest.json", inbox / "manifest.json")
    zipped = (outbox / "gallery-work-2.0.0.zip").read_bytes()
    (inbox / "gallery-work-2.0.0.zip").write_bytes(zipped[:1000])
    assert updater.poll_once().outcome == "waiting"
    (inbox / "gallery-work-2.0.0.zip").write_bytes(zipped)
    assert updater.poll_once().outcome == "installed"
    assert version(store) == "2.0.0"
    rollback(store)
    assert updater.poll_once().outcome == "held-back"
    assert version(store) == "1.0.0"


def test_a_same_sized_but_different_zip_is_a_wrong_hash(
    v1: Path, store: Store, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    publish(v1, inbox)
    archive = inbox / "gallery-work-1.0.0.zip"
    data = bytearray(archive.read_bytes())
    data[100] ^= 0xFF
    archive.write_bytes(bytes(data))
    attempt = Updater(store, FolderSource(inbox)).poll_once()
    assert (attempt.outcome, attempt.kind) == ("failed", "wrong-hash")


def test_with_a_public_key_only_signed_published_bundles_are_taken(
    v1: Path, store: Store, tmp_path: Path
) -> None:
    generate_key_pair(tmp_path / "k.key", tmp_path / "k.pub")
    tree = tmp_path / "tree"
    shutil.copytree(v1, tree)
    (tree / READY_MARKER).touch()
    attempt = Updater(store, FolderSource(tree, tmp_path / "k.pub")).poll_once()
    assert (attempt.outcome, attempt.kind) == ("failed", "unsigned")
    signed = tmp_path / "signed"
    publish(v1, signed, tmp_path / "k.key")
    assert Updater(store, FolderSource(signed, tmp_path / "k.pub")).poll_once().outcome == (
        "installed"
    )


def test_a_missing_or_empty_folder(store: Store, tmp_path: Path) -> None:
    missing = Updater(store, FolderSource(tmp_path / "nowhere")).poll_once()
    assert (missing.outcome, missing.kind) == ("failed", "source-missing")
    (tmp_path / "empty").mkdir()
    assert Updater(store, FolderSource(tmp_path / "empty")).poll_once().outcome == "waiting"
