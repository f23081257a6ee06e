"""The answers for the GOV.UK Modern Slavery Statement Registry's statement summary.

Officers copy these into the registry's form every year. The rows use the registry's
own column names, order and allowed values (from its published submission log), one
row per body; a joint statement is one group submission led by its first body. An
answer longer than the form accepts is an error here, not a surprise in the browser.

Choices made where the registry has no direct counterpart in the profile:
- dates are the form's UK style, dd/mm/yyyy;
- YearsProducingStatements: 1 is "This is the first time", 2 to 5 "1 to 5 years",
  more than 5 "More than 5 years";
- Turnover: registry.turnover, else the band of the largest body's budget_gbp (not the
  sum: a commissioner's budget includes the grant it passes to its force);
- statement-level answers (approver, dates, areas, summary) are the same on every row
  of a group submission; the approver is the lead body's first signatory;
- a risk whose area is "Other" shows "Other" (the profile holds no free text for it);
- NoRisks is "Yes" when the profile lists no priority risks;
- a question the profile does not answer is left blank, never guessed.

A version-2 profile is read the same way: its bodies' legal names are the organisations;
an area is included when a section of the statement is tagged with it (`covers`) or
prints its data (a `data: policies` block with policies in `data`), else the reason is
that of a `clause: not-covered` block for it; the risks are `data.risks`. When
`years_producing` is "unknown" or left out, the registry's question is left blank (and
named as unanswered) for the officer to answer on the form.
"""

from __future__ import annotations

import csv
import io
import json
from bisect import bisect_right
from datetime import date
from typing import Any, Iterator, NamedTuple

from msgen import resources
from msgen.errors import InvalidProfile, Problem
from msgen.profile.languages import ENGLISH, in_language
from msgen.profile.loader import JsonPath, LoadedProfile

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATOR = "\n"  # the registry joins the answers of a multiple-choice question with line breaks
RISK_COLUMNS = ("", "Area", "SupplyChainTier", "GroupAffected", "OtherGroupAffected", "Location",
                "Mitigation")
COLUMNS: tuple[str, ...] = (
    "OrganisationName", "GroupSubmission", "ParentName",
    "StatementURL", "EmailAddressNoURL", "StatementStartDate", "StatementEndDate",
    "ApprovingPerson", "DateApproved",
    "StatementIncludesOrgStructure", "NoOrgStructureReason",
    "StatementIncludesPolicies", "NoPoliciesReason",
    "StatementIncludesRisksAssessment", "NoRiskAssessmentReason",
    "StatementIncludesDueDiligence", "NoDueDiligenceReason",
    "StatementIncludesTraining", "NoTrainingReason",
    "StatementIncludesGoals", "NoGoalsReason",
    "OrganisationSectors", "OtherOrganisationSector", "Turnover", "YearsProducingStatements",
    "Policies", "OtherPolicies", "NoPolicies",
    "Training", "OtherTraining", "NoTraining",
    "WorkingConditionsEngagement", "NoEngagement",
    "SocialAudits", "NoSocialAudits",
    "GrievanceMechanisms", "NoGrievanceMechanisms",
    "OtherMonitoring", "NoRisks",
    *(f"Risk{n}{part}" for n in (1, 2, 3) for part in RISK_COLUMNS),
    "ILOIndicatorsInStatement", "NoILOIndicatorsInStatement",
    "ILOIndicatorsActions", "ILOIndicatorsNoActions",
    "DemonstrateProgress",
)

# (Yes/No column, reason column, the profile's area) for the six areas of section 54(5).
AREAS = (
    ("StatementIncludesOrgStructure", "NoOrgStructureReason", "structure"),
    ("StatementIncludesPolicies", "NoPoliciesReason", "policies"),
    ("StatementIncludesRisksAssessment", "NoRiskAssessmentReason", "risk"),
    ("StatementIncludesDueDiligence", "NoDueDiligenceReason", "due_diligence"),
    ("StatementIncludesTraining", "NoTrainingReason", "training"),
    ("StatementIncludesGoals", "NoGoalsReason", "effectiveness"),
)

