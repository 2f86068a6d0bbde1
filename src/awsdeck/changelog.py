"""CHANGELOG.md: for learners, what each release changed in the decks, newest first."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .calver import Version
from .ledger import Retirement
from .snapshot import PARTS, CardState
from .stats import Stats

CHANGELOG_FILE = "CHANGELOG.md"
PREAMBLE = """# What changed in the decks

Every release of the Anki packages in `build/release/`, newest first: the cards added,
edited and retired, by id (each card shows its id at the bottom of its answer). Import a
new release over the old one with Anki's default options: edited notes update in place
and keep their review history.
"""
_HEADING = re.compile(r"^## (\S+)", re.M)
_MARKDOWN = re.compile(r"([\\`*_<>|]|(?<=\])\()")  # "[…]" stays as it is: only "](" would make a link


@dataclass(frozen=True)
class Changes:
    first: bool  # no earlier release to compare with: the cards are not listed
    added: list[tuple[str, str]]  # (id, question), in study order
    edited: list[tuple[str, str, list[str]]]  # (id, question, the parts that changed)
    retired: list[tuple[str, str]]  # (id, reason)


def compare(previous: dict[str, CardState] | None, current: dict[str, CardState],
            retired: dict[str, Retirement]) -> Changes:
    """What changed since the previous release's cards. The retired ids are those the previous
    release still shipped (at the first release, all of them: earlier decks shipped them)."""
    gone = [(card_id, r.reason) for card_id, r in sorted(retired.items()) if previous is None or card_id in previous]
    if previous is None:
        return Changes(True, [], [], gone)
    added = [(card_id, state.question) for card_id, state in current.items() if card_id not in previous]
    edited = []
    for card_id, state in current.items():
        before = previous.get(card_id)
        if before is not None and before.digests != state.digests:
            parts = [part for part, old, new in zip(PARTS, before.digests, state.digests, strict=True) if old != new]
            edited.append((card_id, state.question, parts))
    return Changes(False, added, edited, gone)


def plain(text: str) -> str:
    """Plain text that Markdown shows as it is."""
    return _MARKDOWN.sub(r"\\\1", text)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'s' * (number != 1)}"


def entry(version: Version, date: str, stats: Stats, changes: Changes, notes: str | None) -> str:
    """The Markdown of one release: the caller's notes, the counts per domain, then what changed."""
    lines = [f"## {version} ({date})", ""]
    if notes and notes.strip():
        lines += [notes.strip(), ""]
    in_guide = stats.total - stats.outside_guide
    counts = (f"{_count(stats.total, 'card')}: {in_guide:,} in the exam guide, {stats.outside_guide:,} outside it "
              "(optional package)")
    if changes.first:
        lines += [f"The first release ships {counts}.", ""]
    else:
        lines += [f"{counts}. Since the previous release: {len(changes.added):,} added, {len(changes.edited):,} "
                  f"edited, {len(changes.retired):,} retired.", ""]
    lines += ["| Domain | Cards | Share | Exam weight |", "|---|---:|---:|---:|"]
    lines += [f"| {d.number} {plain(d.name)} | {d.cards:,} | {d.share:.0f} % | {d.weight} % |" for d in stats.domains]
    lines.append("")
    if changes.added:
        lines += [f"### Added ({len(changes.added):,})", ""]
        lines += [f"- `{card_id}`: {plain(question)}" for card_id, question in changes.added]
        lines.append("")
    if changes.edited:
        lines += [f"### Edited ({len(changes.edited):,})", ""]
        lines += [f"- `{card_id}`: {plain(question)} — {', '.join(parts)}"
                  for card_id, question, parts in changes.edited]
        lines.append("")
    if changes.retired:
        lines += [f"### Retired ({len(changes.retired):,})", "",
                  "Anki keeps these cards until you delete them: in *Browse*, search `\"Id:<id>\"`, select the "
                  "note and choose *Notes → Delete*.", ""]
        lines += [f"- `{card_id}`: {plain(reason)}" for card_id, reason in changes.retired]
        lines.append("")
    return "\n".join(lines)


def with_entry(changelog: str | None, version: Version, text: str) -> str:
    """The changelog with the entry on top; an entry of the same version on top (from a release
    that was interrupted) is replaced."""
    if changelog is None:
        return f"{PREAMBLE}\n{text}"
    headings = list(_HEADING.finditer(changelog))
    if not headings:
        return f"{changelog.rstrip()}\n\n{text}"
    start = headings[0].start()
    end = start
    if headings[0].group(1) == str(version):
        end = headings[1].start() if len(headings) > 1 else len(changelog)
    return changelog[:start] + text + ("\n" if end < len(changelog) else "") + changelog[end:]
