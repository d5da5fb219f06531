"""Curator text is shown as written, never interpreted: HTML, Markdown images and file URLs in a
bundle appear as plain characters and load nothing (ANCHORS trap 4)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QTextEdit
from pytestqt.qtbot import QtBot

from kiosk.content import load_bundle
from kiosk.content.starter import create_starter
from kiosk.ui.shell.main_window import MainWindow

HOSTILE = '<img src="file:///etc/hostname"> <b>bold</b> ![x](/etc/hostname) <a href="http://x">'


def hostile_bundle(folder: Path) -> Path:
    create_starter(folder)
    replacements = {
        "bundle.yaml": ['  en: "Berlin, 9 November 1989: The Wall Opens"'],
        "places.yaml": ['    en: "International Press Centre, Mohrenstraße"'],
        "quotes.yaml": [
            '    en: "As far as I know, that takes effect … that is immediately, without delay."'
        ],
        "events/press-conference.yaml": ['  en: "“Immediately, without delay”"'],
    }
    for name, lines in replacements.items():
        path = folder / name
        text = path.read_text(encoding="utf-8")
        for line in lines:
            assert text.count(line) == 1, line
            key = line.split(":")[0]
            text = text.replace(line, f"{key}: '{HOSTILE}'")
        path.write_text(text, encoding="utf-8")
    return folder


def test_html_and_markdown_in_curator_text_show_as_written(
    qtbot: QtBot, fonts: list[str], tmp_path: Path
) -> None:
    bundle = load_bundle(hostile_bundle(tmp_path / "hostile"))
    window = MainWindow(bundle)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    window.state.select("press-conference")
    window.quote_view.show_quote("schabowski-immediately")
    QApplication.processEvents()

    labels = [label for label in window.findChildren(QLabel) if HOSTILE in label.text()]
    # The title card, the place, the event title and the quotation (panel and large view).
    assert len(labels) >= 4
    for label in labels:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    for editor in window.findChildren(QTextEdit):  # rich-text widgets, if any are ever used
        assert "<img" not in editor.toHtml() or HOSTILE in editor.toPlainText()
