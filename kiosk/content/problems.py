"""Problems found in a content bundle, each tied to a file, line and column.

Validation never stops at the first mistake: every check appends to a `ProblemList`, and the
caller decides at the end whether the bundle is usable (no errors) or must be refused.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


class Severity(enum.Enum):
    """How bad a problem is: errors refuse the bundle, warnings do not; an info line only reports
    a figure the curator should know (such as how well a historical plan fits its points)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# Codes of the problems some caller treats specially.
EMPTY_FILE = "empty-file"  # a YAML file with no document: only comments, or nothing


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in a bundle, at a 1-based line and column of a file (relative to the bundle)."""

    file: str
    line: int
    column: int
    message: str
    severity: Severity = field(default=Severity.ERROR, compare=False)
    # A stable name for a kind of problem that code reacts to (see the constants below); the
    # message is for people and may be reworded.
    code: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity.value}: {self.message}"


class ProblemList:
    """Collects problems in the order found; sorts them by file and position for reporting."""

    def __init__(self) -> None:
        self._problems: list[Problem] = []

    def error(self, file: str, line: int, column: int, message: str, code: str = "") -> None:
        self._problems.append(Problem(file, line, column, message, Severity.ERROR, code))

    def warning(self, file: str, line: int, column: int, message: str) -> None:
        self._problems.append(Problem(file, line, column, message, Severity.WARNING))

    def info(self, file: str, line: int, column: int, message: str) -> None:
        self._problems.append(Problem(file, line, column, message, Severity.INFO))

    def extend(self, problems: Iterable[Problem]) -> None:
        self._problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity is Severity.WARNING]

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self._problems)

    def sorted(self) -> list[Problem]:
        # Deduplicate: two checks may reach the same conclusion about one spot.
        return sorted(set(self._problems), key=lambda p: (p.file, p.line, p.column, p.message))

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self._problems)


class BundleInvalid(Exception):
    """Raised when a bundle has errors; carries every problem found, warnings included."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = sum(1 for p in problems if p.severity is Severity.ERROR)
        super().__init__(f"the bundle has {errors} error(s)")


class NotABundle(Exception):
    """The folder is not a bundle at all (missing, or no bundle.yaml)."""
