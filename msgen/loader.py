"""Read a profile file (JSON or YAML) into plain data, remembering where each value stood.

The data is exactly what JSON can hold (dicts, lists, str, int, float, bool, None):
YAML is read with a safe loader that does not turn dates or yes/no into Python objects,
so a YAML profile and the same profile in JSON validate alike. Line numbers let every
later error say `FILE:LINE`.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from msgen.errors import ProfileError, UsageError

MAX_PROFILE_BYTES = 2 * 1024 * 1024
MAX_VALUES = 100_000  # after YAML aliases are expanded: stops "billion laughs" files
SUFFIXES = {".json": "JSON", ".yaml": "YAML", ".yml": "YAML"}

JsonPath = tuple[str | int, ...]


@dataclass(frozen=True)
class LoadedProfile:
    """A profile's data, the file it came from, and the line of each value and key."""

    path: Path
    data: dict[str, Any]
    value_lines: dict[JsonPath, int] = field(default_factory=dict, repr=False)
    key_lines: dict[JsonPath, int] = field(default_factory=dict, repr=False)

    @property
    def folder(self) -> Path:
        return self.path.parent

    def line_of(self, path: JsonPath, *, key: bool = False) -> int | None:
        """The line of the value at `path` (or of its key), else of its nearest ancestor."""
        if key and path in self.key_lines:
            return self.key_lines[path]
        while True:
            if path in self.value_lines:
                return self.value_lines[path]
            if not path:
                return None
            path = path[:-1]

    def resolve(self, relative: str) -> Path:
        """A path written in the profile, taken relative to the profile's folder."""
        return (self.folder / relative).resolve()


