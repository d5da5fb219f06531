"""docs/curators.md stays true: its worked example makes a valid bundle, it describes every field
of the model, and the pictures it shows exist."""

from __future__ import annotations

import re
from pathlib import Path

from kiosk.content import validate_bundle
from kiosk.content.schema import all_models
from kiosk.content.starter import create_starter
from tests import images

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "curators.md"
BLOCK = re.compile(r"```yaml\n# (In (\S+), add:|A new file, (\S+):)\n(.*?)```", re.DOTALL)


def test_the_worked_example_gives_a_valid_bundle(tmp_path: Path) -> None:
    folder = tmp_path / "harbour-1850"
    create_starter(folder)
    steps = BLOCK.findall(GUIDE.read_text(encoding="utf-8"))
    assert len(steps) == 3
    for _, added_to, new_file, text in steps:
        if added_to:
            with (folder / added_to).open("a", encoding="utf-8") as stream:
                stream.write("\n" + text)
        else:
            (folder / new_file).write_text(text, encoding="utf-8")
    (folder / "media" / "schoeneberg-rally.jpg").write_bytes(images.jpeg_header(2000, 1333))
    bundle, problems = validate_bundle(folder)
    assert problems == []
    assert bundle is not None
    event = bundle.event("schoeneberg-rally")
    assert event.media[0].file == "media/schoeneberg-rally.jpg"
    assert event.quotes == ["brandt-grows-together"]
    summary = "harbour-1850 0.1.0: valid - 4 events, 2 quotations, 4 places; 0 errors,\n0 warnings"
    assert summary in GUIDE.read_text(encoding="utf-8")


def test_every_field_is_in_the_guide() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    for model in all_models():
        for name in model.model_fields:
            assert f"| `{name}` |" in text, f"{model.__name__}.{name} is not in docs/curators.md"


def test_the_screenshots_it_shows_exist() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(pictures) >= 3
    for picture in pictures:
        assert (GUIDE.parent / picture).is_file(), picture
