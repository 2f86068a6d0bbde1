"""Read cards/exam.yaml: the exam's code, title, domains, task statements and study order."""

from __future__ import annotations

import re
from pathlib import Path

from .fields import MappingReader, describe
from .model import Domain, Exam
from .problems import Location, Problem, error, has_errors
from .yamltree import Mapping, load_file

EXAM_FILE = "exam.yaml"
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TASK_PATTERN = re.compile(r"^\d+\.\d+$")


def load_exam(path: Path, display: str) -> tuple[Exam | None, list[Problem]]:
    root, problems = load_file(path, display)
    if root is None:
        if not problems:
            problems.append(error(Location(display), f"{EXAM_FILE} is empty; it needs code, title, deck and domains"))
        return None, problems
    if not isinstance(root, Mapping):
        problems.append(error(root.location, f"{EXAM_FILE} must be a mapping with code, title, deck, domains"))
        return None, problems
    keys = ("code", "title", "deck", "outside_deck", "domains", "services", "study_order")
    reader = MappingReader(root, EXAM_FILE, keys, problems)
    code, title = (reader.text(key, required=True) for key in ("code", "title"))
    deck, outside_deck = (_deck_name(reader, key, problems) for key in ("deck", "outside_deck"))
    if code is not None and not re.fullmatch(r"[A-Za-z0-9-]+", code):
        problems.append(error(reader.value_location("code"), "'code' may hold only letters, digits and '-'"))
        code = None
    domains = _domains(reader, problems)
    services = _services(reader, problems)
    order: list[str] = []
    for slug, location in reader.texts("study_order"):
        if not KEY_PATTERN.match(slug):
            problems.append(error(location, f"study_order entry '{slug}' is not a kebab-case file slug"))
        elif slug in order:
            problems.append(error(location, f"study_order lists '{slug}' twice; keep one"))
        else:
            order.append(slug)
    if None in (code, title, deck, outside_deck) or not domains or has_errors(problems):
        return None, problems
    return Exam(code, title, deck, outside_deck, tuple(domains), tuple(order), services), problems  # type: ignore[arg-type]


def _deck_name(reader: MappingReader, key: str, problems: list[Problem]) -> str | None:
    """A deck name of our own: Anki reads '::' as a subdeck separator."""
    name = reader.text(key, required=True)
    if name is not None and ("::" in name or name != name.strip()):
        problems.append(error(reader.value_location(key), f"'{key}' must be one deck name without '::' "
                              "and without leading or trailing spaces"))
        return None
    return name


def _services(reader: MappingReader, problems: list[Problem]) -> dict[str, str]:
    entry = reader.node.entries.get("services")
    if entry is None:
        reader.missing("services", " (the in-scope services of the exam guide, slug: name)")
        return {}
    if not isinstance(entry.value, Mapping):
        problems.append(error(entry.value.location, f"'services' must map card-file slugs to service names, "
                              f"got {describe(entry.value)}"))
        return {}
    services = {}
    for slug, item in entry.value.entries.items():
        name = reader.text_of(item.value, f"service '{slug}'")
        if not KEY_PATTERN.match(slug):
            problems.append(error(item.key_location, f"service slug '{slug}' must be kebab-case, like a card file name"))
        elif name is not None:
            services[slug] = name
    return services


def _domains(reader: MappingReader, problems: list[Problem]) -> list[Domain] | None:
    items = reader.sequence("domains", required=True)
    if items is None:
        return None
    domains: list[Domain] = []
    for item in items.items:
        if not isinstance(item, Mapping):
            problems.append(error(item.location, f"each domain must be a mapping, got {describe(item)}"))
            continue
        domain = _domain(item, problems, domains)
        if domain is not None:
            domains.append(domain)
    if not items.items:
        problems.append(error(items.location, "'domains' is empty; list the exam's domains"))
    return domains


def _domain(node: Mapping, problems: list[Problem], seen: list[Domain]) -> Domain | None:
    reader = MappingReader(node, "a domain", ("key", "number", "name", "deck", "weight", "tasks"), problems)
    key = reader.text("key", required=True)
    number = reader.integer("number", required=True)
    name = reader.text("name", required=True)
    deck = _deck_name(reader, "deck", problems)
    weight = reader.integer("weight", required=True)
    tasks: dict[str, str] = {}
    tasks_entry = node.entries.get("tasks")
    if tasks_entry is None:
        reader.missing("tasks")
    elif not isinstance(tasks_entry.value, Mapping):
        problems.append(error(tasks_entry.value.location, f"'tasks' must map task numbers to statements, got {describe(tasks_entry.value)}"))
    else:
        for task, entry in tasks_entry.value.entries.items():
            statement = reader.text_of(entry.value, f"task {task}")
            if not TASK_PATTERN.match(task):
                problems.append(error(entry.key_location, f"task '{task}' must look like '1.2' (quote it)"))
            elif number is not None and not task.startswith(f"{number}."):
                problems.append(error(entry.key_location, f"task '{task}' does not belong to domain {number}"))
            elif statement is not None:
                tasks[task] = statement
    if key is not None and not KEY_PATTERN.match(key):
        problems.append(error(reader.value_location("key"), f"domain key '{key}' must be kebab-case"))
        return None
    for other in seen:
        if key == other.key or number == other.number or deck == other.deck:
            problems.append(error(node.location, f"domain '{key}' repeats the key, number or deck of domain '{other.key}'"))
            return None
    if None in (key, number, name, deck, weight):
        return None
    return Domain(key, number, name, deck, weight, tasks)  # type: ignore[arg-type]

