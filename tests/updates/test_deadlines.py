"""Slow and hostile sources (issue 17, findings 3, 4 and 10), against real servers on 127.0.0.1:
a server that trickles one byte at a time is cut off by the wall-clock deadline, no store lock
is held during the download, the status file keeps being written, a redirect to ftp:// is
refused, and a huge manifest in a sync folder is refused without being read."""

from __future__ import annotations

import json
import os
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from kiosk.runtime.config import InstallationConfig
from kiosk.updates.errors import UpdateError
from kiosk.updates.http_source import HttpSource
from kiosk.updates.inbox import FolderSource
from kiosk.updates.manifest import MAX_MANIFEST_BYTES
from kiosk.updates.publish import publish
from kiosk.updates.service import UpdateService
from kiosk.updates.state import Attempt
from kiosk.updates.store import Store
from kiosk.updates.updater import Updater, rollback
from tests.updates.helpers import make_bundle, self_signed_tls, serve


def timed_poll(updater: Updater) -> tuple[Attempt, float]:
    started = time.monotonic()
    attempt = updater.poll_once()
    return attempt, time.monotonic() - started


def test_a_trickled_manifest_is_cut_off_by_the_deadline(
    v1: Path, store: Store, tmp_path: Path
) -> None:
    web = tmp_path / "web"
    publish(v1, web)
    with serve(web) as (url, behaviour):
        behaviour.trickle["manifest.json"] = 0.2  # a byte every 0.2 s: never 5 s of silence
        updater = Updater(store, HttpSource(url, timeout=5, request_seconds=1))
        attempt, seconds = timed_poll(updater)
    assert (attempt.outcome, attempt.kind) == ("failed", "timeout"), attempt
    assert "deadline of 1 s" in attempt.message
    assert seconds < 3, seconds


def test_a_trickled_download_is_cut_off_and_holds_no_lock(
    v1: Path, v2: Path, store: Store, tmp_path: Path
) -> None:
    web = tmp_path / "web"
    with serve(web) as (url, behaviour):
        updater = Updater(store, HttpSource(url, timeout=5, download_seconds=2))
        publish(v1, web)
        assert updater.poll_once().outcome == "installed"
        publish(v2, web)
        assert updater.poll_once().outcome == "installed"
        v3 = make_bundle(tmp_path / "v3", "3.0.0")
        publish(v3, web)
        zip_name = "gallery-work-3.0.0.zip"
        behaviour.trickle[zip_name] = 0.2
        result: list[tuple[Attempt, float]] = []
        poller = threading.Thread(target=lambda: result.append(timed_poll(updater)))
        poller.start()
        began = behaviour.started.setdefault(zip_name, threading.Event())
        assert began.wait(5)
        # While the download trickles, a technician's rollback goes through at once.
        before = time.monotonic()
        rolled = rollback(store)
        assert rolled.outcome == "rolled-back" and time.monotonic() - before < 1
        poller.join(10)
    attempt, seconds = result[0]
    assert (attempt.outcome, attempt.kind) == ("failed", "timeout"), attempt
    assert seconds < 5, seconds
    assert not any((store.root / "downloads").iterdir())  # the download folder went
    assert store.current is not None and store.current.startswith("1.0.0-")


def test_the_status_file_is_written_while_a_poll_hangs(
    v1: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web = tmp_path / "web"
    publish(v1, web)
    with serve(web) as (url, behaviour):
        behaviour.trickle["manifest.json"] = 0.2
        config = InstallationConfig(
            update_source=url,
            update_store=tmp_path / "store",
            status_file=tmp_path / "status.json",
            update_request_seconds=4,
        )
        service = UpdateService(config, lambda _: None, first_poll_seconds=0, status_seconds=0.1)
        service.start()
        try:
            assert behaviour.started.setdefault("manifest.json", threading.Event()).wait(5)
            seen: set[str] = set()
            deadline = time.monotonic() + 2
            while time.monotonic() < deadline:  # the poll is blocked all this time
                if config.status_file and config.status_file.is_file():
                    status: dict[str, Any] = json.loads(config.status_file.read_text("utf-8"))
                    seen.add(status["written_at"])
                time.sleep(0.1)
            assert len(seen) >= 2, seen  # the written_at moved on (one-second resolution)
            assert status["last_update"] is None  # the poll had not finished
        finally:
            service.stop()


def test_a_redirect_to_ftp_is_refused(v1: Path, store: Store, tmp_path: Path) -> None:
    web = tmp_path / "web"
    publish(v1, web)
    with serve(web) as (url, behaviour):
        behaviour.redirect["manifest.json"] = "ftp://127.0.0.1:9/manifest.json"
        attempt = Updater(store, HttpSource(url, timeout=2)).poll_once()
    assert (attempt.outcome, attempt.kind) == ("failed", "bad-redirect"), attempt
    assert "only http:// and https:// redirects are followed" in attempt.message


def test_an_http_redirect_is_still_followed(v1: Path, store: Store, tmp_path: Path) -> None:
    web = tmp_path / "web"
    publish(v1, web)
    (web / "moved").mkdir()
    (web / "manifest.json").rename(web / "moved" / "manifest.json")
    (web / "gallery-work-1.0.0.zip").rename(web / "moved" / "gallery-work-1.0.0.zip")
    with serve(web) as (url, behaviour):
        behaviour.redirect["manifest.json"] = url + "moved/manifest.json"
        attempt = Updater(store, HttpSource(url, timeout=2)).poll_once()
    assert attempt.outcome == "installed", attempt


def test_a_huge_manifest_in_a_sync_folder_is_refused_unread(store: Store, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with (inbox / "manifest.json").open("wb") as stream:
        stream.truncate(200 * 1024 * 1024)  # sparse: 200 MB that take no disk space
    tracemalloc.start()
    try:
        attempt = Updater(store, FolderSource(inbox)).poll_once()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (attempt.outcome, attempt.kind) == ("failed", "bad-manifest"), attempt
    assert f"larger than {MAX_MANIFEST_BYTES} bytes" in attempt.message
    assert peak < 8 * 1024 * 1024, peak


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs /dev/zero")
def test_a_manifest_linked_to_dev_zero_is_not_read(store: Store, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "manifest.json").symlink_to("/dev/zero")
    attempt = Updater(store, FolderSource(inbox)).poll_once()
    assert (attempt.outcome, attempt.kind) == ("waiting", None), attempt
    with pytest.raises(UpdateError, match="not a plain file"):
        FolderSource(inbox)._check_published()


def test_https_installs_checks_the_certificate_and_keeps_the_deadline(
    v1: Path, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web = tmp_path / "web"
    publish(v1, web)
    tls, certificate = self_signed_tls(tmp_path / "tls")
    with serve(web, tls) as (url, behaviour):
        assert url.startswith("https://")
        untrusted = Updater(Store(tmp_path / "other-store"), HttpSource(url, timeout=5))
        refused = untrusted.poll_once()
        assert refused.kind == "server-down" and "CERTIFICATE_VERIFY_FAILED" in refused.message
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
        assert Updater(store, HttpSource(url, timeout=5)).poll_once().outcome == "installed"
        behaviour.trickle["manifest.json"] = 0.2  # the deadline cuts a TLS connection too
        behaviour.etag = False
        attempt, seconds = timed_poll(Updater(store, HttpSource(url, request_seconds=1)))
    assert (attempt.outcome, attempt.kind) == ("failed", "timeout"), attempt
    assert seconds < 3, seconds
