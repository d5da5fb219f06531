"""The PySide6 / Python combinations known to crash are refused, and the pins avoid them."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from kiosk.compat import unsafe_combination

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("python", "pyside", "unsafe"),
    [
        ((3, 11), "6.12.0", True),
        ((3, 11), "6.12.1", True),
        ((3, 11), "6.12.0a1", True),
        ((3, 10), "6.12.0", True),
        ((3, 11), "6.11.3", False),
        ((3, 11), "6.10.3", False),
        ((3, 11), "6.13.0", False),
        ((3, 12), "6.12.0", False),
        ((3, 13), "6.12.0", False),
    ],
)
def test_unsafe_combination(python: tuple[int, int], pyside: str, unsafe: bool) -> None:
    assert unsafe_combination(python, pyside) is unsafe


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, requirement
    return _normalise(match.group(1))


def _pins() -> dict[str, str]:
    """constraints.txt as normalised name -> exact version."""
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, version = line.partition("==")
        assert sep and version.strip(), f"constraints.txt: {line!r} is not pinned with =="
        pins[_normalise(name.strip())] = version.strip()
    return pins


def _direct_dependencies() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    return {_requirement_name(r) for r in requirements}


def test_requirement_names_are_parsed() -> None:
    assert _requirement_name("PySide6-Essentials>=6.10.3,<6.12; python_version < '3.12'") == (
        "pyside6-essentials"
    )
    assert _requirement_name("types-PyYAML") == "types-pyyaml"
    assert _normalise("PySide6_Essentials") == "pyside6-essentials"


def test_every_dependency_is_pinned() -> None:
    direct = _direct_dependencies()
    assert {"pyside6-essentials", "pyyaml", "pydantic", "pytest", "ruff", "mypy"} <= direct
    missing = sorted(direct - set(_pins()))
    assert missing == [], f"not pinned in constraints.txt: {missing}"


def test_pinned_pyside_is_not_the_crashing_line() -> None:
    pins = _pins()
    version = pins["pyside6-essentials"]
    assert not version.startswith("6.12."), version
    assert version != "6.12"
    assert not unsafe_combination((3, 11), version)
    # shiboken6 is PySide6's binding runtime and is released with it, version for version.
    assert pins["shiboken6"] == version
