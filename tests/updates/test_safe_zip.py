"""Unpacking refuses every path, link and size trick, counting the bytes really written."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from kiosk.updates.errors import UpdateError
from kiosk.updates.safe_zip import ZipLimits, extract_zip, write_zip


def zip_of(path: Path, entries: dict[str, bytes], mode: int = 0o644) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return path


def test_a_plain_zip_unpacks(tmp_path: Path) -> None:
    archive = zip_of(tmp_path / "a.zip", {"bundle.yaml": b"x", "events/a.yaml": b"y"})
    extract_zip(archive, tmp_path / "out")
    assert (tmp_path / "out" / "events" / "a.yaml").read_bytes() == b"y"


@pytest.mark.parametrize(
    "name",
    [
        "../evil.yaml",
        "events/../../evil.yaml",
        "/etc/evil",
        "C:/evil",
        "C:evil",
        "events\\..\\evil",
        "./bundle.yaml",
    ],
)
def test_paths_outside_the_folder_are_refused(tmp_path: Path, name: str) -> None:
    archive = zip_of(tmp_path / "a.zip", {"bundle.yaml": b"x", name: b"evil"})
    with pytest.raises(UpdateError) as caught:
        extract_zip(archive, tmp_path / "out")
    assert caught.value.kind == "unsafe-zip"
    assert not (tmp_path / "evil.yaml").exists()


def test_symlinks_are_refused(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        info = zipfile.ZipInfo("map/link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(UpdateError, match="symlink"):
        extract_zip(archive, tmp_path / "out")


def test_too_many_files_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    archive = zip_of(tmp_path / "a.zip", {f"f{i}.txt": b"x" for i in range(11)})
    with pytest.raises(UpdateError, match="11 entries"):
        extract_zip(archive, tmp_path / "out", ZipLimits(max_files=10))
    assert not (tmp_path / "out").exists()


def test_duplicate_names_are_refused(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("Bundle.yaml", "a")
        zf.writestr("bundle.yaml", "b")
    with pytest.raises(UpdateError, match="twice"):
        extract_zip(archive, tmp_path / "out")


def test_a_bomb_is_cut_off_by_the_bytes_written(tmp_path: Path) -> None:
    archive = zip_of(tmp_path / "a.zip", {"zeros.bin": bytes(4_000_000)})
    assert archive.stat().st_size < 10_000  # 4 MB of zeros compress to a few KB
    with pytest.raises(UpdateError, match="zip bomb"):
        extract_zip(archive, tmp_path / "out", ZipLimits(max_bytes=1_000_000))
    assert (tmp_path / "out" / "zeros.bin").stat().st_size <= 1_000_000


def test_a_bomb_that_lies_about_its_size_is_still_caught(tmp_path: Path) -> None:
    """The central directory claims 10 bytes; zipfile stops there and the CRC check fails, or
    the written bytes exceed the limit: either way nothing big lands on disk."""
    archive = zip_of(tmp_path / "a.zip", {"zeros.bin": bytes(2_000_000)})
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo("zeros.bin")
    # Patch the uncompressed size in the central directory and the local header to 10.
    real = (2_000_000).to_bytes(4, "little")
    data = data.replace(real, (10).to_bytes(4, "little"))
    archive.write_bytes(bytes(data))
    assert info.file_size == 2_000_000
    with pytest.raises(UpdateError):
        extract_zip(archive, tmp_path / "out", ZipLimits(max_bytes=1_000_000))
    written = sum(p.stat().st_size for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert written <= 1_000_000


def test_garbage_is_a_bad_zip(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    archive.write_bytes(b"this is not a zip at all")
    with pytest.raises(UpdateError) as caught:
        extract_zip(archive, tmp_path / "out")
    assert caught.value.kind == "bad-zip"


def test_publishing_zips_are_byte_for_byte_the_same(tmp_path: Path) -> None:
    root = tmp_path / "b"
    (root / "events").mkdir(parents=True)
    (root / "bundle.yaml").write_text("a")
    (root / "events" / "x.yaml").write_text("b")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref")
    write_zip(root, tmp_path / "1.zip")
    (root / "bundle.yaml").touch()  # a newer time changes nothing
    write_zip(root, tmp_path / "2.zip")
    assert (tmp_path / "1.zip").read_bytes() == (tmp_path / "2.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "1.zip") as zf:
        assert zf.namelist() == ["bundle.yaml", "events/x.yaml"]  # hidden files left out


def test_an_entry_nested_thousands_of_folders_deep_is_an_unsafe_zip(tmp_path: Path) -> None:
    """Issue 17, finding 9: 2,000 folders deep was a RecursionError traceback (3 MB of it)."""
    deep = "/".join(["d"] * 2000) + "/x.yaml"
    archive = zip_of(tmp_path / "a.zip", {"bundle.yaml": b"x", deep: b"y"})
    with pytest.raises(UpdateError) as caught:
        extract_zip(archive, tmp_path / "out")
    assert caught.value.kind == "unsafe-zip"
    assert "2001 folders deep" in caught.value.message
    assert len(caught.value.message) < 200


def test_a_very_long_name_is_an_unsafe_zip(tmp_path: Path) -> None:
    archive = zip_of(tmp_path / "a.zip", {"bundle.yaml": b"x", "a" * 5000 + ".yaml": b"y"})
    with pytest.raises(UpdateError) as caught:
        extract_zip(archive, tmp_path / "out")
    assert caught.value.kind == "unsafe-zip"


def test_an_entry_whose_compression_module_is_missing_is_a_bad_zip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As in the package, which leaves bz2 and lzma out: only `publish`'s deflate zips unpack.
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_BZIP2) as zf:
        zf.writestr("bundle.yaml", "format: 1\n")
    monkeypatch.setattr(zipfile, "bz2", None)
    with pytest.raises(UpdateError) as caught:
        extract_zip(archive, tmp_path / "out")
    assert caught.value.kind == "bad-zip"
    assert "bz2" in caught.value.message
