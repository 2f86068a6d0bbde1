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
    reader = MappingReader(root, EXAM_FILE, ("code", "title", "deck", "domains", "study_order"), problems)
    code, title, deck = (reader.text(key, required=True) for key in ("code", "title", "deck"))
    if code is not None and not re.fullmatch(r"[A-Za-z0-9-]+", code):
        problems.append(error(reader.value_location("code"), "'code' may hold only letters, digits and '-'"))
        code = None
    domains = _domains(reader, problems)
    order: list[str] = []
    for slug, location in reader.texts("study_order"):
        if not KEY_PATTERN.match(slug):
            problems.append(error(location, f"study_order entry '{slug}' is not a kebab-case file slug"))
        elif slug in order:
            problems.append(error(location, f"study_order lists '{slug}' twice; keep one"))
        else:
            order.append(slug)
    if None in (code, title, deck) or not domains or has_errors(problems):
        return None, problems
    return Exam(code, title, deck, tuple(domains), tuple(order)), problems  # type: ignore[arg-type]


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
    reader = MappingReader(node, "a domain", ("key", "number", "name", "weight", "tasks"), problems)
    key = reader.text("key", required=True)
    number = reader.integer("number", required=True)
    name = reader.text("name", required=True)
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
        if key == other.key or number == other.number:
            problems.append(error(node.location, f"domain '{key}' repeats the key or number of domain '{other.key}'"))
            return None
    if None in (key, number, name, weight):
        return None
    return Domain(key, number, name, weight, tasks)  # type: ignore[arg-type]

