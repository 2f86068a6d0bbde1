"""Shared fixtures: a small card library of the tests' own, and a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from awsdeck.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of tests/fixtures/library (5 cards: SQS and Lambda) as ./cards, cwd = tmp_path."""
    shutil.copytree(FIXTURES / "library", tmp_path / "cards")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "cards"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)
