"""The whole flow, in one direction: load → validate → render → compare with the ledger → write."""

from __future__ import annotations

import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import frozen, nameindex, schema
from .cache import WorkCache
from .duplicates import find_duplicates
from .ledger import LEDGER_FILE, Ledger, Retirement, digest, read_ledger, refresh, valid_time, write_ledger
from .library import Library, UsageError, display, load_library
from .model import OUTSIDE, Card
from .names import ALLOW_FILE, NameChecker, read_allow_list
from .notetypes import all_notetypes, basic_notetype, cloze_notetype, style
from .problems import Location, Problem, Severity, error, has_errors, warning
from .render import RenderedCard, render_card

if TYPE_CHECKING:
    from .build import BuildResult


@dataclass
class Checked:
    library: Library | None
    rendered: list[RenderedCard] = field(default_factory=list)
    ledger: Ledger | None = None
    problems: list[Problem] = field(default_factory=list)
    ledger_errors: list[Problem] = field(default_factory=list)  # what kept cards.lock from being read whole
    hashes: dict[str, str] = field(default_factory=dict)  # card id -> content hash, of every card read
    names_checked: int | None = None  # None when the verify extra (botocore, cfn-lint) is missing

    @property
    def ok(self) -> bool:
        return self.library is not None and not has_errors(self.problems)


def now() -> int:
    """The time stamped on changed cards: SOURCE_DATE_EPOCH when set, else the clock."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if not value:
        return int(time.time())
    stamp = valid_time(value)
    if stamp is None:
        raise UsageError("SOURCE_DATE_EPOCH must be a time in whole seconds between 2020 and now, such as "
                         f"$(git log -1 --format=%ct); got {value[:20]!r}")
    return stamp


def card_hashes(rendered: list[RenderedCard]) -> dict[str, str]:
    models = {False: basic_notetype().id, True: cloze_notetype().id}
    return {r.card.id: digest(models[r.is_cloze], r.deck, r.fields, r.tags) for r in rendered}


def notetype_hashes() -> dict[str, str]:
    return {str(notetype.id): digest(style(notetype)) for notetype in all_notetypes()}


def ledger_path(library: Library) -> Path:
    return library.directory / LEDGER_FILE


def check(paths: list[Path], cache: WorkCache | None = None,
          announce: Callable[[str], object] | None = None) -> Checked:
    """Validate the cards, the note types and the ledger; render what is valid. announce gets
    a line to show before slow work (building the AWS name index)."""
    library, problems = load_library(paths, cache)
    problems += frozen.schema_problems(frozen.SNAPSHOT, display(frozen.SNAPSHOT))
    if library is None:
        return Checked(None, problems=sorted(problems))
    problems += schema.stale_warnings(library.exam, library.directory)
    rendered = [render_card(card, library.exam) for card in library.cards]
    path = ledger_path(library)
    ledger, ledger_errors = read_ledger(path, display(path))
    problems += find_duplicates(library.cards, library.complete, ledger.cards if ledger else ())
    whole = not has_errors(problems)  # every card was read, so an id of the ledger in none is gone
    problems += ledger_errors
    hashes = card_hashes(rendered)
    if not ledger_errors:  # a ledger read in part would call the cards of its unread lines new
        problems += _ledger_problems(library, hashes, ledger, display(path), whole)
    name_problems, names_checked = _check_names(library, announce)
    problems += name_problems
    if cache:
        texts = {text for card in library.cards for text in card.markdown_fields().values()}
        cache.save(texts, library.complete)
    return Checked(library, rendered, ledger, sorted(problems), ledger_errors, hashes, names_checked)


def _check_names(library: Library, announce: Callable[[str], object] | None) -> tuple[list[Problem], int | None]:
    """Warnings on AWS names no model knows, and how many names were checked (None: not checked)."""
    if not nameindex.available():
        return [], None
    allow_file = library.directory / ALLOW_FILE
    allowed, problems = read_allow_list(library.directory, display(allow_file))
    where = Location(str(nameindex.cache_path()))
    try:
        index = nameindex.load_index(announce)
    except nameindex.IndexUnusable as exc:
        return problems + [warning(where, str(exc), "name")], None
    if index.note:
        problems.append(warning(where, index.note, "name"))
    checker = NameChecker(index, allowed)
    return problems + checker.check_cards(library.cards), checker.checked


def _ledger_problems(library: Library, hashes: dict[str, str], ledger: Ledger | None, where: str,
                     whole: bool) -> list[Problem]:
    """The cards, note types and ids that differ from the ledger. whole: every card of the
    library was read (no errors), so an id of the ledger in no card left the sources."""
    if ledger is None:
        return [error(Location(where), f"{LEDGER_FILE} is missing; run `awsdeck lock` to create it", "ledger")]
    problems = _stamp_problems(library.cards, hashes, ledger)
    for key, content in notetype_hashes().items():
        stamp = ledger.notetypes.get(key)
        if stamp is None or stamp.hash != content:
            problems.append(error(Location(where, stamp.line if stamp else 1),
                                  f"the CSS or templates of note type {key} changed since {LEDGER_FILE} was written; "
                                  "run `awsdeck lock` so the change reaches learners", "ledger"))
    if library.complete and whole:  # an id no card has is gone; one never released may go freely
        present = {card.id for card in library.cards}
        for card_id, publication in ledger.published.items():
            if card_id not in present and card_id in ledger.cards:
                problems.append(error(Location(where, ledger.cards[card_id].line), f"card '{card_id}' was published "
                                      f"in release {publication.version} but is in no card file; published ids are "
                                      "forever: restore the card (renaming an id loses learners' history), or retire "
                                      f"it with `awsdeck retire {card_id} --reason \"…\"`", "ledger"))
    return problems


def _moved(card: Card, ledger: Ledger) -> Problem | None:
    """A published card now in another deck than the one it shipped in: Anki never moves a
    learner's existing card, so learners would keep it in the old deck."""
    publication = ledger.published.get(card.id)
    if publication is None or publication.domain == card.deck_key:
        return None
    key = "outside_guide" if OUTSIDE in (publication.domain, card.deck_key) else "domain"
    where = card.field_locations.get(key, card.id_location)
    return error(where, f"card '{card.id}' was published in the '{publication.domain}' deck (release "
                 f"{publication.version}) and is now in the '{card.deck_key}' deck; Anki never moves learners' "
                 f"existing cards to another deck: keep it in '{publication.domain}', or delete it, add the card "
                 f"under a new id and run `awsdeck retire {card.id} --reason \"moved to {card.deck_key}\"`", "ledger")


