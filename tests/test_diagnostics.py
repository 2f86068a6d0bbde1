"""Diagnostics a contributor can act on in one pass: every problem at once, at the card to fix,
one line per stale file, a stable code per rule, CI annotations, and answers that fit a phone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsdeck.problems import Location, error
from conftest import SOURCE, append, edit, run

HEADER = "service: Amazon SQS\nslug: sqs\ndomain: development\ncards:\n"
CARD = "  - id: sqs-x\n    front: What is the default visibility timeout?\n    back: 30 seconds.\n"
TASK = "    task: \"1.1\"\n" + SOURCE  # the last keys of a valid card
NEW = "  - id: lambda-new-{n}\n    front: What is new number {n}?\n    back: This.\n    task: \"1.2\"\n" + SOURCE


def _json(*args: str) -> list[dict[str, object]]:
    result = run("check", "--format", "json", *args)
    return json.loads(result.stdout)


# --- every problem in one pass -------------------------------------------------------------------

def test_ledger_problems_of_valid_cards_come_with_the_card_errors(library: Path) -> None:
    append(library / "lambda.yaml", NEW.format(n=1))
    edit(library / "lambda.yaml", "15 minutes", "Fifteen minutes")
    edit(library / "sqs.yaml", "    front: What is the largest", "    frnt: What is the largest")
    result = run("check")
    assert result.exit_code == 1
    assert "cards/sqs.yaml:6:5: error: unknown key 'frnt' in a card" in result.stderr
    assert ("cards/lambda.yaml:21:9: error: card 'lambda-new-1' is new and not in cards.lock; "
            "run `awsdeck lock` to stamp it") in result.stderr
    assert ("cards/lambda.yaml:5:9: error: card 'lambda-max-timeout' changed since cards.lock was written"
            in result.stderr)
    # the card with an error is in a card file, so it is not reported as gone from the sources
    assert "in no card file" not in result.stderr


def test_lock_still_refuses_while_cards_have_errors(library: Path) -> None:
    append(library / "lambda.yaml", NEW.format(n=1))
    edit(library / "sqs.yaml", "    front: What is the largest", "    frnt: What is the largest")
    before = (library / "cards.lock").read_text()
    result = run("lock")
    assert result.exit_code == 1
    assert "cards/sqs.yaml:6:5: error: unknown key 'frnt' in a card" in result.stderr
    assert "lock stopped, cards.lock unchanged: 2 errors, 0 warnings" in result.stderr
    assert (library / "cards.lock").read_text() == before


def test_a_ledger_with_bad_lines_is_not_compared(library: Path) -> None:
    append(library / "cards.lock", "card broken\n")
    append(library / "lambda.yaml", NEW.format(n=1))
    result = run("check")
    assert "cards/cards.lock:11:1: error: malformed ledger line 'card broken'" in result.stderr
    assert "is new and not in cards.lock" not in result.stderr


# --- a duplicate question is reported at the new card ---------------------------------------------

def test_a_duplicate_is_reported_at_the_card_not_in_the_ledger(library: Path) -> None:
    # sqs.yaml comes first in the study order: the new card is the earlier one
    edit(library / "sqs.yaml", "cards:\n", "cards:\n  - id: sqs-copy\n    front: How do the two invocation types "
             "handle errors?\n    back: Differently.\n" + TASK)
    result = run("check")
    assert ("cards/sqs.yaml:6:12: error: card 'sqs-copy' asks the same question as 'lambda-invocation-types' "
            "(cards/lambda.yaml:13:12); merge them or reword one") in result.stderr
    assert "card 'lambda-invocation-types' asks the same question" not in result.stderr


def test_a_duplicate_of_two_locked_cards_is_reported_at_the_later_one(library: Path) -> None:
    edit(library / "lambda.yaml", "How do the two invocation types handle errors?",
             "What is the largest message SQS accepts?")
    result = run("check")
    assert ("cards/lambda.yaml:13:12: error: card 'lambda-invocation-types' asks the same question as "
            "'sqs-max-message-size' (cards/sqs.yaml:6:12)") in result.stderr
    assert "card 'sqs-max-message-size' asks the same question" not in result.stderr


def test_a_duplicate_of_two_new_cards_is_reported_at_the_later_one(library: Path) -> None:
    append(library / "lambda.yaml", NEW.format(n=1) + NEW.format(n=1).replace("lambda-new-1", "lambda-new-2"))
    result = run("check")
    assert ("cards/lambda.yaml:27:12: error: card 'lambda-new-2' asks the same question as 'lambda-new-1' "
            "(cards/lambda.yaml:22:12)") in result.stderr
    assert "card 'lambda-new-1' asks the same question" not in result.stderr


def test_a_near_duplicate_is_reported_at_the_card_not_in_the_ledger(library: Path) -> None:
    edit(library / "sqs.yaml", "cards:\n", "cards:\n  - id: sqs-near\n    front: How do the two invocation types "
             "handle their errors?\n    back: Differently.\n" + TASK)
    result = run("check")
    assert ("cards/sqs.yaml:6:12: warning: card 'sqs-near' is nearly the same question as 'lambda-invocation-types' "
            "(cards/lambda.yaml:13:12)") in result.stderr


# --- one line per file for new cards ---------------------------------------------------------------

def test_new_cards_are_summarised_per_file(library: Path) -> None:
    append(library / "lambda.yaml", "".join(NEW.format(n=n) for n in range(1, 4)))
    result = run("check")
    assert result.exit_code == 1
    assert ("cards/lambda.yaml:21:9: error: 3 new cards in this file are not in cards.lock, the first here "
            "('lambda-new-1'); run `awsdeck lock` to stamp them") in result.stderr
    assert result.stderr.count("cards.lock") == 1
    problem, = [p for p in _json() if p["code"] == "ledger"]
    assert problem["related"] == [{"path": "cards/lambda.yaml", "line": line, "col": 9} for line in (21, 26, 31)]


# --- a code per rule, and CI annotations ---------------------------------------------------------

CODES = [
    # (sqs.yaml text, line:col, code)
    (HEADER + "  - id: sqs-x\n    front: [unclosed\n", "7:1", "yaml"),
    (HEADER + CARD + "    frnt: typo\n", "8:5", "unknown-key"),
    (HEADER + "  - id: sqs-x\n    front: What?\n" + TASK, "5:5", "missing-key"),
    (HEADER + CARD + "    task: \"1.1\"\n    extra: 42\n" + SOURCE, "9:12", "type"),
    (HEADER + CARD + "    task: \"1.1\"\n    extra: ''\n" + SOURCE, "9:12", "empty"),
    (HEADER + "  - id: queue-x\n    front: a?\n    back: b\n" + TASK, "5:9", "id"),
    (HEADER.replace("slug: sqs", "slug: sns") + CARD + TASK, "2:7", "slug"),
    (HEADER + CARD + "    task: \"1.1\"\n    domain: develop\n" + SOURCE, "9:13", "domain"),
    (HEADER + CARD + "    task: \"9.9\"\n" + SOURCE, "8:11", "task"),
    (HEADER + CARD + "    task: 1.1\n", "8:11", "task"),
    (HEADER + CARD + "    outside_guide: true\n" + TASK, "9:11", "outside-guide"),
    (HEADER + "  - id: sqs-x\n    cloze: \"a {{c1:b}} c\"\n" + TASK, "6:12", "cloze"),
    (HEADER + "  - id: sqs-x\n    cloze: \"{{c1::a}}\"\n    back: b\n" + TASK, "7:11", "kind"),
    (HEADER + "  - id: sqs-x\n    front: What is <b>this</b>?\n    back: b\n" + TASK, "6:12", "html"),
    (HEADER + "  - id: sqs-x\n    front: a?\n    back: |\n      ```nosuchlang\n      x\n      ```\n" + TASK,
     "7:11", "language"),
    (HEADER + "  - id: sqs-x\n    front: a?\n    back: \"![x](https://example.com/x.png)\"\n" + TASK,
     "7:11", "image"),
    (HEADER + "  - id: sqs-x\n    front: a?\n    back: \"[x](ftp://example.com/x)\"\n" + TASK, "7:11",
     "link"),
    (HEADER + "  - id: sqs-x\n    front: a?\n    back: \"$\\\\href{https://x.com}{x}$\"\n" + TASK, "7:11",
     "html"),
    (HEADER + "  - id: sqs-x\n    front: a?\n    back: \"javascript:alert(1)\"\n" + TASK, "7:11", "script"),
    (HEADER + CARD + "    task: \"1.1\"\n    tags: [config]\n" + SOURCE, "9:12", "topic"),
    (HEADER + CARD + "    task: \"1.1\"\n    source: http://example.com/x\n", "9:13", "url"),
    (HEADER + CARD + TASK + CARD.replace("default visibility", "longest visibility")
     + TASK, "10:9", "duplicate-id"),
    (HEADER + CARD + TASK + CARD.replace("sqs-x", "sqs-y") + TASK, "11:12",
     "duplicate"),
    (HEADER + CARD + "    task: \"1.1\"\n    similar_to: [sqs-nothing]\n" + SOURCE, "5:5", "similar-to"),
    (HEADER + "  - just text\n", "5:5", "type"),
]


@pytest.mark.parametrize("text, where, code", CODES)
def test_each_rule_has_its_own_code(library: Path, text: str, where: str, code: str) -> None:
    (library / "sqs.yaml").write_text(text, encoding="utf-8")
    line, col = map(int, where.split(":"))
    problems = _json()
    found = [(p["line"], p["col"], p["code"]) for p in problems if p["path"] == "cards/sqs.yaml"]
    assert (line, col, code) in found, found
    assert all(p["code"] != "card" for p in problems)


def test_github_annotations(library: Path) -> None:
    (library / "sqs.yaml").write_text(HEADER + CARD + "    task: \"1.1\"\n    frnt: x\n" + SOURCE, encoding="utf-8")
    result = run("check", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "::error file=cards/sqs.yaml,line=9,col=5,title=unknown-key::unknown key 'frnt' in a card "
        "(did you mean 'front'?); allowed keys: id, front, back, cloze, extra, domain, task, outside_guide, tags, "
        "source, similar_to, allow_names")


def test_github_annotations_escape_what_the_runner_reads() -> None:
    problem = error(Location("cards/a,b:c.yaml", 3, 4), "100% sure\r\nnext line \x1b[31m", "type")
    assert problem.to_github() == ("::error file=cards/a%2Cb%3Ac.yaml,line=3,col=4,title=type::"
                                   "100%25 sure%0D%0Anext line \\x1b[31m")


def test_a_warning_is_a_github_warning(library: Path) -> None:
    append(library / "lambda.yaml", "  - id: lambda-long\n    front: Long?\n    back: " + "word " * 26 + "\n"
            "    task: \"1.2\"\n" + SOURCE)
    result = run("check", "--format", "github")
    assert "::warning file=cards/lambda.yaml,line=23,col=11,title=length::" in result.stdout


# --- answers short enough for a phone ------------------------------------------------------------

def _card_with_back(back: str) -> str:
    indented = "".join(f"      {line}\n" for line in back.split("\n"))
    return HEADER + "  - id: sqs-x\n    front: What?\n    back: |\n" + indented + TASK


def test_a_long_answer_is_a_warning(library: Path) -> None:
    (library / "sqs.yaml").write_text(_card_with_back("One `two` **three** " + "word " * 23), encoding="utf-8")
    result = run("check", "cards/sqs.yaml")
    assert ("cards/sqs.yaml:7:11: warning: the answer has 26 words; keep 'back' to 25 words or fewer so it reads on "
            "a phone, and move the rest to 'extra'") in result.stderr
    assert [p["code"] for p in _json("cards/sqs.yaml") if p["severity"] == "warning"] == ["length"]


def test_code_blocks_tables_and_markup_do_not_count(library: Path) -> None:
    back = "\n".join(["A - B " + "word " * 23, "", "```json", "{\"a\": \"b c d e f g\"}", "```", "",
                      "| x | y |", "|---|---|", "| long words in a table | and more |"])
    (library / "sqs.yaml").write_text(_card_with_back(back), encoding="utf-8")
    result = run("check", "cards/sqs.yaml")
    assert "warning:" not in result.stderr, result.stderr


def test_a_long_cloze_or_extra_is_not_checked(library: Path) -> None:
    (library / "sqs.yaml").write_text(HEADER + "  - id: sqs-x\n    cloze: \"{{c1::A}} " + "word " * 30 + "\"\n"
                                      "    extra: " + "word " * 30 + "\n" + TASK, encoding="utf-8")
    assert "warning:" not in run("check", "cards/sqs.yaml").stderr
