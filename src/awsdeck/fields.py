"""Typed reading of a YAML mapping, reporting unknown, missing, mistyped and empty keys."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .problems import Location, Problem, error
from .yamltree import Mapping, Node, Scalar, Sequence


def describe(node: Node) -> str:
    """How a value reads to a contributor, for 'expected X, got Y' messages."""
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    value = node.value
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return "text"
    return f"a {type(value).__name__} ({value})"


def suggest(word: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


class MappingReader:
    """Reads the keys of one mapping; every problem goes to the shared list."""

    def __init__(self, node: Mapping, what: str, allowed: Iterable[str], problems: list[Problem]) -> None:
        self.node = node
        self.what = what
        self.problems = problems
        allowed = tuple(allowed)
        for key, entry in node.entries.items():
            if key not in allowed:
                problems.append(
                    error(entry.key_location, f"unknown key '{key}' in {what}{suggest(key, allowed)}; "
                          f"allowed keys: {', '.join(allowed)}", "unknown-key")
                )

    def has(self, key: str) -> bool:
        return key in self.node.entries

    def value_location(self, key: str) -> Location:
        entry = self.node.entries.get(key)
        return entry.value.location if entry else self.node.location

    def missing(self, key: str, hint: str = "") -> None:
        self.problems.append(error(self.node.location, f"{self.what} is missing the required key '{key}'{hint}",
                                   "missing-key"))

    def text(self, key: str, required: bool = False) -> str | None:
        entry = self.node.entries.get(key)
        if entry is None:
            if required:
                self.missing(key)
            return None
        return self.text_of(entry.value, f"'{key}'")

    def text_of(self, node: Node, name: str) -> str | None:
        if not isinstance(node, Scalar) or not isinstance(node.value, str):
            hint = "; quote it" if isinstance(node, Scalar) and node.value is not None else ""
            self.problems.append(error(node.location, f"{name} must be text, got {describe(node)}{hint}", "type"))
            return None
        if not node.value.strip():
            self.problems.append(error(node.location, f"{name} is empty; write the text or remove the key", "empty"))
            return None
        return node.value

    def integer(self, key: str, required: bool = False) -> int | None:
        entry = self.node.entries.get(key)
        if entry is None:
            if required:
                self.missing(key)
            return None
        value = entry.value
        if isinstance(value, Scalar) and isinstance(value.value, int) and not isinstance(value.value, bool):
            return value.value
        self.problems.append(error(value.location, f"'{key}' must be a whole number, got {describe(value)}", "type"))
        return None

    def boolean(self, key: str) -> bool | None:
        entry = self.node.entries.get(key)
        if entry is None:
            return None
        value = entry.value
        if isinstance(value, Scalar) and isinstance(value.value, bool):
            return value.value
        self.problems.append(error(value.location, f"'{key}' must be true or false, got {describe(value)}", "type"))
        return None

    def sequence(self, key: str, required: bool = False) -> Sequence | None:
        entry = self.node.entries.get(key)
        if entry is None:
            if required:
                self.missing(key)
            return None
        if not isinstance(entry.value, Sequence):
            self.problems.append(error(entry.value.location, f"'{key}' must be a list, got {describe(entry.value)}",
                                       "type"))
            return None
        return entry.value

    def texts(self, key: str, single_allowed: bool = False) -> list[tuple[str, Location]]:
        """A list of non-empty strings (or, where allowed, one string standing alone)."""
        entry = self.node.entries.get(key)
        if entry is None:
            return []
        if single_allowed and isinstance(entry.value, Scalar):
            value = self.text_of(entry.value, f"'{key}'")
            return [(value, entry.value.location)] if value is not None else []
        items = self.sequence(key)
        if items is None:
            return []
        found = []
        for item in items.items:
            value = self.text_of(item, f"each item of '{key}'")
            if value is not None:
                found.append((value, item.location))
        return found
