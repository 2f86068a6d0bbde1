"""The JSON Schemas for editors and check-jsonschema: generated from exam.yaml, agreeing with
the checker, and naming each mistake when run with the command docs/card-format.md gives."""

from __future__ import annotations

import functools
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import run

from awsdeck.cardfile import CARD_KEYS, FILE_KEYS
from awsdeck.exam import load_exam
from awsdeck.model import Exam
from awsdeck.schema import cards_schema, exam_schema, schema_texts

ROOT = Path(__file__).parent.parent
CARDS_SCHEMA = json.loads((ROOT / "schema" / "cards.schema.json").read_text())
LIBRARIES = [ROOT / "cards", ROOT / "tests" / "fixtures" / "library"]
EDITOR_SUPPORT = (ROOT / "docs" / "card-format.md").read_text(encoding="utf-8").partition("## Editor support")[2]
STALE = ("warning: the schema is out of date with exam.yaml, so editors and check-jsonschema check other rules; "
         "run `awsdeck schema` to rewrite it")

# The file behind the example output in docs/card-format.md: one mistake per card.
DOCUMENTED_MISTAKES = """\
service: Amazon SQS
slug: sqs
domain: develop
cards:
  - id: sqs-fifo-order
    front: Does a FIFO queue keep the order?
    back: Yes, within a message group.
    domain: security
    task: "1.1"
    source: https://docs.aws.amazon.com/example/latest/page.html
  - id: sqs-max-size
    front: Largest message?
    back: 1 MiB.
    task: "1.1"
    source: https://docs.aws.amazon.com/example/latest/page.html
    tags: [limitz]
  - id: sqs-default-timeout
    cloze: "The default visibility timeout is {{c1::30 seconds}}."
    front: Default visibility timeout?
    task: "1.1"
    source: https://docs.aws.amazon.com/example/latest/page.html
  - id: sqs-long-polling
    front: What does long polling save?
    back: Empty receives.
    source: https://docs.aws.amazon.com/example/latest/page.html
  - id: sns-fanout
    front: How does SNS fan out to queues?
    back: One subscription per queue.
    task: "1.1"
    source: https://docs.aws.amazon.com/example/latest/page.html
"""


def _exam(directory: Path) -> Exam:
    exam, problems = load_exam(directory / "exam.yaml", "exam.yaml")
    assert exam is not None, problems
    return exam


