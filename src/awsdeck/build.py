"""awsdeck build: render the checked library and write one .apkg per exam plus one per domain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .library import Library
from .package import DeckContent, plan_decks, replacing, write_package
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
    packages = [(f"{stem}.apkg", decks)] + [(f"{stem}-{deck.domain.key}.apkg", [deck]) for deck in decks]
    with replacing(out_dir) as scratch_path:
        for name, content in packages:
            write_package(scratch_path(name), exam, content, positions, note_time, package_time)
    return BuildResult(decks, [out_dir / name for name, _ in packages])
