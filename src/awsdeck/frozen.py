"""The note types' frozen schema: field and template names, order and ids.

A change here would fork the note types in every learner's collection (Anki makes an
"AWSDeck Basic+" copy and never updates the existing notes again), so `awsdeck check`
compares the note types in code with the committed snapshot and explains the difference.
"""

from __future__ import annotations

import json
from pathlib import Path

from .notetypes import all_notetypes, schema
from .problems import Location, Problem, error

SNAPSHOT = Path(__file__).with_name("notetypes.snapshot.json")


def current_schema() -> dict[str, object]:
    return {notetype.name: schema(notetype) for notetype in all_notetypes()}


def write_snapshot(path: Path = SNAPSHOT) -> None:
    path.write_text(json.dumps(current_schema(), indent=2) + "\n", encoding="utf-8")


def schema_problems(path: Path, shown: str) -> list[Problem]:
    where = Location(shown)
    try:
        frozen = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [error(where, f"cannot read the note type snapshot: {exc}", "notetype")]
    current = current_schema()
    differences = []
    for name in sorted(frozen.keys() | current.keys()):
        old, new = frozen.get(name), current.get(name)
        if old is None:
            differences.append(f"note type '{name}' is not in the snapshot")
        elif new is None:
            differences.append(f"note type '{name}' of the snapshot is gone")
        else:
            differences += [f"note type '{name}': {key} {old[key]} became {new[key]}"
                            for key in ("id", "kind", "fields", "templates") if old[key] != new[key]]
    consequence = (
        "learners' Anki would copy the note type into a '+' version and never update their existing "
        "notes again; restore the frozen fields and templates, or follow 'Changing a note type' in README.md"
    )
    return [error(where, f"{difference}; {consequence}", "notetype") for difference in differences]
