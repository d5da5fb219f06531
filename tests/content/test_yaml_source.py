"""read_yaml: positions, and every way a YAML file can be wrong or hostile."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
import yaml

from kiosk.content import yaml_source
from kiosk.content.problems import EMPTY_FILE, ProblemList
from kiosk.content.yaml_source import MAX_DEPTH, MAX_YAML_BYTES, YamlDocument, read_yaml
from kiosk.paths import default_bundle

NAME = "events/x.yaml"  # the name used in messages; the file itself lives in tmp_path


def read(tmp_path: Path, content: str | bytes) -> tuple[YamlDocument | None, list[str]]:
    """Read `content` as a YAML file; the document and every problem as printed."""
    path = tmp_path / "x.yaml"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    problems = ProblemList()
    doc = read_yaml(path, NAME, problems)
    return doc, [str(p) for p in problems]


def test_values_and_positions(tmp_path: Path) -> None:
    doc, problems = read(
        tmp_path,
        "title: Hello\nplace:\n  name: Square\n  lat: 59.93\ntags: [a, 'b']\nday: 1917-02-23\n",
    )
    assert problems == []
    assert doc is not None
    assert doc.file == NAME
    assert doc.data == {
        "title": "Hello",
        "place": {"name": "Square", "lat": 59.93},
        "tags": ["a", "b"],
        "day": dt.date(1917, 2, 23),
    }
    # 1-based line and column of each value...
    assert doc.value_marks[("title",)] == (1, 8)
    assert doc.value_marks[("place", "name")] == (3, 9)
    assert doc.value_marks[("place", "lat")] == (4, 8)
    assert doc.value_marks[("tags", 0)] == (5, 8)
    assert doc.value_marks[("tags", 1)] == (5, 11)
    # ...and of each key.
    assert doc.key_marks[("title",)] == (1, 1)
    assert doc.key_marks[("place",)] == (2, 1)
    assert doc.key_marks[("place", "lat")] == (4, 3)
    assert doc.mark(("place", "lat")) == (4, 8)
    assert doc.mark(("place", "lat"), key=True) == (4, 3)


def test_mark_of_a_missing_value_falls_back_to_its_parent(tmp_path: Path) -> None:
    doc, _ = read(tmp_path, "title: Hello\nplace:\n  name: Square\n")
    assert doc is not None
    assert doc.mark(("place", "lat")) == (3, 3)  # the mapping that lacks it
    assert doc.mark(("nothing", "here")) == (1, 1)
    # A list item's key position is that of the item itself.
    doc, _ = read(tmp_path, "quotes:\n  - a\n  - b\n")
    assert doc is not None
    assert doc.mark(("quotes", 1), key=True) == (3, 5)


def test_duplicate_key_names_the_key_and_the_first_line(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, "id: first\ndate: 1917-02-23\nid: second\n")
    assert problems == [
        f"{NAME}:3:1: error: duplicate key 'id' (first given on line 1); "
        "YAML would silently keep only the last one"
    ]
    assert doc is not None
    assert doc.data == {"id": "first", "date": dt.date(1917, 2, 23)}


def test_nested_duplicate_key(tmp_path: Path) -> None:
    _, problems = read(tmp_path, "title:\n  en: One\n  ru: Два\n  en: Three\n")
    assert problems == [
        f"{NAME}:4:3: error: duplicate key 'en' (first given on line 2); "
        "YAML would silently keep only the last one"
    ]


def test_alias_is_refused(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, "a: &name hello\nb: *name\n")
    assert doc is None
    assert problems == [
        f"{NAME}:2:4: error: aliases (*name) are not allowed; write the value out in full"
    ]


def test_merge_key_is_refused(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, "a: {x: 1}\nb:\n  <<: {y: 2}\n  z: 3\n")
    assert problems == [f"{NAME}:3:3: error: merge keys (<<) are not allowed; write the fields out"]
    assert doc is not None
    assert doc.data == {"a": {"x": 1}, "b": {"z": 3}}


def test_alias_bomb_is_refused_quickly_without_building_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Billion laughs": nine levels of nine aliases each would expand to 9**9 strings.
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    text = "\n".join(lines) + "\n"

    def must_not_compose(*args: object) -> None:
        raise AssertionError("the node tree was composed")

    monkeypatch.setattr(yaml_source._SafeLoader, "get_single_node", must_not_compose)
    start = time.perf_counter()
    doc, problems = read(tmp_path, text)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0
    assert doc is None
    # Reported once, at the first alias, with how many there are (not a line per alias).
    assert problems == [
        f"{NAME}:2:8: error: aliases (*name) are not allowed (72 in this file); "
        "write the value out in full"
    ]


WHY_NO_TAGS = "(tags can make YAML create objects or run programs); remove it"


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!python/object:builtins.dict {}", "!!python/object:builtins.dict"),
        ("!!python/tuple [1, 2]", "!!python/tuple"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!!set {x: null}", "!!set"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!local hello", "!local"),
    ],
)
def test_tags_are_refused(tmp_path: Path, value: str, tag: str) -> None:
    doc, problems = read(tmp_path, f"title: Hello\nvalue: {value}\n")
    assert problems == [f"{NAME}:2:8: error: the tag {tag} is not allowed {WHY_NO_TAGS}"]
    assert doc is not None
    assert doc.data == {"title": "Hello", "value": None}
    # Later checks (the model) must not report the same value again.
    assert doc.already_reported(("value",))
    assert doc.already_reported(("value", "x"))
    assert not doc.already_reported(("title",))


def test_python_object_tag_executes_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    doc, problems = read(
        tmp_path,
        f"a: !!python/object/apply:os.system ['touch {marker}']\n"
        f"b: !!python/object/new:subprocess.Popen [['touch', '{marker}']]\n",
    )
    assert not marker.exists()
    assert [p.split(": error: ")[1] for p in problems] == [
        f"the tag !!python/object/apply:os.system is not allowed {WHY_NO_TAGS}",
        f"the tag !!python/object/new:subprocess.Popen is not allowed {WHY_NO_TAGS}",
    ]
    assert doc is not None
    assert doc.data == {"a": None, "b": None}


@pytest.mark.parametrize(
    "text",
    [
        "title:\n\ten: Hello\n",  # a tab indenting a line
        "title: Hello\n\tsummary: Hi\n",  # a tab after a value
    ],
)
def test_tab_is_explained(tmp_path: Path, text: str) -> None:
    doc, problems = read(tmp_path, text)
    assert doc is None
    assert problems == [
        f"{NAME}:2:1: error: a tab character is used here; YAML indents with spaces only"
    ]


def test_syntax_error_is_positioned(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, "languages: [en, ru\ncalendar: julian\n")
    assert doc is None
    assert problems == [
        f"{NAME}:2:9: error: a list opened with [ is not closed with ], or its items are not "
        "separated by commas (YAML: did not find expected ',' or ']')"
    ]


def test_two_documents_are_refused(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, "a: 1\n---\nb: 2\n")
    assert doc is None
    assert problems == [
        f"{NAME}:2:1: error: a second document starts here (a line of ---); a file holds one: "
        "remove the --- line, or move what follows into a file of its own "
        "(YAML: but found another document)"
    ]


@pytest.mark.parametrize(
    ("raw", "line", "column"),
    [
        (b"title: ok\nname: caf\xe9\n", 2, 10),
        # Columns count characters as an editor does: the Cyrillic letter is two bytes.
        (b"title: ok\nname: \xd0\x96\xe9\n", 2, 8),
        # A UTF-8 byte order mark (Windows Notepad) does not shift the position.
        (b"\xef\xbb\xbfname: caf\xe9\n", 1, 10),
    ],
)
def test_not_utf8_gives_the_bad_byte_and_its_position(
    tmp_path: Path, raw: bytes, line: int, column: int
) -> None:
    doc, problems = read(tmp_path, raw)
    assert doc is None
    assert problems == [
        f"{NAME}:{line}:{column}: error: the file is not valid UTF-8 text (byte 0xe9); "
        "save it with UTF-8 encoding"
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_refused(tmp_path: Path, encoding: str) -> None:
    raw = "title: Привет\n".encode(encoding)
    if encoding != "utf-16":  # the plain codec writes its own byte order mark
        raw = "\ufeff".encode(encoding) + raw
    doc, problems = read(tmp_path, raw)
    assert doc is None
    assert problems == [f"{NAME}:1:1: error: the file is saved as UTF-16; save it as UTF-8"]


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, "\ufefftitle: Привет\nlat: 59.9\n".encode())
    assert problems == []
    assert doc is not None
    assert doc.data == {"title": "Привет", "lat": 59.9}
    assert doc.key_marks[("title",)] == (1, 1)
    assert doc.value_marks[("lat",)] == (2, 6)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n   \n"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    doc, problems = read(tmp_path, text)
    assert doc is None
    assert problems == [f"{NAME}:1:1: error: the file is empty"]


def test_an_empty_file_is_named_by_its_code_not_only_its_wording(tmp_path: Path) -> None:
    # Callers that accept an empty file (the installation config) match the code, so rewording
    # the message for curators cannot change what they accept.
    path = tmp_path / "x.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    problems = ProblemList()
    read_yaml(path, NAME, problems)
    assert [p.code for p in problems] == [EMPTY_FILE]


def test_file_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as f:
        f.truncate(MAX_YAML_BYTES + 1)  # sparse: instant, and would not parse anyway
    problems = ProblemList()
    assert read_yaml(path, NAME, problems) is None
    assert [str(p) for p in problems] == [
        f"{NAME}:1:1: error: the file is too large (2.0 MB, {MAX_YAML_BYTES + 1:,} bytes; "
        "at most 2.0 MB); split it, or check that nothing else was pasted into it"
    ]


def test_file_at_the_size_cap_is_read(tmp_path: Path) -> None:
    text = "a: " + "x" * (MAX_YAML_BYTES - 4) + "\n"
    assert len(text) == MAX_YAML_BYTES
    doc, problems = read(tmp_path, text)
    assert problems == []
    assert doc is not None
    assert len(doc.data["a"]) == MAX_YAML_BYTES - 4


def test_missing_file(tmp_path: Path) -> None:
    problems = ProblemList()
    assert read_yaml(tmp_path / "absent.yaml", NAME, problems) is None
    assert [str(p) for p in problems] == [f"{NAME}:1:1: error: the file absent.yaml is missing"]


def test_nesting_deeper_than_max_depth_is_refused(tmp_path: Path) -> None:
    # The document's own mapping is the first level, so MAX_DEPTH lists make one level too many.
    doc, problems = read(tmp_path, "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")
    assert doc is None
    column = len("a: ") + MAX_DEPTH  # the bracket that goes one level too deep
    assert problems == [f"{NAME}:1:{column}: error: nested more than {MAX_DEPTH} levels deep"]


def test_nesting_of_max_depth_is_read(tmp_path: Path) -> None:
    depth = MAX_DEPTH - 1
    doc, problems = read(tmp_path, "a: " + "[" * depth + "]" * depth + "\n")
    assert problems == []
    assert doc is not None
    value = doc.data["a"]
    for _ in range(depth - 1):
        value = value[0]
    assert value == []


def test_deep_block_nesting_is_refused(tmp_path: Path) -> None:
    text = "".join("  " * i + "k:\n" for i in range(200)) + "  " * 200 + "x\n"
    doc, problems = read(tmp_path, text)
    assert doc is None
    assert problems == [
        f"{NAME}:{MAX_DEPTH + 1}:{2 * MAX_DEPTH + 1}: error: nested more than {MAX_DEPTH} "
        "levels deep"
    ]


def test_thousands_of_brackets_do_not_crash(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, "a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert doc is None
    assert len(problems) == 1
    assert "nested more than" in problems[0] or "maximum nesting depth" in problems[0]


@pytest.mark.parametrize(
    ("day", "why"),
    [
        ("1917-02-30", "February 1917 has 28 days"),
        ("1917-13-01", "there is no month 13 (dates are YYYY-MM-DD)"),
        ("1918-02-29", "February 1918 has 28 days"),
        ("1917-04-31", "April 1917 has 30 days"),
    ],
)
def test_impossible_date(tmp_path: Path, day: str, why: str) -> None:
    doc, problems = read(tmp_path, f"id: x\ndate: {day}\n")
    assert problems == [f"{NAME}:2:7: error: {day} is not a real date: {why}"]
    assert doc is not None
    assert doc.data == {"id": "x", "date": None}
    assert doc.already_reported(("date",))


def test_leap_day_is_a_date(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, "date: 1916-02-29\n")
    assert problems == []
    assert doc is not None
    assert doc.data == {"date": dt.date(1916, 2, 29)}


def test_yaml_1_1_surprises_are_kept_for_the_loader_to_explain(tmp_path: Path) -> None:
    # read_yaml reads them as YAML does; the loader's messages explain them (test_loader.py).
    doc, problems = read(
        tmp_path,
        "a: yes\nb: no\nc: on\nd: off\ne: 'no'\nf: 6:00\ng: 06:00\nh: 18:30\ni: y\n",
    )
    assert problems == []
    assert doc is not None
    assert doc.data == {
        "a": True,
        "b": False,
        "c": True,
        "d": False,
        "e": "no",
        "f": 360,  # base 60
        "g": "06:00",  # a leading zero is not base 60
        "h": 1110,
        "i": "y",
    }


def test_key_that_is_a_list_is_refused(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, "? [a, b]\n: 1\nc: 2\n")
    assert problems == [
        f"{NAME}:1:3: error: a key must be a single word or text, not a list or mapping"
    ]
    assert doc is not None
    assert doc.data == {"c": 2}


def test_the_shortcut_reads_every_shipped_file_exactly_as_the_careful_path(
    tmp_path: Path,
) -> None:
    # Files with no alias and shallow nesting skip the event scan; what they give must not change.
    shipped = sorted(default_bundle().rglob("*.yaml"))
    assert len(shipped) > 20
    for path in shipped:
        text = path.read_text(encoding="utf-8")
        quick_problems, careful_problems = ProblemList(), ProblemList()
        quick = yaml_source._read_at_once(text, path.name, quick_problems)
        careful = yaml_source._read_carefully(text, path.name, careful_problems)
        assert quick is not None and careful is not None
        assert quick == careful, path
        assert list(quick_problems) == list(careful_problems)


def test_a_file_with_a_syntax_error_takes_the_careful_path(tmp_path: Path) -> None:
    text = "title: [unclosed\nplace: x\n"
    assert yaml_source._read_at_once(text, NAME, ProblemList()) is None
    _doc, problems = read(tmp_path, text)
    careful = ProblemList()
    yaml_source._read_carefully(text, NAME, careful)
    assert problems == [str(p) for p in careful] and problems


def _depth(text: str) -> int:
    """The deepest nesting of collections in `text`, from libyaml's own event stream."""
    depth = deepest = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
    return deepest


