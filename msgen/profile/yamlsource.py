"""The YAML side of reading a profile, and line numbers for JSON and YAML alike.

Kept apart from loader.py so a JSON profile that is valid never imports PyYAML: line
numbers are worked out only when a problem needs one to be reported.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml

from msgen.errors import JsonPath, ProfileError, value_problem

MAX_VALUES = 100_000  # after YAML aliases are expanded: stops "billion laughs" files


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


def compose_quietly(text: str) -> yaml.Node | None:
    """JSON is YAML's flow style, so YAML's composer gives JSON's line numbers too;
    the rare JSON it cannot read just loses line numbers, never the data."""
    try:
        return yaml.compose(text, Loader=_ProfileYamlLoader)
    except (yaml.YAMLError, RecursionError):
        return None


try:
    from yaml import CSafeLoader as _FastestSafeLoader
except ImportError:  # PyYAML built without libyaml: compose_yaml never uses this loader then
    from yaml import SafeLoader as _FastestSafeLoader  # type: ignore[assignment]


class _LibyamlProfileLoader(_FastestSafeLoader):
    """libyaml's parser and composer (about fifteen times faster than PyYAML's own), with
    the profile loader's resolvers."""

    yaml_implicit_resolvers = _ProfileYamlLoader.yaml_implicit_resolvers


# libyaml's composer recurses in C, where Python's recursion limit does not reach: a text
# that might nest deeper than this goes to PyYAML's composer, which stops at Python's limit
# (a few hundred levels) with a RecursionError that the loader reports as "nested too deeply".
# Well below that limit, so what libyaml composes PyYAML would have composed too.
LIBYAML_MAX_DEPTH = 100
# What may stand before a block collection that starts on the same line: indentation,
# indicators (`- `, `? `, `: `), anchors and tags. Any block collection starts at a
# column this prefix reaches, and a collection nested in it starts further right, except a
# sequence that is a mapping's value, which may start at the mapping's column.
_BLOCK_PREFIX = re.compile(r"(?:[ \t]+|[-?:](?=[ \t]|$)|[&!][^ \t]*)*")


def _nesting_bound(text: str) -> int:
    """At least the depth of the deepest value in the YAML text, found without parsing it:
    each flow collection opens with a `[` or `{` of its own, and block collections nest at
    most two to a column. (splitlines ends lines at every YAML line break, and at a few
    characters YAML refuses.)"""
    widest = max((prefix.end() for line in text.splitlines() if (prefix := _BLOCK_PREFIX.match(line))), default=0)
    return text.count("[") + text.count("{") + 2 * (widest + 1)


def _compose_with_libyaml(text: str) -> yaml.Node | None | Literal[False]:
    """The text's node with libyaml when that is safe and it succeeds; False otherwise, and
    PyYAML composes it (or says what is wrong, in its own words)."""
    if not yaml.__with_libyaml__ or _nesting_bound(text) > LIBYAML_MAX_DEPTH:
        return False
    try:
        return yaml.compose(text, Loader=_LibyamlProfileLoader)
    except Exception:  # a YAML error, or text libyaml cannot take (a lone surrogate)
        return False


def compose_yaml(path: Path, text: str) -> yaml.Node | None:
    node = _compose_with_libyaml(text)
    if node is False:
        node = _compose_with_pyyaml(path, text)
    if node is not None and _expanded_size(node, MAX_VALUES) > MAX_VALUES:
        raise ProfileError(f"the YAML expands to more than {MAX_VALUES:,} values through anchors "
                           "and aliases (&name / *name)", file=path,
                           fix="write the values out instead of nesting aliases")
    ambiguous = _ambiguous_number(node) if node is not None else None
    if ambiguous is not None:
        raise ProfileError(f"'{ambiguous.value}' is a number YAML readers disagree on (a leading zero, 0x or "
                           "0o, an underscore, a colon or an exponent without a point)", file=path,
                           line=ambiguous.start_mark.line + 1,
                           fix="write it as a plain number, such as 10 or 1200.5, or in quotes if it is text")
    return node


_INT, _FLOAT, _STR = (f"tag:yaml.org,2002:{kind}" for kind in ("int", "float", "str"))
# The only forms of a number that YAML 1.1 (PyYAML, which msgen reads with) and YAML 1.2
# (ruamel, which `next-year` and `pull` rewrite the profile with) read alike.
_PLAIN_NUMBER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*(?:[eE][-+][0-9]+)?)?|\.[0-9]+(?:[eE][-+][0-9]+)?"
                           r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
# What YAML 1.2's core schema reads as a number (YAML 1.1 may read it as text: 08, 1e5, 0o17).
_YAML12_NUMBER = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+")


def reads_as_text(text: str) -> bool:
    """Whether `text` written plain (unquoted) is read back as this text by msgen and by
    YAML 1.2 alike. ruamel, writing a string, quotes only what YAML 1.2 would not read as
    text, and leaves `10:30` plain, which msgen refuses as a sexagesimal number."""
    loader = _ProfileYamlLoader("")
    try:
        return loader.resolve(yaml.ScalarNode, text, (True, False)) == _STR and not _YAML12_NUMBER.fullmatch(text)
    finally:
        loader.dispose()


def _ambiguous_number(root: yaml.Node) -> yaml.ScalarNode | None:
    """The first scalar that one YAML version reads as a number and the other as another
    number or as text: `010` is 8 to YAML 1.1 and 10 to YAML 1.2, `1:00` is 60 or text."""
    seen: set[int] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):  # plain: style None (PyYAML) or '' (libyaml)
            number = node.tag in (_INT, _FLOAT) or (
                node.tag == _STR and not node.style and _YAML12_NUMBER.fullmatch(node.value))
            if number and not _PLAIN_NUMBER.fullmatch(node.value):
                return node
        elif isinstance(node, yaml.MappingNode):
            pending.extend(part for pair in reversed(node.value) for part in reversed(pair))
        else:
            pending.extend(reversed(node.value))
    return None


def _compose_with_pyyaml(path: Path, text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_ProfileYamlLoader)
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


def construct_yaml(path: Path, node: yaml.Node | None) -> Any:
    if node is None:
        return None
    loader = _ProfileYamlLoader("")
    try:
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(path, exc) from None
    except ValueError as exc:  # a number too long for Python, or `!!int`/`!!float` on text
        raise ProfileError(f"malformed YAML: {value_problem(exc)}", file=path) from None
    finally:
        loader.dispose()


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


def index_lines(node: yaml.Node | None) -> tuple[dict[JsonPath, int], dict[JsonPath, int]]:
    """(line of each value, line of each key), by JSON path."""
    values: dict[JsonPath, int] = {}
    keys: dict[JsonPath, int] = {}
    if node is not None:
        _index_lines(node, (), values, keys)
    return values, keys


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
