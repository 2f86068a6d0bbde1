"""Updating the decks never costs review history, and only edited cards change (cards.lock)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import awsdeck.notetypes
from awsdeck import pipeline
from conftest import SOURCE, edit, publish, run

T1, T2 = "1767225600", "1769904000"  # the fixture's cards.lock is stamped T1


def _stamps(library: Path) -> dict[str, int]:
    return {line.split()[1]: int(line.split()[3]) for line in (library / "cards.lock").read_text().splitlines()
            if line.startswith("card ")}


def test_an_edit_must_be_locked_before_it_builds(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(library / "lambda.yaml", "15 minutes", "Fifteen minutes")
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
    edit(library / "lambda.yaml", "15 minutes", "Fifteen minutes")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # before the stamp it replaces
    run("lock")
    assert _stamps(library)["lambda-max-timeout"] == int(T1) + 1


def test_a_new_card_needs_a_stamp(library: Path) -> None:
    with (library / "lambda.yaml").open("a") as f:
        f.write("  - id: lambda-new\n    front: What is new?\n    back: This.\n    task: \"1.2\"\n" + SOURCE)
    result = run("check")
    assert "cards/lambda.yaml:21:9: error: card 'lambda-new' is new and not in cards.lock; run `awsdeck lock`" in result.stderr


def test_ids_are_forever(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    publish(library, {"lambda-max-timeout": "troubleshooting"})
    edit(library / "lambda.yaml", "id: lambda-max-timeout", "id: lambda-longest-run")
    run("lock")
    result = run("check")
    assert result.exit_code == 1
    assert ("cards/cards.lock:8:1: error: card 'lambda-max-timeout' was published in release 2026.12.0 but is in no "
            "card file; published ids are forever: restore the card") in result.stderr
    assert run("retire", "lambda-longest-run", "--reason", "x").exit_code == 1  # still in the sources
    monkeypatch.setenv("SOURCE_DATE_EPOCH", T2)
    result = run("retire", "lambda-max-timeout", "--reason", "renamed to lambda-longest-run")
    assert result.exit_code == 0, result.output
    assert f"retired lambda-max-timeout {T2} renamed to lambda-longest-run" in (library / "cards.lock").read_text()
    assert run("check").exit_code == 0
    result = run("build")
    assert "1 retired card(s) stay in learners' collections" in result.stdout
    assert "  lambda-max-timeout: renamed to lambda-longest-run" in result.stdout
    edit(library / "lambda.yaml", "id: lambda-longest-run", "id: lambda-max-timeout")
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
    edit(library / "lambda.yaml", "15 minutes (900 seconds).", "15 minutes, which is 900 seconds.")
    with (library / "sqs.yaml").open("a") as f:
        f.write("  - id: sqs-long-polling\n    front: How long can one long poll wait?\n    back: 20 seconds.\n"
                "    task: \"1.1\"\n" + SOURCE)
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
    assert "NEW dva-c03.apkg: 1 new, 1 updated, 4 unchanged, 0 conflicting" in result.stdout
    assert "personal tag and mark kept on 4 of 4 unchanged notes; replaced on 1 of 1 updated notes" in result.stdout
    assert "flags kept on 6 of 6 cards" in result.stdout
    assert "deck trees holding cards: AWS Certified Developer – Associate" in result.stdout
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


ROOT = Path(__file__).parent.parent
C02_RELEASE = ROOT / "tests" / "fixtures" / "releases" / "dva-c02.apkg"  # built from the last DVA-C02 main


def _readme_migration_steps() -> tuple[list[tuple[str, str]], list[str]]:
    """The deck renames and the searches of the README's "Coming from the DVA-C02 decks"."""
    section = (ROOT / "README.md").read_text().split("### Coming from the DVA-C02 decks", 1)[1].split("\n## ", 1)[0]
    renames = re.findall(r"\*\*(.+?)\*\*\s+to\s+\*\*(.+?)\*\*", section)
    searches = re.findall(r"^   - `(.+)`$", section, re.M)
    return renames, searches


def test_a_dva_c02_learner_keeps_everything_by_following_the_readme(tmp_path: Path) -> None:
    from awsdeck.upgrade import deck_searches, merged, read_package, verify_upgrade

    checked = pipeline.check([ROOT / "cards"])
    assert checked.ok, [str(p) for p in checked.problems if p.severity.name == "ERROR"][:5]
    pipeline.build(checked, tmp_path)
    new = [tmp_path / "dva-c03.apkg", tmp_path / "dva-c03-outside-guide.apkg"]
    renames, searches = _readme_migration_steps()
    assert renames == [("AWS Developer Associate (DVA-C02)", "AWS Certified Developer – Associate"),
                       ("AWS Certified Developer – Associate::3 Deployment",
                        "AWS Certified Developer – Associate::3 Testing and Deployment")]
    # the README names exactly the searches that find every deck's misplaced cards
    assert sorted(searches) == sorted(deck_searches(merged([read_package(p) for p in new])).values())

    without_steps = verify_upgrade(C02_RELEASE, new, reviews=40)
    assert any("cards stay in 'AWS Developer Associate (DVA-C02)::1 Development with AWS Services'" in failure
               for failure in without_steps.failures)
    (trees,) = [line for line in without_steps.lines if line.startswith("deck trees holding cards: ")]
    assert "AWS Developer Associate (DVA-C02)" in trees  # the old tree keeps its cards without the renames

    report = verify_upgrade(C02_RELEASE, new, reviews=40, renames=renames, move_cards=True)
    assert not report.failures, report.failures
    lines = "\n".join(report.lines)
    old_notes = len(read_package(C02_RELEASE).notes)
    assert f"packages: {old_notes} edited" in lines  # every C02 note gets its C03 tags, in place
    assert "studied 40 cards with the scheduler" in lines
    assert "replaced on 5 of 5 updated notes" in lines and "flags kept on" in lines
    moved = sum(int(n) for n in re.findall(r"^moved (\d+) cards found by ", lines, re.M))
    assert f"cards in another deck than NEW puts them in: {moved}" in lines and moved > 0
    assert re.search(r"history identical on (\d+) of \1 cards; review log 40 rows before, 40 after", lines)
    assert "deck trees holding cards: AWS Certified Developer – Associate" in lines
