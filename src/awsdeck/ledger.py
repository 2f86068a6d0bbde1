"""cards/cards.lock: when each card's (and note type's) rendered content last changed.

Anki overwrites a note on import only when the package's modification time for it is
newer than the collection's. The ledger makes that time move exactly when what a card
renders to (fields, tags, deck, note type) changes, so unchanged notes are left alone,
learners' own tags on them survive, and edited notes update. One line per entry:

    card <id> <content hash> <unix time of last change>
    notetype <model id> <style hash> <unix time of last change>
    retired <id> <unix time of retirement> <reason …>
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Location, Problem, error

LEDGER_FILE = "cards.lock"
_HEADER = (
    "# awsdeck ledger: when each card's rendered content last changed (Unix seconds).\n"
    "# Written by `awsdeck lock` and `awsdeck retire`; commit it with the cards, do not edit by hand.\n"
)


@dataclass(frozen=True, slots=True)
class Stamp:
    hash: str
    changed: int
    line: int = 0


@dataclass(frozen=True, slots=True)
class Retirement:
    retired: int
    reason: str
    line: int = 0


@dataclass
class Ledger:
    cards: dict[str, Stamp] = field(default_factory=dict)
    notetypes: dict[str, Stamp] = field(default_factory=dict)
    retired: dict[str, Retirement] = field(default_factory=dict)

    def newest(self) -> int:
        times = [s.changed for s in (*self.cards.values(), *self.notetypes.values())]
        return max(times, default=0)


def digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:16]


def read_ledger(path: Path, display: str) -> tuple[Ledger | None, list[Problem]]:
    """The ledger (None when the file does not exist) and any malformed lines."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, []
    except (OSError, UnicodeDecodeError) as exc:
        return None, [error(Location(display), f"cannot read the ledger: {exc}", "ledger")]
    ledger, problems = Ledger(), []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split(" ", 3)
        try:
            kind, key, first = parts[0], parts[1], parts[2]
            if kind == "card" and len(parts) == 4:
                ledger.cards[key] = Stamp(first, int(parts[3]), number)
            elif kind == "notetype" and len(parts) == 4:
                ledger.notetypes[key] = Stamp(first, int(parts[3]), number)
            elif kind == "retired" and len(parts) == 4:
                ledger.retired[key] = Retirement(int(first), parts[3], number)
            else:
                raise ValueError(line)
        except (IndexError, ValueError):
            problems.append(error(Location(display, number), f"malformed ledger line {line!r}; "
                                  "restore the file from version control and run `awsdeck lock`", "ledger"))
    return ledger, problems


def write_ledger(path: Path, ledger: Ledger) -> None:
    lines = [_HEADER]
    lines += [f"notetype {key} {s.hash} {s.changed}\n" for key, s in sorted(ledger.notetypes.items())]
    lines += [f"card {key} {s.hash} {s.changed}\n" for key, s in sorted(ledger.cards.items())]
    lines += [f"retired {key} {r.retired} {r.reason}\n" for key, r in sorted(ledger.retired.items())]
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=".cards.lock-", delete=False) as f:
        f.writelines(lines)
    os.replace(f.name, path)


def refresh(ledger: Ledger | None, cards: dict[str, str], notetypes: dict[str, str], now: int) -> tuple[Ledger, list[str]]:
    """A ledger matching the given hashes; an entry whose hash changed is stamped with now.

    A new stamp is always later than the one it replaces, even when the clock (or
    SOURCE_DATE_EPOCH) says otherwise: Anki would skip an update that is not newer.
    """
    old = ledger or Ledger()
    changed: list[str] = []

    def stamp(previous: dict[str, Stamp], key: str, content: str) -> Stamp:
        entry = previous.get(key)
        if entry is not None and entry.hash == content:
            return Stamp(content, entry.changed)
        changed.append(key)
        return Stamp(content, max(now, entry.changed + 1) if entry else now)

    new = Ledger(
        cards={**{k: v for k, v in old.cards.items() if k not in cards},
               **{key: stamp(old.cards, key, h) for key, h in cards.items()}},
        notetypes={key: stamp(old.notetypes, key, h) for key, h in notetypes.items()},
        retired=dict(old.retired),
    )
    return new, changed
