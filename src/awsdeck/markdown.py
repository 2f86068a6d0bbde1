"""Markdown fields: finding raw HTML, and rendering to HTML with build-time code highlighting."""

from __future__ import annotations

import html
from functools import lru_cache

from markdown_it import MarkdownIt
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

LIGHT_CODE_STYLE = "friendly"
DARK_CODE_STYLE = "monokai"

_detector = MarkdownIt("commonmark", {"html": True}).enable("table")
_formatter = HtmlFormatter(nowrap=True)


def find_raw_html(text: str) -> list[str]:
    """The raw HTML snippets Markdown would pass through (code spans and blocks excluded)."""
    found = []
    for token in _detector.parse(text):
        if token.type == "html_block":
            found.append(token.content.strip())
        for child in token.children or ():
            if child.type == "html_inline":
                found.append(child.content)
    return found


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


def fence_languages(text: str) -> list[str]:
    return [t.info.strip().split()[0] for t in _detector.parse(text) if t.type == "fence" and t.info.strip()]


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
