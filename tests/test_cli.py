"""The command line: found from any folder of a project, one way to name the cards, a notice
before the slow first name check, and a build summary that tells notes from Anki cards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsdeck import nameindex
from conftest import edit, publish, run

PARENT = "AWS Certified Developer – Associate"
BAD_KEY = "sqs.yaml:6:5: error: unknown key 'frnt' in a card (did you mean 'front'?)"
NOTICE = "building the AWS name index from botocore and cfn-lint (once per version, a few seconds)…"


def _subfolder(library: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = library.parent / "docs" / "notes"
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    return folder


# --- the project root is found from any folder in it --------------------------------------

def test_check_from_a_subfolder_finds_the_cards_and_prints_paths_from_here(
        library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(library / "sqs.yaml", "    front:", "    frnt:")
    _subfolder(library, monkeypatch)
    result = run("check")
    assert result.exit_code == 1, result.output
    assert any(line.startswith(f"../../cards/{BAD_KEY}") for line in result.stderr.splitlines())


def test_check_inside_the_card_folder(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(library / "sqs.yaml", "    front:", "    frnt:")
    monkeypatch.chdir(library)
    result = run("check")
    assert result.exit_code == 1, result.output
    assert any(line.startswith(BAD_KEY) for line in result.stderr.splitlines())


@pytest.mark.parametrize("command", [("check",), ("stats",), ("lock",), ("check", "--format", "json")])
def test_read_commands_work_from_a_subfolder(library: Path, monkeypatch: pytest.MonkeyPatch,
                                             command: tuple[str, ...]) -> None:
    _subfolder(library, monkeypatch)
    result = run(*command)
    assert result.exit_code == 0, result.output


def test_build_and_preview_from_a_subfolder_write_to_the_project_build_folder(
        library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _subfolder(library, monkeypatch)
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "wrote ../../build/dva-c03.apkg" in result.stdout
    assert (library.parent / "build" / "dva-c03.apkg").is_file()
    result = run("preview")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("wrote ../../build/preview/index.html (")
    assert list(folder.iterdir()) == []  # no build/ or cache left in the subfolder


def test_named_paths_are_taken_from_the_working_directory(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _subfolder(library, monkeypatch)
    result = run("check", "../../cards/sqs.yaml")
    assert result.exit_code == 0, result.output
    assert "checked 3 cards" in result.stderr


def test_no_card_library_above_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    for command in (("check",), ("build",), ("lock",), ("stats",), ("preview",), ("retire", "x", "--reason", "y")):
        result = run(*command)
        assert result.exit_code == 2, result.output
        assert ("Error: no cards/exam.yaml in this folder or any folder above it; run awsdeck inside a card "
                "library, or name its card directory") in result.stderr
    assert list((tmp_path / "elsewhere").iterdir()) == []


# --- retire takes the card directory like the other commands ------------------------------

@pytest.fixture
def renamed(library: Path) -> Path:
    """lambda-max-timeout, published, renamed in its file and locked, so the old id can be retired."""
    publish(library, {"lambda-max-timeout": "troubleshooting"})
    edit(library / "lambda.yaml", "id: lambda-max-timeout", "id: lambda-longest-run")
    assert run("lock").exit_code == 0
    return library / "cards.lock"


def test_retire_takes_the_card_directory_as_an_argument(renamed: Path) -> None:
    moved = renamed.parent.rename(renamed.parent.parent / "deck")
    result = run("retire", "lambda-max-timeout", "--reason", "renamed", "deck")
    assert result.exit_code == 0, result.output
    assert result.stdout == "retired lambda-max-timeout\n"
    assert "\nretired lambda-max-timeout " in (moved / "cards.lock").read_text()


def test_retire_from_a_subfolder(renamed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _subfolder(renamed.parent, monkeypatch)
    result = run("retire", "lambda-max-timeout", "--reason", "renamed")
    assert result.exit_code == 0, result.output
    assert "\nretired lambda-max-timeout " in renamed.read_text()


def test_retire_keeps_the_cards_option_as_a_deprecated_alias(renamed: Path) -> None:
    result = run("retire", "lambda-max-timeout", "--reason", "renamed", "--cards", "cards")
    assert result.exit_code == 0, result.output
    assert result.stderr == ("--cards is deprecated; name the card directory after the id: "
                             "awsdeck retire ID --reason TEXT [CARD_DIR]\n")
    assert "\nretired lambda-max-timeout " in renamed.read_text()


def test_retire_rejects_a_card_file(renamed: Path) -> None:
    """Retiring looks for the id in every card file, so it needs the whole directory."""
    result = run("retire", "lambda-max-timeout", "--reason", "renamed", "cards/sqs.yaml")
    assert result.exit_code == 2
    assert "is a file" in result.stderr
    assert "\ncard lambda-max-timeout " in renamed.read_text()


def test_retire_help_shows_the_argument_not_the_old_option() -> None:
    result = run("retire", "--help")
    assert "retire [OPTIONS] CARD_ID [CARD_DIR]" in result.stdout
    assert "--cards" not in result.stdout


# --- a notice before the name index is built -----------------------------------------------


@pytest.mark.parametrize("command", ["check", "build", "lock", "stats", "preview"])
def test_building_the_name_index_is_announced_once(library: Path, index_builds: list[int], command: str) -> None:
    result = run(command)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(NOTICE + "\n")
    assert result.stderr.count(NOTICE) == 1
    assert NOTICE not in result.stdout
    assert index_builds == [1]
    nameindex.load_index.cache_clear()  # a new process: the index comes from the cache file
    assert NOTICE not in run(command).stderr
    assert index_builds == [1]


@pytest.mark.parametrize("command", [("check", "--format", "json"), ("stats", "--format", "json"),
                                     ("build", "--format", "json")])
def test_json_output_has_no_notice(library: Path, index_builds: list[int], command: tuple[str, ...]) -> None:
    result = run(*command)
    assert result.exit_code == 0, result.output
    assert NOTICE not in result.output
    assert index_builds == [1]
    if command[0] != "build":
        json.loads(result.stdout)


# --- the build summary counts notes and Anki cards -----------------------------------------

def test_build_summary_counts_notes_and_anki_cards(library: Path) -> None:
    result = run("build")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:6] == [
        f"     3 notes (4 cards)  {PARENT}::1 Development with AWS Services",
        f"     1 note (1 card)  {PARENT}::2 Security",
        f"     0 notes (0 cards)  {PARENT}::3 Testing and Deployment",
        f"     1 note (1 card)  {PARENT}::4 Troubleshooting and Optimization",
        f"     1 note (1 card)  {PARENT}::Outside the exam guide",
        "     6 notes (7 cards) in all; 0 errors, 0 warnings",
    ]


def test_a_cards_folder_without_exam_yaml_is_named(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (library / "exam.yaml").unlink()
    _subfolder(library, monkeypatch)
    result = run("check")
    assert result.exit_code == 2
    assert "Error: no exam.yaml in ../../cards: a card directory describes its exam there" in result.stderr