# (column, its "none of these" Yes/No column, registry.<key>): the registry lists its
# "none of these" answer last, so the schema's last option is that answer.
CHOICES = (
    ("OrganisationSectors", None, "sectors"),
    ("Policies", "NoPolicies", "policies"),
    ("Training", "NoTraining", "training"),
    ("WorkingConditionsEngagement", "NoEngagement", "working_conditions_engagement"),
    ("SocialAudits", "NoSocialAudits", "social_audits"),
    ("GrievanceMechanisms", "NoGrievanceMechanisms", "grievance_mechanisms"),
    ("ILOIndicatorsInStatement", "NoILOIndicatorsInStatement", "ilo_indicators"),
    ("ILOIndicatorsActions", "ILOIndicatorsNoActions", "remediation"),
)
FREE_TEXT = (
    ("OtherOrganisationSector", "other_sector"),
    ("OtherPolicies", "other_policies"),
    ("OtherTraining", "other_training"),
    ("OtherMonitoring", "other_monitoring"),
    ("DemonstrateProgress", "demonstrate_progress"),
)

# The most characters the registry's form accepts in each column.
LIMITS: dict[str, int] = {
    "StatementURL": 256, "EmailAddressNoURL": 256,
    **{reason: 200 for _, reason, _ in AREAS},
    "OtherOrganisationSector": 128, "OtherPolicies": 256, "OtherTraining": 256,
    "OtherMonitoring": 200, "DemonstrateProgress": 500,
    **{f"Risk{n}": 200 for n in (1, 2, 3)},
    **{f"Risk{n}Mitigation": 500 for n in (1, 2, 3)},
}
APPROVER_PART_LIMIT = 50  # first name, last name and job title, each

GBP_MILLION = 1_000_000
TURNOVER_BAND_FLOORS = (36 * GBP_MILLION, 60 * GBP_MILLION, 100 * GBP_MILLION, 500 * GBP_MILLION)
YEARS_PRODUCING = ((1, "This is the first time"), (5, "1 to 5 years"), (100, "More than 5 years"))
# The registry's required questions that a profile may leave unanswered.
EXPECTED = ("StatementURL", "StatementStartDate", "DateApproved", "OrganisationSectors", "Turnover",
            "YearsProducingStatements")
# Version 2: the data block that, printed in the statement with data to show, covers an area.
AREA_DATA = {"structure": "bodies", "policies": "policies", "risk": "risks", "due_diligence": "due-diligence",
             "training": "training", "effectiveness": "kpis"}


class Answer(NamedTuple):
    """One cell's text and the profile field it came from (for FILE:LINE in errors)."""

    text: str
    source: JsonPath = ()


def registry_rows(profile: LoadedProfile) -> list[dict[str, str]]:
    """The registry's rows for a valid profile, one per body, every column present.

    Raises InvalidProfile listing every answer the registry's form would refuse. The registry
    is answered in English: a profile in English and Welsh gives its English.
    """
    profile = in_language(profile, ENGLISH)
    answers = dict(_statement_answers(profile.data))
    problems = [*_choice_problems(profile), *_length_problems(profile, answers)]
    if problems:
        raise InvalidProfile(sorted(problems, key=lambda p: (p.line or 0, p.path)))
    names = [body["legal_name"] for body in profile.data["bodies"]] if profile.version == 2 \
        else [organisation["name"] for organisation in profile.data["organisations"]]
    shared = {
        "GroupSubmission": _yes_no(len(names) > 1),
        "ParentName": names[0],
        **{column: answer.text for column, answer in answers.items()},
    }
    return [_in_registry_order({"OrganisationName": name, **shared}) for name in names]


def unanswered(rows: list[dict[str, str]]) -> list[str]:
    """The registry's required questions the rows leave blank (a web address or an email will do)."""
    first = rows[0]
    return [column for column in EXPECTED
            if not first[column] and not (column == "StatementURL" and first["EmailAddressNoURL"])]


def as_csv(rows: list[dict[str, str]], *, for_excel: bool = False) -> str:
    """CSV with a header row; cells holding several answers keep their line breaks (quoted).

    for_excel starts with a byte-order mark: without it Excel reads UTF-8 as Windows-1252
    and shows '£' as 'Â£'. Printed CSV has none, so it pipes cleanly into other tools.
    """
    buffer = io.StringIO()
    if for_excel:
        buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows({column: _inert_cell(cell) for column, cell in row.items()} for row in rows)
    return buffer.getvalue()


def _inert_cell(cell: str) -> str:
    """A cell Excel or LibreOffice would run as a formula (it starts with = + - @, a tab or
    a carriage return) starts with a quote instead, as OWASP advises against CSV injection:
    the spreadsheet shows the text, and the quote shows it was neutralised."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def as_json(rows: list[dict[str, str]]) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def _in_registry_order(cells: dict[str, str]) -> dict[str, str]:
    """Every column, in the registry's order; a question not answered is blank."""
    return {column: cells.get(column, "") for column in COLUMNS}


