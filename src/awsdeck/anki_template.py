"""The part of Anki's card template language that our note types use, rendered byte for byte as Anki does.

Supported: {{Field}}, {{FrontSide}}, {{#Field}}…{{/Field}} and {{cloze:Field}}. Any other tag
raises TemplateError, so a template that starts using more cannot be previewed wrongly in silence.
tests/test_preview.py compares the output with the real Anki backend.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

_TAG = re.compile(r"\{\{(.*?)\}\}", re.S)
_DELETION = re.compile(r"\{\{c(\d+)::(.*?)\}\}", re.S)
# Anki treats a field holding only whitespace, <br> and <div> tags as empty
_EMPTY_FIELD = re.compile(r"^(?:\s|</?(?:br|div) ?/?>)*$", re.I)
_ALPHANUMERIC = frozenset(string.ascii_letters + string.digits)
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}


class TemplateError(ValueError):
    """The template uses a tag this renderer does not implement, or is malformed."""


def encode_attribute(text: str) -> str:
    """Escape like Anki's data-cloze attribute (Rust htmlescape::encode_attribute): every
    character below U+0100 that is not an ASCII letter or digit becomes an entity."""
    return "".join(
        _ENTITIES.get(c) or (f"&#x{ord(c):02X};" if ord(c) < 0x100 and c not in _ALPHANUMERIC else c) for c in text
    )


def cloze(text: str, ordinal: int, question: bool) -> str:
    """Anki's {{cloze:…}} output for the card of deletion number `ordinal`."""

    def deletion(match: re.Match[str]) -> str:
        number = int(match.group(1))
        answer, has_hint, hint = match.group(2).partition("::")
        if number != ordinal:
            return f'<span class="cloze-inactive" data-ordinal="{number}">{answer}</span>'
        if question:
            shown = hint if has_hint else "..."
            hidden = encode_attribute(answer)
            return f'<span class="cloze" data-cloze="{hidden}" data-ordinal="{number}">[{shown}]</span>'
        return f'<span class="cloze" data-ordinal="{number}">{answer}</span>'

    return _DELETION.sub(deletion, text)


def render(template: str, fields: Mapping[str, str], ordinal: int = 1, front_side: str | None = None) -> str:
    """One side of a card: the question when front_side is None, else the answer
    (front_side is then the rendered question that {{FrontSide}} stands for)."""
    output: list[str] = []
    sections: list[tuple[str, bool]] = []  # open {{#Field}} sections: name, shown
    position = 0
    for match in _TAG.finditer(template):
        shown = all(visible for _, visible in sections)
        if shown:
            output.append(template[position : match.start()])
        position = match.end()
        tag = match.group(1).strip()
        if tag.startswith("#"):
            name = tag[1:].strip()
            sections.append((name, shown and not _EMPTY_FIELD.match(_field(fields, name))))
        elif tag.startswith("/"):
            name = tag[1:].strip()
            if not sections or sections[-1][0] != name:
                raise TemplateError(f"{{{{/{name}}}}} closes no open {{{{#{name}}}}}")
            sections.pop()
        elif shown:
            output.append(_replacement(tag, fields, ordinal, front_side))
    if sections:
        raise TemplateError(f"{{{{#{sections[-1][0]}}}}} is never closed")
    output.append(template[position:])
    return "".join(output)


def _field(fields: Mapping[str, str], name: str) -> str:
    if name not in fields:
        raise TemplateError(f"the template names {{{{{name}}}}}, which is not a field ({', '.join(fields)})")
    return fields[name]


def _replacement(tag: str, fields: Mapping[str, str], ordinal: int, front_side: str | None) -> str:
    if tag == "FrontSide":
        if front_side is None:
            raise TemplateError("{{FrontSide}} belongs on the back of a card")
        return front_side
    if tag.startswith("cloze:"):
        return cloze(_field(fields, tag.removeprefix("cloze:").strip()), ordinal, question=front_side is None)
    if ":" in tag or tag[:1] in "^!=":
        raise TemplateError(f"{{{{{tag}}}}} is not supported by the preview; extend awsdeck.anki_template")
    return _field(fields, tag)
