"""The validated data: an exam, its domains, and the cards. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from .problems import Location

OUTSIDE = "outside-guide"  # the deck key of the cards no task of the exam guide needs (domain keys are the others)


@dataclass(frozen=True, slots=True)
class Domain:
    key: str
    number: int
    name: str
    deck: str  # the subdeck's own name; never changes once published
    weight: int
    tasks: dict[str, str]


@dataclass(frozen=True, slots=True)
class Exam:
    code: str
    title: str
    deck: str
    outside_deck: str  # subdeck of the cards no task of the exam guide needs
    domains: tuple[Domain, ...]
    study_order: tuple[str, ...]
    services: dict[str, str]  # card-file slug -> name of each service the guide lists in scope
    topics: dict[str, str]  # the topic tags cards may carry -> what each selects

    @property
    def tag_prefix(self) -> str:
        return self.code.lower()

    def domain(self, key: str) -> Domain | None:
        return next((d for d in self.domains if d.key == key), None)

    @property
    def outside_tag(self) -> str:
        return f"{self.tag_prefix}::outside-guide"

    def deck_name(self, domain: Domain) -> str:
        return f"{self.deck}::{domain.deck}"

    @property
    def outside_deck_name(self) -> str:
        return f"{self.deck}::{self.outside_deck}"

    def task_domain(self, task: str) -> Domain | None:
        return next((d for d in self.domains if task in d.tasks), None)


class Card(NamedTuple):
    id: str
    service: str
    slug: str
    domain: str
    front: str | None
    back: str | None
    cloze: str | None
    extra: str
    task: str | None
    tags: tuple[str, ...]
    outside_guide: bool  # no task of the exam guide needs this fact: outside deck and package
    sources: tuple[str, ...]
    similar_to: tuple[str, ...]
    allow_names: tuple[str, ...]
    location: Location
    field_locations: dict[str, Location]  # where each key's value starts

    @property
    def is_cloze(self) -> bool:
        return self.cloze is not None

    @property
    def deck_key(self) -> str:
        """Which deck the card is in: its domain's key, or OUTSIDE."""
        return OUTSIDE if self.outside_guide else self.domain

    @property
    def id_location(self) -> Location:
        return self.field_locations["id"]

    @property
    def question_location(self) -> Location:
        return self.field_locations["cloze" if self.is_cloze else "front"]

    def markdown_fields(self) -> dict[str, str]:
        fields = {"front": self.front, "back": self.back, "cloze": self.cloze, "extra": self.extra}
        return {key: text for key, text in fields.items() if text}


class CardFile(NamedTuple):
    path: str
    service: str
    slug: str
    cards: tuple[Card, ...]
