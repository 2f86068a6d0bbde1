"""`awsdeck stats`: what the library covers, against the exam guide, as a table or JSON."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from . import cloze
from .library import Library


@dataclass(frozen=True, slots=True)
class DomainCount:
    key: str
    number: int
    name: str
    weight: int  # percent of the exam, from exam.yaml
    cards: int  # cards of the exam guide in this domain
    share: float  # percent of the library's cards in the guide


@dataclass(frozen=True, slots=True)
class ServiceCount:
    slug: str
    service: str
    cards: int
    outside_guide: int


@dataclass(frozen=True, slots=True)
class TaskCount:
    task: str
    domain: str
    statement: str
    cards: int


@dataclass(frozen=True, slots=True)
class Stats:
    exam: str
    total: int
    outside_guide: int  # cards no task of the guide needs (their own deck and package)
    domains: tuple[DomainCount, ...]  # in exam order
    services: tuple[ServiceCount, ...]  # most cards first
    tasks: tuple[TaskCount, ...]  # every task statement of the exam, in exam order
    services_without_cards: tuple[str, ...]  # services the guide lists that no card file covers
    topics: tuple[tuple[str, int], ...]  # most cards first
    without_topic: int
    basic: int
    cloze: int
    cloze_deletions: int  # Anki makes one card per deletion
    with_source: int

    @property
    def uncovered_tasks(self) -> tuple[TaskCount, ...]:
        return tuple(task for task in self.tasks if task.cards == 0)

    def to_json(self) -> dict[str, object]:
        return {
            "exam": self.exam,
            "cards": self.total,
            "cards_outside_guide": self.outside_guide,
            "domains": [{"key": d.key, "number": d.number, "name": d.name, "weight": d.weight, "cards": d.cards,
                         "share": round(d.share, 1)} for d in self.domains],
            "services": [{"slug": s.slug, "service": s.service, "cards": s.cards, "outside_guide": s.outside_guide}
                         for s in self.services],
            "guide_services_without_cards": list(self.services_without_cards),
            "tasks": [{"task": t.task, "domain": t.domain, "statement": t.statement, "cards": t.cards}
                      for t in self.tasks],
            "tasks_without_cards": [t.task for t in self.uncovered_tasks],
            "topics": [{"tag": tag, "cards": count} for tag, count in self.topics],
            "cards_without_topic": self.without_topic,
            "kinds": {"basic": self.basic, "cloze": self.cloze, "cloze_deletions": self.cloze_deletions},
            "cards_with_source": self.with_source,
        }


def _percent(part: int, whole: int) -> float:
    return 100 * part / whole if whole else 0.0


def _most_first(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def compute(library: Library) -> Stats:
    cards = library.cards
    total = len(cards)
    in_guide = [card for card in cards if not card.outside_guide]
    by_domain = Counter(card.domain for card in in_guide)
    by_service = Counter(card.slug for card in cards)
    outside_by_service = Counter(card.slug for card in cards if card.outside_guide)
    names = {card.slug: card.service for card in cards}
    by_task = Counter(card.task for card in cards if card.task)
    topics = Counter(tag for card in cards for tag in card.tags)
    clozes = [card.cloze for card in cards if card.cloze is not None]
    return Stats(
        exam=library.exam.code,
        total=total,
        outside_guide=total - len(in_guide),
        domains=tuple(DomainCount(d.key, d.number, d.name, d.weight, by_domain[d.key],
                                  _percent(by_domain[d.key], len(in_guide))) for d in library.exam.domains),
        services=tuple(ServiceCount(slug, names[slug], count, outside_by_service[slug])
                       for slug, count in _most_first(by_service)),
        tasks=tuple(TaskCount(task, d.key, statement, by_task[task])
                    for d in library.exam.domains for task, statement in d.tasks.items()),
        services_without_cards=tuple(name for slug, name in library.exam.services.items() if slug not in names),
        topics=tuple(_most_first(topics)),
        without_topic=sum(not card.tags for card in cards),
        basic=total - len(clozes),
        cloze=len(clozes),
        cloze_deletions=sum(len(cloze.numbers(text)) for text in clozes),
        with_source=sum(bool(card.sources) for card in cards),
    )


def _table(header: tuple[str, ...], rows: Sequence[tuple[object, ...]], numeric: tuple[int, ...]) -> list[str]:
    """Columns padded to their widest cell; the `numeric` columns right-aligned; last column unpadded."""
    cells = [tuple(str(cell) for cell in row) for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for row in cells:
        parts = [cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(parts).rstrip())
    return lines


def format_text(stats: Stats) -> str:
    total = stats.total
    lines = [f"{stats.exam}: {total} card{'s' * (total != 1)}, {total - stats.outside_guide} in the exam guide, "
             f"{stats.outside_guide} outside it", ""]
    lines += _table(("Domain", "Cards", "Share", "Exam weight"),
                    [(f"{d.number} {d.name}", d.cards, f"{d.share:.0f}%", f"{d.weight}%") for d in stats.domains],
                    numeric=(1, 2, 3))
    lines.append("")
    lines += _table(("Service", "Cards", "Outside guide"), [(s.service, s.cards, s.outside_guide) for s in stats.services],
                    numeric=(1, 2))
    if stats.services_without_cards:
        lines += ["", f"Services the guide lists with no card ({len(stats.services_without_cards)}): "
                  + ", ".join(stats.services_without_cards)]
    lines.append("")
    lines += _table(("Task", "Cards", "Statement"),
                    [(t.task, t.cards, t.statement) for t in stats.tasks] + [("-", stats.outside_guide, "(outside the guide)")],
                    numeric=(1,))
    uncovered = stats.uncovered_tasks
    if uncovered:
        lines += ["", f"Task statements with no card ({len(uncovered)}):"]
        lines += [f"  {t.task}  {t.statement}" for t in uncovered]
    lines.append("")
    lines += _table(("Topic tag", "Cards"), [*stats.topics, ("(no tag)", stats.without_topic)], numeric=(1,))
    lines.append("")
    lines += _table(("Kind", "Cards", "Anki cards"),
                    [("basic", stats.basic, stats.basic), ("cloze", stats.cloze, stats.cloze_deletions)],
                    numeric=(1, 2))
    lines += ["", f"Cite a source: {stats.with_source} of {total} cards ({_percent(stats.with_source, total):.0f}%)"]
    return "\n".join(lines)
