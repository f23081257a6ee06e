"""What the Home Office guidance, the GOV.UK registry and the assessors who score
statements ask for beyond the letter of section 54."""

from __future__ import annotations

import re
from typing import Any, Iterator

from msgen.check.rulebook import (ACT, ASSESSORS, BOTH, ERROR, HOME_OFFICE, PROFILE, REGISTRY, SEPARATE_DOCUMENTS,
                                  TEXT, TISC, WARNING, Hit, Subject, add_months, blocks, bodies, coverage, day,
                                  long_date, period, phrases, rule, years_producing)
from msgen.errors import format_path
from msgen.profile.loader import JsonPath

AREA_TITLES = {
    "structure": "Structure and supply chains",
    "policies": "Policies",
    "due_diligence": "Due diligence",
    "risk": "Risk assessment and management",
    "effectiveness": "Effectiveness (key performance indicators)",
    "training": "Training",
}
PUBLIC_BODY_TYPES = {"police-force", "pcc-office", "pfcc-office", "fire-and-rescue", "fire-authority",
                     "combined-fire-authority", "pfcc-fire-authority", "combined-authority"}

_HARM = (r"(?:modern[- ](?:day )?slavery|slavery|(?:human )?trafficking|forced (?:or compulsory )?labour|servitude"
         r"|exploitation|MSHT|MDS)")
# Saying the harm is absent, or has been removed: what no body can know.
_ABSOLUTE_CLAIMS = re.compile(
    rf"\bslavery[- ]free\b|\bfree (?:from|of) (?:any |all )?(?:forms of )?{_HARM}"
    rf"|\bthere (?:is|are|was|were) (?:no|zero) (?:(?:instances?|cases?|incidents?|risks?|forms?) of )?{_HARM}"
    rf"|\b(?:no|zero)[- ]risk of (?:any )?{_HARM}"
    rf"|\b(?:has|have|had) (?:now )?(?:been )?(?:completely |fully |successfully )?(?:eliminated|eradicated) {_HARM}"
    rf"|\b{_HARM}(?: and {_HARM})? (?:has|have|is|are) (?:now )?(?:been )?(?:completely |fully )?"
    r"(?:eliminated|eradicated|absent)\b",
    re.IGNORECASE)
# Before a claim in its sentence, what makes it an aim, a duty or a denial rather than a claim
# ("committed to eliminating discrimination", "to ensure there is no modern slavery",
# "no organisation can say it is slavery-free").
_AIM_OR_DENIAL = re.compile(
    r"\b(?:commit\w*|aim\w*|ambitions?|goals?|striv\w+|seek\w*|endeavour\w*|work(?:s|ing)? (?:to|towards)|"
    r"to ensure|ensuring|help\w*|will|would|should|could|may|might|must|shall|expect\w*|require\w*|hop\w+|"
    r"wants?|determined|intend\w*|objectives?|"
    r"vision|aspir\w+|plans?|towards|not|never|cannot|can't|no (?:organisation|body|one)|unable|impossible|"
    r"unless|if|whether|claim\w*|zero[- ]tolerance)\b",
    re.IGNORECASE)
# After it, what makes "there were no cases of forced labour" a finding the body reports, not a claim.
_FOUND = re.compile(r"[^.;!?]*?\b(?:identified|found|reported|detected|recorded|raised|referred)\b")
_SENTENCE_START = re.compile(r"[.;!?]\s")


def _sentence_start(text: str, position: int) -> int:
    """Where the sentence holding text[position] begins: what comes before a claim in its
    own sentence decides what the claim is."""
    return max((m.end() for m in _SENTENCE_START.finditer(text, 0, position)), default=0)
_STATUTORY_CLAIMS = re.compile(
    r"\b(?:made|published|prepared|produced|written|issued)\s+(?:under|pursuant to|in accordance with|"
    r"in line with|in compliance with|as required by)\s+(?:section\s*54|s\.?\s*54|the Modern Slavery Act)"
    r"|\bas per (?:section\s*54|s\.?\s*54)"
    r"|\b(?:required|obliged) (?:by law |under (?:section 54|the Act) )?to (?:publish|produce|make) "
    r"(?:a|this|an annual|its) (?:modern slavery )?statement",
    re.IGNORECASE)
