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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from rapidfuzz import fuzz, process

from .markdown import analyse
from .model import Card
from .nameindex import CLI_CUSTOM_COMMANDS, CLI_SERVICE_NAMES, ERROR_NAME, NameIndex, split_words
from .problems import Problem, warning

ALLOW_FILE = "allowed-names.txt"
_CUTOFF = 75  # RapidFuzz WRatio (0-100) a suggestion must reach
_CAMEL = re.compile(r"^[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+$")
_CFN_TYPE = re.compile(r"^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$")
_CFN_FUNCTION = re.compile(r"^(Fn::[A-Za-z]+|!(Ref|[A-Z][A-Za-z]+))$")
_CLI = re.compile(r"^aws\s+([a-z0-9-]+)\s+([a-z0-9-]+)")


def read_allow_list(directory: Path) -> set[str]:
    """Names allowed everywhere: one per line, '#' starts a comment (give the reason there)."""
    try:
        text = (directory / ALLOW_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return set()
    return {line.split("#", 1)[0].strip() for line in text.splitlines()} - {""}


class NameChecker:
    def __init__(self, index: NameIndex, allowed: set[str]) -> None:
        self.index = index
        self.allowed = allowed
        self.verbs = {split_words(op)[0] for ops in index.operations.values() for op in ops}
        self.all_operations = {op for ops in index.operations.values() for op in ops}
        self.all_errors = {e for errs in index.errors.values() for e in errs}
        self.checked = 0

    def check_cards(self, cards: Iterable[Card]) -> list[Problem]:
        problems = []
        for card in cards:
            for key, text in card.markdown_fields().items():
                for name in dict.fromkeys(analyse(text).code_spans):
                    if name in self.allowed or name in card.allow_names:
                        continue
                    message = self.check_name(name, lambda card=card: self._services_of(card))
                    if message:
                        problems.append(warning(card.field_locations[key], f"{message} in '{key}' of card "
                                                f"'{card.id}'; fix it, or list it in allow_names if it is right",
                                                "name"))
        return problems

    def _services_of(self, card: Card) -> list[str]:
        """botocore services the card is about: its file's slug, then services its text names."""
        words = set(re.findall(r"[a-z0-9-]+", " ".join(card.markdown_fields().values()).lower()))
        slug = card.slug.replace("-", "")
        preferred = [s for s in self.index.operations if s.replace("-", "") == slug]
        preferred += sorted(s for s in words & self.index.operations.keys() if len(s) > 2)
        return list(dict.fromkeys(preferred))

    def check_name(self, name: str, services: Callable[[], list[str]]) -> str | None:
        """services: the botocore services to suggest from first (computed only when needed)."""
        """A warning message for a name that looks like an AWS name but is not one."""
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
            if name in self.all_errors or name in self.index.identifiers:
                return None
            return f"unknown exception or error code `{name}`{self._suggest_in(name, services, self.index.errors)}"
        if split_words(name)[0] in self.verbs:
            self.checked += 1
            if name in self.all_operations or name in self.index.identifiers:
                return None
            return f"unknown API action `{name}`{self._suggest_in(name, services, self.index.operations)}"
        return None

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

    def _suggest_in(self, name: str, services: Callable[[], list[str]], by_service: dict[str, list[str]]) -> str:
        for group in (services(), list(by_service)):
            owner = {n: s for s in reversed(group) for n in by_service.get(s, ())}  # first service wins
            best = process.extract(name, list(owner), scorer=fuzz.WRatio, limit=2, score_cutoff=_CUTOFF)
            if best:
                shown = " or ".join(f"`{n}` ({owner[n]})" for n, _, _ in best)
                return f" (did you mean {shown}?)"
        return ""


def _suggest(name: str, choices: Iterable[str]) -> str:
    best = process.extractOne(name, list(choices), scorer=fuzz.WRatio, score_cutoff=_CUTOFF)
    return f" (did you mean `{best[0]}`?)" if best else ""
