"""The rule book: what a rule is, how one is registered, and what rules look at.

Rule modules import from here, and msgen.check (which runs them) imports the rule modules
only when a run needs them, so no module of rules depends on the code that runs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, Callable, Iterable, Iterator

from msgen.errors import ERROR, WARNING  # noqa: F401  (for the rule modules)
from msgen.profile.loader import JsonPath, LoadedProfile

# What a rule looks at: the profile, the text of the profile and of built documents
# alike, a built document's structure, a folder of templates, or the profile against last
# year's statement (--last-year).
PROFILE, TEXT, DOCUMENT, TEMPLATES, LAST_YEAR = "profile", "text", "document", "templates", "last-year"

Hit = tuple[Any, str]  # (profile path tuple or document location, message)
BOTH = (1, 2)  # the versions of a rule that reads what both versions of the profile give alike

# Where requirements come from, as docs/rules.md cites them.
ACT = "Modern Slavery Act 2015"
HOME_OFFICE = "Home Office statutory guidance 'Transparency in supply chains' (2017, updated 2023)"
REGISTRY = "GOV.UK Modern Slavery Statement Registry"
ASSESSORS = "BHRRC / WikiRate Walk Free MSA metrics"
TISC = "TISCreport"
ACCESSIBILITY = ("Public Sector Bodies Accessibility Regulations 2018 (WCAG 2.2 AA); "
                 "GOV.UK guidance on accessible documents")


@dataclass(frozen=True)
class Rule:
    """One check: what it is, why it matters, how to fix it, and where the requirement comes from."""

    id: str
    severity: str
    target: str
    title: str
    why: str
    fix: str
    source: str
    check: Callable[..., Iterable[Hit]] = field(repr=False, compare=False)
    versions: tuple[int, ...] = (1,)  # the profile schema versions whose fields the rule reads
    family: str = ""  # the kind of mistake it finds, as the labelled corpus measures it (tests/check_corpus)
    languages: tuple[str, ...] = ("en",)  # the languages of text it can judge (a Welsh text's too, or not)


REGISTERED: dict[str, Rule] = {}


def definition(rule_id: str) -> Rule:
    """The rule that found a problem (its module is imported: its rules ran)."""
    return REGISTERED[rule_id]


def rule(rule_id: str, severity: str, target: str, *, title: str, why: str, fix: str,
         source: str, versions: tuple[int, ...] = (1,), family: str = "",
         languages: tuple[str, ...] = ("en",)) -> Callable[[Callable], Callable]:
    """Register the decorated function as the check of a rule with this definition; its
    family is the part of its id before the first '.' unless `family` names another. A text
    rule whose `languages` include "cy" also reads the Welsh texts of a bilingual profile."""

    def register(check: Callable) -> Callable:
        if rule_id in REGISTERED:
            raise ValueError(f"two rules have the id {rule_id}")
        module = check.__module__.rsplit(".", 1)[-1]
        if target not in RULE_MODULES.get(module, (target,)):
            raise ValueError(f"{rule_id} looks at the {target}: add it to {module}'s targets in RULE_MODULES")
        if severity == ERROR and module in WARNING_MODULES:
            raise ValueError(f"{rule_id} is an error: take {module} out of WARNING_MODULES")
        REGISTERED[rule_id] = Rule(rule_id, severity, target, title, why, fix, source, check, versions,
                                   family or rule_id.split(".", 1)[0], languages)
        return check

    return register


# The modules of rules, in the order docs/rules.md lists them, and what their rules look
# at: a run imports only the modules it needs (`msgen build` never loads the document rules).
RULE_MODULES = {
    "rules_law": (PROFILE,),
    "rules_guidance": (PROFILE, TEXT),
    "rules_quality": (PROFILE, TEXT),
    "rules_dates": (PROFILE, TEXT),
    "rules_lastyear": (PROFILE, LAST_YEAR),
    "rules_writing": (TEXT,),
    "rules_blocks": (PROFILE,),
    "rules_languages": (PROFILE,),
    "rules_docx": (DOCUMENT,),
    "rules_templates": (TEMPLATES,),
}
# The modules whose rules are all warnings: a build, which stops only on errors, never
# imports them (the writing rules' patterns and dictionary cost a build a tenth of its time).
WARNING_MODULES = frozenset({"rules_writing", "rules_lastyear"})


# -- what rules look at ------------------------------------------------------------------

# The statement's sections in the order the document prints them (the order a custom
# section's `after` names them), so "used before it is defined" follows the reader.
SECTION_PATHS: dict[str, JsonPath] = {
    "introduction": ("statement", "introduction"),
    "about": ("organisations",),
    "scope": ("scope",),
    "structure": ("areas", "structure"),
    "policies": ("areas", "policies"),
    "due_diligence": ("areas", "due_diligence"),
    "risk": ("areas", "risk"),
    "effectiveness": ("areas", "effectiveness"),
    "training": ("areas", "training"),
    "operational_response": ("operational_response",),
    "progress": ("actions", "progress"),
    "next_year": ("actions", "next_year"),
}
# The texts given in one language or as {en, cy} (version 2), and those the same in every one.
_TRANSLATABLE = frozenset({"#/$defs/line", "#/$defs/paragraph", "#/$defs/reason"})
_PROSE = _TRANSLATABLE | {"#/$defs/plain_line", "#/$defs/line_in_one_language", "#/$defs/paragraph_in_one_language"}
_NOT_PROSE = {("signature_image", "path")}  # a file name the renderer reads, never printed
_NOT_PROSE_KEYS = {"image", "include"}  # version 2's picture block and shared parts: file names likewise
SEPARATE_DOCUMENTS = {"supplier_charter": "the supplier charter", "registry": "the registry answers"}


@dataclass(frozen=True)
class Subject:
    """What the rules of one run look at: the profile, today's date, for a built
    document its file and parsed contents, and with --last-year last year's statement."""

    profile: LoadedProfile  # in one language: each {en, cy} text its `language` text (languages.in_language)
    today: date
    document: Any = None  # a rules_docx.Document when checking a built .docx
    last_year: Any = None  # a rules_lastyear.LastYear when checking against last year's statement
    written: LoadedProfile | None = None  # the profile as written, its texts in languages (when it has any)
    language: str = "en"  # the language of the texts the text rules read

    @property
    def data(self) -> dict[str, Any]:
        return self.profile.data

    @property
    def written_data(self) -> dict[str, Any]:
        """The profile's data as written: a text in languages is its {en, cy} pair."""
        return (self.written or self.profile).data

    @cached_property
    def texts(self) -> tuple[tuple[Any, str], ...]:
        """Every text a reader sees: the profile's printed fields in document order, or the
        paragraphs of a built document; for Welsh, each Welsh text (its path ends in .cy)."""
        if self.document is not None:
            return self.document.texts
        if self.language != "en":
            return tuple((path + (self.language,), value[self.language])
                         for path, value in translatable_texts(self.written_data)
                         if isinstance(value, dict) and isinstance(value.get(self.language), str))
        return tuple(profile_texts(self.data))


