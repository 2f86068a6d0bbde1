"""The JSON Schemas of the card files and exam.yaml, for editors and check-jsonschema.

The card schema is generated from exam.yaml, so that it knows the same domains, tasks,
topics and id prefixes as the checker. Each rule is written with keywords whose standard
messages name the mistake and the fix (enum, required, pattern, additionalProperties under
if/then), never with oneOf/anyOf, whose message is only "is not valid under any of the
given schemas".
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from . import scratch
from .cardfile import CARD_KEYS, FILE_KEYS
from .exam import EXAM_FILE, load_exam
from .library import display, resolve
from .model import Domain, Exam
from .problems import Location, Problem, error, warning

SCHEMA_DIR = "schema"
CARDS_SCHEMA = "cards.schema.json"
EXAM_SCHEMA = "exam.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
KEBAB = "^[a-z0-9]+(-[a-z0-9]+)*$"
TASK = "^[0-9]+\\.[0-9]+$"
URL = "^https://[A-Za-z0-9.-]+\\.[A-Za-z]{2,}(:[0-9]+)?(/\\S*)?$"
LINE_WIDTH = 120
_TEMPORARY = ".awsdeck-schema-"

Schema = dict[str, Any]


def cards_schema(exam: Exam) -> Schema:
    """The schema of cards/<slug>.yaml for this exam."""
    domains = [domain.key for domain in exam.domains]
    return {
        "$schema": DRAFT,
        "$id": f"https://awsdeck.invalid/{SCHEMA_DIR}/{CARDS_SCHEMA}",
        "title": "awsdeck card file",
        "description": f"One file per AWS service: cards/<slug>.yaml. Generated from {EXAM_FILE} by `awsdeck schema`; "
                       "see docs/card-format.md.",
        "type": "object",
        "additionalProperties": False,
        "required": ["service", "slug", "domain", "cards"],
        "properties": _keys(FILE_KEYS, {
            "service": {"$ref": "#/$defs/text", "description": "Display name of the service, e.g. AWS Lambda."},
            "slug": {"$ref": "#/$defs/kebab", "description": "Equals the file name stem; gives the tag aws::<slug>. "
                     "Every card id starts with '<slug>-'."},
            "domain": {"enum": domains, "description": f"Default exam domain of the cards (a key of {EXAM_FILE})."},
            "outside_guide": {"type": "boolean", "description": "true: no task of the exam guide needs these cards; "
                              "they go to the outside deck and package, without a task. Required when "
                              f"{EXAM_FILE} does not list the slug among its services."},
            "cards": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/card"}},
        }),
        "allOf": _file_rules(exam),
        "$defs": {
            "kebab": {"type": "string", "pattern": KEBAB},
            "text": {"type": "string", "minLength": 1, "pattern": "\\S"},
            "url": {"type": "string", "pattern": URL},
            "task": {"enum": [task for domain in exam.domains for task in domain.tasks]},
            "card": _card(exam),
        },
    }


def _keys(order: tuple[str, ...], properties: Schema) -> Schema:
    """The properties in the checker's order of keys, which must be the same set."""
    assert set(order) == set(properties), set(order) ^ set(properties)
    return {key: properties[key] for key in order}


def _card(exam: Exam) -> Schema:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "source"],
        "properties": _keys(CARD_KEYS, {
            "id": {"$ref": "#/$defs/kebab", "description": "Starts with the file's slug: '<slug>-…'. Unique across all "
                   "files; never changed or reused once published."},
            "front": {"$ref": "#/$defs/text", "description": "Question (Markdown). A basic card has front and back."},
            "back": {"$ref": "#/$defs/text", "description": "Answer (Markdown), short enough for a phone."},
            "cloze": {"$ref": "#/$defs/text", "description": "Cloze text with {{c1::answer}} deletions (Markdown). "
                      "A cloze card has no front or back."},
            "extra": {"$ref": "#/$defs/text", "description": "Context shown below the answer (Markdown)."},
            "domain": {"enum": [domain.key for domain in exam.domains], "description": "Overrides the file's domain."},
            "task": {"$ref": "#/$defs/task", "description": "Exam task statement of the card's domain, quoted: \"1.2\". "
                     "Required unless the card is outside the guide."},
            "outside_guide": {"type": "boolean", "description": "Overrides the file's outside_guide for this card."},
            "tags": {"type": "array", "uniqueItems": True, "items": {"enum": list(exam.topics)},
                     "description": f"Topic tags from `topics` of {EXAM_FILE} -> topic::<tag>."},
            "source": {"type": ["string", "array"], "pattern": URL, "items": {"$ref": "#/$defs/url"}, "minItems": 1,
                       "description": "https:// page(s) of AWS documentation the fact was checked against (required)."},
            "similar_to": {"type": "array", "items": {"$ref": "#/$defs/kebab"},
                           "description": "Card ids reviewed as intentionally similar."},
            "allow_names": {"type": "array", "items": {"$ref": "#/$defs/text"},
                            "description": "Names in backticks that are correct although no AWS model knows them."},
        }),
        "if": {"not": {"required": ["cloze"]}},
        "then": {"required": ["front", "back"]},
        "dependentSchemas": {"cloze": _without("front", "back")},
        "allOf": [_task_rule(domain, _has("domain", domain.key)) for domain in exam.domains],
    }


