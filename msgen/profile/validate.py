"""Check a loaded profile against the schema and the rules the schema cannot express.

Every problem is reported at once, each as `FILE:LINE: PATH: message`, worded for the
officer who edits the profile rather than for a JSON Schema expert.

Validating a profile costs little; importing jsonschema to do it costs a sixth of a
build. So a profile found valid is remembered, in msgen's cache folder, by a digest of
everything validation reads: the profile's data and where it stands, the bytes of each
signature image it names, the schema, the code that validates (msgen's modules, the
installed libraries, Python). A later run that meets exactly that (a rebuild, `msgen
check` after `msgen build`) knows the profile is valid without importing jsonschema; any
change gives another digest and the profile is validated afresh. Problems are never
remembered: an invalid profile is always validated.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator
from urllib.parse import urlsplit

from msgen import resources
from msgen.cache import cache_folder, entry_name, read_entry, write_entry
from msgen.errors import FileTooLarge, MsgenError, Problem, format_path
from msgen.files import check_regular, read_limited
from msgen.profile.loader import JsonPath, LoadedProfile, strings_in

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.exceptions import ValidationError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 10_000
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The letters RFC 5322 allows unquoted before the @, and a domain of dot-separated labels:
# an address becomes a mailto: link, so nothing in it may start another kind of link.
_EMAIL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_CONTROL = re.compile(r"[\u0000-\u001F\u007F-\u009F\uD800-\uDFFF\uE000-\uF8FF\uFFFE\uFFFF]")
YEARS = range(2000, 2100)  # a year outside is a typo (0223, 2203), and date arithmetic ends at 9999


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE.match(value):
        return False
    try:
        return date.fromisoformat(value).year in YEARS
    except ValueError:
        return False


def _is_url(value: object) -> bool:
    if not isinstance(value, str):
        return True
    """Only http(s): a link in a published statement must not run script (javascript:),
    open the reader's own files (file:) or carry a page of its own (data:)."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- a port that is not a number is not a web address
    except ValueError:
        return False
    return (parts.scheme in ("http", "https") and "." in (parts.hostname or "")
            and not re.search(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]", value) and not _CONTROL.search(value))


def _is_email(value: object) -> bool:
    return not isinstance(value, str) or bool(_EMAIL.match(value))


def _format_checker() -> FormatChecker:
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    checker.checks("date")(_is_date)
    checker.checks("uri")(_is_url)
    checker.checks("email")(_is_email)
    return checker


def _is_whole_number(checker: object, instance: object) -> bool:
    """JSON Schema counts 3.0 as an integer; a whole-number field holding 1200.0 would print
    "1,200.0 police officers" or stop the build, so only an int is one here."""
    return isinstance(instance, int) and not isinstance(instance, bool)


@cache
def schema_validator(version: int = 1) -> Draft202012Validator:
    """Built once per process: compiling the schema costs more than validating a profile."""
    from jsonschema import Draft202012Validator, validators

    whole_numbers = Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_whole_number)
    validator = validators.extend(Draft202012Validator, type_checker=whole_numbers)
    return validator(resources.schema(version), format_checker=_format_checker())


def validate(profile: LoadedProfile) -> list[Problem]:
    """All problems in the profile: schema first, then cross-field rules on valid parts
    (none, at once, for a profile found valid before with all it depends on unchanged)."""
    known = _validity_key(profile) if cache_folder("valid") is not None else None  # no cache, no key to keep
    if known is not None and _found_valid_before(known):
        return []
    problems = _problems(profile)
    if not problems and known is not None and _validity_key(profile) == known:  # no image changed meanwhile
        _remember_valid(known)
    return problems


def _problems(profile: LoadedProfile) -> list[Problem]:
    found: list[tuple[JsonPath, str, bool]] = []
    for error in schema_validator(profile.version).iter_errors(profile.data):
        found.extend(_describe(error))
    # A block of two kinds fails each kind's schema too; the one line saying so is enough.
    mixed = {path for path, message, _ in found if message.startswith(MIXED_BLOCK)}
    found = [problem for problem in found if problem[0][:-1] not in mixed]
    found.extend((path, message, False) for path, message in _cross_field_problems(profile))
    problems = {Problem(message, path, str(file), line) for path, message, on_key in found
                for file, line in [profile.location_of(path, key=on_key)]}
    return sorted(problems, key=lambda p: (p.line or 0, p.path, p.message))


# -- schema errors, in plain words ------------------------------------------------------

