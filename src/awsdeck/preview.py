"""`awsdeck preview`: one static HTML page showing every card as Anki shows it.

Each card side is rendered from the build's own note types (templates and CSS) and the
fields render_card produces, so the page shows what learners see. The page needs no
network and no files besides itself: it works from file:// and on a phone.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path


from . import cloze
from .anki_template import render
from .charts import domain_chart, service_chart, task_chart
from .library import Library
from .notetypes import CSS, NoteType, basic_notetype, cloze_notetype
from .model import OUTSIDE
from .preview_assets import PAGE_CSS, PAGE_JS
from .render import RenderedCard
from .stats import Stats, compute

PAGE_FILE = "index.html"


@dataclass(frozen=True, slots=True)
class Face:
    """One Anki card of a note: a basic note has one, a cloze note one per deletion number."""

    ordinal: int  # 1-based, as in Anki's card1, card2 … classes
    front: str
    back: str


def _face(model: NoteType, fields: dict[str, str], ordinal: int) -> Face:
    """Front and back as Anki renders them; the back's {{FrontSide}} is this front."""
    front = render(model.front, fields, ordinal)
    return Face(ordinal, front, render(model.back, fields, ordinal, front_side=front))


def faces(rendered: RenderedCard) -> list[Face]:
    model = cloze_notetype() if rendered.is_cloze else basic_notetype()
    fields = dict(zip(model.fields, rendered.fields, strict=True))
    ordinals = cloze.numbers(rendered.fields[0]) if rendered.is_cloze else [1]
    return [_face(model, fields, ordinal) for ordinal in ordinals]


def _options(label: str, choices: list[tuple[str, str, int]]) -> str:
    """A <select> option list: 'all' first, then (value, text, count) choices."""
    options = [f'<option value="">{html.escape(label)}</option>']
    options += [f'<option value="{html.escape(value, quote=True)}">{html.escape(text)} ({count})</option>'
                for value, text, count in choices]
    return "".join(options)


def _filters(stats: Stats) -> str:
    domains = [(d.key, f"{d.number} {d.name}", d.cards) for d in stats.domains if d.cards]
    if stats.outside_guide:
        domains.append((OUTSIDE, "Outside the exam guide", stats.outside_guide))
    services = sorted((s.slug, s.service, s.cards) for s in stats.services)  # by slug: Lambda under L
    topics = [(tag, tag, count) for tag, count in sorted(stats.topics)]
    return (
        '<div class="filters">'
        '<input id="search" type="search" placeholder="Search question, answer, id…" aria-label="Search the cards">'
        f'<select id="domain" aria-label="Domain">{_options("All domains", domains)}</select>'
        f'<select id="service" aria-label="Service">{_options("All services", services)}</select>'
        f'<select id="tag" aria-label="Topic tag">{_options("All topics", topics)}</select>'
        "</div>"
    )


def _entry(rendered: RenderedCard, domain_names: dict[str, str]) -> str:
    card = rendered.card
    domain = card.deck_key
    meta = [f"<b>{html.escape(card.id)}</b>", html.escape(domain_names[domain])]
    if card.task:
        meta.append(f"task {html.escape(card.task)}")
    meta += [f"#{html.escape(tag)}" for tag in card.tags]
    sides = []
    for face in faces(rendered):
        number = f"Card {face.ordinal} · " if rendered.is_cloze else ""
        for name, side in (("Front", face.front), ("Back", face.back)):
            sides.append(f'<figure class="side {name.lower()}"><figcaption>{number}{name}</figcaption>'
                         f'<div class="card card{face.ordinal}">{side}</div></figure>')
    attributes = " ".join(f'data-{key}="{html.escape(value, quote=True)}"'
                          for key, value in (("id", card.id), ("domain", domain), ("service", card.slug),
                                             ("tag", " ".join(card.tags))))
    return (f'<article class="entry" {attributes}><p class="meta">{" · ".join(meta)}</p>'
            f'<div class="faces">{"".join(sides)}</div></article>')


def page(library: Library, rendered: list[RenderedCard]) -> str:
    exam = library.exam
    stats = compute(library)
    title = f"{exam.deck}: card preview"
    domain_names = {d.key: f"{d.number} {d.name}" for d in exam.domains} | {OUTSIDE: "outside the exam guide"}
    entries = "\n".join(_entry(r, domain_names) for r in rendered)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
/* the note types' CSS, exactly as in the decks */
{CSS}
</style>
<style>
{PAGE_CSS}
</style>
</head>
<body class="preview">
<header class="top"><h1>{html.escape(exam.code)} cards</h1>
<label class="switch"><input id="study" type="checkbox"> Study</label>
<label class="switch"><input id="theme" type="checkbox"> Dark</label></header>
<div class="page">
{_filters(stats)}
<p id="shown" class="shown" aria-live="polite">{len(rendered)} of {len(rendered)} cards</p>
<section class="charts">
<details open><summary>Cards per domain against the exam weight</summary>{domain_chart(stats)}</details>
<details open><summary>Cards per task of the exam guide ({len(stats.tasks)} tasks)</summary>{task_chart(stats)}</details>
<details><summary>Cards per service ({len(stats.services)})</summary>{service_chart(stats)}</details>
</section>
<main>
{entries}
</main>
<p id="no-match" class="no-match" hidden>No card matches.</p>
</div>
<script>
{PAGE_JS}
</script>
</body>
</html>
"""


def write_preview(library: Library, rendered: list[RenderedCard], out_dir: Path) -> Path:
    """Write OUT/index.html whole or not at all (a half-written page would mislead)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / PAGE_FILE
    partial = path.with_name(f".{PAGE_FILE}.partial")
    partial.write_text(page(library, rendered), encoding="utf-8")
    os.replace(partial, path)
    return path
