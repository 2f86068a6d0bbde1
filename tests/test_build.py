"""`awsdeck build`: decks that the real Anki backend imports as intended, reproducibly and atomically."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import awsdeck.package

from anki_import import TEMPLATE_ERROR, import_package, open_collection
from conftest import run

PARENT = "AWS Certified Developer – Associate"
DEVELOPMENT = f"{PARENT}::1 Development with AWS Services"
SECURITY = f"{PARENT}::2 Security"
TROUBLESHOOTING = f"{PARENT}::4 Troubleshooting and Optimization"
OUTSIDE = f"{PARENT}::Outside the exam guide"


@pytest.fixture
def built(library: Path) -> Path:
    result = run("build")
    assert result.exit_code == 0, result.output
    return library.parent / "build"


def test_outputs_and_summary(library: Path) -> None:
    result = run("build")
    assert result.exit_code == 0
    assert f"     3 notes (4 cards)  {DEVELOPMENT}" in result.stdout
    assert f"     1 note (1 card)  {SECURITY}" in result.stdout
    assert f"     1 note (1 card)  {TROUBLESHOOTING}" in result.stdout
    assert f"     1 note (1 card)  {OUTSIDE}" in result.stdout
    assert "     6 notes (7 cards) in all; 0 errors, 0 warnings" in result.stdout
    names = sorted(p.name for p in (library.parent / "build").glob("*.apkg"))
    assert names == ["dva-c03-deployment.apkg", "dva-c03-development.apkg", "dva-c03-outside-guide.apkg",
                     "dva-c03-security.apkg", "dva-c03-troubleshooting.apkg", "dva-c03.apkg"]


def test_real_anki_imports_one_parent_deck_with_a_subdeck_per_domain(built: Path, tmp_path: Path) -> None:
    col = open_collection(tmp_path / "anki")
    log = import_package(col, built / "dva-c03.apkg")
    assert (len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting)) == (5, 0, 0, 0)
    counts = {d.name: col.decks.card_count(d.id, include_subdecks=False) for d in col.decks.all_names_and_ids()}
    # the cloze note "sqs-visibility-timeout-default" has two deletions, so two cards
    # Anki creates no deck for a domain without cards (the fixture has no deployment card)
    assert counts == {"Default": 0, PARENT: 0, DEVELOPMENT: 4, SECURITY: 1, TROUBLESHOOTING: 1}
    used = {m["name"]: n for m, n in ((col.models.get(u.id), u.use_count) for u in col.models.all_use_counts())}
    assert used["AWSDeck Basic"] == 4 and used["AWSDeck Cloze"] == 1
    col.close()


def test_every_note_is_tagged(built: Path, tmp_path: Path) -> None:
    col = open_collection(tmp_path / "anki")
    import_package(col, built / "dva-c03.apkg")
    tags = {col.get_note(nid)["Id"]: sorted(col.get_note(nid).tags) for nid in col.find_notes("")}
    assert tags["sqs-max-message-size"] == ["aws::sqs", "dva-c03::development", "dva-c03::development::1.1",
                                            "topic::limits"]
    assert tags["sqs-queue-policy"] == ["aws::sqs", "dva-c03::security", "dva-c03::security::2.1"]
    assert tags["lambda-max-timeout"] == ["aws::lambda", "dva-c03::troubleshooting", "dva-c03::troubleshooting::4.3"]
    assert "codecommit-credential-helper" not in tags  # outside the guide: its own package only
    assert len(col.find_notes("tag:aws::lambda")) == 2
    assert len(col.find_notes("tag:dva-c03::development")) == 3
    col.close()


def _render(col, card_id: str, ordinal: int = 0) -> tuple[str, str]:
    nid = col.find_notes(f'"Id:{card_id}"')[0]
    card = col.get_note(nid).cards()[ordinal]
    output = card.render_output(reload=True)
    return output.question_text, output.answer_text


def test_rendered_cards(built: Path, tmp_path: Path) -> None:
    col = open_collection(tmp_path / "anki")
    import_package(col, built / "dva-c03.apkg")
    for cid in col.find_cards(""):
        output = col.get_card(cid).render_output(reload=True)
        assert TEMPLATE_ERROR not in output.question_text + output.answer_text
    question, answer = _render(col, "sqs-max-message-size")
    assert '<div class="service">Amazon SQS</div>' in question
    assert "What is the largest message SQS accepts?" in question
    assert '<div class="answer">1 MiB (1,048,576 bytes).</div>' in answer
    assert '<div class="extra">It was 256 KiB until 2025.</div>' in answer
    assert 'href="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html"' in answer
    assert '<div class="card-id">sqs-max-message-size</div>' in answer
    question, answer = _render(col, "sqs-visibility-timeout-default", ordinal=1)
    assert 'data-ordinal="2">[...]</span>' in question and "30 seconds" in question
    assert '<span class="cloze" data-ordinal="2">12 hours</span>' in answer
    _, answer = _render(col, "sqs-queue-policy")
    assert "<code>Allow</code>" in answer
    assert '<pre class="highlight"><code><span class="p">{</span><span class="nt">"Effect"</span>' in answer
    _, answer = _render(col, "lambda-invocation-types")
    assert "<table>" in answer and "<td>twice by Lambda</td>" in answer
    css = col.get_card(col.find_cards("")[0]).render_output(reload=True).css
    assert ".nightMode .highlight" in css and "overflow-x: auto" in css
    col.close()


def test_new_cards_come_in_study_order(built: Path, tmp_path: Path) -> None:
    col = open_collection(tmp_path / "anki")
    import_package(col, built / "dva-c03.apkg")
    notes = sorted((col.get_card(cid).due, col.get_card(cid).note()["Id"]) for cid in col.find_cards(""))
    # study_order lists sqs before lambda; inside a file, the file's order
    assert [card_id for _, card_id in notes] == [
        "sqs-max-message-size", "sqs-visibility-timeout-default", "sqs-visibility-timeout-default",
        "sqs-queue-policy", "lambda-max-timeout", "lambda-invocation-types"]
    col.close()


def test_outside_guide_cards_stay_out_of_a_default_import(built: Path, tmp_path: Path) -> None:
    """The exam package leaves them out; their own package puts them in a subdeck of their own."""
    col = open_collection(tmp_path / "anki")
    import_package(col, built / "dva-c03.apkg")
    assert not col.find_notes("tag:dva-c03::outside-guide") and not col.find_notes("tag:aws::codecommit")
    log = import_package(col, built / "dva-c03-outside-guide.apkg")  # with the desktop's default options
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (1, 0, 0)
    nid = col.find_notes("tag:dva-c03::outside-guide")[0]
    assert sorted(col.get_note(nid).tags) == ["aws::codecommit", "dva-c03::outside-guide"]
    (card,) = col.get_note(nid).cards()
    assert col.decks.name(card.did) == OUTSIDE
    assert card.queue == 0  # a new card, not suspended: it is kept away by its deck, not by a flag
    col.close()


def test_domain_package_holds_its_subdeck_only(built: Path, tmp_path: Path) -> None:
    col = open_collection(tmp_path / "anki")
    log = import_package(col, built / "dva-c03-security.apkg")
    assert len(log.new) == 1
    assert {d.name for d in col.decks.all_names_and_ids()} == {"Default", PARENT, SECURITY}
    # importing the full package afterwards adds only the other notes
    log = import_package(col, built / "dva-c03.apkg")
    assert len(log.new) == 4 and len(log.duplicate) == 1
    col.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_builds_are_byte_identical(library: Path) -> None:
    assert run("build", "--out", "one").exit_code == 0
    assert run("build", "--out", "two").exit_code == 0
    for path in sorted(Path("one").glob("*.apkg")):
        assert _digest(path) == _digest(Path("two") / path.name), path.name


def test_failed_check_writes_nothing(library: Path) -> None:
    (library / "sqs.yaml").write_text("service: x\n")
    result = run("build")
    assert result.exit_code == 1
    assert "build stopped, nothing written" in result.stderr
    assert not list(Path("build").glob("*.apkg"))


def test_interrupted_build_leaves_the_previous_package(built: Path, library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = {path.name: _digest(path) for path in built.glob("*.apkg")}
    (library / "lambda.yaml").write_text((library / "lambda.yaml").read_text().replace("15 minutes", "fifteen minutes"))
    assert run("lock").exit_code == 0

    def disk_full(path: Path, entries: dict[str, bytes]) -> None:
        if path.name == "dva-c03-security.apkg":  # the combined package and one domain are already written
            path.write_bytes(b"half a zip")
            raise OSError(28, "No space left on device")
        real_write_zip(path, entries)

    real_write_zip = awsdeck.package._write_zip
    monkeypatch.setattr("awsdeck.package._write_zip", disk_full)
    result = run("build")
    assert result.exit_code == 1
    assert "cannot write the decks: [Errno 28] No space left on device" in result.stderr
    assert {path.name: _digest(path) for path in built.glob("*.apkg")} == before
    assert not list(built.glob(".awsdeck-*"))  # no leftovers
