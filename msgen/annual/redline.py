"""Compare last year's statement with this year's as Word tracked changes (`msgen redline`).

Lawyers review a statement by what changed since the version they approved. A
redline with real revisions (w:ins / w:del) lets them accept or reject each change in
Word. The comparison is python-redlines' Docxodus engine, a program bundled in the
wheel: nothing goes over the network. It is an optional extra, msgen[redline].

The redline is a copy for review: the content controls that tag each profile field are
left out of it, because the engine replaces a content control's whole paragraph when
one word in it changes, where a lawyer needs to see the word.
"""

from __future__ import annotations

import atexit
import re
import shutil
import stat
import subprocess
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from msgen.errors import DocumentError, OutputError, UsageError
from msgen.files import MAX_DOCUMENT_BYTES, read_limited
from msgen.writer import check_not_input, check_writable, write_bytes

INSTALL = 'pip install "msgen[redline]"'
RESAVE = "open both in Word, save them as .docx, and run again"
_NOT_ONE_LINE = re.compile(r"[\u0000-\u001F\u007F-\u009F]")


def redline_bytes(old: bytes, new: bytes, author: str = "msgen",
                  when: datetime | None = None, files: tuple[Path | None, Path | None] = (None, None)) -> bytes:
    """A .docx showing `new` as tracked changes made to `old`, each by `author` at `when`
    (now, unless given: a build that must be byte-identical passes its own). `files`
    name the documents, so a damaged one is named in the message."""
    from msgen.ooxml import DAMAGED, without_content_controls

    engine = _engine()
    moment = (when or datetime.now(timezone.utc)).astimezone(timezone.utc)
    stripped = []
    for data, file in zip((old, new), files):
        try:
            stripped.append(without_content_controls(data))
        except DAMAGED as exc:
            raise DocumentError(f"a document to compare is damaged: {exc}", file=file, fix=RESAVE) from None
    old, new = stripped
    try:
        redline, _, _ = engine.run_redline(author, old, new, date_time=moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
    except OSError as exc:
        raise OutputError(f"the comparison program could not run: {exc}",
                          fix=f"reinstall it with {INSTALL}") from None
    except subprocess.CalledProcessError as exc:  # the engine rejected a document
        said = (exc.stderr or exc.stdout or "").strip().splitlines()
        raise DocumentError(f"the documents could not be compared: {said[-1] if said else exc}",
                            fix=RESAVE) from None
    return redline


def _engine():
    """The Docxodus engine, its bundled program unpacked (once) where only this user can
    change it: python-redlines' own default folder is run from unchecked."""
    try:
        from python_redlines import DocxodusEngine
    except ImportError:
        raise _missing() from None
    try:
        return DocxodusEngine(target_path=str(_engine_folder(DocxodusEngine)))
    except ImportError:  # EngineNotInstalledError: the [docxodus] part is missing
        raise _missing() from None
    except OSError as exc:  # no program for this computer, or the cache cannot be written
        raise OutputError(f"the comparison program cannot be prepared: {exc}",
                          fix="set MSGEN_CACHE_DIR to a folder only you can write to, or run on Windows, "
                              "macOS or 64-bit Linux") from None


def _engine_folder(engine_class: Any) -> Path:
    """A folder holding the engine's program as python-redlines unpacked it: in msgen's
    private cache when the signed list of its files (name, size, inode, time) still
    matches, else unpacked afresh into a new private folder (mode 0700, so the library's
    chmod cannot be redirected through a symlink) and moved into the cache."""
    from importlib.metadata import PackageNotFoundError, version

    from msgen.cache import cache_folder, read_entry, write_entry

    try:
        release = version(engine_class.BINARY_PACKAGE.replace("_", "-"))
    except PackageNotFoundError:
        raise ImportError(engine_class.BINARY_PACKAGE) from None
    cache = cache_folder("redline")
    if cache is not None:
        kept, manifest = cache / release, cache / f"{release}.files"
        files = _file_list(kept)
        if files and read_entry(manifest) == files:
            return kept
    staging = Path(tempfile.mkdtemp(prefix="msgen-redline-", dir=cache))
    engine_class(target_path=str(staging))  # unpacks the program into the private folder
    if cache is not None:
        shutil.rmtree(kept, ignore_errors=True)
        try:
            staging.rename(kept)
            write_entry(manifest, _file_list(kept))
            return kept
        except OSError:  # another run has just put its own copy there: use this one
            pass
    atexit.register(shutil.rmtree, staging, True)
    return staging


def _file_list(folder: Path) -> str:
    """Every file under `folder` with its size, inode and modification time; empty when
    something there is not a plain file or folder of this user's that only they can write."""
    from msgen.cache import yours_alone

    lines = []
    for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
        status = path.lstat()
        if not (stat.S_ISREG(status.st_mode) or stat.S_ISDIR(status.st_mode)) or not yours_alone(status):
            return ""
        lines.append(f"{path.relative_to(folder)}\t{status.st_size}\t{status.st_ino}\t{status.st_mtime_ns}")
    return "\n".join(lines)


def _missing() -> OutputError:
    return OutputError("comparing documents needs msgen's optional redline part",
                       fix=f"install it with {INSTALL}")


def count_revisions(docx: bytes) -> tuple[int, int]:
    """(insertions, deletions) tracked in a .docx's body, headers, footers and notes."""
    from msgen.ooxml import TEXT_PARTS, parse, read_parts, w

    roots = [parse(data) for data in read_parts(docx, wanted=TEXT_PARTS.fullmatch).values()]
    return (sum(1 for root in roots for _ in root.iter(w("ins"))),
            sum(1 for root in roots for _ in root.iter(w("del"))))


def write_redline(old: Path, new: Path, target: Path, *, author: str = "msgen",
                  force: bool = False) -> tuple[int, int]:
    """Write the redline of `old` against `new` to `target`; return (insertions, deletions)."""
    old, new, target = Path(old), Path(new), Path(target)
    if not author.strip() or _NOT_ONE_LINE.search(author):
        raise UsageError(f"--author {author!r} is not a name",
                         fix="give a name on one line, e.g. --author 'Legal Services'")
    old_bytes, new_bytes = read_docx(old), read_docx(new)
    check_not_input(target, [old, new])
    check_writable(target, force=force)
    redline = redline_bytes(old_bytes, new_bytes, author, files=(old, new))
    write_bytes(target, redline, force=force)
    return count_revisions(redline)


def read_docx(path: Path) -> bytes:
    """The bytes of a Word .docx; refused in words when it is not one: a missing file, a
    pipe or device, an old .doc, a PDF, a damaged package (PackageTooLarge past the limits)."""
    from msgen.ooxml import DAMAGED, MAIN_DOCUMENT, read_parts

    data = read_limited(path, MAX_DOCUMENT_BYTES, "document")
    try:
        if MAIN_DOCUMENT in read_parts(data, file=path):
            return data
    except DAMAGED:
        pass
    raise DocumentError("this is not a Word document (.docx)", file=path,
                        fix="open it in Word and save it as 'Word Document (.docx)'; "
                            "a .doc or a password-protected file cannot be compared")
