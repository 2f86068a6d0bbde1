"""Check the AWS names cards write in backticks against the real models.

A name in `backticks` is checked when it looks like
- an API action: CamelCase whose first word starts some real operation (`BatchWriteItem`);
- an exception or error code: CamelCase ending in Exception, Error or Fault;
- an AWS CLI call: `aws <service> <command> …`;
- a CloudFormation resource type `AWS::Service::Resource` or intrinsic function
  (`Fn::GetAtt`, or the short form `!GetAtt`).
Everything else in backticks (config keys, headers, code) is left alone. Unknown names
are warnings with the closest real names; correct names no model knows go in a card's
`allow_names` or in the library's allowed-names.txt.

An action or error name must also belong to a service the card is about: one of its
file's services (FILE_SERVICES), one its text names, or STS; a real name of some other
service only is as wrong as an invented one (`PutItems` is Personalize's, not DynamoDB's).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from .markdown import analyse
from .model import Card
from .nameindex import CLI_CUSTOM_COMMANDS, CLI_SERVICE_NAMES, ERROR_NAME, NameIndex, split_words
from .inputs import InputError, decode_utf8, read_input
from .problems import Location, Problem, error, escape_controls, warning

ALLOW_FILE = "allowed-names.txt"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CUTOFF = 75  # RapidFuzz WRatio (0-100) a suggestion must reach
_CAMEL = re.compile(r"^[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+$")
_CFN_TYPE = re.compile(r"^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$")
_CFN_FUNCTION = re.compile(r"^(Fn::[A-Za-z]+|!(Ref|[A-Z][A-Za-z]+))$")
_CLI = re.compile(r"^aws\s+([a-z0-9-]+)\s+([a-z0-9-]+)")
_SHOWN = 4  # services a message lists before it says "… or N more"

# The botocore services each card file is about, by slug. A file not listed (cli, sdk, sam,
# cdk, cloudtrail, certification …: cards about the calls of every service) may name any.
FILE_SERVICES: dict[str, tuple[str, ...]] = {
    "acm": ("acm", "acm-pca"),
    "amplify": ("amplify", "amplifybackend", "amplifyuibuilder"),
    "api-gateway": ("apigateway", "apigatewayv2", "apigatewaymanagementapi"),
    "appconfig": ("appconfig", "appconfigdata"),
    "appsync": ("appsync",),
    "athena": ("athena",),
    "aurora": ("rds", "rds-data"),
    "auto-scaling": ("autoscaling", "application-autoscaling"),
    "bedrock": ("bedrock", "bedrock-runtime", "bedrock-agent", "bedrock-agent-runtime"),
    "bedrock-agentcore": ("bedrock-agentcore", "bedrock-agentcore-control"),
    "cloud9": ("cloud9",),
    "cloudformation": ("cloudformation",),
    "cloudfront": ("cloudfront", "cloudfront-keyvaluestore"),
    "cloudhsm": ("cloudhsmv2", "cloudhsm"),
    "cloudwatch": ("cloudwatch", "logs", "aiops", "application-signals", "synthetics", "rum", "oam"),
    "codeartifact": ("codeartifact",),
    "codebuild": ("codebuild",),
    "codecommit": ("codecommit",),
    "codedeploy": ("codedeploy",),
    "codeguru": ("codeguru-reviewer", "codeguruprofiler", "codeguru-security"),
    "codepipeline": ("codepipeline",),
    "codestar": ("codestar-connections", "codestar-notifications", "codeconnections"),
    "cognito": ("cognito-idp", "cognito-identity", "cognito-sync"),
    "compute-optimizer": ("compute-optimizer",),
    "devops-agent": ("devops-agent",),
    "devops-guru": ("devops-guru",),
    "directory-service": ("ds", "ds-data"),
    "dynamodb": ("dynamodb", "dynamodbstreams", "dax"),
    "ebs": ("ebs", "ec2"),
    "ec2": ("ec2", "ec2-instance-connect"),
    "ecr": ("ecr", "ecr-public"),
    "ecs": ("ecs",),
    "efs": ("efs",),
    "eks": ("eks", "eks-auth"),
    "elastic-beanstalk": ("elasticbeanstalk",),
    "elasticache": ("elasticache",),
    "elb": ("elbv2", "elb"),
    "eventbridge": ("events", "eventbridgev2", "scheduler", "pipes", "schemas"),
    "firehose": ("firehose",),
    "iam": ("iam", "accessanalyzer"),
    "inspector": ("inspector2", "inspector-scan", "inspector"),
    "kinesis-data-streams": ("kinesis",),
    "kinesis-video-streams": ("kinesisvideo", "kinesis-video-media", "kinesis-video-archived-media",
                              "kinesis-video-signaling", "kinesis-video-webrtc-storage"),
    "kms": ("kms",),
    "lambda": ("lambda", "lambda-core", "lambda-microvms", "lambda-web"),
    "macie": ("macie2",),
    "managed-flink": ("kinesisanalyticsv2", "kinesisanalytics"),
    "memorydb": ("memorydb",),
    "msk": ("kafka", "kafkaconnect"),
    "opensearch": ("opensearch", "opensearchserverless", "es"),
    "private-ca": ("acm-pca", "acm"),
    "quick": ("quicksight",),
    "rds": ("rds", "rds-data"),
    "route53": ("route53", "route53domains", "route53resolver"),
    "s3": ("s3", "s3control", "s3files", "s3tables", "s3vectors", "s3outposts"),
    "secrets-manager": ("secretsmanager",),
    "security-agent": ("securityagent",),
    "serverless-application-repository": ("serverlessrepo",),
    "ses": ("ses", "sesv2"),
    "sns": ("sns",),
    "sqs": ("sqs",),
    "ssm": ("ssm",),
    "step-functions": ("stepfunctions",),
    "sts": ("sts", "iam"),
    "vpc": ("ec2",),
    "waf": ("wafv2", "waf", "waf-regional"),
    "xray": ("xray",),
}
# Services every card may name: STS issues the credentials every AWS call is signed with.
EVERYWHERE = ("sts",)
# Errors any AWS API can return (the "Common Errors" of the API references; JSON APIs such as
# DynamoDB's say ValidationException for ValidationError), which few service models list.
COMMON_ERRORS = frozenset({
    "AccessDeniedException", "ExpiredTokenException", "MalformedHttpRequestException", "RequestAbortedException",
    "RequestEntityTooLargeException", "RequestTimeoutException", "ThrottlingException",
    "UnrecognizedClientException", "UnknownOperationException", "ValidationError", "ValidationException",
})


@dataclass
class _Scope:
    """One card as the name check sees it: its file's services (None: any) and its text."""

    own: tuple[str, ...] | None
    text: str
    named: set[str] | None = None  # the services the text names, found when first needed


