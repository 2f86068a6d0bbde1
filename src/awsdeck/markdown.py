"""Markdown fields: finding raw HTML, and rendering to HTML with build-time code highlighting.

Parsing and rendering use markdown-it-pyrs (markdown-it in Rust, CommonMark plus tables),
which gives the same HTML as the Python markdown-it about ten times faster; where it has
no wheel (Python 3.13 and later), and for text the Rust parser cannot take, the Python
markdown-it does the same job. Fenced code is then highlighted with Pygments.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import NamedTuple

from collections.abc import Iterator

from markdown_it import MarkdownIt
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

LIGHT_CODE_STYLE = "friendly"
DARK_CODE_STYLE = "monokai"

_reference = MarkdownIt("commonmark").enable("table")


def _reference_parts(text: str) -> Iterator[tuple[str, str]]:
    """(kind, content) of the code spans, raw HTML, fences, images and links of a field; a
    fence's content is its info string, an image's or link's its address."""
    for token in _reference.parse(text):
        for part in [token, *(token.children or [])]:
            if part.type in ("image", "link_open"):
                yield part.type.removesuffix("_open"), str(part.attrGet("src" if part.type == "image" else "href"))
            else:
                yield part.type, part.info if part.type == "fence" else part.content


try:
    from markdown_it_pyrs import MarkdownIt as _FastMarkdownIt
except ImportError:  # no wheel for this Python: the reference implementation gives the same HTML
    def _parts(text: str) -> Iterator[tuple[str, str]]:
        return _reference_parts(text)

    def _render(text: str) -> str:
        return _reference.render(text)
else:
    _fast = _FastMarkdownIt("commonmark").enable("table")

    def _panics_fast(text: str) -> bool:
        """markdown-it-pyrs 0.4 panics on some code spans inside a link label ("a [`` b"): such
        text (a '[' and a '`') goes to the reference implementation."""
        return "[" in text and "`" in text

    def _parts(text: str) -> Iterator[tuple[str, str]]:
        if _panics_fast(text):
            yield from _reference_parts(text)
            return
        for node in _fast.tree(text).walk():
            if node.name == "code_inline":
                yield node.name, "".join(child.meta["content"] for child in node.children)
            elif node.name in ("html_inline", "html_block"):
                yield node.name, node.meta["content"]
            elif node.name == "fence":
                yield node.name, node.meta["info"]
            elif node.name in ("image", "link", "autolink"):
                yield node.name.removeprefix("auto"), node.meta["url"]

    def _render(text: str) -> str:
        return _reference.render(text) if _panics_fast(text) else _fast.render(text)

_formatter = HtmlFormatter(nowrap=True)
_FENCE = re.compile(r'<pre><code(?: class="language-([^"]*)")?>(.*?)</code></pre>\n', re.S)
_MAY_HOLD_MARKUP = re.compile(r"[`<~\]]")  # code, raw HTML, fences, images and links all need one
_CLOZE_OPENING = re.compile(r"\{\{c\d+::")


class Analysis(NamedTuple):
    raw_html: tuple[str, ...]  # HTML that Markdown would pass through (not inside code)
    fence_languages: tuple[str, ...]
    code_spans: tuple[str, ...]  # the text of each `inline code`
    images: tuple[str, ...] = ()  # the address of each image
    links: tuple[str, ...] = ()  # the address of each link


_NOTHING = Analysis((), (), ())
# Results by field text, for this process and (through cache.py) for the next run.
_analyses: dict[str, Analysis] = {}
_htmls: dict[str, str] = {}


def remember(saved: tuple[dict[str, Analysis], dict[str, str]]) -> None:
    _analyses.update(saved[0])
    _htmls.update(saved[1])


def remembered(texts: set[str] | None) -> tuple[dict[str, Analysis], dict[str, str]]:
    """The results for these texts (all results when None)."""
    if texts is None:
        return dict(_analyses), dict(_htmls)
    return ({t: a for t, a in _analyses.items() if t in texts}, {t: h for t, h in _htmls.items() if t in texts})


def analyse(text: str) -> Analysis:
    """One parse of a field, shared by every check that looks inside it."""
    found = _analyses.get(text)
    if found is None:
        found = _analyses[text] = _analyse(text)
    return found


def _analyse(text: str) -> Analysis:
    if not _MAY_HOLD_MARKUP.search(text):
        return _NOTHING
    raw_html: list[str] = []
    languages: list[str] = []
    spans: list[str] = []
    addresses: dict[str, list[str]] = {"image": [], "link": []}
    for kind, content in _parts(text):
        if kind == "code_inline":
            spans.append(content.strip())
        elif kind == "html_inline":
            raw_html.append(content)
        elif kind == "html_block":
            raw_html.append(content.strip())
        elif kind == "fence" and content.strip():
            languages.append(content.split()[0])
        elif kind in addresses:
            addresses[kind].append(content)
    return Analysis(tuple(raw_html), tuple(languages), tuple(spans), tuple(addresses["image"]), tuple(addresses["link"]))


def _highlight(match: re.Match[str]) -> str:
    language, escaped = match.group(1), match.group(2)
    code = html.unescape(escaped)
    try:
        # highlighting would split a cloze deletion into tokens, and Anki would no longer find it
        lexer = get_lexer_by_name(html.unescape(language)) if language and not _CLOZE_OPENING.search(code) else None
    except ClassNotFound:
        lexer = None
    body = pygments_highlight(code, lexer, _formatter) if lexer else html.escape(code)
    return f'<pre class="highlight"><code>{body}</code></pre>\n\n'


@lru_cache(maxsize=None)
def known_language(language: str) -> bool:
    try:
        get_lexer_by_name(language)
    except ClassNotFound:
        return False
    return True


def to_html(text: str) -> str:
    """Render a field; a one-paragraph field loses its <p> wrapper so it sits inline."""
    found = _htmls.get(text)
    if found is None:
        found = _htmls[text] = _to_html(text)
    return found


def _to_html(text: str) -> str:
    rendered = _render(text)
    if "<pre><code" in rendered:
        rendered = _FENCE.sub(_highlight, rendered)
    rendered = rendered.strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return rendered


def code_css() -> str:
    light = HtmlFormatter(style=LIGHT_CODE_STYLE).get_style_defs(".highlight")
    dark = HtmlFormatter(style=DARK_CODE_STYLE).get_style_defs(
        [".nightMode .highlight", ".night_mode .highlight", ".nightMode.card .highlight"]
    )
    return f"{light}\n{dark}"
