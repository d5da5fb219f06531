"""A process killed between any two steps of an install or a rollback leaves the store holding
either the old or the new bundle, complete and valid (ANCHORS trap 7).

Each run is a child process that dies by os._exit (no clean-up, no finally, as at a power cut or a
SIGKILL) at one named step; the parent then loads whatever `current` names."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.content import load_bundle
from kiosk.updates.inbox import FolderSource
from kiosk.updates.publish import publish
from kiosk.updates.store import Store
from kiosk.updates.updater import Updater
from tests.updates.helpers import make_bundle

ROOT = Path(__file__).resolve().parents[2]
KILLED = 86
CHILD = """
import os, sys
from pathlib import Path
from kiosk.updates.inbox import FolderSource
from kiosk.updates.store import Store
from kiosk.updates.updater import Updater, rollback

root, source, mode, target = sys.argv[1:]

def step(name):
    print(name, flush=True)
    if name == target:
        os._exit(86)

store = Store(Path(root), on_step=step)
if mode == "install":
    attempt = Updater(store, FolderSource(Path(source))).poll_once()
    assert attempt.outcome == "installed", attempt
else:
    rollback(store)
"""


def child(
    store_root: Path, source: Path, mode: str, target: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(store_root), str(source), mode, target],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


@pytest.fixture
def prepared(tmp_path: Path) -> tuple[Path, dict[str, Path]]:
    """A store with 1.0.0 current and 0.9.0 previous, and 2.0.0 published in a folder."""
    outboxes = {}
    for version in ("0.9.0", "1.0.0", "2.0.0"):
        bundle = make_bundle(tmp_path / "bundles", version)
        outboxes[version] = tmp_path / f"outbox-{version}"
        publish(bundle, outboxes[version])
    template = tmp_path / "template-store"
    for version in ("0.9.0", "1.0.0"):
        assert Updater(Store(template), FolderSource(outboxes[version])).poll_once().outcome == (
            "installed"
        )
    return template, outboxes


def check_whole(store: Store, allowed: set[str]) -> str:
    current = store.current_path()
    assert current is not None
    version = load_bundle(current).manifest.version
    assert version in allowed
    previous = store.previous
    if previous is not None:
        load_bundle(store.path_of(previous))
    # Whatever was left, the next change starts clean and works.
    with store.locked():
        assert not list(store.staging.iterdir())
    return version


def steps_of(template: Path, tmp_path: Path, source: Path, mode: str) -> list[str]:
    dry = tmp_path / "dry"
    shutil.copytree(template, dry)
    result = child(dry, source, mode, "none")
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.slow
def test_an_install_killed_at_any_step_leaves_old_or_new(
    prepared: tuple[Path, dict[str, Path]], tmp_path: Path
) -> None:
    template, outboxes = prepared
    steps = steps_of(template, tmp_path, outboxes["2.0.0"], "install")
    # The move into versions/, both pointers (temp, replace, sync) and the pruning of 0.9.0.
    assert "moved-into-versions" in steps and "current:replaced" in steps
    assert any(step.startswith("pruned:0.9.0") for step in steps)
    seen = set()
    for step in steps:
        root = tmp_path / f"killed-{step.replace(':', '-')}"
        shutil.copytree(template, root)
        result = child(root, outboxes["2.0.0"], "install", step)
        assert result.returncode == KILLED, (step, result.stderr)
        seen.add(check_whole(Store(root), {"1.0.0", "2.0.0"}))
        # And the interrupted update completes on the next poll.
        again = Updater(Store(root), FolderSource(outboxes["2.0.0"])).poll_once()
        assert again.outcome in ("installed", "up-to-date"), again
        assert load_bundle(Store(root).current_path()).manifest.version == "2.0.0"  # type: ignore[arg-type]
    assert seen == {"1.0.0", "2.0.0"}  # both sides of the swap were hit


@pytest.mark.slow
def test_a_rollback_killed_at_any_step_leaves_old_or_new(
    prepared: tuple[Path, dict[str, Path]], tmp_path: Path
) -> None:
    template, outboxes = prepared
    steps = steps_of(template, tmp_path, outboxes["2.0.0"], "rollback")
    assert "current:replaced" in steps and "previous:replaced" in steps
    seen = set()
    for step in steps:
        root = tmp_path / f"killed-{step.replace(':', '-')}"
        shutil.copytree(template, root)
        result = child(root, outboxes["2.0.0"], "rollback", step)
        assert result.returncode == KILLED, (step, result.stderr)
        seen.add(check_whole(Store(root), {"0.9.0", "1.0.0"}))
    assert seen == {"0.9.0", "1.0.0"}
