"""awsdeck release: the packages learners download, committed with what changed since the last release.

A release writes, beside the card directory: build/release/ (the packages, exactly as
`awsdeck build` makes them, the snapshot of every card and the RELEASE manifest), the
ledger's `published` lines, and the release's entry on top of CHANGELOG.md. It needs a
clean check: no error, no warning, and a ledger that `awsdeck lock` would not change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from . import calver, changelog, pipeline, scratch
from .build import write_packages
from .cache import WorkCache
from .calver import Version
from .changelog import CHANGELOG_FILE, Changes
from .inputs import InputError, read_input
from .ledger import LEDGER_FILE, write_ledger
from .library import Library, UsageError, display
from .package import DeckContent, replacing
from .problems import Location, Problem, error
from .snapshot import SNAPSHOT_FILE, CardState, card_states, read_snapshot, snapshot_text
from .stats import compute

RELEASE_DIR = Path("build") / "release"
MANIFEST_FILE = "RELEASE"
_TEMPORARY = ".CHANGELOG.md-awsdeck-"


@dataclass
class Released:
    checked: pipeline.Checked
    problems: list[Problem] = field(default_factory=list)  # why it refused (then it wrote nothing)
    decks: list[DeckContent] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)  # every file written
    changes: Changes | None = None
    published: list[str] = field(default_factory=list)  # the ids this release published first


def release(paths: list[Path], version: Version, notes: str | None, cache: WorkCache | None = None,
            announce: Callable[[str], object] | None = None) -> Released:
    """Release the library as version; notes is Markdown for the top of its changelog entry."""
    checked = pipeline.check(paths, cache, announce)
    if checked.library is None or checked.problems:
        return Released(checked, checked.problems)
    library, ledger = checked.library, checked.ledger
    assert ledger is not None
    if not library.complete:
        raise UsageError("a release takes the whole card directory, not single card files")
    folder = library.directory.parent / RELEASE_DIR  # beside the card directory, like CHANGELOG.md
    previous, problems = _previous_release(folder, ledger.latest_release(), version)
    problems += _stale_ids(library, checked)
    if problems:
        return Released(checked, problems)
    states = card_states(checked.rendered)
    changes = changelog.compare(previous, states, ledger.retired)
    date = datetime.fromtimestamp(pipeline.now(), timezone.utc).date().isoformat()
    entry = changelog.entry(version, date, compute(library), changes, notes)
    changelog_path = library.directory.parent / CHANGELOG_FILE
    try:
        text = read_input(changelog_path).decode("utf-8")
    except FileNotFoundError:
        text = None
    except (OSError, InputError, UnicodeDecodeError) as exc:
        return Released(checked, [error(Location(display(changelog_path)), f"cannot read {CHANGELOG_FILE}: {exc}; "
                                        "restore it from version control", "release")])
    # the ledger and the changelog first, build/release/ last, as it names the last release: a
    # release interrupted by an OSError (a full disk) completes when run again
    with replacing(folder, exclusive=True) as scratch_path:
        decks, names = write_packages(library, checked.rendered, scratch_path, *pipeline.package_times(checked))
        sums = {name: hashlib.sha256(scratch_path(name, keep=False).read_bytes()).hexdigest() for name in names}
        scratch_path(SNAPSHOT_FILE).write_text(snapshot_text(version, states), encoding="utf-8")
        scratch_path(MANIFEST_FILE).write_text(_manifest(version, date, len(states), sums), encoding="utf-8")
        published = ledger.publish({card_id: state.domain for card_id, state in states.items()}, version)
        write_ledger(pipeline.ledger_path(library), ledger)
        scratch.replace_text(changelog_path, changelog.with_entry(text, version, entry), _TEMPORARY)
    written = [folder / name for name in [*names, SNAPSHOT_FILE, MANIFEST_FILE]]
    return Released(checked, [], decks, [*written, pipeline.ledger_path(library), changelog_path], changes, published)


def _manifest(version: Version, date: str, cards: int, sums: dict[str, str]) -> str:
    lines = [f"version {version}", f"date {date}", f"cards {cards}"]
    lines += [f"sha256 {digest} {name}" for name, digest in sums.items()]
    return "\n".join(lines) + "\n"


def _release_version(folder: Path) -> tuple[Version | None, list[Problem]]:
    """The version in build/release/RELEASE (None when there is no release) and what is wrong with it."""
    path = folder / MANIFEST_FILE
    try:
        first = read_input(path).decode("utf-8").partition("\n")[0]
    except FileNotFoundError:
        return None, []
    except (OSError, InputError, UnicodeDecodeError) as exc:
        return None, [error(Location(display(path)), f"cannot read the release manifest: {exc}", "release")]
    version = calver.parse(first.removeprefix("version "))
    if not first.startswith("version ") or version is None:
        return None, [error(Location(display(path)), "the release manifest does not start with 'version YYYY.MM.N'; "
                            "restore build/release/ from version control", "release")]
    return version, []


def _previous_release(folder: Path, latest_published: Version | None,
                      version: Version) -> tuple[dict[str, CardState] | None, list[Problem]]:
    """The cards of the previous release (None for the first), or why this version cannot follow it."""
    last, problems = _release_version(folder)
    shown = display(folder / MANIFEST_FILE)
    snapshot_path = folder / SNAPSHOT_FILE
    previous, snapshot_problems = read_snapshot(snapshot_path, display(snapshot_path))
    problems += snapshot_problems
    if problems:
        return None, problems
    if (last is None) != (previous is None):
        return None, [error(Location(shown), f"build/release/ holds only one of {MANIFEST_FILE} and {SNAPSHOT_FILE}; "
                            "restore build/release/ from version control", "release")]
    if last is None and latest_published is not None:
        return None, [error(Location(shown), f"{LEDGER_FILE} lists ids published in release {latest_published}, but "
                            "build/release/ holds no release; restore build/release/ from version control", "release")]
    if last is not None and version <= last:
        return None, [error(Location(shown), f"version {version} is not newer than the last release, {last}; give a "
                            f"later version, such as {last.next()}", "release")]
    if latest_published is not None and version < latest_published:
        return None, [error(Location(shown), f"version {version} is older than release {latest_published}, which "
                            f"{LEDGER_FILE} names; give a later version", "release")]
    return previous, []


def _stale_ids(library: Library, checked: pipeline.Checked) -> list[Problem]:
    """Ids never released that no card has any more: the ledger must be what `awsdeck lock` writes."""
    assert checked.ledger is not None
    present = {card.id for card in library.cards}
    where = display(pipeline.ledger_path(library))
    return [error(Location(where, stamp.line), f"card '{card_id}' is in {LEDGER_FILE} but in no card file (never "
                  "released, so it may go); run `awsdeck lock` to drop it, then release", "release")
            for card_id, stamp in checked.ledger.cards.items()
            if card_id not in present and card_id not in checked.ledger.published]