_TYPE_WORDS = {"string": "text", "integer": "a whole number", "number": "a number",
               "boolean": "true or false", "array": "a list", "object": "a set of fields (a mapping)",
               "null": "nothing"}


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing (null)"
    if isinstance(value, (dict, list)):
        return "a list" if isinstance(value, list) else "a set of fields"
    return repr(value)


def _describe(error: ValidationError) -> Iterator[tuple[JsonPath, str, bool]]:
    """Turn one jsonschema error into (path, message, points-at-key) tuples."""
    path: JsonPath = tuple(error.absolute_path)
    kind, expected, value, schema = error.validator, error.validator_value, error.instance, error.schema
    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        for key in sorted(set(value) - set(allowed)):
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else f"; expected one of: {', '.join(allowed)}"
            yield path + (key,), f"unknown field '{key}'{hint}", True
    elif kind == "required":  # one error per missing field, each naming all: the set of problems keeps one
        for missing in (name for name in expected if name not in value):
            title = schema.get("properties", {}).get(missing, {}).get("title", missing)
            if list(error.schema_path)[-2:-1] == ["then"] and value.get("included") is False:
                yield path, f"'{missing}' ({title}) is required when included is false", True
            else:
                yield path, f"missing required field '{missing}'" + (f" ({title})" if title != missing else ""), True
    elif kind is None and schema is False:  # a field forbidden by an if/then/else branch
        field = path[-1] if path else "this field"
        if field == "reason":
            yield path, "'reason' is only for an area with included: false; remove it", True
        else:
            yield path, f"'{field}' is not allowed when included is false; remove it or set included: true", True
    elif kind == "oneOf" and all(set(option) == {"required"} for option in expected):
        yield from _one_kind(path, value, [option["required"][0] for option in expected])
    elif kind in ("anyOf", "oneOf") and error.context:  # say what the closest alternative lacks
        from jsonschema.exceptions import best_match

        yield from _describe(best_match(error.context))
    elif kind == "type":
        wanted = " or ".join(_TYPE_WORDS.get(t, t) for t in ([expected] if isinstance(expected, str) else expected))
        yield path, f"expected {wanted}, got {_shown(value)}{_quoted_hint(value, expected)}", False
    elif kind == "enum":
        options = [str(o) for o in expected]
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        listed = ", ".join(f"'{o}'" for o in options) if len(options) <= 8 else "one of the values listed in the schema"
        yield path, f"{_shown(value)} is not allowed; expected {listed}{hint}", False
    elif kind == "const" and path == ("schema_version",):
        versions = " or ".join(str(version) for version in resources.SCHEMA_VERSIONS)
        yield path, f"expected {versions} (the profile versions this msgen reads), got {_shown(value)}", False
    elif kind == "const":
        yield path, f"expected {_shown(expected)}, got {_shown(value)}", False
    elif kind == "format":
        yield path, _format_message(expected, value), False
    elif kind == "pattern":
        yield path, _pattern_message(value, schema), False
    elif kind == "minLength":
        yield path, "must not be empty", False
    elif kind == "maxLength":
        yield path, f"too long: {len(value)} characters, at most {expected}", False
    elif kind == "minItems":
        yield path, ("must not be an empty list" if expected == 1 else f"needs at least {expected} items"), False
    elif kind == "maxItems":
        yield path, f"too many items: {len(value)}, at most {expected}", False
    elif kind == "uniqueItems":
        yield path, "the same value appears twice in this list", False
    elif kind in ("minimum", "maximum"):
        yield path, f"must be {'at least' if kind == 'minimum' else 'at most'} {expected}, got {value}", False
    elif kind == "contains" and "const" in expected:
        yield path, f"must include {_shown(expected['const'])}", False
    elif kind in ("minProperties", "maxProperties"):
        keys = sorted(schema.get("properties", {}))
        yield path, f"give exactly one of {', '.join(keys)}", False
    else:  # a keyword the schema did not use when these words were written
        yield path, f"{_shown(value)} does not meet the schema's '{kind}' rule ({_shown(expected)})", False


MIXED_BLOCK = "a block is one kind"


