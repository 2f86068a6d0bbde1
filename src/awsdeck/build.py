"""awsdeck build: render the checked library and write one .apkg per exam plus one per domain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .library import Library
from .package import OUTSIDE, DeckContent, extract_decks, plan_decks, replacing, write_apkg, write_collection
from .render import RenderedCard


@dataclass(frozen=True)
class BuildResult:
    decks: list[DeckContent]
    outputs: list[Path]


def build_library(library: Library, rendered: list[RenderedCard], out_dir: Path,
                  note_time: Callable[[RenderedCard], int], package_time: int) -> BuildResult:
    """The exam package holds every domain deck; each domain deck and the outside-guide
    deck also get a package of their own (the outside one is in no other package)."""
    exam = library.exam
    positions = {card.card.id: i for i, card in enumerate(rendered, start=1)}
    decks = plan_decks(exam, rendered)
    stem = exam.code.lower()
    packages = {f"{stem}.apkg": [deck for deck in decks if deck.key != OUTSIDE]}
    packages.update({f"{stem}-{deck.key}.apkg": [deck] for deck in decks})
    with replacing(out_dir) as scratch_path:
        collection = scratch_path(f"{stem}-all-decks.anki2", keep=False)
        write_collection(collection, exam, decks, positions, note_time, package_time)
        for name, content in packages.items():
            subset = scratch_path(name.removesuffix(".apkg") + ".anki2", keep=False)
            extract_decks(collection, subset, exam, content)
            write_apkg(subset, scratch_path(name))
    return BuildResult(decks, [out_dir / name for name in packages])
