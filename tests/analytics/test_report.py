"""Merging databases and the report: the right figures in the page, the heat-map where the taps
were, and a clear message (never a traceback) for every bad input."""

from __future__ import annotations

import base64
import re
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from kiosk.analytics.dataset import ReportError, load_dataset
from kiosk.analytics.figures import Catalogue, compute
from kiosk.analytics.heatmap import render_heatmap
from kiosk.analytics.schema import TAP_CELL_M
from kiosk.cli import main
from kiosk.content import Bundle
from kiosk.paths import default_bundle
from kiosk.report_command import make_report
from tests.analytics.known_data import known_databases


@pytest.fixture
def databases(tmp_path: Path) -> list[Path]:
    return known_databases(tmp_path / "kiosks")


def test_merging_two_kiosks(databases: list[Path], bundle: Bundle) -> None:
    data = load_dataset(databases)
    assert [s.key for s in data.sessions] == ["a", "b", "c", "d"]
    assert {s.kiosk for s in data.sessions} == {"Hall 1", "Hall 2"}
    assert data.taps == {(100, 70): 5, (20, 20): 1}
    figures = compute(data, Catalogue.of(bundle))
    assert figures.sessions == 4
    assert figures.median_session_seconds == 75
    assert figures.touches == 28
    assert figures.map_touches == 6
    top = figures.events[0]
    assert (top.item.id, top.opens, top.median_seconds, top.total_seconds) == (
        "volynsky-mutiny",
        3,
        20,
        90,
    )
    second = figures.events[1]
    assert (second.item.id, second.opens, second.by_play) == ("kazan-general-strike-roses", 1, 1)
    assert len(figures.events) == len(bundle.events)  # the never-opened ones are there too
    assert sum(1 for e in figures.events if e.opens == 0) == len(bundle.events) - 2
    assert figures.languages == [("en", 4), ("ru", 2)]
    assert figures.hours[10] == 2 and figures.hours[14] == 1 and figures.hours[16] == 1
    assert sum(figures.hours) == 4
    assert (figures.attract_interruptions, figures.median_attract_seconds) == (2, 30)
    assert figures.countdown_rescues == 1
    assert figures.day_choices == [("1917-02-27", 2)]
    assert (figures.play_starts, figures.timeline_sessions) == (1, 2)
    assert figures.credits_opens == 1
    assert [(p.item.id, p.opens) for p in figures.people if p.opens] == [("kerensky", 1)]
    assert figures.kiosks == [("Hall 1", 3), ("Hall 2", 1)]


