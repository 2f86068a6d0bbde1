"""Hostile and broken input to the ledger, exam.yaml, card-file names and ids: an error at its
place, exit 1 (2 for wrong usage), never a traceback, and nothing half-written."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

import awsdeck.scratch
from awsdeck.problems import excerpt
from conftest import edit, run

T1 = "1767225600"  # the fixture's cards.lock is stamped T1
GONE = ("card sqs-gone 0123456789abcdef 1767225600\n"  # a published card no longer in the sources
        "published sqs-gone development 2026.12.0\n")
TIMEOUT = f"lambda-max-timeout ee0d147d2ee8b691 {T1}"  # line 7 of the fixture's cards.lock


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- the ledger ---------------------------------------------------------------------------------

@pytest.mark.parametrize("stamp", ["4102444800", "-5", "12345678901234567890", "1500000000"])
def test_a_stamp_outside_2020_to_now_is_an_error_at_its_line(library: Path, stamp: str) -> None:
    edit(library / "cards.lock", TIMEOUT, TIMEOUT.replace(T1, stamp))
    for command in ("check", "build"):
        result = run(command)
        assert result.exit_code == 1
        assert (f"cards/cards.lock:7:1: error: time {stamp} is not between 2020 and now; replace it with the "
                "current time (`date +%s`)") in result.stderr
    assert not list(Path("build").glob("*.apkg"))


def test_lock_stops_on_a_bad_stamp_and_changes_nothing(library: Path) -> None:
    edit(library / "cards.lock", TIMEOUT, TIMEOUT.replace(T1, "4102444800"))
    before = (library / "cards.lock").read_text()
    edit(library / "sqs.yaml", "1 MiB", "One MiB")
    result = run("lock")
    assert result.exit_code == 1
    assert "cards/cards.lock:7:1: error: time 4102444800 is not between 2020 and now" in result.stderr
    assert (library / "cards.lock").read_text() == before


def test_a_duplicate_ledger_line_is_an_error_at_the_second_line(library: Path) -> None:
    with (library / "cards.lock").open("a") as f:
        f.write(f"card {TIMEOUT}\n")
    result = run("check")
    assert result.exit_code == 1
    assert ("cards/cards.lock:11:1: error: 'lambda-max-timeout' is listed twice in cards.lock (first at line 7); "
            "delete the line with the earlier time") in result.stderr


def test_an_id_both_stamped_and_retired_is_an_error(library: Path) -> None:
    with (library / "cards.lock").open("a") as f:
        f.write(f"retired lambda-max-timeout {T1} merged\n")
    result = run("check")
    assert result.exit_code == 1
    assert "cards/cards.lock:11:1: error: 'lambda-max-timeout' is listed twice in cards.lock (first at line 7)" \
        in result.stderr


@pytest.mark.parametrize("line", ["card broken", "card lambda-max-timeout ee0d147d2ee8b691 1_767_225_600",
                                  "card Lambda-X ee0d147d2ee8b691 1767225600", "retired sqs-gone 1767225600 a\x1b[2Jb",
                                  "card lambda-max-timeout not-a-hash 1767225600"])
def test_malformed_lines_are_errors(library: Path, line: str) -> None:
    with (library / "cards.lock").open("a") as f:
        f.write(line + "\n")
    result = run("check")
    assert result.exit_code == 1
    assert f"cards/cards.lock:11:1: error: malformed ledger line {excerpt(line)!r}; restore the file" in result.stderr


def test_lock_on_a_malformed_ledger_stops_and_says_how_to_repair(library: Path) -> None:
    with (library / "cards.lock").open("a") as f:
        f.write("card broken\n")
    before = (library / "cards.lock").read_text()
    edit(library / "sqs.yaml", "1 MiB", "One MiB")
    result = run("lock")
    assert result.exit_code == 1
    assert ("cards/cards.lock:11:1: error: malformed ledger line 'card broken'; restore the file from version control "
            "and run `awsdeck lock`") in result.stderr
    assert "lock stopped, cards.lock unchanged: 1 error, 0 warnings" in result.stderr
    assert (library / "cards.lock").read_text() == before


def test_lock_stops_on_a_card_error(library: Path) -> None:
    edit(library / "sqs.yaml", "    front: What is the largest", "    frnt: What is the largest")
    result = run("lock")
    assert result.exit_code == 1
    assert "cards/sqs.yaml:6:5: error: unknown key 'frnt' in a card" in result.stderr


def test_a_control_character_in_the_reason_cannot_forge_a_line(library: Path) -> None:
    with (library / "cards.lock").open("a") as f:
        f.write(GONE)
    before = (library / "cards.lock").read_text()
    for reason in ("x\rcard forged 0123456789abcdef 1767225600", "x\u2028y", "x\x1b[31my"):
        result = run("retire", "sqs-gone", "--reason", reason)
        assert result.exit_code == 1
        assert ("cards/cards.lock:1:1: error: give a one-line reason with --reason, without control characters"
                in result.stderr)
        assert (library / "cards.lock").read_text() == before


@pytest.mark.parametrize("mode", [0o644, 0o664])
def test_lock_and_retire_keep_the_ledger_mode(library: Path, mode: int) -> None:
    ledger = library / "cards.lock"
    ledger.chmod(mode)
    edit(library / "sqs.yaml", "1 MiB", "One MiB")
    assert run("lock").exit_code == 0
    assert _mode(ledger) == mode
    with ledger.open("a") as f:
        f.write(GONE)
    assert run("retire", "sqs-gone", "--reason", "merged").exit_code == 0
    assert _mode(ledger) == mode


def test_a_new_ledger_is_readable_by_all(library: Path) -> None:
    (library / "cards.lock").unlink()
    assert run("lock").exit_code == 0
    assert _mode(library / "cards.lock") == 0o644


def _refuse_writes(*_args: object, **_kwargs: object) -> None:
    raise PermissionError(13, "Permission denied")


@pytest.mark.parametrize("command", [("lock",), ("retire", "sqs-gone", "--reason", "merged")])
def test_a_read_only_card_folder_is_a_clean_error(library: Path, monkeypatch: pytest.MonkeyPatch,
                                                  command: tuple[str, ...]) -> None:
    with (library / "cards.lock").open("a") as f:
        f.write(GONE)
    edit(library / "sqs.yaml", "1 MiB", "One MiB")
    monkeypatch.setattr(awsdeck.scratch.tempfile, "NamedTemporaryFile", _refuse_writes)
    result = run(*command)
    assert result.exit_code == 1
    assert ("cards/cards.lock:1:1: error: cannot write cards.lock: Permission denied; make cards writable and "
            "run it again") in result.stderr


def test_a_failed_write_leaves_no_temporary_file(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = (library / "cards.lock").read_text()
    edit(library / "sqs.yaml", "1 MiB", "One MiB")
    monkeypatch.setattr(awsdeck.scratch.os, "replace", _refuse_writes)
    assert run("lock").exit_code == 1
    names = ["cards.lock", "codecommit.yaml", "exam.yaml", "lambda.yaml", "sqs.yaml"]
    assert sorted(p.name for p in library.iterdir()) == names
    assert (library / "cards.lock").read_text() == before


@pytest.mark.parametrize("value", ["soon", "1.5e9", "4102444800"])
def test_a_bad_source_date_epoch_is_a_usage_error(library: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    edit(library / "sqs.yaml", "1 MiB", "One MiB")
    before = (library / "cards.lock").read_text()
    result = run("lock")
    assert result.exit_code == 2
    assert (f"SOURCE_DATE_EPOCH must be a time in whole seconds between 2020 and now, such as "
            f"$(git log -1 --format=%ct); got '{value}'") in result.stderr
    assert (library / "cards.lock").read_text() == before


# --- exam.yaml ----------------------------------------------------------------------------------

TITLE = "title: AWS Certified Developer – Associate"
WEIGHT = "error: 'weight' must be the domain's share of the exam in percent, 0 to 100; got"


@pytest.mark.parametrize("old, new, expected", [
    (TITLE, "title: AWS <img src=x onerror=alert(1)>",
     "7:8: error: 'title' contains '<' or '>'; Anki would read it as HTML, so write it without them"),
    ("name: Security", "name: <b>Security</b>", "22:11: error: 'name' contains '<' or '>'"),
    ("deck: 2 Security", "deck: \"2 Security\\u0007\"",
     "23:11: error: 'deck' contains the unprintable character '\\x07'; remove it"),
    (TITLE, "title: \"AWS\\tDeveloper\"", "7:8: error: 'title' contains the unprintable character '\\t'"),
    (TITLE, "title: \"AWS Developer \"", "7:8: error: 'title' has leading or trailing spaces"),
    ("deck: 2 Security", "deck: 'A::::B::'",
     "23:11: error: 'deck' must be one deck name, without '::' and not starting or ending with ':'"),
    ("outside_deck: Outside the exam guide", "outside_deck: 'Outside:'",
     "9:15: error: 'outside_deck' must be one deck name"),
    ("weight: 26", "weight: 320", f"24:13: {WEIGHT} 320"),
    ("weight: 26", "weight: -26", f"24:13: {WEIGHT} -26"),
    ("weight: 26", "weight: 20", "11:3: error: the domain weights add up to 94 %; they must add up to 100"),
    ("key: security", "key: \"security\\n\"", "20:10: error: domain key 'security\\n' must be kebab-case"),
    ("key: security", "key: outside-guide",
     "20:10: error: domain key 'outside-guide' names the deck of the cards outside the exam guide; choose another key"),
    ("\"2.1\":", "\"2.1\\n\":", "26:7: error: task '2.1\\n' must look like '1.2'"),
    ("  - lambda\n", "  - \"lambda\\n\"\n", "82:5: error: study_order entry 'lambda\\n' is not a kebab-case file slug"),
])
def test_exam_texts_that_would_break_anki_are_errors(library: Path, old: str, new: str, expected: str) -> None:
    edit(library / "exam.yaml", old, new)
    result = run("check")
    assert result.exit_code == 1
    assert f"cards/exam.yaml:{expected}" in result.stderr.replace("\n", "\\n")


# --- card-file names, ids and tags --------------------------------------------------------------

@pytest.mark.parametrize("name", ["evil tag", "<b>x", "Lambda", "sqs-"])
def test_a_card_file_name_must_be_a_kebab_case_slug(library: Path, name: str) -> None:
    text = (library / "lambda.yaml").read_text().replace("slug: lambda", f"slug: '{name}'")
    (library / "lambda.yaml").unlink()
    (library / f"{name}.yaml").write_text(text)
    for command in ("check", "build"):
        result = run(command)
        assert result.exit_code == 1
        assert (f"cards/{name}.yaml:1:1: error: the file name '{name}.yaml' is not a kebab-case slug; rename it "
                "to lower-case words joined by '-', such as 'step-functions.yaml'") in result.stderr
    assert not list(Path("build").glob("*.apkg"))


@pytest.mark.parametrize("old, new, expected", [
    ("  - id: sqs-queue-policy", "  - id: \"sqs-queue-policy\\n\"",
     "17:9: error: id 'sqs-queue-policy\\n' must be kebab-case"),
    ("tags: [limits]", "tags: [\"limits\\n\"]", "10:12: error: tag 'limits\\n' must be kebab-case"),
])
def test_ids_and_tags_ending_in_a_newline_are_errors(library: Path, old: str, new: str, expected: str) -> None:
    edit(library / "sqs.yaml", old, new)
    before = (library / "cards.lock").read_text()
    result = run("check")
    assert result.exit_code == 1
    assert f"cards/sqs.yaml:{expected}" in result.stderr.replace("\n", "\\n")
    assert run("lock").exit_code == 1
    assert (library / "cards.lock").read_text() == before
