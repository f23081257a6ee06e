"""Reading the files a user names: ordinary files only, and never more than a bound.

A profile, a signature image, a Word document to check, compare or pull from, a template:
each is named on the command line or in a profile, so each may turn out to be a named
pipe (reading it waits for ever), a device such as /dev/zero (reading it never ends), a
socket, or a symbolic link looping back on itself. Every such read goes through here:
what is there is looked at before it is opened, opened without waiting, looked at again
once open (it may have been swapped), and read no further than its kind's limit.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from msgen.errors import FileTooLarge, UsageError

MEGABYTE = 1024 * 1024
MAX_DOCUMENT_BYTES = 50 * MEGABYTE  # a .docx msgen reads: a document to check, compare or pull, a template
_CHUNK = MEGABYTE

_SPECIAL_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
                  (stat.S_ISSOCK, "a socket"))


def check_regular(path: Path, limit: int, what: str) -> os.stat_result:
    """What stands at `path` (links followed), when it is an ordinary file of at most
    `limit` bytes; else UsageError or FileTooLarge saying what it is instead. `what`
    names the kind of file expected: "profile", "document", "template", "image"."""
    path = Path(path)
    try:
        status = os.stat(path)
    except OSError as exc:
        raise unreadable(path, exc, what) from None
    _refuse_unusual(path, status, limit, what)
    return status


def read_limited(path: Path, limit: int, what: str) -> bytes:
    """The bytes of the ordinary file at `path`, refused (see check_regular) when it is
    anything else or holds more than `limit` bytes, even if it grows while being read."""
    path = Path(path)
    check_regular(path, limit, what)  # before opening: opening a device may itself do something
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise unreadable(path, exc, what) from None
    try:
        _refuse_unusual(path, os.fstat(handle), limit, what)  # what was opened, should it have been swapped
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(handle, min(_CHUNK, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise _too_large(path, None, limit, what)
        return b"".join(chunks)
    except OSError as exc:
        raise unreadable(path, exc, what) from None
    finally:
        os.close(handle)


def unreadable(path: Path, exc: OSError, what: str) -> UsageError:
    """Why the file cannot be read at all, in words (exit 2)."""
    if exc.errno == errno.ENOENT:
        return UsageError("no such file", file=path)
    if exc.errno == errno.ELOOP:
        return UsageError("the symbolic link loops back on itself (or goes through too many links)", file=path,
                          fix=f"point the link at the {what} file itself")
    if exc.errno == errno.EISDIR:
        return _folder(path, what)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return UsageError("you do not have permission to read this file", file=path,
                          fix="ask for read access, or copy the file")
    return UsageError(f"cannot read the file: {exc.strerror or exc}", file=path)


def _refuse_unusual(path: Path, status: os.stat_result, limit: int, what: str) -> None:
    if stat.S_ISDIR(status.st_mode):
        raise _folder(path, what)
    if not stat.S_ISREG(status.st_mode):
        kind = next((name for test, name in _SPECIAL_KINDS if test(status.st_mode)), "an unusual kind of file")
        raise UsageError(f"this is {kind}, not an ordinary file; msgen reads only ordinary files", file=path,
                         fix=f"give the {what} file itself")
    if status.st_size > limit:
        raise _too_large(path, status.st_size, limit, what)


def _folder(path: Path, what: str) -> UsageError:
    return UsageError(f"this is a folder, not a {what} file", file=path, fix=f"give the {what} file inside it")


def _too_large(path: Path, size: int | None, limit: int, what: str) -> FileTooLarge:
    """`size` is None when the file grew past the limit while it was read."""
    found = f"{size / MEGABYTE:.1f} MB" if size is not None else f"more than {limit / MEGABYTE:.0f} MB"
    article = "an" if what[0] in "aeiou" else "a"
    return FileTooLarge(f"the file is {found}; {article} {what} is at most {limit // MEGABYTE} MB", file=path,
                        fix=f"check you passed the {what}, not another file")
