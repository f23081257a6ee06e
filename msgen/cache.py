"""msgen's cache folder: what only makes a later run faster (compiled templates, docxtpl's
prepared XML, the profiles found valid, the redline engine). Anything in it may go missing
or be unwritable; msgen is then only slower. Kept apart from the modules that use it so
that reaching it imports nothing heavy.

Compiled templates are code and a "found valid" entry skips a check, so whoever can write
the cache could run code as the user or build an invalid profile. msgen therefore uses
the cache only when it can prove the folder is the user's own and private (owned by the
user, and neither it nor a folder above it writable by anyone else, as pip and ssh
check), and reads only entries it wrote itself: each is signed (HMAC-SHA256) with a
secret key kept in that folder, readable by the user alone, over the entry's name (what
it is the result of) and its content.
"""

from __future__ import annotations

import os
import stat
from functools import cache
from pathlib import Path

KEY_NAME = "key"
KEY_BYTES = 32
_OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH


def cache_dir() -> Path:
    """msgen's cache folder: $MSGEN_CACHE_DIR, else $XDG_CACHE_HOME/msgen, else ~/.cache/msgen."""
    configured = os.environ.get("MSGEN_CACHE_DIR")
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "msgen"


def yours_alone(status: os.stat_result, *, secret: bool = False) -> bool:
    """Owned by this user and writable (a secret: readable) by no one else. On Windows,
    which keeps a user's folders private through access lists that stat cannot show,
    there is nothing to check this way."""
    if not hasattr(os, "geteuid"):
        return True
    others = 0o077 if secret else _OTHERS_WRITE
    return status.st_uid == os.geteuid() and not status.st_mode & others


def _safe_above(status: os.stat_result) -> bool:
    """A folder above the cache: root's or this user's, and writable by others only if it
    is sticky (like /tmp), where no one can rename or remove another's folder."""
    if not hasattr(os, "geteuid"):
        return True
    return status.st_uid in (os.geteuid(), 0) and (
        not status.st_mode & _OTHERS_WRITE or bool(status.st_mode & stat.S_ISVTX))


def not_private(folder: Path) -> str | None:
    """Why someone other than this user could change what is in `folder` (None when no one
    can): it is not the user's own folder, or it or a folder above it is writable by
    others."""
    try:
        real = folder.resolve(strict=True)
        status = os.lstat(real)
        if not stat.S_ISDIR(status.st_mode) or not yours_alone(status):
            return f"{real} is not a folder of your own that only you can write to"
        for above in real.parents:
            if not _safe_above(os.lstat(above)):
                return f"{above} (above {real}) can be changed by another user"
    except (OSError, RuntimeError):  # gone, unreadable, or a symlink loop
        return f"{folder} cannot be checked"
    return None


def _private_root() -> Path | None:
    return _checked_root(cache_dir())


@cache
def _checked_root(root: Path) -> Path | None:
    """The cache folder, resolved, when it is provably private to this user; else None
    (msgen runs without a cache, and says so once when the folder exists but is shared)."""
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    problem = not_private(root)
    if problem is not None:
        from msgen import console

        console.warning(f"msgen's cache is not used: {problem} (give MSGEN_CACHE_DIR a folder only you can write to)")
        return None
    return root.resolve()


def cache_folder(name: str) -> Path | None:
    """A usable private folder in msgen's cache, or None: without a cache msgen is only slower."""
    root = _private_root()
    if root is None or _key_in(root) is None:
        return None
    folder = root / name
    try:
        folder.mkdir(exist_ok=True, mode=0o700)
    except OSError:
        return None
    if not_private(folder) is not None or not os.access(folder, os.W_OK | os.X_OK):
        return None
    return folder


def _key() -> bytes | None:
    root = _private_root()
    return _key_in(root) if root is not None else None


@cache
def _key_in(root: Path) -> bytes | None:
    """The secret that signs this user's cache entries: made once, readable by the user alone."""
    import secrets
    import tempfile

    path = root / KEY_NAME
    try:
        handle, temporary = tempfile.mkstemp(dir=root, prefix=".key-")  # mode 0600
        try:
            os.write(handle, secrets.token_bytes(KEY_BYTES))
            os.link(temporary, path)  # never replaces a key another run made first
        except FileExistsError:
            pass
        finally:
            os.close(handle)
            os.unlink(temporary)
        return _read_key(path)
    except OSError:
        return None


def _read_key(path: Path) -> bytes | None:
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode) or not yours_alone(status, secret=True) or status.st_size != KEY_BYTES:
            return None
        return os.read(handle, KEY_BYTES)
    finally:
        os.close(handle)


def _signature(key: bytes, name: str, content: bytes) -> bytes:
    import hashlib
    import hmac

    return hmac.new(key, name.encode("utf-8") + b"\0" + content, hashlib.sha256).hexdigest().encode("ascii")


def entry_name(parts: list[bytes]) -> str:
    """The name of the entry for what `parts` say (a digest; each part with its length, so
    no two lists of parts run together alike)."""
    import hashlib

    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def read_bytes_entry(entry: Path) -> bytes | None:
    """An entry's content, or None when it is missing, unreadable, damaged or not written by
    msgen for this user under this name."""
    key = _key()
    if key is None:
        return None
    try:
        handle = os.open(entry, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(handle, "rb") as stream:
            signature, _, content = stream.read().partition(b"\n")
    except OSError:
        return None
    import hmac

    return content if hmac.compare_digest(signature, _signature(key, entry.name, content)) else None


def write_bytes_entry(entry: Path, content: bytes) -> None:
    """Written whole or not at all (a temporary file renamed), so runs can share the cache."""
    import tempfile

    key = _key()
    if key is None:
        return
    try:
        handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=entry.name, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(_signature(key, entry.name, content) + b"\n" + content)
        os.replace(temporary, entry)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def read_entry(entry: Path) -> str | None:
    """An entry's text (see read_bytes_entry)."""
    content = read_bytes_entry(entry)
    try:
        return content.decode("utf-8") if content is not None else None
    except UnicodeDecodeError:
        return None


def write_entry(entry: Path, text: str) -> None:
    write_bytes_entry(entry, text.encode("utf-8"))
