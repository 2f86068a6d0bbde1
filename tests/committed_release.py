"""The packages a repository commits in build/release/, against a fresh build of that release.

The release is the commit that last changed build/release/. Its tree is exported to a
folder of its own and built there as a learner would build it (`python -m awsdeck build`
with that commit's own code), so later commits, the working tree and the installed
awsdeck play no part.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

RELEASE = "build/release"


class NoRelease(Exception):
    """There is nothing to compare; the message says why (a reason to skip, not a pass)."""


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)


def release_commit(repo: Path) -> str:
    """The commit that last changed build/release/; NoRelease when there is none to be found."""
    try:
        inside = _git(repo, "rev-parse", "--is-inside-work-tree")
    except FileNotFoundError:
        raise NoRelease("git is not installed") from None
    if inside.returncode != 0:
        raise NoRelease(f"{repo} is not a git repository (no history to find the release in)")
    commit = _git(repo, "log", "-1", "--format=%H", "--", RELEASE).stdout.decode().strip()
    if not commit:
        raise NoRelease(f"no release committed yet: no commit changed {RELEASE}/")
    shallow = Path(_git(repo, "rev-parse", "--path-format=absolute", "--git-path", "shallow").stdout.decode().strip())
    if shallow.is_file() and commit in shallow.read_text().split():
        raise NoRelease(f"shallow clone: history ends at {commit[:12]}, so the commit that made the release is "
                        "unknown; fetch the full history (git fetch --unshallow)")
    return commit


def export(repo: Path, commit: str, folder: Path) -> Path:
    """The tree of the commit, written to folder."""
    archive = _git(repo, "archive", "--format=tar", commit)
    if archive.returncode != 0:
        raise NoRelease(f"cannot export {commit[:12]}: {archive.stderr.decode().strip()}")
    folder.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compare_release(repo: Path, workdir: Path) -> tuple[str, dict[str, str], dict[str, str]]:
    """(the release commit, sha256 of each committed package, sha256 of each package a fresh
    build of that commit makes)."""
    commit = release_commit(repo)
    tree = export(repo, commit, workdir / "release-tree")
    committed = {path.name: _sha256(path) for path in sorted((tree / RELEASE).glob("*.apkg"))}
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    result = subprocess.run([sys.executable, "-m", "awsdeck", "build"], cwd=tree, env=env, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, f"the build of release commit {commit[:12]} failed:\n{result.stderr}"
    built = {path.name: _sha256(path) for path in sorted((tree / "build").glob("*.apkg"))}
    return commit, committed, built
