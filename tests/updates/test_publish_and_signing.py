"""publish and keygen: a valid bundle becomes a zip and a manifest; an invalid one nothing."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.content import validate_bundle
from kiosk.content.problems import Problem, Severity
from kiosk.updates.digest import file_sha256
from kiosk.updates.errors import UpdateError
from kiosk.updates.manifest import UpdateManifest
from kiosk.updates.signing import generate_key_pair, sign_manifest, verify_manifest
from tests.updates.helpers import break_bundle


def test_publish_writes_a_zip_and_its_manifest(
    v1: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["publish", str(v1), "--out", str(out)]) == 0
    manifest = UpdateManifest.parse((out / "manifest.json").read_bytes())
    assert (manifest.version, manifest.file) == ("1.0.0", "gallery-work-1.0.0.zip")
    archive = out / manifest.file
    assert manifest.size == archive.stat().st_size
    assert manifest.sha256 == file_sha256(archive)
    assert manifest.signature is None
    with zipfile.ZipFile(archive) as zf:
        assert "bundle.yaml" in zf.namelist()
    assert "published gallery-work 1.0.0 (not signed)" in capsys.readouterr().out
    first = archive.read_bytes()
    assert main(["publish", str(v1), "--out", str(out)]) == 0
    assert archive.read_bytes() == first  # deterministic


def test_publish_refuses_an_invalid_bundle_with_its_problems(
    v1: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    break_bundle(v1)
    assert main(["publish", str(v1), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "bundle.yaml:" in err and ": error: unknown field 'titel'" in err
    assert "nothing was published" in err
    assert not (tmp_path / "out").exists()


def test_publish_of_a_folder_that_is_no_bundle_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["publish", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "no bundle.yaml" in capsys.readouterr().err


def test_keygen_then_signed_publish_verifies(
    v1: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["keygen", str(tmp_path / "keys" / "gallery")]) == 0
    private, public = tmp_path / "keys" / "gallery.key", tmp_path / "keys" / "gallery.pub"
    assert private.stat().st_mode & 0o077 == 0  # the private key is the owner's only
    assert main(["keygen", str(tmp_path / "keys" / "gallery")]) == 1  # never overwritten
    out = tmp_path / "out"
    assert main(["publish", str(v1), "--out", str(out), "--sign", str(private)]) == 0
    manifest = UpdateManifest.parse((out / "manifest.json").read_bytes())
    assert manifest.signature
    verify_manifest(manifest, public)


def test_a_signature_binds_every_field(tmp_path: Path) -> None:
    generate_key_pair(tmp_path / "k.key", tmp_path / "k.pub")
    generate_key_pair(tmp_path / "other.key", tmp_path / "other.pub")
    expires = "2030-01-01T00:00:00Z"
    manifest = sign_manifest(
        UpdateManifest("b", "1.0", "b-1.0.zip", 10, "a" * 64, format=2, expires=expires),
        tmp_path / "k.key",
    )
    verify_manifest(manifest, tmp_path / "k.pub")
    verify_manifest(manifest, None)  # no key configured: nothing to check against
    signature = manifest.signature
    for forged in (
        UpdateManifest("b", "1.1", "b-1.0.zip", 10, "a" * 64, signature, 2, expires),
        UpdateManifest("b", "1.0", "b-1.0.zip", 10, "b" * 64, signature, 2, expires),
        UpdateManifest("c", "1.0", "b-1.0.zip", 10, "a" * 64, signature, 2, expires),
        UpdateManifest("b", "1.0", "b-1.0.zip", 10, "a" * 64, signature, 2, "2099-01-01T00:00:00Z"),
        UpdateManifest("b", "1.0", "b-1.0.zip", 10, "a" * 64, "not base64!", 2, expires),
    ):
        with pytest.raises(UpdateError) as caught:
            verify_manifest(forged, tmp_path / "k.pub")
        assert caught.value.kind == "bad-signature"
    with pytest.raises(UpdateError, match="does not match"):
        verify_manifest(manifest, tmp_path / "other.pub")
    unsigned = UpdateManifest("b", "1.0", "b-1.0.zip", 10, "a" * 64)
    with pytest.raises(UpdateError) as caught:
        verify_manifest(unsigned, tmp_path / "k.pub")
    assert caught.value.kind == "unsigned"
    # Format 1 (before expiry dates): its signature still verifies, but without an expiry a
    # kiosk with a key refuses it, as it could be served for ever.
    old_format = sign_manifest(
        UpdateManifest("b", "1.0", "b-1.0.zip", 10, "a" * 64), tmp_path / "k.key"
    )
    with pytest.raises(UpdateError) as caught:
        verify_manifest(old_format, tmp_path / "k.pub")
    assert caught.value.kind == "no-expiry"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (b"{", "not JSON"),
        (b"[]", "not a JSON object"),
        (b'{"format": 3}', "format 3"),
        (b'{"format": true}', "format True"),
        (
            b'{"format": 2, "bundle": "b", "version": "1", "file": "x.zip", "size": 1, '
            b'"sha256": "' + b"a" * 64 + b'"}',
            "needs 'expires'",
        ),
        (
            b'{"format": 2, "bundle": "b", "version": "1", "file": "x.zip", "size": 1, '
            b'"sha256": "' + b"a" * 64 + b'", "expires": "2027-02-30T00:00:00Z"}',
            "not a real time",
        ),
        (
            b'{"format": 1, "bundle": "b", "version": "1", "file": "../x.zip", "size": 1, '
            b'"sha256": "' + b"a" * 64 + b'"}',
            "plain file name",
        ),
        (
            b'{"format": 1, "bundle": "b", "version": "1", "file": "x.zip", "size": -1, '
            b'"sha256": "' + b"a" * 64 + b'"}',
            "positive",
        ),
        (
            b'{"format": 1, "bundle": "b", "version": "1", "file": "x.zip", "size": 1, '
            b'"sha256": "xyz"}',
            "hex",
        ),
        (b'{"format": 1, "extra": 1}', "unknown fields: extra"),
    ],
)
def test_bad_manifests_are_named(text: bytes, why: str) -> None:
    with pytest.raises(UpdateError, match=why) as caught:
        UpdateManifest.parse(text)
    assert caught.value.kind == "bad-manifest"


def test_manifest_round_trip() -> None:
    manifest = UpdateManifest("b", "1.0", "b-1.0.zip", 10, "a" * 64, "sig")
    assert UpdateManifest.parse(manifest.to_json()) == manifest
    assert json.loads(manifest.payload()) == {
        "bundle": "b",
        "file": "b-1.0.zip",
        "format": 1,
        "sha256": "a" * 64,
        "size": 10,
        "version": "1.0",
    }


def test_publish_prints_the_warnings_it_ships(
    v1: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    places = v1 / "places.yaml"
    text = places.read_text(encoding="utf-8")
    places.write_text(
        text.replace(
            'name: {en: "Brandenburg Gate", de: "Brandenburger Tor"}', 'name: {en: "Gate"}'
        ),
        encoding="utf-8",
    )
    assert main(["publish", str(v1), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out.splitlines()
    warnings = [line for line in out if ": warning: " in line]
    assert any("'brandenburg-gate.name' has no 'de' translation" in line for line in warnings)
    summary = next(line for line in out if line.startswith("published "))
    assert f"with {len(warnings)} warning" in summary


def test_an_info_line_is_printed_but_not_counted_as_a_warning(
    v1: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Such as a historical plan's fit ("misses its control points by 3.4 m"): news, not a fault.
    info = Problem("bundle.yaml", 50, 5, "the plan's affine fit misses by 3.4 m", Severity.INFO)

    def with_info(folder: Path) -> tuple[object, list[Problem]]:
        bundle, problems = validate_bundle(folder)
        return bundle, [*problems, info]

    monkeypatch.setattr("kiosk.content.validate_bundle", with_info)
    assert main(["publish", str(v1), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert any("info: the plan's affine fit" in line for line in out)
    warnings = [line for line in out if ": warning: " in line]
    summary = next(line for line in out if line.startswith("published "))
    if warnings:
        assert f"with {len(warnings)} warning{'s' * (len(warnings) != 1)} (above)" in summary
    else:
        assert "warning" not in summary


def test_changed_content_under_a_published_version_is_refused(
    v1: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["publish", str(v1), "--out", str(out)]) == 0
    published = (out / "gallery-work-1.0.0.zip").read_bytes()
    manifest = (out / "manifest.json").read_bytes()
    event = v1 / "events" / "brandenburg-gate.yaml"
    event.write_text(
        event.read_text(encoding="utf-8").replace("the Brandenburg Gate", "the Gate", 1),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["publish", str(v1), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "gallery-work 1.0.0 is published already" in err
    assert "events/brandenburg-gate.yaml" in err and "Raise 'version' in bundle.yaml" in err
    assert (out / "gallery-work-1.0.0.zip").read_bytes() == published  # nothing was touched
    assert (out / "manifest.json").read_bytes() == manifest
    # With the version raised, it goes out, and the first version's zip stays as it was.
    bundle_yaml = v1 / "bundle.yaml"
    bundle_yaml.write_text(
        bundle_yaml.read_text(encoding="utf-8").replace('version: "1.0.0"', 'version: "1.0.1"'),
        encoding="utf-8",
    )
    assert main(["publish", str(v1), "--out", str(out)]) == 0
    assert UpdateManifest.parse((out / "manifest.json").read_bytes()).version == "1.0.1"
    assert (out / "gallery-work-1.0.0.zip").read_bytes() == published


def test_a_published_zip_that_cannot_be_read_is_not_overwritten(
    v1: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "gallery-work-1.0.0.zip").write_bytes(b"not a zip")
    assert main(["publish", str(v1), "--out", str(out)]) == 1
    assert "cannot be read" in capsys.readouterr().err
    assert (out / "gallery-work-1.0.0.zip").read_bytes() == b"not a zip"
