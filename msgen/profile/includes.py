"""Shared parts: a version-2 profile taking sections, bodies or its supplier charter from
another file, so text several bodies publish alike (the 7 Force Procurement charter, a
regional statement) has one source and a change to it rebuilds every member.

    sections:         - {include: ../shared-7f.yaml, section: supplier-charter}
    bodies:           - {include: ../region.yaml, body: norfolk-opcc}
    supplier_charter: {include: ../shared-7f.yaml}

The file is named relative to the file that names it, and is YAML or JSON holding any of
`sections`, `bodies` and `supplier_charter` (a whole profile will do). A section is looked
for among its `sections`, then its charter's. A shared file may include from another in
turn; a loop, or a chain deeper than MAX_DEPTH, is refused. Each part is taken in before
validation, so the schema and every later step see one plain profile; where each taken
part came from is kept (`Includes.origin`), so a problem inside shared text names the
shared file and its line, and check can tell shared text from the body's own. Only an
include written exactly as above is taken in: one with other keys beside it is left for
the schema to name what is wrong.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Protocol, TypeGuard

from msgen.errors import IncludeError, JsonPath, MsgenError

MAX_DEPTH = 8  # a shared file including one that includes … : deeper than any collaboration needs
SECTION_LISTS: tuple[JsonPath, ...] = (("sections",), ("supplier_charter", "sections"))


class Document(Protocol):
    """A profile or shared file as the loader read it (msgen.profile.loader.LoadedProfile)."""

    @property
    def path(self) -> Path: ...

    @property
    def folder(self) -> Path: ...

    @property
    def data(self) -> dict[str, Any]: ...

    def line_of(self, path: JsonPath, *, key: bool = False) -> int | None: ...

    def resolve(self, relative: str) -> Path: ...


ReadShared = Callable[[Path], tuple[Document, bytes]]  # a shared file, read and parsed as written, and its bytes


@dataclass(frozen=True)
class Origin:
    """Where a taken part stands in the file it was written in."""

    source: Document
    path: JsonPath
    file: Path  # the source's file, resolved: one name however it was reached


@dataclass(frozen=True)
class Includes:
    """What a profile took from shared files: the origin of each taken part (by its path in
    the profile), and every file read, with the SHA-256 of its bytes, in the order read."""

    origins: dict[JsonPath, Origin]
    files: tuple[tuple[Path, str], ...]

    def origin(self, path: JsonPath) -> Origin | None:
        """The shared file's place of the value at `path`; None when the profile wrote it."""
        for length in range(len(path), 0, -1):
            found = self.origins.get(path[:length])
            if found is not None:
                return dataclasses.replace(found, path=found.path + path[length:])
        return None

    def files_in(self, parts: tuple[str, ...] = ()) -> tuple[Path, ...]:
        """Every shared file read, in order; with `parts`, only those the profile's parts
        of these names (top-level keys) were taken from, directly or through another."""
        used = {origin.file for at, origin in self.origins.items() if not parts or at[0] in parts}
        return tuple(path for path, _ in self.files if path in used or not parts)


def resolve_includes(profile: Document, read: ReadShared) -> tuple[dict[str, Any], Includes | None]:
    """The profile's data with every shared part taken in, and where each came from (None
    when it takes nothing); `read` reads a shared file (the loader's own reading, passed in
    so that this module needs nothing of the loader's)."""
    resolver = _Resolver(read)
    data, origins = resolver.resolve(profile, (_identity(profile.path),))
    if not origins:
        return profile.data, None
    return data, Includes(origins, tuple(resolver.files.items()))


