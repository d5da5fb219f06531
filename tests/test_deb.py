"""`make deb`: the Debian package's control files, maintainer scripts, unit and layout, built by
scripts/build_deb.py from a tiny stand-in for the one-folder build (the real one takes minutes),
then read back with dpkg-deb."""

from __future__ import annotations

import importlib.util
import io
import shutil
import subprocess
import tarfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(
    shutil.which("dpkg-deb") is None, reason="dpkg-deb is missing (apt-get install dpkg-dev)"
)


def builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_deb", ROOT / "scripts" / "build_deb.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_dist(folder: Path) -> Path:
    """What `make package` leaves, in miniature: the program, its console link, _internal/."""
    (folder / "_internal" / "PySide6").mkdir(parents=True)
    program = folder / "kiosk"
    program.write_text("#!/bin/sh\necho kiosk\n", encoding="utf-8")
    program.chmod(0o700)  # whatever the build's umask was, the package says 0755
    (folder / "kiosk-debug").symlink_to("kiosk")
    (folder / "_internal" / "base_library.zip").write_bytes(b"x" * 5000)
    (folder / "_internal" / "PySide6" / "libQt6Core.so.6").write_bytes(b"y" * 3000)
    return folder


def dpkg_deb(*args: str | Path) -> str:
    done = subprocess.run(
        ["dpkg-deb", *map(str, args)], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("deb")
    return builder().build_deb(
        fake_dist(work / "kiosk"), work / "out", "0.1.0", "amd64", compression="gzip"
    )


def test_the_package_is_named_and_described_for_apt(deb: Path) -> None:
    assert deb.name == "museum-kiosk_0.1.0-1_amd64.deb"
    fields = dict(
        line.split(": ", 1)
        for line in dpkg_deb("--field", deb).splitlines()
        if ": " in line and not line.startswith(" ")
    )
    assert fields["Package"] == "museum-kiosk"
    assert fields["Version"] == "0.1.0-1"
    assert fields["Architecture"] == "amd64"
    depends = fields["Depends"].split(", ")
    assert {"adduser", "libxcb-cursor0", "libgl1", "libegl1"} <= set(depends)
    assert fields["Recommends"] == "cage"
    assert int(fields["Installed-Size"]) >= 8  # KiB
    info = dpkg_deb("--info", deb)
    for script in ("postinst", "prerm", "postrm", "conffiles"):
        assert script in info


def test_the_files_are_where_the_unit_expects_them(deb: Path) -> None:
    listing = {}
    for line in dpkg_deb("--contents", deb).splitlines():
        mode, owner, *_, path = line.split(maxsplit=5)
        listing[path.split(" -> ")[0]] = (mode, owner, path)
    assert listing["./opt/kiosk/kiosk"][:2] == ("-rwxr-xr-x", "root/root")
    assert listing["./opt/kiosk/_internal/base_library.zip"][0] == "-rw-r--r--"
    assert listing["./opt/kiosk/kiosk-debug"][2].endswith("-> kiosk")
    assert listing["./usr/bin/kiosk"][2].endswith("-> /opt/kiosk/kiosk-debug")
    assert listing["./etc/kiosk/kiosk.yaml"][0] == "-rw-r-----"
    for unit in ("museum-kiosk.service", "museum-kiosk-restart.service"):
        assert f"./lib/systemd/system/{unit}" in listing


def control_files(deb: Path, into: Path) -> Path:
    subprocess.run(["dpkg-deb", "--control", deb, into], check=True, timeout=60)
    return into


def test_the_maintainer_scripts_make_the_user_and_enable_the_unit(
    deb: Path, tmp_path: Path
) -> None:
    control = control_files(deb, tmp_path / "DEBIAN")
    assert (control / "conffiles").read_text() == "/etc/kiosk/kiosk.yaml\n"
    for script in ("postinst", "prerm", "postrm"):
        path = control / script
        assert path.stat().st_mode & 0o777 == 0o755
        assert path.read_text().startswith("#!/bin/sh\n")
        subprocess.run(["sh", "-n", path], check=True)  # parses as a shell script
    postinst = (control / "postinst").read_text()
    assert "adduser --system --group --home /var/lib/kiosk" in postinst
    assert "install -d -o kiosk -g kiosk -m 0750 /var/lib/kiosk" in postinst
    assert "chown root:kiosk /etc/kiosk /etc/kiosk/kiosk.yaml" in postinst
    assert "systemctl enable museum-kiosk.service museum-kiosk-restart.timer" in postinst
    assert (
        "systemctl stop museum-kiosk-restart.timer museum-kiosk.service"
        in (control / "prerm").read_text()
    )


def test_the_unit_runs_the_kiosk_in_cage_as_the_kiosk_user(deb: Path, tmp_path: Path) -> None:
    subprocess.run(["dpkg-deb", "--extract", deb, tmp_path], check=True, timeout=60)
    unit = (tmp_path / "lib/systemd/system/museum-kiosk.service").read_text()
    lines = {
        line.split("=", 1)[0]: line.split("=", 1)[1]
        for line in unit.splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert lines["User"] == "kiosk"
    assert lines["ExecStart"] == "/usr/bin/cage -d -- /opt/kiosk/kiosk"
    assert lines["Type"] == "notify" and lines["NotifyAccess"] == "all"
    assert lines["RestartPreventExitStatus"] == "10"  # "Exit to the desktop"
    assert "KIOSK_CONFIG=/etc/kiosk/kiosk.yaml" in unit
    systemd_analyze = shutil.which("systemd-analyze")
    if systemd_analyze is not None:
        # The unit's syntax, as systemd reads it (unknown keys and bad values are errors).
        done = subprocess.run(
            [
                systemd_analyze,
                "verify",
                "--man=no",
                tmp_path / "lib/systemd/system/museum-kiosk.service",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert "Unknown key" not in done.stderr and "Invalid" not in done.stderr, done.stderr


def test_without_a_build_there_is_no_package(tmp_path: Path) -> None:
    module = builder()
    with pytest.raises(module.BuildError, match="run make package first"):
        module.build_deb(tmp_path / "missing", tmp_path / "out", "0.1.0", "amd64")


def test_the_data_is_owned_by_root(deb: Path) -> None:
    data = subprocess.run(
        ["dpkg-deb", "--fsys-tarfile", deb], capture_output=True, check=True, timeout=60
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        owners = {(member.uid, member.gid) for member in archive.getmembers()}
    assert owners == {(0, 0)}