# Padding that puts a file over the indicator count, so the second bound is the one that counts.
_MANY_INDICATORS = "".join(f"k{i}: v\n" for i in range(2500))


@pytest.mark.parametrize(
    "nested",
    [
        "".join("  " * i + "k:\n" for i in range(30)) + "  " * 30 + "x\n",  # mappings
        "".join("  " * i + "k:\n" + "  " * i + "- \n" for i in range(15)),  # lists under keys
        "deep:\n" + "- " * 30 + "x\n",  # compact lists on one line
        "deep:\n" + "".join(" " * i + "- a: 1\n" + " " * i + "  b:\n" for i in range(0, 40, 4)),
        "deep: " + "[" * 30 + "]" * 30 + "\n",  # flow
        "deep:\n  k:\n  - {a: [b, {c: [d]}]}\n",  # flow inside block
        "? - - a\n  - b\n: c\n",  # complex keys
    ],
)
def test_the_nesting_bound_is_never_below_the_depth(nested: str) -> None:
    # The shortcut composes a file without scanning it first only when this bound says it cannot
    # nest deeply enough to strain the C composer; it must never understate the depth.
    for text in (nested, _MANY_INDICATORS + nested):
        assert yaml_source._nesting_bound(text) >= _depth(text), text[-200:]


def test_a_long_file_of_short_lines_takes_the_shortcut(tmp_path: Path) -> None:
    # Thousands of entries (a places.yaml of a large bundle) have thousands of indicators but
    # short lines: read at once, with the same result as the careful path.
    text = "".join(f"place-{i}:\n  name:\n    en: Place {i}\n  lat: 59.9\n" for i in range(2000))
    assert yaml_source._nesting_bound(text) < yaml_source._AT_ONCE_MAX_NESTING
    quick_problems, careful_problems = ProblemList(), ProblemList()
    quick = yaml_source._read_at_once(text, NAME, quick_problems)
    careful = yaml_source._read_carefully(text, NAME, careful_problems)
    assert quick is not None and quick == careful
    assert list(quick_problems) == list(careful_problems) == []


