"""Read an input file only when it is a regular file inside its own folder, up to a size limit.

Card libraries take pull requests from strangers, and CI checks them: a card file,
exam.yaml or cards.lock may be a link to a secret elsewhere on the machine (which
error messages would then quote), a FIFO that never ends, or a device that never
stops giving bytes.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .problems import Location, Problem, error

MAX_INPUT_BYTES = 5_000_000  # far above any card file or ledger: 80,000 cards fit in the ledger
_LOOP = "its symbolic links form a loop; replace the link by the file itself"
_KINDS = {stat.S_IFIFO: "FIFO", stat.S_IFSOCK: "socket", stat.S_IFCHR: "character device", stat.S_IFBLK: "block device"}


class InputError(Exception):
    """A file that must not be read; the message says why and how to fix it."""


def read_input(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file inside path's folder (links within that folder are fine).

    Raises InputError for anything else, and OSError (FileNotFoundError when missing)
    when the file cannot be read.
    """
    target = _inside_folder(path)
    fd = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as f:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(status.st_mode):
            kind = _KINDS.get(stat.S_IFMT(status.st_mode), "special file")
            raise InputError(f"it is a {kind}, not a regular file; replace it by a regular file")
        if status.st_size > limit:
            raise InputError(f"it is {status.st_size:,} bytes, {_over(limit)}")
        data = f.read(limit + 1)  # st_size is 0 for files such as those in /proc
    if len(data) > limit:
        raise InputError(f"it is {_over(limit)}")
    return data


def _inside_folder(path: Path) -> Path:
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # how Python before 3.13 reports a loop
        raise InputError(_LOOP) from None
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        raise InputError(_LOOP) from None
    if not target.is_relative_to(path.parent.resolve()):
        raise InputError("it links outside the card folder; replace the link by the file itself")
    return target


def _over(limit: int) -> str:
    return f"over the limit of {limit:,} bytes; make it smaller or check that it is the right file"


def decode_utf8(data: bytes, display: str) -> tuple[str | None, list[Problem]]:
    """The text of an input, or the place of its first byte that is not UTF-8."""
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"file is not UTF-8 (byte 0x{data[exc.start]:02x}); save it with UTF-8 encoding"
        return None, [error(Location(display, line, col), message, "encoding")]
