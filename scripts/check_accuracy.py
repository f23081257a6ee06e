"""How often `msgen check` is right: precision and recall per rule family on the labelled corpus.

Each case of tests/check_corpus/<family>.yaml is a real snippet of a published statement
and the rule family it must trigger (or `none`). The snippet is put into one clean
statement (tests/check_corpus/base.yaml, which raises nothing on its own), with the case's
own profile fields merged over it, and the profile and text rules run on the result:

- a finding of the expected family that points at the case's text (its field, or a quote
  of it in the message) is a true positive;
- any other finding is a false positive for its own family (once per case and family);
- an expected family with no finding pointing at the text is a miss.

    python scripts/check_accuracy.py            # a table, then each miss and false alarm
    python scripts/check_accuracy.py --json     # the figures, for tests/test_check_corpus.py

Case fields: id (unique), text, expect, source; optional profile (fields merged over the
base: mappings merged key by key, anything else replaced), field (`p`, the default: a
paragraph of a section of its own; `heading`: that section's heading; `title`: the
statement's title; `item`: an item of a list), after (the blocks that follow a `p` case's
paragraph: the list or sub-headings it introduces) and last_year (last year's profile fields,
merged over the base likewise, for cases of `msgen check --last-year`).
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Sequence

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "check_corpus"
BASE = CORPUS / "base.yaml"
TODAY = date(2025, 9, 30)  # the base statement's year has ended and its publication deadline is today
FIELDS = ("p", "heading", "title", "item")
CASE_KEYS = {"id", "text", "expect", "source", "profile", "field", "last_year", "after"}
NONE = "none"
_QUOTED = re.compile(r"'([^']{3,})'|\"([^\"]{3,})\"|‘([^’]{3,})’|“([^”]{3,})”")


class CorpusError(Exception):
    """A case the corpus contract does not allow: named by file and id."""


@dataclass(frozen=True)
class Case:
    id: str
    file: str
    text: str
    expect: str
    source: str
    profile: dict[str, Any]
    field: str
    last_year: dict[str, Any] | None
    after: list[Any]  # blocks that follow a `p` case's paragraph in its section (a list, sub-headings)


@dataclass(frozen=True)
class Outcome:
    """What check found on one case: the families that pointed at its text, and the others."""

    case: Case
    pointing: frozenset[str]
    elsewhere: frozenset[str]
    messages: tuple[str, ...]


def read_yaml(path: Path) -> Any:
    """A corpus file read as msgen reads a profile (dates stay text, as the schema wants them)."""
    from msgen.profile import yamlsource

    return yamlsource.construct_yaml(path, yamlsource.compose_yaml(path, path.read_text(encoding="utf-8")))


def read_cases(folder: Path = CORPUS) -> list[Case]:
    """Every case of every family file, checked against the corpus contract."""
    cases: list[Case] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.yaml")):
        if path.name == BASE.name:
            continue
        for entry in read_yaml(path) or []:
            name = f"{path.name}: {entry.get('id', '(no id)')}"
            unknown = set(entry) - CASE_KEYS
            missing = {"id", "text", "expect", "source"} - set(entry)
            if unknown or missing:
                raise CorpusError(f"{name}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
            if entry["id"] in seen:
                raise CorpusError(f"{name}: the id is used twice")
            if entry.get("field", "p") not in FIELDS:
                raise CorpusError(f"{name}: field must be one of {', '.join(FIELDS)}")
            seen.add(entry["id"])
            cases.append(Case(entry["id"], path.name, str(entry["text"]), entry["expect"], entry["source"],
                              entry.get("profile") or {}, entry.get("field", "p"), entry.get("last_year"),
                              entry.get("after") or []))
    return cases


def merged(base: Any, over: Any) -> Any:
    """`over` merged over `base`: mappings key by key, anything else replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        return {**base, **{key: merged(base.get(key), value) for key, value in over.items()}}
    return copy.deepcopy(over)


def with_text(data: dict[str, Any], text: str, field: str, after: Sequence[Any] = ()) -> tuple[dict[str, Any], tuple]:
    """The profile with the case's text where its field says, and the path a finding about
    the text points at (the case's own section, or the title)."""
    if field == "title":
        data["statement"]["title"] = text
        return data, ("statement", "title")
    section: dict[str, Any] = {"id": "corpus-case", "heading": "Our work this year",
                               "blocks": [{"p": text}, *copy.deepcopy(after)]}
    if field == "heading":
        section["heading"] = text
        section["blocks"] = [{"p": "The Force reports on this work every year."}]
    elif field == "item":
        section["blocks"] = [{"list": [text]}]
    data["sections"].append(section)
    return data, ("sections", len(data["sections"]) - 1)


