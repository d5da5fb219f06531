"""Safe YAML reading that remembers where every value came from.

PyYAML on its own keeps the last of two duplicate keys, expands aliases without limit, and forgets
positions. Curators need better: every mistake pointed at by line and column, and a hostile file
must stay harmless. So a file is read in three steps:

1. the event stream is scanned (iteratively, so nothing recurses): aliases and deep nesting are
   refused before any tree is built;
2. the C loader composes the node tree;
3. we walk the nodes ourselves, building plain dicts, lists and scalars, refusing duplicate keys
   and any tag beyond plain YAML's, and recording the position of every key and value.

Most files cannot hold an alias (no `*` in them) nor nest deeply enough to strain the C
composer (few indicators, or short lines and few brackets), so for them step 1 is skipped and
the walk itself refuses nesting beyond `MAX_DEPTH`. Anything unusual there (a syntax error, too
deep) sends the file down the careful path above, so every message stays exactly what it was;
the shortcut halves the time of a bundle of thousands of event files.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kiosk.content.problems import EMPTY_FILE, ProblemList
from kiosk.content.safe_read import FileTooLarge, NotARegularFile, read_regular_file

try:  # The C loader is about 9x faster; fall back where libyaml is missing.
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

KeyPath = tuple[str | int, ...]  # the keys and list indices from a document's root to a value
Mark = tuple[int, int]  # 1-based line and column

MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32
# Every level of nesting takes at least one of these characters. A file that cannot nest deeper
# than _AT_ONCE_MAX_NESTING cannot strain the C composer's recursion (see _nesting_bound).
_NESTING_INDICATORS = ":-[{?"
_AT_ONCE_MAX_NESTING = 2000

_ALLOWED_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


@dataclass
class YamlDocument:
    """A file's data as plain Python values, with the position of each value and key."""

    file: str
    data: Any
    value_marks: dict[KeyPath, Mark] = field(default_factory=dict)
    key_marks: dict[KeyPath, Mark] = field(default_factory=dict)
    # Values already reported while reading (an impossible date, a forbidden tag): they are
    # left as None, and later checks must not report them a second time.
    reported: set[KeyPath] = field(default_factory=set)
    # What the file says, for values YAML read as something other than text (`no` -> false), so
    # a message can show the curator their own words in quotes.
    written: dict[KeyPath, str] = field(default_factory=dict)

    def already_reported(self, path: KeyPath) -> bool:
        return any(path[:end] in self.reported for end in range(len(path) + 1))

    def mark(self, path: KeyPath, *, key: bool = False) -> Mark:
        """Position of the value at `path` (or of its key), else of its nearest known parent."""
        marks = self.key_marks if key else self.value_marks
        for end in range(len(path), -1, -1):
            found = marks.get(path[:end]) or (self.value_marks.get(path[:end]) if key else None)
            if found:
                return found
        return (1, 1)


_MONTHS = "January February March April May June July August September October November December"


def impossible_date_message(written: str) -> str:
    """Why a date such as 1917-02-30 does not exist, in words."""
    match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", written)
    if match:
        year, month, day = (int(part) for part in match.groups())
        if not 1 <= month <= 12:
            return f"{written} is not a real date: there is no month {month} (dates are YYYY-MM-DD)"
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            return (
                f"{written} is not a real date: {_MONTHS.split()[month - 1]} {year} has {days} days"
            )
    return f"{written} is not a real date (check the day and month)"


def _size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size} bytes"


def _mark(node: yaml.Node) -> Mark:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _decode(raw: bytes, file: str, problems: ProblemList) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.error(file, 1, 1, "the file is saved as UTF-16; save it as UTF-8")
        return None
    # The UTF-8 byte order mark (Windows Notepad writes one) is dropped here rather than by the
    # "utf-8-sig" codec, whose error offsets would then not count it.
    body = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = body[: exc.start]
        line = before.count(b"\n") + 1
        # Count characters, not bytes, as an editor does (and as YAML positions do): what
        # precedes the bad byte is valid UTF-8.
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8")) + 1
        problems.error(
            file,
            line,
            column,
            f"the file is not valid UTF-8 text (byte 0x{body[exc.start]:02x}); "
            "save it with UTF-8 encoding",
        )
        return None