_VOLUNTARY_CLAIMS = re.compile(r"\b(?:published|made|produced|prepared) (?:on a )?voluntar(?:ily|y basis)\b",
                               re.IGNORECASE)


@rule("guidance.area-not-covered", WARNING, PROFILE,
      title="Each of the six areas is covered",
      why="The registry records each of the six areas as covered or not, and assessors score an "
          "area left out as zero even when a reason is given.",
      fix="Cover the area (set included: true and fill it in; in version 2, name it in the covers of the "
          "section that covers it), or keep the reason short (version 2: in a not-covered clause) and say "
          "when the body will cover it.",
      source=f"{ACT} s54(5); {REGISTRY}; {ASSESSORS}", versions=BOTH)
def area_not_covered(subject: Subject) -> Iterator[Hit]:
    areas = coverage(subject.data)
    for name, title in AREA_TITLES.items():
        if areas[name].covered:
            continue
        for at, reason in areas[name].left_out:
            yield at, f"{title} is not covered: {reason}" if reason else f"{title} is not covered; no reason is given"
        if not areas[name].left_out:
            yield ("sections",), (f"{title} is not covered: no section's covers names {name}, and no not-covered "
                                  "clause gives a reason")


@rule("guidance.publication-deadline", WARNING, PROFILE,
      title="Published within six months of the year end",
      why="The Home Office asks for publication within six months of the financial year end (30 "
          "September for an April to March year); the registry and assessors record late statements.",
      fix="Plan the board approval and publication before the deadline, and record the real dates.",
      source=f"{HOME_OFFICE}; {REGISTRY}", versions=BOTH)
def publication_deadline(subject: Subject) -> Iterator[Hit]:
    covered = period(subject.data)
    if covered is None:
        return
    _, end = covered
    deadline = add_months(end, 6)
    published = day(subject.data["statement"].get("publication", {}).get("publication_date"))
    approved = day(subject.data["approval"].get("date"))
    if published and published > deadline:
        yield ("statement", "publication", "publication_date"), (
            f"published on {long_date(published)}, after the deadline of {long_date(deadline)}")
    elif not published and approved and approved > deadline:
        yield ("approval", "date"), (
            f"approved on {long_date(approved)}, too late to publish by {long_date(deadline)}")


@rule("guidance.voluntary-basis", ERROR, PROFILE,
      title="A voluntary statement does not claim to be required",
      why="Police, PCC and fire bodies publish voluntarily: a statement that says it is 'made under "
          "section 54' misstates the law, and msgen already writes the correct legal-basis sentence.",
      fix="Remove the sentence about section 54 from the text; msgen says the statement is voluntary.",
      source=f"{HOME_OFFICE}; {REGISTRY}", family="statute")
def voluntary_basis(subject: Subject) -> Iterator[Hit]:
    if subject.data["statement"]["legal_basis"] != "voluntary":
        return
    for path, claim in statutory_claims(subject, _STATUTORY_CLAIMS):
        if path[0] not in SEPARATE_DOCUMENTS:
            yield path, f"says '{claim}' but the statement is voluntary (legal_basis: voluntary)"


_DOUBLED_WORD = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
# In the sentence before a claim about the law, what denies it or says the body acts voluntarily
# ("Although we are not required to make a modern slavery statement under section 54").
_DENIED = re.compile(r"\b(?:not|no longer|neither|nor|never|exempt|voluntar\w*)\b|n't\b", re.IGNORECASE)


