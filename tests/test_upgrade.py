"""Updating the decks never costs review history, and only edited cards change (cards.lock)."""

from __future__ import annotations

from pathlib import Path

import pytest

import awsdeck.notetypes
from conftest import run

T1, T2 = "1767225600", "1769904000"  # the fixture's cards.lock is stamped T1


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def _stamps(library: Path) -> dict[str, int]:
    return {line.split()[1]: int(line.split()[3]) for line in (library / "cards.lock").read_text().splitlines()
            if line.startswith("card ")}


def test_an_edit_must_be_locked_before_it_builds(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _edit(library / "lambda.yaml", "15 minutes", "Fifteen minutes")
    result = run("check")
    assert result.exit_code == 1
    assert ("cards/lambda.yaml:5:9: error: card 'lambda-max-timeout' changed since cards.lock was written; "
            "run `awsdeck lock` so the edit reaches learners") in result.stderr
    assert run("build").exit_code == 1
    monkeypatch.setenv("SOURCE_DATE_EPOCH", T2)
    assert "stamped 1 changed entry" in run("lock").stdout
    assert run("check").exit_code == 0
    stamps = _stamps(library)
    assert stamps.pop("lambda-max-timeout") == int(T2)
    assert set(stamps.values()) == {int(T1)}


def test_a_new_stamp_is_always_later(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _edit(library / "lambda.yaml", "15 minutes", "Fifteen minutes")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000")
    run("lock")
    assert _stamps(library)["lambda-max-timeout"] == int(T1) + 1


def test_a_new_card_needs_a_stamp(library: Path) -> None:
    with (library / "lambda.yaml").open("a") as f:
        f.write("  - id: lambda-new\n    front: What is new?\n    back: This.\n    task: \"1.2\"\n")
    result = run("check")
    assert "cards/lambda.yaml:19:9: error: card 'lambda-new' is new and not in cards.lock; run `awsdeck lock`" in result.stderr


def test_ids_are_forever(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _edit(library / "lambda.yaml", "id: lambda-max-timeout", "id: lambda-longest-run")
    run("lock")
    result = run("check")
    assert result.exit_code == 1
    assert ("cards/cards.lock:8:1: error: card 'lambda-max-timeout' is in cards.lock but in no card file; ids are "
            "forever: restore the card") in result.stderr
    assert run("retire", "lambda-longest-run", "--reason", "x").exit_code == 1  # still in the sources
    monkeypatch.setenv("SOURCE_DATE_EPOCH", T2)
    result = run("retire", "lambda-max-timeout", "--reason", "renamed to lambda-longest-run")
    assert result.exit_code == 0, result.output
    assert f"retired lambda-max-timeout {T2} renamed to lambda-longest-run" in (library / "cards.lock").read_text()
    assert run("check").exit_code == 0
    result = run("build")
    assert "1 retired card(s) stay in learners' collections" in result.stdout
    assert "  lambda-max-timeout: renamed to lambda-longest-run" in result.stdout
    _edit(library / "lambda.yaml", "id: lambda-longest-run", "id: lambda-max-timeout")
    result = run("check")
    assert ("error: id 'lambda-max-timeout' was retired (renamed to lambda-longest-run); ids are never reused"
            in result.stderr)


def test_retire_unknown_id(library: Path) -> None:
    result = run("retire", "nope", "--reason", "x")
    assert result.exit_code == 1
    assert "no card 'nope' in cards.lock" in result.stderr


def test_css_change_must_be_locked(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(awsdeck.notetypes, "CSS", awsdeck.notetypes.CSS + "\n.card { font-size: 21px; }")
    result = run("check")
    assert result.exit_code == 1
    assert "cards/cards.lock:3:1: error: the CSS or templates of note type 1731958301 changed" in result.stderr


def test_field_change_is_refused_with_the_consequence(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(awsdeck.notetypes, "BASIC_FIELDS", ("Front", "Back", "Extra", "Source", "Id", "Service"))
    result = run("check")
    assert result.exit_code == 1
    assert "note type 'AWSDeck Basic': fields [" in result.stderr
    assert "learners' Anki would copy the note type into a '+' version" in result.stderr


def test_missing_ledger(library: Path) -> None:
    (library / "cards.lock").unlink()
    result = run("check")
    assert "cards/cards.lock:1:1: error: cards.lock is missing; run `awsdeck lock` to create it" in result.stderr


def test_malformed_ledger_line(library: Path) -> None:
    with (library / "cards.lock").open("a") as f:
        f.write("card broken\n")
    result = run("check")
    assert "cards/cards.lock:11:1: error: malformed ledger line 'card broken'" in result.stderr


def test_build_is_reproducible_with_the_ledger(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", T2)  # the ledger, not the clock, dates the notes
    run("build", "--out", "one")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    run("build", "--out", "two")
    assert (Path("one") / "dva-c03.apkg").read_bytes() == (Path("two") / "dva-c03.apkg").read_bytes()


def _release_two(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One edited card, one added card and one CSS change, locked at T2."""
    _edit(library / "lambda.yaml", "15 minutes (900 seconds).", "15 minutes, which is 900 seconds.")
    with (library / "sqs.yaml").open("a") as f:
        f.write("  - id: sqs-long-polling\n    front: How long can one long poll wait?\n    back: 20 seconds.\n"
                "    task: \"1.1\"\n")
    monkeypatch.setattr(awsdeck.notetypes, "CSS", awsdeck.notetypes.CSS + "\n.answer { color: #123456; }")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", T2)
    assert run("lock").exit_code == 0


def test_upgrade_in_real_anki_keeps_history(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("build", "--out", "v1").exit_code == 0
    _release_two(library, monkeypatch)
    assert run("build", "--out", "v2").exit_code == 0
    result = run("verify-upgrade", "v1/dva-c03.apkg", "v2/dva-c03.apkg")
    assert result.exit_code == 0, result.output
    assert "packages: 1 edited, 1 added, 4 unchanged notes, 0 only in OLD" in result.stdout
    assert "studied 6 cards with the scheduler" in result.stdout
    assert "NEW: 1 new, 1 updated, 4 unchanged, 0 conflicting" in result.stdout
    assert "personal tag kept on 4 of 4 unchanged notes" in result.stdout
    assert "upgrade is safe" in result.stdout


def test_verify_upgrade_catches_an_edit_that_would_not_arrive(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("build", "--out", "v1").exit_code == 0
    _release_two(library, monkeypatch)
    ledger = library / "cards.lock"
    lines = [line if "lambda-max-timeout" not in line else line.replace(T2, T1)
             for line in ledger.read_text().splitlines(keepends=True)]
    ledger.write_text("".join(lines))  # as if every note kept one build time
    assert run("build", "--out", "v2").exit_code == 0
    result = run("verify-upgrade", "v1/dva-c03.apkg", "v2/dva-c03.apkg")
    assert result.exit_code == 1
    assert "is not newer in NEW (mtime 1767225600 <= 1767225600): Anki would skip the edit" in result.stderr
    assert "edited text of note" in result.stderr
