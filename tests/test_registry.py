"""`msgen registry`: the registry's rows, column names and values, and the form's limits."""

import copy
import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from msgen.cli import app
from msgen.annual.registry import COLUMNS

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

DONT_KNOW = "Don't know"
NO_ILO = "My statement does not refer to finding any ILO indicators of forced labour"
NO_POLICIES = ("Your organisation's policies do not include any of these provisions "
               "in relation to modern slavery")

# A joint statement of the three Staffordshire bodies, as in the published 2022 statement.
STAFFORDSHIRE = {
    "schema_version": 1,
    "slug": "staffordshire-joint",
    "statement": {
        "title": "Joint Modern Slavery and Human Trafficking Statement",
        "kind": "joint",
        "financial_year": "2022-23",
        "period": {"start": "2022-04-01", "end": "2023-03-31"},
        "legal_basis": "voluntary",
        "years_producing": 3,
        "publication": {"statement_url": "https://staffordshire-pfcc.gov.uk/modern-slavery"},
    },
    "organisations": [
        {"id": "sco", "name": "Staffordshire Commissioner's Office", "short_name": "SCO",
         "type": "pfcc-office", "description": ["Supports the Commissioner."],
         "figures": {"budget_gbp": 250_000_000}},
        {"id": "sp", "name": "Staffordshire Police", "short_name": "SP", "type": "police-force",
         "description": ["Polices Staffordshire and Stoke-on-Trent."],
         "figures": {"budget_gbp": 230_000_000}},
        {"id": "sfrs", "name": "Staffordshire Fire and Rescue Service", "short_name": "SFRS",
         "type": "fire-and-rescue", "description": ["Runs 33 community fire stations."],
         "figures": {"budget_gbp": 45_000_000}},
    ],
    "scope": {"description": "Employees, volunteers, commissioned services and supply chains."},
    "areas": {
        "structure": {"included": True, "paragraphs": ["Our structure."]},
        "policies": {"included": True, "items": [{"name": "Whistleblowing policy"}]},
        "due_diligence": {"included": True, "measures": ["Suppliers answer the MSAT."]},
        "risk": {"included": True, "method": "We assess risk by spend category.",
                 "priority_risks": [{
                     "description": "Uniform made overseas",
                     "area": "Within your supply chains",
                     "supply_chain_tiers": [DONT_KNOW, "Tier 2 suppliers"],
                     "groups_affected": ["Women", "Migrants"],
                     "countries": ["Bangladesh", "China"],
                     "mitigation": "Audit the uniform framework.",
                 }]},
        "effectiveness": {"included": False, "reason": "KPIs are being developed this year."},
        "training": {"included": True,
                     "items": [{"audience": "Procurement staff", "content": "CIPS ethics."}]},
    },
    "approval": {"body": "Strategic Governance Board", "date": "2022-10-04"},
    "signatories": [
        {"name": "Ben Adams", "role": "Staffordshire Commissioner", "organisation": "sco"},
        {"name": "Chris Noble", "role": "Chief Constable", "organisation": "sp"},
        {"name": "Rob Barber", "role": "Chief Fire Officer", "organisation": "sfrs"},
    ],
    "registry": {
        "sectors": ["Public sector"],
        "policies": ["Prohibits child labour", "Freedom of movement"],
        "training": ["Procurement staff", "Your front line staff"],
        "ilo_indicators": [NO_ILO],
    },
}


def run(*args):
    return CliRunner().invoke(app, ["registry", *map(str, args)])


