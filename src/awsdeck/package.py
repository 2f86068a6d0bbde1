"""Assemble rendered cards into Anki decks and write byte-reproducible .apkg files atomically."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import signal
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import genanki

from . import scratch
from .model import OUTSIDE, Domain, Exam
from .notetypes import NoteType, basic_notetype, cloze_notetype
from .render import RenderedCard

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_DEFAULT_DECK_ID = 1  # the "Default" deck every collection has
_IDS_PER_NOTE = 100  # a note's id, then its cards' ids (one per cloze deletion)
_SCRATCH = ".awsdeck-build-"
_HELD_SIGNALS = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)}


class TimedNote(genanki.Note):
    """A note that carries its own modification time and ids instead of the package's.

    Anki updates an existing note only when the package's note is strictly newer, so
    the modification time must change exactly when the card's content changes.
    """

    def __init__(self, *args: object, mtime: int, first_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.mtime = mtime
        self.first_id = first_id

    def write_to_db(self, cursor: sqlite3.Cursor, timestamp: float, deck_id: int, id_gen: Iterator[int]) -> None:
        super().write_to_db(cursor, self.mtime, deck_id, itertools.count(self.first_id))


@dataclass(frozen=True)
class DeckContent:
    key: str  # the domain key, or OUTSIDE: names the deck's own package
    name: str
    description: str
    cards: list[RenderedCard]


def genanki_model(notetype: NoteType) -> genanki.Model:
    return genanki.Model(
        notetype.id,
        notetype.name,
        fields=[{"name": name, "id": field_id} for name, field_id in zip(notetype.fields, notetype.field_ids(), strict=True)],
        templates=[{"name": notetype.template_name, "id": notetype.template_id,
                    "qfmt": notetype.front, "afmt": notetype.back}],
        css=notetype.css,
        model_type=genanki.Model.CLOZE if notetype.is_cloze else genanki.Model.FRONT_BACK,
        sort_field_index=0,
    )


def deck_id(name: str) -> int:
    """A stable deck id from the deck's name (Anki matches decks by name anyway)."""
    return (1 << 30) + int(hashlib.sha256(name.encode()).hexdigest()[:7], 16)


def guid(card_id: str) -> str:
    return genanki.guid_for("awsdeck", card_id)


def _domain_description(exam: Exam, domain: Domain) -> str:
    return f"{exam.title} ({exam.code}), domain {domain.number}: {domain.name} ({domain.weight} % of the exam)."


def plan_decks(exam: Exam, rendered: list[RenderedCard]) -> list[DeckContent]:
    """One deck per domain, in exam order, then the deck of the cards outside the exam guide."""
    decks = [DeckContent(d.key, exam.deck_name(d), _domain_description(exam, d), []) for d in exam.domains]
    decks.append(DeckContent(OUTSIDE, exam.outside_deck_name,
                             f"Optional: cards no task of the {exam.code} exam guide needs (services it does not list).",
                             []))
    by_name = {deck.name: deck for deck in decks}
    for card in rendered:
        by_name[card.deck].cards.append(card)
    return decks


def _genanki_deck(content: DeckContent, positions: dict[str, int],
                  note_time: Callable[[RenderedCard], int], package_time: int) -> genanki.Deck:
    deck = genanki.Deck(deck_id(content.name), content.name, content.description)
    models = {False: genanki_model(basic_notetype()), True: genanki_model(cloze_notetype())}
    for card in content.cards:
        position = positions[card.card.id]
        note = TimedNote(
            model=models[card.is_cloze],
            fields=list(card.fields),
            tags=list(card.tags),
            guid=guid(card.card.id),
            due=position,
            mtime=note_time(card),
            first_id=package_time * 1000 + position * _IDS_PER_NOTE,
        )
        deck.add_note(note)
    return deck


def write_collection(path: Path, exam: Exam, decks: list[DeckContent], positions: dict[str, int],
                     note_time: Callable[[RenderedCard], int], package_time: int) -> None:
    """Write the SQLite collection of all decks (with the parent deck) through genanki."""
    parent = genanki.Deck(deck_id(exam.deck), exam.deck, f"{exam.title} ({exam.code}): one subdeck per exam domain.")
    genanki_decks = [parent] + [_genanki_deck(d, positions, note_time, package_time) for d in decks]
    with _connect(path) as connection:
        genanki.Package(genanki_decks).write_to_db(connection.cursor(), package_time, itertools.count(package_time * 1000))


