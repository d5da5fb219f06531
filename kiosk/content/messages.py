"""Turning pydantic's validation errors into plain words for curators, at the right spot.

Pydantic reports a location (a path of keys) and an error type; we look the path up in the
file's recorded positions and say what went wrong the way a non-programmer would understand it,
including what YAML did by surprise (unquoted `no` becoming false, `06:00` becoming a number).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from kiosk.content.model import COLOUR_PATTERN, ID_PATTERN, LANG_PATTERN, SOURCE_TAGS
from kiosk.content.problems import ProblemList
from kiosk.content.yaml_source import KeyPath, YamlDocument

_PATTERN_HINTS = {
    ID_PATTERN: (
        "is not a valid id: use lower-case letters, digits and hyphens, such as 'volynsky-mutiny'"
    ),
    LANG_PATTERN: "is not a language code such as 'en' or 'ru'",
    COLOUR_PATTERN: 'is not a colour: write it as "#rrggbb", such as "#1f5fa8"',
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the yes/no value {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, dict):
        return "a mapping of fields"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _yaml_surprise(value: Any, name: str | int | None, written: str | None) -> str | None:
    """Explain values YAML made out of text the curator probably meant literally."""
    quoted = f': "{written}"' if written else ""
    if value is None:
        # Most often a colour written without quotes: YAML takes "#..." for a comment.
        return (
            "there is no value here; if you wrote one starting with #, such as a colour, "
            'put it in quotes: "#1f5fa8" (YAML reads # and what follows as a comment)'
        )
    if isinstance(value, bool):
        return (
            f"YAML read this unquoted word as the yes/no value {str(value).lower()} "
            f"(it does that to yes, no, on, off, true and false); put the text in quotes{quoted}"
        )
    if isinstance(value, (int, float)) and name in ("time", "time_end"):
        # YAML 1.1 reads 6:00 or 18:30 (not 06:00) as base-60 numbers: 360, 1110.
        return (
            f"YAML read this unquoted time as the number {value} (it counts 6:00 as 360 "
            'minutes); write times in quotes, such as "06:00"'
        )
    if isinstance(value, (int, float)):
        return f"YAML read this as the number {value}; put the text in quotes{quoted}"
    if isinstance(value, dt.date):
        return f"YAML read this as a date; put it in quotes to keep it as text{quoted}"
    return None


def _unwrap(annotation: Any, part: str | int) -> Any:
    """The type found one step down `annotation` along a location part."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            models = [a for a in typing.get_args(annotation) if _is_model(a)]
            annotation = models[0] if models else typing.get_args(annotation)[0]
        else:
            break
    if _is_model(annotation) and isinstance(part, str):
        field = annotation.model_fields.get(part)
        return field.annotation if field else None
    origin = typing.get_origin(annotation)
    if origin is list and isinstance(part, int):
        return typing.get_args(annotation)[0]
    if origin is dict:
        return typing.get_args(annotation)[1]
    return None


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def fields_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The field names allowed in the mapping at `loc` of `model`, for "did you mean" hints."""
    annotation = _annotation_at(model, loc)
    if annotation is not None and not _is_model(annotation):
        annotation = _unwrap(annotation, "")  # Optional[Model] -> Model
    return list(annotation.model_fields) if _is_model(annotation) else []


def closest(word: str, choices: list[str]) -> str | None:
    """The choice closest to `word`, or None if none is close."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: list[str]) -> str:
    """A hint naming the closest choice, or nothing if none is close."""
    close = closest(word, choices)
    return f" - did you mean '{close}'?" if close else ""


def _data_at(data: Any, path: KeyPath) -> Any:
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _stray_translation(doc: YamlDocument, path: KeyPath) -> str | None:
    """If the unknown field at `path` is a language code standing right after a field of
    translations (`de:` moved to the start of the line under `summary:`), say so."""
    name = path[-1]
    if not isinstance(name, str) or re.fullmatch(LANG_PATTERN, name) is None:
        return None
    parent = _data_at(doc.data, path[:-1])
    if not isinstance(parent, dict):
        return None
    keys = list(parent)
    index = keys.index(name) if name in keys else 0
    if index == 0:
        return None
    above = keys[index - 1]
    texts = parent[above]
    if not isinstance(texts, dict) or not texts:
        return None
    if not all(isinstance(k, str) and re.fullmatch(LANG_PATTERN, k) for k in texts):
        return None
    last = list(texts)[-1]
    line, column = doc.mark((*path[:-1], above, last), key=True)
    return (
        f"'{name}' is a language, but it starts further left than the translations of "
        f"'{above}' above it, so YAML reads it as a field of its own; indent it to line up "
        f"with '{last}' (line {line}, column {column})"
    )