def test_deep_block_nesting_in_a_long_file_is_refused(tmp_path: Path) -> None:
    # Many indicators and a nesting the line length allows: the careful path says so.
    deep = "".join("  " * i + "k:\n" for i in range(1200)) + "  " * 1200 + "x\n"
    assert yaml_source._nesting_bound(deep) >= 1200
    doc, problems = read(tmp_path, deep)
    assert doc is None
    assert problems == [
        f"{NAME}:{MAX_DEPTH + 1}:{2 * MAX_DEPTH + 1}: error: nested more than {MAX_DEPTH} "
        "levels deep"
    ]


def test_the_loader_tags_every_node_as_pyyaml_does() -> None:
    # The loader answers some questions of tag resolution itself (quoted text, remembered
    # values); every node of every shipped file, and scalars of each kind, must get the tag
    # PyYAML's own resolver gives.
    texts = [path.read_text(encoding="utf-8") for path in default_bundle().rglob("*.yaml")]
    texts.append(
        "a: 'yes'\nb: yes\nc: \"1917-02-23\"\nd: 1917-02-23\ne: |\n  12\nf: >\n  null\n"
        "g: ~\nh: 0x1F\ni: '3.5'\nj: 3.5\nk: [\"no\", no, '', \"\"]\n? 'key'\n: 1\n"
    )

    def tags(node: yaml.Node | None) -> list[str]:
        assert node is not None
        found = [node.tag]
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                found += tags(key) + tags(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                found += tags(item)
        return found

    for text in texts:
        ours, theirs = yaml_source._Loader(text), yaml.CSafeLoader(text)
        try:
            assert tags(ours.get_single_node()) == tags(theirs.get_single_node())
        finally:
            ours.dispose()
            theirs.dispose()


# --- slips a curator makes, reported where they are (the corpus has one of each) --------------


def test_a_multi_line_quoted_text_is_not_taken_for_an_unclosed_quote(tmp_path: Path) -> None:
    # The closing line of a quoted text has one quotation mark too; it closes, it opens nothing.
    _, problems = read(
        tmp_path, 'body:\n  en: "one line\n    and the next"\n\n  ru: Pskov: it broke\n'
    )
    assert problems == [
        "events/x.yaml:5:12: error: a colon and a space (': ') here start a new field; if they "
        "are part of the text, put the whole text in quotes (YAML: mapping values are not "
        "allowed in this context)"
    ]


def test_a_non_breaking_space_inside_a_text_is_fine(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, 'title: "1917\u00a0г."\nplace: Нева\u00a0река\n')
    assert problems == []
    assert doc is not None and doc.data == {"title": "1917\u00a0г.", "place": "Нева\u00a0река"}


@pytest.mark.parametrize(
    ("text", "column"),
    [("\u00a0 en: x\n", 1), ("- a\n-\u00a0b\nc: d\n", 2), ("title:\u2009x\nb: c\n", 7)],
)
def test_an_odd_space_where_yaml_needs_a_space(tmp_path: Path, text: str, column: int) -> None:
    _, problems = read(tmp_path, text)
    assert len(problems) == 1
    assert f":{column}: error: " in problems[0]
    assert "where YAML needs an ordinary space" in problems[0]


def test_a_comment_written_as_one_is_left_alone(tmp_path: Path) -> None:
    # A # followed by a space is how curators write comments (the starter bundle does).
    doc, problems = read(tmp_path, "id: x   # must match the file name\ncredit: Photo ## 2\n")
    assert problems == []
    assert doc is not None and doc.data == {"id": "x", "credit": "Photo"}


def test_a_hash_in_quotes_is_text(tmp_path: Path) -> None:
    doc, problems = read(tmp_path, 'credit: "Photo #1234, Landesarchiv"\n')
    assert problems == []
    assert doc is not None and doc.data == {"credit": "Photo #1234, Landesarchiv"}


def test_a_quotation_mark_inside_unquoted_text_is_left_alone(tmp_path: Path) -> None:
    # Only a text that ends with an unpaired one has lost its opening quote.
    _, problems = read(tmp_path, 'a: a 12" gun fired\nb: he said "no" twice\n')
    assert problems == []


def test_the_warnings_come_from_the_careful_path_too(tmp_path: Path) -> None:
    # An alias sends the file down the careful path; the slips are still seen there.
    _, problems = read(tmp_path, 'a: &x 1\nb: *x\nc: Photo #12\nd: Pskov."\n')
    assert any("aliases" in p for p in problems)
    assert not any("#12" in p for p in problems)  # the file is refused before any walk
    _, problems = read(tmp_path, '# a comment with a * in it\nc: Photo #12\nd: Pskov."\n')
    assert [p.split(": ")[0] for p in problems] == ["events/x.yaml:2:10", "events/x.yaml:3:4"]