def statutory_claims(subject: Subject, pattern: re.Pattern) -> Iterator[tuple[Any, str]]:
    """(where, the words) of each sentence that claims (or with _VOLUNTARY_CLAIMS, denies)
    that section 54 applies, read through a doubled word ("published in in line with") and
    past a claim its own sentence denies."""
    for where, text in subject.texts:
        text = _DOUBLED_WORD.sub(r"\1", text)
        for claim in pattern.finditer(text):
            if pattern is _VOLUNTARY_CLAIMS or not _DENIED.search(text, _sentence_start(text, claim.start()),
                                                                   claim.start()):
                yield where, claim.group()


@rule("guidance.legal-basis-clause", WARNING, PROFILE,
      title="The legal-basis clause agrees with the body's own text",
      why="The legal-basis clause prints msgen's sentence on why the statement is made; above a body's "
          "own 'published in line with section 54(1)' a clause saying 'published voluntarily' makes the "
          "statement contradict itself.",
      fix="Make statement.legal_basis say what the body's text says, reword the body's sentence, or "
          "remove the clause: legal-basis block and let the body's words stand.",
      source=f"{HOME_OFFICE}; {REGISTRY}", versions=(2,), family="statute")
def legal_basis_clause(subject: Subject) -> Iterator[Hit]:
    placed = next((at for at, block in blocks(subject.data) if block.get("clause") == "legal-basis"), None)
    basis = subject.data["statement"].get("legal_basis")
    if placed is None or basis is None:
        return  # without a legal basis the clause cannot be written: blocks.clause-value says so
    contrary = _STATUTORY_CLAIMS if basis == "voluntary" else _VOLUNTARY_CLAIMS
    for path, claim in statutory_claims(subject, contrary):
        if path[0] not in SEPARATE_DOCUMENTS:
            yield path, (f"says '{claim}' but the legal-basis clause at {format_path(placed)} prints "
                         f"that the statement is {basis} (legal_basis: {basis})")


@rule("guidance.legal-basis", WARNING, PROFILE,
      title="Public bodies publish voluntarily",
      why="Section 54 applies to commercial organisations; the extension to public bodies is not in "
          "force, so a police, PCC or fire statement is voluntary and should say so.",
      fix="Set statement.legal_basis to voluntary.",
      source=f"{ACT} s54(2); {HOME_OFFICE}", versions=BOTH)
def legal_basis(subject: Subject) -> Iterator[Hit]:
    statement = subject.data["statement"]
    types = {body.type for body in bodies(subject.data)}
    if statement.get("legal_basis") == "statutory" and types & PUBLIC_BODY_TYPES:
        yield ("statement", "legal_basis"), (
            "marked statutory, but section 54 does not yet apply to police, PCC or fire bodies")


@rule("guidance.absolute-claim", WARNING, TEXT,
      title="No 'slavery-free' or 'no risk' claims",
      why="The Home Office asks bodies not to claim their supply chains are free of slavery: no body "
          "can know it, and assessors read such claims as a sign the risk has not been looked for.",
      fix="Describe the steps taken and what they found, e.g. 'we work to reduce the risk' instead of "
          "'we have eliminated modern slavery'.",
      source=f"{HOME_OFFICE}; {TISC}", versions=BOTH, family="claims")
def absolute_claim(subject: Subject) -> Iterator[Hit]:
    for where, claim in phrases(subject, _ABSOLUTE_CLAIMS):
        text = claim.string
        aim_or_denial = _AIM_OR_DENIAL.search(text, _sentence_start(text, claim.start()), claim.start())
        if not (aim_or_denial or _FOUND.match(text, claim.end())):
            yield where, f"claims '{claim.group()}'"


@rule("guidance.risks-identified", WARNING, PROFILE,
      title="Risks are named, or 'no risks' is justified",
      why="The registry asks for up to three priority risks; a risk section that names none, and "
          "does not say how it concluded there are none, tells the reader nothing.",
      fix="List areas.risk.areas or areas.risk.priority_risks, or fill in "
          "areas.risk.no_risks_identified.justification.",
      source=f"{REGISTRY}; {ASSESSORS}")
def risks_identified(subject: Subject) -> Iterator[Hit]:
    risk = subject.data["areas"]["risk"]
    if risk["included"] and not (risk.get("areas") or risk.get("priority_risks") or risk.get("no_risks_identified")):
        yield ("areas", "risk"), "no risks are named and no 'no risks identified' justification is given"