class _ProfileYamlLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text, knows only true/false as booleans,
    refuses duplicate keys (YAML would silently keep the last one) and refuses the
    explicit tags that build values JSON cannot hold (!!timestamp, !!binary, !!set...)."""


_ProfileYamlLoader.yaml_constructors = {
    tag: construct for tag, construct in yaml.SafeLoader.yaml_constructors.items()
    if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary", "tag:yaml.org,2002:set",
                   "tag:yaml.org,2002:omap", "tag:yaml.org,2002:pairs")
}


_ProfileYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ProfileYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, f"keys must be text, found {key!r}", key_node.start_mark)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice (first on line {seen[key]})",
                key_node.start_mark)
        seen[key] = key_node.start_mark.line + 1
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_ProfileYamlLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_profile(path: Path | str) -> LoadedProfile:
    """Read and parse a profile, or raise ProfileError saying what is wrong and where."""
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise UsageError(f"'{path.suffix or path.name}' is not a profile file type",
                         file=path, fix="name the profile .json, .yaml or .yml")
    raw = _read_bytes(path)
    text = _decode(path, raw)
    if not text.strip():
        raise ProfileError("the file is empty", file=path,
                           fix="start from `msgen init` or an example in examples/")
    try:
        if kind == "JSON":
            data = _parse_json(path, text)
            node = _compose_quietly(text)
        else:
            node = _compose_yaml(path, text)
            data = _construct_yaml(path, node)
    except RecursionError:
        raise ProfileError("the data is nested too deeply to be a profile", file=path) from None
    if not isinstance(data, dict):
        found = "nothing" if data is None else f"a {_json_type(data)}"
        raise ProfileError(f"a profile is a set of named fields (a mapping); this file holds {found}",
                           file=path, line=1, fix="start from `msgen init` or an example in examples/")
    value_lines: dict[JsonPath, int] = {}
    key_lines: dict[JsonPath, int] = {}
    if node is not None:
        _index_lines(node, (), value_lines, key_lines)
    return LoadedProfile(path, data, value_lines, key_lines)


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_PROFILE_BYTES:
            raise ProfileError(f"the file is {size / 1024 / 1024:.1f} MB; a profile is at most "
                               f"{MAX_PROFILE_BYTES // 1024 // 1024} MB", file=path,
                               fix="check you passed the profile, not another file")
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError("no such file", file=path) from None
    except IsADirectoryError:
        raise UsageError("this is a folder, not a profile file", file=path) from None
    except PermissionError:
        raise UsageError("you do not have permission to read this file", file=path) from None


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
        raise ProfileError(f"malformed JSON: {_value_problem(exc)}", file=path) from None


def _compose_quietly(text: str) -> yaml.Node | None:
    """JSON is YAML's flow style, so YAML's composer gives JSON's line numbers too;
    the rare JSON it cannot read just loses line numbers, never the data."""
    try:
        return yaml.compose(text, Loader=_ProfileYamlLoader)
    except (yaml.YAMLError, RecursionError):
        return None


def _compose_yaml(path: Path, text: str) -> yaml.Node | None:
    try:
        node = yaml.compose(text, Loader=_ProfileYamlLoader)
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(path, exc) from None
    except yaml.reader.ReaderError as exc:  # a raw control character, pasted from Word or PDF
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - text.rfind("\n", 0, exc.position)
        raise ProfileError(f"the control character U+{exc.character:04X} at column {column} is not allowed",
                           file=path, line=line, fix="delete it; it often comes with text pasted from Word or PDF"
                           ) from None
    except yaml.YAMLError as exc:
        raise ProfileError(f"malformed YAML: {exc}", file=path) from None
    if node is not None and _expanded_size(node, MAX_VALUES) > MAX_VALUES:
        raise ProfileError(f"the YAML expands to more than {MAX_VALUES:,} values through anchors "
                           "and aliases (&name / *name)", file=path,
                           fix="write the values out instead of nesting aliases")
    return node


def _construct_yaml(path: Path, node: yaml.Node | None) -> Any:
    if node is None:
        return None
    loader = _ProfileYamlLoader("")
    try:
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(path, exc) from None
    except ValueError as exc:  # a number too long for Python, or `!!int`/`!!float` on text
        raise ProfileError(f"malformed YAML: {_value_problem(exc)}", file=path) from None
    finally:
        loader.dispose()


def _value_problem(exc: ValueError) -> str:
    """The parser's complaint, without Python's advice to developers."""
    if "integer string conversion" in str(exc):
        return f"a number has more than {sys.get_int_max_str_digits()} digits"
    return str(exc)


def _yaml_error(path: Path, exc: yaml.MarkedYAMLError) -> ProfileError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "cannot be read"
    if "could not determine a constructor" in problem:
        tag = problem.split("tag ", 1)[-1].strip().replace("tag:yaml.org,2002:", "!!")
        problem = f"the tag {tag} is not allowed: a profile holds only plain text, numbers, lists and mappings"
    elif exc.context and "while parsing" in exc.context:
        problem = f"{problem} ({exc.context})"
    elif exc.context and exc.context_mark and exc.context.startswith("while scanning"):
        problem = f"{problem} ({exc.context} that starts on line {exc.context_mark.line + 1})"
    elif exc.context and problem.startswith("but "):
        problem = f"{exc.context}, {problem}"
    return ProfileError(f"malformed YAML: {problem}", file=path,
                        line=mark.line + 1 if mark else None,
                        fix=None if "tag" in problem else "check the indentation and quotes")


def _expanded_size(node: yaml.Node, limit: int) -> int:
    """How many values the node stands for once aliases are copied out (stops at limit)."""
    memo: dict[int, int] = {}

    def size(n: yaml.Node) -> int:
        if id(n) in memo:
            return memo[id(n)]
        memo[id(n)] = limit + 1  # a cycle counts as too big
        if isinstance(n, yaml.MappingNode):
            total = 1 + sum(size(k) + size(v) for k, v in n.value)
        elif isinstance(n, yaml.SequenceNode):
            total = 1 + sum(size(v) for v in n.value)
        else:
            total = 1
        memo[id(n)] = min(total, limit + 1)
        return memo[id(n)]

    return size(node)


def _index_lines(node: yaml.Node, path: JsonPath, values: dict, keys: dict) -> None:
    if path in values:  # an alias seen before: same lines
        return
    values[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                child = path + (key_node.value,)
                keys[child] = key_node.start_mark.line + 1
                _index_lines(value_node, child, values, keys)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, path + (index,), values, keys)


def _json_type(value: Any) -> str:
    return {dict: "mapping", list: "list", str: "text", bool: "true/false", int: "number",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)