def run_case(case: Case, base: dict[str, Any], today: date = TODAY) -> Outcome:
    """Check the base statement with the case in it."""
    from msgen.check import check_profile, definition
    from msgen.profile.loader import LoadedProfile

    data, root = with_text(merged(copy.deepcopy(base), case.profile), case.text, case.field, case.after)
    profile = LoadedProfile(BASE, data)
    if case.last_year is None:
        findings = check_profile(profile, today)
    else:  # `msgen check --last-year`: the rules that compare this year's statement with last year's
        from msgen.check import check_against_last_year  # type: ignore[attr-defined]

        last = LoadedProfile(BASE, merged(base, case.last_year))
        findings = check_profile(profile, today) + check_against_last_year(profile, last, today)
    pointing: set[str] = set()
    elsewhere: set[str] = set()
    for finding in findings:
        family = definition(finding.rule).family
        quoted = [next(g for g in m.groups() if g) for m in _QUOTED.finditer(finding.message)]
        at_text = tuple(finding.path[:len(root)]) == root or any(q in case.text for q in quoted)
        (pointing if at_text else elsewhere).add(family)
    return Outcome(case, frozenset(pointing), frozenset(elsewhere),
                   tuple(f"{f.rule}: {f.message}" for f in findings))


def score(outcomes: list[Outcome]) -> dict[str, Any]:
    """True positives, false positives and misses per family and overall, with precision and recall."""
    counts: dict[str, Counter] = {}
    misses, false_alarms = [], []
    for outcome in outcomes:
        expect = outcome.case.expect
        found = outcome.pointing | outcome.elsewhere
        if expect != NONE:
            hit = expect in outcome.pointing
            counts.setdefault(expect, Counter())["tp" if hit else "fn"] += 1
            if not hit:
                misses.append(_described(outcome))
        wrong = sorted(found - ({expect} & outcome.pointing))
        for family in wrong:
            counts.setdefault(family, Counter())["fp"] += 1
        if wrong:
            false_alarms.append(_described(outcome))
    families = {family: _rates(counted) for family, counted in sorted(counts.items())}
    overall = _rates(sum(counts.values(), Counter()))
    return {"cases": len(outcomes), "none": sum(o.case.expect == NONE for o in outcomes),
            "overall": overall, "families": families, "misses": misses, "false_alarms": false_alarms}


def _rates(counted: Counter) -> dict[str, Any]:
    tp, fp, fn = counted["tp"], counted["fp"], counted["fn"]
    return {"tp": tp, "fp": fp, "fn": fn,
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0}


def _described(outcome: Outcome) -> dict[str, Any]:
    case = outcome.case
    return {"id": case.id, "file": case.file, "expect": case.expect, "text": case.text,
            "found": list(outcome.messages)}


def measure(folder: Path = CORPUS) -> dict[str, Any]:
    """The figures for the whole corpus."""
    base = read_yaml(BASE)
    return score([run_case(case, base) for case in read_cases(folder)])


def _print_table(figures: dict[str, Any]) -> None:
    print(f"{figures['cases']} cases, {figures['none']} of them clean text (expect: none)\n")
    print(f"{'family':<16}{'precision':>10}{'recall':>8}{'tp':>6}{'fp':>5}{'fn':>5}")
    for family, rates in [*figures["families"].items(), ("overall", figures["overall"])]:
        print(f"{family:<16}{rates['precision']:>10.3f}{rates['recall']:>8.3f}"
              f"{rates['tp']:>6}{rates['fp']:>5}{rates['fn']:>5}")
    for heading, listed in (("Missed", figures["misses"]), ("False alarms", figures["false_alarms"])):
        if listed:
            print(f"\n{heading}:")
        for each in listed:
            print(f"  {each['file']} {each['id']} (expect {each['expect']}): {each['text'][:100]!r}")
            for message in each["found"]:
                print(f"      {message}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    try:
        figures = measure()
    except CorpusError as exc:
        print(f"check_accuracy: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        _print_table(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