def _documented_block(after: str, language: str) -> str:
    """The first fenced block of `language` after the heading `after` in the editor-support section."""
    section = EDITOR_SUPPORT.partition(after)[2]
    match = re.search(rf"^```{language}\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)
    assert match, f"no ```{language} block after {after!r} in docs/card-format.md"
    return match.group(1)


def _validate(project: Path) -> subprocess.CompletedProcess[str]:
    """Run the documented command in `project`, with this Python's scripts on PATH."""
    command = _documented_block("### Without an editor", "sh").strip()
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return subprocess.run(["bash", "-c", command], cwd=project, env=os.environ | {"PATH": path},
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with this library's exam.yaml and the schemas `awsdeck schema` writes from it."""
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "exam.yaml").write_text((ROOT / "cards" / "exam.yaml").read_text(encoding="utf-8"))
    assert run("schema", str(tmp_path / "cards")).exit_code == 0
    return tmp_path


def test_schema_knows_the_same_keys_as_the_checker() -> None:
    assert tuple(CARDS_SCHEMA["properties"]) == FILE_KEYS
    assert tuple(CARDS_SCHEMA["$defs"]["card"]["properties"]) == CARD_KEYS


def test_committed_schemas_are_what_awsdeck_schema_writes_from_the_library() -> None:
    for name, text in schema_texts(_exam(ROOT / "cards")).items():
        assert (ROOT / "schema" / name).read_text(encoding="utf-8") == text, f"schema/{name} is stale: run `awsdeck schema`"


@functools.cache
def _validator(directory: Path, exam_file: bool) -> jsonschema.Draft202012Validator:
    schema = exam_schema() if exam_file else cards_schema(_exam(directory))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", [p for d in LIBRARIES for p in sorted(d.glob("*.yaml"))], ids=lambda p: p.name)
def test_library_files_satisfy_the_schema_of_their_exam(path: Path) -> None:
    validator = _validator(path.parent, path.name == "exam.yaml")
    validator.validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_documented_command_names_each_planted_mistake_as_documented(project: Path) -> None:
    (project / "cards" / "sqs.yaml").write_text(DOCUMENTED_MISTAKES)
    result = _validate(project)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    expected = _documented_block("It exits 1", "").splitlines()
    assert expected[0] == lines[0] == "Schema validation errors were encountered."
    for line in expected[1:]:
        shown, cut, _ = line.partition("…")  # the documentation shortens the list of topics
        assert any(found.startswith(shown) if cut else found == line for found in lines[1:]), (line, lines)
    assert len(lines) == len(expected), lines


def test_documented_command_names_a_task_of_the_files_other_domain_and_an_unknown_task(project: Path) -> None:
    (project / "cards" / "lambda.yaml").write_text("""\
service: AWS Lambda
slug: lambda
domain: development
cards:
  - id: lambda-execution-role
    front: What gives a function its permissions?
    back: Its execution role.
    task: "2.1"
    source: https://docs.aws.amazon.com/example/latest/page.html
  - id: lambda-timeout
    front: What is the longest timeout?
    back: 900 seconds.
    task: "9.9"
    source: https://docs.aws.amazon.com/example/latest/page.html
""")
    result = _validate(project)
    assert result.returncode == 1
    all_tasks = "['1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '3.1', '3.2', '3.3', '4.1', '4.2', '4.3']"
    assert result.stdout.splitlines()[1:] == [
        f"  cards/lambda.yaml::$.cards[1].task: '9.9' is not one of {all_tasks}",
        "  cards/lambda.yaml::$.cards[0].task: '2.1' is not one of ['1.1', '1.2', '1.3']",
    ]


def test_documented_command_names_a_task_on_a_card_outside_the_guide(project: Path) -> None:
    (project / "cards" / "codecommit.yaml").write_text("""\
service: AWS CodeCommit
slug: codecommit
domain: deployment
outside_guide: true
cards:
  - id: codecommit-what-is
    front: What is CodeCommit?
    back: A managed Git service.
    task: "3.3"
    source: https://docs.aws.amazon.com/example/latest/page.html
  - id: codecommit-approval-rules
    front: What makes a pull request need approvals?
    back: An approval rule.
    outside_guide: false
    source: https://docs.aws.amazon.com/example/latest/page.html
""")
    result = _validate(project)
    assert result.stdout.splitlines()[1:] == [
        "  cards/codecommit.yaml::$.cards[0]: Additional properties are not allowed ('task' was unexpected)",
        "  cards/codecommit.yaml::$.cards[1]: 'task' is a required property",
    ]


def test_documented_command_passes_good_files_and_leaves_exam_yaml_to_its_own_schema(project: Path) -> None:
    (project / "cards" / "sqs.yaml").write_text("""\
service: Amazon SQS
slug: sqs
domain: development
cards:
  - id: sqs-max-message-size
    front: What is the largest message SQS accepts?
    back: 1 MiB.
    task: "1.1"
    tags: [limits]
    source: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
  - id: sqs-visibility-timeout-default
    cloze: "The default visibility timeout is {{c1::30 seconds}}."
    task: "1.1"
    source: https://docs.aws.amazon.com/example/latest/page.html
  - id: sqs-queue-policy
    front: Which statement lets S3 send to a queue?
    back: An `Allow` for `sqs:SendMessage` in the queue policy.
    domain: security
    task: "2.1"
    source: https://docs.aws.amazon.com/example/latest/page.html
""")
    result = _validate(project)
    assert (result.returncode, result.stdout) == (0, "ok -- validation done\n"), result.stdout + result.stderr


def test_awsdeck_schema_writes_both_schemas_beside_the_cards(library: Path) -> None:
    result = run("schema")
    assert result.exit_code == 0, result.output
    assert result.stdout == "wrote schema/cards.schema.json\nwrote schema/exam.schema.json\n"
    for name, text in schema_texts(_exam(library)).items():
        assert (library.parent / "schema" / name).read_text(encoding="utf-8") == text


def test_awsdeck_schema_writes_nothing_from_a_broken_exam_yaml(library: Path) -> None:
    (library / "exam.yaml").write_text("code: [\n")
    result = run("schema")
    assert result.exit_code == 1
    assert result.stderr.startswith("cards/exam.yaml:2:1: error: YAML syntax error")
    assert not (library.parent / "schema").exists()


def test_awsdeck_schema_reports_a_folder_it_cannot_write(library: Path) -> None:
    (library.parent / "schema").write_text("not a folder")
    result = run("schema")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(
        "schema:1:1: error: cannot write the schemas: File exists; make schema a writable folder and run it again")


def test_check_warns_while_the_schema_is_out_of_date_with_exam_yaml(library: Path) -> None:
    assert run("schema").exit_code == 0
    assert "schema" not in run("check").stderr
    exam = library / "exam.yaml"
    exam.write_text(exam.read_text().replace("topics:\n", "topics:\n  queues: message queues\n"))
    result = run("check")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0].startswith(f"schema/cards.schema.json:1:1: {STALE}")
    assert run("schema").exit_code == 0
    assert "schema" not in run("check").stderr


def test_pre_commit_hook_runs_awsdeck_check_on_the_card_folder(library: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "awsdeck-check")
    assert hook["pass_filenames"] is False and re.match(hook["files"], "cards/sqs.yaml")
    program, *arguments = shlex.split(hook["entry"])
    assert program == "awsdeck"
    result = run(*arguments)
    assert result.exit_code == 0, result.stderr
    (library / "sqs.yaml").write_text((library / "sqs.yaml").read_text().replace("domain: development", "domain: develop"))
    assert run(*arguments).exit_code == 1
