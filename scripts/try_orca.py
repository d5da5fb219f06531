"""Try the kiosk with Orca under Xvfb: the real AT-SPI bridge, walked as a screen reader sees it.

    .venv/bin/python scripts/try_orca.py [--out DIR]

Needs (Debian/Ubuntu): xvfb, dbus (dbus-run-session), at-spi2-core, orca and python3-pyatspi.
Starts Xvfb on :97, a private session bus with the accessibility bus, Orca writing its debug log
(what it would say: "SPEECH OUTPUT" lines), then the kiosk windowed on xcb. The system Python's
pyatspi (not the venv's) then lists the kiosk's buttons and the map's event list, and presses
Right, Right and Return through XTest: the first key only wakes the kiosk from the attract loop,
the second puts the keypad on the first event, Return opens it; L then switches to Russian and
the locales the bridge reports for buttons, labels and list items are printed. Prints what it
found and the lines Orca spoke. Nothing here is a test: it needs a desktop stack CI does not have.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DISPLAY = ":97"
SYSTEM_PYTHON = "/usr/bin/python3"  # pyatspi comes with the distribution's Python

WALKER = textwrap.dedent(
    """
    import sys, time
    import pyatspi

    def walk(node, out):
        states = node.getState()
        out.append((node.getRoleName(), node.name, node.description,
                    states.contains(pyatspi.STATE_SHOWING),
                    states.contains(pyatspi.STATE_CHECKED), node.childCount))
        for i in range(node.childCount):
            child = node.getChildAtIndex(i)
            if child is not None:
                walk(child, out)
        return out

    app = None
    for _ in range(60):
        app = next((a for a in pyatspi.Registry.getDesktop(0) if a and a.name == "kiosk"), None)
        if app is not None:
            break
        time.sleep(0.5)
    if app is None:
        sys.exit("the kiosk is not on the accessibility bus")
    rows = walk(app, [])
    shown = [r for r in rows if r[0] in ("push button", "check box") and r[3]]
    print("buttons shown:", len(shown), "unnamed:", sum(1 for r in shown if not r[1]))
    for role, name, description, _, checked, _ in shown:
        print(f"  {role}: {name!r} {description!r}{' (checked)' if checked else ''}")
    for role, name, _, _, _, count in rows:
        if role == "list" and name:
            print(f"list {name!r}: {count} items")
    items = [r[1] for r in rows if r[0] == "list item"]
    print("first items:", *items[:3], sep="\\n  ")
    for keysym in (0xFF53, 0xFF53, 0xFF0D):  # Right, Right, Return through XTest
        pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)
        time.sleep(1.5)
    opened = [r[1] for r in walk(app, []) if r[3] and r[1].startswith("Event:")]
    print("panel after Right, Right, Return:", opened)

    def locales(node, out):
        if node.getRoleName() in ("push button", "list item", "label"):
            out.setdefault(node.getRoleName(), set()).add(node.get_object_locale())
        for i in range(node.childCount):
            child = node.getChildAtIndex(i)
            if child is not None:
                locales(child, out)
        return out

    # Read once only: libatspi keeps an object's locale after the first time it is asked.
    pyatspi.Registry.generateKeyboardEvent(0x6C, None, pyatspi.KEY_SYM)  # L: the next language
    time.sleep(1.5)
    print("locales after L:", locales(app, {}))
    """
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="keep the logs in this folder")
    args = parser.parse_args()
    missing = [p for p in ("Xvfb", "dbus-run-session", "orca") if shutil.which(p) is None]
    if missing or not Path(SYSTEM_PYTHON).exists():
        print(f"missing: {', '.join(missing) or SYSTEM_PYTHON}", file=sys.stderr)
        return 2
    out = args.out or Path(tempfile.mkdtemp(prefix="kiosk-orca-"))
    out.mkdir(parents=True, exist_ok=True)
    (out / "walk.py").write_text(WALKER, encoding="utf-8")
    session = f"""
        /usr/libexec/at-spi-bus-launcher --launch-immediately > "{out}/bus.log" 2>&1 &
        sleep 2
        orca --replace --debug-file="{out}/orca-debug.txt" > "{out}/orca.log" 2>&1 &
        ORCA=$!
        sleep 5
        QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 QT_QPA_PLATFORM=xcb KIOSK_AUDIO_OUTPUT=null \\
            "{sys.executable}" -m kiosk --windowed --size 1600x900 > "{out}/kiosk.log" 2>&1 &
        KIOSK=$!
        timeout 120 {SYSTEM_PYTHON} "{out}/walk.py"
        kill $KIOSK; sleep 1; kill $ORCA
    """
    env = dict(os.environ, DISPLAY=DISPLAY)
    xvfb = subprocess.Popen(
        ["Xvfb", DISPLAY, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(2)
        result = subprocess.run(
            ["dbus-run-session", "--", "bash", "-c", session], cwd=ROOT, env=env, check=False
        )
    finally:
        xvfb.terminate()
        xvfb.wait()
    debug = out / "orca-debug.txt"
    if debug.exists():
        print("Orca said:")
        for line in debug.read_text(encoding="utf-8", errors="replace").splitlines():
            if "SPEECH OUTPUT" in line:
                print("  " + line.split("SPEECH OUTPUT: ", 1)[-1])
    print(f"logs: {out}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
