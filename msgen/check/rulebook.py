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
# alike, a built document's structure, or a folder of templates.
PROFILE, TEXT, DOCUMENT, TEMPLATES = "profile", "text", "document", "templates"

Hit = tuple[Any, str]  # (profile path tuple or document location, message)

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


REGISTERED: dict[str, Rule] = {}


def definition(rule_id: str) -> Rule:
    """The rule that found a problem (its module is imported: its rules ran)."""
    return REGISTERED[rule_id]


def rule(rule_id: str, severity: str, target: str, *, title: str, why: str, fix: str,
         source: str, versions: tuple[int, ...] = (1,)) -> Callable[[Callable], Callable]:
    """Register the decorated function as the check of a rule with this definition."""

    def register(check: Callable) -> Callable:
        if rule_id in REGISTERED:
            raise ValueError(f"two rules have the id {rule_id}")
        module = check.__module__.rsplit(".", 1)[-1]
        if target not in RULE_MODULES.get(module, (target,)):
            raise ValueError(f"{rule_id} looks at the {target}: add it to {module}'s targets in RULE_MODULES")
        REGISTERED[rule_id] = Rule(rule_id, severity, target, title, why, fix, source, check, versions)
        return check

    return register


# The modules of rules, in the order docs/rules.md lists them, and what their rules look
# at: a run imports only the modules it needs (`msgen build` never loads the document rules).
RULE_MODULES = {
    "rules_law": (PROFILE,),
    "rules_guidance": (PROFILE, TEXT),
    "rules_quality": (PROFILE, TEXT),
    "rules_docx": (DOCUMENT,),
    "rules_templates": (TEMPLATES,),
}


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
_PROSE = {"#/$defs/line", "#/$defs/paragraph", "#/$defs/reason"}
_NOT_PROSE = {("signature_image", "path")}  # a file name the renderer reads, never printed
SEPARATE_DOCUMENTS = {"supplier_charter": "the supplier charter", "registry": "the registry answers"}


@dataclass(frozen=True)
class Subject:
    """What the rules of one run look at: the profile, today's date, and for a built
    document its file and parsed contents."""

    profile: LoadedProfile
    today: date
    document: Any = None  # a rules_docx.Document when checking a built .docx

    @property
    def data(self) -> dict[str, Any]:
        return self.profile.data

    @cached_property
    def texts(self) -> tuple[tuple[Any, str], ...]:
        """Every text a reader sees: the profile's printed fields in document order, or the
        paragraphs of a built document."""
        if self.document is not None:
            return self.document.texts
        return tuple(profile_texts(self.data))


def profile_texts(data: dict[str, Any]) -> list[tuple[JsonPath, str]]:
    """Every printed text field of a profile (not ids, dates, addresses or choices), in the
    order the reader meets them: the statement's sections, custom sections after the
    section they follow, then the separate documents."""
    from msgen import resources

    if data.get("schema_version") == 2:
        return list(_texts_v2(data, ()))

    schema = resources.schema()
    found = list(_walk(data, schema, schema, ()))
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

    return sorted(found, key=rank)


# Version 2: every string is text a reader may see except these keys' values.
_NOT_TEXT_V2 = {"schema_version", "slug", "$schema", "id", "type", "financial_year", "start", "end", "date",
                "publication_date", "statement_url", "request_email", "url", "website", "legal_basis",
                "covers", "clause", "area", "data", "image", "include", "organisation",
                "path", "registry", "kind", "status", "number", "level", "numbered"}


def _texts_v2(value: Any, path: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    """(path, text) of each text of a version-2 profile, in the profile's (the document's) order."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict) and "include" not in value:  # a shared part's file and id are not text
        for key, item in value.items():
            if key not in _NOT_TEXT_V2:
                yield from _texts_v2(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts_v2(item, path + (index,))


def _walk(value: Any, schema: dict, root: dict, path: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    ref = schema.get("$ref")
    if ref in _PROSE:
        if isinstance(value, str) and tuple(path[-2:]) not in _NOT_PROSE:
            yield path, value
        return
    if ref:
        schema = root["$defs"][ref.rsplit("/", 1)[1]]
    if isinstance(value, dict):
        for key, child_schema in schema.get("properties", {}).items():
            if key in value and isinstance(child_schema, dict):
                yield from _walk(value[key], child_schema, root, path + (key,))
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            yield from _walk(item, schema["items"], root, path + (index,))


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


def period(data: dict[str, Any]) -> tuple[date, date]:
    """The first and last day the statement covers."""
    covered = data["statement"]["period"]
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
