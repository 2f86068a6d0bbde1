"""Release check in the real Anki backend: does NEW upgrade OLD without costing history?

Needs the `anki` package (the test extra). Used by `awsdeck verify-upgrade` and the tests.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageRequest
from anki.scheduler_pb2 import CardAnswer

PERSONAL_TAG = "my::personal"
_PERSONAL_NOTES = 5


@dataclass(frozen=True)
class PackageNote:
    mod: int
    fields: str
    tags: frozenset[str]


@dataclass
class Package:
    notes: dict[str, PackageNote]
    models: dict[int, dict]


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def expect(self, condition: bool, failure: str) -> None:
        if not condition:
            self.failures.append(failure)


def read_package(path: Path) -> Package:
    """The notes (by GUID) and note types an .apkg holds, read straight from its SQLite file."""
    with tempfile.TemporaryDirectory() as scratch, zipfile.ZipFile(path) as archive:
        database = Path(archive.extract("collection.anki2", scratch))
        connection = sqlite3.connect(database)
        try:
            rows = connection.execute("SELECT guid, mod, flds, tags FROM notes").fetchall()
            (models_json,) = connection.execute("SELECT models FROM col").fetchone()
        finally:
            connection.close()
    notes = {guid: PackageNote(mod, flds, frozenset(tags.split())) for guid, mod, flds, tags in rows}
    return Package(notes, {int(k): v for k, v in json.loads(models_json).items()})


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


def verify_upgrade(old_path: Path, new_path: Path, reviews: int = 30) -> Report:
    report = Report()
    old, new = read_package(old_path), read_package(new_path)
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
            history = {cid: _card_state(col, cid) for cid in studied}
            report.lines.append(f"studied {len(studied)} cards with the scheduler")
            nid_of = {col.get_note(nid).guid: nid for nid in col.find_notes("")}
            tagged = [nid_of[g] for g in sorted(unchanged)[:_PERSONAL_NOTES]]
            for nid in tagged:
                note = col.get_note(nid)
                note.add_tag(PERSONAL_TAG)
                col.update_note(note)

            log = _import(col, new_path)
            guid_of = {nid: guid for guid, nid in nid_of.items()}
            updated = {guid_of.get(entry.id.nid, str(entry.id.nid)) for entry in log.updated}
            report.lines.append(f"NEW: {len(log.new)} new, {len(log.updated)} updated, {len(log.duplicate)} unchanged, "
                                f"{len(log.conflicting)} conflicting")
            report.expect(updated == edited, f"updated notes {sorted(updated)} are not exactly the edited notes "
                                              f"{sorted(edited)}")
            report.expect(len(log.new) == len(added), f"{len(log.new)} notes added, expected {len(added)}")
            report.expect(not log.conflicting, f"{len(log.conflicting)} notes conflicting (note type changed?)")
            _check_notetypes(col, new, report)
            _check_notes(col, new, edited, tagged, report)
            after = {cid: _card_state(col, cid) for cid in studied}
            lost = [cid for cid in studied if after[cid] != history[cid]]
            report.expect(not lost, f"{len(lost)} studied cards lost or changed their history")
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


def _check_notes(col: Collection, new: Package, edited: set[str], tagged: list[int], report: Report) -> None:
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        if note.guid in edited:
            report.expect("\x1f".join(note.fields) == new.notes[note.guid].fields,
                          f"edited text of note {note.guid} did not arrive")
            report.expect(set(note.tags) == set(new.notes[note.guid].tags),
                          f"edited tags of note {note.guid} did not arrive")
    kept = sum(PERSONAL_TAG in col.get_note(nid).tags for nid in tagged)
    report.expect(kept == len(tagged), f"personal tag kept on {kept} of {len(tagged)} unchanged notes")
    report.lines.append(f"personal tag kept on {kept} of {len(tagged)} unchanged notes")
