"""Writing outputs safely: whole files or nothing, and never over a file by surprise.

A file is written to a temporary name beside its target and moved into place, so an
interruption or a full disk never leaves half a document. An existing file is replaced
only when asked (--force), and never while Word or LibreOffice has it open. When several
files are written together (a statement and its charter), every target is checked
before any is written, and either all of them are placed or none.

Checking first is not enough when two runs write into one folder at once: without
--force a file is moved into place by a rename that refuses to replace anything, so a
document that appears after the check is never replaced; and the files written together
are placed while holding a lock on the folder, so with --force the documents of one call
all come from one run.
"""

from __future__ import annotations

import ctypes
import errno
import os
import signal
import stat
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, Iterable, Iterator, Mapping

from msgen.errors import OutputError, UsageError

LOCK_WAIT_SECONDS = 10  # how long a run waits for another run writing in the same folder (milliseconds, normally)


def lock_files(path: Path) -> list[tuple[Path, str]]:
    """The files an editor keeps beside `path` while it has it open, and the editor's name.

    Word: `~$` before the name, with the name's first one (7-letter names) or two (longer
    names) characters dropped. LibreOffice: `.~lock.NAME#`."""
    name = path.name
    word = [(path.with_name("~$" + kept), "Word") for kept in dict.fromkeys((name, name[1:], name[2:]))]
    return [*word, (path.with_name(f".~lock.{name}#"), "LibreOffice")]


def check_writable(path: Path, *, force: bool = False) -> None:
    """Raise OutputError unless `path` can be written now without losing anything.

    What stands at `path` is looked at, never followed: a symbolic link (even one
    pointing nowhere) is a file that exists."""
    path = Path(path)
    if not path.parent.is_dir():
        raise OutputError(f"the folder '{path.parent}' does not exist", file=path,
                          fix="create the folder first, or choose another output folder")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise OutputError(f"you may not write in the folder '{path.parent}'", file=path,
                          fix="choose another output folder")
    lock = next(((lock, editor) for lock, editor in lock_files(path) if os.path.lexists(lock)), None)
    if lock is not None:
        raise OutputError(f"the file is open in {lock[1]} ({lock[0].name} is beside it)", file=path,
                          fix=f"close it in {lock[1]} and run again")
    try:
        status = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISDIR(status.st_mode):
        raise OutputError("a folder of this name is in the way", file=path,
                          fix="rename the folder or choose another output folder")
    if not force:
        raise _exists(path, status)


def check_not_input(path: Path, inputs: Iterable[Path]) -> None:
    """Raise UsageError when `path` is a file the output is made from: not even --force
    may replace what the command reads (same path, link or differently spelt)."""
    path = Path(path)
    for source in map(Path, inputs):
        if os.path.realpath(path) == os.path.realpath(source) or (  # realpath: a link loop is no error here
                path.exists() and source.exists() and os.path.samefile(path, source)):
            raise UsageError(f"the output would replace the input {source}", file=path,
                             fix="choose another output file name")


