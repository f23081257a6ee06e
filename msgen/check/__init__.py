"""`msgen check`: the review an assessor would do, run before the statement is published.

Every rule is a definition (id, severity, why it matters, how to fix it, where the
requirement comes from) and one pure function. The registry of definitions drives the
command line, the JSON output, docs/rules.md and the tests, so a rule cannot exist
without its explanation. Rule functions take a `Subject` and yield `(where, message)`:
`where` is a profile path (a tuple, reported with its line) or a document location. What
a rule finds is a `msgen.errors.Problem` naming the rule; its fix and source stay in the rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from msgen.errors import ERROR, WARNING, MsgenError, Problem  # noqa: F401  (WARNING: for the rule modules)
from msgen.loader import JsonPath, LoadedProfile

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


_RULES: dict[str, Rule] = {}


def definition(rule_id: str) -> Rule:
    """The rule that found a problem (its module is imported: its rules ran)."""
    return _RULES[rule_id]


def rule(rule_id: str, severity: str, target: str, *, title: str, why: str, fix: str,
         source: str) -> Callable[[Callable], Callable]:
    """Register the decorated function as the check of a rule with this definition."""

    def register(check: Callable) -> Callable:
        if rule_id in _RULES:
            raise ValueError(f"two rules have the id {rule_id}")
        module = check.__module__.rsplit(".", 1)[-1]
        if target not in RULE_MODULES.get(module, (target,)):
            raise ValueError(f"{rule_id} looks at the {target}: add it to {module}'s targets in RULE_MODULES")
        _RULES[rule_id] = Rule(rule_id, severity, target, title, why, fix, source, check)
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


def all_rules(targets: Iterable[str] = (PROFILE, TEXT, DOCUMENT, TEMPLATES)) -> list[Rule]:
    """Every rule that looks at one of `targets` (by default, every rule), in the order
    docs/rules.md lists them (importing a module registers its rules)."""
    import importlib

    targets = set(targets)
    modules = [module for module, looks_at in RULE_MODULES.items() if targets.intersection(looks_at)]
    for module in modules:
        importlib.import_module(f"msgen.check.{module}")
    place = {f"{__name__}.{module}": index for index, module in enumerate(RULE_MODULES)}
    return sorted((r for r in _RULES.values() if r.target in targets),
                  key=lambda r: place.get(r.check.__module__, -1))  # this module's own rule first


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
    from msgen.grammar import long_date as words

    return words(value.isoformat())


def phrases(subject: Subject, pattern: re.Pattern) -> Iterator[tuple[Any, re.Match]]:
    """Each match of `pattern` in the texts the subject shows a reader, with where it stands."""
    for where, text in subject.texts:
        for found in pattern.finditer(text):
            yield where, found


# -- running rules -----------------------------------------------------------------------

def _findings(rules: Iterable[Rule], subject: Any, file: str | None = None) -> list[Problem]:
    findings = []
    for each in rules:
        for where, message in each.check(subject):
            if isinstance(where, tuple):  # a profile path: reported with the profile's file and line
                findings.append(Problem(message, where, file, subject.profile.line_of(where),
                                        rule=each.id, severity=each.severity))
            else:  # a document location already names its file
                findings.append(Problem(message, place=where, rule=each.id, severity=each.severity))
    return findings


def check_profile(profile: LoadedProfile, today: date) -> list[Problem]:
    """Every finding on a profile: schema problems alone when it is not valid (the other
    rules read valid data), else every profile and text rule."""
    rules = all_rules((PROFILE, TEXT))
    subject = Subject(profile, today)
    schema_rule = [r for r in rules if r.id == "profile.schema"]
    problems = _findings(schema_rule, subject, str(profile.path))
    if problems:
        return problems
    return _findings([r for r in rules if r not in schema_rule], subject, str(profile.path))


def check_document(document_path: Path, profile: LoadedProfile, today: date,
                   known: Iterable[Problem] = ()) -> list[Problem]:
    """Every finding on a built .docx: its structure, its text, and whether it still says
    what the profile says. A text finding already `known` from the profile (the same rule
    and message) is not repeated for the document."""
    from msgen.check.rules_docx import read_document

    subject = Subject(profile, today, read_document(document_path))
    seen = {(f.rule, f.message) for f in known}
    return [f for f in _findings(all_rules((DOCUMENT, TEXT)), subject)
            if (f.rule, f.message) not in seen]


def check_templates(folder: Path) -> list[Problem]:
    """Every finding on a folder of templates against the schema."""
    from msgen.check.rules_templates import read_templates

    templates = read_templates(folder)
    return _findings(all_rules((TEMPLATES,)), templates)


def errors_blocking_build(profile: LoadedProfile, today: date) -> list[Problem]:
    """The error-level findings that stop `msgen build` (unless it is a --draft), on a profile
    already found valid: only the error rules run, so a batch of builds is not slowed by warnings."""
    rules = [r for r in all_rules((PROFILE, TEXT)) if r.severity == ERROR and r.id != "profile.schema"]
    return _findings(rules, Subject(profile, today), str(profile.path))


def unreadable(exc: MsgenError) -> Problem:
    """A profile that cannot be read at all (syntax, encoding), as a finding of the schema rule."""
    schema_rule = next(r for r in all_rules((PROFILE,)) if r.id == "profile.schema")
    return replace(exc.problem, rule=schema_rule.id, severity=schema_rule.severity)


def fails(findings: Iterable[Problem], *, strict: bool) -> bool:
    """Whether the findings fail the check: any error, or with --strict any warning too."""
    return any(f.severity == ERROR or strict for f in findings)


@rule("profile.schema", ERROR, PROFILE,
      title="The profile is valid",
      why="Every other rule reads the profile's fields; a profile that breaks the schema cannot be "
          "checked further or built.",
      fix="Correct each field named (the message says what is expected), then run msgen check again.",
      source="msgen profile schema (schemas/profile.schema.json)")
def _schema_problems(subject: Subject) -> Iterator[Hit]:
    from msgen.validate import validate

    for problem in validate(subject.profile):
        yield problem.path, problem.message
