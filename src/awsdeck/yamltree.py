"""Read a YAML file into a small tree whose every key and value knows its line and column.

PyYAML's own loaders forget positions, keep the last of two equal keys silently and
expand anchors and aliases. Card files must be plain data, so this module walks the
parser's event stream itself (libyaml's C parser when available) and reports, instead
of raising, everything a card file must not contain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

import yaml

from .inputs import InputError, decode_utf8, read_input
from .problems import Location, Problem, error

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_resolver = yaml.resolver.Resolver()
_QUOTING_HINT = (
    "check the indentation, and quote a value (or write it as a '|' block) "
    "when it contains ': ' or ' #' or starts with '{', '`', '*', '&', '!' or '['"
)
_constructor = yaml.constructor.SafeConstructor()


@dataclass(slots=True)
class Scalar:
    value: object
    location: Location
    style: str | None = None


@dataclass(slots=True)
class Entry:
    key_location: Location
    value: Node


@dataclass(slots=True)
class Mapping:
    location: Location
    entries: dict[str, Entry] = field(default_factory=dict)


@dataclass(slots=True)
class Sequence:
    location: Location
    items: list[Node] = field(default_factory=list)


Node = Union[Scalar, Mapping, Sequence]


def load_file(path: Path, display: str) -> tuple[Node | None, list[Problem]]:
    """Parse one file; returns the root node (None when unusable) and the problems found."""
    try:
        data = read_input(path)
    except InputError as exc:
        return None, [error(Location(display), f"cannot read file: {exc}", "io")]
    except OSError as exc:
        return None, [error(Location(display), f"cannot read file: {exc.strerror or exc}", "io")]
    text, problems = decode_utf8(data, display)
    return load_text(text, display) if text is not None else (None, problems)


def load_text(text: str, display: str) -> tuple[Node | None, list[Problem]]:
    builder = _TreeBuilder(display)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display)
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        return None, [error(where, f"YAML syntax error: {what}; {_QUOTING_HINT}", "yaml")]
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        where = Location(display, before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1)
        message = f"YAML cannot contain the character {exc.character!r}; remove it"
        return None, [error(where, message, "yaml")]
    except yaml.YAMLError as exc:
        return None, [error(Location(display), f"YAML syntax error: {exc}", "yaml")]
    return builder.root, builder.problems


class _TreeBuilder:
    """Turns parser events into Scalar/Mapping/Sequence nodes, collecting problems."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.root: Node | None = None
        self.problems: list[Problem] = []
        self._stack: list[Mapping | Sequence] = []
        self._pending_key: list[Scalar | None] = []
        self._documents = 0

    def _where(self, event: yaml.Event) -> Location:
        mark = event.start_mark
        return Location(self.display, mark.line + 1, mark.column + 1)

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self._documents += 1
            if self._documents == 2:
                self.problems.append(
                    error(self._where(event), "a card file holds one YAML document; remove the '---' and what follows", "yaml")
                )
            return
        if self._documents > 1:
            return
        if isinstance(event, yaml.AliasEvent):
            self.problems.append(
                error(self._where(event), f"aliases (*{event.anchor}) are not allowed; write the value out in full", "yaml")
            )
            self._add(Scalar(None, self._where(event)))
            return
        if isinstance(event, yaml.CollectionEndEvent):
            self._add(self._close())
            return
        if not isinstance(event, yaml.NodeEvent):
            return
        if event.anchor is not None:
            self.problems.append(
                error(self._where(event), f"anchors (&{event.anchor}) are not allowed; write each value out in full", "yaml")
            )
        if event.tag is not None:
            self.problems.append(error(self._where(event), f"YAML tags ({event.tag}) are not allowed; remove it", "yaml"))
        if isinstance(event, yaml.ScalarEvent):
            self._add(Scalar(_scalar_value(event), self._where(event), event.style))
        elif isinstance(event, yaml.MappingStartEvent):
            self._stack.append(Mapping(self._where(event)))
            self._pending_key.append(None)
        elif isinstance(event, yaml.SequenceStartEvent):
            self._stack.append(Sequence(self._where(event)))

    def _close(self) -> Node:
        node = self._stack.pop()
        if isinstance(node, Mapping):
            self._pending_key.pop()
        return node

    def _add(self, node: Node) -> None:
        if not self._stack:
            self.root = node
            return
        parent = self._stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return
        key = self._pending_key[-1]
        if key is None:
            self._pending_key[-1] = self._as_key(node)
            return
        self._pending_key[-1] = None
        if key.value is None:  # an unusable key was reported already
            return
        name = str(key.value)
        first = parent.entries.get(name)
        if first is not None:
            self.problems.append(
                error(
                    key.location,
                    f"duplicate key '{name}' (first at line {first.key_location.line}); "
                    "YAML would silently keep only the last one, so remove one of them",
                    "yaml",
                )
            )
            return
        parent.entries[name] = Entry(key.location, node)

    def _as_key(self, node: Node) -> Scalar:
        if not isinstance(node, Scalar):
            message = (
                "a key must be plain text, not a list or mapping; if this is a value "
                "starting with '{' or '[' (such as a cloze '{{c1::...}}'), quote it"
            )
            self.problems.append(error(node.location, message, "yaml"))
            return Scalar(None, node.location)
        if not node.style and node.value == "<<":
            self.problems.append(error(node.location, "merge keys (<<) are not allowed; write each key out in full", "yaml"))
            return Scalar(None, node.location)
        return Scalar(_key_text(node.value), node.location)


def _key_text(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return "null" if value is None else str(value)


def _scalar_value(event: yaml.ScalarEvent) -> object:
    """The value PyYAML's safe loader would give: plain scalars are typed, quoted ones are text."""
    if not event.implicit[0]:
        return event.value
    tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == "tag:yaml.org,2002:str":
        return event.value
    try:
        return _constructor.construct_object(yaml.ScalarNode(tag, event.value))
    except (yaml.YAMLError, ValueError):
        return event.value
