"""The command line: parse options, call the pipeline, print, choose the exit code."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .build import build_library, render_library
from .library import UsageError, load_library
from .problems import Problem, Severity, has_errors

PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
FORMAT = click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
                      help="How to print problems.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="awsdeck")
def main() -> None:
    """Compile YAML flashcards for an AWS exam into Anki decks.

    \b
    Example:
      awsdeck check            # validate cards/
      awsdeck build            # write build/*.apkg
    """


def source_date_epoch() -> int:
    return int(os.environ.get("SOURCE_DATE_EPOCH", "1764374400"))


def _paths(paths: tuple[Path, ...]) -> list[Path]:
    return list(paths) or [Path("cards")]


def _report(problems: list[Problem], output_format: str) -> None:
    if output_format == "json":
        click.echo(json.dumps([p.to_json() for p in problems], indent=2))
        return
    for problem in problems:
        click.echo(str(problem), err=True)


def _summary_line(problems: list[Problem]) -> str:
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


@main.command()
@PATHS
@FORMAT
def check(paths: tuple[Path, ...], output_format: str) -> None:
    """Validate card files and report every problem as path:line:col.

    PATHS are card directories holding exam.yaml (default: cards/) or single card files.
    Exit code 0: no errors (warnings allowed); 1: problems in the cards; 2: usage error.

    \b
    Example:
      awsdeck check
      awsdeck check cards/lambda.yaml --format json
    """
    try:
        library, problems = load_library(_paths(paths))
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    _report(problems, output_format)
    if output_format == "text":
        cards = len(library.cards) if library else 0
        click.echo(f"checked {cards} cards: {_summary_line(problems)}", err=True)
    sys.exit(1 if has_errors(problems) else 0)


@main.command()
@PATHS
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Directory for the .apkg files.")
@FORMAT
def build(paths: tuple[Path, ...], out_dir: Path, output_format: str) -> None:
    """Check the cards, then write the Anki packages.

    Writes OUT/<exam>.apkg (one parent deck, a subdeck per exam domain) and
    OUT/<exam>-<domain>.apkg per domain. Nothing is written when the check finds errors.

    \b
    Example:
      awsdeck build
      awsdeck build cards/ --out dist/
    """
    try:
        library, problems = load_library(_paths(paths))
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    _report(problems, output_format)
    if library is None or has_errors(problems):
        click.echo(f"build stopped, nothing written: {_summary_line(problems)}", err=True)
        sys.exit(1)
    rendered = render_library(library)
    fixed = source_date_epoch()
    try:
        result = build_library(library, rendered, out_dir, lambda _card: fixed, fixed)
    except OSError as exc:
        click.echo(f"cannot write the decks: {exc}; earlier decks in {out_dir} are unchanged", err=True)
        sys.exit(1)
    for deck in result.decks:
        click.echo(f"{len(deck.cards):6d} cards  {deck.name}")
    click.echo(f"{len(rendered):6d} cards in all; {_summary_line(problems)}")
    for path in result.outputs:
        click.echo(f"wrote {path}")
