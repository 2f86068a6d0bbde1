"""CI runs exactly the test command the README gives to people, and the learner section points
to packages the repository holds."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Run the tests", 1)[1]
    command = re.search(r"```sh\n(.+?)\n```", section, re.S).group(1)
    assert command in (ROOT / ".ci" / "run").read_text()


def test_the_learner_section_names_released_packages_that_match_the_manifest() -> None:
    """Someone without Python downloads what "Get the decks" names: each file must be in
    build/release/ with the sha256 that build/release/RELEASE gives for it."""
    section = (ROOT / "README.md").read_text().split("## Get the decks", 1)[1].split("\n### Build from source", 1)[0]
    manifest = (ROOT / "build" / "release" / "RELEASE").read_text()
    sums = dict(line.split()[:0:-1] for line in manifest.splitlines() if line.startswith("sha256 "))
    named = set(re.findall(r"`(dva-c03[a-z-]*\.apkg)`", section))
    named |= set(re.findall(r"build/release/([\w.-]+\.apkg)", section))
    named |= {f"dva-c03-{domain}.apkg" for domain in re.findall(r"`-(\w+)`", section)}
    assert named == set(sums), (named, set(sums))
    for name, digest in sums.items():
        assert hashlib.sha256((ROOT / "build" / "release" / name).read_bytes()).hexdigest() == digest, name
