"""Writing outputs safely: whole files or nothing, and never over a file by surprise.

A file is written to a temporary name beside its target and renamed into place, so an
interruption or a full disk never leaves half a document. An existing file is replaced
only when asked (--force), and never while Word has it open. When several files are
written together (a statement and its charter), every target is checked before any is
written, and either all of them are replaced or none.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import Iterable, Mapping

from msgen.errors import OutputError, UsageError


def word_lock_files(path: Path) -> list[Path]:
    """Where Word keeps its owner file while `path` is open: `~$` before the name, with
    the name's first one (7-letter names) or two (longer names) characters dropped."""
    name = path.name
    return [path.with_name("~$" + kept) for kept in dict.fromkeys((name, name[1:], name[2:]))]


def check_writable(path: Path, *, force: bool = False) -> None:
    """Raise OutputError unless `path` can be written now without losing anything."""
    path = Path(path)
    if not path.parent.is_dir():
        raise OutputError(f"the folder '{path.parent}' does not exist", file=path,
                          fix="create the folder first, or choose another output folder")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise OutputError(f"you may not write in the folder '{path.parent}'", file=path,
                          fix="choose another output folder")
    lock = next((lock for lock in word_lock_files(path) if lock.exists()), None)
    if lock is not None:
        raise OutputError(f"the file is open in Word ({lock.name} is beside it)", file=path,
                          fix="close it in Word and run again")
    if path.is_dir():
        raise OutputError("a folder of this name is in the way", file=path,
                          fix="rename the folder or choose another output folder")
    if path.exists() and not force:
        raise OutputError("already exists", file=path, fix="run again with --force to replace it")


def check_not_input(path: Path, inputs: Iterable[Path]) -> None:
    """Raise UsageError when `path` is a file the output is made from: not even --force
    may replace what the command reads (same path, link or differently spelt)."""
    path = Path(path)
    for source in map(Path, inputs):
        if path.resolve() == source.resolve() or (
                path.exists() and source.exists() and os.path.samefile(path, source)):
            raise UsageError(f"the output would replace the input {source}", file=path,
                             fix="choose another output file name")


def write_bytes(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write `data` to `path` through a temporary file and an atomic rename."""
    write_outputs({Path(path): data}, force=force)


def write_outputs(outputs: Mapping[Path, bytes], *, force: bool) -> list[Path]:
    """Write every output or none of them; returns the paths, in the order given.

    New files get the permissions the user's umask gives any new file (the temporary
    files they start as are private to the user)."""
    targets = [Path(path) for path in outputs]
    for target in targets:
        check_writable(target, force=force)
    mode = 0o666 & ~_umask()
    temporaries: list[str] = []
    target = targets[0] if targets else Path()
    try:
        for target, data in zip(targets, outputs.values()):
            temporaries.append(_write_temporary(target, data, mode))
        for target, temporary in zip(targets, temporaries):
            os.replace(temporary, target)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    finally:
        for temporary in temporaries:
            Path(temporary).unlink(missing_ok=True)
    return targets


def replace_file(source: Path, target: Path) -> None:
    """Move a finished file into place in one step (same file system)."""
    try:
        os.replace(source, target)
    except OSError as exc:
        raise _cannot_write(target, exc) from None


def _write_temporary(target: Path, data: bytes, mode: int) -> str:
    """A complete, flushed copy of `data` beside `target`; removed if anything fails."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def _umask() -> int:
    """The process umask (reading it means setting it, so it is set straight back)."""
    current = os.umask(0o022)
    os.umask(current)
    return current


def _cannot_write(path: Path, exc: OSError) -> OutputError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError("the disk is full; nothing was written", file=path,
                           fix="free some space, or choose another output folder")
    return OutputError(f"cannot write the file: {exc.strerror or exc}", file=path,
                       fix="check the folder's permissions and free space")
