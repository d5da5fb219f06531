"""A bundle validated into the validated-bundle cache by a child process, so that the running
kiosk then loads it from the cache and never builds the validation machinery itself.

Validating a bundle in the kiosk's own process keeps about 17 MB for the rest of its life (the
YAML reader, the loader and pydantic's validators, built and kept; docs/performance.md,
"Memory"). A content update that arrives while the kiosk runs is therefore validated by
`kiosk validate --into-cache FOLDER` in a child process: the same program (the packaged
executable's own sub-command, or `python -m kiosk` from source), the same cache folder, the same
cache key. The kiosk's swap in the attract loop is then a cache hit.

Nothing else changes: a bundle the child refuses is not in the cache, so the kiosk's own load
validates it and refuses it as before, with every problem as file:line:column, and the bundle on
screen stays. If the child cannot run at all (no executable, a timeout), the caller validates in
its own process instead, as before this existed.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import kiosk
from kiosk.content.cache import ENVIRONMENT, BundleCache

log = logging.getLogger(__name__)

TIMEOUT_S = 600  # a 10,000-event bundle validates in ~2 s here; a slow card is not a hung child


def command(folder: Path) -> list[str]:
    """The command line of the child: the packaged program's own sub-command, or the source's."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "validate", "--into-cache", str(folder)]
    return [sys.executable, "-m", "kiosk", "validate", "--into-cache", str(folder)]


def validate_in_child(
    folder: Path, cache: BundleCache, timeout_s: float = TIMEOUT_S
) -> bool | None:
    """Validate `folder` into `cache` in a child process (blocks; call off the GUI thread).

    True: valid, and in the cache now; False: refused (not cached: the kiosk's own load says
    why); None: the child could not run, nothing is known.
    """
    env = {**os.environ, ENVIRONMENT: str(cache.folder)}
    if not getattr(sys, "frozen", False):
        # The child imports this very kiosk package, wherever the parent was started from.
        source = str(Path(kiosk.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (source, env.get("PYTHONPATH")) if p)
    try:
        done = subprocess.run(
            command(folder.resolve()),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=timeout_s,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("could not validate %s in a child process: %s", folder, exc)
        return None
    if done.returncode in (0, 1, 2):  # valid; errors found; not a bundle (kiosk/cli.py)
        return done.returncode == 0
    tail = done.stderr.decode(errors="replace").strip()[-400:]
    log.warning(
        "validating %s in a child process ended with code %s: %s", folder, done.returncode, tail
    )
    return None
