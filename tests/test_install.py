"""The README's build command works on every Python 3 from 3.11 on that this machine has
(Debian's python3 and any pyenv versions): a learner may have any of them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def _interpreters() -> dict[str, str]:
    """Minor version -> an interpreter of it, one per minor version from 3.11 on."""
    found: dict[str, str] = {}
    candidates = [sys.executable, *(shutil.which(f"python3.{minor}") or "" for minor in range(11, 20)),
                  *map(str, sorted(Path.home().glob(".pyenv/versions/3.*/bin/python3")))]
    for candidate in filter(None, candidates):
        try:
            version = subprocess.run([candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                     capture_output=True, text=True, timeout=30).stdout.strip()
        except OSError:
            continue
        if re.fullmatch(r"3\.(1[1-9])", version):
            found.setdefault(version, candidate)
    return dict(sorted(found.items()))


def _readme_build_command() -> str:
    section = (ROOT / "README.md").read_text().split("## Get the decks", 1)[1]
    return re.search(r"```sh\n(.+?)\n```", section, re.S).group(1)


@pytest.mark.parametrize("python", _interpreters().values(), ids=_interpreters().keys())
def test_readme_build_command(python: str, tmp_path: Path) -> None:
    project = tmp_path / "awsdeck"
    project.mkdir()
    for name in ("pyproject.toml", "README.md", "src", "cards"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, project / name, **({"ignore": shutil.ignore_patterns("*.egg-info", "__pycache__")}
                                           if (ROOT / name).is_dir() else {}))
    command = _readme_build_command()
    assert command.startswith("python3 -m venv .venv && ")
    result = subprocess.run(command.replace("python3", python, 1), shell=True, cwd=project,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert (project / "build" / "dva-c03.apkg").stat().st_size > 0
