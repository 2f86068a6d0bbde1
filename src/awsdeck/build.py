"""awsdeck build: render the checked library and write one .apkg per exam plus one per domain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .library import Library
from .package import DeckContent, extract_deck, plan_decks, replacing, write_apkg, write_collection
from .render import RenderedCard


@dataclass(frozen=True)
class BuildResult:
    decks: list[DeckContent]
    outputs: list[Path]


def build_library(library: Library, rendered: list[RenderedCard], out_dir: Path,
                  note_time: Callable[[RenderedCard], int], package_time: int) -> BuildResult:
    exam = library.exam
    positions = {card.card.id: i for i, card in enumerate(rendered, start=1)}
    decks = plan_decks(exam, rendered)
    stem = exam.code.lower()
    names = [f"{stem}.apkg"] + [f"{stem}-{deck.domain.key}.apkg" for deck in decks]
    with replacing(out_dir) as scratch_path:
        collection = scratch_path(f"{stem}.anki2", keep=False)
        write_collection(collection, exam, decks, positions, note_time, package_time)
        write_apkg(collection, scratch_path(names[0]))
        for deck, name in zip(decks, names[1:], strict=True):
            domain_collection = scratch_path(f"{stem}-{deck.domain.key}.anki2", keep=False)
            extract_deck(collection, domain_collection, exam, deck)
            write_apkg(domain_collection, scratch_path(name))
    return BuildResult(decks, [out_dir / name for name in names])