def _one_kind(path: JsonPath, value: Any, kinds: list[str]) -> Iterator[tuple[JsonPath, str, bool]]:
    """A version-2 block is one of several kinds, named by its one key (p, list, …)."""
    given = [key for key in value if key in kinds] if isinstance(value, dict) else []
    if len(given) > 1:
        yield path, f"{MIXED_BLOCK}, this one has {', '.join(given)}; split it into {len(given)} blocks", False
        return
    unknown = [key for key in value if key not in kinds] if isinstance(value, dict) else []
    close = difflib.get_close_matches(unknown[0], kinds, n=1, cutoff=0.5) if unknown else []
    hint = f"; did you mean '{close[0]}'?" if close else ""
    yield path, f"a block needs one of {', '.join(kinds)}{hint}", False


def _quoted_hint(value: Any, expected: str | list[str]) -> str:
    """A number or true/false written in quotes is text to YAML: say so, it is easy to miss."""
    if not isinstance(value, str):
        return ""
    wanted = {expected} if isinstance(expected, str) else set(expected)
    looks_like = ({"integer", "number"} if re.fullmatch(r"[+-]?\d[\d,_]*(\.\d+)?", value.strip()) else
                  {"boolean"} if value.strip().lower() in ("true", "false") else set())
    return "; remove the quotes around it" if wanted & looks_like else ""


def _format_message(fmt: str, value: Any) -> str:
    if fmt == "date":
        if isinstance(value, str) and _DATE.match(value):
            if int(value[:4]) not in YEARS:
                return f"the year in {_shown(value)} is not {YEARS[0]} to {YEARS[-1]}; check the year"
            return f"{_shown(value)} is not a real date"
        return f"expected a date written YYYY-MM-DD, got {_shown(value)}"
    if fmt == "uri":
        return f"expected a full web address starting https://, got {_shown(value)}"
    if fmt == "email":
        return f"expected an email address, got {_shown(value)}"
    return f"{_shown(value)} is not a valid {fmt}"


def _pattern_message(value: str, schema: dict) -> str:
    bad = _CONTROL.search(value)
    if bad:
        char = bad.group()
        what = {"\n": "a line break", "\t": "a tab", "\r": "a carriage return"}.get(
            char, f"the {'private-use' if 0xE000 <= ord(char) <= 0xF8FF else 'control'} character U+{ord(char):04X}")
        return (f"contains {what} at character {bad.start() + 1}; remove it "
                "(split long text into separate paragraphs)" if char in "\n\r" else
                f"contains {what} at character {bad.start() + 1}; remove it (often pasted from Word or PDF)")
    return f"{_shown(value)} is not in the expected form: {schema.get('description', schema['pattern'])}"


# -- rules across fields -----------------------------------------------------------------