# -- the answers ------------------------------------------------------------------------

def _statement_answers(data: dict[str, Any]) -> Iterator[tuple[str, Answer]]:
    statement = data["statement"]
    publication = statement.get("publication", {})
    url = publication.get("statement_url")
    if url:
        yield "StatementURL", Answer(url, ("statement", "publication", "statement_url"))
    elif publication.get("request_email"):
        yield "EmailAddressNoURL", Answer(publication["request_email"],
                                          ("statement", "publication", "request_email"))
    if "period" in statement:  # optional in version 2
        yield "StatementStartDate", Answer(_uk_date(statement["period"]["start"]))
        yield "StatementEndDate", Answer(_uk_date(statement["period"]["end"]))
    approver, index = _approver(data)
    yield "ApprovingPerson", Answer(f"{approver['name']} ({approver['role']})", ("signatories", index))
    if data["approval"].get("date"):
        yield "DateApproved", Answer(_uk_date(data["approval"]["date"]))
    version_2 = data.get("schema_version") == 2
    for included_column, reason_column, key in AREAS:
        included, reason = _covered(data, key) if version_2 else _area_answer(data, key)
        yield included_column, Answer(_yes_no(included))
        if reason is not None:
            yield reason_column, reason
    yield from _registry_answers(data.get("registry", {}), _schema_version(data))
    turnover = _turnover(data)
    if turnover:
        yield "Turnover", Answer(turnover)
    years = statement.get("years_producing")
    if isinstance(years, int):  # version 2 may say "unknown", or not say
        yield "YearsProducingStatements", Answer(_years_band(years))
    risk, at = (data.get("data", {}).get("risks", {}), ("data", "risks")) if version_2 \
        else (data["areas"]["risk"], ("areas", "risk"))
    yield from _risk_answers(risk, at, _schema_version(data))


def _area_answer(data: dict[str, Any], key: str) -> tuple[bool, Answer | None]:
    """Version 1: whether the area is included, and if not the profile's reason."""
    area = data["areas"][key]
    if area["included"]:
        return True, None
    return False, Answer(area["reason"].strip(), ("areas", key, "reason"))


def _covered(data: dict[str, Any], key: str) -> tuple[bool, Answer | None]:
    """Version 2: an area is included when a section of the statement is tagged with it
    or prints its data; else its reason is the one a `not-covered` clause gives, if any."""
    printed = {block.get("data") for _, block in _statement_blocks(data)}
    data_block = AREA_DATA[key]
    facts = [body.get("description") for body in data["bodies"]] if data_block == "bodies" \
        else [data.get("data", {}).get(data_block.replace("-", "_"))]
    if any(key in section.get("covers", []) for section in data["sections"]) or (
            data_block in printed and any(facts)) or (key == "training" and _welsh_code_trained(data, printed)):
        return True, None
    reasons = [Answer(block["reason"].strip(), at + ("reason",)) for at, block in _statement_blocks(data)
               if block.get("clause") == "not-covered" and block.get("area") == key and block.get("reason")]
    return False, reasons[0] if reasons else None


def _welsh_code_trained(data: dict[str, Any], printed: set) -> bool:
    """Whether the statement prints the Welsh Code's count of staff trained (data.welsh_code),
    which answers the registry's training question as a training block would."""
    return "welsh-code" in printed and bool(data.get("data", {}).get("welsh_code", {}).get("staff_trained"))


def _statement_blocks(data: dict[str, Any]) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    for number, section in enumerate(data["sections"]):
        for index, block in enumerate(section.get("blocks", [])):
            yield ("sections", number, "blocks", index), block


def _registry_answers(registry: dict[str, Any], version: int) -> Iterator[tuple[str, Answer]]:
    for column, none_column, key in CHOICES:
        if key not in registry:
            continue
        options = _options(key, version)
        chosen = sorted(registry[key], key=options.index)  # the registry lists them in its own order
        none_option = options[-1] if none_column else None
        yield column, Answer(SEPARATOR.join(c for c in chosen if c != none_option), ("registry", key))
        if none_column:
            yield none_column, Answer(_yes_no(none_option in chosen))
    for column, key in FREE_TEXT:
        if key in registry:
            yield column, Answer(registry[key].strip(), ("registry", key))


