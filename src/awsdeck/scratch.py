"""Temporary files and folders whose names say which process made them.

A run that is killed (a kill signal, a power cut) leaves its temporaries behind; the next
run finds them by their name, PREFIX<pid>-<random>, and removes those whose process is gone.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path


def prefix(kind: str) -> str:
    """The start of a temporary's name: kind (e.g. '.awsdeck-build-') and this process's id."""
    return f"{kind}{os.getpid()}-"


def remove_stale(directory: Path, kind: str) -> None:
    """Remove the temporaries of this kind whose process no longer runs (best effort)."""
    for path in directory.glob(f"{kind}*"):
        pid = path.name[len(kind):].partition("-")[0]
        if not pid.isdigit() or _running(int(pid)):
            continue
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            pass  # another run removed it first, or the folder is read-only: harmless


def _running(pid: int) -> bool:
    if os.name == "nt":  # os.kill would stop the process there: never guess
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True  # another user's process
    return True


def replace_text(path: Path, text: str, kind: str) -> None:
    """Replace a text file in one step, keeping its file mode (0644 for a new one); on any
    failure the old file stays as it was and no temporary (named kind…) is left."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o644
    remove_stale(path.parent, kind)
    temporary = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=prefix(kind), delete=False)
    try:
        with temporary:
            os.fchmod(temporary.fileno(), mode)
            temporary.write(text)
        os.replace(temporary.name, path)
    except BaseException:
        Path(temporary.name).unlink(missing_ok=True)
        raise
