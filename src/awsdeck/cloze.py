"""Cloze deletions: {{c1::answer}} or {{c1::answer::hint}}, checked the way Anki reads them.

Anki finds deletions in the field's HTML, after Markdown rendering, so a cloze is checked
twice: in its text, and in its HTML, which must hold the same deletions, each one a whole
piece of HTML outside any tag.
"""

from __future__ import annotations

import re
from itertools import zip_longest
from typing import NamedTuple

from .markdown import to_html

MAX_NUMBER = 500  # Anki makes no card for a deletion numbered higher
_OPEN = re.compile(r"\{\{c([1-9]\d*)::")
_DELETION = re.compile(r"\{\{c[1-9]\d*::(.*?)(?:::(?:(?!\}\}).)*)?\}\}", re.S)
_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)[^>]*?(/?)>")
_VOID = {"br", "hr", "img", "input"}
_OVERLAPS = {
    "code": "and `code` overlap: Anki ends a deletion at the first '}}', even inside code; keep the code wholly "
            "inside or outside the deletion, and '}}' out of deletions",
    "em": "and *emphasis* overlap: start and end the '*' or '**' inside the deletion, or around it",
    "a": "and a link overlap: put the whole link inside the deletion, or the deletion inside the link text",
}
_OVERLAPS["strong"] = _OVERLAPS["em"]
_ACROSS_BLOCKS = "spans two paragraphs, list items or table cells; a deletion must stay within one"
_IN_LINK = ("is inside a link's address, where Anki cannot use it; put the deletion in the link text instead: "
            "[{{c1::…}}](https://…)")


class _Deletion(NamedTuple):
    opening: str  # "{{c1::"
    number: int
    start: int  # of "{{"
    body: str  # answer, then "::hint" when there is one
    end: int  # after "}}"


def _deletions(text: str) -> tuple[list[_Deletion], list[str]]:
    """The deletions of a text as Anki delimits them (a deletion ends at the first '}}'), and what is wrong."""
    deletions: list[_Deletion] = []
    problems: list[str] = []
    position = 0
    while (start := text.find("{{", position)) >= 0:
        opening = _OPEN.match(text, start)
        if not opening:
            near = text[start : start + 12]
            problems.append(f"malformed cloze '{near}…': write it as {{{{c1::answer}}}} (lower-case c, a number from 1, two colons)")
            position = start + 2
            continue
        end = text.find("}}", opening.end())
        if end < 0:
            problems.append(f"cloze '{opening.group(0)}' is never closed; end it with '}}}}'")
            break
        deletion = _Deletion(opening.group(0), int(opening.group(1)), start, text[opening.end() : end], end + 2)
        if 0 <= text.find("{{", opening.end()) < end:
            problems.append(f"cloze '{deletion.opening}' holds another cloze; nested clozes are not supported")
        else:
            problems += _deletion_problems(deletion)
        deletions.append(deletion)
        position = deletion.end
    return deletions, problems


def _deletion_problems(deletion: _Deletion) -> list[str]:
    answer, separator, hint = deletion.body.partition("::")
    if not answer.strip():
        return [f"cloze '{deletion.opening}' has an empty answer"]
    if deletion.number > MAX_NUMBER:
        return [f"cloze '{deletion.opening}' is numbered above {MAX_NUMBER}: Anki makes cards for c1 to "
                f"c{MAX_NUMBER} only; number the deletions from c1"]
    if hint.startswith(":") or "::" in hint:
        return [f"cloze '{deletion.opening}' holds a second '::': Anki reads the answer '{answer}' and the hint "
                f"'{hint}'; keep '::' out of the answer and the hint (delete a part without it)"]
    if separator and not hint.strip():
        return [f"cloze '{deletion.opening}' has an empty hint; remove the '::' after the answer"]
    return []


def cloze_problems(text: str) -> list[str]:
    """What is wrong with the deletions of a cloze text, as messages (empty when fine)."""
    deletions, problems = _deletions(text)
    if not deletions and not problems:
        problems.append("cloze text has no deletion; mark the answer as {{c1::answer}}")
    return problems or _rendered_problems(deletions, to_html(text))


def _rendered_problems(written: list[_Deletion], rendered: str) -> list[str]:
    """Where Markdown changes what Anki finds: a deletion lost, added or changed, or not a whole piece of HTML."""
    found, problems = _deletions(rendered)
    for deletion in found:
        inside_tag = rendered.rfind("<", 0, deletion.start) > rendered.rfind(">", 0, deletion.start)
        problem = _IN_LINK if inside_tag else _overlap(deletion.body)
        if problem:
            return [f"cloze '{deletion.opening}' {problem}"]
    changed = _first_change(written, found)
    if changed is None and not problems:
        return []
    opening = (changed or written[0]).opening
    if len(found) < len(written) and "%7B%7Bc" in rendered:  # the opening of a deletion in a link's address
        return [f"cloze '{opening}' {_IN_LINK}"]
    return [f"cloze '{opening}' reads differently once the Markdown is rendered; write the deletions as plain "
            "{{c1::answer}} or {{c1::answer::hint}}, without character references or escaped colons"]


def _first_change(written: list[_Deletion], found: list[_Deletion]) -> _Deletion | None:
    """The first deletion that rendering drops, adds, renumbers, or gives or takes a hint."""
    for before, after in zip_longest(written, found):
        if before is None or after is None or (before.number, "::" in before.body) != (after.number, "::" in after.body):
            return before or after
    return None


def _overlap(body: str) -> str | None:
    """How a deletion's HTML fails to be whole: a tag it closes but did not open, or opens and does not close."""
    open_tags: list[str] = []
    for tag in _TAG.finditer(body):
        closing, name, self_closing = tag.groups()
        if name in _VOID or self_closing:
            continue
        if not closing:
            open_tags.append(name)
        elif open_tags and open_tags[-1] == name:
            open_tags.pop()
        else:
            return _OVERLAPS.get(name, _ACROSS_BLOCKS)
    return _OVERLAPS.get(open_tags[-1], _ACROSS_BLOCKS) if open_tags else None


def reveal(text: str) -> str:
    """The text with every deletion replaced by its answer."""
    return _DELETION.sub(lambda m: m.group(1), text)


def hide(text: str) -> str:
    """The text with every deletion shown as […], as the front of a card shows it."""
    return _DELETION.sub("[…]", text)


def answers(text: str) -> list[str]:
    """The answer of every deletion."""
    return [m.group(1) for m in _DELETION.finditer(text)]


def numbers(text: str) -> list[int]:
    return sorted({int(n) for n in _OPEN.findall(text)})
