"""Turn a validated card into what Anki stores: note type, field HTML and tags."""

from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import urlsplit

from .markdown import to_html
from .model import Card, Exam


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


def render_card(card: Card, exam: Exam) -> RenderedCard:
    extra = to_html(card.extra) if card.extra else ""
    common = (extra, _source_html(card.sources), html.escape(card.service), card.id)
    if card.cloze is not None:
        fields = (to_html(card.cloze), *common)
    else:
        fields = (to_html(card.front or ""), to_html(card.back or ""), *common)
    return RenderedCard(card, card.is_cloze, fields, tags_for(card, exam), deck_for(card, exam))
