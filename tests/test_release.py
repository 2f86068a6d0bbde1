"""`awsdeck release`: the packages learners download, what changed since the last release, and
ids that stay forever once published (and are free until then)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

import awsdeck.package
from committed_release import NoRelease, compare_release, release_commit
from conftest import FIXTURES, append, edit, run

ROOT = Path(__file__).parent.parent
DAY1, DAY2 = "1796515200", "1796601600"  # 2026-12-06 and 2026-12-07, 00:00 UTC
PACKAGES = ["dva-c03-deployment.apkg", "dva-c03-development.apkg", "dva-c03-outside-guide.apkg",
            "dva-c03-security.apkg", "dva-c03-troubleshooting.apkg", "dva-c03.apkg"]
DOMAINS = """\
| Domain | Cards | Share | Exam weight |
|---|---:|---:|---:|
| 1 Development with AWS Services | {} | {} % | 30 % |
| 2 Security | 1 | {} % | 26 % |
| 3 Testing and Deployment | 0 | 0 % | 22 % |
| 4 Troubleshooting and Optimization | 1 | {} % | 22 % |
"""
NOTES = "Coming from the DVA-C02 decks? Follow [the upgrade steps](README.md#coming-from-the-dva-c02-decks) first.\n"


def _release(monkeypatch: pytest.MonkeyPatch, version: str, *args: str, day: str = DAY1) -> str:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", day)  # the date of the release
    result = run("release", version, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def released(library: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture library released once, as 2026.12.0 on DAY1."""
    _release(monkeypatch, "2026.12.0")
    return library


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


# --- the first release ----------------------------------------------------------------------------

