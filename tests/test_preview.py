"""`awsdeck preview`: every card side is what the real Anki backend renders, on one self-contained page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from awsdeck import pipeline
from awsdeck.anki_template import TemplateError, render
from awsdeck.notetypes import CSS
from awsdeck.preview import faces

from anki_import import import_package, open_collection
from conftest import run

# A cloze with what Anki's cloze rendering is particular about: a hint, Markdown inside a
# deletion, a deletion number used twice, characters Anki escapes in data-cloze, a line break.
TRICKY_CLOZE = """\
  - id: sqs-send-message-api
    cloze: |
      Send with {{c1::`SendMessage`::an API call}}; a *batch* holds {{c2::10 "messages" – é}}
      and {{c1::again}}.
    task: "1.1"
    source: https://docs.aws.amazon.com/example/latest/page.html
  - id: sqs-decoupling-choice
    front: Which AWS service lets a slow consumer pull work at its own pace, each message processed once?
    back: Amazon SQS (a standard queue).
    task: "1.1"
    source: https://docs.aws.amazon.com/example/latest/page.html
"""


def _preview(*args: str) -> str:
    result = run("preview", *args)
    assert result.exit_code == 0, result.output
    return (Path("build") / "preview" / "index.html").read_text(encoding="utf-8")


def test_every_side_is_rendered_exactly_as_anki_renders_it(library: Path, tmp_path: Path) -> None:
    with (library / "sqs.yaml").open("a", encoding="utf-8") as cards:
        cards.write(TRICKY_CLOZE)
    assert run("lock").exit_code == 0
    assert run("build").exit_code == 0
    col = open_collection(tmp_path / "anki")
    import_package(col, Path("build") / "dva-c03.apkg")
    import_package(col, Path("build") / "dva-c03-outside-guide.apkg")
    compared = {}
    for rendered in pipeline.check([Path("cards")]).rendered:
        anki_cards = col.get_note(col.find_notes(f'"Id:{rendered.card.id}"')[0]).cards()
        ours = faces(rendered)
        assert [card.ord + 1 for card in anki_cards] == [face.ordinal for face in ours]
        for card, face in zip(anki_cards, ours, strict=True):
            output = card.render_output(reload=True)
            assert face.front == output.question_text
            assert face.back == output.answer_text
        compared[rendered.card.id] = len(ours)
    col.close()
    # basic cards (with extra, source, a table, a code block) and clozes of 2 and 2 deletions
    assert compared == {"sqs-max-message-size": 1, "sqs-visibility-timeout-default": 2, "sqs-queue-policy": 1,
                        "sqs-send-message-api": 2, "lambda-max-timeout": 1, "lambda-invocation-types": 1,
                        "codecommit-credential-helper": 1, "sqs-decoupling-choice": 1}
    # the answer is the card's own service, so no front shows the service label
    choice = faces(next(r for r in pipeline.check([Path("cards")]).rendered if r.card.id == "sqs-decoupling-choice"))
    assert 'class="service"' not in choice[0].front and "Amazon SQS" not in choice[0].front


def test_cloze_sides(library: Path) -> None:
    rendered = {r.card.id: r for r in pipeline.check([Path("cards")]).rendered}
    second = faces(rendered["sqs-visibility-timeout-default"])[1]
    assert second.ordinal == 2
    assert ('<span class="cloze-inactive" data-ordinal="1">30 seconds</span>; the maximum is '
            '<span class="cloze" data-cloze="12&#x20;hours" data-ordinal="2">[...]</span>.') in second.front
    assert '<span class="cloze" data-ordinal="2">12 hours</span>' in second.back


@pytest.mark.parametrize("template, expected", [
    ("{{#Extra}}<i>{{Extra}}</i>{{/Extra}}|{{Id}}", "<i>more</i>|x"),
    ("{{#Source}}hidden {{Id}}{{/Source}}|{{ Id }}", "|x"),  # a field of only <br> is empty for Anki
    ("{{#Extra}}{{#Source}}no{{/Source}}yes{{/Extra}}", "yes"),
])
def test_template_sections(template: str, expected: str) -> None:
    assert render(template, {"Extra": "more", "Source": "<br> ", "Id": "x"}) == expected


@pytest.mark.parametrize("template, message", [
    ("{{text:Extra}}", "not supported"),
    ("{{^Extra}}x{{/Extra}}", "not supported"),
    ("{{Nope}}", "which is not a field"),
    ("{{#Extra}}x", "is never closed"),
    ("x{{/Extra}}", "closes no open"),
    ("{{FrontSide}}", "belongs on the back"),
])
def test_template_features_outside_the_subset_fail_loudly(template: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        render(template, {"Extra": "more"})


def test_page_is_self_contained(library: Path) -> None:
    page = _preview()
    assert f"<style>\n/* the note types' CSS, exactly as in the decks */\n{CSS}\n</style>" in page
    assert not re.search(r"<link|<img|<iframe|\ssrc=|@import|url\(", page)
    addresses = re.findall(r"(?:https?:)?//[^\s\"'<>]+", page)
    # only the cards' own source links and the SVG namespace name, nothing the page loads
    sources = {line.split("source: ")[1] for path in library.glob("*.yaml")
               for line in path.read_text().splitlines() if line.startswith("    source: ")}
    assert len(sources) == 6
    assert set(addresses) == {"http://www.w3.org/2000/svg", *sources}
    assert page.count("<script>") == 1


def _entries(page: str) -> dict[str, str]:
    return dict(re.findall(r'<article class="entry" data-id="([^"]+)"(.*?)</article>', page, re.S))


def test_page_has_every_card_with_front_and_back_per_deletion(library: Path) -> None:
    entries = _entries(_preview())
    assert list(entries) == ["sqs-max-message-size", "sqs-visibility-timeout-default", "sqs-queue-policy",
                             "lambda-max-timeout", "lambda-invocation-types", "codecommit-credential-helper"]  # study order
    assert re.findall(r'<div class="card (card\d)">', entries["sqs-visibility-timeout-default"]) == [
        "card1", "card1", "card2", "card2"]
    assert re.findall(r"<figcaption>(.*?)</figcaption>", entries["sqs-visibility-timeout-default"]) == [
        "Card 1 · Front", "Card 1 · Back", "Card 2 · Front", "Card 2 · Back"]
    policy = entries["sqs-queue-policy"]
    assert policy.startswith(' data-domain="security" data-service="sqs" data-tag="">')
    assert re.findall(r"<figcaption>(.*?)</figcaption>", policy) == ["Front", "Back"]
    assert '<p class="meta"><b>sqs-queue-policy</b> · 2 Security · task 2.1</p>' in policy
    assert 'data-tag="defaults limits"' in entries["sqs-visibility-timeout-default"]
    outside = entries["codecommit-credential-helper"]
    assert outside.startswith(' data-domain="outside-guide" data-service="codecommit" data-tag="">')
    assert '<p class="meta"><b>codecommit-credential-helper</b> · outside the exam guide</p>' in outside


def test_page_filters_and_charts(library: Path) -> None:
    page = _preview()
    assert ('<select id="domain" aria-label="Domain"><option value="">All domains</option>'
            '<option value="development">1 Development with AWS Services (3)</option>'
            '<option value="security">2 Security (1)</option>'
            '<option value="troubleshooting">4 Troubleshooting and Optimization (1)</option>'
            '<option value="outside-guide">Outside the exam guide (1)</option></select>') in page
    assert ('<option value="">All services</option><option value="codecommit">AWS CodeCommit (1)</option>'
            '<option value="lambda">AWS Lambda (2)</option><option value="sqs">Amazon SQS (3)</option></select>') in page
    assert ('<option value="">All topics</option><option value="defaults">defaults (1)</option>'
            '<option value="limits">limits (2)</option></select>') in page
    groups = dict(re.findall(r'<g data-key="([^"]+)">(.*?)</g>', page))
    texts = {key: re.findall(r'class="chart-text"[^>]*>([^<]+)<', group) for key, group in groups.items()}
    tasks = {task: texts.pop(task) for task in list(texts) if re.fullmatch(r"\d\.\d", task)}
    assert texts == {"development": ["60% of cards (3)", "30% of the exam"],
                     "security": ["20% of cards (1)", "26% of the exam"],
                     "deployment": ["0% of cards (0)", "22% of the exam"],
                     "troubleshooting": ["20% of cards (1)", "22% of the exam"],
                     "outside": ["1"], "sqs": ["3"], "lambda": ["2"], "codecommit": ["1"]}
    # every task of the C03 guide, the new AI-security task 2.3 included even without cards
    assert tasks == {"1.1": ["2"], "1.2": ["1"], "1.3": ["0"], "2.1": ["1"], "2.2": ["0"], "2.3": ["0"],
                     "3.1": ["0"], "3.2": ["0"], "3.3": ["0"], "4.1": ["0"], "4.2": ["0"], "4.3": ["1"]}
    assert "2.3 Manage the security risks of using and integrating AI services" in page
    # bars share one scale: 60% (the longest) spans the bar area, 30% of the exam half of it
    development = re.findall(r'<rect class="bar-(\w+)" x="0" y="\d+" width="([\d.]+)"', groups["development"])
    assert development == [("cards", "250.0"), ("weight", "125.0")]


def test_preview_runs_on_a_stale_ledger(library: Path) -> None:
    lambda_file = library / "lambda.yaml"
    lambda_file.write_text(lambda_file.read_text().replace("15 minutes", "fifteen minutes"))
    result = run("preview", "--out", "elsewhere")
    assert result.exit_code == 0
    assert "card 'lambda-max-timeout' changed since cards.lock was written" in result.stderr
    assert "fifteen minutes" in (Path("elsewhere") / "index.html").read_text()


def test_preview_stops_on_cards_that_do_not_load(library: Path) -> None:
    (library / "sqs.yaml").write_text("service: x\n")
    result = run("preview")
    assert result.exit_code == 1
    assert "cards/sqs.yaml:1:1: error: the card file is missing the required key 'slug'" in result.stderr
    assert "preview stopped: fix the cards first" in result.stderr
    assert not Path("build/preview").exists()


def test_long_chart_labels_are_shortened_with_the_full_text_in_a_title() -> None:
    from awsdeck.charts import MAX_LABEL, Bar, Row, bar_chart

    label = "2.1 Implement authentication and/or authorization for applications and AWS services"
    svg = bar_chart("Tasks", [Row(label, (Bar(3, "3", "cards"),), "2.1")])
    shown = re.search(r'class="chart-label"[^>]*>([^<]+)<', svg).group(1)
    assert len(shown) == MAX_LABEL and shown.endswith("…") and label.startswith(shown[:-1])
    assert f"<title>{label}</title>" in svg
