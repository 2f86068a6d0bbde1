"""Whatever a file holds, loading it yields reported problems, never an exception."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awsdeck.cardfile import load_card_file
from awsdeck.exam import load_exam

FIXTURES = Path(__file__).parent / "fixtures" / "library"
EXAM, _ = load_exam(FIXTURES / "exam.yaml", "exam.yaml")

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40))
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(["service", "slug", "domain", "cards", "id", "front", "back", "cloze",
                                         "extra", "task", "tags", "source", "similar_to"]) | st.text(max_size=8),
                        children, max_size=6),
    ),
    max_leaves=30,
)
card_like = st.fixed_dictionaries(
    {"service": scalars, "slug": st.just("sqs"), "domain": st.sampled_from(["development", "nope", 3]),
     "cards": st.lists(st.dictionaries(st.sampled_from(["id", "front", "back", "cloze", "task", "tags", "source"]),
                                       st.one_of(scalars, st.lists(scalars, max_size=3)), max_size=7), max_size=4)}
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _load(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "sqs.yaml"
    path.write_bytes(data)
    card_file, problems = load_card_file(path, "sqs.yaml", EXAM)
    assert card_file is not None or problems
    for problem in problems:
        assert problem.location.line >= 1 and problem.location.col >= 1


@SETTINGS
@given(text=st.text())
def test_arbitrary_text(tmp_path: Path, text: str) -> None:
    _load(tmp_path, text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(data=st.binary(max_size=200))
def test_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    _load(tmp_path, data)


@SETTINGS
@given(document=documents)
def test_arbitrary_yaml_documents(tmp_path: Path, document: object) -> None:
    _load(tmp_path, yaml.safe_dump(document, allow_unicode=True).encode())


@SETTINGS
@given(document=card_like)
def test_card_shaped_documents(tmp_path: Path, document: object) -> None:
    _load(tmp_path, yaml.safe_dump(document, allow_unicode=True).encode())
