"""The validated data: an exam, its domains, and the cards. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from .problems import Location


@dataclass(frozen=True, slots=True)
class Domain:
    key: str
    number: int
    name: str
    weight: int
    tasks: dict[str, str]


@dataclass(frozen=True, slots=True)
class Exam:
    code: str
    title: str
    deck: str
    domains: tuple[Domain, ...]
    study_order: tuple[str, ...]

    @property
    def tag_prefix(self) -> str:
        return self.code.lower()

    def domain(self, key: str) -> Domain | None:
        return next((d for d in self.domains if d.key == key), None)

    def deck_name(self, domain: Domain) -> str:
        return f"{self.deck}::{domain.number} {domain.name}"

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
    sources: tuple[str, ...]
    similar_to: tuple[str, ...]
    allow_names: tuple[str, ...]
    location: Location
    field_locations: dict[str, Location]  # where each key's value starts

    @property
    def is_cloze(self) -> bool:
        return self.cloze is not None

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
