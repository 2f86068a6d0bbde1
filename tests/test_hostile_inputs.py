"""Hostile input: a planted or corrupted work cache, links out of the library, FIFOs and
devices, oversized files, terminal escapes in file names and symlink loops never run
code, leak a file, hang, crash or change a result."""

from __future__ import annotations

import os
import pickle
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from awsdeck import markdown, nameindex
from awsdeck.cache import WorkCache
from awsdeck.cli import main
from conftest import run

SECRET = "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
NO_TRACEBACK = "Traceback"
# A run in a new process, without the name check (it needs a name index built per cache folder).
AWSDECK = [sys.executable, "-c", "import sys; from awsdeck import nameindex, cli; "
           "nameindex.available = lambda: False; sys.argv[0] = 'awsdeck'; cli.main()"]


@pytest.fixture(autouse=True)
def machine(library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test library, locked with today's note types; this machine's own cache folder
    outside the library; and a process that rendered nothing yet."""
    monkeypatch.setenv("AWSDECK_CACHE_DIR", str(tmp_path / "this-machine"))
    monkeypatch.setattr(nameindex, "available", lambda: False)
    new_process(monkeypatch)
    assert run("lock").exit_code == 0
    new_process(monkeypatch)


def new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget the fields rendered so far, as a new `awsdeck` process would."""
    monkeypatch.setattr(markdown, "_analyses", {})
    monkeypatch.setattr(markdown, "_htmls", {})


def awsdeck(*args: str, limit_memory: bool = False) -> subprocess.CompletedProcess[str]:
    """Run awsdeck in a new process that must finish within 30 s (and 2 GiB when asked)."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run([*AWSDECK, *args], capture_output=True, text=True, timeout=30,
                          preexec_fn=limit if limit_memory else None)


def packages(out: str) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(Path(out).glob("*.apkg"))}


def cache_files() -> list[Path]:
    return sorted(Path("build/.cache").glob("work-*"))


# --- the work cache ---------------------------------------------------------------------------

class _Payload:
    """Unpickling this creates the file 'pwned': what a planted pickle could do."""

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return Path.touch, (Path("pwned").absolute(),)


def test_a_planted_pickle_in_the_cache_runs_no_code(library: Path) -> None:
    path = WorkCache().path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(_Payload()))
    result = run("check")
    assert result.exit_code == 0, result.stderr
    assert not Path("pwned").exists()


def test_a_corrupted_cache_changes_no_result(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("build", "--out", "clean").exit_code == 0
    (path,) = cache_files()
    data = path.read_bytes()
    assert b"1 MiB (1,048,576 bytes)" in data
    path.write_bytes(data.replace(b"1 MiB (1,048,576 bytes)", b"9 MiB (1,048,576 bytes)"))
    new_process(monkeypatch)
    result = run("build", "--out", "cached")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert packages("cached") == packages("clean")


def test_a_cache_made_on_another_machine_changes_no_result(library: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache committed with the cards is well-formed but made elsewhere, by any code."""
    assert run("build", "--out", "clean").exit_code == 0
    for path in cache_files():
        path.unlink()
    with monkeypatch.context() as attacker:
        attacker.setenv("AWSDECK_CACHE_DIR", str(tmp_path / "attacker"))
        new_process(attacker)
        attacker.setattr(markdown, "_to_html", lambda text: '<img src="https://tracker.example/p.gif">')
        run("check")
    assert cache_files()
    new_process(monkeypatch)
    result = run("build", "--out", "planted")
    assert result.exit_code == 0, result.stderr
    assert packages("planted") == packages("clean")


def test_the_cache_still_skips_unchanged_files(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*args: object) -> None:
        raise AssertionError("an unchanged file was checked again")

    monkeypatch.setattr("awsdeck.library.load_card_file", never)
    result = run("check")
    assert result.exit_code == 0, result.stderr


def test_without_a_place_for_this_machine_key_nothing_is_cached(library: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "not-a-folder").write_text("")
    monkeypatch.setenv("AWSDECK_CACHE_DIR", str(tmp_path / "not-a-folder"))
    for path in cache_files():
        path.unlink()
    result = run("check")
    assert result.exit_code == 0, result.stderr
    assert cache_files() == []


def test_a_fifo_or_a_link_to_a_device_as_the_cache_does_not_hang(library: Path) -> None:
    (path,) = cache_files()
    path.unlink()
    os.mkfifo(path)
    assert awsdeck("check").returncode == 0
    path.unlink()
    path.symlink_to("/dev/zero")
    assert awsdeck("check", limit_memory=True).returncode == 0


# --- files that are not the library's own regular files ----------------------------------------

@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the library, like /proc/self/environ or /etc/passwd."""
    path = tmp_path / "environ"
    path.write_text(f"{SECRET}\nroot:x:0:0:root:/root:/bin/bash\n")
    return path


def test_a_ledger_linked_outside_the_library_is_not_read(library: Path, secret: Path) -> None:
    (library / "cards.lock").unlink()
    (library / "cards.lock").symlink_to(secret)
    result = run("check")
    assert result.exit_code == 1
    assert ("cards/cards.lock:1:1: error: cannot read the ledger: it links outside the card folder; "
            "replace the link by the file itself\n") in result.stderr
    assert "wJalrXUtnFEMI" not in result.output and "root:" not in result.output


@pytest.mark.parametrize("name", ["leak.yaml", "exam.yaml"])
def test_a_yaml_file_linked_outside_the_library_is_not_read(library: Path, secret: Path, name: str) -> None:
    (library / name).unlink(missing_ok=True)
    (library / name).symlink_to(secret)
    result = run("check")
    assert result.exit_code == 1
    assert (f"cards/{name}:1:1: error: cannot read file: it links outside the card folder; "
            "replace the link by the file itself\n") in result.stderr
    assert "wJalrXUtnFEMI" not in result.output and "root:" not in result.output


def test_a_link_to_proc_self_environ_is_not_read(library: Path) -> None:
    (library / "cards.lock").unlink()
    (library / "cards.lock").symlink_to("/proc/self/environ")
    result = run("check", "--format", "json")
    assert result.exit_code == 1
    assert "it links outside the card folder" in result.stdout
    assert f"PATH={os.environ['PATH']}" not in result.output


def test_a_malformed_ledger_line_is_shown_as_a_short_excerpt(library: Path) -> None:
    with (library / "cards.lock").open("a") as f:
        f.write(f"card {SECRET} {'x' * 500}\n")
    result = run("check")
    assert result.exit_code == 1
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("cards/cards.lock:11:1:")]
    assert "malformed ledger line 'card AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI…';" in line
    assert "K7MDENG" not in line and len(line) < 200


def test_a_fifo_named_yaml_is_refused_without_hanging(library: Path) -> None:
    os.mkfifo(library / "pipe.yaml")
    result = awsdeck("check")
    assert result.returncode == 1
    assert ("cards/pipe.yaml:1:1: error: cannot read file: it is a FIFO, not a regular file; "
            "replace it by a regular file\n") in result.stderr
    assert NO_TRACEBACK not in result.stderr


def test_a_fifo_as_ledger_or_exam_is_refused_without_hanging(library: Path) -> None:
    (library / "cards.lock").unlink()
    os.mkfifo(library / "cards.lock")
    result = awsdeck("check")
    assert result.returncode == 1
    assert "cards/cards.lock:1:1: error: cannot read the ledger: it is a FIFO, not a regular file" in result.stderr
    (library / "exam.yaml").unlink()
    os.mkfifo(library / "exam.yaml")
    result = awsdeck("check")
    assert result.returncode == 1
    assert "cards/exam.yaml:1:1: error: cannot read file: it is a FIFO, not a regular file" in result.stderr


def test_a_link_to_dev_zero_named_yaml_is_refused_without_exhausting_memory(library: Path) -> None:
    (library / "zero.yaml").symlink_to("/dev/zero")
    result = awsdeck("check", limit_memory=True)
    assert result.returncode == 1
    assert "cards/zero.yaml:1:1: error: cannot read file: it links outside the card folder" in result.stderr
    assert NO_TRACEBACK not in result.stderr


def test_an_oversized_card_file_is_refused_with_its_size_and_the_limit(library: Path) -> None:
    with (library / "huge.yaml").open("w") as f:
        f.write("# padding\n" * 600_000)
    result = run("check")
    assert result.exit_code == 1
    assert ("cards/huge.yaml:1:1: error: cannot read file: it is 6,000,000 bytes, over the limit of "
            "5,000,000 bytes; make it smaller or check that it is the right file\n") in result.stderr


def test_an_oversized_ledger_is_refused_with_its_size_and_the_limit(library: Path) -> None:
    with (library / "cards.lock").open("a") as f:
        f.write("#" * 5_000_000 + "\n")
    result = run("check")
    assert result.exit_code == 1
    assert "cards/cards.lock:1:1: error: cannot read the ledger: it is 5,000," in result.stderr
    assert "over the limit of 5,000,000 bytes" in result.stderr


def test_a_link_inside_the_library_is_read(library: Path) -> None:
    (library / "shared").mkdir()
    (library / "lambda.yaml").rename(library / "shared" / "lambda.yaml")
    (library / "lambda.yaml").symlink_to(Path("shared") / "lambda.yaml")
    result = run("check")
    assert result.exit_code == 0, result.stderr


# --- what reaches the terminal -----------------------------------------------------------------

def test_terminal_escapes_in_a_file_name_are_shown_escaped(library: Path) -> None:
    (library / "evil\x1b]2;owned\x07\x1b[2J.yaml").write_text("service: x\n")
    result = CliRunner().invoke(main, ["check"], color=True)  # as on a terminal: nothing stripped
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "cards/evil\\x1b]2;owned\\x07\\x1b[2J.yaml:1:1: error: " in result.stderr


def test_terminal_escapes_in_a_ledger_line_are_shown_escaped(library: Path) -> None:
    with (library / "cards.lock").open("a") as f:
        f.write("card \x1b[2J\x9b1m \r\n")
    result = CliRunner().invoke(main, ["check"], color=True)
    assert result.exit_code == 1
    assert not any(c in result.stderr for c in "\x1b\x9b\r")


# --- faults -------------------------------------------------------------------------------------

def test_a_symlink_loop_among_the_card_files_is_reported(library: Path) -> None:
    (library / "a.yaml").symlink_to("b.yaml")
    (library / "b.yaml").symlink_to("a.yaml")
    result = run("check")
    assert result.exit_code == 1
    for name in ("a", "b"):
        assert (f"cards/{name}.yaml:1:1: error: cannot read file: its symbolic links form a loop; "
                "replace the link by the file itself\n") in result.stderr
