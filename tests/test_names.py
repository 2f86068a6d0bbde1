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
"""


def _add(library: Path, card_id: str, back: str, front: str = "What does this do?", extra: str = "") -> None:
    with (library / "lambda.yaml").open("a") as f:
        f.write(CARD.format(id=card_id, front=front, back=back) + extra)
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
    assert f"cards/lambda.yaml:21:11: warning: {expected}" in result.stderr, result.stderr


def test_the_cards_service_comes_first_in_suggestions(library: Path) -> None:
    _add(library, "lambda-names", "Call `PublishVersions` after the update.")
    assert "did you mean `PublishVersion` (lambda)" in run("check").stderr


@pytest.mark.parametrize("back", [
    "`GenerateDataKey`, `BatchWriteItem`, `ConditionalCheckFailedException` and `ThrottlingException`.",
    "`aws s3 presign`, `aws deploy push`, `aws cloudformation package`, `aws s3api put-object`.",
    "`aws dynamodb wait table-exists` and `aws sts decode-authorization-message`.",
    "`AWS::Serverless::Function`, `AWS::Lambda::Function`, `Fn::GetAtt`, `!Sub`, `!Ref`, `Ref`.",
    "`MessageRetentionPeriod`, `x-amz-server-side-encryption`, `ReceiveMessageWaitTimeSeconds`.",
])
def test_real_names_pass(library: Path, back: str) -> None:
    _add(library, "lambda-names", back)
    result = run("check")
    assert "warning:" not in result.stderr, result.stderr


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
            "identifiers": [], "cfn_types": [], "cfn_functions": []}
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
