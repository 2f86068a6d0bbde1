"""The README's study order is what Anki serves once the learner sets the gather order it
names; Anki's default gathers deck by deck, and a package cannot change that for them."""

from __future__ import annotations

from pathlib import Path

import pytest

from anki_import import import_package, open_collection
from conftest import run

PARENT = "AWS Certified Developer – Associate"
POSITION_LOWEST_FIRST = 1  # deck options → New cards → Gather order: "Ascending position"


@pytest.fixture
def collection(library: Path, tmp_path: Path):
    assert run("build").exit_code == 0
    col = open_collection(tmp_path / "anki")
    import_package(col, library.parent / "build" / "dva-c03.apkg")
    col.decks.select(col.decks.id_for_name(PARENT))
    yield col
    col.close()


def _new_cards(col) -> list[str]:
    queued = col.sched.get_queued_cards(fetch_limit=10).cards
    return [col.get_card(card.card.id).note()["Id"] for card in queued if card.queue == 0]


def test_default_options_serve_one_domain_deck_after_the_other(collection) -> None:
    # development first (sqs and lambda cards), then security, then troubleshooting
    assert _new_cards(collection)[:5] == ["sqs-max-message-size", "sqs-visibility-timeout-default",
                                          "lambda-invocation-types", "sqs-queue-policy", "lambda-max-timeout"]


def test_ascending_position_serves_the_study_order_across_domains(collection) -> None:
    config = collection.decks.config_dict_for_deck_id(collection.decks.id_for_name(PARENT))
    assert config["newGatherPriority"] == 0  # the package brought no options of its own
    config["newGatherPriority"] = POSITION_LOWEST_FIRST
    collection.decks.update_config(config)
    # study_order lists sqs before lambda: every sqs card first, whatever its domain deck
    assert _new_cards(collection)[:5] == ["sqs-max-message-size", "sqs-visibility-timeout-default",
                                          "sqs-queue-policy", "lambda-max-timeout", "lambda-invocation-types"]