def subject_of(profile: LoadedProfile, today: date, **more: Any) -> Subject:
    """What the rules look at for a profile: its English, with the profile as written beside it."""
    from msgen.profile.languages import in_language

    english = in_language(profile)
    return Subject(english, today, written=profile if english is not profile else None, **more)


def translatable_texts(data: dict[str, Any]) -> list[tuple[JsonPath, Any]]:
    """(path, value) of each text a profile may give in English and Welsh, in reading order:
    the value a string, or its {en, cy} pair (names of people, file paths and the registry's
    answers are the same in every language, so not among them)."""
    from msgen import resources

    schema = resources.schema(2)
    place = _reading_place_v2(data)
    found = list(_walk(data, schema, schema, (), _TRANSLATABLE))
    return [item for _, item in sorted(enumerate(found), key=lambda pair: (place(pair[1][0]), pair[0]))]


def profile_texts(data: dict[str, Any]) -> list[tuple[JsonPath, str]]:
    """Every printed text field of a profile (not ids, dates, addresses or choices), in the
    order the reader meets them: the statement's sections (in version 2, data where its
    block places it), custom sections after the section they follow, then the separate
    documents."""
    from msgen import resources

    version = 2 if data.get("schema_version") == 2 else 1
    schema = resources.schema(version)
    found = list(_walk(data, schema, schema, (), _PROSE))
    if version == 2:
        place = _reading_place_v2(data)
        return [item for _, item in sorted(enumerate(found), key=lambda pair: (place(pair[1][0]), pair[0]))]
    return sorted(found, key=_reading_order_v1(data))


