"""AWS names in backticks are checked against botocore's models and cfn-lint's schemas."""

from __future__ import annotations

from pathlib import Path

import pytest

import awsdeck.nameindex as nameindex
from conftest import run

CARD = """  - id: {id}
    front: {front}
    back: "{back}"
    task: "1.2"
    source: https://docs.aws.amazon.com/example/latest/page.html
"""


def _add(library: Path, card_id: str, back: str, front: str = "What does this do?", extra: str = "") -> None:
    with (library / "lambda.yaml").open("a") as f:
        f.write(CARD.format(id=card_id, front=front, back=back) + extra)
    assert run("lock").exit_code == 0


def _new_file(library: Path, slug: str, service: str, back: str) -> None:
    """A card file of its own (line 8 holds the card's back), listed in the study order."""
    header = f"service: {service}\nslug: {slug}\ndomain: development\noutside_guide: true\ncards:\n"
    card = (f"  - id: {slug}-names\n    front: What does this do?\n    back: \"{back}\"\n"
            "    source: https://docs.aws.amazon.com/example/latest/page.html\n")
    (library / f"{slug}.yaml").write_text(header + card)
    exam = library / "exam.yaml"
    exam.write_text(exam.read_text().replace("study_order:\n", f"study_order:\n  - {slug}\n"))
    assert run("lock").exit_code == 0


@pytest.mark.parametrize("back, expected", [
    ("Call `BatchWriteItems` on DynamoDB.",
     "unknown API action `BatchWriteItems` (did you mean `BatchWriteItem` (dynamodb)"),
    ("Run `aws sts decode-authorisation-message`.",
     "unknown AWS CLI command `aws sts decode-authorisation-message` (did you mean `decode-authorization-message`?)"),
    ("DynamoDB throws `ProvisionedThroughputExceededError`.",
     "unknown exception or error code `ProvisionedThroughputExceededError` (did you mean "
     "`ProvisionedThroughputExceededException` (dynamodb)"),
    ("Declare an `AWS::DynamoDB::Tables` resource.",
     "unknown CloudFormation resource type `AWS::DynamoDB::Tables` (did you mean `AWS::DynamoDB::Table`?)"),
    ("Use `Fn::GetAttribute` to read it.",
     "unknown CloudFormation intrinsic function `Fn::GetAttribute` (did you mean `Fn::GetAtt`?)"),
    ("Use `!Substitute` in YAML.",
     "unknown CloudFormation intrinsic function `!Substitute` (did you mean `Fn::Sub`?)"),
])
def test_wrong_names_are_flagged_with_a_suggestion(library: Path, back: str, expected: str) -> None:
    _add(library, "lambda-names", back)
    result = run("check")
    assert result.exit_code == 0  # a warning, not an error
    assert f"cards/lambda.yaml:23:11: warning: {expected}" in result.stderr, result.stderr


def test_the_cards_service_comes_first_in_suggestions(library: Path) -> None:
    _add(library, "lambda-names", "Call `PublishVersions` after the update.")
    assert "did you mean `PublishVersion` (lambda)" in run("check").stderr


@pytest.mark.parametrize("back", [
    "KMS `GenerateDataKey`, DynamoDB `BatchWriteItem` and `ConditionalCheckFailedException`, `ThrottlingException`.",
    "`aws s3 presign`, `aws deploy push`, `aws cloudformation package`, `aws s3api put-object`.",
    "`aws dynamodb wait table-exists` and `aws sts decode-authorization-message`.",
    "`AWS::Serverless::Function`, `AWS::Lambda::Function`, `Fn::GetAtt`, `!Sub`, `!Ref`, `Ref`.",
    "SQS `MessageRetentionPeriod`, `x-amz-server-side-encryption`, `ReceiveMessageWaitTimeSeconds`.",
])
def test_real_names_pass(library: Path, back: str) -> None:
    _add(library, "lambda-names", back)
    result = run("check")
    assert "warning:" not in result.stderr, result.stderr


def test_a_real_name_of_another_service_is_flagged_with_the_cards_own_names(library: Path) -> None:
    _new_file(library, "dynamodb", "Amazon DynamoDB", "Write one item with `PutItems`.")
    result = run("check")
    assert result.exit_code == 0
    assert ("cards/dynamodb.yaml:8:11: warning: `PutItems` is not an operation, error or member of dynamodb, "
            "dynamodbstreams or dax (only of personalize-events, which the card does not name; did you mean "
            "`PutItem` (dynamodb)") in result.stderr, result.stderr


@pytest.mark.parametrize("back", [
    "The function writes the order to DynamoDB with `PutItem`.",  # named by its model: DynamoDB
    "A Cognito user pool trigger runs after `AdminInitiateAuth`.",  # named by its card file: cognito → cognito-idp
    "The function runs with credentials from `AssumeRole`.",  # STS: the credentials of every call
    "It retries on `ThrottlingException` and `AccessDeniedException`.",  # errors common to every AWS API
])
def test_names_of_the_services_a_card_names_pass(library: Path, back: str) -> None:
    _add(library, "lambda-names", back)
    result = run("check")
    assert "warning:" not in result.stderr, result.stderr


def test_a_name_of_a_service_the_card_does_not_name_is_flagged(library: Path) -> None:
    _add(library, "lambda-names", "The function writes the order with `PutItem`.")
    assert ("cards/lambda.yaml:23:11: warning: `PutItem` is not an operation, error or member of lambda, lambda-core, "
            "lambda-microvms or lambda-web (only of dynamodb, which the card does not name) in 'back' of card "
            "'lambda-names'") in run("check").stderr


def test_a_file_about_no_particular_service_may_name_any(library: Path) -> None:
    _new_file(library, "cloudtrail", "AWS CloudTrail", "It records `RunInstances` and `PutItem` as management events.")
    assert "warning:" not in run("check").stderr


def test_a_card_can_allow_a_name(library: Path) -> None:
    _add(library, "lambda-names", "The hook `ValidateService` runs last.", extra="    allow_names: [ValidateService]\n")
    assert "warning:" not in run("check").stderr


def test_the_library_can_allow_a_name(library: Path) -> None:
    _add(library, "lambda-names", "The hook `ValidateService` runs last.")
    assert "unknown API action `ValidateService`" in run("check").stderr
    (library / "allowed-names.txt").write_text("# CodeDeploy hooks\nValidateService  # AppSpec hook\n")
    assert "warning:" not in run("check").stderr


def test_the_index_is_built_once_per_model_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builds = []
    tiny = {"operations": {"sqs": ["SendMessage"]}, "cli_commands": {"sqs": ["send-message"]}, "errors": {"sqs": []},
            "identifiers": {"sqs": []}, "service_names": {"sqs": ["SQS"]}, "cfn_types": [], "cfn_functions": []}
    monkeypatch.setenv("AWSDECK_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(nameindex, "_build", lambda: builds.append(1) or tiny)
    for _ in range(2):
        nameindex.load_index.cache_clear()
        assert nameindex.load_index().operations == {"sqs": ["SendMessage"]}
    assert len(builds) == 1
    (cached,) = tmp_path.iterdir()
    assert "botocore" in cached.name and "cfn-lint" in cached.name
    monkeypatch.setattr(nameindex, "_versions", lambda: "botocore9.9.9-cfn-lint9.9.9")
    nameindex.load_index.cache_clear()
    nameindex.load_index()
    assert len(builds) == 2
    nameindex.load_index.cache_clear()