# libyaml's wording, then what it means for someone writing a bundle file.
_SYNTAX_HINTS = (
    (
        "did not find expected key",
        "this line does not fit with the lines around it: check its indentation, and put text "
        "that contains a colon, a quotation mark or a # in quotes",
    ),
    (
        "mapping values are not allowed",
        "a colon and a space (': ') here start a new field; if they are part of the text, "
        "put the whole text in quotes",
    ),
    (
        "could not find expected ':'",
        "a field name must be followed by a colon; if this line continues the text above, "
        "put that text in quotes",
    ),
    ("end of stream", "a quotation mark opened here is never closed"),
    (
        "cannot start any token",
        "this character cannot start a value without quotes; put the text in quotes",
    ),
    (
        "expected ',' or ']'",
        "a list opened with [ is not closed with ], or its items are not separated by commas",
    ),
    (
        "expected ',' or '}'",
        "a group opened with { is not closed with }, or its items are not separated by commas",
    ),
    (
        "expected '-' indicator",
        "this line does not line up with the list items (- ...) above it; check its indentation",
    ),
    ("expected node content", "a value is missing here"),
    (
        "found another document",
        "a second document starts here (a line of ---); a file holds one: remove the --- line, "
        "or move what follows into a file of its own",
    ),
    ("undefined tag handle", "a ! here starts a YAML tag; put the text in quotes"),
    (
        "unknown escape character",
        "a backslash in double quotes starts a special character; write \\\\ for a "
        "backslash, or use single quotes",
    ),
    (
        "sequence entries are not allowed",
        "a list item (- ...) cannot start here; put it on its own line under its field",
    ),
)


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[Mark, str]:
    """Where a syntax error is, and what it means in plain words.

    libyaml reports where it gave up, which is often a line or two after the slip; the common
    slips are recognised first and reported where they are.
    """
    problem = exc.problem or ""
    lines = text.splitlines()
    mark = exc.problem_mark
    found = _odd_space(lines, mark.line if mark is not None else len(lines) - 1)
    if found is not None:
        return found
    found = _typographic_quotes(lines, mark, problem)
    if found is not None:
        return found
    found = _line_moved_left(lines, mark, problem)
    if found is not None:
        return found
    unclosed = _unclosed_quote_line(lines, mark.line if mark is not None else 0)
    if unclosed is not None and "end of stream" not in problem and "tab" not in problem:
        column = lines[unclosed - 1].find('"') + 1
        return (unclosed, column), (
            f"this quotation mark is not closed on its line, so the text runs on into the "
            f"next lines; close it (YAML: {problem})"
        )
    if mark is not None and mark.line < len(lines):
        before = lines[mark.line][: mark.column].rstrip()
        if before.endswith(('"', "'")) and "expected key" in problem:
            return _syntax_mark(exc), (
                "there is text after the closing quotation mark; put all of the text inside "
                f"the quotes (YAML: {problem})"
            )
    return _syntax_mark(exc), _syntax_message(exc, text)


