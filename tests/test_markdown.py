"""Field rendering: the fast Rust parser gives exactly the HTML of the reference
markdown-it (Python), with code highlighted by Pygments at build time."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from awsdeck.markdown import analyse, to_html

ROOT = Path(__file__).parent.parent


def _reference_highlight(code: str, language: str, _attrs: str) -> str:
    try:
        lexer = get_lexer_by_name(language) if language else None
    except ClassNotFound:
        lexer = None
    body = highlight(code, lexer, HtmlFormatter(nowrap=True)) if lexer else html.escape(code)
    return f'<pre class="highlight"><code>{body}</code></pre>\n'


_reference = MarkdownIt("commonmark", {"html": True, "highlight": _reference_highlight}).enable("table")


def reference_html(text: str) -> str:
    rendered = _reference.render(text).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return rendered


TRICKY = [
    "plain text with \"quotes\" & ampersands",
    "`SendMessage` and **bold** and *italic* and `a <b> c`",
    "| a | b |\n|---|---|\n| `x` | 1 |",
    "Run:\n```bash\naws s3 cp a b --acl \"private\"\n```\nthen wait.",
    "```\nno language <here>\n```",
    "```nosuchlanguage\nx = 1\n```",
    "~~~python\nprint('hi')\n~~~",
    "1. first\n2. second\n\n- a\n- b",
    "`` code with ` backtick ``",
    "a line\nsoft-broken\n\nand a second paragraph",
    "&copy; &amp; entity and \\*escaped\\*",
    "{{c1::`GenerateDataKey`}} returns a {{c2::plaintext and an encrypted}} key.",
]


def _library_fields() -> list[str]:
    texts = []
    for path in sorted((ROOT / "cards").glob("*.yaml")):
        if path.name == "exam.yaml":
            continue
        for card in yaml.safe_load(path.read_text(encoding="utf-8"))["cards"]:
            texts += [card[k] for k in ("front", "back", "cloze", "extra") if card.get(k)]
    return texts


@pytest.mark.parametrize("text", TRICKY)
def test_rendering_equals_the_reference(text: str) -> None:
    assert to_html(text) == reference_html(text)


def test_every_field_of_the_library_renders_as_the_reference() -> None:
    texts = _library_fields()
    assert texts
    assert [t for t in texts if to_html(t) != reference_html(t)] == []


def test_analysis_finds_html_code_and_languages() -> None:
    found = analyse("a `x` <b>y</b> `<i>`\n\n```json\n{}\n```\n\n<div>\nz\n</div>\n")
    assert found.raw_html == ("<b>", "</b>", "<div>\nz\n</div>")
    assert found.code_spans == ("x", "<i>")
    assert found.fence_languages == ("json",)


def _markdown_without_the_rust_parser(monkeypatch: pytest.MonkeyPatch):
    """awsdeck.markdown loaded as on a Python with no markdown-it-pyrs wheel (3.13+)."""
    import importlib.util
    import sys

    monkeypatch.setitem(sys.modules, "markdown_it_pyrs", None)  # import fails
    spec = importlib.util.find_spec("awsdeck.markdown")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_python_fallback_renders_and_analyses_every_field_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    fallback = _markdown_without_the_rust_parser(monkeypatch)
    assert not hasattr(fallback, "_FastMarkdownIt")
    texts = TRICKY + _library_fields() + ["a `x` <b>y</b> `<i>`\n\n```json\n{}\n```\n\n<div>\nz\n</div>\n"]
    assert [t for t in texts if fallback._to_html(t) != reference_html(t)] == []
    assert [t for t in texts if fallback._analyse(t) != analyse(t)] == []