def _message(  # noqa: C901 - one message per kind of pydantic error
    error: Any, model: type[BaseModel], loc: tuple[str | int, ...], written: str | None
) -> str:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    name = loc[-1] if loc else None
    if kind == "missing":
        return f"the required field '{name}' is missing"
    if kind == "extra_forbidden":
        allowed = fields_at(model, loc[:-1])
        hint = did_you_mean(str(name), allowed)
        if not hint and allowed:
            hint = f" (the fields here are: {', '.join(allowed)})"
        return f"unknown field '{name}'{hint}"
    if kind == "string_type":
        return _yaml_surprise(value, name, written) or f"expected text here, not {_describe(value)}"
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(ctx.get("pattern", ""), "is not written the expected way")
        return f"{value!r} {hint}"
    if kind in ("string_too_short", "too_short") and isinstance(value, str):
        return "this text is empty"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length', 1)} entry here"
    if kind == "string_too_long":
        return f"this text is too long (at most {ctx.get('max_length')} characters)"
    if kind == "literal_error" and loc == ("format",):
        return (
            f"this bundle is written in format {value}, but this kiosk reads "
            f"format {ctx.get('expected')}; update the kiosk, or write the bundle for format "
            f"{ctx.get('expected')}"
        )
    if kind == "literal_error":
        return f"{_describe(value)} is not allowed here; expected {ctx.get('expected')}"
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"):
        return f"expected a number here, not {_describe(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false here, not {_describe(value)}"
    if kind.startswith("date"):
        if isinstance(value, str):
            return f"{value!r} is not a real date written YYYY-MM-DD"
        return f"expected a date written YYYY-MM-DD, not {_describe(value)}"
    if kind in ("dict_type", "model_type"):
        if typing.get_origin(_annotation_at(model, loc)) is dict:
            return f"expected translations such as {{en: ..., ru: ...}}, not {_describe(value)}"
        return f"expected fields (name: value) here, not {_describe(value)}"
    if kind == "path_type":
        return f"expected a file or folder path written as text, not {_describe(value)}"
    if kind in ("list_type", "tuple_type"):
        example = f"[{value}]" if isinstance(value, str) and value else "[a, b]"
        return f"expected a list here, such as {example}, not {_describe(value)}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"must be at least {ctx.get('ge', ctx.get('gt'))}, not {value}"
    if kind in ("less_than_equal", "less_than"):
        return f"must be at most {ctx.get('le', ctx.get('lt'))}, not {value}"
    if kind in ("value_error", "assertion_error"):
        return str(error["msg"]).removeprefix("Value error, ")
    return str(error["msg"])


def _annotation_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> Any:
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation, part)
        if annotation is None:
            return None
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def report_validation_error(
    exc: ValidationError,
    model: type[BaseModel],
    doc: YamlDocument,
    base: KeyPath,
    problems: ProblemList,
) -> None:
    """Add one positioned problem per pydantic error of validating doc.data[base] as model."""
    errors = exc.errors()
    # A misspelt field also leaves the real one missing; the "did you mean" hint on the
    # misspelling says it all, so the second report is left out.
    misspelt: set[tuple[str | int, ...]] = set()
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "extra_forbidden" and loc:
            meant = closest(str(loc[-1]), fields_at(model, loc[:-1]))
            if meant is not None:
                misspelt.add((*loc[:-1], meant))
    for error in errors:
        # A union's branch is named in the location ("source:text", "source:translations"); the
        # curator's file has no such level, so it is left out.
        loc = tuple(part for part in error["loc"] if part not in SOURCE_TAGS)
        if error["type"] == "missing" and loc in misspelt:
            continue
        # Dict-key errors are reported by pydantic as "[key]" under the key's own location.
        is_key = bool(loc) and loc[-1] == "[key]"
        if is_key:
            loc = loc[:-1]
        if doc.already_reported((*base, *loc)):
            continue
        # Point at the key for a misspelt field or a bad key, else at the value itself.
        on_key = (error["type"] == "extra_forbidden" or is_key) and bool(loc)
        line, column = doc.mark((*base, *loc), key=on_key)
        written = doc.written.get((*base, *loc))
        message = None
        if error["type"] == "extra_forbidden" and loc:
            message = _stray_translation(doc, (*base, *loc))
        message = message or _message(error, model, loc, written)
        problems.error(doc.file, line, column, message)
