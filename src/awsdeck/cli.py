"""The command line: parse options, call the pipeline, print, choose the exit code."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__, calver, cloze, pipeline
from .cache import CACHE_DIR, WorkCache
from .calver import Version
from .inputs import InputError, read_input
from .ledger import LEDGER_FILE
from .library import CARD_DIRECTORY, UsageError, find_project
from .problems import Problem, Severity, escape_controls, has_errors
from .render import RenderedCard

PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
FORMAT = click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]), default="text",
                      show_default=True, help="How to print problems: path:line:col lines, JSON, or GitHub "
                      "Actions annotations.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="awsdeck")
def main() -> None:
    """Compile YAML flashcards for an AWS exam into Anki decks.

    Run it anywhere in a project: with no PATHS, a command uses cards/ and build/ of the
    nearest folder, from the working directory up, that holds cards/exam.yaml.

    \b
    Example:
      awsdeck check            # validate cards/
      awsdeck lock             # stamp edited cards in cards/cards.lock
      awsdeck build            # write build/*.apkg
      awsdeck release 2027.01.0  # write build/release/, publish the ids, add to CHANGELOG.md
    """


def _project(paths: tuple[Path, ...]) -> Path:
    """The folder whose cards/ and build/ a command uses: the working directory when PATHS are
    given, else the nearest folder from here up that holds cards/exam.yaml."""
    if paths:
        return Path()
    try:
        return find_project()
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None


def _paths(paths: tuple[Path, ...]) -> list[Path]:
    return list(paths) or [_project(paths) / CARD_DIRECTORY]


def _cache(paths: tuple[Path, ...]) -> WorkCache:
    return WorkCache(_project(paths) / CACHE_DIR)


def _announce(line: str) -> None:
    click.echo(line, err=True)


def _report(problems: list[Problem], output_format: str = "text") -> None:
    if output_format == "json":
        click.echo(json.dumps([p.to_json() for p in problems], indent=2))
        return
    if output_format == "github":
        for problem in problems:
            click.echo(problem.to_github())
        return
    for problem in problems:
        click.echo(str(problem), err=True)


def _summary_line(problems: list[Problem]) -> str:
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def _check(paths: tuple[Path, ...], output_format: str) -> pipeline.Checked:
    announce = _announce if output_format == "text" else None
    try:
        return pipeline.check(_paths(paths), _cache(paths), announce)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None


@main.command()
@PATHS
@FORMAT
def check(paths: tuple[Path, ...], output_format: str) -> None:
    """Validate card files and report every problem as path:line:col.

    PATHS are card directories holding exam.yaml or single card files (default: cards/ of the
    nearest folder, from here up, that has cards/exam.yaml).
    Exit code 0: no errors (warnings allowed); 1: problems in the cards; 2: usage error.

    \b
    Example:
      awsdeck check
      awsdeck check cards/lambda.yaml --format json
      awsdeck check --format github     # annotations in a GitHub Actions job
    """
    checked = _check(paths, output_format)
    _report(checked.problems, output_format)
    if output_format != "json":  # annotations go to stdout, the summary to the log
        names = "" if checked.names_checked is None else f" and {checked.names_checked} AWS names"
        click.echo(f"checked {len(checked.rendered)} cards{names}: {_summary_line(checked.problems)}", err=True)
    sys.exit(1 if has_errors(checked.problems) else 0)


@main.command()
@PATHS
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Directory for the .apkg files.  [default: build/ of the project]")
@FORMAT
def build(paths: tuple[Path, ...], out_dir: Path | None, output_format: str) -> None:
    """Check the cards, then write the Anki packages.

    Writes OUT/<exam>.apkg (one parent deck, a subdeck per exam domain, e.g. dva-c03.apkg),
    OUT/<exam>-<domain>.apkg per domain, and OUT/<exam>-outside-guide.apkg with the cards
    no task of the exam guide needs (in no other package). Nothing is written when the
    check finds errors.

    \b
    Example:
      awsdeck build
      awsdeck build cards/ --out dist/
    """
    checked = _check(paths, output_format)
    _report(checked.problems, output_format)
    if not checked.ok:
        click.echo(f"build stopped, nothing written: {_summary_line(checked.problems)}", err=True)
        sys.exit(1)
    out_dir = out_dir or _project(paths) / "build"
    try:
        result = pipeline.build(checked, out_dir)
    except OSError as exc:
        click.echo(f"cannot write the decks: {exc}; earlier decks in {out_dir} are unchanged", err=True)
        sys.exit(1)
    for deck in result.decks:
        click.echo(f"{_notes_and_cards(deck.cards)}  {deck.name}")
    click.echo(f"{_notes_and_cards(checked.rendered)} in all; {_summary_line(checked.problems)}")
    retired = checked.ledger.retired if checked.ledger else {}
    if retired:
        click.echo(f"{len(retired)} retired card(s) stay in learners' collections until they delete them:")
        for card_id, retirement in sorted(retired.items()):
            click.echo(f"  {card_id}: {retirement.reason}")
    for path in result.outputs:
        click.echo(f"wrote {path}")


def _notes_and_cards(notes: list[RenderedCard]) -> str:
    """'   512 notes (640 cards)': Anki makes one card of a basic note and one per deletion number of a cloze."""
    cards = sum(len(cloze.numbers(note.fields[0])) if note.is_cloze else 1 for note in notes)
    return f"{len(notes):6d} note{'s' * (len(notes) != 1)} ({cards} card{'s' * (cards != 1)})"


@main.command()
@PATHS
def lock(paths: tuple[Path, ...]) -> None:
    """Stamp cards whose content changed in cards/cards.lock.

    Each card keeps the time its rendered content last changed; an edited card gets
    SOURCE_DATE_EPOCH (or the current time), so learners' Anki updates exactly the
    edited notes. The id of a card deleted or renamed before any release shipped it is
    dropped. Commit cards.lock with the cards.

    \b
    Example:
      awsdeck lock
      SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) awsdeck lock
    """
    try:
        checked, changed, dropped = pipeline.lock(_paths(paths), _cache(paths), _announce)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    if checked.ledger is None:
        _report(checked.problems)
        click.echo(f"lock stopped, {LEDGER_FILE} unchanged: {_summary_line(checked.problems)}", err=True)
        sys.exit(1)
    for card_id in dropped:
        click.echo(f"dropped {card_id} (in no card file, never released)")
    click.echo(f"stamped {len(changed)} changed entr{'y' if len(changed) == 1 else 'ies'}; "
               f"{len(checked.ledger.cards)} cards in the ledger")


@main.command()
@click.argument("card_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
def schema(card_dir: Path | None) -> None:
    """Write the JSON Schemas of the card files and exam.yaml, for editors and check-jsonschema.

    Generated from exam.yaml, so that they know its domains, tasks, topic tags and file
    slugs; written to schema/ beside CARD_DIR (default: cards/ of the nearest folder, from
    here up, that has cards/exam.yaml). Run it after editing exam.yaml: `awsdeck check`
    warns while the schemas are out of date.

    \b
    Example:
      awsdeck schema
    """
    from .library import display
    from .schema import regenerate

    try:
        written, problems = regenerate(_paths(() if card_dir is None else (card_dir,)))
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    _report(problems)
    if not written:
        click.echo(f"schema stopped, nothing written: {_summary_line(problems)}", err=True)
        sys.exit(1)
    for path in written:
        click.echo(f"wrote {display(path)}")


@main.command()
@click.argument("card_id")
@click.argument("card_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--reason", required=True, help="Why the card left the library (one line).")
@click.option("--cards", "old_cards_dir", hidden=True, type=click.Path(file_okay=False, path_type=Path))
def retire(card_id: str, card_dir: Path | None, reason: str, old_cards_dir: Path | None) -> None:
    """Retire the id of a card deleted from the sources, for good.

    Anki never deletes notes on import: learners keep the retired card until they
    delete it. The id is never used again. CARD_DIR is the card directory holding
    exam.yaml (default: cards/ of the nearest folder, from here up, that has cards/exam.yaml).

    \b
    Example:
      awsdeck retire sqs-old-limit --reason "merged into sqs-max-message-size"
      awsdeck retire sqs-old-limit --reason "merged into sqs-max-message-size" cards/
    """
    if old_cards_dir is not None:
        click.echo("--cards is deprecated; name the card directory after the id: "
                   "awsdeck retire ID --reason TEXT [CARD_DIR]", err=True)
    card_paths = _paths(tuple(p for p in (card_dir, old_cards_dir) if p is not None))
    try:
        problems = pipeline.retire(card_paths, card_id, reason)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    _report(problems)
    if has_errors(problems):
        sys.exit(1)
    click.echo(f"retired {card_id}")


def _version(_ctx: click.Context, _param: click.Parameter, value: str) -> Version:
    version = calver.parse(value)
    if version is None:
        raise click.BadParameter(f"'{value}' is not a version YYYY.MM.N, such as {calver.EXAMPLE} (the month with two "
                                 "digits, N counting that month's releases from 0)")
    return version


def _notes(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> str | None:
    if value is None:
        return None
    try:
        return read_input(value).decode("utf-8")
    except (OSError, InputError, UnicodeDecodeError) as exc:
        raise click.BadParameter(f"cannot read {value}: {exc}") from None


@main.command()
@click.argument("version", callback=_version)
@click.argument("card_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--notes", type=click.Path(dir_okay=False, path_type=Path), callback=_notes, metavar="FILE",
              help="Markdown put at the top of the release's changelog entry (say what learners of earlier decks "
                   "should do).")
def release(version: Version, card_dir: Path | None, notes: str | None) -> None:
    """Release the decks as VERSION (YYYY.MM.N): the packages learners download.

    Refuses unless `awsdeck check` finds nothing, not even a warning, and nothing changed
    since `awsdeck lock`. Then writes, beside CARD_DIR (default: cards/ of the nearest
    folder, from here up, that has cards/exam.yaml): build/release/ with the packages
    (exactly what `awsdeck build` makes), cards.json (every card at this release) and
    RELEASE (version, date, sha256 of each package); marks every id as published in
    cards.lock; and puts the release's entry (cards added, edited and retired since the
    previous release, counts per domain) on top of CHANGELOG.md. Commit them together.

    \b
    Example:
      awsdeck release 2026.12.0 --notes first-release.md
      awsdeck release 2027.01.0
    """
    from .library import display
    from .release import release as make_release

    card_paths = () if card_dir is None else (card_dir,)
    try:
        released = make_release(_paths(card_paths), version, notes, _cache(card_paths), _announce)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    except OSError as exc:
        click.echo(f"cannot write the release: {exc}; fix that and run `awsdeck release {version}` again, which "
                   "completes it", err=True)
        sys.exit(1)
    _report(released.problems)
    if released.problems:
        why = "" if has_errors(released.problems) else "; a release needs a check without warnings too"
        click.echo(f"release stopped, nothing written: {_summary_line(released.problems)}{why}", err=True)
        sys.exit(1)
    for deck in released.decks:
        click.echo(f"{_notes_and_cards(deck.cards)}  {deck.name}")
    changes = released.changes
    assert changes is not None
    summary = ("the first release" if changes.first else
               f"{len(changes.added)} added, {len(changes.edited)} edited, {len(changes.retired)} retired")
    click.echo(f"released {version}: {_notes_and_cards(released.checked.rendered).strip()}, {summary}; "
               f"{len(released.published)} id{'s' * (len(released.published) != 1)} published for the first time")
    for path in released.outputs:
        click.echo(f"wrote {display(path)}")
    click.echo("commit these files together")


def _deck_rename(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        old, separator, new = value.partition("=")
        if not separator or not old.strip() or not new.strip():
            raise click.BadParameter(f"'{value}' must be OLD_NAME=NEW_NAME")
        pairs.append((old.strip(), new.strip()))
    return pairs


@main.command("verify-upgrade")
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reviews", default=30, show_default=True, type=click.IntRange(min=0),
              help="How many cards to study before the upgrade.")
@click.option("--rename-deck", "renames", multiple=True, callback=_deck_rename, metavar="OLD_NAME=NEW_NAME",
              help="A deck rename the learner makes before importing NEW (repeatable).")
@click.option("--move-cards", is_flag=True,
              help="After the import, move cards the way the README tells learners (one search and "
                   "Change Deck per deck) before checking where they are.")
def verify_upgrade(old: Path, new: tuple[Path, ...], reviews: int, renames: list[tuple[str, str]],
                   move_cards: bool) -> None:
    """Check in real Anki that NEW upgrades OLD without costing review history.

    Imports OLD into a fresh collection, studies some cards, gives some notes a personal
    tag, a mark and a flag, applies the given deck renames, imports each NEW package with
    the desktop app's default options, and checks that exactly the edited notes update,
    new ones are added, history, flags and note types survive, edited text, tags and CSS
    arrive, and every card ends in the deck NEW puts it in, in one deck tree. Reports the
    notes whose personal tags the update replaced. Needs the `anki` package.

    \b
    Example:
      awsdeck verify-upgrade release-1/dva-c03.apkg build/dva-c03.apkg
      awsdeck verify-upgrade dva-c02.apkg build/dva-c03.apkg build/dva-c03-outside-guide.apkg \\
        --rename-deck "AWS Developer Associate (DVA-C02)=AWS Certified Developer – Associate" --move-cards
    """
    try:
        from .upgrade import PackageError
        from .upgrade import verify_upgrade as run_verification
    except ImportError as exc:
        raise click.UsageError(f"verify-upgrade needs the Anki backend ({exc}); pip install 'awsdeck[test]'") from None
    try:
        report = run_verification(old, list(new), reviews, renames, move_cards)
    except PackageError as exc:
        click.echo(escape_controls(str(exc)), err=True)
        sys.exit(1)
    for line in report.lines:
        click.echo(line)
    for failure in report.failures:
        click.echo(f"FAIL: {failure}", err=True)
    click.echo("upgrade is safe" if not report.failures else f"{len(report.failures)} problem(s)",
               err=bool(report.failures))
    sys.exit(1 if report.failures else 0)


def _load_for_reading(paths: tuple[Path, ...], command: str, output_format: str = "text") -> pipeline.Checked:
    """Check the cards for a read-only command: a stale ledger, a changed note type and warnings
    are reported but do not stop it; errors that keep cards from loading do (exit 1)."""
    checked = _check(paths, output_format)
    _report(checked.problems)
    blocking = [p for p in checked.problems if p.severity is Severity.ERROR and p.code not in ("ledger", "notetype")]
    if checked.library is None or blocking:
        click.echo(f"{command} stopped: fix the cards first ({_summary_line(checked.problems)})", err=True)
        sys.exit(1)
    return checked


@main.command()
@PATHS
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="A table for people, or JSON for tools.")
def stats(paths: tuple[Path, ...], output_format: str) -> None:
    """Count the cards by exam domain (share against the exam weight), service,
    task statement (listing those with no card), topic tag and kind, and how many cite a source.

    Runs even when cards/cards.lock is stale. Problems go to stderr; exit code 1 only
    when errors keep cards from loading.

    \b
    Example:
      awsdeck stats
      awsdeck stats --format json > stats.json
    """
    from .stats import compute, format_text

    checked = _load_for_reading(paths, "stats", output_format)
    assert checked.library is not None
    summary = compute(checked.library)
    if output_format == "json":
        click.echo(json.dumps(summary.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_text(summary))


@main.command()
@PATHS
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Directory for index.html.  [default: build/preview/ of the project]")
def preview(paths: tuple[Path, ...], out_dir: Path | None) -> None:
    """Write a self-contained HTML page showing every card as Anki shows it.

    Front and back of every card (one per cloze deletion), rendered with the decks' own
    templates and CSS, with filters by domain, service and topic, a search, a dark mode
    switch and charts of the coverage. Open OUT/index.html in any browser, also from a
    phone; it needs no network. Runs even when cards/cards.lock is stale.

    \b
    Example:
      awsdeck preview
      awsdeck preview cards/lambda.yaml --out /tmp/lambda-preview
    """
    from .preview import write_preview

    checked = _load_for_reading(paths, "preview")
    assert checked.library is not None
    out_dir = out_dir or _project(paths) / "build" / "preview"
    try:
        path = write_preview(checked.library, checked.rendered, out_dir)
    except OSError as exc:
        click.echo(f"cannot write the preview: {exc}", err=True)
        sys.exit(1)
    click.echo(f"wrote {path} ({len(checked.rendered)} cards); open {path.resolve().as_uri()}")
