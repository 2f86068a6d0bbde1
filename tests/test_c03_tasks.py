"""The move to DVA-C03: every card of the last DVA-C02 release carries a C03 task that the
exam guide's table allows for its old task, or is marked outside the guide."""

from __future__ import annotations

import re
from pathlib import Path

from awsdeck import pipeline
from awsdeck.upgrade import read_package

from conftest import run

ROOT = Path(__file__).parent.parent
C02_RELEASE = ROOT / "tests" / "fixtures" / "releases" / "dva-c02.apkg"

# EXAM_GUIDE "Where C02 tasks went": the C03 homes of each C02 task. The tasks whose
# number changed meaning are the point: 2.3 (sensitive data, now 2.2; C03 2.3 is AI
# security), 3.2 and 3.3 (testing, now both 3.2; IaC updates 3.3), 3.4 (CI/CD, now 3.3;
# API Gateway stages and custom domains 3.1).
C03_HOMES = {
    "1.1": {"1.1", "3.2", "4.2"}, "1.2": {"1.2", "3.2", "4.3"}, "1.3": {"1.3", "1.1"},
    "2.1": {"2.1"}, "2.2": {"2.2"}, "2.3": {"2.2"},
    "3.1": {"3.1", "3.3", "4.3"}, "3.2": {"3.2", "3.1"}, "3.3": {"3.2", "3.3"}, "3.4": {"3.3", "3.1", "3.2"},
    "4.1": {"4.1", "4.2"}, "4.2": {"4.2"}, "4.3": {"4.3", "4.2"},
}


def _c02_tasks() -> dict[str, str | None]:
    """Each C02 card's task, from the tags of the last C02 release."""
    tasks = {}
    for note in read_package(C02_RELEASE).notes.values():
        card_id = note.fields.split("\x1f")[-1]
        found = [m.group(1) for tag in note.tags if (m := re.fullmatch(r"dva-c02::[a-z]+::(\d\.\d)", tag))]
        tasks[card_id] = found[0] if found else None
    return tasks


def test_every_c02_card_was_retagged_within_the_guide_s_mapping() -> None:
    library = pipeline.check([ROOT / "cards"]).library
    assert library is not None
    cards = {card.id: card for card in library.cards}
    old = _c02_tasks()
    assert len(old) == 1173 and old.keys() <= cards.keys()  # ids are forever
    outside = [card_id for card_id in old if cards[card_id].outside_guide]
    misplaced = {card_id: (task, cards[card_id].task) for card_id, task in old.items()
                 if card_id not in outside and task is not None and cards[card_id].task not in C03_HOMES[task]}
    assert misplaced == {}
    changed_meaning = [card_id for card_id, task in old.items() if task in {"2.3", "3.2", "3.3", "3.4"}]
    assert len(changed_meaning) == 147  # each read again: none kept a number whose meaning changed blindly
    assert all(cards[card_id].task != "2.3" for card_id in old)  # C03 2.3 is AI security only
    assert {cards[card_id].slug for card_id in outside} <= {"codecommit", "codeguru", "codestar", "cloud9",
                                                             "managed-flink"}


def test_a_c02_task_number_is_refused(library: Path) -> None:
    text = (library / "sqs.yaml").read_text().replace('task: "2.1"', 'task: "3.4"')
    (library / "sqs.yaml").write_text(text)
    result = run("check")
    assert result.exit_code == 1
    assert ("cards/sqs.yaml:25:11: error: unknown task '3.4' (did you mean '3.3'?); DVA-C03 has tasks 1.1, 1.2, "
            "1.3, 2.1, 2.2, 2.3, 3.1, 3.2, 3.3, 4.1, 4.2, 4.3") in result.stderr
