"""msgen's cache folder: what only makes a later run faster (compiled templates, docxtpl's
prepared XML, the profiles found valid). Anything in it may go missing or be unwritable;
msgen is then only slower. Kept apart from the modules that use it so that reaching it
imports nothing heavy.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def cache_dir() -> Path:
    """msgen's cache folder: $MSGEN_CACHE_DIR, else $XDG_CACHE_HOME/msgen, else ~/.cache/msgen."""
    configured = os.environ.get("MSGEN_CACHE_DIR")
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "msgen"


def cache_folder(name: str) -> Path | None:
    """A usable folder in msgen's cache, or None: without a cache msgen is only slower."""
    folder = cache_dir() / name
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK | os.X_OK) else None


def read_entry(entry: Path) -> str | None:
    """An entry's text, or None when it is missing, unreadable or damaged (each entry
    starts with the hash of its text)."""
    try:
        checksum, _, text = entry.read_text(encoding="utf-8").partition("\n")
    except (OSError, UnicodeDecodeError):
        return None
    return text if hashlib.sha256(text.encode("utf-8")).hexdigest() == checksum else None


def write_entry(entry: Path, text: str) -> None:
    """Written whole or not at all (a temporary file renamed), so runs can share the cache."""
    try:
        handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=entry.name, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(hashlib.sha256(text.encode("utf-8")).hexdigest() + "\n" + text)
        os.replace(temporary, entry)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
