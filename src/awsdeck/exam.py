"""Read cards/exam.yaml: the exam's code, title, domains, task statements and study order."""

from __future__ import annotations

import re
from pathlib import Path

from .fields import MappingReader, describe
from .model import OUTSIDE, Domain, Exam
from .problems import Location, Problem, error, has_errors
from .yamltree import Mapping, load_file

EXAM_FILE = "exam.yaml"
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z: '$' would accept a trailing newline
TASK_PATTERN = re.compile(r"^[0-9]+\.[0-9]+\Z")


def load_exam(path: Path, display: str) -> tuple[Exam | None, list[Problem]]:
    root, problems = load_file(path, display)
    if root is None:
        if not problems:
            problems.append(error(Location(display), f"{EXAM_FILE} is empty; it needs code, title, deck and domains",
                                  "empty"))
        return None, problems
    if not isinstance(root, Mapping):
        problems.append(error(root.location, f"{EXAM_FILE} must be a mapping with code, title, deck, domains", "type"))
        return None, problems
    keys = ("code", "title", "deck", "outside_deck", "domains", "services", "topics", "study_order")
    reader = MappingReader(root, EXAM_FILE, keys, problems)
    code = reader.text("code", required=True)
    title = _shown_name(reader, "title", problems)
    deck, outside_deck = (_deck_name(reader, key, problems) for key in ("deck", "outside_deck"))
    if code is not None and not re.fullmatch(r"[A-Za-z0-9-]+", code):
        problems.append(error(reader.value_location("code"), "'code' may hold only letters, digits and '-'", "exam"))
        code = None
    domains = _domains(reader, problems)
    services = _kebab_mapping(reader, "services", "card-file slugs to service names", problems)
    topics = _kebab_mapping(reader, "topics", "topic tags to what they select", problems)
    order: list[str] = []
    for slug, location in reader.texts("study_order"):
        if not KEY_PATTERN.match(slug):
            problems.append(error(location, f"study_order entry '{slug}' is not a kebab-case file slug", "study-order"))
        elif slug in order:
            problems.append(error(location, f"study_order lists '{slug}' twice; keep one", "study-order"))
        else:
            order.append(slug)
    if None in (code, title, deck, outside_deck) or not domains or has_errors(problems):
        return None, problems
    exam = Exam(code, title, deck, outside_deck, tuple(domains), tuple(order), services, topics)  # type: ignore[arg-type]
    return exam, problems


def _shown_name(reader: MappingReader, key: str, problems: list[Problem]) -> str | None:
    """A name Anki shows in its deck list and as HTML in deck descriptions: one line of plain text."""
    name = reader.text(key, required=True)
    if name is None:
        return None
    unprintable = next((char for char in name if not char.isprintable()), None)
    if unprintable is not None:
        fault = f"contains the unprintable character {ascii(unprintable)}; remove it"
    elif name != name.strip():
        fault = "has leading or trailing spaces; remove them"
    elif "<" in name or ">" in name:
        fault = "contains '<' or '>'; Anki would read it as HTML, so write it without them"
    else:
        return name
    problems.append(error(reader.value_location(key), f"'{key}' {fault}", "exam"))
    return None


def _deck_name(reader: MappingReader, key: str, problems: list[Problem]) -> str | None:
    """A deck name of our own: Anki reads '::' as a subdeck separator."""
    name = _shown_name(reader, key, problems)
    if name is not None and ("::" in name or name.startswith(":") or name.endswith(":")):
        problems.append(error(reader.value_location(key), f"'{key}' must be one deck name, without '::' "
                              "and not starting or ending with ':'", "exam"))
        return None
    return name


def _kebab_mapping(reader: MappingReader, key: str, meaning: str, problems: list[Problem]) -> dict[str, str]:
    """A required mapping of kebab-case names to texts (the services, the topic tags)."""
    entry = reader.node.entries.get(key)
    if entry is None:
        reader.missing(key, f" (it maps {meaning})")
        return {}
    if not isinstance(entry.value, Mapping):
        problems.append(error(entry.value.location, f"'{key}' must map {meaning}, got {describe(entry.value)}", "type"))
        return {}
    found = {}
    for name, item in entry.value.entries.items():
        text = reader.text_of(item.value, f"'{name}' of '{key}'")
        if not KEY_PATTERN.match(name):
            problems.append(error(item.key_location, f"'{name}' of '{key}' must be kebab-case", "exam"))
        elif text is not None:
            found[name] = text
    return found


def _domains(reader: MappingReader, problems: list[Problem]) -> list[Domain] | None:
    items = reader.sequence("domains", required=True)
    if items is None:
        return None
    domains: list[Domain] = []
    for item in items.items:
        if not isinstance(item, Mapping):
            problems.append(error(item.location, f"each domain must be a mapping, got {describe(item)}", "type"))
            continue
        domain = _domain(item, problems, domains)
        if domain is not None:
            domains.append(domain)
    total = sum(domain.weight for domain in domains)
    if not items.items:
        problems.append(error(items.location, "'domains' is empty; list the exam's domains", "empty"))
    elif len(domains) == len(items.items) and total != 100:
        problems.append(error(items.location, f"the domain weights add up to {total} %; they must add up to 100",
                              "exam"))
    return domains


def _domain(node: Mapping, problems: list[Problem], seen: list[Domain]) -> Domain | None:
    reader = MappingReader(node, "a domain", ("key", "number", "name", "deck", "weight", "tasks"), problems)
    key = reader.text("key", required=True)
    number = reader.integer("number", required=True)
    name = _shown_name(reader, "name", problems)
    deck = _deck_name(reader, "deck", problems)
    weight = reader.integer("weight", required=True)
    if weight is not None and not 0 <= weight <= 100:
        problems.append(error(reader.value_location("weight"), "'weight' must be the domain's share of the exam "
                              f"in percent, 0 to 100; got {weight}", "exam"))
        weight = None
    tasks: dict[str, str] = {}
    tasks_entry = node.entries.get("tasks")
    if tasks_entry is None:
        reader.missing("tasks")
    elif not isinstance(tasks_entry.value, Mapping):
        problems.append(error(tasks_entry.value.location, "'tasks' must map task numbers to statements, "
                              f"got {describe(tasks_entry.value)}", "type"))
    else:
        for task, entry in tasks_entry.value.entries.items():
            statement = reader.text_of(entry.value, f"task {task}")
            if not TASK_PATTERN.match(task):
                problems.append(error(entry.key_location, f"task '{task}' must look like '1.2' (quote it)", "exam"))
            elif number is not None and not task.startswith(f"{number}."):
                problems.append(error(entry.key_location, f"task '{task}' does not belong to domain {number}", "exam"))
            elif statement is not None:
                tasks[task] = statement
    if key is not None and not KEY_PATTERN.match(key):
        problems.append(error(reader.value_location("key"), f"domain key '{key}' must be kebab-case", "exam"))
        return None
    if key == OUTSIDE:
        problems.append(error(reader.value_location("key"), f"domain key '{OUTSIDE}' names the deck of the cards "
                              "outside the exam guide; choose another key", "exam"))
        return None
    for other in seen:
        if key == other.key or number == other.number or deck == other.deck:
            problems.append(error(node.location, f"domain '{key}' repeats the key, number or deck of domain "
                                  f"'{other.key}'", "exam"))
            return None
    if None in (key, number, name, deck, weight):
        return None
    return Domain(key, number, name, deck, weight, tasks)  # type: ignore[arg-type]

