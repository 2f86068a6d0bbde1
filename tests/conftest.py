"""Shared fixtures: a small card library of the tests' own, and a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from awsdeck import nameindex
from awsdeck.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
SOURCE = "    source: https://docs.aws.amazon.com/x.html\n"  # the key every test card needs


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of tests/fixtures/library (5 cards: SQS and Lambda) as ./cards, cwd = tmp_path."""
    shutil.copytree(FIXTURES / "library", tmp_path / "cards")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "cards"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a file, which must hold it."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(text)


def publish(library: Path, domains: dict[str, str], version: str = "2026.12.0") -> None:
    """Mark ids (id -> domain key) as shipped by a release, as `awsdeck release` does in cards.lock."""
    append(library / "cards.lock", "".join(f"published {card_id} {domain} {version}\n"
                                           for card_id, domain in domains.items()))


TINY_INDEX = {"operations": {"sqs": ["SendMessage"]}, "cli_commands": {"sqs": ["send-message"]},
              "errors": {"sqs": []}, "identifiers": {"sqs": []}, "service_names": {"sqs": ["SQS"]}, "cfn_types": [],
              "cfn_functions": []}


@pytest.fixture
def index_builds(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[int]]:
    """A tiny index built in place of botocore's, counted, cached under tmp_path."""
    builds: list[int] = []
    monkeypatch.setenv("AWSDECK_CACHE_DIR", str(tmp_path / "index-cache"))
    monkeypatch.setattr(nameindex, "available", lambda: True)
    monkeypatch.setattr(nameindex, "_build", lambda: builds.append(1) or TINY_INDEX)
    nameindex.load_index.cache_clear()
    yield builds
    nameindex.load_index.cache_clear()