def write_profile(tmp_path, profile, name="profile.json"):
    path = tmp_path / name
    path.write_text(json.dumps(profile, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def changed(**edits):
    """STAFFORDSHIRE with edits given as a__b__0__c=value (None removes the field)."""
    profile = copy.deepcopy(STAFFORDSHIRE)
    for dotted, value in edits.items():
        *parents, last = [int(k) if k.isdigit() else k for k in dotted.split("__")]
        target = profile
        for key in parents:
            target = target[key]
        if value is None:
            del target[last]
        else:
            target[last] = value
    return profile


def rows_of(tmp_path, profile):
    result = run(write_profile(tmp_path, profile), "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_staffordshire_gives_one_row_per_body_with_the_registry_columns(tmp_path):
    result = run(write_profile(tmp_path, STAFFORDSHIRE))
    assert result.exit_code == 0, result.stderr
    reader = csv.DictReader(io.StringIO(result.stdout))
    rows = list(reader)
    assert reader.fieldnames[:9] == [
        "OrganisationName", "GroupSubmission", "ParentName", "StatementURL", "EmailAddressNoURL",
        "StatementStartDate", "StatementEndDate", "ApprovingPerson", "DateApproved"]
    assert reader.fieldnames[-5:] == [
        "ILOIndicatorsInStatement", "NoILOIndicatorsInStatement", "ILOIndicatorsActions",
        "ILOIndicatorsNoActions", "DemonstrateProgress"]
    assert "Risk3OtherGroupAffected" in reader.fieldnames and len(reader.fieldnames) == 65
    assert [r["OrganisationName"] for r in rows] == [
        "Staffordshire Commissioner's Office", "Staffordshire Police",
        "Staffordshire Fire and Rescue Service"]
    assert {r["GroupSubmission"] for r in rows} == {"Yes"}
    assert {r["ParentName"] for r in rows} == {"Staffordshire Commissioner's Office"}


def test_staffordshire_example_is_a_group_of_three(tmp_path):
    result = run(EXAMPLES / "staffordshire-joint-2022.yaml")
    assert result.exit_code == 0, result.stderr
    reader = csv.DictReader(io.StringIO(result.stdout))
    rows = list(reader)
    assert tuple(reader.fieldnames) == COLUMNS
    assert [(r["OrganisationName"], r["GroupSubmission"]) for r in rows] == [
        ("Staffordshire Commissioner's Office", "Yes"), ("Staffordshire Police", "Yes"),
        ("Staffordshire Fire and Rescue Service", "Yes")]


def test_answers_use_the_registry_values(tmp_path):
    row = rows_of(tmp_path, STAFFORDSHIRE)[1]
    assert row["StatementURL"] == "https://staffordshire-pfcc.gov.uk/modern-slavery"
    assert row["EmailAddressNoURL"] == ""
    assert (row["StatementStartDate"], row["StatementEndDate"]) == ("01/04/2022", "31/03/2023")
    assert row["DateApproved"] == "04/10/2022"
    assert row["ApprovingPerson"] == "Ben Adams (Staffordshire Commissioner)"
    assert row["StatementIncludesOrgStructure"] == "Yes" and row["NoOrgStructureReason"] == ""
    assert row["StatementIncludesGoals"] == "No"
    assert row["NoGoalsReason"] == "KPIs are being developed this year."
    assert row["OrganisationSectors"] == "Public sector"
    assert row["YearsProducingStatements"] == "1 to 5 years"
    # the registry's own order, one answer a line
    assert row["Policies"] == "Freedom of movement\nProhibits child labour"
    assert row["NoPolicies"] == "No"
    assert row["Training"] == "Your front line staff\nProcurement staff"
    # the "none of these" answer is a Yes in its own column, never listed
    assert row["ILOIndicatorsInStatement"] == "" and row["NoILOIndicatorsInStatement"] == "Yes"
    # questions the profile does not answer stay blank rather than guessed
    assert row["SocialAudits"] == "" and row["NoSocialAudits"] == ""
    assert row["NoRisks"] == "No"
    assert row["Risk1"] == "Uniform made overseas"
    assert row["Risk1Area"] == "Within your supply chains"
    assert row["Risk1SupplyChainTier"] == "Tier 2 suppliers"
    assert row["Risk1GroupAffected"] == "Women\nMigrants"
    assert row["Risk1Location"] == "Bangladesh\nChina"
    assert row["Risk1Mitigation"] == "Audit the uniform framework."
    assert row["Risk2"] == ""


def test_a_single_statement_is_one_row_not_a_group(tmp_path):
    profile = changed(statement__kind="single", signatories=STAFFORDSHIRE["signatories"][1:2])
    profile["organisations"] = [
        {k: v for k, v in STAFFORDSHIRE["organisations"][1].items() if k != "short_name"}]
    (row,) = rows_of(tmp_path, profile)
    assert row["OrganisationName"] == row["ParentName"] == "Staffordshire Police"
    assert row["GroupSubmission"] == "No"
    assert row["ApprovingPerson"] == "Chris Noble (Chief Constable)"


@pytest.mark.parametrize("years, band", [
    (1, "This is the first time"), (2, "1 to 5 years"), (5, "1 to 5 years"), (6, "More than 5 years")])
def test_years_producing_statements_bands(tmp_path, years, band):
    (row, *_) = rows_of(tmp_path, changed(statement__years_producing=years))
    assert row["YearsProducingStatements"] == band


@pytest.mark.parametrize("largest_budget, band", [
    (35_999_999, "Under £36 million"), (36_000_000, "£36 million to £60 million"),
    (230_000_000, "£100 million to £500 million"), (600_000_000, "Over £500 million")])
def test_turnover_is_the_band_of_the_largest_budget(tmp_path, largest_budget, band):
    profile = changed(organisations__0__figures__budget_gbp=largest_budget,
                      organisations__1__figures__budget_gbp=1_000_000,
                      organisations__2__figures__budget_gbp=2_000_000)
    assert rows_of(tmp_path, profile)[0]["Turnover"] == band


def test_turnover_given_in_the_profile_wins(tmp_path):
    profile = changed(registry__turnover="£36 million to £60 million")
    assert rows_of(tmp_path, profile)[0]["Turnover"] == "£36 million to £60 million"


def test_email_is_given_only_without_a_web_address(tmp_path):
    profile = changed(statement__publication={"request_email": "procurement@staffordshire.police.uk"})
    row = rows_of(tmp_path, profile)[0]
    assert (row["StatementURL"], row["EmailAddressNoURL"]) == ("", "procurement@staffordshire.police.uk")


def test_no_priority_risks_is_no_risks(tmp_path):
    row = rows_of(tmp_path, changed(areas__risk__priority_risks=None))[0]
    assert row["NoRisks"] == "Yes" and row["Risk1"] == ""


def test_an_over_long_job_title_is_refused_naming_file_column_length_and_limit(tmp_path):
    role = "Police, Fire and Crime Commissioner for Staffordshire and Stoke-on-Trent"
    path = write_profile(tmp_path, changed(signatories__0__role=role))
    result = run(path)
    assert result.exit_code == 1
    assert result.stdout == ""
    line = path.read_text().splitlines().index(f'      "role": "{role}",') + 1
    assert (f"{path}:{line}: signatories[0].role: too long for the registry's ApprovingPerson "
            f"job title: {len(role)} characters, at most 50") in result.stderr.replace("\n", "")


def test_an_over_long_web_address_is_refused(tmp_path):
    url = "https://staffordshire-pfcc.gov.uk/" + "a" * 250
    result = run(write_profile(tmp_path, changed(statement__publication={"statement_url": url})))
    assert result.exit_code == 1
    assert f"StatementURL: {len(url)} characters, at most 256" in result.stderr.replace("\n", "")


def test_none_of_these_with_other_answers_is_refused(tmp_path):
    profile = changed(registry__policies=["Freedom of movement", NO_POLICIES])
    result = run(write_profile(tmp_path, profile))
    assert result.exit_code == 1
    assert "registry.policies" in result.stderr
    assert "cannot be chosen with other answers" in result.stderr.replace("\n", "")


def test_an_invalid_profile_lists_its_problems(tmp_path):
    result = run(write_profile(tmp_path, changed(statement__years_producing=0)))
    assert result.exit_code == 1
    assert "statement.years_producing: must be at least 1" in result.stderr


def test_missing_required_answers_are_warned_about(tmp_path):
    profile = changed(registry=None, approval__date=None)
    for organisation in profile["organisations"]:
        del organisation["figures"]
    result = run(write_profile(tmp_path, profile))
    assert result.exit_code == 0
    assert ("no answer for the registry's DateApproved, OrganisationSectors, Turnover"
            in result.stderr.replace("\n", ""))


def test_output_file_is_csv_excel_opens_and_is_never_overwritten_silently(tmp_path):
    profile = write_profile(tmp_path, STAFFORDSHIRE)
    out = tmp_path / "registry.csv"
    assert run(profile, "-o", out).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfOrganisationName,")  # Excel needs the BOM for '£'
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0]["Turnover"] == "£100 million to £500 million" and len(rows) == 3

    out.write_text("kept")
    refused = run(profile, "-o", out)
    assert refused.exit_code == 3 and "--force" in refused.stderr
    assert out.read_text() == "kept"
    assert run(profile, "-o", out, "--force").exit_code == 0
    assert out.read_bytes() == data


def test_json_output_file_has_no_bom(tmp_path):
    out = tmp_path / "registry.json"
    assert run(write_profile(tmp_path, STAFFORDSHIRE), "--json", "-o", out).exit_code == 0
    assert [r["OrganisationName"] for r in json.loads(out.read_bytes())][0] == (
        "Staffordshire Commissioner's Office")


def test_output_never_replaces_the_profile(tmp_path):
    profile = write_profile(tmp_path, STAFFORDSHIRE)
    before = profile.read_bytes()
    result = run(profile, "-o", profile, "--force")
    assert result.exit_code == 2 and "would replace the input" in result.stderr
    assert profile.read_bytes() == before
