"""What a bundle folder says of itself even when it does not validate: its declared languages.

The "being updated" screen, shown when a bundle cannot be loaded, speaks the languages that
bundle.yaml lists, so a French exhibit with a mistake in one event is apologised for in French,
not in languages the exhibit never had. Read leniently: any trouble gives None.
"""

from __future__ import annotations

import re
from pathlib import Path

from kiosk.content.data import LANG_PATTERN

_LANG_RE = re.compile(LANG_PATTERN)
MAX_MANIFEST_BYTES = 1_000_000


def declared_languages(root: Path) -> tuple[str, ...] | None:
    """The `languages:` of `root`/bundle.yaml if they can be read, else None."""
    import yaml  # only on this rare path: a bundle that failed to load

    path = root / "bundle.yaml"
    try:
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            return None
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    languages = data.get("languages") if isinstance(data, dict) else None
    if not isinstance(languages, list):
        return None
    found = tuple(dict.fromkeys(v for v in languages if isinstance(v, str) and _LANG_RE.match(v)))
    return found or None
