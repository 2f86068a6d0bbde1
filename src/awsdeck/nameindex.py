"""The index of real AWS names that cards may cite, built from maintained models.

- API actions, exceptions and error codes, member names and enum values, each under its
  service, and the names each service goes by come from botocore's service models (the
  models the AWS SDK for Python and the AWS CLI use).
- CloudFormation resource types (including SAM's) and intrinsic functions come from
  cfn-lint, which bundles the CloudFormation resource provider schemas for linting.

Loading every model takes seconds, so the index is built once and cached as JSON under
the user's cache directory, keyed by the versions of botocore and cfn-lint.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import MISSING, dataclass, fields
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .cache import user_cache_dir

CACHE_VERSION = 4
BUILD_NOTICE = "building the AWS name index from botocore and cfn-lint (once per version, a few seconds)…"
ERROR_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*(Exception|Error|Fault)$")
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[a-z0-9]+")
_VENDOR = re.compile(r"^(?:Amazon|AWS)\s+")


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


class IndexUnusable(Exception):
    """The installed models give no index to check names against; the message says what to do."""


@dataclass(frozen=True)
class NameIndex:
    operations: dict[str, list[str]]  # service -> operation names
    cli_commands: dict[str, list[str]]  # service -> the AWS CLI's kebab-case names of its operations
    errors: dict[str, list[str]]  # service -> exception shape names and error codes
    identifiers: dict[str, list[str]]  # service -> its member, enum and shape names that look like actions or errors
    service_names: dict[str, list[str]]  # service -> its names in its model without Amazon/AWS: 'SQS', 'Step Functions'
    cfn_types: frozenset[str]
    cfn_functions: frozenset[str]
    note: str = ""  # why the index could not be cached, if it could not


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
    """The index's file in this user's cache folder (a relative one when there is no home)."""
    return (user_cache_dir() or Path(".cache", "awsdeck")) / f"names-v{CACHE_VERSION}-{_versions()}.json"


@lru_cache(maxsize=1)
def load_index(announce: Callable[[str], object] | None = None) -> NameIndex:
    """The cached index, built first when this botocore/cfn-lint pair has none yet (or the
    cached one is unreadable or of another shape), after passing BUILD_NOTICE to announce:
    building takes seconds. Raises IndexUnusable when the models give an empty index."""
    path = cache_path()
    data = _read_cache(path)
    note = ""
    if data is None:
        if announce is not None:
            announce(BUILD_NOTICE)
        data = _build()
        if not _usable(data):
            raise IndexUnusable("the AWS name index built from botocore and cfn-lint is empty, so names are not "
                                "checked; reinstall them: pip install 'awsdeck[verify]'")
        note = _save(path, data)
    return NameIndex(data["operations"], data["cli_commands"], data["errors"], data["identifiers"],
                     data["service_names"], frozenset(data["cfn_types"]), frozenset(data["cfn_functions"]), note)


def _read_cache(path: Path) -> dict[str, Any] | None:
    """The cached index; None when it is missing, unreadable or of another shape."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if _usable(data) else None


def _usable(data: object) -> bool:
    """Whether data has the shape of the index (lists of names, per service where the index
    has a table per service, for every service with operations), with operations to check
    names against: an empty index would make every name unknown."""
    if not isinstance(data, dict) or not isinstance(data.get("operations"), dict) or not data["operations"]:
        return False
    for table in fields(NameIndex):
        if table.default is not MISSING:
            continue
        value = data.get(table.name)
        if table.type.startswith("dict"):
            if not isinstance(value, dict) or not data["operations"].keys() <= value.keys():
                return False
            lists = list(value.values())
        else:
            lists = [value]
        if not all(isinstance(names, list) and all(isinstance(name, str) for name in names) for names in lists):
            return False
    return True


def _save(path: Path, data: dict[str, Any]) -> str:
    """Cache the index; a note instead when the folder cannot be written (no writable $HOME)."""
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps(data), encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        return (f"cannot cache the AWS name index here ({exc.strerror or exc}); names are checked, but the index "
                "is rebuilt on every run: set AWSDECK_CACHE_DIR to a writable folder")
    return ""


def _build() -> dict[str, object]:
    import botocore.loaders
    from botocore import xform_name

    loader = botocore.loaders.create_loader()
    operations: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    identifiers: dict[str, set[str]] = {}
    service_names: dict[str, list[str]] = {}
    for service in loader.list_available_services("service-2"):
        model = loader.load_service_model(service, "service-2")
        operations[service] = sorted(model.get("operations", {}))
        service_errors = set()
        service_identifiers = identifiers[service] = set()
        for shape_name, shape in model.get("shapes", {}).items():
            service_identifiers.add(shape_name)
            service_identifiers.update(shape.get("members", {}))
            service_identifiers.update(v for v in shape.get("enum", ()) if re.fullmatch(r"[A-Za-z][\w.:-]*", v))
            if shape.get("exception") or "error" in shape:
                service_errors.add(shape_name)
                code = shape.get("error", {}).get("code")
                if code:
                    service_errors.add(code)
        errors[service] = sorted(service_errors)
        service_names[service] = _names_of(model.get("metadata", {}))
    verbs = {split_words(op)[0] for ops in operations.values() for op in ops}

    def consulted(names: set[str]) -> list[str]:
        """Only names that could be taken for an action or an error are ever looked up."""
        return sorted(n for n in names if split_words(n)[0] in verbs or ERROR_NAME.match(n))

    cfn_types, cfn_functions = _cloudformation_names()
    cli_commands = {service: [xform_name(op, "-") for op in ops] for service, ops in operations.items()}
    return {"operations": operations, "cli_commands": cli_commands, "errors": errors,
            "identifiers": {service: consulted(names) for service, names in identifiers.items()},
            "service_names": service_names, "cfn_types": sorted(cfn_types), "cfn_functions": sorted(cfn_functions)}


def _names_of(metadata: dict[str, str]) -> list[str]:
    """'Amazon Simple Queue Service', 'Amazon SQS', 'SQS' -> 'Simple Queue Service', 'SQS'."""
    names = (metadata.get(key) for key in ("serviceId", "serviceFullName", "serviceAbbreviation"))
    return sorted({_VENDOR.sub("", name).split(" (")[0] for name in names if name})


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