def _reading_order_v1(data: dict[str, Any]) -> Callable[[tuple[JsonPath, str]], float]:
    ranks = list(SECTION_PATHS.values())

    def rank(item: tuple[JsonPath, str]) -> float:
        path = item[0]
        if path[0] == "custom_sections":
            after = data["custom_sections"][path[1]].get("after")
            return list(SECTION_PATHS).index(after) + 0.5 if after in SECTION_PATHS else len(ranks)
        if path[0] in SEPARATE_DOCUMENTS:
            return len(ranks) + 1 + list(SEPARATE_DOCUMENTS).index(path[0])
        return next((i for i, prefix in enumerate(ranks) if path[:len(prefix)] == prefix),
                    -1 if path[:2] == ("statement", "title") else len(ranks))

    return rank


_FIRST, _LAST = float("-inf"), float("inf")


def _reading_place_v2(data: dict[str, Any]) -> Callable[[JsonPath], tuple]:
    """Where a version-2 text is read: (document, section, block, 0 for the block's own
    text or 1 for data it prints). Data prints where its block places it; the statement's
    title comes first; what no block places (and the signatures nowhere placed) comes after
    the sections."""
    placed: dict[JsonPath, JsonPath] = {}
    for at, block in blocks(data):
        if "data" in block:
            for source in data_sources(block["data"]):
                placed.setdefault(source, at)
    documents = ("sections", *SEPARATE_DOCUMENTS)

    def place(path: JsonPath) -> tuple:
        document = documents.index(path[0]) if path[0] in documents else 0
        if path[:2] in (("statement", "title"), ("supplier_charter", "title")):
            return document, _FIRST, _FIRST, 0
        at = next((placed[prefix] for prefix in (path[:2], path[:1]) if prefix in placed), None)
        if at is not None:
            return (*place(at)[:3], 1)
        inside = path[2:] if path[0] == "supplier_charter" else path[1:] if path[0] == "sections" else None
        if not inside or len(inside) < 2:
            return document, _LAST, _LAST, 0
        block = inside[2] if inside[1] == "blocks" and len(inside) > 2 else _LAST if inside[1] == "signatories" else -1
        return document, inside[0], block, 0

    return place


def _walk(value: Any, schema: dict, root: dict, path: JsonPath,
          prose: frozenset[str]) -> Iterator[tuple[JsonPath, Any]]:
    """(path, value) of each value whose schema is one of the `prose` definitions (a line,
    paragraph or reason: a string, or among the translatable ones, an {en, cy} pair);
    version 2's blocks and list items are told apart by their schema's if/then/else, which
    name the kind of block by its key."""
    ref = schema.get("$ref")
    if ref in prose:
        if isinstance(value, (str, dict)) and tuple(path[-2:]) not in _NOT_PROSE \
                and path[-1] not in _NOT_PROSE_KEYS:
            yield path, value
        return
    if ref:
        yield from _walk(value, root["$defs"][ref.rsplit("/", 1)[1]], root, path, prose)
        return
    for part in schema.get("allOf", []):
        yield from _walk(value, part, root, path, prose)
    if "if" in schema:
        branch = schema.get("then" if _holds(schema["if"], value) else "else")
        if branch:
            yield from _walk(value, branch, root, path, prose)
    if isinstance(value, dict):
        for key, child_schema in schema.get("properties", {}).items():
            if key in value and isinstance(child_schema, dict):
                yield from _walk(value[key], child_schema, root, path + (key,), prose)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            yield from _walk(item, schema["items"], root, path + (index,), prose)


_JSON_TYPES = {"string": str, "array": list, "object": dict}


def _holds(condition: dict, value: Any) -> bool:
    """Whether a valid value meets an `if` of the profile schemas, which test only a
    required key or the value's type (validation, done before, needs jsonschema; this does not)."""
    if "required" in condition:
        return isinstance(value, dict) and all(key in value for key in condition["required"])
    return isinstance(value, _JSON_TYPES[condition["type"]])


# -- facts both versions give, read alike -------------------------------------------------

AREAS = ("structure", "policies", "due_diligence", "risk", "effectiveness", "training")


@dataclass(frozen=True)
class Body:
    """One body making the statement: where it stands in the profile, its id, the name
    the law knows it by, and every name and area its text may use."""

    path: JsonPath
    id: str
    name: str
    names: tuple[str, ...]
    area_served: str | None
    type: str


def bodies(data: dict[str, Any]) -> list[Body]:
    """The bodies making the statement (version 1's organisations)."""
    others: tuple[str, ...]
    if data.get("schema_version") == 2:
        key, name, others = "bodies", "legal_name", ("text_name", "short_name", "refer_as")
    else:
        key, name, others = "organisations", "name", ("short_name", "referred_to_as")
    return [Body((key, index), body["id"], body[name], tuple(body[k] for k in (name, *others) if k in body),
                 body.get("area_served"), body["type"]) for index, body in enumerate(data[key])
            if "include" not in body]  # a shared body is read once the loader has taken it in


