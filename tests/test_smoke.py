"""`python -m kiosk --smoke-test` from source: one JSON line, the bundle painted, exit 0; and a
broken bundle exits non-zero with its reasons on stderr but no traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from kiosk.content import load_bundle

ROOT = Path(__file__).resolve().parent.parent


def smoke(*args: str | Path, cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    if cache is not None:
        env["KIOSK_BUNDLE_CACHE"] = str(cache)
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "--smoke-test", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_smoke_test_from_source() -> None:
    result = smoke()
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    (line,) = result.stdout.splitlines()
    report = json.loads(line)
    assert report["bundle"] == "petrograd-1917"
    assert report["events"] == len(load_bundle(ROOT / "content" / "petrograd-1917").events)
    assert 0 < report["markers_drawn"] <= report["events"]
    assert 0 < report["startup_ms"] < 60_000
    assert 0 < report["cpu_ms"] < 60_000
    # Timed at the first frame showing the map (no plain paper where it goes): the paints of the
    # map up to it, and whether every tile was at its own zoom level (none scaled from another).
    assert report["paints"] >= 1 and isinstance(report["map_sharp"], bool)
    assert report["frozen"] is False
    assert report["platform"] == "offscreen"


def test_the_second_start_shows_the_unchanged_bundle_from_the_cache(tmp_path: Path) -> None:
    reports = []
    for _ in range(2):
        result = smoke(cache=tmp_path / "cache")
        assert result.returncode == 0, result.stderr
        reports.append(json.loads(result.stdout))
    assert [r["bundle_cache"] for r in reports] == ["miss", "hit"]
    # Both starts draw markers; how many are inside the view at the very first paint depends on
    # how far the layout has got by then (the tiled map paints sooner than the vector map did),
    # so the counts are not compared, the events are.
    assert reports[0]["markers_drawn"] > 0 and reports[1]["markers_drawn"] > 0
    assert reports[0]["events"] == reports[1]["events"]


def test_smoke_test_of_a_broken_bundle(tmp_path: Path) -> None:
    bundle = tmp_path / "petrograd-1917"
    shutil.copytree(ROOT / "content" / "petrograd-1917", bundle)
    (bundle / "bundle.yaml").write_text("id: [\n", encoding="utf-8")
    result = smoke("--content", bundle)
    assert result.returncode == 1
    assert json.loads(result.stdout)["bundle"] is None
    assert "cannot be shown" in result.stderr and "bundle.yaml:" in result.stderr
    assert "Traceback" not in result.stderr


def test_config_chooses_the_bundle_and_bad_keys_are_reported(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.yaml"
    config.write_text(
        f"bundle: {ROOT / 'content' / 'petrograd-1917'}\nidle_seconds: 2\n", encoding="utf-8"
    )
    result = smoke("--config", config)
    assert result.returncode == 0
    assert json.loads(result.stdout)["bundle"] == "petrograd-1917"
    assert f"{config}:2:15: error: must be at least 10.0, not 2" in result.stderr


def test_a_missing_config_file_is_a_usage_error(tmp_path: Path) -> None:
    result = smoke("--config", tmp_path / "absent.yaml")
    assert result.returncode == 2
    assert (
        result.stderr.strip() == f"error: the config file {tmp_path / 'absent.yaml'} does not exist"
    )