@rule("guidance.kpi-outcome", WARNING, PROFILE,
      title="At least one indicator measures an outcome",
      why="Counting activity ('number of staff trained') shows effort, not effect; assessors look for "
          "an indicator of results, such as suppliers that fixed a finding.",
      fix="Add a key performance indicator with kind: outcome, with its target and actual figure.",
      source=f"{HOME_OFFICE}; {ASSESSORS}", versions=BOTH)
def kpi_outcome(subject: Subject) -> Iterator[Hit]:
    at: JsonPath
    if subject.profile.version == 2:
        at, kpis = ("data", "kpis"), subject.data.get("data", {}).get("kpis", [])
    else:
        effectiveness = subject.data["areas"]["effectiveness"]
        at, kpis = ("areas", "effectiveness", "kpis"), effectiveness["kpis"] if effectiveness["included"] else []
    if kpis and all(kpi["kind"] == "output" for kpi in kpis):
        yield at, "every indicator counts outputs; none measures an outcome"


@rule("guidance.previous-statement", WARNING, PROFILE,
      title="Last year's statement is linked",
      why="The registry and assessors compare years; a statement that is not the first should link "
          "the one before so readers can see progress.",
      fix="Add last year's statement to statement.previous_statements with its year and web address.",
      source=f"{REGISTRY}; {ASSESSORS}", versions=BOTH)
def previous_statement(subject: Subject) -> Iterator[Hit]:
    statement = subject.data["statement"]
    if (years_producing(subject.data) or 0) < 2 or "financial_year" not in statement:
        return
    first = int(statement["financial_year"][:4])
    last_year = f"{first - 1}-{first % 100:02d}"
    if last_year not in {previous["year"] for previous in statement.get("previous_statements", [])}:
        yield ("statement", "previous_statements"), f"last year's statement ({last_year}) is not linked"


@rule("guidance.progress-status", ERROR, PROFILE,
      title="Every commitment from last year has a status",
      why="A commitment carried over with status to-report has not been reported on; the statement "
          "would promise last year's action again without saying what happened.",
      fix="Set each actions.progress[].status (version 2: data.progress[].status) to done, in-progress, "
          "not-started or dropped, with evidence.",
      source=f"{HOME_OFFICE}; {ASSESSORS}", versions=BOTH)
def progress_status(subject: Subject) -> Iterator[Hit]:
    holder = "data" if subject.profile.version == 2 else "actions"
    for index, item in enumerate(subject.data.get(holder, {}).get("progress", [])):
        if item["status"] == "to-report":
            yield (holder, "progress", index, "status"), f"'{item['commitment']}' is not reported on yet"


@rule("guidance.progress-reported", WARNING, PROFILE,
      title="Progress on last year's commitments is reported",
      why="After the first year, readers and assessors look for what became of the commitments made "
          "the year before.",
      fix="List last year's commitments in actions.progress, each with its status and evidence.",
      source=f"{HOME_OFFICE}; {ASSESSORS}; {TISC}")
def progress_reported(subject: Subject) -> Iterator[Hit]:
    if subject.data["statement"]["years_producing"] > 1 and not subject.data.get("actions", {}).get("progress"):
        yield ("actions",), "this is not the first statement, but no progress on last year's commitments is reported"


@rule("guidance.joint-collaboration", WARNING, PROFILE,
      title="A joint statement says how the bodies worked together",
      why="The guidance on group statements asks how the bodies share the work, so a reader knows "
          "who does what.",
      fix="Describe in scope.collaboration how the bodies prepared the statement and share the work.",
      source=f"{HOME_OFFICE}, on group statements")
def joint_collaboration(subject: Subject) -> Iterator[Hit]:
    if subject.data["statement"]["kind"] == "joint" and "collaboration" not in subject.data["scope"]:
        yield ("scope",), "a joint statement, but scope.collaboration does not say how the bodies work together"
