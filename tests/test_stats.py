"""`awsdeck stats`: coverage of the exam guide, as a table and as JSON, even on a stale ledger."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run

UNCOVERED = ["1.3", "2.2", "2.3", "3.1", "3.2", "3.3", "4.1", "4.2"]


def test_text_table(library: Path) -> None:
    result = run("stats")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == """\
DVA-C03: 6 cards, 5 in the exam guide, 1 outside it

Domain                              Cards  Share  Exam weight
1 Development with AWS Services         3    60%          30%
2 Security                              1    20%          26%
3 Testing and Deployment                0     0%          22%
4 Troubleshooting and Optimization      1    20%          22%

Service         Cards  Outside guide
Amazon SQS          3              0
AWS Lambda          2              0
AWS CodeCommit      1              1

Task  Cards  Statement
1.1       2  Develop code for applications hosted on AWS
1.2       1  Develop code for AWS Lambda
1.3       0  Use data stores in application development
2.1       1  Implement authentication and/or authorization for applications and AWS services
2.2       0  Implement encryption and manage sensitive data
2.3       0  Manage the security risks of using and integrating AI services
3.1       0  Prepare application artifacts to be deployed to AWS
3.2       0  Implement and automate application testing
3.3       0  Deploy code by using AWS CI/CD services
4.1       0  Assist in a root cause analysis
4.2       0  Instrument code for logging, monitoring and observability
4.3       1  Optimize applications by using AWS services and features
-         1  (outside the guide)

Task statements with no card (8):
  1.3  Use data stores in application development
  2.2  Implement encryption and manage sensitive data
  2.3  Manage the security risks of using and integrating AI services
  3.1  Prepare application artifacts to be deployed to AWS
  3.2  Implement and automate application testing
  3.3  Deploy code by using AWS CI/CD services
  4.1  Assist in a root cause analysis
  4.2  Instrument code for logging, monitoring and observability

Topic tag  Cards
limits         2
defaults       1
(no tag)       4

Kind   Cards  Anki cards
basic      5           5
cloze      1           2

Cite a source: 6 of 6 cards (100%)
"""


def test_json(library: Path) -> None:
    result = run("stats", "--format", "json")
    assert result.exit_code == 0
    stats = json.loads(result.stdout)
    assert stats["exam"] == "DVA-C03" and stats["cards"] == 6 and stats["cards_outside_guide"] == 1
    # shares count the cards of the guide only, against the C03 weights
    assert [(d["key"], d["number"], d["weight"], d["cards"], d["share"]) for d in stats["domains"]] == [
        ("development", 1, 30, 3, 60.0), ("security", 2, 26, 1, 20.0), ("deployment", 3, 22, 0, 0.0),
        ("troubleshooting", 4, 22, 1, 20.0)]
    assert stats["domains"][0]["name"] == "Development with AWS Services"
    assert stats["services"] == [{"slug": "sqs", "service": "Amazon SQS", "cards": 3, "outside_guide": 0},
                                 {"slug": "lambda", "service": "AWS Lambda", "cards": 2, "outside_guide": 0},
                                 {"slug": "codecommit", "service": "AWS CodeCommit", "cards": 1, "outside_guide": 1}]
    assert stats["guide_services_without_cards"] == []
    assert len(stats["tasks"]) == 12
    assert stats["tasks"][3] == {"task": "2.1", "domain": "security", "cards": 1, "statement":
                                 "Implement authentication and/or authorization for applications and AWS services"}
    assert stats["tasks_without_cards"] == UNCOVERED
    assert stats["topics"] == [{"tag": "limits", "cards": 2}, {"tag": "defaults", "cards": 1}]
    assert stats["cards_without_topic"] == 4
    assert stats["kinds"] == {"basic": 5, "cloze": 1, "cloze_deletions": 2}
    assert stats["cards_with_source"] == 6


NEW_CARD = """\
  - id: lambda-local-testing
    front: Which CLI runs a Lambda function locally?
    back: The AWS SAM CLI (`sam local invoke`).
    domain: deployment
    task: "3.2"
    source: https://docs.aws.amazon.com/example/latest/page.html
    tags: [testing]
"""


def test_counts_unlocked_cards_and_reports_the_stale_ledger(library: Path) -> None:
    with (library / "lambda.yaml").open("a", encoding="utf-8") as cards:
        cards.write(NEW_CARD)
    result = run("stats", "--format", "json")
    assert result.exit_code == 0
    assert "error: card 'lambda-local-testing' is new and not in cards.lock" in result.stderr
    stats = json.loads(result.stdout)  # stdout stays pure JSON
    assert stats["cards"] == 7
    assert stats["domains"][2] == {"key": "deployment", "number": 3, "name": "Testing and Deployment", "weight": 22,
                                   "cards": 1, "share": 16.7}
    assert stats["tasks_without_cards"] == [task for task in UNCOVERED if task != "3.2"]
    assert {"tag": "testing", "cards": 1} in stats["topics"]


def test_one_card_file(library: Path) -> None:
    stats = json.loads(run("stats", "cards/lambda.yaml", "--format", "json").stdout)
    assert stats["cards"] == 2
    assert [s["slug"] for s in stats["services"]] == ["lambda"]


def test_stops_when_cards_do_not_load(library: Path) -> None:
    (library / "sqs.yaml").write_text((library / "sqs.yaml").read_text().replace("task: \"2.1\"", "task: \"9.9\""))
    result = run("stats")
    assert result.exit_code == 1
    assert "cards/sqs.yaml:25:11: error: unknown task '9.9'" in result.stderr
    assert "stats stopped: fix the cards first (1 error, 0 warnings)" in result.stderr
    assert result.stdout == ""


def test_usage_error(library: Path) -> None:
    result = run("stats", "nowhere")
    assert result.exit_code == 2
    assert "nowhere does not exist" in result.stderr