@dataclass(frozen=True)
class Coverage:
    """Whether the statement covers one of the six areas, and each place it says it does
    not, with the reason given there ("" when none is)."""

    covered: bool
    left_out: tuple[tuple[JsonPath, str], ...]


def coverage(data: dict[str, Any]) -> dict[str, Coverage]:
    """Each of the six areas: version 1's areas.*.included and reason; version 2's
    sections' `covers` tags and `not-covered` clauses."""
    if data.get("schema_version") != 2:
        return {name: Coverage(area["included"], () if area["included"] else
                               ((("areas", name, "included"), area["reason"]),))
                for name, area in ((name, data["areas"][name]) for name in AREAS)}
    tagged = {name for section in data["sections"] for name in section.get("covers", [])}
    return {name: Coverage(name in tagged, tuple((at, block.get("reason", "")) for at, block in blocks(data)
                                                 if block.get("clause") == "not-covered" and block.get("area") == name
                                                 and at[0] == "sections"))
            for name in AREAS}


def blocks(data: dict[str, Any]) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """(path, block) of each block of a version-2 profile's sections (the supplier
    charter's too) and of its bodies' descriptions, in order."""
    for at, section in sections(data):
        for index, block in enumerate(section.get("blocks", [])):
            yield at + ("blocks", index), block
    for index, body in enumerate(data.get("bodies", [])):
        for number, block in enumerate(body.get("description", [])):
            yield ("bodies", index, "description", number), block


def sections(data: dict[str, Any]) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """(path, section) of each version-2 section, the supplier charter's after the statement's
    (none in version 1); a shared section is read once the loader has taken it in."""
    from msgen.profile.validate import _sections

    return ((at, section) for at, section in _sections(data) if "include" not in section)


def data_sources(name: str) -> tuple[JsonPath, ...]:
    """The profile values a `data:` block prints."""
    if name == "bodies":
        return ("bodies",),
    if name == "signatures":
        return ("signatories",), ("approval",)
    if name == "signatories":
        return ("signatories",),
    return ("data", name.replace("-", "_")),


def signatories(data: dict[str, Any]) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """(path, person) of everyone who signs: the statement's signatories, and in version 2
    those who sign a section of their own (a foreword)."""
    from msgen.profile.validate import _signatories

    return _signatories(data)


def years_producing(data: dict[str, Any]) -> int | None:
    """How many years the body has made a statement, this one included; None when the
    profile does not say (version 2 may leave it out, or write 'unknown')."""
    years = data["statement"].get("years_producing")
    return years if isinstance(years, int) else None


def parse_path(text: str) -> JsonPath:
    """'signatories[1].date' -> ('signatories', 1, 'date'): a content control's tag (a path
    msgen wrote into a document with msgen.errors.format_path) read back."""
    return tuple(int(part[1:-1]) if part.startswith("[") else part.lstrip(".")
                 for part in re.findall(r"\[\d+\]|\.?[^.\[\]]+", text))


def value_at(data: Any, path: JsonPath) -> Any:
    """The value at a profile path, or None when the profile has nothing there."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def day(value: Any) -> date | None:
    """A profile date (YYYY-MM-DD) as a date, None when absent."""
    return date.fromisoformat(value) if isinstance(value, str) else None


def period(data: dict[str, Any]) -> tuple[date, date] | None:
    """The first and last day the statement covers: without a period (version 2 may leave
    it out), the financial year as police, PCC and fire bodies keep it, 1 April to 31 March;
    None when a version-2 statement says neither (it builds as a draft, with no dates to check)."""
    covered = data["statement"].get("period")
    if covered is None:
        if "financial_year" not in data["statement"]:
            return None
        first = int(data["statement"]["financial_year"][:4])
        return date(first, 4, 1), date(first + 1, 3, 31)
    return date.fromisoformat(covered["start"]), date.fromisoformat(covered["end"])


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 March + 6 = 30 September)."""
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(start.day, last))
        except ValueError:
            continue
    raise AssertionError("every month has 28 days")


def long_date(value: date) -> str:
    """4 October 2022, as the statement writes dates."""
    from msgen.document.grammar import long_date as words

    return words(value.isoformat())


def phrases(subject: Subject, pattern: re.Pattern) -> Iterator[tuple[Any, re.Match]]:
    """Each match of `pattern` in the texts the subject shows a reader, with where it stands."""
    for where, text in subject.texts:
        for found in pattern.finditer(text):
            yield where, found