def _cross_field_problems(profile: LoadedProfile) -> Iterator[tuple[JsonPath, str]]:
    data = profile.data
    key = "bodies" if profile.version == 2 else "organisations"
    orgs = [o for o in _list(data.get(key)) if isinstance(o, dict)]
    ids: list[str] = list(dict.fromkeys(o["id"] for o in orgs if isinstance(o.get("id"), str)))
    yield from _unique(orgs, key, "id", "body id" if profile.version == 2 else "organisation id")
    yield from _unique(orgs, key, "short_name", "abbreviation")
    if profile.version == 1:
        yield from _statement_shape(data, orgs)
    else:
        yield from _section_ids(data)
    yield from _financial_year(data)
    yield from _period(data)
    yield from _blank_text(data)
    for at, signatory in _signatories(data):
        org = signatory.get("organisation")
        if isinstance(org, str) and ids and org not in ids:
            close = difflib.get_close_matches(org, ids, n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            what = "body" if profile.version == 2 else "organisation"
            yield at + ("organisation",), f"no {what} has the id '{org}' (ids: {', '.join(ids)}){hint}"
    for at, written in _images(data):
        problem = image_problem(profile, written)
        if problem:
            yield at, problem


def _signatories(data: dict) -> Iterator[tuple[JsonPath, dict]]:
    """(path, signatory) of everyone who signs: the statement's signatories, and in
    version 2 those who sign a section of their own (a foreword)."""
    for index, signatory in enumerate(_list(data.get("signatories"))):
        if isinstance(signatory, dict):
            yield ("signatories", index), signatory
    for at, section in _sections(data):
        for index, signatory in enumerate(_list(section.get("signatories"))):
            if isinstance(signatory, dict):
                yield at + ("signatories", index), signatory


def _sections(data: dict) -> Iterator[tuple[JsonPath, dict]]:
    """(path, section) of each version-2 section, the supplier charter's included."""
    charter = data.get("supplier_charter")
    charter_sections = charter.get("sections") if isinstance(charter, dict) else None
    for at, sections in ((("sections",), data.get("sections")), (("supplier_charter", "sections"), charter_sections)):
        for index, section in enumerate(_list(sections)):
            if isinstance(section, dict):
                yield at + (index,), section


def _section_ids(data: dict) -> Iterator[tuple[JsonPath, str]]:
    """pull, redline and next-year find a section by its id: two alike would be ambiguous."""
    seen: dict[tuple[str | int, str], JsonPath] = {}
    for at, section in _sections(data):
        name = section.get("id")
        if isinstance(name, str):
            document = at[0]
            if (document, name) in seen:
                yield at + ("id",), f"the section id '{name}' is already used by {format_path(seen[document, name])}"
            seen.setdefault((document, name), at)


def _images(data: dict) -> Iterator[tuple[JsonPath, str]]:
    """(path, file as written) of each picture the profile names: signature images, and
    in version 2 image blocks, the signatures of sections and the branding's logos."""
    branding = data.get("branding")
    for index, logo in enumerate(_list(branding.get("logos")) if isinstance(branding, dict) else []):
        if isinstance(logo, dict) and isinstance(logo.get("path"), str):
            yield ("branding", "logos", index, "path"), logo["path"]
    for at, signatory in _signatories(data):
        image = signatory.get("signature_image")
        if isinstance(image, dict) and isinstance(image.get("path"), str):
            yield at + ("signature_image", "path"), image["path"]
    for at, section in _sections(data):
        for index, block in enumerate(_list(section.get("blocks"))):
            if isinstance(block, dict) and isinstance(block.get("image"), str):
                yield at + ("blocks", index, "image"), block["image"]


def _blank_text(data: dict) -> Iterator[tuple[JsonPath, str]]:
    """Text of only spaces passes minLength but would print an empty heading or cell."""
    for path, value in strings_in(data):
        if value and not value.strip():
            yield path, "contains only spaces; write the text or remove the field"


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _unique(orgs: list[dict], where: str, key: str, what: str) -> Iterator[tuple[JsonPath, str]]:
    seen: dict[str, int] = {}
    for index, org in enumerate(orgs):
        value = org.get(key)
        if isinstance(value, str):
            if value in seen:
                yield (where, index, key), f"the {what} '{value}' is already used by {where}[{seen[value]}]"
            seen.setdefault(value, index)


def _statement_shape(data: dict, orgs: list[dict]) -> Iterator[tuple[JsonPath, str]]:
    statement = data.get("statement")
    if not isinstance(statement, dict) or not orgs:
        return
    kind = statement.get("kind")
    if kind == "single" and len(orgs) != 1:
        yield ("statement", "kind"), (
            f"a single statement has one organisation, this profile has {len(orgs)}; use kind: joint")
    if kind == "joint":
        if len(orgs) < 2:
            yield ("statement", "kind"), "a joint statement needs at least two organisations; use kind: single"
        for index, org in enumerate(orgs):
            if "short_name" not in org:
                yield ("organisations", index), (
                    "missing 'short_name' (Abbreviation): a joint statement refers to each body by its abbreviation")


def _financial_year(data: dict) -> Iterator[tuple[JsonPath, str]]:
    statement = data.get("statement")
    fy = statement.get("financial_year") if isinstance(statement, dict) else None
    if isinstance(fy, str) and re.fullmatch(r"\d{4}-\d{2}", fy):
        first, second = int(fy[:4]), int(fy[5:])
        if first not in YEARS:
            yield ("statement", "financial_year"), (
                f"the year in '{fy}' is not {YEARS[0]} to {YEARS[-1]}; check the year")
        elif second != (first + 1) % 100:
            yield ("statement", "financial_year"), (
                f"'{fy}' is not a financial year; expected {first}-{(first + 1) % 100:02d}")


def _period(data: dict) -> Iterator[tuple[JsonPath, str]]:
    period = data.get("statement", {}).get("period") if isinstance(data.get("statement"), dict) else None
    if not isinstance(period, dict):
        return
    start, end = period.get("start"), period.get("end")
    if isinstance(start, str) and isinstance(end, str) and _DATE.match(start) and _DATE.match(end):
        try:
            if date.fromisoformat(start) >= date.fromisoformat(end):
                yield ("statement", "period", "end"), f"the period ends ({end}) before it starts ({start})"
        except ValueError:
            pass  # the format check already reports impossible dates


def image_problem(profile: LoadedProfile, written: str) -> str | None:
    """Why a signature image cannot be used, or None when it can."""
    path = profile.resolve(written)
    if not path.is_relative_to(profile.folder.resolve()):
        return f"'{written}' is outside the profile's folder; put the image beside the profile"
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return f"'{written}' is not a PNG or JPEG image"
    if not os.path.lexists(path):
        return f"the image '{written}' does not exist (looked in {profile.folder})"
    try:
        check_regular(path, MAX_IMAGE_BYTES, "image")
    except FileTooLarge:
        return f"the image is {path.stat().st_size / 1024 / 1024:.1f} MB; at most {MAX_IMAGE_BYTES // 1024 // 1024} MB"
    except MsgenError as exc:  # a pipe, a device, a link loop
        return f"the image '{written}': {exc.message}"
    return _image_header_problem(path, written)


def _image_header_problem(path: Path, written: str) -> str | None:
    from docx.image.image import Image

    try:
        image = Image.from_file(str(path))
    except Exception:  # python-docx raises assorted errors on a damaged image
        return f"'{written}' is not a readable PNG or JPEG image"
    if max(image.px_width, image.px_height) > MAX_IMAGE_PIXELS or min(image.px_width, image.px_height) < 1:
        return (f"the image is {image.px_width}×{image.px_height} pixels; "
                f"at most {MAX_IMAGE_PIXELS} pixels a side")
    return None


# -- profiles found valid before ---------------------------------------------------------

def _validity_key(profile: LoadedProfile) -> str | None:
    """A digest of everything validating the profile reads; None when that cannot be worked
    out (the profile is then simply validated)."""
    try:
        parts = [*_validator_identity(), json.dumps(profile.data).encode("ascii"),
                 os.fsencode(profile.folder.resolve())]
        for shared, shared_digest in profile.includes.files if profile.includes is not None else ():
            parts += [os.fsencode(shared), shared_digest.encode("ascii")]  # a problem names the shared file's lines
        for _, written in _images(profile.data):
            path = profile.resolve(written)
            parts += [os.fsencode(path), _image_digest(path)]
    except (OSError, ValueError, TypeError, AttributeError, RecursionError):
        return None
    return entry_name(parts)  # hashlib only with a cache to keep the key in


@cache
def _validator_identity() -> tuple[bytes, ...]:
    """What validation depends on besides the profile: msgen's version and the code of the
    modules validation runs (a module validate.py comes to rely on must be added here), the
    schema, the installed libraries (every package installed beside jsonschema and
    python-docx, with its version) and Python's version."""
    import sys
    from importlib.util import find_spec

    from msgen import __version__, errors, files
    from msgen.profile import includes, loader

    code = (Path(module.__file__ or "") for module in (sys.modules[__name__], loader, includes, resources, errors,
                                                       files))
    libraries = {_installed_in(find_spec(name), name) for name in ("jsonschema", "docx")}
    installed = sorted(entry for folder in libraries for entry in os.listdir(folder)
                       if entry.endswith((".dist-info", ".egg-info")))
    return (b"msgen validation 1", __version__.encode(), sys.version.encode(),
            *(path.read_bytes() for path in code),
            *(resources.schema_path(version).read_bytes() for version in resources.SCHEMA_VERSIONS),
            "\n".join(installed).encode())


def _installed_in(spec: Any, name: str) -> Path:
    """The folder (site-packages) where the module `spec` describes is installed."""
    if spec is None or spec.origin is None:  # msgen's own dependencies: a broken install
        raise ModuleNotFoundError(f"msgen needs {name}, which is not installed", name=name)
    return Path(spec.origin).parents[1]


def _image_digest(path: Path) -> bytes:
    """The image's bytes, digested; a marker when it is no file msgen would read (validation
    then finds a problem, so a key holding the marker is never remembered)."""
    try:
        import hashlib

        return hashlib.sha256(read_limited(path, MAX_IMAGE_BYTES, "image")).digest()
    except MsgenError:
        return b"unusable"


_VALID = "valid"


def _found_valid_before(key: str) -> bool:
    """Only an entry msgen signed for this key counts: a file someone else put there (or
    an old unsigned marker) never lets a profile skip validation."""
    folder = cache_folder("valid")
    return folder is not None and read_entry(folder / key) == _VALID


def _remember_valid(key: str) -> None:
    folder = cache_folder("valid")
    if folder is not None:
        write_entry(folder / key, _VALID)  # without the cache, the next run only validates again
