"""Safe YAML reading that remembers where every value came from.

PyYAML on its own keeps the last of two duplicate keys, expands aliases without limit, and forgets
positions. Curators need better: every mistake pointed at by line and column, and a hostile file
must stay harmless. So a file is read in three steps:

1. the event stream is scanned (iteratively, so nothing recurses): aliases and deep nesting are
   refused before any tree is built;
2. the C loader composes the node tree;
3. we walk the nodes ourselves, building plain dicts, lists and scalars, refusing duplicate keys
   and any tag beyond plain YAML's, and recording the position of every key and value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kiosk.content.problems import ProblemList

try:  # The C loader is about 9x faster; fall back where libyaml is missing.
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]
Mark = tuple[int, int]  # 1-based line and column

MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32

_ALLOWED_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


@dataclass
class YamlDocument:
    """A file's data as plain Python values, with the position of each value and key."""

    file: str
    data: Any
    value_marks: dict[Path_, Mark] = field(default_factory=dict)
    key_marks: dict[Path_, Mark] = field(default_factory=dict)
    # Values already reported while reading (an impossible date, a forbidden tag): they are
    # left as None, and later checks must not report them a second time.
    reported: set[Path_] = field(default_factory=set)

    def already_reported(self, path: Path_) -> bool:
        return any(path[:end] in self.reported for end in range(len(path) + 1))

    def mark(self, path: Path_, *, key: bool = False) -> Mark:
        """Position of the value at `path` (or of its key), else of its nearest known parent."""
        marks = self.key_marks if key else self.value_marks
        for end in range(len(path), -1, -1):
            found = marks.get(path[:end]) or (self.value_marks.get(path[:end]) if key else None)
            if found:
                return found
        return (1, 1)


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
    context = f" ({exc.context})" if exc.context else ""
    return f"YAML syntax error: {problem}{context}"


def _event_mark(event: yaml.Event) -> Mark:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _scan_events(text: str, file: str, problems: ProblemList) -> bool:
    """Refuse aliases and runaway nesting by looking at the event stream; True if safe."""
    depth = 0
    safe = True
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            line, column = _event_mark(event)
            problems.error(
                file, line, column, "aliases (*name) are not allowed; write the value out in full"
            )
            safe = False
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                line, column = _event_mark(event)
                problems.error(file, line, column, f"nested more than {MAX_DEPTH} levels deep")
                return False
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return safe


class _Walker:
    """Turns a composed node tree into plain values, recording positions and refusing tricks."""

    def __init__(self, loader: Any, doc: YamlDocument, problems: ProblemList) -> None:
        self._loader = loader
        self._doc = doc
        self._problems = problems

    def _error(self, node: yaml.Node, message: str, path: Path_ | None = None) -> None:
        line, column = _mark(node)
        self._problems.error(self._doc.file, line, column, message)
        if path is not None:
            self._doc.reported.add(path)

    def walk(self, node: yaml.Node, path: Path_) -> Any:
        self._doc.value_marks[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self._error(node, f"the tag {node.tag!r} is not allowed; remove it", path)
                return None
            return [self.walk(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _scalar(self, node: yaml.Node, path: Path_) -> Any:
        if node.tag not in _ALLOWED_SCALAR_TAGS:
            self._error(node, f"the tag {node.tag!r} is not allowed; remove it", path)
            return None
        try:
            return self._loader.construct_object(node)
        except (yaml.YAMLError, ValueError) as exc:
            reason = str(exc).split("\n")[0]
            if node.tag == "tag:yaml.org,2002:timestamp":
                reason = f"{node.value} is not a real date (check the day and month)"
            self._error(node, f"this value cannot be read: {reason}", path)
            return None

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any] | None:
        if node.tag != _MAP_TAG:
            self._error(node, f"the tag {node.tag!r} is not allowed; remove it", path)
            return None
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._error(key_node, "a key must be a single word or text, not a list or mapping")
                continue
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._error(key_node, "merge keys (<<) are not allowed; write the fields out")
                continue
            key = self._scalar(key_node, (*path, "<key>"))
            try:
                hash(key)
            except TypeError:  # pragma: no cover - scalars are hashable
                continue
            if key in result:
                first_line = self._doc.key_marks[(*path, key)][0]
                self._error(
                    key_node,
                    f"duplicate key '{key}' (first given on line {first_line}); "
                    "YAML would silently keep only the last one",
                )
                continue
            self._doc.key_marks[(*path, key)] = _mark(key_node)
            result[key] = self.walk(value_node, (*path, key))
        return result


def read_yaml(path: Path, file: str, problems: ProblemList) -> YamlDocument | None:
    """Read one YAML file safely, reporting problems; None if it cannot be read at all.

    `file` is the name used in messages (the path relative to the bundle).
    """
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            problems.error(
                file, 1, 1, f"the file is too large ({size} bytes; at most {MAX_YAML_BYTES})"
            )
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(file, 1, 1, f"the file cannot be read: {exc.strerror or exc}")
        return None
    text = _decode(raw, file, problems)
    if text is None:
        return None
    doc = YamlDocument(file=file, data=None)
    loader = _SafeLoader(text)
    try:
        if not _scan_events(text, file, problems):
            return None
        node = loader.get_single_node()
        if node is None:
            problems.error(file, 1, 1, "the file is empty")
            return None
        doc.data = _Walker(loader, doc, problems).walk(node, ())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.error(file, line, column, _syntax_message(exc, text))
        return None
    except yaml.YAMLError as exc:
        problems.error(file, 1, 1, f"YAML error: {exc}")
        return None
    finally:
        loader.dispose()
    # Problems inside values (duplicates, bad dates, tags) are already reported, and the rest of
    # the file is still worth checking, so the document is returned.
    return doc