def _has(key: str, value: object) -> Schema:
    """The condition "`key` is present and equals `value`"."""
    return {"required": [key], "properties": {key: {"const": value}}}


def _without(*keys: str) -> Schema:
    """A card without `keys`, said as "Additional properties are not allowed ('front' was unexpected)"."""
    return {"properties": {key: True for key in CARD_KEYS if key not in keys}, "additionalProperties": False}


def _task_rule(domain: Domain, condition: Schema) -> Schema:
    """The task of a card matching `condition` is one of `domain`'s tasks.

    The rule applies to known tasks only, so that an unknown one gets one message (from the
    enum of all tasks) rather than two."""
    known = {"required": [*condition.get("required", []), "task"],
             "properties": condition.get("properties", {}) | {"task": {"$ref": "#/$defs/task"}}}
    return {"if": condition | known, "then": {"properties": {"task": {"enum": list(domain.tasks)}}}}


def _each_card(schema: Schema) -> Schema:
    return {"properties": {"cards": {"items": schema}}}


def _file_rules(exam: Exam) -> list[Schema]:
    """The rules linking a card to its file: its domain and outside_guide default to the
    file's (a card in the guide has a task, one outside has none), and its id starts with
    the file's slug."""
    rules = [{"if": _has("domain", domain.key), "then": _each_card(_task_rule(domain, {"not": {"required": ["domain"]}}))}
             for domain in exam.domains]
    needs_task, no_task = {"required": ["task"]}, _without("task")
    rules.append({"if": _has("outside_guide", True),
                  "then": _each_card({"if": _has("outside_guide", False), "then": needs_task, "else": no_task}),
                  "else": _each_card({"if": _has("outside_guide", True), "then": no_task, "else": needs_task})})
    # A schema can neither see the file name nor compare two values: the id rule covers
    # the slugs exam.yaml names (a new file gets it once it is in study_order).
    slugs = dict.fromkeys([*exam.study_order, *exam.services])
    rules += [{"if": _has("slug", slug), "then": _each_card({"properties": {"id": {"pattern": f"^{slug}-"}}})}
              for slug in slugs]
    return rules


def exam_schema() -> Schema:
    """The schema of exam.yaml (it does not depend on the exam)."""
    deck = {"$ref": "#/$defs/deck"}
    return {
        "$schema": DRAFT,
        "$id": f"https://awsdeck.invalid/{SCHEMA_DIR}/{EXAM_SCHEMA}",
        "title": "awsdeck exam description",
        "description": f"cards/{EXAM_FILE}: the exam, its domains and task statements, the services its guide lists, "
                       "the topic tags and the study order of the card files.",
        "type": "object",
        "additionalProperties": False,
        "required": ["code", "title", "deck", "outside_deck", "domains", "services", "topics"],
        "properties": {
            "code": {"type": "string", "pattern": "^[A-Za-z0-9-]+$",
                     "description": "Exam code, e.g. DVA-C03; gives tags and package names."},
            "title": {"type": "string", "minLength": 1},
            "deck": deck | {"description": "Name of the parent deck. Never rename it once published: "
                            "Anki matches decks by name."},
            "outside_deck": deck | {"description": "Subdeck (and package) of the cards no task of the exam guide "
                                    "needs. Never rename it once published."},
            "domains": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/domain"}},
            "services": _kebab_mapping("The services the exam guide lists in scope: card-file slug -> name."),
            "topics": _kebab_mapping("The topic tags cards may carry: tag -> what it selects."),
            "study_order": {"type": "array", "uniqueItems": True, "items": {"type": "string", "pattern": KEBAB}},
        },
        "$defs": {
            "deck": {"type": "string", "minLength": 1, "not": {"pattern": "::"},
                     "description": "One deck name: Anki reads :: as a subdeck separator."},
            "domain": {
                "type": "object",
                "additionalProperties": False,
                "required": ["key", "number", "name", "deck", "weight", "tasks"],
                "properties": {
                    "key": {"type": "string", "pattern": KEBAB},
                    "number": {"type": "integer", "minimum": 1},
                    "name": {"type": "string", "minLength": 1},
                    "deck": deck | {"description": "The domain's subdeck. Never rename it once published."},
                    "weight": {"type": "integer", "minimum": 0, "maximum": 100},
                    "tasks": {"type": "object", "propertyNames": {"pattern": TASK},
                              "additionalProperties": {"type": "string", "minLength": 1}},
                },
            },
        },
    }


