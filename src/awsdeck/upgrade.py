"""Release check in the real Anki backend: does NEW upgrade OLD without costing history?

Needs the `anki` package (the test extra). Used by `awsdeck verify-upgrade` and the tests.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageRequest
from anki.errors import BackendError
from anki.scheduler_pb2 import CardAnswer

PERSONAL_TAG = "my::personal"
MARKED = "marked"
PERSONAL = {PERSONAL_TAG, MARKED}
FLAG = 7  # purple
_PERSONAL_NOTES = 5  # unchanged and as many edited notes get a personal tag, a mark and a flag
# what a package may unpack to: a collection of 100,000 cards is a few hundred MB, and
# SQLite pages deflate about tenfold (a zip bomb: a thousandfold)
MAX_UNPACKED_BYTES = 2 << 30
MAX_RATIO = 100
_RATIO_FROM = 1 << 20  # small entries (media lists, empty files) may pack worse than they unpack
# the collection inside: current Anki writes collection.anki21b (zstd, a newer schema) and a
# dummy collection.anki2 telling old versions to update; older versions collection.anki21
_COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")


class PackageError(Exception):
    """A file that is not an Anki package, or one too large to unpack safely."""


@dataclass(frozen=True)
class PackageNote:
    mod: int
    fields: str
    tags: frozenset[str]
    deck: str  # where the package puts the note's cards


@dataclass
class Package:
    notes: dict[str, PackageNote]
    models: dict[int, dict]

    @property
    def newest(self) -> int:
        return max((note.mod for note in self.notes.values()), default=0)


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def expect(self, condition: bool, failure: str) -> None:
        if not condition:
            self.failures.append(failure)


def read_package(path: Path) -> Package:
    """The notes (by GUID) and note types an .apkg holds, as Anki reads them: imported into
    an empty collection, whichever collection format the package holds."""
    check_package(path)
    with tempfile.TemporaryDirectory() as scratch:
        col = Collection(str(Path(scratch) / "collection.anki2"))
        try:
            try:
                _import(col, path)
            except BackendError as exc:
                raise PackageError(f"{path}: not an Anki package: Anki cannot read it ({exc})") from None
            rows = col.db.all("SELECT n.guid, n.mod, n.flds, n.tags, n.mid, MIN(c.did) FROM notes n "
                              "JOIN cards c ON c.nid = n.id GROUP BY n.id")
            notes = {guid: PackageNote(mod, flds, frozenset(tags.split()), col.decks.name(did))
                     for guid, mod, flds, tags, _, did in rows}
            models = {mid: col.models.get(mid) for mid in sorted({row[4] for row in rows})}
        finally:
            col.close(downgrade=False)
    return Package(notes, models)


def check_package(path: Path) -> None:
    """Raise PackageError unless path is a zip holding an Anki collection that unpacks to a
    bounded size; reads every entry once, so a forged size or a damaged entry is caught."""
    try:
        if path.stat().st_size == 0:
            raise PackageError(f"{path}: not an Anki package: it is empty")
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if not any(entry.filename in _COLLECTIONS for entry in entries):
                raise PackageError(f"{path}: not an Anki package: it holds no collection.anki2")
            _check_sizes(path, entries)
            for entry in entries:
                with archive.open(entry) as member:
                    while member.read(1 << 20):
                        pass
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError):
        raise PackageError(f"{path}: not an Anki package: it is not a zip archive") from None
    except OSError as exc:
        raise PackageError(f"{path}: cannot read it: {exc.strerror or exc}") from None


def _check_sizes(path: Path, entries: list[zipfile.ZipInfo]) -> None:
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNPACKED_BYTES:
        raise PackageError(f"{path}: not an Anki package: it unpacks to {total:,} bytes, over the limit of "
                           f"{MAX_UNPACKED_BYTES:,} bytes")
    for entry in entries:
        if entry.file_size > _RATIO_FROM and entry.file_size > MAX_RATIO * entry.compress_size:
            ratio = entry.file_size / max(entry.compress_size, 1)
            raise PackageError(f"{path}: not an Anki package: {entry.filename} unpacks to {ratio:,.0f} times its "
                               f"packed size (at most {MAX_RATIO} times expected)")


def merged(packages: list[Package]) -> Package:
    """Several packages imported one after the other, seen as one."""
    return Package({guid: note for p in packages for guid, note in p.notes.items()},
                   {key: model for p in packages for key, model in p.models.items()})


def _import(col: Collection, path: Path):  # -> the import log
    options = col._backend.get_import_anki_package_presets()  # the desktop app's defaults
    log = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path.resolve()), options=options)).log
    col.models._clear_cache()  # Python's note type cache is stale after an import
    return log


def _card_state(col: Collection, cid: int) -> tuple:
    card = col.get_card(cid)
    revlog = col.db.all("SELECT id, ease, ivl, lastIvl, factor, type FROM revlog WHERE cid = ? ORDER BY id", cid)
    return card.reps, card.ivl, card.due, card.type, card.queue, card.lapses, tuple(map(tuple, revlog))


def _study(col: Collection, count: int) -> list[int]:
    """Answer the first new cards with the real scheduler, alternating Easy and Good."""
    studied = []
    for i, cid in enumerate(col.find_cards("is:new", order="c.due")[:count]):
        card = col.get_card(cid)
        card.start_timer()
        states = col._backend.get_scheduling_states(cid)
        rating = CardAnswer.EASY if i % 2 == 0 else CardAnswer.GOOD
        col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=rating))
        studied.append(cid)
    return studied


def _personalise(col: Collection, nids: list[int], edited_before: int) -> None:
    """What a learner does between two releases: a personal tag, a mark and a flag.

    The notes are dated just after OLD, as if touched before NEW was built: a note the
    learner touches after NEW's stamp is kept as it is by Anki (it is newer)."""
    for nid in nids:
        note = col.get_note(nid)
        note.add_tag(PERSONAL_TAG)
        note.add_tag(MARKED)
        col.update_note(note)
    col.set_user_flag_for_cards(FLAG, [cid for nid in nids for cid in col.card_ids_of_note(nid)])
    col.db.execute(f"UPDATE notes SET mod = ? WHERE id IN ({', '.join(map(str, nids))})", edited_before)


