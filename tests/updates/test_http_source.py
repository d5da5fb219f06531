"""The web source against a real http.server on 127.0.0.1: installs, 304s, and every fault
leaves the running bundle untouched and is recorded."""

from __future__ import annotations

import errno
import logging
import shutil
from pathlib import Path

import pytest

from kiosk.content import load_bundle
from kiosk.updates import offer
from kiosk.updates.http_source import HttpSource
from kiosk.updates.manifest import UpdateManifest
from kiosk.updates.publish import publish
from kiosk.updates.signing import generate_key_pair
from kiosk.updates.store import Store
from kiosk.updates.updater import Updater, rollback
from tests.updates.helpers import break_bundle, free_port_url, make_bundle, serve


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    private, public = tmp_path / "k.key", tmp_path / "k.pub"
    generate_key_pair(private, public)
    return private, public


def running_version(store: Store) -> str | None:
    path = store.current_path()
    return load_bundle(path).manifest.version if path else None


def test_a_new_version_is_installed_then_a_304_costs_nothing(
    v1: Path, v2: Path, store: Store, tmp_path: Path
) -> None:
    web = tmp_path / "web"
    publish(v1, web)
    with serve(web) as (url, behaviour):
        updater = Updater(store, HttpSource(url))
        assert updater.poll_once().outcome == "installed"
        assert running_version(store) == "1.0.0"
        again = updater.poll_once()
        assert again.outcome == "up-to-date" and "304" in again.message
        assert behaviour.requests[-1][1].get("If-None-Match")
        assert [path for path, _ in behaviour.requests] == [
            "/manifest.json",
            "/gallery-work-1.0.0.zip",
            "/manifest.json",
        ]
        publish(v2, web)
        assert updater.poll_once().outcome == "installed"
    assert (running_version(store), store.previous) == ("2.0.0", store.previous)
    assert store.state().last_attempt.version == "2.0.0"  # type: ignore[union-attr]


def test_without_etags_the_same_version_is_up_to_date_without_a_download(
    v1: Path, store: Store, tmp_path: Path
) -> None:
    web = tmp_path / "web"
    publish(v1, web)
    with serve(web) as (url, behaviour):
        behaviour.etag = False
        updater = Updater(store, HttpSource(url + "manifest.json"))
        assert updater.poll_once().outcome == "installed"
        assert updater.poll_once().outcome == "up-to-date"
        assert [p for p, _ in behaviour.requests].count("/gallery-work-1.0.0.zip") == 1


def installed_then(v1: Path, v2: Path, store: Store, web: Path, url: str) -> Updater:
    """1.0.0 installed from the server, then 2.0.0 published: the next poll is the test."""
    publish(v1, web)
    updater = Updater(store, HttpSource(url, timeout=0.5))
    assert updater.poll_once().outcome == "installed"
    publish(v2, web)
    return updater


def assert_untouched(store: Store, attempt_kind: str, updater: Updater) -> None:
    attempt = updater.poll_once()
    assert (attempt.outcome, attempt.kind) == ("failed", attempt_kind), attempt
    assert running_version(store) == "1.0.0"
    assert not list(store.staging.iterdir())
    state = store.state()
    assert state.last_attempt is not None and state.last_attempt.kind == attempt_kind
    assert state.history[-1].kind == attempt_kind


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        ({"status": {"manifest.json": 404}}, "http-404"),
        ({"status": {"manifest.json": 500}}, "http-500"),
        ({"status": {"gallery-work-2.0.0.zip": 404}}, "http-404"),
        ({"truncate": {"gallery-work-2.0.0.zip": 1000}}, "truncated"),
        ({"delay": 1.5}, "timeout"),
    ],
)
def test_server_faults(
    v1: Path, v2: Path, store: Store, tmp_path: Path, fault: dict[str, object], kind: str
) -> None:
    web = tmp_path / "web"
    with serve(web) as (url, behaviour):
        updater = installed_then(v1, v2, store, web, url)
        for key, value in fault.items():
            setattr(behaviour, key, value)
        assert_untouched(store, kind, updater)
        # Once the server is well again, the update goes through: nothing was remembered wrongly.
        behaviour.status, behaviour.truncate, behaviour.delay = {}, {}, 0.0
        assert updater.poll_once().outcome == "installed"
        assert running_version(store) == "2.0.0"


def test_a_server_that_is_down(v1: Path, store: Store, tmp_path: Path) -> None:
    web = tmp_path / "web"
    publish(v1, web)
    updater = Updater(store, HttpSource(free_port_url(), timeout=2))
    attempt = updater.poll_once()
    assert (attempt.outcome, attempt.kind) == ("failed", "server-down")
    assert store.current is None


def rewrite_manifest(web: Path, **changes: object) -> None:
    manifest = UpdateManifest.parse((web / "manifest.json").read_bytes())
    data = {**manifest.__dict__, **changes}
    (web / "manifest.json").write_bytes(UpdateManifest(**data).to_json())


def test_a_wrong_hash_is_refused(v1: Path, v2: Path, store: Store, tmp_path: Path) -> None:
    web = tmp_path / "web"
    with serve(web) as (url, _):
        updater = installed_then(v1, v2, store, web, url)
        rewrite_manifest(web, sha256="0" * 64)
        assert_untouched(store, "wrong-hash", updater)