def read_allow_list(directory: Path, display: str) -> tuple[set[str], list[Problem]]:
    """Names allowed everywhere: one per line, '#' starts a comment (give the reason there).
    display: how messages name the file."""
    try:
        data = read_input(directory / ALLOW_FILE)
    except FileNotFoundError:
        return set(), []
    except (OSError, InputError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        return set(), [error(Location(display), f"cannot read file: {reason}", "io")]
    text, problems = decode_utf8(data, display)
    if text is None:
        return set(), problems
    names: set[str] = set()
    for number, line in enumerate(text.split("\n"), start=1):
        name = line.split("#", 1)[0].strip()
        control = _CONTROL.search(name)
        if control:
            problems.append(error(Location(display, number, line.index(name) + control.start() + 1),
                                  f"control character {escape_controls(control.group())} in a name; write one name "
                                  "per line, in plain text", "name"))
        elif name:
            names.add(name)
    return names, problems


class NameChecker:
    def __init__(self, index: NameIndex, allowed: set[str]) -> None:
        self.index = index
        self.allowed = allowed
        self.verbs = {split_words(op)[0] for ops in index.operations.values() for op in ops}
        self.names = {service: {*ops, *index.errors[service], *index.identifiers[service]}
                      for service, ops in index.operations.items()}
        self.checked = 0
        self._model_names: dict[str, set[str]] = {}  # 'SQS' -> {'sqs'}
        for service, names in index.service_names.items():
            for name in names:
                if not name.islower():  # 'signer', 'forecast': ids written as plain words, not names
                    self._model_names.setdefault(name, set()).add(service)
        self._file_names = {variant: slug for slug in FILE_SERVICES for variant in (slug, slug.replace("-", " "))}
        self._model_pattern = _any_word(self._model_names)
        self._file_pattern = _any_word(self._file_names, re.IGNORECASE)

    def check_cards(self, cards: Iterable[Card]) -> list[Problem]:
        problems = []
        for card in cards:
            scope = _Scope(FILE_SERVICES.get(card.slug), " ".join(card.markdown_fields().values()))
            for key, text in card.markdown_fields().items():
                for name in dict.fromkeys(analyse(text).code_spans):
                    if name in self.allowed or name in card.allow_names:
                        continue
                    message = self.check_name(name, scope)
                    if message:
                        problems.append(warning(card.field_locations[key], f"{message} in '{key}' of card "
                                                f"'{card.id}'; fix it, or list it in allow_names if it is right",
                                                "name"))
        return problems

    def check_name(self, name: str, scope: _Scope) -> str | None:
        """A warning message for a name that looks like an AWS name but is not one of the card's services."""
        if name.startswith("aws "):
            return self._check_cli(name)
        if _CFN_TYPE.match(name):
            self.checked += 1
            if name in self.index.cfn_types:
                return None
            return f"unknown CloudFormation resource type `{name}`{_suggest(name, self.index.cfn_types)}"
        if _CFN_FUNCTION.match(name):
            self.checked += 1
            long_form = name if name.startswith("Fn::") else ("Ref" if name == "!Ref" else f"Fn::{name[1:]}")
            if long_form in self.index.cfn_functions:
                return None
            return f"unknown CloudFormation intrinsic function `{name}`{_suggest(long_form, self.index.cfn_functions)}"
        if not _CAMEL.match(name):
            return None
        if ERROR_NAME.match(name):
            self.checked += 1
            if name in COMMON_ERRORS:
                return None
            return self._check_service(name, scope, "unknown exception or error code", self.index.errors)
        if split_words(name)[0] in self.verbs:
            self.checked += 1
            return self._check_service(name, scope, "unknown API action", self.index.operations)
        return None

    def _check_service(self, name: str, scope: _Scope, unknown: str, kind: dict[str, list[str]]) -> str | None:
        """kind: the operations or the errors of each service, which suggestions come from."""
        owners = [service for service, names in self.names.items() if name in names]
        if not owners:
            hint = self._closest(name, scope, kind)
            return f"{unknown} `{name}`" + (f" ({hint})" if hint else "")
        if scope.own is None or not set(owners).isdisjoint({*scope.own, *EVERYWHERE, *self._named(scope)}):
            return None
        hint = self._closest(name, scope, kind, anywhere=False)
        return (f"`{name}` is not an operation, error or member of {_join(scope.own, 'or')} "
                f"(only of {_join(owners, 'and')}, which the card does not name" + (f"; {hint})" if hint else ")"))

    def _named(self, scope: _Scope) -> set[str]:
        """The services the card's text names: by their models' names, as written there ('SQS',
        'Step Functions'), or by the slug of a card file, in any case ('Cognito', 'API Gateway')."""
        if scope.named is None:
            by_model = {s for name in self._model_pattern.findall(scope.text) for s in self._model_names[name]}
            by_file = {s for name in self._file_pattern.findall(scope.text)
                       for s in FILE_SERVICES[self._file_names[name.lower()]]}
            scope.named = by_model | by_file
        return scope.named

    def _check_cli(self, call: str) -> str | None:
        match = _CLI.match(call)
        if not match:
            return None
        self.checked += 1
        cli_service, command = match.groups()
        service = CLI_SERVICE_NAMES.get(cli_service, cli_service)
        commands = set(CLI_CUSTOM_COMMANDS.get(cli_service, ()))
        if service in self.index.operations:
            commands |= set(self.index.cli_commands[service]) | {"wait", "help"}
        elif cli_service not in CLI_CUSTOM_COMMANDS:
            return f"unknown AWS CLI service `aws {cli_service}`{_suggest(cli_service, self.index.operations)}"
        if command in commands:
            return None
        hint = _suggest(command, commands)
        return f"unknown AWS CLI command `aws {cli_service} {command}`{hint}"

    def _closest(self, name: str, scope: _Scope, by_service: dict[str, list[str]], anywhere: bool = True) -> str:
        """'did you mean …?' with the closest names of the card's services; failing those, when anywhere,
        of all services; '' when none is close."""
        groups = [[*(scope.own or ()), *sorted(self._named(scope))]] + ([list(by_service)] if anywhere else [])
        for group in groups:
            owner = {n: s for s in reversed(group) for n in by_service.get(s, ())}  # first service wins
            best = process.extract(name, list(owner), scorer=fuzz.WRatio, limit=2, score_cutoff=_CUTOFF)
            if best:
                shown = " or ".join(f"`{n}` ({owner[n]})" for n, _, _ in best)
                return f"did you mean {shown}?"
        return ""


def _any_word(names: Iterable[str], flags: re.RegexFlag = re.NOFLAG) -> re.Pattern[str]:
    """Any of the names as a whole word; longest first, so 'CloudWatch Logs' wins over 'CloudWatch'."""
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", flags)


def _join(items: list[str] | tuple[str, ...], last: str) -> str:
    """'a, b or c'; past four items, 'a, b, c or 4 more'."""
    if len(items) > _SHOWN:
        return f"{', '.join(items[:_SHOWN - 1])} {last} {len(items) - _SHOWN + 1} more"
    return f"{', '.join(items[:-1])} {last} {items[-1]}" if len(items) > 1 else items[0]


def _suggest(name: str, choices: Iterable[str]) -> str:
    best = process.extractOne(name, list(choices), scorer=fuzz.WRatio, score_cutoff=_CUTOFF)
    return f" (did you mean `{best[0]}`?)" if best else ""
