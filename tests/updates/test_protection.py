"""Rollback, freeze and cross-exhibit protection (issue 17, findings 1 and 2, and expiry), against
a real web server on 127.0.0.1: a replayed old bundle, a version after a rollback, another
exhibit signed with the gallery's key, and stale manifests are all refused."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.content import load_bundle
from kiosk.updates.errors import UpdateError
from kiosk.updates.http_source import HttpSource
from kiosk.updates.manifest import UpdateManifest
from kiosk.updates.publish import publish
from kiosk.updates.signing import generate_key_pair
from kiosk.updates.store import Store
from kiosk.updates.updater import Updater, rollback
from tests.updates.helpers import make_bundle, serve


@pytest.fixture
def key(tmp_path: Path) -> tuple[Path, Path]:
    private, public = tmp_path / "gallery.key", tmp_path / "gallery.pub"
    generate_key_pair(private, public)
    return private, public


class Gallery:
    """Signed publications of one exhibit, each kept in its own folder, served from `web`."""

    def __init__(self, root: Path, private: Path, name: str = "gallery") -> None:
        self.root, self.private, self.name = root, private, name
        self.web = root / "web"
        self.web.mkdir(parents=True, exist_ok=True)

    def published(self, version: str, **options: object) -> Path:
        out = self.root / f"out-{self.name}-{version}"
        if not out.exists():
            bundle = make_bundle(self.root / f"bundles-{self.name}-{version}", version, self.name)
            publish(bundle, out, self.private, **options)  # type: ignore[arg-type]
        return out

    def serve_version(self, version: str, **options: object) -> None:
        """Put that publication on the web server (a replay, for a version served before)."""
        for path in self.published(version, **options).iterdir():
            shutil.copyfile(path, self.web / path.name)


def running(store: Store) -> str | None:
    path = store.current_path()
    return load_bundle(path).manifest.version if path else None


def test_a_replayed_older_signed_bundle_is_refused(
    store: Store, tmp_path: Path, key: tuple[Path, Path]
) -> None:
    gallery = Gallery(tmp_path, key[0])
    gallery.serve_version("0.1.0")
    with serve(gallery.web) as (url, _):
        updater = Updater(store, HttpSource(url, key[1]))
        assert updater.poll_once().outcome == "installed"
        gallery.serve_version("0.2.0")
        assert updater.poll_once().outcome == "installed"
        gallery.serve_version("0.1.0")  # the old signed manifest and zip, served again
        attempt = updater.poll_once()
    assert (attempt.outcome, attempt.kind) == ("failed", "not-newer"), attempt
    assert "0.1.0" in attempt.message and "older than 0.2.0" in attempt.message
    assert running(store) == "0.2.0"
    assert store.state().trusted_version == "0.2.0"


def test_the_same_version_with_other_content_is_refused(
    store: Store, tmp_path: Path, key: tuple[Path, Path]
) -> None:
    gallery = Gallery(tmp_path, key[0])
    gallery.serve_version("1.0.0")
    with serve(gallery.web) as (url, _):
        updater = Updater(store, HttpSource(url, key[1]))
        assert updater.poll_once().outcome == "installed"
        changed = make_bundle(tmp_path / "changed", "1.0.0")
        (changed / "extra.txt").write_text("other content\n", encoding="utf-8")
        # Published from another outbox: `publish` refuses other content under a version whose
        # zip is in its own output folder, but cannot know of every other machine's.
        publish(changed, tmp_path / "other-outbox", key[0])
        for path in (tmp_path / "other-outbox").iterdir():
            shutil.copyfile(path, gallery.web / path.name)
        attempt = updater.poll_once()
    assert (attempt.outcome, attempt.kind) == ("failed", "not-newer")
    assert "the same version as the newest installed on this kiosk, with other content" in (
        attempt.message
    )


def test_a_rollback_hold_lasts_until_a_version_newer_than_the_held_one(
    store: Store, tmp_path: Path, key: tuple[Path, Path]
) -> None:
    gallery = Gallery(tmp_path, key[0])
    with serve(gallery.web) as (url, _):
        updater = Updater(store, HttpSource(url, key[1]))
        for version in ("0.1.0", "0.2.0", "0.3.0"):
            gallery.serve_version(version)
            assert updater.poll_once().outcome == "installed"
        rollback(store)
        assert running(store) == "0.2.0"
        held = store.state().held_back
        assert held is not None and held.startswith("0.3.0-")
        assert updater.poll_once().outcome == "held-back"  # 0.3.0 still served
        for older in ("0.1.0", "0.2.1"):  # older than the held one: refused, the hold stays
            gallery.serve_version(older)
            attempt = updater.poll_once()
            assert (attempt.outcome, attempt.kind) == ("failed", "not-newer"), (older, attempt)
            assert running(store) == "0.2.0"
            assert store.state().held_back == held
        gallery.serve_version("0.2.0")  # the current one: nothing to do, the hold stays
        assert updater.poll_once().outcome == "up-to-date"
        assert store.state().held_back == held
        gallery.serve_version("0.4.0")
        assert updater.poll_once().outcome == "installed"
    assert running(store) == "0.4.0"
    assert store.state().held_back is None


def test_versions_compare_by_semantic_version_precedence(
    store: Store, tmp_path: Path, key: tuple[Path, Path]
) -> None:
    gallery = Gallery(tmp_path, key[0])
    with serve(gallery.web) as (url, _):
        updater = Updater(store, HttpSource(url, key[1]))
        for version in ("1.9.0", "1.10.0-rc.1", "1.10.0"):  # text order would say 1.9 > 1.10
            gallery.serve_version(version)
            assert updater.poll_once().outcome == "installed", version
        gallery.serve_version("1.10.0-rc.1")  # a pre-release comes before its release
        assert updater.poll_once().kind == "not-newer"


def test_an_unparsable_version_is_refused_with_the_allowed_formats(
    store: Store, tmp_path: Path, key: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spring = make_bundle(tmp_path / "spring", "1.0")
    assert main(["publish", str(spring), "--out", str(tmp_path / "o"), "--sign", str(key[0])]) == 1
    assert "'1.0', which is not a semantic version: write MAJOR.MINOR.PATCH" in (
        capsys.readouterr().err
    )
    # A manifest made by hand with such a version is refused by the kiosk before any download.
    gallery = Gallery(tmp_path, key[0])
    gallery.serve_version("1.0.0")
    data = json.loads((gallery.web / "manifest.json").read_text(encoding="utf-8"))
    data.pop("signature")
    data["version"] = "v2"
    from kiosk.updates.signing import sign_manifest

    forged = sign_manifest(UpdateManifest(**data), key[0])
    (gallery.web / "manifest.json").write_bytes(forged.to_json())
    with serve(gallery.web) as (url, behaviour):
        attempt = Updater(store, HttpSource(url, key[1])).poll_once()
    assert (attempt.outcome, attempt.kind) == ("failed", "bad-version")
    assert [path for path, _ in behaviour.requests] == ["/manifest.json"]


def test_a_technician_can_install_an_older_version_on_the_kiosk(
    store: Store, tmp_path: Path, key: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    gallery = Gallery(tmp_path, key[0])
    with serve(gallery.web) as (url, _):
        updater = Updater(store, HttpSource(url, key[1]))
        for version in ("1.0.0", "2.0.0"):
            gallery.serve_version(version)
            assert updater.poll_once().outcome == "installed"
        gallery.serve_version("1.5.0")
        assert updater.poll_once().kind == "not-newer"
        command = ["update", "--from", url, "--store", str(store.root), "--public-key", str(key[1])]
        assert main([*command, "--allow-downgrade"]) == 2  # only for one poll: --once
        assert "--allow-downgrade needs --once" in capsys.readouterr().err
        assert main([*command, "--once", "--allow-downgrade"]) == 0
        assert running(store) == "1.5.0"
        # The technician's choice is the new baseline: the poller carries on from there.
        assert store.state().trusted_version == "1.5.0"
        gallery.serve_version("1.6.0")
        assert updater.poll_once().outcome == "installed"


def test_another_exhibit_signed_with_the_gallery_key_is_refused(
    store: Store, tmp_path: Path, key: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    gallery = Gallery(tmp_path, key[0])
    other = Gallery(tmp_path, key[0], name="other")
    gallery.serve_version("1.0.0")
    with serve(gallery.web) as (url, _):
        updater = Updater(store, HttpSource(url, key[1]))
        assert updater.poll_once().outcome == "installed"
        for path in other.published("5.0.0").iterdir():  # same web folder, same key
            shutil.copyfile(path, gallery.web / path.name)
        attempt = updater.poll_once()
        assert (attempt.outcome, attempt.kind) == ("failed", "wrong-bundle"), attempt
        assert "'other-work'" in attempt.message and "'gallery-work'" in attempt.message
        assert load_bundle(store.current_path()).manifest.id == "gallery-work"  # type: ignore[arg-type]
        # Changing the exhibit is a technician's explicit decision, on the kiosk.
        command = ["update", "--from", url, "--store", str(store.root), "--public-key", str(key[1])]
        assert main([*command, "--once", "--switch-bundle", "other-work"]) == 0
        assert load_bundle(store.current_path()).manifest.id == "other-work"  # type: ignore[arg-type]
        assert store.state().trusted_bundle == "other-work"
        capsys.readouterr()
        # From now on the kiosk is pinned to the new exhibit: the old one is refused.
        gallery.serve_version("9.0.0")
        assert updater.poll_once().kind == "wrong-bundle"


def test_the_configured_bundle_id_pins_even_an_empty_store(
    store: Store, tmp_path: Path, key: tuple[Path, Path]
) -> None:
    other = Gallery(tmp_path, key[0], name="other")
    other.serve_version("1.0.0")
    with serve(other.web) as (url, _):
        attempt = Updater(store, HttpSource(url, key[1]), bundle_id="gallery-work").poll_once()
    assert (attempt.outcome, attempt.kind) == ("failed", "wrong-bundle")
    assert store.current is None


def test_a_stale_manifest_is_refused_and_re_signing_renews_it(
    store: Store, tmp_path: Path, key: tuple[Path, Path]
) -> None:
    gallery = Gallery(tmp_path, key[0])
    year_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=366)
    gallery.serve_version("1.0.0", now=year_ago)  # published a year ago, for 365 days
    manifest = UpdateManifest.parse((gallery.web / "manifest.json").read_bytes())
    assert manifest.format == 2 and manifest.expires is not None
    with serve(gallery.web) as (url, _):
        updater = Updater(store, HttpSource(url, key[1]))
        attempt = updater.poll_once()
        assert (attempt.outcome, attempt.kind) == ("failed", "expired"), attempt
        assert store.current is None
        # Re-signing: publish the same bundle again; the zip is the same byte for byte.
        bundle = next((tmp_path / "bundles-gallery-1.0.0").iterdir())
        publish(bundle, gallery.web, key[0], expires_days=30)
        assert updater.poll_once().outcome == "installed"
        publish(bundle, gallery.web, key[0], expires_days=60)  # renewed again: no download
        assert updater.poll_once().outcome == "up-to-date"
        # A kiosk whose clock is past the expiry refuses even the current one's manifest.
        late = Updater(
            store,
            HttpSource(url, key[1]),
            clock=lambda: dt.datetime.now(dt.UTC) + dt.timedelta(days=61),
        )
        assert late.poll_once().kind == "expired"


def test_publish_sets_the_expiry_from_expires_days(v1: Path, tmp_path: Path) -> None:
    now = dt.datetime(2026, 12, 6, 10, 0, 0, tzinfo=dt.UTC)
    manifest = publish(v1, tmp_path / "out", now=now)
    assert manifest.expires == "2027-12-06T10:00:00Z"  # 365 days by default
    assert publish(v1, tmp_path / "out", expires_days=7, now=now).expires == "2026-12-13T10:00:00Z"
    with pytest.raises(UpdateError, match="1 to 3660 days"):
        publish(v1, tmp_path / "out", expires_days=0)
    assert main(["publish", str(v1), "--out", str(tmp_path / "o"), "--expires-days", "30"]) == 0
    written = UpdateManifest.parse((tmp_path / "o" / "manifest.json").read_bytes())
    assert written.expires_at is not None
    left = written.expires_at - dt.datetime.now(dt.UTC)
    assert dt.timedelta(days=29) < left <= dt.timedelta(days=30)