def _stamp_problems(cards: list[Card], hashes: dict[str, str], ledger: Ledger) -> list[Problem]:
    """Reused retired ids, edited cards, published cards in another deck, and the new cards of
    each file in one problem; cards sharing an id are left to that error."""
    counts = Counter(card.id for card in cards)
    new: dict[str, list[Card]] = defaultdict(list)  # card file -> its new cards
    problems = []
    for card in cards:
        if counts[card.id] > 1:
            continue
        retired = ledger.retired.get(card.id)
        stamp = ledger.cards.get(card.id)
        if retired is not None:
            problems.append(error(card.id_location, f"id '{card.id}' was retired ({retired.reason}); ids are never "
                                  "reused, so give this card a new id", "ledger"))
        elif stamp is None:
            new[card.location.path].append(card)
        elif stamp.hash != hashes[card.id]:
            problems.append(error(card.id_location, f"card '{card.id}' changed since {LEDGER_FILE} was written; "
                                  "run `awsdeck lock` so the edit reaches learners", "ledger"))
        moved = _moved(card, ledger)
        if moved is not None:
            problems.append(moved)
    return problems + [_new_cards(file_cards) for file_cards in new.values()]


def _new_cards(cards: list[Card]) -> Problem:
    """One problem for the new cards of a file, at the first; the JSON output lists where each one is."""
    first, places = cards[0], tuple(card.id_location for card in cards)
    if len(cards) == 1:
        message = f"card '{first.id}' is new and not in {LEDGER_FILE}; run `awsdeck lock` to stamp it"
    else:
        message = (f"{len(cards)} new cards in this file are not in {LEDGER_FILE}, the first here ('{first.id}'); "
                   "run `awsdeck lock` to stamp them")
    return error(first.id_location, message, "ledger", places)