def _risk_answers(risk: dict[str, Any], at: JsonPath, version: int) -> Iterator[tuple[str, Answer]]:
    priority = risk.get("priority_risks", [])
    yield "NoRisks", Answer(_yes_no(not priority))
    for number, item in enumerate(priority, start=1):
        source = at + ("priority_risks", number - 1)
        yield f"Risk{number}", Answer(item["description"].strip(), source + ("description",))
        yield f"Risk{number}Area", Answer(item["area"])
        tiers = [t for t in item.get("supply_chain_tiers", []) if t != _dont_know_tier(version)]
        yield f"Risk{number}SupplyChainTier", Answer(SEPARATOR.join(tiers))
        yield f"Risk{number}GroupAffected", Answer(SEPARATOR.join(item.get("groups_affected", [])))
        yield f"Risk{number}Location", Answer(SEPARATOR.join(item.get("countries", [])))
        yield f"Risk{number}Mitigation", Answer(item["mitigation"].strip(), source + ("mitigation",))


def _approver(data: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The lead body's first signatory (the first signatory when none signs for it)."""
    lead = (data["bodies"] if data.get("schema_version") == 2 else data["organisations"])[0]["id"]
    signatories = data["signatories"]
    index = next((i for i, s in enumerate(signatories) if s.get("organisation") == lead), 0)
    return signatories[index], index


def _turnover(data: dict[str, Any]) -> str | None:
    bands = _registry_schema(_schema_version(data))["turnover"]["enum"]
    given = data.get("registry", {}).get("turnover")
    if given:
        return given
    bodies = data["bodies"] if data.get("schema_version") == 2 else data["organisations"]
    budgets = [o["figures"]["budget_gbp"] for o in bodies if "budget_gbp" in o.get("figures", {})]
    return bands[bisect_right(TURNOVER_BAND_FLOORS, max(budgets))] if budgets else None


def _years_band(years: int) -> str:
    return next(band for most, band in YEARS_PRODUCING if years <= most)


def _uk_date(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _schema_version(data: dict[str, Any]) -> int:
    return 2 if data.get("schema_version") == 2 else 1


def _registry_schema(version: int) -> dict[str, Any]:
    return resources.schema(version)["properties"]["registry"]["properties"]


def _options(key: str, version: int) -> list[str]:
    """The registry's answers to a multiple-choice question, "none of these" last."""
    return _registry_schema(version)[key]["items"]["enum"]


def _dont_know_tier(version: int) -> str:
    properties = resources.schema(version)["properties"]
    risk = properties["data"]["properties"]["risks"] if version == 2 else properties["areas"]["properties"]["risk"]
    tiers = risk["properties"]["priority_risks"]["items"]["properties"]["supply_chain_tiers"]
    return tiers["items"]["enum"][-1]


# -- what the registry's form would refuse ----------------------------------------------

def _problem(profile: LoadedProfile, source: JsonPath, message: str) -> Problem:
    return Problem(message, source, str(profile.path), profile.line_of(source))


def _choice_problems(profile: LoadedProfile) -> Iterator[Problem]:
    """A "none of these" answer chosen together with others: the form allows one or the other."""
    registry = profile.data.get("registry", {})
    for _, none_column, key in CHOICES:
        chosen = registry.get(key, [])
        none_option = _options(key, profile.version)[-1]
        if none_column and none_option in chosen and len(chosen) > 1:
            yield _problem(profile, ("registry", key),
                           f"'{none_option}' cannot be chosen with other answers "
                           f"(the registry's {none_column}); keep it alone or remove it")


def _length_problems(profile: LoadedProfile, answers: dict[str, Answer]) -> Iterator[Problem]:
    for column, limit in LIMITS.items():
        answer = answers.get(column)
        if answer and len(answer.text) > limit:
            yield _problem(profile, answer.source, _too_long(column, len(answer.text), limit))
    approver, index = _approver(profile.data)
    first, _, last = approver["name"].rpartition(" ")  # the form asks for first and last name
    parts = (("first name", first, "name"), ("last name", last, "name"),
             ("job title", approver["role"], "role"))
    for part, text, key in parts:
        if len(text) > APPROVER_PART_LIMIT:
            yield _problem(profile, ("signatories", index, key),
                           _too_long(f"ApprovingPerson {part}", len(text), APPROVER_PART_LIMIT))


def _too_long(column: str, length: int, limit: int) -> str:
    return (f"too long for the registry's {column}: {length} characters, at most {limit} "
            "(its form refuses longer answers)")