def _rename_decks(col: Collection, renames: list[tuple[str, str]], report: Report) -> None:
    for old_name, new_name in renames:
        deck_id = col.decks.id_for_name(old_name)
        if deck_id is None:
            report.failures.append(f"no deck '{old_name}' to rename")
            continue
        col.decks.rename(col.decks.get(deck_id), new_name)
        report.lines.append(f"renamed deck '{old_name}' to '{new_name}'")


def deck_searches(new: Package) -> dict[str, str]:
    """For each deck of NEW, the Anki search that finds its cards sitting in another deck:
    by the one tag all its notes carry and no note of another deck does."""
    tags_of: dict[str, set[str]] = {}
    for note in new.notes.values():
        tags_of.setdefault(note.deck, set(note.tags))
        tags_of[note.deck] &= note.tags
    searches = {}
    for deck, tags in tags_of.items():
        others = {tag for note in new.notes.values() if note.deck != deck for tag in note.tags}
        own = sorted(tags - others, key=lambda tag: (tag.count("::"), tag))
        if own:
            searches[deck] = f'"tag:{own[0]}" -"deck:{deck}"'
    return searches


def _misplaced(col: Collection, new: Package) -> Counter[tuple[str, str]]:
    """(deck a card is in, deck NEW puts it in) for every card not where NEW puts it."""
    found: Counter[tuple[str, str]] = Counter()
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        expected = new.notes.get(card.note().guid)
        if expected is not None and col.decks.name(card.did) != expected.deck:
            found[(col.decks.name(card.did), expected.deck)] += 1
    return found


def _move_cards(col: Collection, searches: dict[str, str], report: Report) -> None:
    """The learner's step after the import: each search, then Browse → Change Deck."""
    for deck, search in searches.items():
        cids = list(col.find_cards(search))
        if cids:
            col.set_deck(cids, col.decks.id(deck))
            report.lines.append(f"moved {len(cids)} cards found by {search} to '{deck}'")


