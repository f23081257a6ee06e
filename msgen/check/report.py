"""`msgen check` from the command line: run the rules asked for and print what they found."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Sequence

from msgen.check import (ERROR, WARNING, check_against_last_year, check_document, check_profile, check_templates,
                         definition, fails, unreadable)
from msgen.errors import EXIT_INVALID, EXIT_OK, Problem, ProfileError, UsageError
from msgen.profile.loader import LoadedProfile


def run_check(profile: Path | None, documents: Sequence[Path], templates: Path | None, *, today: date,
              as_json: bool, strict: bool, last_year: Path | None = None) -> int:
    """Check what was given, print the findings, and return the exit code."""
    from msgen.profile.loader import load_profile

    if documents and profile is None:
        raise UsageError("--docx needs the profile the document was built from",
                         fix="e.g. msgen check profile.yaml --docx statement.docx")
    if last_year is not None and profile is None:
        raise UsageError("--last-year needs this year's profile to compare with it",
                         fix="e.g. msgen check profile.yaml --last-year last-year.yaml")
    if profile is None and templates is None:
        raise UsageError("give a profile to check, or --templates FOLDER",
                         fix="e.g. msgen check profile.yaml --docx statement.docx")
    findings: list[Problem] = []
    if templates is not None:
        findings += check_templates(templates)
    if profile is not None:
        try:
            loaded = load_profile(profile)
        except ProfileError as exc:  # malformed: reported like any other finding (and in --json)
            findings.append(unreadable(exc))
        else:
            of_profile = check_profile(loaded, today)
            findings += of_profile
            if not any(f.rule == "profile.schema" for f in of_profile):
                if last_year is not None:
                    findings += check_against_last_year(loaded, _last_year(last_year), today)
                for document in documents:
                    findings += check_document(document, loaded, today, known=of_profile)
                    if not as_json:
                        _say_origin(document)
    if as_json:
        shown = {"findings": [as_json_finding(f) for f in findings]}
        sys.stdout.write(json.dumps(shown, indent=2, ensure_ascii=False) + "\n")
    else:
        print_findings(findings, strict=strict)
    return EXIT_INVALID if fails(findings, strict=strict) else EXIT_OK


def _last_year(path: Path) -> LoadedProfile | Path:
    """Last year's statement: a built .docx as it is, a profile loaded and valid (it is read
    field by field); a profile that is not stops the check with its problems (exit 1)."""
    from msgen.commands import load_valid_profile

    return path if path.suffix.lower() == ".docx" else load_valid_profile(path)


def as_json_finding(finding: Problem) -> dict[str, str]:
    """A finding as `msgen check --json` promises it: exactly these six fields."""
    found_by = definition(finding.rule)
    return {"rule": finding.rule, "severity": finding.severity, "path": finding.field,
            "message": finding.advice, "fix": found_by.fix, "source": found_by.source}


def _say_origin(document: Path) -> None:
    """Which profile and template the document was built from (its build record)."""
    from msgen import console
    from msgen.document.buildrecord import origin

    console.info(origin(document))


def print_findings(findings: Sequence[Problem], *, strict: bool) -> None:
    """Errors, then warnings; under each rule what it found, what to do and where the rule
    comes from (once per rule); then a summary line."""
    from msgen import console

    for severity, heading, style in ((ERROR, "Errors", "bold red"), (WARNING, "Warnings", "yellow")):
        group = [f for f in findings if f.severity == severity]
        if not group:
            continue
        console.result(f"{heading} ({len(group)})", style)
        for rule_id in dict.fromkeys(f.rule for f in group):
            of_rule = [f for f in group if f.rule == rule_id]
            console.result(f"  {rule_id}", "bold")
            for finding in of_rule:
                console.result(f"    {finding}")
            console.result(f"    fix: {definition(rule_id).fix}", "dim")
            console.result(f"    source: {definition(rule_id).source}", "dim")
    console.result(summary(findings, strict=strict), "bold red" if fails(findings, strict=strict) else "green")


def summary(findings: Sequence[Problem], *, strict: bool) -> str:
    """One line: how many errors and warnings, and whether that fails."""
    errors = sum(f.severity == ERROR for f in findings)
    warnings = len(findings) - errors
    counted = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    if errors:
        return f"{counted}: fix the errors before publishing"
    if warnings:
        return f"{counted}: " + ("--strict fails on warnings" if strict else "no errors; review the warnings")
    return "no problems found"
