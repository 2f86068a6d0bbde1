"""Duplicate ids, duplicate questions and near-duplicate questions across the whole library.

Similarity measure: RapidFuzz's token_sort_ratio (0-100) of the normalized questions.
Questions that mention different numbers ("a 4 KB item" vs "a 6 KB item") are never
near-duplicates. Comparing every pair would be quadratic, so only candidate pairs are
scored: questions that share at least three of their four rarest words (rarest across
the library). Nearly identical questions differ in a word or two, so they meet there,
while unrelated questions almost never do, however large the library grows.

Questions made from one template share nearly all their words, so such a group can hold
most of the library. A group larger than _MAX_GROUP is not compared pair by pair: its
questions are ordered by their sorted words, and each is compared with the _WINDOW
questions that follow it, so every question gets at most MAX_CANDIDATES_PER_QUESTION
comparisons whatever the library's shape. The groups of an ordinary library stay far
below that size and are compared in full.

A problem goes at the card to fix: the one not yet locked (not in cards.lock) when the
other is, else the later one in study order.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from itertools import combinations

from rapidfuzz import process
from rapidfuzz.fuzz import token_sort_ratio

from .cloze import reveal
from .model import Card
from .problems import Problem, error, warning

NEAR_DUPLICATE_THRESHOLD = 90
_RARE_WORDS = 4
_MAX_GROUP = 64
_WINDOW = 32
MAX_CANDIDATES_PER_QUESTION = _RARE_WORDS * max(_MAX_GROUP // 2, _WINDOW)  # a bound on pairs compared, per question
_NON_WORD = re.compile(r"[\W_]+")
_STOP_WORDS = frozenset(
    "a an and are as at be by can do does for from how in is it of on or the to what when which who why with".split()
)


def question(card: Card) -> str:
    """The normalized question: the front, or the cloze with its answers filled in."""
    return normalize(reveal(card.cloze) if card.cloze is not None else card.front or "")


def normalize(text: str) -> str:
    return _NON_WORD.sub(" ", text.lower()).strip()


def find_duplicates(cards: list[Card], complete: bool = True, locked: Collection[str] = ()) -> list[Problem]:
    """complete: the cards are the whole library, so a similar_to naming no card is a mistake.
    locked: the ids in cards.lock, whose cards stay while a new card repeating them is reported."""
    problems = _duplicate_ids(cards)
    if complete:
        problems += _unknown_similar_ids(cards)
    questions = [question(card) for card in cards]
    problems += _same_questions(cards, questions, locked)
    reviewed = _reviewed_pairs(cards)
    for i, j, score in similar_pairs(questions):
        kept, card = _placed(cards[i], cards[j], locked)
        if questions[i] == questions[j] or frozenset((kept.id, card.id)) in reviewed:
            continue
        if _numbers(questions[i]) != _numbers(questions[j]):
            continue  # "a 4 KB item" and "a 6 KB item" are different questions
        problems.append(
            warning(
                card.question_location,
                f"card '{card.id}' is nearly the same question as '{kept.id}' ({kept.question_location}), "
                f"similarity {score:.0f}; reword one, merge them, or add similar_to: [{kept.id}] if both are intended",
                "near-duplicate",
                (kept.question_location,),
            )
        )
    return problems


def _same_questions(cards: list[Card], questions: list[str], locked: Collection[str]) -> list[Problem]:
    """An error at every card of a group asking one question but the one kept (see _placed)."""
    groups: dict[str, list[Card]] = defaultdict(list)
    for card, text in zip(cards, questions, strict=True):
        groups[text].append(card)
    problems = []
    for same in groups.values():
        kept = next((card for card in same if card.id in locked), same[0])
        problems += [error(card.question_location, f"card '{card.id}' asks the same question as '{kept.id}' "
                           f"({kept.question_location}); merge them or reword one", "duplicate",
                           (kept.question_location,))
                     for card in same if card is not kept]
    return problems


def _placed(earlier: Card, later: Card, locked: Collection[str]) -> tuple[Card, Card]:
    """(the card to keep, the card a problem goes at): the new card when only the other is locked,
    else the later one."""
    if earlier.id not in locked and later.id in locked:
        return later, earlier
    return earlier, later


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
            problems.append(error(card.id_location, f"duplicate id '{card.id}' (also at {others}); ids must be unique "
                                  "across all card files", "duplicate-id"))
    return problems


def _unknown_similar_ids(cards: list[Card]) -> list[Problem]:
    known = {card.id for card in cards}
    return [
        warning(card.location, f"similar_to names '{other}', which is not a card here", "similar-to")
        for card in cards
        for other in card.similar_to
        if other not in known
    ]


def _reviewed_pairs(cards: list[Card]) -> set[frozenset[str]]:
    return {frozenset((card.id, other)) for card in cards for other in card.similar_to}


def similar_pairs(questions: list[str]) -> Iterable[tuple[int, int, float]]:
    """Pairs (i < j) of candidates whose similarity reaches the threshold."""
    candidates = candidate_pairs(questions)
    for i in sorted(candidates):
        later = sorted(candidates[i])
        matches = process.extract(questions[i], [questions[j] for j in later], scorer=token_sort_ratio,
                                  score_cutoff=NEAR_DUPLICATE_THRESHOLD, limit=None)
        for _, score, position in sorted(matches, key=lambda m: m[2]):
            yield i, later[position], score


def candidate_pairs(questions: list[str], max_group: int = _MAX_GROUP) -> dict[int, set[int]]:
    """For each question, the later questions to compare it with: those sharing all but one
    of its rarest words (within a bounded window when too many share them)."""
    later: dict[int, set[int]] = defaultdict(set)
    for members in _rare_word_groups(questions).values():
        if len(members) > max_group:
            members = sorted(members, key=lambda i: " ".join(sorted(questions[i].split())))
            window = _WINDOW
        else:
            window = len(members)
        for a, i in enumerate(members):
            for j in members[a + 1 : a + 1 + window]:
                later[min(i, j)].add(max(i, j))
    return later


def _rare_word_groups(questions: list[str]) -> dict[tuple[str, ...], list[int]]:
    """The questions (by index) that share each combination of all but one of their rarest words."""
    words = [{w for w in q.split() if w not in _STOP_WORDS} for q in questions]
    frequency = Counter(w for ws in words for w in ws)
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, ws in enumerate(words):
        rarest = sorted(ws, key=lambda w: (frequency[w], w))[:_RARE_WORDS]
        keys = combinations(rarest, len(rarest) - 1) if len(rarest) > 2 else [tuple(rarest)]
        for key in keys:
            groups[key].append(i)
    return groups