def extract_decks(collection: Path, path: Path, exam: Exam, decks: list[DeckContent]) -> None:
    """A collection holding only the given decks (under the parent deck), copied from the
    full one with SQL (far faster than writing the notes through genanki again)."""
    keep = [deck_id(deck.name) for deck in decks]
    with _connect(path) as connection:
        connection.execute("ATTACH DATABASE ? AS full", (str(collection),))
        for (statement,) in connection.execute("SELECT sql FROM full.sqlite_master WHERE sql IS NOT NULL "
                                               "ORDER BY rowid").fetchall():
            connection.execute(statement)
        connection.execute("INSERT INTO col SELECT * FROM full.col")
        marks = ", ".join("?" * len(keep))
        connection.execute(f"INSERT INTO cards SELECT * FROM full.cards WHERE did IN ({marks}) ORDER BY id", keep)
        connection.execute("INSERT INTO notes SELECT * FROM full.notes WHERE id IN (SELECT nid FROM cards) ORDER BY id")
        (decks_json,) = connection.execute("SELECT decks FROM col").fetchone()
        wanted = {str(_DEFAULT_DECK_ID), str(deck_id(exam.deck)), *map(str, keep)}
        decks = {key: value for key, value in json.loads(decks_json).items() if key in wanted}
        connection.execute("UPDATE col SET decks = ?", (json.dumps(decks),))


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection committed at the end; SQLite's errors (a full disk) become OSError."""
    try:
        connection = sqlite3.connect(path)
        try:
            yield connection
            connection.commit()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise OSError(str(exc)) from exc


def write_apkg(collection: Path, path: Path) -> None:
    _write_zip(path, {"collection.anki2": collection.read_bytes(), "media": b"{}"})


@contextmanager
def replacing(out_dir: Path, exclusive: bool = False) -> Iterator[Callable[..., Path]]:
    """Hands out scratch paths; on success puts the kept ones in out_dir as one set, on
    failure leaves out_dir untouched. First removes the scratch folders of killed builds.
    exclusive: the set replaces every file of out_dir (a release folder holds one release)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    scratch.remove_stale(out_dir, _SCRATCH)
    folder = Path(tempfile.mkdtemp(dir=out_dir, prefix=scratch.prefix(_SCRATCH)))
    try:
        names: list[str] = []

        def scratch_path(name: str, keep: bool = True) -> Path:
            if keep:
                names.append(name)
            return folder / name

        yield scratch_path
        others = [p.name for p in out_dir.iterdir() if exclusive and p.is_file() and p.name not in names
                  and not p.name.startswith(_SCRATCH)]
        _swap(folder, out_dir, names, others)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _swap(folder: Path, out_dir: Path, names: list[str], others: list[str]) -> None:
    """Move the new files over the old ones, and the other files away, as one set, as near
    to one step as a folder of separate files allows: a kill, Ctrl-C or hang-up waits until
    every file is in place, and when a move fails, the files already moved are put back."""
    previous = folder / "previous"
    previous.mkdir()
    for name in names + others:
        _keep_copy(out_dir / name, previous / name)
    moved: list[str] = []
    with _signals_held():
        try:
            for name in names:
                os.replace(folder / name, out_dir / name)
                moved.append(name)
            for name in others:
                (out_dir / name).unlink()
                moved.append(name)
        except BaseException:
            for name in moved:
                _put_back(previous / name, out_dir / name)
            raise


def _keep_copy(path: Path, copy: Path) -> None:
    """A second link to the file (a copy where the file system has no links), if it exists."""
    if not path.exists():
        return
    try:
        os.link(path, copy)
    except OSError:
        shutil.copy2(path, copy)


def _put_back(copy: Path, path: Path) -> None:
    if copy.exists():
        os.replace(copy, path)
    else:
        path.unlink(missing_ok=True)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Signals that would stop the process are delivered when the block ends, not inside it."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _write_zip(path: Path, entries: dict[str, bytes]) -> None:
    """A zip whose bytes depend only on the entries: fixed times, order and permissions."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
