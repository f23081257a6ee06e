"""Writing outputs safely: whole files or nothing, and never over a file by surprise.

A file is written to a temporary name beside its target and renamed into place, so an
interruption or a full disk never leaves half a document. An existing file is replaced
only when asked (--force), and never while Word has it open.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from msgen.errors import OutputError


def word_lock_files(path: Path) -> list[Path]:
    """Where Word keeps its owner file while `path` is open (it overwrites the name's first
    two characters with ~$ for long names, and prefixes ~$ to short ones)."""
    return [path.with_name("~$" + path.name), path.with_name("~$" + path.name[2:])]


def check_writable(path: Path, *, force: bool = False) -> None:
    """Raise OutputError unless `path` can be written now without losing anything."""
    path = Path(path)
    if not path.parent.is_dir():
        raise OutputError(f"the folder '{path.parent}' does not exist", file=path,
                          fix="create the folder first, or choose another output folder")
    if any(lock.exists() for lock in word_lock_files(path)):
        raise OutputError("the file is open in Word", file=path, fix="close it in Word and run again")
    if path.exists() and not force:
        raise OutputError("already exists", file=path, fix="run again with --force to replace it")


def write_bytes(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write `data` to `path` through a temporary file and an atomic rename."""
    path = Path(path)
    check_writable(path, force=force)
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    finally:
        if temporary:
            Path(temporary).unlink(missing_ok=True)


def replace_file(source: Path, target: Path) -> None:
    """Move a finished file into place in one step (same file system)."""
    try:
        os.replace(source, target)
    except OSError as exc:
        raise _cannot_write(target, exc) from None


def _cannot_write(path: Path, exc: OSError) -> OutputError:
    return OutputError(f"cannot write the file: {exc.strerror}", file=path,
                       fix="check the folder's permissions and free space")
