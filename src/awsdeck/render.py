"""Turn a validated card into what Anki stores: note type, field HTML and tags."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import cloze
from .markdown import to_html
from .model import Card, Exam

_PREFIX = re.compile(r"^(?:Amazon|AWS)\s+")
# a last word too common to stand for its service ("Secrets Manager" is not "Manager")
_GENERIC = {"service", "services", "manager", "streams", "functions", "gateway", "scaling", "storage", "sdk", "sdks",
            "cli", "associate", "infrastructure", "agent", "enclaves", "repository", "optimizer", "ca", "developer",
            "53", "balancing", "guru"}


@dataclass(frozen=True, slots=True)
class RenderedCard:
    card: Card
    is_cloze: bool
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    deck: str


def tags_for(card: Card, exam: Exam) -> tuple[str, ...]:
    """The service, then the exam's domain and task (or the outside-guide tag), then the topics."""
    tags = [f"aws::{card.slug}"]
    if card.outside_guide:
        tags.append(exam.outside_tag)
    else:
        exam_tag = f"{exam.tag_prefix}::{card.domain}"
        tags += [exam_tag, f"{exam_tag}::{card.task}"] if card.task else [exam_tag]
    tags += [f"topic::{tag}" for tag in card.tags]
    return tuple(tags)


def deck_for(card: Card, exam: Exam) -> str:
    if card.outside_guide:
        return exam.outside_deck_name
    return exam.deck_name(exam.domain(card.domain))  # type: ignore[arg-type]  # validated domain


def _source_html(urls: tuple[str, ...]) -> str:
    links = []
    for url in urls:
        parts = urlsplit(url)
        page = parts.path.rstrip("/").rsplit("/", 1)[-1] or parts.netloc
        label = f"{parts.netloc} › {page}" if page != parts.netloc else parts.netloc
        links.append(f'<a href="{html.escape(url, quote=True)}">{html.escape(label)}</a>')
    return "<br>".join(links)


def names_of(service: str) -> list[str]:
    """How an answer would name the service: its name without "Amazon"/"AWS" (and without
    " Service"), its last two words, and its last word when that word is distinctive
    ("Amazon Data Firehose" -> "Data Firehose", "Firehose")."""
    core = _PREFIX.sub("", service).split(" (")[0]
    words = core.split()
    names = [core, core.removesuffix(" Service")]
    if len(words) > 2:
        names.append(" ".join(words[-2:]))  # "EC2 Auto Scaling" -> "Auto Scaling"
    if len(words) > 1 and words[-1].lower() not in _GENERIC:
        names.append(words[-1])
    return list(dict.fromkeys(names))


def answer_names_service(card: Card) -> bool:
    """Whether the answer is, or names, the card's own service: then the front must not show it."""
    answer = " ".join(cloze.answers(card.cloze)) if card.cloze is not None else card.back or ""
    return any(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", answer, re.I) for name in names_of(card.service))


def render_card(card: Card, exam: Exam) -> RenderedCard:
    extra = to_html(card.extra) if card.extra else ""
    label = "" if answer_names_service(card) else html.escape(card.service)  # the front shows it above the question
    common = (extra, _source_html(card.sources), label, card.id)
    if card.cloze is not None:
        fields = (to_html(card.cloze), *common)
    else:
        fields = (to_html(card.front or ""), to_html(card.back or ""), *common)
    return RenderedCard(card, card.is_cloze, fields, tags_for(card, exam), deck_for(card, exam))
