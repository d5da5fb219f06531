"""Compile the kiosk's word catalogues: kiosk/locale/*/LC_MESSAGES/kiosk.po to kiosk.mo beside it.

    .venv/bin/python scripts/compile_words.py     (or: make words)

The kiosk reads the .mo files with the standard library's gettext (fast, nothing to import);
the .po files are the sources people edit. Run this after editing a .po and commit both;
tests/content/test_interface_words.py fails while a .mo differs from its .po.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "kiosk" / "locale"


def compile_all(locale: Path = LOCALE) -> list[Path]:
    """Write every catalogue's .mo; returns the .mo files written."""
    written = []
    for source in sorted(locale.glob("*/LC_MESSAGES/kiosk.po")):
        with source.open("rb") as file:
            catalogue = read_po(file, locale=source.parent.parent.name)
        target = source.with_suffix(".mo")
        with target.open("wb") as file:
            write_mo(file, catalogue, use_fuzzy=False)
        written.append(target)
    return written


def main() -> int:
    for path in compile_all():
        print(path.relative_to(LOCALE.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
