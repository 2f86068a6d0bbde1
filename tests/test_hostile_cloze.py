"""Cloze and Markdown that Anki would read differently from us, or that would load or run
something on a learner's device: rendered so the real Anki backend agrees, or rejected by check."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from anki.collection import Collection
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from awsdeck.cardfile import load_card_file
from awsdeck.exam import load_exam
from awsdeck.markdown import to_html
from awsdeck.model import Card
from awsdeck.notetypes import CLOZE_FIELDS, CLOZE_MODEL_ID
from awsdeck.preview import faces
from awsdeck.render import render_card

from anki_import import import_package, open_collection
from conftest import FIXTURES, SOURCE, run

EXAM, _ = load_exam(FIXTURES / "library" / "exam.yaml", "exam.yaml")
HEADER = "service: Amazon SQS\nslug: sqs\ndomain: development\ncards:\n"


def _cloze_card(text: str) -> str:
    document = {"service": "Amazon SQS", "slug": "sqs", "domain": "development",
                "cards": [{"id": "sqs-x", "cloze": text, "task": "1.1",
                           "source": "https://docs.aws.amazon.com/x.html"}]}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def _check(library: Path, text: str) -> list[str]:
    """The error lines `awsdeck check` prints for an SQS file holding this text (exit 1 when any)."""
    (library / "sqs.yaml").write_text(text, encoding="utf-8")
    result = run("check")
    lines = [line for line in result.stderr.splitlines()
             if line.startswith("cards/sqs.yaml") and "cards.lock" not in line]
    assert "Traceback" not in result.output
    assert result.exit_code == 1 or not lines, result.output
    return lines


CARD = "  - id: sqs-x\n    front: What?\n    back: "
CLOZE = "  - id: sqs-x\n    cloze: "
TASK = "\n    task: \"1.1\"\n" + SOURCE


@pytest.mark.parametrize("cloze, message", [
    ("\"{{c70000::x}}\"", "6:12: error: cloze '{{c70000::' is numbered above 500: Anki makes cards for c1 to c500 "
                          "only; number the deletions from c1"),
    ("\"{{c1::a}} {{c501::b}}\"", "6:12: error: cloze '{{c501::' is numbered above 500: Anki makes cards for c1 to "
                                  "c500 only; number the deletions from c1"),
    ("\"{{c1::AWS::Lambda::Function}}\"",
     "6:12: error: cloze '{{c1::' holds a second '::': Anki reads the answer 'AWS' and the hint 'Lambda::Function'; "
     "keep '::' out of the answer and the hint (delete a part without it)"),
    ("\"The bucket is {{c1::arn:aws:s3:::bucket}}.\"",
     "6:12: error: cloze '{{c1::' holds a second '::': Anki reads the answer 'arn:aws:s3' and the hint ':bucket'; "
     "keep '::' out of the answer and the hint (delete a part without it)"),
    ("\"{{c1::x::}}\"", "6:12: error: cloze '{{c1::' has an empty hint; remove the '::' after the answer"),
    ("\"Write {{c1::`a}}b`}} here.\"",
     "6:12: error: cloze '{{c1::' and `code` overlap: Anki ends a deletion at the first '}}', even inside code; keep "
     "the code wholly inside or outside the deletion, and '}}' out of deletions"),
    ("\"Both {{c1::*one}} and {{c2::two*}}.\"",
     "6:12: error: cloze '{{c1::' and *emphasis* overlap: start and end the '*' or '**' inside the deletion, or "
     "around it"),
    ("\"Both *{{c1::one}} and {{c2::two*}}.\"",
     "6:12: error: cloze '{{c2::' and *emphasis* overlap: start and end the '*' or '**' inside the deletion, or "
     "around it"),
    ("\"{{c1::one\\n\\ntwo}}\"",
     "6:12: error: cloze '{{c1::' spans two paragraphs, list items or table cells; a deletion must stay within one"),
    ("\"See [the guide](https://docs.aws.amazon.com/{{c1::sqs}}/).\"",
     "6:12: error: cloze '{{c1::' is inside a link's address, where Anki cannot use it; put the deletion in the "
     "link text instead: [{{c1::…}}](https://…)"),
    ("\"See [the guide](https://docs.aws.amazon.com/ \\\"{{c1::title}}\\\").\"",
     "6:12: error: cloze '{{c1::' is inside a link's address, where Anki cannot use it; put the deletion in the "
     "link text instead: [{{c1::…}}](https://…)"),
])
def test_cloze_anki_reads_differently_is_rejected(library: Path, cloze: str, message: str) -> None:
    assert _check(library, HEADER + CLOZE + cloze + TASK) == [f"cards/sqs.yaml:{message}"]


@pytest.mark.parametrize("back, message", [
    ("\"![pixel](https://tracker.example.com/p.gif)\"",
     "7:11: error: image 'https://tracker.example.com/p.gif' in 'back': cards show no images (a remote one loads on "
     "every review, a local one is not in the deck); describe it in words"),
    ("\"![x](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB)\"",
     "7:11: error: image 'data:image/png;base64,iVBORw0KGgoAAAANSU…' in 'back': cards show no images (a remote one loads on "
     "every review, a local one is not in the deck); describe it in words"),
    ("\"![x](collection.media/secret.jpg)\"",
     "7:11: error: image 'collection.media/secret.jpg' in 'back': cards show no images (a remote one loads on "
     "every review, a local one is not in the deck); describe it in words"),
    ("\"[open](my-notes.html)\"",
     "7:11: error: link 'my-notes.html' in 'back' must be an https://, http:// or mailto: address"),
    ("\"[open](ftp://example.com/x)\"",
     "7:11: error: link 'ftp://example.com/x' in 'back' must be an https://, http:// or mailto: address"),
    ("\"[more][1]\\n\\n[1]: anki://x\"",
     "7:11: error: link 'anki://x' in 'back' must be an https://, http:// or mailto: address"),
    ("\"\\\\\\\\(\\\\href{https://example.com}{x}\\\\\\\\)\"",
     "7:11: error: MathJax '\\href' in 'back' adds links or HTML to the card; remove it (a link belongs in "
     "Markdown: [text](https://…))"),
    ("\"[x](javascript:alert(1))\"",
     "7:11: error: 'javascript:' in 'back': cards run no scripts; remove it"),
])
def test_images_scripts_and_odd_links_are_rejected(library: Path, back: str, message: str) -> None:
    assert _check(library, HEADER + CARD + back + TASK) == [f"cards/sqs.yaml:{message}"]


def test_mathjax_href_to_a_script_is_rejected(library: Path) -> None:
    found = _check(library, HEADER + CARD + "'\\\\(\\href{javascript:alert(1)}{click}\\\\)'" + TASK)
    assert found == [
        "cards/sqs.yaml:7:11: error: 'javascript:' in 'back': cards run no scripts; remove it",
        "cards/sqs.yaml:7:11: error: MathJax '\\href' in 'back' adds links or HTML to the card; remove it (a link "
        "belongs in Markdown: [text](https://…))",
    ]


def test_safe_links_code_and_clozes_pass(library: Path) -> None:
    fine = (HEADER + CARD + "\"[docs](https://docs.aws.amazon.com/) <https://aws.amazon.com> [mail](mailto:a@b.co) "
            "`arn:aws:s3:::bucket` `{{c1::x}}`\"" + TASK +
            "  - id: sqs-y\n    cloze: \"*{{c1::`Lambda`}}* runs it, "
            "[{{c2::the bucket}}](https://e.com) `arn:aws:s3:::{{c3::bucket}}` and {{c500::**bold** `code`::a hint}}\"" + TASK)
    assert _check(library, fine) == []


def test_code_in_a_link_label_does_not_crash_the_parser(library: Path) -> None:
    assert _check(library, HEADER + CARD + "\"See a [`` b or [`c`](https://e.com).\"" + TASK) == []
    assert to_html("See a [`` b or [`c`](https://e.com).") == 'See a [`` b or <a href="https://e.com"><code>c</code></a>.'


def test_a_fenced_deletion_is_not_highlighted_away() -> None:
    rendered = to_html("```python\nx = {{c1::'a'}}\n```")
    assert rendered == "<pre class=\"highlight\"><code>x = {{c1::&#x27;a&#x27;}}\n</code></pre>"
    assert to_html("```python\nx = 1\n```").startswith('<pre class="highlight"><code><span class="n">x</span>')


# --- agreement with the real Anki renderer ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Collection]:
    """A collection holding the decks of the fixture library, so it has our note types."""
    root = tmp_path_factory.mktemp("anki")
    shutil.copytree(FIXTURES / "library", root / "cards")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        assert run("lock").exit_code == 0 and run("build").exit_code == 0
    col = open_collection(root / "collection")
    import_package(col, root / "build" / "dva-c03.apkg")
    yield col
    col.close()


def _agree(col: Collection, card: Card) -> None:
    """Our preview of every card of the note equals what Anki makes of the built fields."""
    rendered = render_card(card, EXAM)
    note = col.new_note(col.models.get(CLOZE_MODEL_ID))
    for name, value in zip(CLOZE_FIELDS, rendered.fields, strict=True):
        note[name] = value
    col.add_note(note, col.decks.id("Default"))
    anki_cards = note.cards()
    ours = faces(rendered)
    assert [c.ord + 1 for c in anki_cards] == [face.ordinal for face in ours]
    for anki_card, face in zip(anki_cards, ours, strict=True):
        output = anki_card.render_output(reload=True)
        assert (face.front, face.back) == (output.question_text, output.answer_text)
    col.remove_notes([note.id])


def _load(tmp_path: Path, text: str) -> Card | None:
    """The card check accepts for this cloze text, or None when check rejects it."""
    path = tmp_path / "sqs.yaml"
    path.write_text(_cloze_card(text), encoding="utf-8")
    card_file, problems = load_card_file(path, "sqs.yaml", EXAM)
    if problems:
        return None
    assert card_file is not None
    return card_file.cards[0]


def test_highest_cloze_number_and_a_fenced_deletion_reach_anki(collection: Collection, tmp_path: Path) -> None:
    for text in ("{{c1::one}} and {{c500::five hundred}}", "Fill in:\n\n```python\nx = {{c1::'a'}}\n```\n"):
        card = _load(tmp_path, text)
        assert card is not None
        _agree(collection, card)


PIECES = ["AWS", " ", "x", "{{c1::", "{{c2::", "{{c501::", "}}", "::", ":::", "*", "**", "_", "`", "``", "\n", "\n\n",
          "- ", "1. ", "> ", "# ", "[", "]", "](https://e.com/", "(", ")", "<", ">", "&", "&amp;", "&#123;", '"', "'",
          "\\", "\\:", "é", "|", "```python\n", "\n```\n", "~~~\n", "    ", "{{c1::a}}", "{{c2::`b`::hint}}",
          "*{{c1::em}}*", "[{{c2::link}}](https://e.com)", "`arn:aws:s3:::{{c1::bucket}}`"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(st.sampled_from(PIECES), min_size=1, max_size=10).map("".join))
@example(text="{{c1::AWS::Lambda::Function}}")
@example(text="{{c1::arn:aws:s3:::bucket}}")
@example(text="{{c1::`a}}b`}}")
@example(text="{{c1::*a}} {{c2::b*}}")
@example(text="{{c1::a\n\nb}}")
@example(text="[x](https://e.com/{{c1::y}})")
@example(text="```python\nx = {{c1::y}}\n```")
@example(text="{{c1::a\\:\\:b}}")
@example(text="{{c1::x}} &#123;&#123;c2::y}}")
@example(text="*{{c1::`AWS::Lambda::Function`}}* and [{{c2::link}}](https://e.com) {{c2::`a` **b**::hint}}")
def test_check_rejects_what_anki_would_render_differently(collection: Collection, tmp_path: Path, text: str) -> None:
    card = _load(tmp_path, text)
    if card is not None:
        _agree(collection, card)