def test_the_first_release(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Path("notes.md").write_text(NOTES, encoding="utf-8")
    stdout = _release(monkeypatch, "2026.12.0", "--notes", "notes.md")
    assert "released 2026.12.0: 6 notes (7 cards), the first release; 6 ids published for the first time" in stdout
    release = Path("build/release")
    assert sorted(p.name for p in release.iterdir()) == ["RELEASE", "cards.json", *PACKAGES]
    # the packages are exactly what `awsdeck build` makes
    assert run("build", "--out", "plain").exit_code == 0
    assert {name: _sha256(release / name) for name in PACKAGES} == {name: _sha256(Path("plain", name))
                                                                    for name in PACKAGES}
    manifest = (release / "RELEASE").read_text().splitlines()
    assert manifest[:3] == ["version 2026.12.0", "date 2026-12-06", "cards 6"]
    assert sorted(manifest[3:]) == sorted(f"sha256 {_sha256(release / name)} {name}" for name in PACKAGES)
    published = [line for line in (library / "cards.lock").read_text().splitlines() if line.startswith("published")]
    assert published == ["published codecommit-credential-helper outside-guide 2026.12.0",
                         "published lambda-invocation-types development 2026.12.0",
                         "published lambda-max-timeout troubleshooting 2026.12.0",
                         "published sqs-max-message-size development 2026.12.0",
                         "published sqs-queue-policy security 2026.12.0",
                         "published sqs-visibility-timeout-default development 2026.12.0"]
    changelog = Path("CHANGELOG.md").read_text()
    assert changelog.startswith("# What changed in the decks\n")
    assert changelog.endswith("## 2026.12.0 (2026-12-06)\n\n" + NOTES + "\n"
                              "The first release ships 6 cards: 5 in the exam guide, 1 outside it (optional package)."
                              "\n\n" + DOMAINS.format(3, 60, 20, 20))
    result = run("check")
    assert result.exit_code == 0 and "0 errors, 0 warnings" in result.stderr


def test_the_snapshot_records_each_card_at_the_release(released: Path) -> None:
    lines = Path("build/release/cards.json").read_text().splitlines()
    assert lines[0] == ('{"version": "2026.12.0", "parts": ["question", "answer", "extra", "source", "tags"], '
                        '"cards": {')
    assert lines[2].startswith('"sqs-visibility-timeout-default": {"question": "The default SQS visibility timeout '
                               'is […]; the maximum is […].", "domain": "development", "digests": ["')
    assert len(lines) == 6 + 2


# --- what changed since the previous release ---------------------------------------------------------

ADDED = """\
  - id: sqs-long-polling
    front: Which `ReceiveMessage` wait time turns on *long polling*, and up to how long?
    back: Any wait time above 0 seconds, up to 20 seconds.
    task: "1.1"
    source: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html
  - id: sqs-dead-letter-queue
    cloze: "After {{c1::maxReceiveCount}} receives, SQS moves a message to the {{c2::dead-letter queue}}."
    task: "1.1"
    source: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
"""


def _second_release(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two cards added, two edited (the answer and extra of one, the tags of another), one retired."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY2)
    append(library / "sqs.yaml", ADDED)
    edit(library / "sqs.yaml", "tags: [limits]", "tags: [limits, changed]")
    edit(library / "lambda.yaml", "15 minutes (900 seconds).", "15 minutes, which is 900 seconds.")
    edit(library / "lambda.yaml", "The account's limits come from the `GetAccountSettings` API.",
         "The `GetAccountSettings` API returns the account's limits.")
    text = (library / "lambda.yaml").read_text()
    (library / "lambda.yaml").write_text(text[:text.index("  - id: lambda-invocation-types")])
    assert run("lock").exit_code == 0
    assert run("retire", "lambda-invocation-types", "--reason", "merged into lambda-max-timeout").exit_code == 0


def test_the_changelog_lists_added_edited_and_retired_cards(released: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _second_release(released, monkeypatch)
    stdout = _release(monkeypatch, "2026.12.1", day=DAY2)
    assert "released 2026.12.1: 7 notes (9 cards), 2 added, 2 edited, 1 retired; 2 ids published" in stdout
    changelog = Path("CHANGELOG.md").read_text()
    entry = changelog[changelog.index("## 2026.12.1"):changelog.index("## 2026.12.0")]
    assert entry == (
        "## 2026.12.1 (2026-12-07)\n\n"
        "7 cards: 6 in the exam guide, 1 outside it (optional package). Since the previous release: 2 added, "
        "2 edited, 1 retired.\n\n" + DOMAINS.format(4, 67, 17, 17) + "\n"
        "### Added (2)\n\n"
        "- `sqs-long-polling`: Which ReceiveMessage wait time turns on long polling, and up to how long?\n"
        "- `sqs-dead-letter-queue`: After […] receives, SQS moves a message to the […].\n\n"
        "### Edited (2)\n\n"
        "- `sqs-max-message-size`: What is the largest message SQS accepts? — tags\n"
        "- `lambda-max-timeout`: How long can one Lambda invocation run at most? — answer, extra\n\n"
        "### Retired (1)\n\n"
        "Anki keeps these cards until you delete them: in *Browse*, search `\"Id:<id>\"`, select the note and "
        "choose *Notes → Delete*.\n\n"
        "- `lambda-invocation-types`: merged into lambda-max-timeout\n\n")
    ledger = (released / "cards.lock").read_text()
    assert "published sqs-long-polling development 2026.12.1\n" in ledger
    assert "\npublished lambda-invocation-types development 2026.12.0\n" in ledger
    assert f"\nretired lambda-invocation-types {DAY2} merged into lambda-max-timeout\n" in ledger
    assert "\ncard lambda-invocation-types " not in ledger
    assert Path("build/release/RELEASE").read_text().startswith("version 2026.12.1\ndate 2026-12-07\ncards 7\n")


def test_a_release_without_changes_says_so(released: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _release(monkeypatch, "2027.01.0")
    changelog = Path("CHANGELOG.md").read_text()
    assert "Since the previous release: 0 added, 0 edited, 0 retired." in changelog
    assert changelog.count("## 20") == 2 and changelog.index("## 2027.01.0") < changelog.index("## 2026.12.0")


# --- refusals ------------------------------------------------------------------------------------------

LONG = "The answer " + "goes on " * 13 + "and on."


@pytest.mark.parametrize("change, expected", [
    (lambda lib: edit(lib / "sqs.yaml", "    front: What is the largest", "    frnt: What is the largest"),
     ["cards/sqs.yaml:6:5: error: unknown key 'frnt' in a card (did you mean 'front'?)",
      "release stopped, nothing written: 2 errors, 0 warnings\n"]),
    (lambda lib: (edit(lib / "sqs.yaml", "back: 1 MiB (1,048,576 bytes).", f"back: {LONG}"), run("lock")),
     ["cards/sqs.yaml:7:11: warning: the answer has 30 words; keep 'back' to 25 words or fewer",
      "release stopped, nothing written: 0 errors, 1 warning; a release needs a check without warnings too\n"]),
    (lambda lib: edit(lib / "lambda.yaml", "15 minutes", "Fifteen minutes"),
     ["cards/lambda.yaml:5:9: error: card 'lambda-max-timeout' changed since cards.lock was written; run "
      "`awsdeck lock`", "release stopped, nothing written: 1 error, 0 warnings\n"]),
    (lambda lib: edit(lib / "sqs.yaml", "  - id: sqs-queue-policy", "  - id: sqs-queue-policy-for-s3"),
     ["cards/sqs.yaml:17:9: error: card 'sqs-queue-policy-for-s3' is new and not in cards.lock"]),
], ids=["error", "warning", "edited-since-lock", "renamed-since-lock"])
def test_a_release_refuses_a_dirty_check_and_writes_nothing(library: Path, change, expected: list[str]) -> None:
    change(library)
    ledger = (library / "cards.lock").read_text()
    result = run("release", "2026.12.0")
    assert result.exit_code == 1
    for text in expected:
        assert text in result.stderr, result.stderr
    assert not Path("build/release").exists() and not Path("CHANGELOG.md").exists()
    assert (library / "cards.lock").read_text() == ledger


def test_a_release_refuses_an_unpublished_id_that_lock_would_drop(library: Path) -> None:
    """check is clean (the id was never released), but the ledger is not what `awsdeck lock` writes."""
    text = (library / "lambda.yaml").read_text()
    (library / "lambda.yaml").write_text(text[:text.index("  - id: lambda-invocation-types")])
    assert run("check").exit_code == 0
    result = run("release", "2026.12.0")
    assert result.exit_code == 1
    assert ("cards/cards.lock:6:1: error: card 'lambda-invocation-types' is in cards.lock but in no card file (never "
            "released, so it may go); run `awsdeck lock` to drop it, then release") in result.stderr
    assert not Path("build/release").exists()


def test_the_version_must_be_newer(released: Path) -> None:
    for version in ("2026.12.0", "2026.11.4"):
        result = run("release", version)
        assert result.exit_code == 1
        assert (f"build/release/RELEASE:1:1: error: version {version} is not newer than the last release, 2026.12.0; "
                "give a later version, such as 2026.12.1") in result.stderr
    for version in ("2026.12", "2026.1.0", "v2026.12.1", "2026.12.01"):
        result = run("release", version)
        assert result.exit_code == 2
        assert f"'{version}' is not a version YYYY.MM.N, such as 2026.12.0" in result.stderr


def test_an_interrupted_release_completes_when_run_again(released: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _second_release(released, monkeypatch)
    before = _files(Path("build/release"))

    def fail(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(awsdeck.package, "_swap", fail)
        result = run("release", "2026.12.1")
    assert result.exit_code == 1
    assert result.stderr == ("cannot write the release: [Errno 28] No space left on device; fix that and run "
                             "`awsdeck release 2026.12.1` again, which completes it\n")
    assert _files(Path("build/release")) == before
    _release(monkeypatch, "2026.12.1", day=DAY2)
    changelog = Path("CHANGELOG.md").read_text()
    assert changelog.count("## 2026.12.1") == 1 and "### Added (2)" in changelog
    assert Path("build/release/RELEASE").read_text().startswith("version 2026.12.1\n")


# --- published ids are forever; unpublished ones are free ---------------------------------------------

def test_an_unpublished_id_can_be_renamed_freely(released: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY2)
    append(released / "sqs.yaml", ADDED)
    assert run("lock").exit_code == 0
    edit(released / "sqs.yaml", "id: sqs-long-polling", "id: sqs-long-poll-wait")
    assert run("lock").exit_code == 0  # stamps the new id
    result = run("check")
    assert result.exit_code == 0, result.stderr
    assert "sqs-long-polling" not in result.stderr
    result = run("retire", "sqs-long-polling", "--reason", "renamed")
    assert result.exit_code == 1
    assert ("error: no card 'sqs-long-polling' in cards.lock; only published ids can be retired") in result.stderr
    assert "sqs-long-polling" not in (released / "cards.lock").read_text()
    build = run("build")
    assert "retired" not in build.stdout
    _release(monkeypatch, "2026.12.1", day=DAY2)
    changelog = Path("CHANGELOG.md").read_text()
    assert "- `sqs-long-poll-wait`: Which ReceiveMessage" in changelog
    assert "sqs-long-polling" not in changelog and "Retired" not in changelog


def test_lock_drops_an_unpublished_id_and_retire_refuses_it(library: Path) -> None:
    edit(library / "lambda.yaml", "id: lambda-max-timeout", "id: lambda-longest-run")
    result = run("check")
    assert result.exit_code == 1  # only because the new id needs a stamp
    assert "lambda-max-timeout" not in result.stderr
    result = run("retire", "lambda-max-timeout", "--reason", "renamed")
    assert result.exit_code == 1
    assert ("cards/cards.lock:1:1: error: card 'lambda-max-timeout' was never released, so no learner has it: just "
            "delete it from its file and run `awsdeck lock` (no retire needed)") in result.stderr
    result = run("lock")
    assert result.stdout == ("dropped lambda-max-timeout (in no card file, never released)\n"
                             "stamped 1 changed entry; 6 cards in the ledger\n")
    assert "lambda-max-timeout" not in (library / "cards.lock").read_text()
    assert run("check").exit_code == 0
    result = run("retire", "lambda-longest-run", "--reason", "x")
    assert result.exit_code == 1
    assert "cards/lambda.yaml:5:9: error: card 'lambda-longest-run' was never released" in result.stderr


def test_a_published_id_that_disappears_is_an_error(released: Path) -> None:
    edit(released / "lambda.yaml", "id: lambda-max-timeout", "id: lambda-longest-run")
    assert run("lock").exit_code == 0
    result = run("check")
    assert result.exit_code == 1
    assert ("cards/cards.lock:8:1: error: card 'lambda-max-timeout' was published in release 2026.12.0 but is in no "
            "card file; published ids are forever: restore the card (renaming an id loses learners' history), or "
            "retire it with `awsdeck retire lambda-max-timeout --reason \"…\"`") in result.stderr
    assert "\ncard lambda-max-timeout " in (released / "cards.lock").read_text()  # lock keeps it
    assert run("release", "2026.12.1").exit_code == 1
    assert run("retire", "lambda-max-timeout", "--reason", "renamed to lambda-longest-run").exit_code == 0
    assert run("check").exit_code == 0


@pytest.mark.parametrize("old, new, expected", [
    ("    domain: security\n    task: \"2.1\"", "    domain: development\n    task: \"1.1\"",
     "cards/sqs.yaml:24:13: error: card 'sqs-queue-policy' was published in the 'security' deck (release 2026.12.0) "
     "and is now in the 'development' deck; Anki never moves learners' existing cards to another deck: keep it in "
     "'security', or delete it, add the card under a new id and run `awsdeck retire sqs-queue-policy --reason "
     "\"moved to development\"`"),
    ("    domain: security\n    task: \"2.1\"", "    domain: security\n    outside_guide: true",
     "cards/sqs.yaml:25:20: error: card 'sqs-queue-policy' was published in the 'security' deck (release 2026.12.0) "
     "and is now in the 'outside-guide' deck;"),
])
def test_a_published_card_cannot_change_its_deck(released: Path, old: str, new: str, expected: str) -> None:
    edit(released / "sqs.yaml", old, new)
    assert run("lock").exit_code == 0
    result = run("check")
    assert result.exit_code == 1
    assert expected in result.stderr, result.stderr
    assert run("release", "2026.12.1").exit_code == 1


def test_an_unpublished_card_may_change_its_deck(library: Path) -> None:
    edit(library / "sqs.yaml", "    domain: security\n    task: \"2.1\"", "    domain: development\n    task: \"1.1\"")
    assert run("lock").exit_code == 0
    assert run("check").exit_code == 0


@pytest.mark.parametrize("line, expected", [
    ("published sqs-queue-policy security 2026.13.0",
     "11:1: error: '2026.13.0' is not a release version such as 2026.12.0; restore the file from version control"),
    ("published sqs-queue-policy Security 2026.12.0", "11:1: error: malformed ledger line"),
    ("published nobody security 2026.12.0",
     "11:1: error: 'nobody' is published but neither a card nor retired in cards.lock; restore the file"),
    ("published sqs-queue-policy security 2026.12.0\npublished sqs-queue-policy security 2027.01.0",
     "12:1: error: 'sqs-queue-policy' is listed twice in cards.lock (first at line 11); delete the line of the "
     "later release"),
])
def test_bad_published_lines_are_errors(library: Path, line: str, expected: str) -> None:
    append(library / "cards.lock", line + "\n")
    result = run("check")
    assert result.exit_code == 1
    assert f"cards/cards.lock:{expected}" in result.stderr, result.stderr


# --- reproducible -------------------------------------------------------------------------------------

def test_a_release_is_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same sources and ledger give the same bytes; the date changes only RELEASE and the changelog."""
    for copy, day in (("one", DAY1), ("two", DAY1), ("later", DAY2)):
        shutil.copytree(FIXTURES / "library", tmp_path / copy / "cards")
        monkeypatch.chdir(tmp_path / copy)
        _release(monkeypatch, "2026.12.0", day=day)
    one, two, later = (tmp_path / copy for copy in ("one", "two", "later"))
    assert _files(one / "build" / "release") == _files(two / "build" / "release")
    for name in ("CHANGELOG.md", "cards/cards.lock"):
        assert (one / name).read_bytes() == (two / name).read_bytes()
    assert ({name: data for name, data in _files(one / "build" / "release").items() if name != "RELEASE"}
            == {name: data for name, data in _files(later / "build" / "release").items() if name != "RELEASE"})


# --- the committed packages are the release's build ----------------------------------------------------

def test_the_committed_packages_equal_a_fresh_build_of_the_release(tmp_path: Path) -> None:
    try:
        commit, committed, built = compare_release(ROOT, tmp_path)
    except NoRelease as reason:
        pytest.skip(str(reason))
    assert committed, f"release commit {commit[:12]} holds no package in build/release/"
    assert built == committed, f"build/release/ of {commit[:12]} is not what that commit builds"


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.com",
                             "-c", "commit.gpgsign=false", *args], capture_output=True, text=True, check=True)
    return result.stdout


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project under git with the fixture library, this awsdeck's code and .gitignore, released and committed."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "library", repo / "cards")
    shutil.copytree(ROOT / "src" / "awsdeck", repo / "src" / "awsdeck", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".gitignore", repo)
    (repo / "build").mkdir()
    (repo / "build" / ".gitkeep").touch()
    monkeypatch.chdir(repo)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "cards")
    _release(monkeypatch, "2026.12.0")
    assert run("build").exit_code == 0  # a contributor's build/ stays out of git
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "release 2026.12.0")
    return repo


def test_only_the_release_of_build_is_committed(repository: Path) -> None:
    files = _git(repository, "ls-files", "build").split()
    assert files == ["build/.gitkeep", "build/release/RELEASE", "build/release/cards.json",
                     *(f"build/release/{name}" for name in PACKAGES)]


def test_the_comparison_builds_the_release_commit(repository: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    release = _git(repository, "rev-parse", "HEAD").strip()
    # a later edit, not released: the comparison must build the release's commit, not this one
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY2)
    edit(repository / "cards" / "lambda.yaml", "15 minutes (900 seconds).", "15 minutes, which is 900 seconds.")
    assert run("lock").exit_code == 0
    _git(repository, "commit", "-q", "-am", "an edit")
    commit, committed, built = compare_release(repository, tmp_path / "compared")
    assert commit == release
    assert sorted(committed) == PACKAGES and built == committed


def test_the_comparison_catches_a_package_that_is_not_the_release_s_build(repository: Path, tmp_path: Path) -> None:
    shutil.copy(repository / "build" / "release" / "dva-c03-security.apkg",
                repository / "build" / "release" / "dva-c03.apkg")
    _git(repository, "commit", "-q", "-am", "a wrong package")
    _, committed, built = compare_release(repository, tmp_path / "compared")
    assert [name for name in PACKAGES if committed[name] != built[name]] == ["dva-c03.apkg"]


def test_the_comparison_skips_when_there_is_nothing_to_compare(repository: Path, tmp_path: Path) -> None:
    with pytest.raises(NoRelease, match="is not a git repository"):
        release_commit(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    _git(empty, "init", "-q")
    _git(empty, "commit", "-q", "--allow-empty", "-m", "nothing")
    with pytest.raises(NoRelease, match="no release committed yet: no commit changed build/release/"):
        release_commit(empty)
    (repository / "notes.txt").write_text("later\n")
    _git(repository, "add", "notes.txt")
    _git(repository, "commit", "-q", "-m", "later")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repository}", str(shallow)], check=True)
    with pytest.raises(NoRelease, match="shallow clone: history ends at"):
        release_commit(shallow)
