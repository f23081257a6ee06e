"""Read a profile file (JSON or YAML) into plain data, remembering where each value stood.

The data is exactly what JSON can hold (dicts, lists, str, int, float, bool, None):
YAML is read with a safe loader that does not turn dates or yes/no into Python objects,
so a YAML profile and the same profile in JSON validate alike. Line numbers let every
later error say `FILE:LINE`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from msgen.errors import JsonPath, ProfileError, UsageError, value_problem
from msgen.files import read_limited

if TYPE_CHECKING:
    from msgen.profile.includes import Includes

MAX_PROFILE_BYTES = 2 * 1024 * 1024
SUFFIXES = {".json": "JSON", ".yaml": "YAML", ".yml": "YAML"}


class LineIndex:
    """Where each value and key stood in the file, worked out when first asked for:
    a valid JSON profile never needs it, nor the YAML library that computes it."""

    def __init__(self, compose: Callable[[], Any] = lambda: None) -> None:
        self._compose = compose
        self._maps: tuple[dict[JsonPath, int], dict[JsonPath, int]] | None = None

    def maps(self) -> tuple[dict[JsonPath, int], dict[JsonPath, int]]:
        if self._maps is None:
            node = self._compose()
            if node is None:
                self._maps = {}, {}
            else:
                from msgen.profile.yamlsource import index_lines

                self._maps = index_lines(node)
        return self._maps


@dataclass(frozen=True)
class LoadedProfile:
    """A profile's data, the file it came from, and the line of each value and key; for a
    version-2 profile that takes shared parts, the data holds them taken in and `includes`
    says which file each came from."""

    path: Path
    data: dict[str, Any]
    lines: LineIndex = field(default_factory=LineIndex, repr=False, compare=False)
    includes: Includes | None = field(default=None, repr=False, compare=False)

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def version(self) -> int:
        """The schema version the profile is written in (1 unless it says 2): which schema
        validates it and which templates build it."""
        return 2 if self.data.get("schema_version") == 2 else 1

    def line_of(self, path: JsonPath, *, key: bool = False) -> int | None:
        """The line of the value at `path` (or of its key), else of its nearest ancestor."""
        value_lines, key_lines = self.lines.maps()
        if key and path in key_lines:
            return key_lines[path]
        while True:
            if path in value_lines:
                return value_lines[path]
            if not path:
                return None
            path = path[:-1]

    def source_of(self, path: JsonPath) -> Path:
        """The file the value at `path` was written in: a shared file's, for a part the
        profile takes from one (check tells shared text from the body's own by this)."""
        return self.location_of(path)[0]

    def location_of(self, path: JsonPath, *, key: bool = False) -> tuple[Path, int | None]:
        """The file and line where the value at `path` (or its key) was written; line_of
        gives the line in the profile itself, that of the include for a shared part."""
        origin = self.includes.origin(path) if self.includes is not None else None
        if origin is None:
            return self.path, self.line_of(path, key=key)
        return origin.source.path, origin.source.line_of(origin.path, key=key)

    def included_files(self, *parts: str) -> tuple[Path, ...]:
        """Every shared file the profile read (with `parts`, only those its parts of these
        names, such as "sections", took text from): what a document built from it depends on."""
        return self.includes.files_in(parts) if self.includes is not None else ()

    def resolve(self, relative: str) -> Path:
        """A path written in the profile, taken relative to the profile's folder (as
        written, when its symbolic links loop: reading it then says so)."""
        try:
            return (self.folder / relative).resolve()
        except RuntimeError:  # Python 3.11's "Symlink loop"
            return (self.folder / relative).absolute()


def strings_in(value: Any, at: JsonPath = ()) -> Iterator[tuple[JsonPath, str]]:
    """(path, text) of every string in profile data, in the file's order."""
    if isinstance(value, str):
        yield at, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(item, at + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings_in(item, at + (index,))


def load_profile(path: Path | str) -> LoadedProfile:
    """Read and parse a profile, or raise ProfileError saying what is wrong and where."""
    path = Path(path)
    profile_kind(path)  # before reading: a file of another type is not read at all
    return parse_profile(path, read_limited(path, MAX_PROFILE_BYTES, "profile"))


def parse_profile(path: Path, raw: bytes) -> LoadedProfile:
    """`raw` parsed as the profile file at `path` (its suffix says JSON or YAML, its folder
    is where signature images and shared files are looked for): bytes about to be written
    there are checked without a scratch copy that an interruption could leave behind. A
    version-2 profile's shared parts are taken in (msgen.profile.includes)."""
    profile = _parse(path, raw)
    if profile.version != 2:
        return profile
    from msgen.profile.includes import resolve_includes

    data, includes = resolve_includes(profile, _read_shared)
    return profile if includes is None else LoadedProfile(path, data, profile.lines, includes)


def _read_shared(path: Path) -> tuple[LoadedProfile, bytes]:
    """A shared file as written (its own includes not yet taken in), and its bytes."""
    profile_kind(path)
    raw = read_limited(path, MAX_PROFILE_BYTES, "shared")
    return _parse(path, raw), raw


def _parse(path: Path, raw: bytes) -> LoadedProfile:
    kind = profile_kind(path)
    text = _decode(path, raw)
    if not text.strip():
        raise ProfileError("the file is empty", file=path,
                           fix="start from `msgen init` or an example in examples/")
    try:
        if kind == "JSON":
            data = _parse_json(path, text)
            lines = LineIndex(lambda: _compose_json_quietly(text))
        else:
            from msgen.profile import yamlsource

            node = yamlsource.compose_yaml(path, text)
            data = yamlsource.construct_yaml(path, node)
            lines = LineIndex(lambda: node)
    except RecursionError:
        raise ProfileError("the data is nested too deeply to be a profile", file=path) from None
    if not isinstance(data, dict):
        found = "nothing" if data is None else f"a {_json_type(data)}"
        raise ProfileError(f"a profile is a set of named fields (a mapping); this file holds {found}",
                           file=path, line=1, fix="start from `msgen init` or an example in examples/")
    return LoadedProfile(path, data, lines)


def profile_kind(path: Path) -> str:
    """JSON or YAML, from the file name; refuses any other file type."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise UsageError(f"'{path.suffix or path.name}' is not a profile file type",
                         file=path, fix="name the profile .json, .yaml or .yml")
    return kind


def _compose_json_quietly(text: str) -> Any:
    from msgen.profile.yamlsource import compose_quietly

    return compose_quietly(text)


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) > 1 and b"\x00" in raw[:4]):
        raise ProfileError("the file is saved as UTF-16", file=path, line=1,
                           fix="save it as UTF-8: in Notepad, Save As with Encoding UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):  # Windows editors add a UTF-8 byte-order mark: harmless
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ProfileError(f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02X})", file=path,
                           line=line, fix="save it as UTF-8; it looks like Latin-1 or Windows-1252"
                           ) from None


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed in a profile")


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key '{key}' appears twice in one object")
        result[key] = value
    return result


def _parse_json(path: Path, text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_unique_pairs, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ProfileError(f"malformed JSON: {exc.msg} (column {exc.colno})", file=path,
                           line=exc.lineno, fix="check for a missing comma, quote or bracket") from None
    except ValueError as exc:
        raise ProfileError(f"malformed JSON: {value_problem(exc)}", file=path) from None


def _json_type(value: Any) -> str:
    return {dict: "mapping", list: "list", str: "text", bool: "true/false", int: "number",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)