def lock(paths: list[Path], cache: WorkCache | None = None,
         announce: Callable[[str], object] | None = None) -> tuple[Checked, list[str], list[str]]:
    """Stamp every card and note type whose content changed, and drop the ids never released
    that no card has any more; returns what it stamped and what it dropped.

    Stops (checked.ledger None, the blocking problems in checked.problems) on errors in the
    cards or in lines of the ledger: rewriting it would drop what it could not read.
    """
    checked = check(paths, cache, announce)
    blocking = [p for p in checked.problems if p.severity is Severity.ERROR
                and (p.code != "ledger" or p in checked.ledger_errors)]
    if checked.library is None or blocking:
        checked.problems = blocking or checked.problems
        checked.ledger = None
        return checked, [], []
    ledger, changed, dropped = refresh(checked.ledger, checked.hashes, notetype_hashes(), now(),
                                       checked.library.complete)
    if changed or dropped or checked.ledger is None:
        problem = _write(checked.library, ledger)
        if problem is not None:
            checked.problems, checked.ledger = [problem], None
            return checked, [], []
    checked.ledger = ledger
    return checked, changed, dropped


def _write(library: Library, ledger: Ledger) -> Problem | None:
    """Write the ledger; a problem (and the old ledger unchanged) when the folder refuses it."""
    path = ledger_path(library)
    try:
        write_ledger(path, ledger)
    except OSError as exc:
        return error(Location(display(path)), f"cannot write {LEDGER_FILE}: {exc.strerror or exc}; "
                     f"make {display(library.directory)} writable and run it again", "io")
    return None


def retire(paths: list[Path], card_id: str, reason: str) -> list[Problem]:
    """Move an id that left the sources from the ledger's cards to its retired list."""
    library, problems = load_library(paths)
    if library is None:
        return problems
    path = ledger_path(library)
    where = Location(display(path))
    ledger, problems = read_ledger(path, display(path))
    if ledger is None or problems:
        return problems or [error(where, f"{LEDGER_FILE} is missing; run `awsdeck lock` first", "ledger")]
    card = next((c for c in library.cards if c.id == card_id), None)
    if card_id in ledger.retired:
        return [error(where, f"card '{card_id}' is already retired", "retire")]
    if card_id not in ledger.published and (card is not None or card_id in ledger.cards):
        return [error(card.id_location if card else where, f"card '{card_id}' was never released, so no learner has "
                      "it: just delete it from its file and run `awsdeck lock` (no retire needed)", "retire")]
    if card is not None:
        return [error(card.id_location, f"card '{card_id}' is still here; delete it from its file first, "
                      "then retire it", "retire")]
    if card_id not in ledger.cards:
        return [error(where, f"no card '{card_id}' in {LEDGER_FILE}; only published ids can be retired", "retire")]
    if not reason.strip() or not reason.isprintable():
        return [error(where, "give a one-line reason with --reason, without control characters", "retire")]
    del ledger.cards[card_id]
    ledger.retired[card_id] = Retirement(now(), reason.strip())
    problem = _write(library, ledger)
    return [problem] if problem else []


def build(checked: Checked, out_dir: Path) -> BuildResult:
    """Write the packages of a clean check, each note stamped with its ledger time."""
    from .build import build_library  # genanki is imported only when packages are written
    assert checked.ok and checked.library is not None
    return build_library(checked.library, checked.rendered, out_dir, *package_times(checked))


def package_times(checked: Checked) -> tuple[Callable[[RenderedCard], int], int]:
    """The time of each note (its ledger stamp) and of the package (the newest stamp): the
    build depends on the sources and the ledger only, so it is reproducible."""
    ledger = checked.ledger
    assert ledger is not None
    return (lambda card: ledger.cards[card.card.id].changed), ledger.newest()

