"""awsdeck build: render the checked library and write one .apkg per exam plus one per domain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .library import Library
from .model import OUTSIDE
from .package import DeckContent, extract_decks, plan_decks, replacing, write_apkg, write_collection
from .render import RenderedCard


@dataclass(frozen=True)
class BuildResult:
    decks: list[DeckContent]
    outputs: list[Path]


def build_library(library: Library, rendered: list[RenderedCard], out_dir: Path,
                  note_time: Callable[[RenderedCard], int], package_time: int) -> BuildResult:
    """Write the packages to out_dir, replacing the earlier ones as one set."""
    with replacing(out_dir) as scratch_path:
        decks, names = write_packages(library, rendered, scratch_path, note_time, package_time)
    return BuildResult(decks, [out_dir / name for name in names])


def write_packages(library: Library, rendered: list[RenderedCard], scratch_path: Callable[..., Path],
                   note_time: Callable[[RenderedCard], int], package_time: int) -> tuple[list[DeckContent], list[str]]:
    """The decks and the names of the packages written to the scratch paths of `replacing`.

    The exam package holds every domain deck; each domain deck and the outside-guide deck
    also get a package of their own (the outside one is in no other package)."""
    exam = library.exam
    positions = {card.card.id: i for i, card in enumerate(rendered, start=1)}
    decks = plan_decks(exam, rendered)
    stem = exam.code.lower()
    packages = {f"{stem}.apkg": [deck for deck in decks if deck.key != OUTSIDE]}
    packages.update({f"{stem}-{deck.key}.apkg": [deck] for deck in decks})
    collection = scratch_path(f"{stem}-all-decks.anki2", keep=False)
    write_collection(collection, exam, decks, positions, note_time, package_time)
    for name, content in packages.items():
        subset = scratch_path(name.removesuffix(".apkg") + ".anki2", keep=False)
        extract_decks(collection, subset, exam, content)
        write_apkg(subset, scratch_path(name))
    return decks, list(packages)
