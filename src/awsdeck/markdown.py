"""Markdown fields: finding raw HTML, and rendering to HTML with build-time code highlighting."""

from __future__ import annotations

import html
from functools import lru_cache
from typing import NamedTuple

from markdown_it import MarkdownIt
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

LIGHT_CODE_STYLE = "friendly"
DARK_CODE_STYLE = "monokai"

_detector = MarkdownIt("commonmark", {"html": True}).enable("table")
_formatter = HtmlFormatter(nowrap=True)


class Analysis(NamedTuple):
    raw_html: tuple[str, ...]  # HTML that Markdown would pass through (not inside code)
    fence_languages: tuple[str, ...]
    code_spans: tuple[str, ...]  # the text of each `inline code`


@lru_cache(maxsize=None)
def analyse(text: str) -> Analysis:
    """One parse of a field, shared by every check that looks inside it."""
    raw_html, languages, spans = [], [], []
    for token in _detector.parse(text):
        if token.type == "html_block":
            raw_html.append(token.content.strip())
        elif token.type == "fence" and token.info.strip():
            languages.append(token.info.strip().split()[0])
        for child in token.children or ():
            if child.type == "html_inline":
                raw_html.append(child.content)
            elif child.type == "code_inline":
                spans.append(child.content.strip())
    return Analysis(tuple(raw_html), tuple(languages), tuple(spans))


def _highlight(code: str, language: str, _attrs: str) -> str:
    try:
        lexer = get_lexer_by_name(language) if language else None
    except ClassNotFound:
        lexer = None
    body = pygments_highlight(code, lexer, _formatter) if lexer else html.escape(code)
    return f'<pre class="highlight"><code>{body}</code></pre>\n'


_renderer = MarkdownIt("commonmark", {"html": False, "highlight": _highlight}).enable("table")


@lru_cache(maxsize=None)
def known_language(language: str) -> bool:
    try:
        get_lexer_by_name(language)
    except ClassNotFound:
        return False
    return True


def to_html(text: str) -> str:
    """Render a field; a one-paragraph field loses its <p> wrapper so it sits inline."""
    rendered = _renderer.render(text).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return rendered


def code_css() -> str:
    light = HtmlFormatter(style=LIGHT_CODE_STYLE).get_style_defs(".highlight")
    dark = HtmlFormatter(style=DARK_CODE_STYLE).get_style_defs(
        [".nightMode .highlight", ".night_mode .highlight", ".nightMode.card .highlight"]
    )
    return f"{light}\n{dark}"
