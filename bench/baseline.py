"""The floor: plain genanki writing the same notes, fields already rendered.

Usage: python bench/baseline.py NOTES.json OUT.apkg
NOTES.json (written by bench/run.py, outside the timing) holds, per deck, the notes with
their final field HTML, tags and GUIDs, so this script does only what genanki must do.
"""

from __future__ import annotations

import json
import sys

import genanki

from awsdeck.notetypes import basic_notetype, cloze_notetype
from awsdeck.package import genanki_model


def main(notes_path: str, out_path: str) -> None:
    data = json.loads(open(notes_path, encoding="utf-8").read())
    models = {False: genanki_model(basic_notetype()), True: genanki_model(cloze_notetype())}
    decks = []
    for deck in data["decks"]:
        genanki_deck = genanki.Deck(deck["id"], deck["name"])
        for note in deck["notes"]:
            genanki_deck.add_note(genanki.Note(model=models[note["cloze"]], fields=note["fields"],
                                               tags=note["tags"], guid=note["guid"]))
        decks.append(genanki_deck)
    genanki.Package(decks).write_to_file(out_path, timestamp=data["timestamp"])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