def test_a_zip_larger_than_announced_is_refused(
    v1: Path, v2: Path, store: Store, tmp_path: Path
) -> None:
    web = tmp_path / "web"
    with serve(web) as (url, _):
        updater = installed_then(v1, v2, store, web, url)
        manifest = UpdateManifest.parse((web / "manifest.json").read_bytes())
        rewrite_manifest(web, size=manifest.size - 10)
        assert_untouched(store, "wrong-size", updater)


def test_an_invalid_bundle_is_refused_with_its_problems(
    v1: Path, v2: Path, store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    web = tmp_path / "web"
    with serve(web) as (url, _):
        updater = installed_then(v1, v2, store, web, url)
        # A broken bundle published by hand (publish itself would refuse it).
        broken = make_bundle(tmp_path / "broken", "3.0.0")
        good = web / "manifest.json"
        break_bundle(broken)
        from kiosk.updates.digest import file_sha256
        from kiosk.updates.safe_zip import write_zip

        write_zip(broken, web / "gallery-work-3.0.0.zip")
        zipped = web / "gallery-work-3.0.0.zip"
        good.write_bytes(
            UpdateManifest(
                "gallery-work", "3.0.0", zipped.name, zipped.stat().st_size, file_sha256(zipped)
            ).to_json()
        )
        with caplog.at_level(logging.ERROR, logger="kiosk.updates"):
            assert_untouched(store, "invalid-bundle", updater)
        assert "unknown field 'titel'" in caplog.text
        assert "bundle.yaml:" in store.state().history[-1].message


def test_signatures_good_bad_and_missing(
    v1: Path, v2: Path, store: Store, tmp_path: Path, keys: tuple[Path, Path]
) -> None:
    private, public = keys
    web = tmp_path / "web"
    publish(v1, web, private)
    with serve(web) as (url, _):
        updater = Updater(store, HttpSource(url, public))
        assert updater.poll_once().outcome == "installed"  # good
        publish(v2, web)  # unsigned
        assert_untouched(store, "unsigned", updater)
        other = tmp_path / "other"
        generate_key_pair(other.with_suffix(".key"), other.with_suffix(".pub"))
        publish(v2, web, other.with_suffix(".key"))  # signed by someone else
        assert_untouched(store, "bad-signature", updater)
        publish(v2, web, private)
        assert updater.poll_once().outcome == "installed"


def test_a_full_disk_is_refused_before_the_download(
    v1: Path, v2: Path, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web = tmp_path / "web"
    with serve(web) as (url, _):
        updater = installed_then(v1, v2, store, web, url)
        real = shutil.disk_usage

        def nearly_full(path: object) -> object:
            usage = real(path)  # type: ignore[arg-type]
            return usage._replace(free=1024)

        monkeypatch.setattr(offer.shutil, "disk_usage", nearly_full)
        assert_untouched(store, "disk-full", updater)


def test_no_space_left_while_writing(
    v1: Path, v2: Path, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web = tmp_path / "web"
    with serve(web) as (url, _):
        updater = installed_then(v1, v2, store, web, url)
        from kiosk.updates import safe_zip

        real_open = Path.open

        class FullDisk:
            def __init__(self, stream: object) -> None:
                self.stream = stream

            def __enter__(self) -> FullDisk:
                return self

            def __exit__(self, *args: object) -> None:
                self.stream.close()  # type: ignore[attr-defined]

            def write(self, data: bytes) -> int:
                raise OSError(errno.ENOSPC, "No space left on device")

        def opening(self: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
            stream = real_open(self, mode, *args, **kwargs)  # type: ignore[call-overload]
            return FullDisk(stream) if mode == "xb" else stream

        monkeypatch.setattr(safe_zip.Path, "open", opening)
        assert_untouched(store, "disk-full", updater)


def test_after_a_rollback_the_same_version_is_held_back_until_another_is_published(
    v1: Path, v2: Path, store: Store, tmp_path: Path
) -> None:
    web = tmp_path / "web"
    with serve(web) as (url, _):
        updater = installed_then(v1, v2, store, web, url)
        assert updater.poll_once().outcome == "installed"
        rollback(store)
        assert running_version(store) == "1.0.0"
        for _ in range(2):
            held = updater.poll_once()
            assert held.outcome in ("held-back", "up-to-date"), held
            assert running_version(store) == "1.0.0"
        assert store.state().held_back is not None
        v3 = make_bundle(tmp_path / "v3", "3.0.0")
        publish(v3, web)
        assert updater.poll_once().outcome == "installed"
        assert running_version(store) == "3.0.0"
        assert store.state().held_back is None


def test_the_hold_applies_without_etags_too(
    v1: Path, v2: Path, store: Store, tmp_path: Path
) -> None:
    web = tmp_path / "web"
    with serve(web) as (url, behaviour):
        behaviour.etag = False
        updater = installed_then(v1, v2, store, web, url)
        assert updater.poll_once().outcome == "installed"
        rollback(store)
        assert updater.poll_once().outcome == "held-back"
        assert running_version(store) == "1.0.0"


def test_python_s_own_static_server_with_last_modified(
    v1: Path, store: Store, tmp_path: Path
) -> None:
    """http.server's SimpleHTTPRequestHandler, a plain static server: no ETag, Last-Modified
    only; the second poll is a 304 thanks to If-Modified-Since."""
    import functools
    import http.server
    import threading

    web = tmp_path / "web"
    publish(v1, web)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(web))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        updater = Updater(store, HttpSource(url))
        assert updater.poll_once().outcome == "installed"
        validators = store.state().http_validators
        assert "last_modified" in next(iter(validators.values()))
        again = updater.poll_once()
        assert again.outcome == "up-to-date" and "304" in again.message
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
