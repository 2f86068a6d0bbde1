"""`awsdeck check`: every kind of bad input is reported at its exact place, never as a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SOURCE, run

HEADER = "service: Amazon SQS\nslug: sqs\ndomain: development\ncards:\n"
CARD = "  - id: sqs-x\n    front: What is the default visibility timeout?\n    back: 30 seconds.\n"

CASES = [
    # (file text, expected "line:col: severity: message" start)
    (HEADER + "  - id: sqs-x\n    front: [unclosed\n", "7:1: error: YAML syntax error: while parsing a flow sequence"),
    (HEADER + CARD + "    back: again\n", "8:5: error: duplicate key 'back' (first at line 7)"),
    (HEADER + CARD + "    extra: &e note\n", "8:12: error: anchors (&e) are not allowed"),
    (HEADER + CARD + "    extra: &e note\n    tags: *e\n", "9:11: error: aliases (*e) are not allowed"),
    (HEADER + CARD + "    <<: {x: 1}\n", "8:5: error: merge keys (<<) are not allowed"),
    (HEADER + CARD + "    frnt: typo\n", "8:5: error: unknown key 'frnt' in a card (did you mean 'front'?)"),
    (HEADER + "  - id: sqs-x\n    front: What?\n", "5:5: error: a card is missing the required key 'back'"),
    (HEADER + "  - id: sqs-x\n    back: 1\n", "5:5: error: a card is missing the required key 'front'"),
    (HEADER + "  - front: What?\n    back: Yes.\n", "5:5: error: a card is missing the required key 'id'"),
    (HEADER + CARD + "    extra: 42\n", "8:12: error: 'extra' must be text, got a number (42); quote it"),
    (HEADER + CARD + "    extra: ''\n", "8:12: error: 'extra' is empty"),
    (HEADER + CARD + "    tags: limits\n", "8:11: error: 'tags' must be a list, got text"),
    (HEADER + CARD + "    tags: [Limits]\n", "8:12: error: tag 'Limits' must be kebab-case"),
    (HEADER + CARD + "    domain: develop\n", "8:13: error: unknown domain 'develop' (did you mean 'development'?)"),
    (HEADER + CARD + "    task: 1.2\n", "8:11: error: task must be quoted text such as \"1.2\", got a number"),
    (HEADER + CARD + "    task: \"9.9\"\n" + SOURCE, "8:11: error: unknown task '9.9'"),
    (HEADER + CARD + "    task: \"2.1\"\n" + SOURCE, "8:11: error: task 2.1 belongs to domain 'security', not to this card's domain 'development'"),
    (HEADER.replace("slug: sqs", "slug: sns"), "2:7: error: slug 'sns' must equal the file name 'sqs'"),
    (HEADER + "  - id: sqs-x\n    cloze: \"a {{c1:b}} c\"\n", "6:12: error: malformed cloze '{{c1:b}} c"),
    (HEADER + "  - id: sqs-x\n    cloze: \"a {{c1::b c\"\n", "6:12: error: cloze '{{c1::' is never closed"),
    (HEADER + "  - id: sqs-x\n    cloze: no deletion here\n", "6:12: error: cloze text has no deletion"),
    (HEADER + "  - id: sqs-x\n    cloze: \"{{c1::a}}\"\n    back: b\n", "7:11: error: a cloze card has no 'back'"),
    (HEADER + CARD + "    source: http://example.com/x\n", "8:13: error: source 'http://example.com/x' is not a valid https:// URL"),
    (HEADER + CARD + "    source: [not a url]\n", "8:14: error: source 'not a url' is not a valid https:// URL"),
    (HEADER + "  - id: sqs-x\n    front: What is <b>this</b>?\n    back: b\n", "6:12: error: raw HTML '<b>' in 'front'; write Markdown instead"),
    (HEADER + "  - id: Sqs_X\n    front: a?\n    back: b\n", "5:9: error: id 'Sqs_X' must be kebab-case"),
    (HEADER + "  - just text\n", "5:5: error: each card must be a mapping"),
    ("- a\n- b\n", "1:1: error: a card file must be a mapping"),
    (HEADER + CARD + "---\nx: 1\n", "8:1: error: a card file holds one YAML document"),
    (HEADER + "  - id: sqs-x\n    cloze: {{c1::x}}\n", "6:13: error: a key must be plain text"),
    (HEADER + CARD + "    back2: x\n    extra: !!str y\n", "8:5: error: unknown key 'back2' in a card (did you mean 'back'?)"),
    (HEADER + CARD + "    extra: !!str y\n", "8:12: error: YAML tags (tag:yaml.org,2002:str) are not allowed"),
    (HEADER + CARD + "    back: |\n      ```cobolx\n      x\n      ```\n", "8:5: error: duplicate key 'back'"),
    (HEADER + "  - id: sqs-x\n    front: a?\n    back: |\n      ```nosuchlang\n      x\n      ```\n",
     "7:11: error: unknown code block language 'nosuchlang' in 'back'"),
    (HEADER + "  - id: queue-x\n    front: a?\n    back: b\n    task: \"1.1\"\n" + SOURCE,
     "5:9: error: id 'queue-x' must start with the file's slug: 'sqs-…'"),
    (HEADER + CARD + "    task: \"1.1\"\n    tags: [config]\n" + SOURCE,
     "9:12: error: unknown topic tag 'config' (did you mean 'configuration'?); use a topic of `topics` in exam.yaml"),
    (HEADER + CARD, "5:5: error: card 'sqs-x' is missing the required key 'task' (the DVA-C03 task"),
    (HEADER + CARD + "    outside_guide: true\n    task: \"1.1\"\n" + SOURCE,
     "9:11: error: card 'sqs-x' is outside the exam guide, so it serves no task: remove 'task'"),
    (HEADER.replace("cards:", "outside_guide: 'no'\ncards:") + CARD, "4:16: error: 'outside_guide' must be true or false, got text"),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_each_problem_is_reported_at_its_place(library: Path, text: str, expected: str) -> None:
    (library / "sqs.yaml").write_text(text, encoding="utf-8")
    result = run("check", "cards")
    assert result.exit_code == 1
    assert f"cards/sqs.yaml:{expected}" in result.stderr, result.stderr


def test_clean_library_passes(library: Path) -> None:
    result = run("check")
    assert result.exit_code == 0, result.stderr
    assert "checked 6 cards and 1 AWS names: 0 errors, 0 warnings" in result.stderr


def test_non_utf8_file_is_reported_with_position(library: Path) -> None:
    (library / "sqs.yaml").write_bytes((HEADER + CARD).encode() + b"    extra: caf\xe9\n")
    result = run("check")
    assert result.exit_code == 1
    assert "cards/sqs.yaml:8:15: error: file is not UTF-8 (byte 0xe9)" in result.stderr


def test_unreadable_file_is_reported(library: Path) -> None:
    (library / "broken.yaml").symlink_to(library / "missing-target.yaml")
    (library / "other.yaml").mkdir()
    result = run("check")
    assert result.exit_code == 1
    assert "cards/broken.yaml:1:1: error: cannot read file: No such file or directory" in result.stderr
    assert "cards/other.yaml:1:1: error: cannot read file: Is a directory" in result.stderr


def test_duplicate_ids_are_reported_at_both_places(library: Path) -> None:
    with (library / "sqs.yaml").open("a") as f:
        f.write("  - id: sqs-max-message-size\n    front: How long is a message kept by default?\n    back: 4 days.\n"
                "    task: \"1.1\"\n" + SOURCE)
    result = run("check")
    assert result.exit_code == 1
    assert "cards/sqs.yaml:27:9: error: duplicate id 'sqs-max-message-size' (also at cards/sqs.yaml:5:9)" in result.stderr
    assert "cards/sqs.yaml:5:9: error: duplicate id 'sqs-max-message-size' (also at cards/sqs.yaml:27:9)" in result.stderr


def test_same_question_is_an_error(library: Path) -> None:
    with (library / "lambda.yaml").open("a") as f:
        f.write("  - id: lambda-copy\n    front: What is the LARGEST message SQS accepts\n    back: 1 MiB.\n"
                "    task: \"1.2\"\n" + SOURCE)
    result = run("check")
    assert result.exit_code == 1
    assert ("cards/lambda.yaml:22:12: error: card 'lambda-copy' asks the same question as 'sqs-max-message-size' "
            "(cards/sqs.yaml:6:12)") in result.stderr


NEAR = ("  - id: lambda-near\n    front: What is the largest message size SQS accepts?\n    back: 1 MiB.\n"
        "    task: \"1.2\"\n" + SOURCE)


def test_near_duplicate_is_a_warning_until_reviewed(library: Path) -> None:
    with (library / "lambda.yaml").open("a") as f:
        f.write(NEAR)
    assert run("lock").exit_code == 0
    result = run("check")
    assert result.exit_code == 0
    assert ("cards/lambda.yaml:22:12: warning: card 'lambda-near' is nearly the same question as "
            "'sqs-max-message-size' (cards/sqs.yaml:6:12), similarity 9") in result.stderr
    with (library / "lambda.yaml").open("a") as f:
        f.write("    similar_to: [sqs-max-message-size]\n")
    result = run("check", "cards/lambda.yaml")
    assert "warning:" not in result.stderr


def test_questions_differing_in_a_number_are_not_near_duplicates(library: Path) -> None:
    with (library / "lambda.yaml").open("a") as f:
        f.write("  - id: lambda-a\n    front: How many RCUs does a 4 KB strongly consistent read need?\n    back: 1.\n")
        f.write("  - id: lambda-b\n    front: How many RCUs does a 6 KB strongly consistent read need?\n    back: 2.\n")
    assert "warning:" not in run("check").stderr


def test_file_missing_from_study_order_warns(library: Path) -> None:
    (library / "sns.yaml").write_text("service: Amazon SNS\nslug: sns\ndomain: development\noutside_guide: false\n"
                                      "cards:\n  - id: sns-x\n    front: What is a topic?\n    back: A channel.\n"
                                      "    task: \"1.1\"\n" + SOURCE)
    assert run("lock").exit_code == 0
    result = run("check")
    assert result.exit_code == 0
    assert "cards/sns.yaml:1:1: warning: 'sns' is not in study_order of exam.yaml" in result.stderr


def test_a_service_the_guide_does_not_list_must_say_whether_it_serves_the_guide(library: Path) -> None:
    card = "  - id: sns-x\n    front: What is a topic?\n    back: A channel.\n" + SOURCE
    (library / "sns.yaml").write_text("service: Amazon SNS\nslug: sns\ndomain: development\ncards:\n" + card)
    result = run("check")
    assert result.exit_code == 1
    assert ("cards/sns.yaml:1:1: error: the DVA-C03 guide does not list 'sns' among its services: add "
            "`outside_guide: true` when no task of the guide needs these cards") in result.stderr
    (library / "sns.yaml").write_text("service: Amazon SNS\nslug: sns\ndomain: development\noutside_guide: true\n"
                                      "cards:\n" + card)
    assert run("lock").exit_code == 0
    assert run("check").exit_code == 0


def test_bad_exam_file_is_reported(library: Path) -> None:
    text = (library / "exam.yaml").read_text().replace("weight: 30", "weight: lots")
    (library / "exam.yaml").write_text(text)
    result = run("check")
    assert result.exit_code == 1
    assert "cards/exam.yaml:15:13: error: 'weight' must be a whole number, got text" in result.stderr


def test_json_format(library: Path) -> None:
    (library / "sqs.yaml").write_text(HEADER + CARD + "    task: \"1.1\"\n    frnt: x\n" + SOURCE)
    result = run("check", "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert problems[0] | {"message": ""} == {"path": "cards/sqs.yaml", "line": 9, "col": 5, "severity": "error",
                                             "code": "unknown-key", "message": "", "related": []}


def test_single_file_is_checked_against_its_exam(library: Path) -> None:
    assert run("check", "cards/lambda.yaml").exit_code == 0


@pytest.mark.parametrize("args", [["check", "nowhere"], ["check", "cards/exam.yaml"], ["check", "--format", "xml"]])
def test_usage_errors_exit_2(library: Path, args: list[str]) -> None:
    assert run(*args).exit_code == 2


def test_directory_without_exam_is_a_usage_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cards").mkdir()
    result = run("check")
    assert result.exit_code == 2
    assert "no exam.yaml in cards" in result.stderr


def test_every_problem_in_one_run_sorted(library: Path) -> None:
    task = "    task: \"1.1\"\n" + SOURCE
    (library / "sqs.yaml").write_text(HEADER + CARD + task + "    frnt: x\n" + CARD.replace("sqs-x", "sqs-y") + task
                                      + "    tags: x\n")
    (library / "lambda.yaml").write_text("service: AWS Lambda\nslug: lambda\ndomain: nope\ncards: []\n")
    lines = [line for line in run("check").stderr.splitlines() if ": error: " in line]
    assert len(lines) == 4
    assert any("'cards' is empty" in line for line in lines)
    assert lines == sorted(lines, key=lambda line: (line.split(":")[0], int(line.split(":")[1])))
