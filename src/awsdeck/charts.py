"""Horizontal bar charts as inline SVG: no script, no network, colours from the page's CSS (light and dark)."""

from __future__ import annotations

import html
from dataclasses import dataclass

from .stats import Stats

WIDTH = 360  # viewBox units; the SVG scales to its container's width
LABEL_HEIGHT = 15
BAR_HEIGHT = 10
BAR_GAP = 4
ROW_GAP = 10
VALUE_ROOM = 110  # right of the longest bar, for its value text
MAX_LABEL = 56  # characters of a row label that fit the chart's width; longer ones end in "…"


@dataclass(frozen=True, slots=True)
class Bar:
    value: float
    text: str  # shown right of the bar
    kind: str  # CSS class suffix: bar-<kind>


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    bars: tuple[Bar, ...]
    key: str  # data-key of the row, e.g. a domain key or service slug


def bar_chart(title: str, rows: list[Row], legend: tuple[tuple[str, str], ...] = ()) -> str:
    """One labelled group of bars per row; `legend` pairs a bar kind with its meaning."""
    scale = (WIDTH - VALUE_ROOM) / max([bar.value for row in rows for bar in row.bars] + [1])
    parts: list[str] = []
    y = 0
    if legend:
        x = 0
        for kind, meaning in legend:
            parts.append(f'<rect class="bar-{kind}" x="{x}" y="{y + 2}" width="10" height="10" rx="2"/>'
                         f'<text class="chart-text" x="{x + 14}" y="{y + 11}">{html.escape(meaning)}</text>')
            x += 24 + 6 * len(meaning)
        y += LABEL_HEIGHT + ROW_GAP
    for row in rows:
        label = row.label if len(row.label) <= MAX_LABEL else row.label[: MAX_LABEL - 1].rstrip() + "…"
        group = [f'<title>{html.escape(row.label)}</title>',
                 f'<text class="chart-label" x="0" y="{y + 11}">{html.escape(label)}</text>']
        y += LABEL_HEIGHT
        for bar in row.bars:
            width = round(bar.value * scale, 1)
            group.append(f'<rect class="bar-{bar.kind}" x="0" y="{y}" width="{width}" height="{BAR_HEIGHT}" rx="2"/>'
                         f'<text class="chart-text" x="{width + 4}" y="{y + 9}">{html.escape(bar.text)}</text>')
            y += BAR_HEIGHT + BAR_GAP
        parts.append(f'<g data-key="{html.escape(row.key, quote=True)}">{"".join(group)}</g>')
        y += ROW_GAP
    return (f'<svg class="chart" viewBox="0 0 {WIDTH} {y}" role="img" aria-label="{html.escape(title, quote=True)}" '
            f'xmlns="http://www.w3.org/2000/svg"><title>{html.escape(title)}</title>{"".join(parts)}</svg>')


def domain_chart(stats: Stats) -> str:
    """Each domain's share of the cards next to its weight in the exam."""
    rows = [Row(f"{d.number} {d.name}", (Bar(d.share, f"{d.share:.0f}% of cards ({d.cards})", "cards"),
                                         Bar(d.weight, f"{d.weight}% of the exam", "weight")), d.key)
            for d in stats.domains]
    return bar_chart("Cards per domain against the exam weight", rows,
                     legend=(("cards", "share of the cards"), ("weight", "exam weight")))


def task_chart(stats: Stats) -> str:
    """Every task of the guide, those without a card included, and the cards outside the guide."""
    rows = [Row(f"{t.task} {t.statement}", (Bar(t.cards, str(t.cards), "cards"),), t.task) for t in stats.tasks]
    rows.append(Row("Outside the exam guide", (Bar(stats.outside_guide, str(stats.outside_guide), "cards"),), "outside"))
    return bar_chart("Cards per task of the exam guide", rows)


def service_chart(stats: Stats) -> str:
    rows = [Row(s.service, (Bar(s.cards, str(s.cards), "cards"),), s.slug) for s in stats.services]
    return bar_chart("Cards per service", rows)
