"""What each card was at a release (build/release/cards.json), so the next release can say what changed.

One card per line, in study order, for readable diffs:

    {"version": "2026.12.0", "parts": ["question", "answer", …], "cards": {
    "sqs-max-message-size": {"question": "What is …?", "domain": "development", "digests": ["…", …]},
    …
    }}

`question` is the question as plain text (a cloze's deletions shown as […]), `domain` the
deck key, and `digests` the digest of each part as learners see it in Anki (the rendered
field, or the note's tags), in the order of `parts`.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from . import cloze
from .calver import Version
from .inputs import InputError, read_input
from .ledger import digest
from .markdown import to_html
from .model import Card
from .notetypes import basic_notetype, cloze_notetype
from .problems import Location, Problem, error
from .render import RenderedCard

SNAPSHOT_FILE = "cards.json"
PARTS = ("question", "answer", "extra", "source", "tags")
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True, slots=True)
class CardState:
    question: str
    domain: str
    digests: tuple[str, ...]  # one per part of PARTS


def plain_question(card: Card) -> str:
    """The question as one line of plain text; a cloze's deletions show as […]."""
    text = cloze.hide(card.cloze) if card.cloze is not None else card.front or ""
    return " ".join(html.unescape(_TAG.sub("", to_html(text))).split())


def _parts(rendered: RenderedCard) -> tuple[object, ...]:
    names = (cloze_notetype() if rendered.is_cloze else basic_notetype()).fields
    fields = dict(zip(names, rendered.fields, strict=True))
    question = fields["Text"] if rendered.is_cloze else fields["Front"]
    return question, fields.get("Back", ""), fields["Extra"], fields["Source"], rendered.tags


def card_states(rendered: list[RenderedCard]) -> dict[str, CardState]:
    return {r.card.id: CardState(plain_question(r.card), r.card.deck_key, tuple(digest(part) for part in _parts(r)))
            for r in rendered}


def snapshot_text(version: Version, states: dict[str, CardState]) -> str:
    lines = [json.dumps(card_id) + ": " + json.dumps({"question": state.question, "domain": state.domain,
                                                       "digests": list(state.digests)}, ensure_ascii=False)
             for card_id, state in states.items()]
    head = json.dumps({"version": str(version), "parts": list(PARTS)})[:-1]
    return f'{head}, "cards": {{\n' + ",\n".join(lines) + "\n}}\n"


def read_snapshot(path: Path, display: str) -> tuple[dict[str, CardState] | None, list[Problem]]:
    """The cards of a release's snapshot (None when there is none) and what is wrong with it."""
    try:
        data = json.loads(read_input(path).decode("utf-8"))
        if data.get("parts") != list(PARTS):
            raise ValueError("its parts are not those of this awsdeck")
        states = {card_id: CardState(str(entry["question"]), str(entry["domain"]), tuple(entry["digests"]))
                  for card_id, entry in data["cards"].items()}
        if any(len(state.digests) != len(PARTS) for state in states.values()):
            raise ValueError("a card has not one digest per part")
        return states, []
    except FileNotFoundError:
        return None, []
    except (OSError, InputError, ValueError, UnicodeDecodeError, KeyError, TypeError, AttributeError) as exc:
        return None, [error(Location(display), f"cannot read the previous release's snapshot ({exc}); restore "
                            "build/release/ from version control", "release")]
