"""Release versions, calendar style: YYYY.MM.N, the Nth release of that month (from 0)."""

from __future__ import annotations

import re
from typing import NamedTuple

PATTERN = re.compile(r"(?P<year>20[0-9]{2})\.(?P<month>0[1-9]|1[0-2])\.(?P<number>0|[1-9][0-9]{0,3})")
EXAMPLE = "2026.12.0"


class Version(NamedTuple):
    """Compares in time order, as a tuple."""

    year: int
    month: int
    number: int

    def __str__(self) -> str:
        return f"{self.year}.{self.month:02d}.{self.number}"

    def next(self) -> Version:
        return Version(self.year, self.month, self.number + 1)


def parse(text: str) -> Version | None:
    """The version a text names exactly, else None."""
    match = PATTERN.fullmatch(text)
    if match is None:
        return None
    return Version(int(match["year"]), int(match["month"]), int(match["number"]))
