"""What the kiosk imports before its first frame when its bundle is in the validated-bundle
cache: not the loader, the YAML reader, the update machinery, nor pydantic at all (the cache
holds plain data, the config without a file is the plain defaults). Each of those cost tens of
milliseconds of every start (docs/performance.md); a module-level import added back by accident
would bring them back unnoticed, so a fresh interpreter checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kiosk.paths import default_bundle

# The start of `python -m kiosk` up to the window being built, as kiosk/cli.py and kiosk/app.py
# do it, with the bundle cache of argv[1]; prints the modules that were imported.
START = """
import json, sys
from pathlib import Path
import kiosk.cli, kiosk.app, kiosk.smoke
# The window's modules, as kiosk.launch.build_window imports them (Qt is imported, not started).
import kiosk.ui.shell.host, kiosk.ui.shell.main_window
from kiosk.content.cache import BundleCache, load_bundle_cached
from kiosk.runtime.config import load_config
from kiosk.updates.service import startup_bundle
loaded = load_config(None)
startup_bundle(loaded.config)
bundle, hit = load_bundle_cached(Path(sys.argv[2]), BundleCache(Path(sys.argv[1])))
print(json.dumps({"hit": hit, "modules": sorted(sys.modules)}))
"""

NOT_BEFORE_THE_FIRST_FRAME = (
    "yaml",
    "kiosk.content.loader",
    "kiosk.content.yaml_source",
    "kiosk.content.messages",
    "kiosk.updates.updater",
    "importlib.metadata",
    "babel.messages",  # the word catalogues are read compiled (kiosk.content.interface_words)
    # The validating models: the cache holds plain data (kiosk.content.data), and without a
    # config file the config is the plain defaults.
    "kiosk.content.model",
    "kiosk.runtime.config_model",
)


def start(cache: Path, home: Path, config: Path | None = None) -> tuple[bool, set[str]]:
    env = dict(os.environ)
    env.pop("KIOSK_CONFIG", None)
    env["XDG_CONFIG_HOME"] = str(home)  # no installation config: the defaults
    env["KIOSK_BUNDLE_CACHE"] = str(cache)  # where the validated config is kept too
    if config is not None:
        env["KIOSK_CONFIG"] = str(config)
    done = subprocess.run(
        [sys.executable, "-c", START, str(cache), str(default_bundle())],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=True,
    )
    result = json.loads(done.stdout)
    return bool(result["hit"]), set(result["modules"])


def test_a_start_from_the_cache_imports_neither_the_loader_nor_yaml(tmp_path: Path) -> None:
    hit, imported = start(tmp_path / "cache", tmp_path)
    assert not hit
    assert "kiosk.content.loader" in imported, "a miss validates: the loader is needed"
    hit, imported = start(tmp_path / "cache", tmp_path)
    assert hit
    assert not imported & set(NOT_BEFORE_THE_FIRST_FRAME)


def test_a_start_from_the_cache_imports_no_pydantic(tmp_path: Path) -> None:
    hit, imported = start(tmp_path / "cache", tmp_path)
    assert not hit
    assert "pydantic" in imported, "a miss validates: the models are needed"
    hit, imported = start(tmp_path / "cache", tmp_path)
    assert hit
    assert not {name for name in imported if name.split(".")[0] in ("pydantic", "pydantic_core")}


def test_a_start_with_an_unchanged_config_file_imports_neither_yaml_nor_pydantic(
    tmp_path: Path,
) -> None:
    # A museum's kiosk has a config file; validated once, it is read back as it was validated.
    config = tmp_path / "kiosk.yaml"
    config.write_text("idle_seconds: 45\nlanguage: en\n", encoding="utf-8")
    start(tmp_path / "cache", tmp_path, config)
    hit, imported = start(tmp_path / "cache", tmp_path, config)
    assert hit
    assert not imported & set(NOT_BEFORE_THE_FIRST_FRAME)
    assert not {name for name in imported if name.split(".")[0] in ("pydantic", "pydantic_core")}
    config.write_text("idle_seconds: 50\nlanguage: en\n", encoding="utf-8")
    _, imported = start(tmp_path / "cache", tmp_path, config)
    assert "kiosk.runtime.config_model" in imported, "a changed file is validated again"


# A start whose bundle is not in the cache (a new kiosk version, content changed while it was
# off), as kiosk/launch.py makes it: a child process validates it into the cache.
START_MISSING = """
import json, sys
from pathlib import Path
from kiosk.content.cache import BundleCache, load_bundle_cached
from kiosk.content.child_validation import validate_in_child
cache = BundleCache(Path(sys.argv[1]))
bundle, hit = load_bundle_cached(Path(sys.argv[2]), cache, validate_in_child)
print(json.dumps({"hit": hit, "events": len(bundle.events), "modules": sorted(sys.modules)}))
"""


def test_a_start_that_misses_the_cache_validates_in_a_child(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", START_MISSING, str(tmp_path / "cache"), str(default_bundle())],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout)
    assert not result["hit"] and result["events"] > 0
    imported = set(result["modules"])
    assert not imported & set(NOT_BEFORE_THE_FIRST_FRAME)
    assert "pydantic" not in imported
    hit, _ = start(tmp_path / "cache", tmp_path)
    assert hit, "the child left the validated bundle in the cache"