def verify_upgrade(old_path: Path, new_paths: list[Path], reviews: int = 30,
                   renames: list[tuple[str, str]] | None = None, move_cards: bool = False) -> Report:
    """Import OLD, study and personalise it, follow the given steps (deck renames before,
    card moves after), import the NEW packages in order, and check what a learner keeps."""
    report = Report()
    old, new = read_package(old_path), merged([read_package(path) for path in new_paths])
    edited = {g for g in old.notes.keys() & new.notes.keys()
              if (old.notes[g].fields, old.notes[g].tags) != (new.notes[g].fields, new.notes[g].tags)}
    added = new.notes.keys() - old.notes.keys()
    unchanged = (old.notes.keys() & new.notes.keys()) - edited
    report.lines.append(f"packages: {len(edited)} edited, {len(added)} added, {len(unchanged)} unchanged notes, "
                        f"{len(old.notes.keys() - new.notes.keys())} only in OLD")
    for guid in sorted(edited):
        report.expect(new.notes[guid].mod > old.notes[guid].mod,
                      f"edited note {guid} is not newer in NEW (mtime {new.notes[guid].mod} <= "
                      f"{old.notes[guid].mod}): Anki would skip the edit")

    with tempfile.TemporaryDirectory() as scratch:
        col = Collection(str(Path(scratch) / "collection.anki2"))
        try:
            first = _import(col, old_path)
            report.lines.append(f"OLD: {len(first.new)} notes imported")
            studied = _study(col, reviews)
            report.lines.append(f"studied {len(studied)} cards with the scheduler")
            nid_of = {col.get_note(nid).guid: nid for nid in col.find_notes("")}
            sample = sorted(unchanged)[:_PERSONAL_NOTES] + sorted(edited)[:_PERSONAL_NOTES]
            personal = [nid_of[guid] for guid in sample]
            _personalise(col, personal, old.newest + 1)
            before = {cid: _card_state(col, cid) for cid in col.find_cards("")}
            revlog = col.db.scalar("SELECT count() FROM revlog")
            _rename_decks(col, renames or [], report)

            guid_of = {nid: guid for guid, nid in nid_of.items()}
            updated: set[str] = set()
            for path in new_paths:
                log = _import(col, path)
                updated |= {guid_of.get(entry.id.nid, str(entry.id.nid)) for entry in log.updated}
                report.lines.append(f"NEW {path.name}: {len(log.new)} new, {len(log.updated)} updated, "
                                    f"{len(log.duplicate)} unchanged, {len(log.conflicting)} conflicting")
                report.expect(not log.conflicting, f"{len(log.conflicting)} notes conflicting (note type changed?)")
            report.expect(updated == edited, f"updated notes {sorted(updated - edited)[:5]}… are not exactly the "
                                              f"edited notes ({len(updated)} updated, {len(edited)} edited)")
            report.expect(len(col.find_notes("")) == len(old.notes.keys() | added),
                          f"{len(col.find_notes('')) - len(old.notes)} notes added, expected {len(added)}")
            _check_notetypes(col, new, report)
            _check_notes(col, new, edited, report)
            _check_personal(col, personal, {nid_of[g] for g in edited}, report)

            searches = deck_searches(new)
            misplaced = _misplaced(col, new)
            report.lines.append(f"cards in another deck than NEW puts them in: {sum(misplaced.values())}")
            if misplaced and move_cards:
                _move_cards(col, searches, report)
                misplaced = _misplaced(col, new)
            for (current, expected), count in sorted(misplaced.items()):
                how = f"search {searches[expected]}, then Change Deck" if expected in searches else "move them"
                report.failures.append(f"{count} cards stay in '{current}' but NEW puts them in '{expected}' "
                                       f"(Anki never moves cards): {how}")
            _check_deck_tree(col, report)

            after = {cid: _card_state(col, cid) for cid in before}
            lost = [cid for cid in before if after[cid] != before[cid]]
            report.lines.append(f"history identical on {len(before) - len(lost)} of {len(before)} cards; "
                                f"review log {revlog} rows before, {col.db.scalar('SELECT count() FROM revlog')} after")
            report.expect(not lost, f"{len(lost)} cards lost or changed their history")
        finally:
            col.close(downgrade=False)
    return report


def _check_notetypes(col: Collection, new: Package, report: Report) -> None:
    names = [model["name"] for model in col.models.all()]
    report.expect(not any(name.endswith("+") for name in names), f"a note type was copied: {names}")
    for model_id, model in new.models.items():
        mine = col.models.get(model_id)
        if mine is None:
            report.failures.append(f"note type {model['name']} is missing after the import")
            continue
        report.expect(mine["css"] == model["css"], f"the CSS of {model['name']} did not arrive")
        report.expect([t["qfmt"] for t in mine["tmpls"]] == [t["qfmt"] for t in model["tmpls"]],
                      f"the templates of {model['name']} did not arrive")


def _check_notes(col: Collection, new: Package, edited: set[str], report: Report) -> None:
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        if note.guid in edited:
            report.expect("\x1f".join(note.fields) == new.notes[note.guid].fields,
                          f"edited text of note {note.guid} did not arrive")
            report.expect(set(note.tags) - PERSONAL == set(new.notes[note.guid].tags),
                          f"edited tags of note {note.guid} did not arrive")


def _check_personal(col: Collection, personal: list[int], updated: set[int], report: Report) -> None:
    """Anki replaces an updated note's tags (personal tags and `marked` too); flags live on cards."""
    kept = [nid for nid in personal if nid not in updated]
    replaced = [nid for nid in personal if nid in updated]
    kept_tags = sum(PERSONAL <= set(col.get_note(nid).tags) for nid in kept)
    lost_tags = sum(not PERSONAL & set(col.get_note(nid).tags) for nid in replaced)
    report.lines.append(f"personal tag and mark kept on {kept_tags} of {len(kept)} unchanged notes; "
                        f"replaced on {lost_tags} of {len(replaced)} updated notes (Anki replaces an updated "
                        "note's tags)")
    report.expect(kept_tags == len(kept), f"personal tags lost on {len(kept) - kept_tags} unchanged notes")
    cards = [cid for nid in personal for cid in col.card_ids_of_note(nid)]
    flagged = sum(col.get_card(cid).user_flag() == FLAG for cid in cards)
    report.lines.append(f"flags kept on {flagged} of {len(cards)} cards")
    report.expect(flagged == len(cards), f"flags lost on {len(cards) - flagged} cards")


def _check_deck_tree(col: Collection, report: Report) -> None:
    trees = sorted({col.decks.name(col.get_card(cid).did).split("::")[0] for cid in col.find_cards("")})
    report.lines.append(f"deck trees holding cards: {', '.join(trees)}")
    report.expect(len(trees) <= 1, f"cards are spread over {len(trees)} deck trees: {trees}")
