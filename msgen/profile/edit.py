"""Edit a profile file and write it back the way its author wrote it.

`msgen next-year` and `msgen pull` both change a few values in a profile someone keeps
by hand: a YAML profile goes through ruamel.yaml's round-trip data so its comments, key
order, quotes and line endings survive; a JSON one keeps its key order. The result is
validated, exactly as it will be read, before it is written.
"""

from __future__ import annotations

import dataclasses
import json
from io import StringIO
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import ScalarString, SingleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from msgen.errors import EditedProfileInvalid, IncludeError, ProfileError, UsageError
from msgen.profile.loader import SUFFIXES, parse_profile, profile_kind
from msgen.profile.validate import validate
from msgen.writer import check_not_input, write_bytes


def copy_target(source: Path, target: Path) -> tuple[Path, str]:
    """Where an edited copy of the profile `source` goes, and its kind (YAML or JSON):
    `target`, or the same name in the folder `target`; never over `source`, and in its
    format, since the copy is written in the source's layout."""
    if target.is_dir():
        target = target / source.name
    check_not_input(target, [source])
    kind = profile_kind(source)
    if SUFFIXES.get(target.suffix.lower()) != kind:
        raise UsageError(f"the new profile must be {kind} like the old one", file=target,
                         fix=f"name it with the suffix {source.suffix}")
    return target, kind


def read_for_editing(raw: bytes, kind: str) -> tuple[Any, YAML | None]:
    """The profile's data to edit in place, and the YAML writer that keeps its layout
    (None for JSON)."""
    text = raw.decode("utf-8-sig")
    if kind == "JSON":
        return json.loads(text), None
    yaml = _yaml()
    data, sequence_indent, dash_offset = load_yaml_guess_indent(text, yaml=yaml)
    dash_offset = dash_offset or 0
    yaml.indent(mapping=_mapping_indent(text), sequence=max(sequence_indent or 2, dash_offset + 2),
                offset=dash_offset)
    return data, yaml


def written_like(data: Any, yaml: YAML | None, raw: bytes) -> bytes:
    """The edited data as file bytes, with the original's line endings (a file saved on
    Windows keeps CRLF)."""
    if yaml is None:
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        out = StringIO()
        yaml.dump(data, out)
        text = out.getvalue()
    if b"\r\n" in raw:
        text = text.replace("\n", "\r\n")
    return text.encode("utf-8")


def insert_key(mapping: Any, position: int, key: str, value: Any) -> None:
    """Add `key: value` at `position` (ruamel's mappings can; a JSON profile's dict is rebuilt)."""
    if isinstance(mapping, CommentedMap):
        mapping.insert(position, key, value)
        return
    items = list(mapping.items())
    items.insert(position, (key, value))
    mapping.clear()
    mapping.update(items)


def same_style(old: Any, text: str) -> Any:
    """`text` written the way `old` was (a quoted YAML string stays quoted), and quoted
    when, written plain, it would be read as a number (`10:30`)."""
    from msgen.profile.yamlsource import reads_as_text

    if isinstance(old, ScalarString):
        return type(old)(text)
    return text if reads_as_text(text) else SingleQuotedScalarString(text)


def _yaml() -> YAML:
    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line the officer wrote on one line
    return yaml


def _mapping_indent(text: str) -> int:
    """How far the file indents a mapping under its key (ruamel guesses only for lists)."""
    key_indent = None
    for line in text.splitlines():
        content = line.strip()
        if not content or content.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if key_indent is not None and indent > key_indent and not content.startswith("-"):
            return indent - key_indent
        key_indent = indent if content.endswith(":") else None
    return 2


def write_if_valid(data: bytes, target: Path, *, force: bool, invalid: dict[str, str]) -> None:
    """Validate exactly the bytes to be written, read as `msgen validate` reads them and
    as if already at the target (where signature images will be looked for), then write.
    `invalid` gives the message and fix of the EditedProfileInvalid raised otherwise."""
    try:
        problems = validate(parse_profile(target, data))
    except IncludeError as exc:  # a shared file, named relative to the profile, is not there from the target
        raise EditedProfileInvalid([exc.problem], file=target, **invalid) from None
    except ProfileError as exc:  # the YAML written back cannot be read: a bug in msgen
        raise RuntimeError(f"msgen wrote a profile it cannot read back ({exc.message})") from None
    if problems:
        raise EditedProfileInvalid([dataclasses.replace(p, file=str(target)) for p in problems], file=target,
                                   **invalid)
    write_bytes(target, data, force=force)
