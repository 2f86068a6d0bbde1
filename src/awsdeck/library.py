"""Find and load a card library: exam.yaml plus the card files, in study order."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .cache import WorkCache
from .cardfile import load_card_file
from .exam import EXAM_FILE, load_exam
from .model import Card, CardFile, Exam
from .problems import Location, Problem, error, warning

CARD_DIRECTORY = "cards"


class UsageError(Exception):
    """The command line names something that is not a card library (exit code 2)."""


@dataclass(frozen=True)
class Library:
    exam: Exam
    directory: Path
    files: tuple[CardFile, ...]
    complete: bool  # every card file of the directory was loaded, not just some named files

    @property
    def cards(self) -> list[Card]:
        return [card for card_file in self.files for card in card_file.cards]


def display(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def find_project() -> Path:
    """The nearest folder, from the working directory up, holding cards/exam.yaml (else just a
    cards/ folder, for resolve to say what it lacks): the project whose cards and build/ the
    commands use when no PATHS are given. Relative to the working directory, so that paths
    are shown from here."""
    try:
        here = Path.cwd()
    except OSError:
        raise UsageError("the working directory no longer exists; change to the project folder") from None
    folders = (here, *here.parents)
    found = next((f for f in folders if os.path.lexists(f / CARD_DIRECTORY / EXAM_FILE)), None)
    found = found or next((f for f in folders if (f / CARD_DIRECTORY).is_dir()), None)
    if found is not None:
        return Path(os.path.relpath(found, here))
    raise UsageError(f"no {CARD_DIRECTORY}/{EXAM_FILE} in this folder or any folder above it; run awsdeck inside "
                     "a card library, or name its card directory")


def resolve(paths: list[Path]) -> tuple[Path, list[Path], bool]:
    """The library directory (holding exam.yaml), the card files the paths name, and
    whether that is the whole directory."""
    directories: set[Path] = set()
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            directories.add(path.resolve())
            files += [p for p in sorted(path.glob("*.yaml")) if p.name != EXAM_FILE]
        elif os.path.lexists(path):  # the loader reports a file it must not read
            if path.name == EXAM_FILE:
                raise UsageError(f"{path} is the exam file, not a card file; pass its directory instead")
            directories.add(path.parent.resolve())
            files.append(path)
        else:
            raise UsageError(f"{path} does not exist")
    if len(directories) > 1:
        raise UsageError("all paths must belong to one card directory (the one holding exam.yaml)")
    directory = directories.pop()
    if not os.path.lexists(directory / EXAM_FILE):
        raise UsageError(f"no {EXAM_FILE} in {display(directory)}: a card directory describes its exam there")
    unique = {_identity(p): p for p in reversed(files)}
    return directory, list(reversed(unique.values())), any(path.is_dir() for path in paths)


def _identity(path: Path) -> Path:
    """The file a path names, to read it once even when named twice."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: the loader reports it
        return path.absolute()


def load_library(paths: list[Path], cache: WorkCache | None = None) -> tuple[Library | None, list[Problem]]:
    """The library (None when exam.yaml is unusable) and every problem found, sorted."""
    directory, card_paths, complete = resolve(paths)
    exam, problems = load_exam(directory / EXAM_FILE, display(directory / EXAM_FILE))
    if exam is None:
        return None, sorted(problems)
    exam_digest = hashlib.sha256(repr(exam).encode()).hexdigest()
    files: list[CardFile] = []
    for path in card_paths:
        shown = display(path)
        load = partial(load_card_file, path, shown, exam)
        card_file, found = cache.card_file(path, shown, exam_digest, load) if cache else load()
        problems += found
        if card_file is not None:
            files.append(card_file)
    files = _in_study_order(files, exam, problems)
    library = Library(exam, directory, tuple(files), complete)
    problems.sort()
    return library, problems


def _in_study_order(files: list[CardFile], exam: Exam, problems: list[Problem]) -> list[CardFile]:
    position = {slug: i for i, slug in enumerate(exam.study_order)}
    for card_file in files:
        if card_file.slug not in position:
            problems.append(
                warning(Location(card_file.path), f"'{card_file.slug}' is not in study_order of {EXAM_FILE}; "
                        "add it there (until then its cards are studied last)", "study-order")
            )
    slugs = [f.slug for f in files]
    for card_file in files:
        if slugs.count(card_file.slug) > 1:
            problems.append(error(Location(card_file.path), f"two card files have the slug '{card_file.slug}'", "slug"))
    return sorted(files, key=lambda f: (position.get(f.slug, len(position)), f.slug))
