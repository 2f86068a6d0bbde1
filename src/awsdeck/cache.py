"""A cache of work that depends only on its inputs: validated card files and Markdown fields.

It lives in build/.cache/ (under the working directory) and lets the edit-check loop and
rebuilds skip unchanged files. Each entry is keyed by its exact input (the file's bytes
and the exam it was checked against, or a field's text), and the whole cache by a
fingerprint of the code and libraries that compute it, so a hit returns exactly what a
fresh computation would: the cache never changes the output.

The cache is plain JSON, signed with a secret key of this user kept outside the library
(in the user's cache folder): a cache that is corrupted, or planted in the library by
someone else, fails the signature and counts as absent. A cache that cannot be read or
written is ignored, and nothing is cached when the key cannot be kept.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from . import markdown
from .inputs import MAX_INPUT_BYTES, InputError, read_input
from .markdown import Analysis
from .model import Card, CardFile
from .problems import Location, Problem, Severity

CACHE_DIR = Path("build") / ".cache"
_LIBRARIES = ("markdown-it-pyrs", "markdown-it-py", "Pygments", "PyYAML")
_MAX_CACHE_BYTES = 256_000_000
_KEY_BYTES = 32
FileResult = tuple[CardFile | None, list[Problem]]
FileKey = tuple[str, str, str]  # display path, exam digest, digest of the file's bytes
Fields = tuple[dict[str, Analysis], dict[str, str]]


def _fingerprint() -> str:
    """Changes whenever the code or a library that shapes the results changes."""
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    for library in _LIBRARIES:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:  # markdown-it-pyrs has no wheel for every Python
            version = "absent"
        digest.update(f"{library}={version}".encode())
    return digest.hexdigest()[:16]


def user_cache_dir() -> Path | None:
    """$AWSDECK_CACHE_DIR, else awsdeck/ in $XDG_CACHE_HOME or ~/.cache; None without a home."""
    root = os.environ.get("AWSDECK_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "awsdeck")
    return Path(root) if os.path.isabs(root) else None


def _user_key() -> bytes | None:
    """This user's secret, made on first use; None when it cannot be kept."""
    directory = user_cache_dir()
    if directory is None:
        return None
    path = directory / "work-cache.key"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError:
        return None
    else:
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(secrets.token_bytes(_KEY_BYTES))
        except OSError:
            path.unlink(missing_ok=True)
            return None
    try:
        key = read_input(path, _KEY_BYTES)
    except (OSError, InputError):
        return None
    return key if len(key) == _KEY_BYTES else None


class WorkCache:
    def __init__(self, directory: Path = CACHE_DIR) -> None:
        self.version = _fingerprint()
        self.path = directory / f"work-{self.version}.json"
        self.key = _user_key()
        self.files: dict[FileKey, FileResult] = {}
        self.used: set[FileKey] = set()
        self.dirty = False
        self.loaded_fields: Fields = ({}, {})
        if self.key is not None:
            self._load()

    def _load(self) -> None:
        try:
            signature, _, body = read_input(self.path, _MAX_CACHE_BYTES).partition(b"\n")
            if not hmac.compare_digest(signature, self._sign(body)):
                return
            self.files, self.loaded_fields = _decode(json.loads(body))
        except (OSError, InputError, ValueError, TypeError, KeyError, AttributeError):
            self.files, self.loaded_fields = {}, ({}, {})
            return
        markdown.remember(self.loaded_fields)

    def _sign(self, body: bytes) -> bytes:
        assert self.key is not None
        return hmac.new(self.key, self.version.encode() + b"\n" + body, hashlib.sha256).hexdigest().encode()

    def card_file(self, path: Path, display: str, exam_digest: str, compute: Callable[[], FileResult]) -> FileResult:
        key = _file_key(path, display, exam_digest) if self.key is not None else None
        if key is None:
            return compute()  # the loader reports why a file cannot be read
        self.used.add(key)
        if key not in self.files:
            result = compute()
            if _file_key(path, display, exam_digest) != key:  # edited while it was checked
                return result
            self.files[key] = result
            self.dirty = True
        return self.files[key]

    def save(self, texts: set[str], complete: bool) -> None:
        """Keep what this run used (and, after a partial run, everything else too)."""
        if self.key is None:
            return
        fields = markdown.remembered(texts if complete else None)
        if not self.dirty and fields == self.loaded_fields:
            return
        files = {k: v for k, v in self.files.items() if k in self.used or not complete}
        body = json.dumps(_encode(files, fields), separators=(",", ":")).encode()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, partial = tempfile.mkstemp(dir=self.path.parent, prefix=".work-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(self._sign(body) + b"\n" + body)
                os.replace(partial, self.path)
            finally:
                Path(partial).unlink(missing_ok=True)
        except OSError:
            pass


def _file_key(path: Path, display: str, exam_digest: str) -> FileKey | None:
    try:
        return display, exam_digest, hashlib.sha256(read_input(path, MAX_INPUT_BYTES)).hexdigest()
    except (OSError, InputError):
        return None


# Plain JSON, written and read field by field: loading builds nothing but these types.

def _encode(files: dict[FileKey, FileResult], fields: Fields) -> dict[str, Any]:
    analyses, htmls = fields
    return {
        "files": [[list(key), _encode_file(card_file), [_encode_problem(p) for p in problems]]
                  for key, (card_file, problems) in files.items()],
        "analyses": {text: [list(part) for part in analysis] for text, analysis in analyses.items()},
        "htmls": htmls,
    }


def _decode(data: dict[str, Any]) -> tuple[dict[FileKey, FileResult], Fields]:
    files = {(key[0], key[1], key[2]): (_decode_file(card_file), [_decode_problem(p) for p in problems])
             for key, card_file, problems in data["files"]}
    analyses = {text: Analysis(*map(tuple, parts)) for text, parts in data["analyses"].items()}
    return files, (analyses, data["htmls"])


def _encode_file(card_file: CardFile | None) -> list[Any] | None:
    if card_file is None:
        return None
    return [card_file.path, card_file.service, card_file.slug, [_encode_card(card) for card in card_file.cards]]


def _decode_file(data: list[Any] | None) -> CardFile | None:
    if data is None:
        return None
    path, service, slug, cards = data
    return CardFile(path, service, slug, tuple(_decode_card(card) for card in cards))


def _encode_card(card: Card) -> dict[str, Any]:
    data = card._asdict()
    data["location"] = list(card.location)
    data["field_locations"] = {key: list(where) for key, where in card.field_locations.items()}
    return data


def _decode_card(data: dict[str, Any]) -> Card:
    values = {key: tuple(value) if isinstance(value, list) else value for key, value in data.items()}
    values["location"] = Location(*data["location"])
    values["field_locations"] = {key: Location(*where) for key, where in data["field_locations"].items()}
    return Card(**values)


def _encode_problem(problem: Problem) -> list[Any]:
    return [list(problem.location), problem.severity.value, problem.message, problem.code]


def _decode_problem(data: list[Any]) -> Problem:
    location, severity, message, code = data
    return Problem(Location(*location), Severity(severity), message, code)
