"""What section 54 of the Modern Slavery Act 2015 itself asks of a statement."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Iterator

from msgen.check.rulebook import (ACT, BOTH, ERROR, HOME_OFFICE, PROFILE, SEPARATE_DOCUMENTS, WARNING, Body, Hit,
                                  Subject, add_months, bodies, coverage, day, long_date, period, rule, signatories)
from msgen.profile.loader import JsonPath

STEP_AREAS = ("policies", "due_diligence", "risk", "effectiveness", "training")
_NO_STEPS = re.compile(r"\b(?:no (?:such )?steps|not taken any steps)\b", re.IGNORECASE)


@rule("law.period-length", ERROR, PROFILE,
      title="The reporting period is a financial year",
      why="A statement is made for each financial year; a period shorter than 12 months or longer "
          "than 18 is not one, and usually means a mistyped date.",
      fix="Set statement.period.start and end to the first and last day of the financial year "
          "(normally 1 April to 31 March).",
      source=f"{ACT} s54(1) and (4); Companies Act 2006 s390-392 (a financial year is at most 18 months)",
      versions=BOTH)
def period_length(subject: Subject) -> Iterator[Hit]:
    covered = period(subject.data)
    if covered is None:
        return
    start, end = covered
    if end < add_months(start, 12) - timedelta(days=8) or end >= add_months(start, 18):
        months = round((end - start).days / 30.44)
        yield ("statement", "period"), (
            f"the period {long_date(start)} to {long_date(end)} is about {months} months long; "
            "a financial year is 12 to 18 months")


@rule("law.period-ended", ERROR, PROFILE,
      title="The reporting period has ended",
      why="A statement reports the steps taken during a financial year, so it can only be made once "
          "that year is over.",
      fix="Check statement.period.end; if the year really is not over, wait, or build with --draft "
          "for review.",
      source=f"{ACT} s54(4)", versions=BOTH)
def period_ended(subject: Subject) -> Iterator[Hit]:
    covered = period(subject.data)
    if covered is None:
        return
    _, end = covered
    given = "period" in subject.data["statement"]  # else the financial year's end (version 2)
    if end > subject.today:
        yield ("statement", "period", "end") if given else ("statement", "financial_year"), (
            f"the period ends on {long_date(end)}, after today ({long_date(subject.today)})")


@rule("law.financial-year", ERROR, PROFILE,
      title="The financial year matches the period",
      why="The year in the title and file names comes from statement.financial_year; when it "
          "disagrees with the period the statement names the wrong year.",
      fix="Make statement.financial_year the year the period ends in, e.g. 2022-23 for a period "
          "ending 31 March 2023.",
      source=f"{ACT} s54(1)", versions=BOTH, family="dates")
def financial_year(subject: Subject) -> Iterator[Hit]:
    statement = subject.data["statement"]
    covered = period(subject.data)
    if covered is None or "financial_year" not in statement:  # version 2 may give a period but no year
        return
    first = int(statement["financial_year"][:4])
    _, end = covered
    if not date(first, 4, 1) <= end <= date(first + 1, 12, 31):
        expected_first = end.year if end.month >= 4 else end.year - 1
        expected = f"{expected_first}-{(expected_first + 1) % 100:02d}"
        yield ("statement", "financial_year"), (
            f"the financial year {statement['financial_year']} does not match the period ending "
            f"{long_date(end)}; expected {expected}")


@rule("law.steps", ERROR, PROFILE,
      title="Steps taken, or a statement that none were",
      why="Section 54 requires the statement to set out the steps taken during the year, or to say "
          "plainly that the body has taken no such steps.",
      fix="Describe at least one of policies, due diligence, risk, effectiveness or training (or the "
          "steps in a custom section, or in version 2 a section whose covers names the area), or say in "
          "statement.introduction (in version 2, in any paragraph) that the body has taken no steps this year.",
      source=f"{ACT} s54(4)", versions=BOTH)
def steps(subject: Subject) -> Iterator[Hit]:
    areas = coverage(subject.data)
    if subject.profile.version == 2:
        # Untagged text may describe steps: only a profile that says it covers none of them lacks them.
        if any(areas[name].covered or not areas[name].left_out for name in STEP_AREAS):
            return
        if not any(_NO_STEPS.search(text) for _, text in subject.texts):
            yield ("sections",), ("no steps are described (policies, due diligence, risk, effectiveness and "
                                  "training are each declared not covered, and no section covers them) and the "
                                  "statement does not say no steps were taken")
        return
    if any(areas[name].covered for name in STEP_AREAS) or subject.data.get("custom_sections"):
        return
    introduction = " ".join(subject.data["statement"].get("introduction", []))
    if not _NO_STEPS.search(introduction):
        yield ("areas",), ("no steps are described (policies, due diligence, risk, effectiveness and "
                           "training are all left out, and there is no custom section) and the statement "
                           "does not say no steps were taken")


@rule("law.approval-recorded", ERROR, PROFILE,
      title="The approval date is recorded",
      why="The statement must be approved by the body's board (or equivalent) and say so; the date "
          "shows when.",
      fix="Set approval.date to the day the board approved the statement (YYYY-MM-DD).",
      source=f"{ACT} s54(6)", versions=BOTH)
def approval_recorded(subject: Subject) -> Iterator[Hit]:
    if "date" not in subject.data["approval"]:
        yield ("approval",), f"{subject.data['approval']['body']} has no approval date"


@rule("law.approval-date", ERROR, PROFILE,
      title="Approved after the year ended, and not in the future",
      why="A statement approved before its year ended cannot report that year's steps, and one "
          "dated in the future has not been approved yet: both usually mean last year's date was kept.",
      fix="Set approval.date to the day the board approved this year's statement.",
      source=f"{ACT} s54(4) and (6)", versions=BOTH)
def approval_date(subject: Subject) -> Iterator[Hit]:
    approved = day(subject.data["approval"].get("date"))
    if approved is None:
        return
    covered = period(subject.data)
    if covered is None:
        return
    _, end = covered
    if approved <= end:
        yield ("approval", "date"), (
            f"approved on {long_date(approved)}, before the period it reports on ended ({long_date(end)})")
    elif approved > subject.today:
        yield ("approval", "date"), f"approved on {long_date(approved)}, which is after today"


@rule("law.signatory", ERROR, PROFILE,
      title="Every signatory has a full name and a role",
      why="The statement must be signed by a named person in a named role (a director, or for a "
          "public body its chief officer or commissioner).",
      fix="Give each signatory's full name (first and last name) in name and their job title in role.",
      source=f"{ACT} s54(6)", versions=BOTH)
def signatory(subject: Subject) -> Iterator[Hit]:
    for at, person in signatories(subject.data):
        name, role = person["name"].strip(), person["role"].strip()
        if len(name.split()) < 2:
            yield at + ("name",), f"'{name}' is not a full name"
        elif name.casefold() == role.casefold():
            yield at + ("name",), f"the name '{name}' is the role, not a person"
        if not role:
            yield at + ("role",), "the role is blank"


@rule("law.signature-date", WARNING, PROFILE,
      title="Every signature is dated",
      why="The statement is signed by a director or equivalent; the date shows it was signed, and "
          "signed after approval. Without one msgen prints a line to date by hand, so the profile "
          "cannot show that the statement was ever signed (next-year clears these dates).",
      fix="Once each person has signed, record the day in signatories[].date (YYYY-MM-DD).",
      source=f"{ACT} s54(6)", versions=BOTH)
def signature_date(subject: Subject) -> Iterator[Hit]:
    for at, person in signatories(subject.data):
        if not person.get("date"):
            yield at + ("date",), (
                f"{person['name']} has no signing date; the document prints a line to date by hand")


@rule("law.signatory-per-body", ERROR, PROFILE,
      title="Every body has a signatory",
      why="Each body making the statement must approve and sign it; in a joint statement a body "
          "without a signatory has not made it.",
      fix="Add a signatory whose organisation is the body's id, or remove the body from organisations "
          "(version 2: bodies).",
      source=f"{ACT} s54(6)", versions=BOTH)
def signatory_per_body(subject: Subject) -> Iterator[Hit]:
    signing = {person.get("organisation") for _, person in signatories(subject.data)}
    for body in bodies(subject.data):
        if body.id not in signing:
            yield body.path, f"{body.name} ({body.id}) has no signatory"


# How a joint statement names its bodies together ("the seven PCCs and seven Chief
# Constables", "all four fire and rescue services"): each covers every body of its kinds.
_TOGETHER = r"\b(?:the|all|each of the|both|our|(?:\w+|\d+)) (?:(?:\w+|\d+) )?(?:{})\b"
_COLLECTIVE_NAMES = {
    ("police-force",): r"(?:police )?forces|constabularies|chief constables",
    ("pcc-office", "pfcc-office", "pfcc-fire-authority"): r"(?:offices of the )?(?:police,? (?:fire )?and crime "
                                                          r"commissioners|commissioners|o?p?f?ccs)",
    ("fire-and-rescue", "fire-authority", "combined-fire-authority", "pfcc-fire-authority"):
        r"fire (?:and rescue )?(?:services|authorities)|fire and rescue authorities",
}
_COLLECTIVE = [(kinds, re.compile(_TOGETHER.format(names), re.IGNORECASE))
               for kinds, names in _COLLECTIVE_NAMES.items()]
_ALL_BODIES = re.compile(_TOGETHER.format(r"bodies|organisations|partners|parties"), re.IGNORECASE)
# Version 2 has no scope field: its scope is what the statement says it covers.
_SAYS_WHAT_IT_COVERS = re.compile(
    r"\b(?:this|the|our) (?:joint |regional |collaborative )?(?:modern slavery (?:and human trafficking )?)?"
    r"statement (?:covers|applies to|relates to|sets out|is (?:made|published|issued) (?:by|on behalf of|jointly "
    r"by))", re.IGNORECASE)


def _names_together(scope: str, kind: str) -> bool:
    """Whether the scope names all bodies of this kind at once ("the seven PCCs")."""
    return bool(_ALL_BODIES.search(scope)) or any(kind in kinds and pattern.search(scope)
                                                  for kinds, pattern in _COLLECTIVE)


def _scopes(subject: Subject) -> list[tuple[JsonPath, str]]:
    """Where a joint statement says what it covers: version 1's scope.description, version 2's
    sentences saying what the statement covers (none: the rule has nothing to read)."""
    if subject.profile.version == 1:
        return [(("scope", "description"), subject.data["scope"]["description"])] \
            if subject.data["statement"]["kind"] == "joint" else []
    if len(bodies(subject.data)) < 2:
        return []
    return [(where, text) for where, text in subject.texts
            if where[0] not in SEPARATE_DOCUMENTS and _SAYS_WHAT_IT_COVERS.search(text)]


def _shortened(text: str, most: int = 80) -> str:
    return text if len(text) <= most else text[:most].rsplit(" ", 1)[0] + " …"


@rule("law.joint-scope", ERROR, PROFILE,
      title="A joint statement's scope names every body",
      why="A joint statement covers each body only if its scope says so; a body left out of the "
          "scope has no statement.",
      fix="Name each body (by its name or abbreviation, or all of its kind together: 'the seven PCCs') in "
          "scope.description (version 2: in the sentence saying what the statement covers).",
      source=f"{ACT} s54(4); {HOME_OFFICE}, on group statements", versions=BOTH, family="joint")
def joint_scope(subject: Subject) -> Iterator[Hit]:
    scopes = _scopes(subject)
    if not scopes:
        return
    making = bodies(subject.data)

    def names(text: str, body: Body) -> bool:
        return any(re.search(rf"\b{re.escape(name)}\b", text) for name in body.names) \
            or _names_together(text, body.type)

    scope = " ".join(text for _, text in scopes)
    # Reported at the sentence that names the most of them: the scope a reader would correct.
    at, text = max(scopes, key=lambda found: sum(names(found[1], body) for body in making))
    for body in making:
        if not names(scope, body):
            yield at, f"the scope ('{_shortened(text)}') does not name {body.name}"


@rule("law.publication", ERROR, PROFILE,
      title="Where the statement is published, or how to ask for it",
      why="A body with a website must publish the statement there; one without must send a copy "
          "within 30 days of a written request.",
      fix="Set statement.publication.statement_url to the page that publishes it, or "
          "statement.publication.request_email to where readers ask for a copy.",
      source=f"{ACT} s54(7) and (8)")
def publication(subject: Subject) -> Iterator[Hit]:
    published = subject.data["statement"].get("publication", {})
    if not ({"statement_url", "request_email"} & published.keys()):
        yield ("statement", "publication"), "neither a statement web address nor a request email is given"


@rule("law.homepage-link", ERROR, PROFILE,
      title="The homepage link says 'modern slavery'",
      why="The link must sit in a prominent place on the homepage; readers and assessors look for "
          "the words 'modern slavery', not 'Transparency' or 'Our policies'.",
      fix="Change the homepage link to read e.g. 'Modern slavery statement' and record it in "
          "statement.publication.homepage_link_text.",
      source=f"{ACT} s54(7)(b); {HOME_OFFICE}", versions=BOTH)
def homepage_link(subject: Subject) -> Iterator[Hit]:
    text = subject.data["statement"].get("publication", {}).get("homepage_link_text")
    if text is not None and "modern slavery" not in text.casefold():
        yield (("statement", "publication", "homepage_link_text"),
               f"the link text '{text}' does not say 'modern slavery'")


@rule("law.homepage-link-missing", WARNING, PROFILE,
      title="The homepage link is recorded",
      why="A statement published on a website needs a link in a prominent place on the homepage; "
          "recording its words lets msgen check them.",
      fix="Set statement.publication.homepage_link_text to the words of the homepage link.",
      source=f"{ACT} s54(7)(b)", versions=BOTH)
def homepage_link_missing(subject: Subject) -> Iterator[Hit]:
    published = subject.data["statement"].get("publication", {})
    if "statement_url" in published and "homepage_link_text" not in published:
        yield ("statement", "publication"), "the statement is on a website but the homepage link text is not recorded"
