"""`msgen check`: the review an assessor would do, run before the statement is published.

Every rule is a definition (id, severity, why it matters, how to fix it, where the
requirement comes from) and one pure function. The registry of definitions drives the
command line, the JSON output, docs/rules.md and the tests, so a rule cannot exist
without its explanation. Rule functions take a `Subject` and yield `(where, message)`:
`where` is a profile path (a tuple, reported with its line) or a document location. What
a rule finds is a `msgen.errors.Problem` naming the rule; its fix and source stay in the rule.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator

from msgen.check.rulebook import (  # noqa: F401  (the names reports and tests import from msgen.check)
    ACCESSIBILITY, ACT, ASSESSORS, DOCUMENT, HOME_OFFICE, LAST_YEAR, PROFILE, REGISTERED, REGISTRY, RULE_MODULES,
    SEPARATE_DOCUMENTS, TEMPLATES, TEXT, TISC, Hit, Rule, Subject, add_months, day, definition, long_date,
    parse_path, period, phrases, profile_texts, rule, subject_of, value_at)
from msgen.errors import ERROR, WARNING, MsgenError, Problem  # noqa: F401
from msgen.profile.loader import LoadedProfile


def all_rules(targets: Iterable[str] = (PROFILE, TEXT, DOCUMENT, TEMPLATES, LAST_YEAR), *,
              errors_only: bool = False) -> list[Rule]:
    """Every rule that looks at one of `targets` (by default, every rule), in the order
    docs/rules.md lists them (importing a module registers its rules); with `errors_only`,
    the modules of warnings alone are not even imported."""
    import importlib

    from msgen.check.rulebook import WARNING_MODULES

    targets = set(targets)
    modules = [module for module, looks_at in RULE_MODULES.items() if targets.intersection(looks_at)
               and not (errors_only and module in WARNING_MODULES)]
    for module in modules:
        importlib.import_module(f"msgen.check.{module}")
    place = {f"msgen.check.{module}": index for index, module in enumerate(RULE_MODULES)}
    return sorted((r for r in REGISTERED.values() if r.target in targets
                   and not (errors_only and r.severity != ERROR)),
                  key=lambda r: place.get(r.check.__module__, -1))  # this module's own rule first


# -- running rules -----------------------------------------------------------------------

def _findings(rules: Iterable[Rule], subject: Any, file: str | None = None) -> list[Problem]:
    findings = []
    version = subject.profile.version if isinstance(subject, Subject) else None
    language = subject.language if isinstance(subject, Subject) else "en"
    for each in rules:
        if version is not None and version not in each.versions:
            continue  # the rule reads fields this version of the profile does not have
        if each.target == TEXT and language not in each.languages:
            continue  # a rule for English text (its dictionary, its confusions) on the Welsh
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
    schema_rule = [r for r in rules if r.id == "profile.schema"]
    problems = _findings(schema_rule, Subject(profile, today), str(profile.path))
    if problems:
        return problems
    rules = [r for r in rules if r not in schema_rule]
    return _findings(rules, subject_of(profile, today), str(profile.path)) + _welsh_findings(rules, profile, today)


def _welsh_findings(rules: Iterable[Rule], profile: LoadedProfile, today: date) -> list[Problem]:
    """The text rules that judge Welsh too, on a bilingual profile's Welsh texts."""
    from msgen.profile.languages import WELSH, languages_of

    if WELSH not in languages_of(profile.data):
        return []
    welsh = Subject(profile, today, written=profile, language=WELSH)
    return _findings([r for r in rules if r.target == TEXT], welsh, str(profile.path))


def check_document(document_path: Path, profile: LoadedProfile, today: date,
                   known: Iterable[Problem] = ()) -> list[Problem]:
    """Every finding on a built .docx: its structure, its text, and whether it still says
    what the profile says. A text finding already `known` from the profile (the same rule
    and message) is not repeated for the document."""
    from msgen.check.rules_docx import read_document

    from msgen.profile.languages import ENGLISH, LANGUAGES, in_language

    language = next((code for code in LANGUAGES if document_path.name.endswith(f".{code}.docx")), ENGLISH)
    subject = Subject(in_language(profile, language), today, read_document(document_path), written=profile,
                      language=language)
    seen = {(f.rule, f.message) for f in known}
    return [f for f in _findings(all_rules((DOCUMENT, TEXT)), subject)
            if (f.rule, f.message) not in seen]


def check_against_last_year(profile: LoadedProfile, last: LoadedProfile | Path, today: date) -> list[Problem]:
    """Every finding of comparing a valid profile with last year's statement: its profile, or
    the .docx msgen built from it."""
    from msgen.check.rules_lastyear import from_document, from_profile

    last_year = from_profile(last) if isinstance(last, LoadedProfile) else from_document(last)
    return _findings(all_rules((LAST_YEAR,)), subject_of(profile, today, last_year=last_year), str(profile.path))


def check_templates(folder: Path) -> list[Problem]:
    """Every finding on a folder of templates against the schema."""
    from msgen.check.rules_templates import read_templates

    templates = read_templates(folder)
    return _findings(all_rules((TEMPLATES,)), templates)


def errors_blocking_build(profile: LoadedProfile, today: date) -> list[Problem]:
    """The error-level findings that stop `msgen build` (unless it is a --draft), on a profile
    already found valid: only the error rules run, so a batch of builds is not slowed by warnings."""
    from msgen.cache import cache_folder, read_entry, write_entry

    folder = cache_folder("clean")
    entry = folder / key if folder is not None and (key := _clean_key(profile, today)) else None
    if entry is not None and read_entry(entry) == _CLEAN:
        return []
    rules = [r for r in all_rules((PROFILE, TEXT), errors_only=True) if r.id != "profile.schema"]
    found = _findings(rules, subject_of(profile, today), str(profile.path)) + _welsh_findings(rules, profile, today)
    if not found and entry is not None:
        write_entry(entry, _CLEAN)  # without the cache, the next build only checks again
    return found


_CLEAN = "no blocking errors"


def _clean_key(profile: LoadedProfile, today: date) -> str | None:
    """A digest of everything the error rules read: the profile's data, today's date and
    msgen's own code and clause wording (a rebuild of an unchanged profile on the same day
    then skips the rules, as validation does). None when it cannot be worked out."""
    import json

    from msgen import __version__, resources
    from msgen.cache import entry_name

    package = Path(__file__).resolve().parents[1]
    try:
        parts = [b"msgen blocking errors 1", __version__.encode(), today.isoformat().encode(),
                 json.dumps(profile.data, sort_keys=True, default=str).encode(),
                 *(path.read_bytes() for path in sorted(package.rglob("*.py"))),
                 *(path.read_bytes() for path in sorted(resources.templates_dir(2).glob("*.yaml")))]
    except (OSError, TypeError, ValueError, RecursionError):
        return None
    return entry_name(parts)


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
      source="msgen profile schema (schemas/profile.schema.json, schemas/profile-v2.schema.json)", versions=(1, 2))
def _schema_problems(subject: Subject) -> Iterator[Hit]:
    from msgen.profile.validate import validate

    for problem in validate(subject.profile):
        yield problem.path, problem.message