def test_the_report_page_shows_the_known_figures(databases: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "report"
    assert main(["report", *map(str, databases), "--out", str(out)]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", page)
    text = " ".join(text.split())
    assert "4 visitor sessions" in text
    assert "1 min 15 s median session" in text
    assert "28 touches" in text
    assert "Hall 1 (3), Hall 2 (1)" in text
    assert "8 March 2026 to 8 March 2026" in text
    # The busiest event, by its title, with its figures; a never-opened one is named too.
    row = re.search(
        r"<tr[^>]*><td class=\"n\">1</td><td class=\"name\">([^<]+)</td><td class=\"n\">3</td>",
        page,
    )
    assert row is not None and "Volynsky" in row.group(1)
    assert "Never opened by a visitor (26)" in text
    assert "English (en) 4 100%" in text
    assert "Русский (ru) 2 50%" in text
    assert "2 sessions (50%) used the timeline; the story was played once" in text
    assert "27 February 1917 2" in text
    assert "stopped the attract loop twice" in text
    assert "30 s (median)" in text
    # The heat-map is inside the page, not beside it.
    encoded = re.search(r'src="data:image/png;base64,([^"]+)"', page)
    assert encoded is not None
    image = QImage.fromData(base64.b64decode(encoded.group(1)))
    assert not image.isNull()
    assert "http" not in page.replace("http://www.w3.org", "")  # nothing fetched from anywhere
    assert (out / "heatmap.png").is_file()


def test_the_heatmap_is_hot_where_the_taps_were(bundle: Bundle) -> None:
    taps = {(60, 50): 40, (20, 110): 4}
    width = 1000
    image = render_heatmap(bundle, taps, TAP_CELL_M, width)
    scale = width / bundle.projection.width

    def pixel(cell: tuple[int, int]) -> QColor:
        x, y = ((c + 0.5) * TAP_CELL_M * scale for c in cell)
        return image.pixelColor(round(x), round(y))

    hot, warm = pixel((60, 50)), pixel((20, 110))
    assert hot.red() > 150 and hot.green() < 80 and hot.blue() < 80, hot.name()  # dark red
    assert warm.red() > 200 and warm.green() > 120 and warm.blue() < 140, warm.name()  # yellow
    # Far from any tap the map shows through, untouched by colour.
    cold = image.pixelColor(round(140 * TAP_CELL_M * scale), round(20 * TAP_CELL_M * scale))
    assert abs(cold.red() - cold.green()) < 40, cold.name()


def test_curator_text_is_escaped(tmp_path: Path, databases: list[Path]) -> None:
    connection = sqlite3.connect(databases[0])
    connection.execute("UPDATE meta SET value = '<b>Hall & \"1\"</b>' WHERE key = 'kiosk_name'")
    connection.execute(
        "INSERT INTO actions VALUES ('a', 1, 'event', '<script>alert(1)</script>', 3, 'visitor')"
    )
    connection.commit()
    connection.close()
    report, _ = make_report(databases, tmp_path / "out", default_bundle())
    page = report.read_text(encoding="utf-8")
    assert "<script>" not in page and "<b>Hall" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Hall &amp; &quot;1&quot;&lt;/b&gt;" in page


def _message(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(["report", *argv]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert captured.err.startswith("report: ")
    return captured.err


def test_bad_inputs_get_a_clear_message(
    tmp_path: Path, databases: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out = ["--out", str(tmp_path / "out")]
    assert "no such file" in _message(capsys, [str(tmp_path / "missing.sqlite3"), *out])

    text = tmp_path / "notes.txt"
    text.write_text("not a database at all, just some words\n" * 20)
    assert "not an analytics database" in _message(capsys, [str(text), *out])

    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    assert "is empty" in _message(capsys, [str(empty), *out])

    other = tmp_path / "other.sqlite3"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE recipes (name)")
    connection.commit()
    connection.close()
    assert "not a kiosk analytics one" in _message(capsys, [str(other), *out])

    future = tmp_path / "future.sqlite3"
    connection = sqlite3.connect(future)
    connection.executescript(
        "CREATE TABLE sessions (x); CREATE TABLE actions (x); CREATE TABLE taps (x);"
        "PRAGMA user_version = 7;"
    )
    connection.close()
    assert "schema version 7" in _message(capsys, [str(future), *out])

    assert "is a folder" in _message(capsys, [str(tmp_path), *out])


def test_a_database_with_no_sessions_yet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], databases: list[Path]
) -> None:
    from kiosk.analytics.recorder import Recorder

    recorder = Recorder(tmp_path / "new", batch_seconds=0.01)
    recorder.record("action", "nobody", 1.0, "credits", None, None, None)
    assert recorder.flush()
    recorder.close()
    assert "no visitor sessions are recorded" in _message(
        capsys, [str(recorder.path), "--out", str(tmp_path / "out")]
    )
    # With other kiosks' sessions, an empty one is only a note.
    assert (
        main(["report", str(recorder.path), *map(str, databases), "--out", str(tmp_path / "o")])
        == 0
    )
    assert "has no visitor sessions yet" in capsys.readouterr().out


def test_databases_of_different_exhibits_are_not_mixed(
    tmp_path: Path, databases: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    connection = sqlite3.connect(databases[1])
    connection.execute("UPDATE sessions SET bundle_id = 'moscow-1905'")
    connection.commit()
    connection.close()
    out = ["--out", str(tmp_path / "out")]
    message = _message(capsys, [*map(str, databases), *out])
    assert "different exhibits" in message and "moscow-1905 (from Hall 2)" in message
    assert "petrograd-1917 (from Hall 1)" in message
    # Naming the exhibit picks its sessions and says what was left out.
    assert main(["report", *map(str, databases), *out, "--content", str(default_bundle())]) == 0
    assert "1 sessions of other exhibits (moscow-1905) are left out" in capsys.readouterr().out


def test_a_bad_bundle_or_output_folder_is_a_message(
    tmp_path: Path, databases: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    dbs = list(map(str, databases))
    assert "--content" in _message(
        capsys, [*dbs, "--out", str(tmp_path), "--content", str(tmp_path)]
    )
    blocked = tmp_path / "blocked"
    blocked.write_text("a file")
    assert "cannot be written" in _message(capsys, [*dbs, "--out", str(blocked / "sub")])


def test_the_same_database_twice_counts_once(
    databases: list[Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(ReportError):
        load_dataset([])
    data = load_dataset([databases[0], databases[0]])
    assert len(data.sessions) == 3
    assert any("repeats 3 sessions" in note for note in data.notes)


def test_malformed_values_are_left_out_and_counted_never_a_traceback(
    databases: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 17, finding 12: SQLite keeps whatever another program (or damage) put in a column,
    such as started='yesterday' or 1e300; such rows are skipped and the report says how many."""
    connection = sqlite3.connect(databases[0])
    with connection:
        insert = "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        good = ["petrograd-1917", "0.1.0", 1772953200.0, 180, "en", None, None, None, "en", 3]
        for key, column, value in (
            ("yesterday", 2, "yesterday"),
            ("far", 2, 1e300),
            ("nan", 2, float("-inf")),
            ("offset", 3, "UTC+3"),
            ("language", 4, b"en"),
            ("touches", 9, 1e300),
            ("languages", 8, b"en,ru"),
            ("version", 1, b"\x00\xff"),
        ):
            row = list(good)
            row[column] = value
            connection.execute(insert, [key, *row])
        for values in (
            ("a", "soon", "event", "volynsky-mutiny", 5.0, "visitor"),
            ("a", 1772953300.0, "event", "volynsky-mutiny", 1e300, "visitor"),
            ("a", 1772953300.0, b"event", None, None, None),
        ):
            connection.execute("INSERT INTO actions VALUES (?, ?, ?, ?, ?, ?)", values)
        connection.execute("INSERT INTO taps VALUES ('a', 1772953300.0, 'west', 3)")
        connection.execute("INSERT INTO taps VALUES ('a', 1772953300.0, 1e300, 3)")
        connection.execute("UPDATE meta SET value = 'lots' WHERE key = 'dropped'")
    connection.close()
    out = tmp_path / "report"
    assert main(["report", *map(str, databases), "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert "Traceback" not in printed.err
    assert "8 sessions, 3 actions, 2 map touches could not be read" in printed.out
    data = load_dataset(databases)
    assert [s.key for s in data.sessions] == ["a", "b", "c", "d"]  # the good ones, all there
    assert data.taps == {(100, 70): 5, (20, 20): 1}
    assert "could not be read" in (out / "report.html").read_text(encoding="utf-8")