class _Resolver:
    """Reads each shared file once per profile, and takes its parts in."""

    def __init__(self, read: ReadShared) -> None:
        self._read = read
        self.files: dict[Path, str] = {}
        self._resolved: dict[Path, tuple[Document, dict[str, Any], dict[JsonPath, Origin]]] = {}

    def resolve(self, document: Document,
                chain: tuple[Path, ...]) -> tuple[dict[str, Any], dict[JsonPath, Origin]]:
        """`document`'s data with its includes taken in, and the origin of each part taken."""
        data = dict(document.data)
        origins: dict[JsonPath, Origin] = {}
        for key, kind in ("bodies", "body"), ("sections", "section"):
            if key in data:
                data[key] = self._take_items(document, data[key], (key,), kind, chain, origins)
        charter = data.get("supplier_charter")
        if _is_include(charter, "include"):
            data["supplier_charter"] = self._take(document, ("supplier_charter",), charter, None, chain, origins)
        elif isinstance(charter, dict) and "sections" in charter:
            data["supplier_charter"] = {**charter, "sections": self._take_items(
                document, charter["sections"], ("supplier_charter", "sections"), "section", chain, origins)}
        return data, origins

    def _take_items(self, document: Document, items: Any, at: JsonPath, kind: str,
                    chain: tuple[Path, ...], origins: dict[JsonPath, Origin]) -> Any:
        """The list `items` at `at` with each include of a `kind` taken in (anything else as it is)."""
        if not isinstance(items, list):
            return items
        return [self._take(document, at + (index,), item, kind, chain, origins)
                if _is_include(item, "include", kind) else item for index, item in enumerate(items)]

    def _take(self, document: Document, at: JsonPath, include: dict[str, str], kind: str | None,
              chain: tuple[Path, ...], origins: dict[JsonPath, Origin]) -> Any:
        """The part `include` names (the whole charter when `kind` is None), its origins noted."""
        written = include["include"]
        shared, data, shared_origins = self._shared(document, at, written, chain)
        wanted = include[kind] if kind else None
        found = _find(data, kind, wanted) if kind and wanted else (
            ("supplier_charter",) if isinstance(data.get("supplier_charter"), dict) else None)
        if found is None:
            raise _include_error(document, at, written, _missing(data, kind, wanted))
        origins[at] = Origin(shared, found, _identity(shared.path))
        for path, origin in shared_origins.items():
            if path[:len(found)] == found:
                origins[at + path[len(found):]] = origin
        return copy.deepcopy(_at(data, found))

    def _shared(self, document: Document, at: JsonPath, written: str,
                chain: tuple[Path, ...]) -> tuple[Document, dict[str, Any], dict[JsonPath, Origin]]:
        """The shared file `written` names (relative to `document`), read and resolved once."""
        path = document.resolve(written)
        identity = _identity(path)
        if identity in chain:
            loop = " → ".join(p.name for p in (*chain[chain.index(identity):], identity))
            raise _include_error(document, at, written, f"goes round in a loop: {loop}")
        if len(chain) > MAX_DEPTH:
            raise _include_error(document, at, written, f"would nest includes more than {MAX_DEPTH} files deep")
        if identity not in self._resolved:
            if not os.path.lexists(path):
                raise _include_error(document, at, written, f"does not exist (looked in {path.parent})",
                                     fix="name it relative to the file that includes it")
            shown = Path(os.path.normpath(document.folder / written))  # as the user would name it
            try:
                shared, raw = self._read(shown if _identity(shown) == identity else path)
            except MsgenError as exc:
                where = f" on its line {exc.line}" if exc.line else ""
                raise _include_error(document, at, written, f"cannot be read{where}: {exc.message}") from None
            data = shared.data
            version = data.get("schema_version", 2)
            if version != 2:
                raise _include_error(document, at, written,
                                     f"is a version-{version} profile; shared parts are version 2")
            self.files[identity] = hashlib.sha256(raw).hexdigest()
            data, origins = self.resolve(shared, (*chain, identity))
            self._resolved[identity] = shared, data, origins
        return self._resolved[identity]


def _identity(path: Path) -> Path:
    """One name per file, however it is reached, so a loop is seen whatever the spelling."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return Path(path).absolute()


def _is_include(value: Any, *keys: str) -> TypeGuard[dict[str, str]]:
    """An include written exactly: a file's name and, for a section or body, the id to take."""
    return (isinstance(value, dict) and set(value) == set(keys)
            and all(isinstance(value[key], str) and value[key] for key in keys))


def _lists(kind: str) -> tuple[JsonPath, ...]:
    """Where a shared file holds its parts of `kind`: bodies; sections, then its charter's."""
    return (("bodies",),) if kind == "body" else SECTION_LISTS


def _at(data: Any, path: JsonPath) -> Any:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _find(data: dict[str, Any], kind: str, wanted: str) -> JsonPath | None:
    for at in _lists(kind):
        items = _at(data, at)
        for index, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and item.get("id") == wanted:
                return at + (index,)
    return None


def _missing(data: dict[str, Any], kind: str | None, wanted: str | None) -> str:
    """Why the part asked for is not in the shared file, naming what is there."""
    if kind is None or wanted is None:
        return "has no supplier_charter"
    ids = [item["id"] for at in _lists(kind) if isinstance(items := _at(data, at), list)
           for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)]
    if not ids:
        return f"has no {'bodies' if kind == 'body' else 'sections'}"
    close = difflib.get_close_matches(wanted, ids, n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"has no {kind} with the id '{wanted}' (ids: {', '.join(ids)}){hint}"


def _include_error(document: Document, at: JsonPath, written: str, why: str,
                   fix: str | None = None) -> IncludeError:
    """One line naming the including file, its line and the include."""
    error = IncludeError(f"the shared file '{written}' {why}", file=document.path,
                         line=document.line_of(at + ("include",)), fix=fix)
    error.problem = dataclasses.replace(error.problem, path=at)
    return error
