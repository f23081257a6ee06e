"""`msgen import`: last year's statement (Word, PDF, web page or text) becomes a version-2 profile to confirm.

The profile keeps the body's words; what the import guessed carries a YAML comment and what it
could not find is an [insert …] value, so `msgen check` lists it and nothing unconfirmed is final.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when used, so scripts/fidelity.py reads importer.residue alone
    from msgen.importer.structure import Found


def import_statement(source: Path, output: Path, *, force: bool = False, welsh: Path | None = None) -> Found:
    """Read SOURCE ('-' = standard input), write the profile to OUTPUT; return what was found.
    With `welsh`, the same statement in Welsh: the two become one profile in both languages
    where their structure matches (msgen.importer.pairing)."""
    from msgen.errors import UsageError
    from msgen.importer.structure import Found
    from msgen.writer import check_not_input, check_writable, write_bytes

    if welsh is not None and str(source) == str(welsh) == "-":
        raise UsageError("only one of the two statements can come from standard input", file=Path("-"),
                         fix="give the other as a file")
    check_not_input(output, [path for path in (source, welsh) if path is not None and str(path) != "-"])
    check_writable(output, force=force)
    found = Found()
    profile = _imported(source, found)
    if welsh is not None:
        from msgen.importer.pairing import paired

        profile, unpaired = paired(profile, _imported(welsh, Found()))
        found.to_confirm += [f"Welsh not paired: {line}" for line in unpaired]
    write_bytes(output, dump_with_comments(profile), force=force)
    return found


def _imported(source: Path, found: Found) -> dict:
    """One statement's profile, as `msgen import` reads it."""
    from msgen.importer.sources import read_source
    from msgen.importer.structure import build_profile

    if str(source) == "-":
        data = sys.stdin.buffer.read()
        suffix, path = sniffed_suffix(data), None
    else:
        data = _read(source)
        suffix, path = source.suffix.lower(), source
    return build_profile(read_source(path, data, suffix), found)


def sniffed_suffix(data: bytes) -> str:
    """What standard input holds, from its first bytes, since it comes without a file name."""
    from msgen.importer.sources import OLE_SIGNATURE

    if data.startswith(b"%PDF"):
        return ".pdf"
    if data.startswith(OLE_SIGNATURE):
        return ".doc"
    if data.startswith(b"PK"):  # an OpenDocument package starts with its uncompressed mimetype
        return ".odt" if b"application/vnd.oasis.opendocument.text" in data[:100] else ".docx"
    if data.lstrip()[:1] == b"<":
        return ".html"
    return ".txt"


def _read(source: Path) -> bytes:
    from msgen.errors import DocumentError, UsageError

    from msgen.importer.sources import MAX_SOURCE_BYTES

    try:
        size = source.stat().st_size
        if size > MAX_SOURCE_BYTES:  # said before reading, so a huge file is never loaded
            raise DocumentError(f"the file is {size / 1e6:.1f} MB; a statement to import is at most 50 MB",
                                file=source, fix="give the statement itself")
        return source.read_bytes()
    except FileNotFoundError:
        raise UsageError("no such file", file=source, fix="check the name and folder") from None
    except IsADirectoryError:
        raise UsageError("this is a folder, not a statement file", file=source, fix="give the file inside it") from None


def dump_with_comments(profile: dict) -> bytes:
    """YAML of the profile; a key "#field" becomes a comment at the end of that field's line."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 4096  # one paragraph a line: a person edits the body's text where it reads
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    stream.write("# Imported by `msgen import`: check every value marked [insert …], [check …] or '# check'.\n")
    stream.writelines(f"# {line}\n" for line in profile.get("#", []))
    yaml.dump(_commented(profile), stream)
    return stream.getvalue().encode("utf-8")


def _commented(value):
    from ruamel.yaml.comments import CommentedMap

    if isinstance(value, list):
        return [_commented(item) for item in value]
    if not isinstance(value, dict):
        return value
    mapping = CommentedMap()
    for key, item in value.items():
        if not key.startswith("#"):  # "#field" is a comment for that field; "#" alone heads the file
            mapping[key] = _commented(item)
    for key, comment in value.items():
        if key.startswith("#") and key[1:] in mapping:
            mapping.yaml_add_eol_comment(comment, key[1:])
    return mapping
