"""Faults: a full disk, a killed build, an unusable name index or allow list, broken or hostile
packages for verify-upgrade, and a library shaped to make near-duplicate search explode."""

from __future__ import annotations

import hashlib
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from awsdeck import duplicates, nameindex
from conftest import TINY_INDEX, run

ROOT = Path(__file__).parent.parent


def _awsdeck(*args: str, prelude: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """awsdeck in its own process, after some Python run first (a limit, a patch)."""
    code = f"import sys\n{prelude}\nfrom awsdeck import cli, nameindex\nnameindex.available = lambda: False\n" \
           "sys.argv[0] = 'awsdeck'\ncli.main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd)


def _digests(folder: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.glob("*.apkg"))}


def _edit_and_lock(library: Path) -> None:
    lambda_yaml = library / "lambda.yaml"
    lambda_yaml.write_text(lambda_yaml.read_text().replace("15 minutes", "fifteen minutes"))
    assert run("lock").exit_code == 0


# --- build: disk full, a failed or killed swap, leftovers -------------------------------------

def test_a_full_disk_stops_the_build_cleanly(library: Path) -> None:
    assert run("build").exit_code == 0
    inodes = {path.name: path.stat().st_ino for path in Path("build").glob("*.apkg")}
    _edit_and_lock(library)
    limit = "import resource\nresource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))"
    result = _awsdeck("build", prelude=limit, cwd=library.parent)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(r"cannot write the decks: [^\n]*(full|too large|I/O error)[^\n]*; earlier decks in build are "
                     "unchanged", result.stderr), result.stderr
    assert {path.name: path.stat().st_ino for path in Path("build").glob("*.apkg")} == inodes
    assert not list(Path("build").glob(".awsdeck-*"))


