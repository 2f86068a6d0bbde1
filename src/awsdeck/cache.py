"""A cache of work that depends only on its inputs: validated card files and Markdown fields.

It lives in build/.cache/ (under the working directory) and lets the edit-check loop and
rebuilds skip unchanged files. Each entry is keyed by its exact input (the file's bytes
and the exam it was checked against, or a field's text), and the whole cache by a
fingerprint of the code and libraries that compute it, so a hit returns exactly what a
fresh computation would: the cache never changes the output. A cache that cannot be
read or written is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from . import markdown

CACHE_DIR = Path("build") / ".cache"
_LIBRARIES = ("markdown-it-pyrs", "markdown-it-py", "Pygments", "PyYAML")
FileResult = tuple[object, list[object]]


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


class WorkCache:
    def __init__(self, directory: Path = CACHE_DIR) -> None:
        self.path = directory / f"work-{_fingerprint()}.pickle"
        self.files: dict[tuple[str, str, str], FileResult] = {}
        self.used: set[tuple[str, str, str]] = set()
        self.dirty = False
        self.loaded_fields: tuple[dict[str, object], dict[str, str]] = ({}, {})
        try:
            with self.path.open("rb") as f:
                self.files, self.loaded_fields = pickle.load(f)
            markdown.remember(self.loaded_fields)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            self.files = {}

    def card_file(self, path: Path, display: str, exam_digest: str, compute: Callable[[], FileResult]) -> FileResult:
        try:
            key = (display, exam_digest, hashlib.sha256(path.read_bytes()).hexdigest())
        except OSError:
            return compute()  # the loader reports why the file cannot be read
        self.used.add(key)
        if key not in self.files:
            self.files[key] = compute()
            self.dirty = True
        return self.files[key]

    def save(self, texts: set[str], complete: bool) -> None:
        """Keep what this run used (and, after a partial run, everything else too)."""
        fields = markdown.remembered(texts if complete else None)
        if not self.dirty and fields == self.loaded_fields:
            return
        files = {k: v for k, v in self.files.items() if k in self.used or not complete}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(f".{os.getpid()}.tmp")
            with partial.open("wb") as f:
                pickle.dump((files, fields), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(partial, self.path)
        except OSError:
            pass
