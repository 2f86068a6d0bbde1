"""A front never names what the card asks for: the service label above the question is
left out when the answer is, or names, the card's own service."""

from __future__ import annotations

from pathlib import Path

from awsdeck import pipeline
from awsdeck.preview import faces
from awsdeck.render import answer_names_service, names_of

ROOT = Path(__file__).parent.parent


def test_names_of_a_service() -> None:
    assert names_of("Amazon Data Firehose") == ["Data Firehose", "Firehose"]
    assert names_of("Amazon OpenSearch Service") == ["OpenSearch Service", "OpenSearch"]
    assert names_of("Amazon EC2 Auto Scaling") == ["EC2 Auto Scaling", "Auto Scaling"]
    assert names_of("AWS Secrets Manager") == ["Secrets Manager"]
    assert names_of("AWS Lambda") == ["Lambda"]


def test_no_front_of_the_library_shows_the_service_its_answer_names() -> None:
    rendered = {r.card.id: r for r in pipeline.check([ROOT / "cards"]).rendered}
    for card_id in ("dynamodb-session-store-choice", "firehose-purpose", "codebuild-what-is"):  # as reported
        assert answer_names_service(rendered[card_id].card)
    hidden = 0
    for card in rendered.values():
        fronts = [face.front for face in faces(card)]
        if answer_names_service(card.card):
            hidden += 1
            assert all('class="service"' not in front for front in fronts), card.card.id
        else:
            assert all(f'<div class="service">{card.card.service}</div>' in front for front in fronts), card.card.id
    assert hidden > 100