def test_a_failed_swap_puts_every_earlier_deck_back(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("build").exit_code == 0
    before = _digests(Path("build"))
    _edit_and_lock(library)
    real_replace, calls = os.replace, []

    def failing_third(source: object, target: object) -> None:
        calls.append(str(target).endswith(".apkg") and target)
        if len([call for call in calls if call]) == 3 and calls[-1]:
            raise OSError(5, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_third)
    result = run("build")
    monkeypatch.setattr(os, "replace", real_replace)
    assert result.exit_code == 1
    assert "cannot write the decks: [Errno 5] Input/output error; earlier decks in build are unchanged" in result.stderr
    assert _digests(Path("build")) == before
    assert not list(Path("build").glob(".awsdeck-*"))


def test_a_build_killed_while_it_replaces_the_decks_leaves_one_whole_set(library: Path) -> None:
    assert run("build", "--out", "old").exit_code == 0
    assert run("build").exit_code == 0
    _edit_and_lock(library)
    assert run("build", "--out", "new").exit_code == 0
    old, new = _digests(Path("old")), _digests(Path("new"))
    assert old != new
    kill_after_first = ("import os, signal\nreal = os.replace\ncount = []\n"
                        "def replace(a, b):\n    real(a, b)\n    count.append(1)\n"
                        "    if len(count) == 1 and str(b).endswith('.apkg'):\n"
                        "        os.kill(os.getpid(), signal.SIGTERM)\n"
                        "os.replace = replace")
    result = _awsdeck("build", prelude=kill_after_first, cwd=library.parent)
    assert result.returncode == -signal.SIGTERM
    assert _digests(Path("build")) == new


def test_scratch_left_by_a_killed_build_is_removed_by_the_next(library: Path) -> None:
    build = Path("build")
    build.mkdir()
    dead = build / ".awsdeck-build-4194999-abc"  # above the largest process id Linux hands out
    (dead / "new").mkdir(parents=True)
    (dead / "new" / "dva-c03.apkg").write_bytes(b"half")
    alive = build / f".awsdeck-build-{os.getpid()}-abc"  # a build still running
    alive.mkdir()
    someone_elses = build / ".awsdeck-notes"
    someone_elses.mkdir()
    assert run("build").exit_code == 0
    assert not dead.exists()
    assert alive.exists() and someone_elses.exists()


def test_ledger_temporaries_left_by_a_killed_lock_are_removed(library: Path) -> None:
    dead = library / ".cards.lock-awsdeck-4194999-abc"
    dead.write_text("half a ledger")
    alive = library / f".cards.lock-awsdeck-{os.getpid()}-abc"
    alive.write_text("a ledger being written")
    _edit_and_lock(library)
    assert not dead.exists()
    assert alive.exists()
    assert [p.name for p in library.glob(".cards.lock-*")] == [alive.name]


# --- the name index and the allow list -----------------------------------------------------



def test_an_unwritable_index_cache_is_a_note_not_a_crash(library: Path, index_builds: list[int],
                                                         monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "home-is-a-file").write_text("")
    monkeypatch.setenv("AWSDECK_CACHE_DIR", str(tmp_path / "home-is-a-file" / "awsdeck"))
    result = run("check")
    assert result.exit_code == 0, result.stderr
    where = nameindex.cache_path()
    assert where.parent == tmp_path / "home-is-a-file" / "awsdeck"
    assert (f"{where}:1:1: warning: cannot cache the AWS name index here (Not a directory); names are checked, "
            "but the index is rebuilt on every run: set AWSDECK_CACHE_DIR to a writable folder") in result.stderr
    assert index_builds == [1]


@pytest.mark.parametrize("cached", ["[]", '{"operations": 5}', "null",
                                    '{"operations": {}, "cli_commands": {}, "errors": {}, "identifiers": [], '
                                    '"cfn_types": [], "cfn_functions": []}',
                                    '{"operations": {"sqs": ["SendMessage"]}, "cli_commands": {}, "errors": {}, '
                                    '"identifiers": [], "cfn_types": [], "cfn_functions": []}'])
def test_an_index_of_the_wrong_shape_is_rebuilt(cached: str, index_builds: list[int]) -> None:
    path = nameindex.cache_path()
    path.parent.mkdir(parents=True)
    path.write_text(cached)
    assert nameindex.load_index().operations == {"sqs": ["SendMessage"]}
    assert index_builds == [1]
    assert nameindex.load_index.cache_info().currsize == 1


def test_models_that_give_an_empty_index_skip_the_name_check(library: Path, index_builds: list[int],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    empty = {key: {} if isinstance(value, dict) else [] for key, value in TINY_INDEX.items()}
    monkeypatch.setattr(nameindex, "_build", lambda: empty)
    result = run("check")
    assert result.exit_code == 0, result.stderr
    assert "unknown API action" not in result.stderr
    assert ("warning: the AWS name index built from botocore and cfn-lint is empty, so names are not checked; "
            "reinstall them: pip install 'awsdeck[verify]'") in result.stderr
    assert "AWS names" not in result.stderr.splitlines()[-1]


@pytest.mark.parametrize(("content", "where", "message"), [
    (b"SendMessage\nCreate\xffQueue\n", "2:7", "file is not UTF-8 (byte 0xff); save it with UTF-8 encoding"),
    (b"SendMessage\nRed\x1b[31mQueue\n", "2:4",
     "control character \\x1b in a name; write one name per line, in plain text"),
])
def test_a_bad_allow_list_is_reported_at_its_place(library: Path, index_builds: list[int], content: bytes,
                                                   where: str, message: str) -> None:
    (library / "allowed-names.txt").write_bytes(content)
    result = run("check")
    assert result.exit_code == 1
    assert f"cards/allowed-names.txt:{where}: error: {message}" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_allow_list_that_is_no_file_is_reported(library: Path, index_builds: list[int]) -> None:
    (library / "allowed-names.txt").mkdir()
    result = run("check")
    assert result.exit_code == 1
    assert "cards/allowed-names.txt:1:1: error: cannot read file: Is a directory" in result.stderr
    (library / "allowed-names.txt").rmdir()
    (library / "allowed-names.txt").symlink_to("/etc/passwd")
    result = run("check")
    assert result.exit_code == 1
    assert ("cards/allowed-names.txt:1:1: error: cannot read file: it links outside the card folder; "
            "replace the link by the file itself") in result.stderr
    assert "root:" not in result.stderr


# --- verify-upgrade --------------------------------------------------------------------------

@pytest.fixture
def release(library: Path) -> Path:
    assert run("build").exit_code == 0
    return Path("build") / "dva-c03.apkg"


@pytest.mark.parametrize(("content", "why"), [
    (b"", "it is empty"),
    (b"PK\x03\x04 not really a zip", "it is not a zip archive"),
    (b"<html>404</html>", "it is not a zip archive"),
])
def test_verify_upgrade_refuses_what_is_no_package(release: Path, content: bytes, why: str) -> None:
    Path("broken.apkg").write_bytes(content)
    result = run("verify-upgrade", str(release), "broken.apkg")
    assert result.exit_code == 1
    assert f"broken.apkg: not an Anki package: {why}" in result.stderr
    assert "Traceback" not in result.stderr


def test_verify_upgrade_refuses_a_zip_without_a_collection(release: Path) -> None:
    with zipfile.ZipFile("media-only.apkg", "w") as archive:
        archive.writestr("media", "{}")
    result = run("verify-upgrade", "media-only.apkg", str(release))
    assert result.exit_code == 1
    assert "media-only.apkg: not an Anki package: it holds no collection.anki2" in result.stderr


def test_verify_upgrade_refuses_a_zip_bomb_without_unpacking_it(release: Path, monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    with zipfile.ZipFile("bomb.apkg", "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("collection.anki2", "w", force_zip64=True) as entry:
        for _ in range(64):
            entry.write(bytes(1 << 20))  # 64 MiB of zeros: about 64 KiB compressed
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    result = run("verify-upgrade", str(release), "bomb.apkg")
    assert result.exit_code == 1
    assert re.search(r"bomb.apkg: not an Anki package: collection.anki2 unpacks to 1,0\d\d times its packed size "
                     r"\(at most 100 times expected\)", result.stderr), result.stderr
    assert not list(scratch.rglob("*.anki2"))


def test_verify_upgrade_caps_what_it_unpacks(release: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from awsdeck import upgrade

    monkeypatch.setattr(upgrade, "MAX_UNPACKED_BYTES", 100_000)
    result = run("verify-upgrade", str(release), str(release))
    assert result.exit_code == 1
    assert ("dva-c03.apkg: not an Anki package: it unpacks to 176,130 bytes, over the limit of 100,000 bytes"
            in result.stderr)


def test_verify_upgrade_reads_a_package_exported_by_current_anki(release: Path, tmp_path: Path) -> None:
    from anki.collection import Collection, ExportAnkiPackageOptions, ImportAnkiPackageRequest

    from awsdeck.upgrade import read_package

    col = Collection(str(tmp_path / "learner.anki2"))
    try:
        options = col._backend.get_import_anki_package_presets()
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(release.resolve()), options=options))
        for legacy in (False, True):
            col.export_anki_package(out_path=str(tmp_path / f"legacy-{legacy}.apkg"), limit=None,
                                    options=ExportAnkiPackageOptions(legacy=legacy, with_media=False))
    finally:
        col.close()
    ours = read_package(release)
    for legacy in (False, True):
        exported = tmp_path / f"legacy-{legacy}.apkg"
        names = zipfile.ZipFile(exported).namelist()
        assert ("collection.anki21" if legacy else "collection.anki21b") in names and "collection.anki2" in names
        theirs = read_package(exported)
        assert {guid: (n.mod, n.fields, n.deck) for guid, n in theirs.notes.items()} == \
               {guid: (n.mod, n.fields, n.deck) for guid, n in ours.notes.items()}
        assert theirs.models.keys() == ours.models.keys()
    result = run("verify-upgrade", str(release), str(tmp_path / "legacy-False.apkg"))
    assert "packages: 0 edited, 0 added, 5 unchanged notes, 0 only in OLD" in result.stdout, result.output


def test_verify_upgrade_refuses_negative_reviews(release: Path) -> None:
    result = run("verify-upgrade", str(release), str(release), "--reviews", "-5")
    assert result.exit_code == 2
    assert "Invalid value for '--reviews': -5 is not in the range x>=0." in result.stderr


# --- near-duplicate search -------------------------------------------------------------------

def _template_questions(count: int) -> list[str]:
    """Questions made from one template with one slot, as a generated question bank is: every
    question shares all its words but one, so rare-word groups hold the whole library."""
    rng = random.Random(18)
    return [f"What is the default retention period of the log group named {rng.choice('abcdefgh')}{n}"
            for n in range(count)]


def test_near_duplicate_search_compares_a_bounded_number_of_pairs() -> None:
    questions = [duplicates.normalize(q) for q in _template_questions(4000)]
    candidates = duplicates.candidate_pairs(questions)
    compared = sum(len(later) for later in candidates.values())
    assert compared <= len(questions) * duplicates.MAX_CANDIDATES_PER_QUESTION
    assert compared < 4000 * 200  # every pair would be 8 million


def test_near_duplicates_among_template_questions_are_still_found() -> None:
    questions = [duplicates.normalize(q) for q in _template_questions(3000)]
    found = {n for pair in duplicates.similar_pairs(questions) for n in pair[:2]}
    assert found == set(range(3000))  # each one is compared with questions next to it, all nearly the same


def test_candidates_of_an_ordinary_library_are_all_its_rare_word_pairs() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import VOCABULARY, WEIGHTS

    rng = random.Random(2026)
    questions = [" ".join(rng.choices(VOCABULARY, WEIGHTS, k=rng.randint(6, 12))) for _ in range(3000)]
    capped = duplicates.candidate_pairs(questions)
    uncapped = duplicates.candidate_pairs(questions, max_group=len(questions))
    assert capped == uncapped