def _kebab_mapping(description: str) -> Schema:
    return {"type": "object", "description": description, "propertyNames": {"pattern": KEBAB},
            "additionalProperties": {"type": "string", "minLength": 1}}


def schema_directory(cards: Path) -> Path:
    """Where the schemas of a card directory live: schema/ beside it."""
    return cards.absolute().parent / SCHEMA_DIR


def schema_texts(exam: Exam) -> dict[str, str]:
    """File name -> the text `awsdeck schema` writes."""
    return {CARDS_SCHEMA: to_json(cards_schema(exam)), EXAM_SCHEMA: to_json(exam_schema())}


def stale_warnings(exam: Exam, cards: Path) -> list[Problem]:
    """A warning per schema file beside `cards` that differs from what its exam.yaml generates.
    A missing file is no problem: a deck repository need not ship the schemas."""
    command = "awsdeck schema" if display(cards) == "cards" else f"awsdeck schema {display(cards)}"
    problems = []
    for name, text in schema_texts(exam).items():
        path = schema_directory(cards) / name
        try:
            current = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError):
            current = None
        if current != text:
            problems.append(warning(Location(display(path)), f"the schema is out of date with {EXAM_FILE}, so editors "
                                    f"and check-jsonschema check other rules; run `{command}` to rewrite it", "schema"))
    return problems


def regenerate(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Write the schemas of the card directory `paths` name: the paths written, or none and
    the problems of an unusable exam.yaml or of a folder that refuses them."""
    directory, _, _ = resolve(paths)
    exam_path = directory / EXAM_FILE
    exam, problems = load_exam(exam_path, display(exam_path))
    if exam is None:
        return [], problems
    target = schema_directory(directory)
    try:
        return write_schemas(exam, target), problems
    except OSError as exc:
        return [], problems + [error(Location(display(target)), f"cannot write the schemas: {exc.strerror or exc}; "
                                     f"make {display(target)} a writable folder and run it again", "io")]


def write_schemas(exam: Exam, directory: Path) -> list[Path]:
    """Write both schemas through temporary files, replacing the old ones only once both are written."""
    directory.mkdir(exist_ok=True)
    scratch.remove_stale(directory, _TEMPORARY)
    written: list[tuple[Path, Path]] = []
    try:
        for name, text in schema_texts(exam).items():
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=directory, delete=False,
                                             prefix=scratch.prefix(_TEMPORARY)) as temporary:
                written.append((Path(temporary.name), directory / name))
                temporary.write(text)
        for temporary_path, path in written:
            os.replace(temporary_path, path)
    finally:
        for temporary_path, _ in written:
            temporary_path.unlink(missing_ok=True)
    return [path for _, path in written]


def to_json(value: Any) -> str:
    """JSON indented by structure, with each value that fits on its line written on one line."""
    return _format(value, 0, 0) + "\n"


def _format(value: Any, indent: int, column: int) -> str:
    """`value` starting at `column` of a line indented by `indent`."""
    flat = json.dumps(value, ensure_ascii=False)
    if column + len(flat) <= LINE_WIDTH or not isinstance(value, (dict, list)) or not value:
        return flat
    inner = " " * (indent + 2)
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            head = f"{inner}{json.dumps(key)}: "
            lines.append(head + _format(item, indent + 2, len(head)))
    else:
        lines = [inner + _format(item, indent + 2, len(inner)) for item in value]
    opening, closing = "{}" if isinstance(value, dict) else "[]"
    return opening + "\n" + ",\n".join(lines) + "\n" + " " * indent + closing
