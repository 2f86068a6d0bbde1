"""Cloze deletions: {{c1::answer}} or {{c1::answer::hint}}, checked the way Anki reads them."""

from __future__ import annotations

import re

_OPEN = re.compile(r"\{\{c([1-9]\d*)::")
_DELETION = re.compile(r"\{\{c[1-9]\d*::(.*?)(?:::(?:(?!\}\}).)*)?\}\}", re.S)


def cloze_problems(text: str) -> list[str]:
    """What is wrong with the deletions of a cloze text, as messages (empty when fine)."""
    problems: list[str] = []
    deletions = 0
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
        if 0 <= text.find("{{", opening.end()) < end:
            problems.append(f"cloze '{opening.group(0)}' holds another cloze; nested clozes are not supported")
        elif not text[opening.end() : end].split("::", 1)[0].strip():
            problems.append(f"cloze '{opening.group(0)}' has an empty answer")
        deletions += 1
        position = end + 2
    if not deletions and not problems:
        problems.append("cloze text has no deletion; mark the answer as {{c1::answer}}")
    return problems


def reveal(text: str) -> str:
    """The text with every deletion replaced by its answer."""
    return _DELETION.sub(lambda m: m.group(1), text)


def answers(text: str) -> list[str]:
    """The answer of every deletion."""
    return [m.group(1) for m in _DELETION.finditer(text)]


def numbers(text: str) -> list[int]:
    return sorted({int(n) for n in _OPEN.findall(text)})
