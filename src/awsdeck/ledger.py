"""cards/cards.lock: when each card's (and note type's) rendered content last changed,
and which ids a release has shipped.

Anki overwrites a note on import only when the package's modification time for it is
newer than the collection's. The ledger makes that time move exactly when what a card
renders to (fields, tags, deck, note type) changes, so unchanged notes are left alone,
learners' own tags on them survive, and edited notes update. One line per entry:

    card <id> <content hash> <unix time of last change>
    notetype <model id> <style hash> <unix time of last change>
    published <id> <domain key> <version>
    retired <id> <unix time of retirement> <reason …>

A `published` line says that the release <version> (YYYY.MM.N) first shipped the id, in
the deck of <domain key> (`outside-guide` for the optional deck): learners have the card
from then on, so the id stays forever (as a card or retired) and the card keeps its deck,
which Anki never changes for existing cards. An id without one was never shipped and may
still be renamed or deleted. Ledgers written before releases have no `published` lines.

Each id is listed once as a card or retired, and at most once as published; every time
lies between 2020 and now.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import calver, scratch
from .calver import Version
from .exam import KEY_PATTERN
from .inputs import InputError, read_input
from .problems import Location, Problem, error, excerpt

LEDGER_FILE = "cards.lock"
_TEMPORARY = ".cards.lock-awsdeck-"  # a ledger being written; a killed run leaves it behind
_HEADER = (
    "# awsdeck ledger: when each card's rendered content last changed (Unix seconds).\n"
    "# Written by `awsdeck lock`, `retire` and `release`; commit it with the cards, do not edit by hand.\n"
)
_FIRST_TIME = 1_577_836_800  # 2020-01-01, before any card of the library
_CLOCK_SLACK = 2 * 86_400  # a contributor's clock may run a little ahead
_STAMPED = re.compile(r"(?P<kind>card|notetype) (?P<key>\S+) (?P<hash>[0-9a-f]{16}) (?P<time>-?[0-9]+)")
_RETIRED = re.compile(r"(?P<kind>retired) (?P<key>\S+) (?P<time>-?[0-9]+) (?P<reason>.*\S.*)")
_PUBLISHED = re.compile(r"(?P<kind>published) (?P<key>\S+) (?P<domain>\S+) (?P<version>\S+)")
_KEYS = {"card": KEY_PATTERN, "retired": KEY_PATTERN, "published": KEY_PATTERN, "notetype": re.compile(r"^[0-9]+\Z")}
_NAMESPACE = {"card": "id", "retired": "id", "published": "published", "notetype": "notetype"}  # each key once in each


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


@dataclass(frozen=True, slots=True)
class Publication:
    domain: str  # the domain key whose deck the card shipped in, or outside-guide
    version: Version  # the release that first shipped it
    line: int = 0


@dataclass
class Ledger:
    cards: dict[str, Stamp] = field(default_factory=dict)
    notetypes: dict[str, Stamp] = field(default_factory=dict)
    retired: dict[str, Retirement] = field(default_factory=dict)
    published: dict[str, Publication] = field(default_factory=dict)

    def newest(self) -> int:
        times = [s.changed for s in (*self.cards.values(), *self.notetypes.values())]
        return max(times, default=0)

    def latest_release(self) -> Version | None:
        return max((p.version for p in self.published.values()), default=None)

    def publish(self, domains: dict[str, str], version: Version) -> list[str]:
        """Mark the ids (id -> domain key) not yet published as first shipped in version; returns them."""
        new = [card_id for card_id in domains if card_id not in self.published]
        self.published.update({card_id: Publication(domains[card_id], version) for card_id in new})
        return new


def digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:16]


def valid_time(text: str) -> int | None:
    """Unix seconds from 2020 to now, else None: Anki never lowers a note's time, so a stamp
    in the future would freeze the note until then."""
    if not re.fullmatch(r"-?[0-9]{1,12}", text):
        return None
    value = int(text)
    return value if _FIRST_TIME <= value <= int(time.time()) + _CLOCK_SLACK else None


def read_ledger(path: Path, display: str) -> tuple[Ledger | None, list[Problem]]:
    """The ledger (None when the file does not exist) and any malformed lines."""
    try:
        text = read_input(path).decode("utf-8")
    except FileNotFoundError:
        return None, []
    except (OSError, InputError, UnicodeDecodeError) as exc:
        return None, [error(Location(display), f"cannot read the ledger: {exc}", "ledger")]
    ledger, problems = Ledger(), []
    first_lines: dict[tuple[str, str], int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            kind, key, entry = _entry(line, number)
        except ValueError as exc:
            problems.append(error(Location(display, number), str(exc), "ledger"))
            continue
        first = first_lines.setdefault((_NAMESPACE[kind], key), number)
        if first != number:
            which = "of the later release" if kind == "published" else "with the earlier time"
            problems.append(error(Location(display, number), f"'{key}' is listed twice in {LEDGER_FILE} (first at "
                                  f"line {first}); delete the line {which}, then run `awsdeck lock`", "ledger"))
        elif isinstance(entry, Retirement):
            ledger.retired[key] = entry
        elif isinstance(entry, Publication):
            ledger.published[key] = entry
        else:
            (ledger.cards if kind == "card" else ledger.notetypes)[key] = entry
    for key, publication in ledger.published.items():
        if key not in ledger.cards and key not in ledger.retired:
            problems.append(error(Location(display, publication.line), f"'{key}' is published but neither a card nor "
                                  f"retired in {LEDGER_FILE}; restore the file from version control", "ledger"))
    return ledger, problems


def _entry(line: str, number: int) -> tuple[str, str, Stamp | Retirement | Publication]:
    """The kind, key and entry of one ledger line; ValueError says what is wrong with it."""
    match = _STAMPED.fullmatch(line) or _RETIRED.fullmatch(line) or _PUBLISHED.fullmatch(line)
    if (match is None or not _KEYS[match["kind"]].match(match["key"]) or not line.isprintable()
            or (match["kind"] == "published" and not KEY_PATTERN.match(match["domain"]))):
        raise ValueError(f"malformed ledger line {excerpt(line)!r}; restore the file from version control "
                         "and run `awsdeck lock`")
    if match["kind"] == "published":
        version = calver.parse(match["version"])
        if version is None:
            raise ValueError(f"'{excerpt(match['version'])}' is not a release version such as {calver.EXAMPLE}; "
                             "restore the file from version control")
        return "published", match["key"], Publication(match["domain"], version, number)
    changed = valid_time(match["time"])
    if changed is None:
        raise ValueError(f"time {excerpt(match['time'])} is not between 2020 and now; "
                         "replace it with the current time (`date +%s`)")
    if match["kind"] == "retired":
        return "retired", match["key"], Retirement(changed, match["reason"], number)
    return match["kind"], match["key"], Stamp(match["hash"], changed, number)


def write_ledger(path: Path, ledger: Ledger) -> None:
    """Replace the ledger in one step, keeping its file mode (0644 for a new one); on any
    failure the old ledger stays as it was and no temporary file is left."""
    lines = [_HEADER]
    lines += [f"notetype {key} {s.hash} {s.changed}\n" for key, s in sorted(ledger.notetypes.items())]
    lines += [f"card {key} {s.hash} {s.changed}\n" for key, s in sorted(ledger.cards.items())]
    lines += [f"published {key} {p.domain} {p.version}\n" for key, p in sorted(ledger.published.items())]
    lines += [f"retired {key} {r.retired} {r.reason}\n" for key, r in sorted(ledger.retired.items())]
    scratch.replace_text(path, "".join(lines), _TEMPORARY)


def refresh(ledger: Ledger | None, cards: dict[str, str], notetypes: dict[str, str], now: int,
            complete: bool) -> tuple[Ledger, list[str], list[str]]:
    """A ledger matching the given hashes, what it stamped and what it dropped: an entry whose
    hash changed is stamped with now; when the cards are the whole library (complete), an
    id no card has any more is dropped unless a release published it.

    A new stamp is always later than the one it replaces, even when the clock (or
    SOURCE_DATE_EPOCH) says otherwise: Anki would skip an update that is not newer.
    """
    old = ledger or Ledger()
    changed: list[str] = []
    dropped = {key for key in old.cards if complete and key not in cards and key not in old.published}

    def stamp(previous: dict[str, Stamp], key: str, content: str) -> Stamp:
        entry = previous.get(key)
        if entry is not None and entry.hash == content:
            return Stamp(content, entry.changed)
        changed.append(key)
        return Stamp(content, max(now, entry.changed + 1) if entry else now)

    new = Ledger(
        cards={**{k: v for k, v in old.cards.items() if k not in cards and k not in dropped},
               **{key: stamp(old.cards, key, h) for key, h in cards.items()}},
        notetypes={key: stamp(old.notetypes, key, h) for key, h in notetypes.items()},
        retired=dict(old.retired),
        published=dict(old.published),
    )
    return new, changed, sorted(dropped)
