"""The one kind of diagnostic every stage reports: a problem at a place in a file.

Every problem carries the code of the rule it breaks (`unknown-key`, `duplicate`, `ledger` …,
listed in docs/card-format.md): stable, so that tools and CI can select or count them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class Location(NamedTuple):
    """A 1-based line and column in a file (a tuple: cheap to create, sort and cache)."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    location: Location
    severity: Severity
    message: str
    code: str
    related: tuple[Location, ...] = ()  # the other places the problem is about (the cards it summarises)

    def __str__(self) -> str:
        """The one line a terminal shows: file names and quoted text come from untrusted
        files, so control characters (escape sequences, bells, carriage returns) are escaped."""
        return escape_controls(f"{self.location}: {self.severity.value}: {self.message}")

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.location.path,
            "line": self.location.line,
            "col": self.location.col,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "related": [{"path": where.path, "line": where.line, "col": where.col} for where in self.related],
        }

    def to_github(self) -> str:
        """A GitHub Actions workflow command, which the runner shows as an annotation at the place."""
        where = f"file={_github_property(self.location.path)},line={self.location.line},col={self.location.col}"
        return f"::{self.severity.value} {where},title={_github_property(self.code)}::{_github_data(self.message)}"


def _github_data(text: str) -> str:
    """The escapes the runner undoes in a command's message (other control characters escaped as in a terminal)."""
    return escape_controls(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _github_property(text: str) -> str:
    """The escapes the runner undoes in a command's properties, which ',' and ':' would end."""
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def escape_controls(text: str) -> str:
    """Control characters as Python escapes, e.g. ESC as \\x1b."""
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


def excerpt(text: str, limit: int = 40) -> str:
    """The start of some text, to quote in a message without repeating a whole unreadable file."""
    return text if len(text) <= limit else text[:limit] + "…"


def error(location: Location, message: str, code: str, related: tuple[Location, ...] = ()) -> Problem:
    return Problem(location, Severity.ERROR, message, code, related)


def warning(location: Location, message: str, code: str, related: tuple[Location, ...] = ()) -> Problem:
    return Problem(location, Severity.WARNING, message, code, related)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)
