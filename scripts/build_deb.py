"""Build a Debian package of the one-folder build, so technicians install and upgrade with apt.

    python scripts/build_deb.py dist/kiosk --out dist        # what `make deb` runs

The package `museum-kiosk` puts the one-folder build (`make package`) in /opt/kiosk, links
/usr/bin/kiosk to its console program (for set-pin, check-config, status), installs the systemd
unit that runs the kiosk in cage on tty1 as the `kiosk` system user (made by postinst), a
nightly restart timer, and /etc/kiosk/kiosk.yaml as a conffile (apt keeps a technician's edits
on upgrade). The unit and maintainer scripts are in packaging/deb/. Built with dpkg-deb
(`apt-get install dpkg-dev` brings it where it is missing), files owned by root.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "packaging" / "deb"
PACKAGE = "museum-kiosk"
PREFIX = Path("opt/kiosk")
UNITS = ("museum-kiosk.service", "museum-kiosk-restart.service", "museum-kiosk-restart.timer")
SCRIPTS = ("postinst", "prerm", "postrm")
CONFIG = Path("etc/kiosk/kiosk.yaml")
# Qt's platform plugins load these from the system, as PySide6 itself does (install-linux.md).
DEPENDS = (
    "adduser",
    "systemd",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxcb-randr0",
    "libxcb-shape0",
    "libxcb-xinerama0",
    "libxcb-xkb1",
    "libxkbcommon-x11-0",
    "libxkbcommon0",
    "libwayland-client0",
    "libwayland-cursor0",
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libfreetype6",
    "libdbus-1-3",
    "libglib2.0-0",
)
# The packaged unit runs the kiosk in cage; a machine set up with X or Ubuntu Frame instead
# disables the unit and keeps the program.
RECOMMENDS = ("cage",)
DESCRIPTION = """a touch-first museum kiosk
 A full-screen exhibit for museum touchscreens, driven by content bundles that curators edit.
 This package runs it under systemd in a cage session on tty1 as the kiosk user, with a
 watchdog, a nightly restart and the installation config in /etc/kiosk/kiosk.yaml."""


class BuildError(Exception):
    """Why the package could not be built, in a sentence."""


def debian_version(version: str) -> str:
    """The kiosk's version as a Debian version: upstream, then the package's revision 1."""
    return f"{version.replace('-', '~')}-1"


def host_architecture() -> str:
    try:
        done = subprocess.run(
            ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        raise BuildError(f"dpkg --print-architecture failed ({exc}); is this Debian?") from exc
    return done.stdout.strip()


def _normalise_modes(tree: Path) -> None:
    """Folders 0755, programs 0755, other files 0644: what dpkg expects, whatever the umask."""
    for folder, _, files in os.walk(tree):
        Path(folder).chmod(0o755)
        for name in files:
            path = Path(folder, name)
            if path.is_symlink():
                continue
            executable = path.stat().st_mode & 0o111
            path.chmod(0o755 if executable else 0o644)


def _size_kib(tree: Path) -> int:
    total = 0
    for folder, _, files in os.walk(tree):
        for name in files:
            path = Path(folder, name)
            if not path.is_symlink():
                total += path.stat().st_size
    return max(1, (total + 1023) // 1024)


def control_text(version: str, architecture: str, installed_kib: int, maintainer: str) -> str:
    fields = {
        "Package": PACKAGE,
        "Version": debian_version(version),
        "Architecture": architecture,
        "Maintainer": maintainer,
        "Installed-Size": str(installed_kib),
        "Depends": ", ".join(DEPENDS),
        "Recommends": ", ".join(RECOMMENDS),
        "Section": "misc",
        "Priority": "optional",
        "Description": DESCRIPTION,
    }
    return "".join(f"{key}: {value}\n" for key, value in fields.items())


def stage(dist: Path, staging: Path, version: str, architecture: str, maintainer: str) -> None:
    """Lay out the package's files and control files under `staging`."""
    program = dist / "kiosk"
    if not program.is_file() or not os.access(program, os.X_OK):
        raise BuildError(f"{dist} has no kiosk program; run make package first")
    shutil.copytree(dist, staging / PREFIX, symlinks=True)
    units = staging / "lib" / "systemd" / "system"
    units.mkdir(parents=True)
    for unit in UNITS:
        shutil.copy2(TEMPLATES / unit, units / unit)
    (staging / CONFIG).parent.mkdir(parents=True)
    shutil.copy2(TEMPLATES / "kiosk.yaml", staging / CONFIG)
    binaries = staging / "usr" / "bin"
    binaries.mkdir(parents=True)
    console = "kiosk-debug" if (dist / "kiosk-debug").exists() else "kiosk"
    (binaries / "kiosk").symlink_to(f"/{PREFIX}/{console}")
    _normalise_modes(staging)
    (staging / CONFIG).chmod(0o640)  # postinst gives it to the kiosk group

    control = staging / "DEBIAN"
    control.mkdir()
    text = control_text(version, architecture, _size_kib(staging), maintainer)
    (control / "control").write_text(text, encoding="utf-8")
    (control / "conffiles").write_text(f"/{CONFIG}\n", encoding="utf-8")
    for script in SCRIPTS:
        shutil.copy2(TEMPLATES / script, control / script)
        (control / script).chmod(0o755)
    control.chmod(0o755)


def build_deb(
    dist: Path,
    out: Path,
    version: str,
    architecture: str | None = None,
    maintainer: str = "Museum kiosk technicians <root@localhost>",
    compression: str = "xz",
) -> Path:
    """Build the package from the one-folder build in `dist`; returns the .deb's path."""
    if shutil.which("dpkg-deb") is None:
        raise BuildError("dpkg-deb is missing; apt-get install dpkg-dev")
    architecture = architecture or host_architecture()
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{PACKAGE}_{debian_version(version)}_{architecture}.deb"
    with tempfile.TemporaryDirectory(prefix="kiosk-deb-") as temporary:
        staging = Path(temporary) / PACKAGE
        stage(dist, staging, version, architecture, maintainer)
        done = subprocess.run(
            ["dpkg-deb", "--root-owner-group", f"-Z{compression}", "--build", staging, target],
            capture_output=True,
            text=True,
        )
    if done.returncode != 0:
        raise BuildError(f"dpkg-deb failed: {done.stderr.strip() or done.stdout.strip()}")
    return target


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(ROOT))
    from kiosk import __version__

    parser = argparse.ArgumentParser(description="Build the museum-kiosk Debian package.")
    parser.add_argument("dist", type=Path, help="the one-folder build (dist/kiosk)")
    parser.add_argument("--out", type=Path, default=Path("dist"), help="where the .deb goes")
    parser.add_argument("--version", default=__version__, help="the upstream version")
    parser.add_argument("--arch", default=None, help="default: dpkg --print-architecture")
    parser.add_argument(
        "--compression", default="xz", choices=("xz", "gzip", "zstd", "none"), help="dpkg-deb -Z"
    )
    args = parser.parse_args(argv)
    try:
        path = build_deb(args.dist, args.out, args.version, args.arch, compression=args.compression)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"built {path} ({path.stat().st_size / 2**20:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