def _syntax_message(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem = exc.problem or "the YAML syntax is wrong here"
    # libyaml names the tab only in some cases; a tab starting a line is reported as a character
    # "that cannot start any token", so look at the character itself too.
    mark = exc.problem_mark
    lines = text.splitlines()
    at_tab = (
        mark is not None
        and mark.line < len(lines)
        and lines[mark.line][mark.column : mark.column + 1] == "\t"
    )
    if at_tab or "tab" in problem.lower() or "\t" in problem:
        return "a tab character is used here; YAML indents with spaces only"
    for wording, hint in _SYNTAX_HINTS:
        if wording in problem:
            # libyaml's own words stay in brackets: they are what a web search finds.
            return f"{hint} (YAML: {problem})"
    context = f" ({exc.context})" if exc.context else ""
    return f"YAML syntax error: {problem}{context}"


def _unclosed_quote_line(lines: list[str], index: int) -> int | None:
    """The line (1-based) above `index` whose double quotes do not pair up, if any.

    An unclosed quotation runs on, and libyaml trips over a later line: the next one, or, when
    the lines in between hold no quotation mark (such as `sources:` before its list), the first
    line with one, where the run-on text ends. So the lines above are looked at up to the first
    that has a quotation mark; it counts only if its first one opens a text (after `key: `,
    `- `, `[`, `{` or `,`), not if it closes one that began further up. A stray quotation mark
    on the line libyaml reports is a different mistake (text after a closing quote).
    """
    for number in range(index - 1, max(index - 1 - _UNCLOSED_LOOK_BACK, -1), -1):
        if not 0 <= number < len(lines):
            return None
        line = lines[number].split(" #")[0].replace('\\"', "")
        quotes = line.count('"')
        if not quotes:
            continue
        if quotes % 2 == 1 and (number == index - 1 or _OPENING_QUOTE.match(line)):
            return number + 1
        return None
    return None


_UNCLOSED_LOOK_BACK = 4
# A line whose first double quote opens a text: `key: "`, `- "`, or inside [ ] or { }.
_OPENING_QUOTE = re.compile(r'^[^"]*(?::\s+|-\s+|[\[{,]\s*)"')

# Spaces that look like spaces but are not YAML's: pasted from word processors (U+00A0 above all).
_ODD_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u3000"
# Where YAML needs an ordinary space: in the indentation, after a field's colon, after a list's
# dash. (Inside a text such a space is fine: Russian typography puts one before a dash.)
_ODD_SPACE = re.compile(
    rf"^(?P<indent>[ ]*)[{_ODD_SPACES}]"
    rf"|^[ ]*(?:-[ ]+)?[^\s:#\"'][^:#\"']*:(?P<colon>[{_ODD_SPACES}])"
    rf"|^[ ]*-(?P<dash>[{_ODD_SPACES}])"
)
_ODD_SPACE_IN_KEY = re.compile(f"[{_ODD_SPACES}]")
_SPACE_NAMES = {"\u00a0": "a non-breaking space (U+00A0)"}


def _odd_space(lines: list[str], last: int) -> tuple[Mark, str] | None:
    """The first space YAML does not count as one where it needs one, up to line `last`."""
    for number, line in enumerate(lines[: last + 1]):
        match = _ODD_SPACE.match(line)
        if match is None:
            continue
        column = match.end()  # the odd space is the match's last character
        return (number + 1, column), _odd_space_message(line[column - 1])
    return None


def _odd_space_message(character: str) -> str:
    name = _SPACE_NAMES.get(character, f"a special space (U+{ord(character):04X})")
    return (
        f"{name} stands here, where YAML needs an ordinary space; it usually comes from "
        "text pasted from a word processor: delete it and type a normal space"
    )


# Typographic quotation marks that word processors put in place of straight ones.
_TYPOGRAPHIC_QUOTES = "\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019\u201a"
_CLOSING_QUOTES = {
    "\u201c": "\u201d",
    "\u201e": "\u201c",
    "\u00ab": "\u00bb",
    "\u2018": "\u2019",
    "\u201a": "\u2018",
}
_TYPOGRAPHIC_VALUE = re.compile(
    rf"^\s*(?:-\s+)?(?:[^\s:#]+:\s+)?(?P<quote>[{_TYPOGRAPHIC_QUOTES}])"
)


def _typographic_quotes(
    lines: list[str], mark: yaml.Mark | None, problem: str
) -> tuple[Mark, str] | None:
    """A text in typographic quotes (“...”) with a colon inside: YAML reads those quotes as
    letters, so the colon and space start a new field."""
    if mark is None or mark.line >= len(lines) or "mapping values" not in problem:
        return None
    match = _TYPOGRAPHIC_VALUE.match(lines[mark.line])
    if match is None or match.start("quote") >= mark.column:
        return None
    quote = match.group("quote")
    pair = f"{quote}...{_CLOSING_QUOTES.get(quote, quote)}"
    return (mark.line + 1, match.start("quote") + 1), (
        f"this text is in typographic quotation marks ({pair}), which YAML reads as ordinary "
        "letters, so the ': ' inside it starts a new field; put the whole text in straight "
        f'quotes: "..." (around the {pair} if visitors should see them) (YAML: {problem})'
    )


_KEY_AND_VALUE = re.compile(r"^(?P<indent>[ ]*)(?:-[ ]+)?(?P<key>[^\s:#\"'][^:#]*):[ ]+[^\s|>#]")


def _line_moved_left(
    lines: list[str], mark: yaml.Mark | None, problem: str
) -> tuple[Mark, str] | None:
    """A `key: value` line that starts further left than the line after it: YAML reads the next
    line as more of this one's value and trips over its colon. The slip is the line moved left."""
    if mark is None or "mapping values" not in problem or not 0 < mark.line < len(lines):
        return None
    below = lines[mark.line]
    number = mark.line - 1
    while number >= 0 and (not lines[number].strip() or lines[number].lstrip().startswith("#")):
        number -= 1
    if number < 0:
        return None
    match = _KEY_AND_VALUE.match(lines[number])
    below_indent = len(below) - len(below.lstrip(" "))
    if match is None or len(match.group("indent")) >= below_indent:
        return None
    key = match.group("key")
    return (number + 1, len(match.group("indent")) + 1), (
        f"'{key}' starts further left than the next line (line {mark.line + 1}, which starts "
        f"at column {below_indent + 1}), so YAML reads that line as more of this one's value; "
        "the fields of one entry start in the same column: move this line to line up with "
        "them (YAML: " + problem + ")"
    )


def _syntax_mark(exc: yaml.MarkedYAMLError) -> Mark:
    # An unclosed quotation runs to the end of the file; where it opened is what helps.
    mark = exc.problem_mark or exc.context_mark
    if exc.problem and "end of stream" in exc.problem and exc.context_mark is not None:
        mark = exc.context_mark
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _reader_error(exc: yaml.reader.ReaderError, text: str) -> tuple[Mark, str]:
    before = text[: exc.position]
    line = before.count("\n") + 1
    column = exc.position - (before.rfind("\n") + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
    return (line, column), (
        f"the file contains an invisible control character (U+{code:04X}) that text files "
        "must not have; delete it (it often comes from copying text out of another program)"
    )


def _event_mark(event: yaml.Event) -> Mark:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _scan_events(text: str, file: str, problems: ProblemList) -> bool:
    """Refuse aliases and runaway nesting by looking at the event stream; True if safe."""
    depth = 0
    aliases: list[Mark] = []
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            aliases.append(_event_mark(event))
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                line, column = _event_mark(event)
                problems.error(file, line, column, f"nested more than {MAX_DEPTH} levels deep")
                return False
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    if aliases:
        # One report per file: an alias bomb has hundreds, and one line says it all.
        line, column = aliases[0]
        more = f" ({len(aliases)} in this file)" if len(aliases) > 1 else ""
        problems.error(
            file,
            line,
            column,
            f"aliases (*name) are not allowed{more}; write the value out in full",
        )
    return not aliases


def _tag_message(tag: str) -> str:
    # Shown as the curator wrote it: !!python/... rather than tag:yaml.org,2002:python/...
    written = tag.replace("tag:yaml.org,2002:", "!!", 1)
    return (
        f"the tag {written} is not allowed (tags can make YAML create objects or run "
        "programs); remove it"
    )


# A comment right after an unquoted text whose # touches a word, a number or a sign (`Photo
# #1234`): the # was meant as part of the text. A comment a curator writes has a space after its
# # (`id: x  # must match the file name`), and is left alone.
_CUT_BY_COMMENT = re.compile(r"[ \t]+(?P<hash>#)(?P<rest>[^\s#][^\n]*)")


class _TooDeep(Exception):
    """Nesting beyond MAX_DEPTH met while walking: the careful path reports it."""


# Plain scalars resolve to their implicit tag by regular expressions, in Python; keys and short
# values repeat across files (en, title, date: ...), so their tags are remembered. The composer
# asks for every scalar, quoted ones too, which are always text.
_RESOLVED: dict[tuple[str, tuple[bool, bool]], str] = {}
_RESOLVED_MAX_LENGTH = 40
_RESOLVED_MAX_ENTRIES = 20_000


class _Loader(_SafeLoader):
    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and not implicit[0] and not self.yaml_path_resolvers:
            return _STR_TAG  # quoted or block text is text: what PyYAML's resolver concludes too
        if kind is not yaml.ScalarNode or len(value) > _RESOLVED_MAX_LENGTH:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = _RESOLVED.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(_RESOLVED) < _RESOLVED_MAX_ENTRIES:
                _RESOLVED[key] = tag
        return tag


class _Walker:
    """Turns a composed node tree into plain values, recording positions and refusing tricks.

    This runs for every node of every file, so the common cases (text values, text keys) take
    the shortest way; everything else goes through `_scalar` and the checks in `_mapping`.
    """

    def __init__(self, loader: Any, doc: YamlDocument, problems: ProblemList, text: str) -> None:
        self._loader = loader
        self._doc = doc
        self._problems = problems
        self._value_marks = doc.value_marks
        self._key_marks = doc.key_marks
        self._text = text
        # Unquoted texts are looked at only in a file where a slip is possible at all.
        self._plain_checks = '"' in text or "#" in text

    def _error(self, node: yaml.Node, message: str, path: KeyPath | None = None) -> None:
        line, column = _mark(node)
        self._problems.error(self._doc.file, line, column, message)
        if path is not None:
            self._doc.reported.add(path)

    def walk(self, node: yaml.Node, path: KeyPath) -> Any:
        start = node.start_mark
        self._value_marks[path] = (start.line + 1, start.column + 1)
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR_TAG:
                if self._plain_checks and not node.style:
                    self._check_plain_text(node)
                return node.value  # what the constructor would give, without its bookkeeping
            return self._scalar(node, path)
        if len(path) >= MAX_DEPTH:
            raise _TooDeep  # only on the shortcut: the careful path refused this file already
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self._error(node, _tag_message(node.tag), path)
                return None
            return [self.walk(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _check_plain_text(self, node: yaml.ScalarNode) -> None:
        """Warn about an unquoted text that YAML read other than the curator meant: a closing
        quotation mark without its opening one, or a ` #` that cut the rest of the line off."""
        value: str = node.value
        if value.endswith('"') and value.count('"') % 2 == 1:
            line, column = _mark(node)
            self._problems.warning(
                self._doc.file,
                line,
                column,
                "this text ends with a quotation mark but does not start with one, so visitors "
                'would see the " at its end; add the opening quotation mark before the text '
                "(or remove the closing one)",
            )
        end = node.end_mark.index
        comment = _CUT_BY_COMMENT.match(self._text, end)
        if comment is not None:
            line = node.end_mark.line + 1
            column = node.end_mark.column + comment.start("hash") - end + 1
            rest = "#" + comment.group("rest").rstrip()
            whole = f"{value} {rest}".replace('"', '\\"')
            self._problems.warning(
                self._doc.file,
                line,
                column,
                f"the text stops before '{rest}': YAML reads a # after a space as the start of a "
                f"comment and drops the rest of the line, so visitors would read only "
                f"'{value}'; put the whole text in quotes: \"{whole}\"",
            )

    def _scalar(self, node: yaml.Node, path: KeyPath) -> Any:
        if node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
            return node.value  # what the constructor would give, without its bookkeeping
        if node.tag not in _ALLOWED_SCALAR_TAGS:
            self._error(node, _tag_message(node.tag), path)
            return None
        try:
            value = self._loader.construct_object(node)
        except (yaml.YAMLError, ValueError) as exc:
            if node.tag == "tag:yaml.org,2002:timestamp":
                self._error(node, impossible_date_message(node.value), path)
            else:
                self._error(node, f"this value cannot be read: {str(exc).splitlines()[0]}", path)
            return None
        if not isinstance(value, str) and isinstance(node, yaml.ScalarNode) and node.value:
            self._doc.written[path] = node.value
        return value

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[Any, Any] | None:
        if node.tag != _MAP_TAG:
            self._error(node, _tag_message(node.tag), path)
            return None
        key_marks = self._key_marks
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is yaml.ScalarNode and key_node.tag == _STR_TAG:
                key = key_node.value  # a text key, as almost all are
            else:
                if not isinstance(key_node, yaml.ScalarNode):
                    self._error(
                        key_node, "a key must be a single word or text, not a list or mapping"
                    )
                    continue
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self._error(key_node, "merge keys (<<) are not allowed; write the fields out")
                    continue
                key = self._scalar(key_node, (*path, "<key>"))
                try:
                    hash(key)
                except TypeError:  # pragma: no cover - scalars are hashable
                    continue
            if isinstance(key, str) and not key.isascii() and _ODD_SPACE_IN_KEY.search(key):
                # Valid YAML, but a key such as "\u00a0 en" (an indentation pasted from Word)
                # would only be "unknown field" further on.
                where = _ODD_SPACE_IN_KEY.search(key)
                assert where is not None
                line, column = _mark(key_node)
                self._problems.error(
                    self._doc.file, line, column + where.start(), _odd_space_message(where.group())
                )
                continue
            key_path = (*path, key)
            if key in result:
                first_line = key_marks[key_path][0]
                self._error(
                    key_node,
                    f"duplicate key '{key}' (first given on line {first_line}); "
                    "YAML would silently keep only the last one",
                )
                continue
            start = key_node.start_mark
            key_marks[key_path] = (start.line + 1, start.column + 1)
            result[key] = self.walk(value_node, key_path)
        return result


def read_yaml(path: Path, file: str, problems: ProblemList) -> YamlDocument | None:
    """Read one YAML file safely, reporting problems; None if it cannot be read at all.

    `file` is the name used in messages (the path relative to the bundle).
    """
    try:
        # Bounded, and only a regular file: a link to /dev/zero says it has 0 bytes and never
        # ends, a FIFO blocks the reader (issue 17, finding 11).
        raw = read_regular_file(path, MAX_YAML_BYTES)
    except FileTooLarge as exc:
        problems.error(
            file,
            1,
            1,
            f"the file is too large ({_size(exc.size)}, {exc.size:,} bytes; at most "
            f"{_size(MAX_YAML_BYTES)}); "
            "split it, or check that nothing else was pasted into it",
        )
        return None
    except NotARegularFile:
        problems.error(
            file,
            1,
            1,
            "this is not a plain file (a device, a pipe, or a link to one); "
            "put the file itself here",
        )
        return None
    except FileNotFoundError:
        other = path.with_suffix(".yml")
        hint = f" (there is a {other.name}: rename it to {path.name})" if other.is_file() else ""
        problems.error(file, 1, 1, f"the file {path.name} is missing{hint}")
        return None
    except IsADirectoryError:
        problems.error(file, 1, 1, "this is a folder, but a file is needed here")
        return None
    except OSError as exc:
        problems.error(file, 1, 1, f"the file cannot be read: {exc.strerror or exc}")
        return None
    text = _decode(raw, file, problems)
    if text is None:
        return None
    if "*" not in text and _nesting_bound(text) < _AT_ONCE_MAX_NESTING:
        read = _read_at_once(text, file, problems)
        if read is not None:
            return read
    return _read_carefully(text, file, problems)


def _nesting_bound(text: str) -> int:
    """A number the nesting depth of `text` cannot exceed, cheap to compute.

    Each level takes one of the indicator characters, so their count bounds the depth. A long
    file has many, so it has a second bound: a block collection nested in another starts at a
    greater column, except a list as a mapping's value (it may start under its key), so block
    nesting is at most two levels per column of the longest line; flow nesting takes a [ or {
    per level. (Lines are split at newlines only: YAML breaks lines at a few other characters
    too, so this can only overstate a line's length.)
    """
    indicators = sum(text.count(character) for character in _NESTING_INDICATORS)
    if indicators < _AT_ONCE_MAX_NESTING:
        return indicators
    longest = max(map(len, text.split("\n")))
    return min(indicators, 2 * (longest + 1) + text.count("[") + text.count("{"))


def _read_at_once(text: str, file: str, problems: ProblemList) -> YamlDocument | None:
    """The document of a file that holds no alias and cannot nest dangerously deep, composed
    without scanning it first; None if anything is amiss (the careful path then says what)."""
    doc = YamlDocument(file=file, data=None)
    found = ProblemList()
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        doc.data = _Walker(loader, doc, found, text).walk(node, ())
    except (yaml.YAMLError, _TooDeep):
        return None
    finally:
        loader.dispose()
    problems.extend(found)
    return doc


def _read_carefully(text: str, file: str, problems: ProblemList) -> YamlDocument | None:
    doc = YamlDocument(file=file, data=None)
    loader = _Loader(text)
    try:
        if not _scan_events(text, file, problems):
            return None
        node = loader.get_single_node()
        if node is None:
            # Also for a file of comments only.
            problems.error(file, 1, 1, "the file is empty", code=EMPTY_FILE)
            return None
        doc.data = _Walker(loader, doc, problems, text).walk(node, ())
    except yaml.MarkedYAMLError as exc:
        (line, column), message = _syntax_problem(exc, text)
        problems.error(file, line, column, message)
        return None
    except yaml.reader.ReaderError as exc:
        (line, column), message = _reader_error(exc, text)
        problems.error(file, line, column, message)
        return None
    except yaml.YAMLError as exc:
        problems.error(file, 1, 1, f"YAML error: {str(exc).splitlines()[0]}")
        return None
    finally:
        loader.dispose()
    # Problems inside values (duplicates, bad dates, tags) are already reported, and the rest of
    # the file is still worth checking, so the document is returned.
    return doc
