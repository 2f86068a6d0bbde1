"""The index of real AWS names that cards may cite, built from maintained models.

- API actions, exceptions and error codes, member names and enum values come from
  botocore's service models (the models the AWS SDK for Python and the AWS CLI use).
- CloudFormation resource types (including SAM's) and intrinsic functions come from
  cfn-lint, which bundles the CloudFormation resource provider schemas for linting.

Loading every model takes seconds, so the index is built once and cached as JSON under
the user's cache directory, keyed by the versions of botocore and cfn-lint.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

CACHE_VERSION = 3
ERROR_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*(Exception|Error|Fault)$")
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[a-z0-9]+")


def split_words(name: str) -> list[str]:
    """CamelCase words: 'BatchWriteItem' -> ['Batch', 'Write', 'Item']."""
    return _WORD.findall(name) or [name]


# AWS CLI commands written by hand in the CLI, with no API operation behind them.
# Keep this list short and add to it only after checking the AWS CLI reference.
CLI_CUSTOM_COMMANDS: dict[str, tuple[str, ...]] = {
    "s3": ("cp", "mv", "rm", "sync", "ls", "mb", "rb", "presign", "website"),
    "deploy": ("push", "register", "deregister", "install", "uninstall"),
    "cloudformation": ("package", "deploy"),
    "ecr": ("get-login-password",),
    "eks": ("update-kubeconfig", "get-token"),
    "codeartifact": ("login",),
    "logs": ("tail",),
    "configure": ("set", "get", "list", "list-profiles", "sso", "export-credentials"),
    "sso": ("login", "logout"),
    "ecs": ("deploy",),
    "emr": ("create-cluster", "ssh", "socks", "get", "put"),
}
# CLI service names that differ from botocore's service names.
CLI_SERVICE_NAMES = {"s3api": "s3", "deploy": "codedeploy", "configservice": "config"}
# Entries valid in a template that are not resource types or functions.
CFN_EXTRA_NAMES = ("AWS::CloudFormation::Init", "AWS::CloudFormation::Interface",
                   "AWS::CloudFormation::Authentication", "AWS::CloudFormation::Designer")


@dataclass(frozen=True)
class NameIndex:
    operations: dict[str, list[str]]  # service -> operation names
    cli_commands: dict[str, list[str]]  # service -> the AWS CLI's kebab-case names of its operations
    errors: dict[str, list[str]]  # service -> exception shape names and error codes
    identifiers: frozenset[str]  # member names, enum values, shape names that look like actions or errors
    cfn_types: frozenset[str]
    cfn_functions: frozenset[str]

    def services_with_operation(self, name: str) -> list[str]:
        return [s for s, ops in self.operations.items() if name in ops]


def available() -> bool:
    """Whether the optional model packages (the `verify` extra) are installed."""
    try:
        _versions()
    except metadata.PackageNotFoundError:
        return False
    return True


def _versions() -> str:
    return "-".join(f"{p}{metadata.version(p)}" for p in ("botocore", "cfn-lint"))


def cache_path() -> Path:
    root = os.environ.get("AWSDECK_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "awsdeck")
    return Path(root) / f"names-v{CACHE_VERSION}-{_versions()}.json"


@lru_cache(maxsize=1)
def load_index() -> NameIndex:
    """The cached index, built first when this botocore/cfn-lint pair has none yet."""
    path = cache_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = _build()
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(data), encoding="utf-8")
        os.replace(partial, path)
    return NameIndex(data["operations"], data["cli_commands"], data["errors"], frozenset(data["identifiers"]),
                     frozenset(data["cfn_types"]), frozenset(data["cfn_functions"]))


def _build() -> dict[str, object]:
    import botocore.loaders
    from botocore import xform_name

    loader = botocore.loaders.create_loader()
    operations: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    identifiers: set[str] = set()
    for service in loader.list_available_services("service-2"):
        model = loader.load_service_model(service, "service-2")
        operations[service] = sorted(model.get("operations", {}))
        service_errors = set()
        for shape_name, shape in model.get("shapes", {}).items():
            identifiers.add(shape_name)
            identifiers.update(shape.get("members", {}))
            identifiers.update(v for v in shape.get("enum", ()) if re.fullmatch(r"[A-Za-z][\w.:-]*", v))
            if shape.get("exception") or "error" in shape:
                service_errors.add(shape_name)
                code = shape.get("error", {}).get("code")
                if code:
                    service_errors.add(code)
        errors[service] = sorted(service_errors)
    verbs = {split_words(op)[0] for ops in operations.values() for op in ops}
    # only names that could be taken for an action or an error are ever looked up
    consulted = {i for i in identifiers if split_words(i)[0] in verbs or ERROR_NAME.match(i)}
    cfn_types, cfn_functions = _cloudformation_names()
    cli_commands = {service: [xform_name(op, "-") for op in ops] for service, ops in operations.items()}
    return {"operations": operations, "cli_commands": cli_commands, "errors": errors, "identifiers": sorted(consulted),
            "cfn_types": sorted(cfn_types), "cfn_functions": sorted(cfn_functions)}


def _cloudformation_names() -> tuple[set[str], set[str]]:
    from importlib import resources

    from cfnlint import helpers

    providers = resources.files("cfnlint.data.schemas.providers")
    types = set(json.loads(providers.joinpath("us-east-1.json").read_text()))
    types |= set(json.loads(providers.joinpath("sam.json").read_text()))
    types |= set(CFN_EXTRA_NAMES)
    functions = {f for f in helpers.FUNCTIONS | helpers.FUNCTION_CONDITIONS if "[" not in f}
    functions |= {"Fn::ForEach", "Condition"}
    return types, functions
