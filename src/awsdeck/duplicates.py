"""Duplicate ids, duplicate questions and near-duplicate questions across the whole library.

Similarity measure: RapidFuzz's token_sort_ratio (0-100) of the normalized questions.
Questions that mention different numbers ("a 4 KB item" vs "a 6 KB item") are never
near-duplicates. Comparing every pair would be quadratic, so only candidate pairs are
scored: questions that share at least three of their four rarest words (rarest across
the library). Nearly identical questions differ in a word or two, so they meet there,
while unrelated questions almost never do, however large the library grows.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations

from rapidfuzz import process
from rapidfuzz.fuzz import token_sort_ratio

from .cloze import reveal
from .model import Card
from .problems import Problem, error, warning

NEAR_DUPLICATE_THRESHOLD = 90
_RARE_WORDS = 4
_NON_WORD = re.compile(r"[\W_]+")
_STOP_WORDS = frozenset(
    "a an and are as at be by can do does for from how in is it of on or the to what when which who why with".split()
)


def question(card: Card) -> str:
    """The normalized question: the front, or the cloze with its answers filled in."""
    text = reveal(card.cloze) if card.cloze is not None else card.front or ""
    return _NON_WORD.sub(" ", text.lower()).strip()


def find_duplicates(cards: list[Card], complete: bool = True) -> list[Problem]:
    """complete: the cards are the whole library, so a similar_to naming no card is a mistake."""
    problems = _duplicate_ids(cards)
    if complete:
        problems += _unknown_similar_ids(cards)
    questions = [question(card) for card in cards]
    first_with: dict[str, Card] = {}
    for card, text in zip(cards, questions, strict=True):
        other = first_with.setdefault(text, card)
        if other is not card:
            problems.append(error(card.question_location, f"card '{card.id}' asks the same question as '{other.id}' ({other.question_location}); merge them or reword one", "duplicate"))
    reviewed = _reviewed_pairs(cards)
    for i, j, score in _similar_pairs(questions):
        first, second = cards[i], cards[j]
        if questions[i] == questions[j] or frozenset((first.id, second.id)) in reviewed:
            continue
        if _numbers(questions[i]) != _numbers(questions[j]):
            continue  # "a 4 KB item" and "a 6 KB item" are different questions
        problems.append(
            warning(
                second.question_location,
                f"card '{second.id}' is nearly the same question as '{first.id}' ({first.question_location}), "
                f"similarity {score:.0f}; reword one, merge them, or add similar_to: [{first.id}] if both are intended",
                "near-duplicate",
            )
        )
    return problems


def _numbers(text: str) -> set[str]:
    return {word for word in text.split() if word.isdigit()}


def _duplicate_ids(cards: list[Card]) -> list[Problem]:
    by_id: dict[str, list[Card]] = defaultdict(list)
    for card in cards:
        by_id[card.id].append(card)
    problems = []
    for same in by_id.values():
        for card in same if len(same) > 1 else ():
            others = ", ".join(str(o.id_location) for o in same if o is not card)
            problems.append(error(card.id_location, f"duplicate id '{card.id}' (also at {others}); ids must be unique across all card files", "duplicate"))
    return problems


def _unknown_similar_ids(cards: list[Card]) -> list[Problem]:
    known = {card.id for card in cards}
    return [
        warning(card.location, f"similar_to names '{other}', which is not a card here", "near-duplicate")
        for card in cards
        for other in card.similar_to
        if other not in known
    ]


def _reviewed_pairs(cards: list[Card]) -> set[frozenset[str]]:
    return {frozenset((card.id, other)) for card in cards for other in card.similar_to}


def _similar_pairs(questions: list[str]) -> Iterable[tuple[int, int, float]]:
    """Pairs (i < j) whose similarity reaches the threshold, among questions that share
    all but one of their rarest words."""
    words = [{w for w in q.split() if w not in _STOP_WORDS} for q in questions]
    frequency = Counter(w for ws in words for w in ws)
    buckets: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, ws in enumerate(words):
        rarest = sorted(ws, key=lambda w: (frequency[w], w))[:_RARE_WORDS]
        keys = combinations(rarest, len(rarest) - 1) if len(rarest) > 2 else [tuple(rarest)]
        for key in keys:
            buckets[key].append(i)
    later: dict[int, set[int]] = defaultdict(set)
    for members in buckets.values():
        for a, i in enumerate(members):
            later[i].update(members[a + 1 :])
    for i in sorted(later):
        candidates = sorted(later[i])
        matches = process.extract(questions[i], [questions[j] for j in candidates], scorer=token_sort_ratio,
                                  score_cutoff=NEAR_DUPLICATE_THRESHOLD, limit=None)
        for _, score, position in sorted(matches, key=lambda m: m[2]):
            yield i, candidates[position], score