def write_bytes(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write `data` to `path` through a temporary file and an atomic rename."""
    write_outputs({Path(path): data}, force=force)


def write_outputs(outputs: Mapping[Path, bytes], *, force: bool, unwritten: str = "nothing") -> list[Path]:
    """Write every output or none of them; returns the paths, in the order given.
    `unwritten` says what a failure leaves unwritten, to the user who has seen other files
    of the run written ("no PDF").

    New files get the permissions the user's umask gives any new file (the temporary
    files they start as are private to the user)."""
    targets = [Path(path) for path in outputs]
    for target in targets:
        check_writable(target, force=force)
    mode = 0o666 & ~_umask()
    temporaries: list[str] = []
    placed: list[tuple[Path, int]] = []
    target = targets[0] if targets else Path()
    try:
        for target, data in zip(targets, outputs.values()):
            with _signals_deferred():  # noted as soon as it exists, so the finally below removes it
                handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
                temporaries.append(temporary)
            _write_temporary(handle, temporary, data, mode)
        with _folder_locks({target.parent for target in targets}), _signals_deferred():
            for target in targets:  # again, now that no other msgen run writes here
                check_writable(target, force=force)
            for target, temporary in zip(targets, temporaries):
                if force:
                    os.replace(temporary, target)
                else:
                    inode = os.stat(temporary).st_ino
                    _rename_no_replace(temporary, target)
                    placed.append((target, inode))
            placed.clear()
    except FileExistsError:
        raise _exists(target, None) from None
    except OSError as exc:
        raise _cannot_write(target, unwritten, exc) from None
    finally:
        for temporary in temporaries:
            Path(temporary).unlink(missing_ok=True)
        _take_back(placed)
    return targets


def _take_back(placed: list[tuple[Path, int]]) -> None:
    """Remove the new files this call placed before one of its others failed (all or
    none): only while each is still the file placed, never one another run put there."""
    for target, inode in placed:
        try:
            if target.lstat().st_ino == inode:
                target.unlink()
        except OSError:
            pass


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP back while the files are placed (a few renames): an
    interrupt between two of them would leave one profile's statement beside another
    run's charter, which --force cannot take back. The signal acts as soon as they are placed.
    Also between creating a temporary file and noting it: an interrupt there left it behind."""
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    if not hasattr(signal, "pthread_sigmask"):  # Windows: renames alone
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def _folder_locks(folders: set[Path]) -> Iterator[None]:
    """Hold an exclusive lock on each folder written in (taken in a fixed order, so two
    runs never deadlock), so that the files one call writes together all land before
    another msgen run's. Where locks are not available the renames are still safe."""
    try:
        import fcntl
    except ImportError:  # Windows: no folder locks, the renames alone keep their promises
        yield
        return
    handles: list[int] = []
    try:
        for folder in sorted(folders):
            try:
                handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            except OSError:  # a folder one may write in but not list: the renames alone
                continue
            handles.append(handle)
            _lock(fcntl, handle, folder)
        yield
    finally:
        for handle in handles:
            os.close(handle)  # closing releases the lock


def _lock(fcntl: ModuleType, handle: int, folder: Path) -> None:
    """Wait a while for the lock on `folder`, then say who holds it rather than hang."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise OutputError(f"another program has held a lock on the folder for {LOCK_WAIT_SECONDS} "
                                  "seconds", file=folder,
                                  fix="wait for the other msgen run to finish, then run again") from None
            time.sleep(0.02)
        except OSError:  # a file system without locks (some network shares): renames alone
            return


def _rename_no_replace(source: str, target: Path) -> None:
    """Move `source` to `target` in one step, or raise FileExistsError when anything
    (a file, a link, even one pointing nowhere) is already at `target`."""
    if _renameat2 is not None:
        if _renameat2(-100, os.fsencode(source), -100, os.fsencode(target), 1) == 0:  # AT_FDCWD, NOREPLACE
            return
        failure = ctypes.get_errno()
        if failure not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):  # else: the file system cannot
            raise OSError(failure, os.strerror(failure), str(target))
    os.link(source, target)  # a hard link refuses an existing name too; the temporary then goes
    os.unlink(source)


def _find_renameat2() -> Any:
    """Linux's renameat2() from the C library, which Python does not offer (None elsewhere)."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


_renameat2 = _find_renameat2()


def _write_temporary(handle: int, temporary: str, data: bytes, mode: int) -> None:
    """A complete, flushed copy of `data` in the temporary file open as `handle`."""
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(temporary, mode)


def _umask() -> int:
    """The process umask (reading it means setting it, so it is set straight back)."""
    current = os.umask(0o022)
    os.umask(current)
    return current


def _exists(path: Path, status: os.stat_result | None) -> OutputError:
    link = " (a symbolic link)" if status is not None and stat.S_ISLNK(status.st_mode) else ""
    return OutputError(f"already exists{link}", file=path, fix="run again with --force to replace it")


def _cannot_write(path: Path, unwritten: str, exc: OSError) -> OutputError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(f"the disk is full; {unwritten} was written", file=path,
                           fix="free some space, or choose another output folder")
    return OutputError(f"cannot write the file: {exc.strerror or exc}; {unwritten} was written", file=path,
                       fix="check the folder's permissions and free space")
