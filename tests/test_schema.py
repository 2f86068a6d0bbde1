"""The JSON Schemas shipped for editors agree with the checker."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from awsdeck.cardfile import CARD_KEYS, FILE_KEYS

ROOT = Path(__file__).parent.parent
CARDS_SCHEMA = json.loads((ROOT / "schema" / "cards.schema.json").read_text())
EXAM_SCHEMA = json.loads((ROOT / "schema" / "exam.schema.json").read_text())
LIBRARIES = [ROOT / "cards", ROOT / "tests" / "fixtures" / "library"]


def test_schema_knows_the_same_keys_as_the_checker() -> None:
    assert tuple(CARDS_SCHEMA["properties"]) == FILE_KEYS
    assert tuple(CARDS_SCHEMA["$defs"]["card"]["properties"]) == CARD_KEYS


@pytest.mark.parametrize("path", [p for d in LIBRARIES for p in sorted(d.glob("*.yaml"))], ids=lambda p: p.name)
def test_library_files_satisfy_the_schema(path: Path) -> None:
    schema = EXAM_SCHEMA if path.name == "exam.yaml" else CARDS_SCHEMA
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)


def test_schema_rejects_a_card_with_both_kinds() -> None:
    card = {"id": "sqs-x", "front": "a?", "back": "b", "cloze": "{{c1::c}}"}
    document = {"service": "Amazon SQS", "slug": "sqs", "domain": "development", "cards": [card]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, CARDS_SCHEMA)
