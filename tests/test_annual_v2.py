"""next-year, pull, registry and redline on a version-2 profile: the body's own sections
kept as written, its data carried forward, its Word edits carried back by path."""

from __future__ import annotations

import copy
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn

from msgen.annual.nextyear import years_in
from msgen.build import render_profile
from msgen.profile.loader import load_profile
from msgen.resources import templates_dir
from conftest import msgen
from test_pull import controls, set_control_text

FOREWORD = "This statement covers the financial year 2022/23, ending on 31 March 2023."
NO_YEARS = "We employ 2,022 people and spent £2023 on 1,000 items."
PROFILE = f"""\
# Exampleshire's statement, as approved
schema_version: 2
slug: exampleshire
statement:
  title: Modern Slavery Statement 2022
  financial_year: "2022-23"
  period: {{start: 2022-04-01, end: 2023-03-31}}
  years_producing: unknown
bodies:
  - id: force
    legal_name: Exampleshire Constabulary
    type: police-force
    figures: {{budget_gbp: 80000000}}
  - id: opcc
    legal_name: Police and Crime Commissioner for Exampleshire
    type: pcc-office
    description:
      - p: The Commissioner was elected in May 2021.
sections:
  - id: foreword
    heading: Foreword
    blocks:
      - p: "{FOREWORD}"
    signatories:
      - name: A Commissioner
        role: Police and Crime Commissioner
        organisation: opcc
        date: 2023-05-01
  - id: about
    heading: About us in 2022-23
    covers: [structure]
    blocks:
      - p: "{NO_YEARS}"
      - p: "We have a **zero-tolerance** approach to *all* forms of slavery. See [our site](https://example.org/ms)."
      - list: ["Since 2019 we have trained staff", "three"]
      - table: {{header: [Year, Count], rows: [["2021/22", "5"]]}}
      - clause: not-covered
        area: training
        reason: Training starts next year.
  - id: plans
    heading: Plans
    blocks:
      - data: progress
      - data: policies
      - data: commitments
        lead_in: "We will:"
data:
  commitments:
    - Train staff   # the board's priority
    - Audit suppliers
  progress:
    - commitment: Map the supply chain
      status: to-report
  policies:
    - name: Whistleblowing
      description: Staff can raise concerns.
approval:
  body: Chief Officer Group
  date: 2023-05-02
signatories:
  - name: A Person
    role: Chief Constable
    organisation: force
    date: 2023-05-03
"""


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "exampleshire.yaml"
    path.write_text(PROFILE, encoding="utf-8")
    return path


# -- next-year ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, years", [
    (FOREWORD, ["2022/23", "31 March 2023"]),
    ("In 2021-22 and 2021–2022, from April 2020.", ["2021-22", "2021–2022", "April 2020"]),
    (NO_YEARS, []),
    ("Reference 20221 and 12022.", []),
])
def test_the_years_in_a_text_are_found_as_written(text: str, years: list[str]) -> None:
    assert years_in(text) == years


def test_next_year_moves_the_data_on_and_lists_the_years_in_the_bodys_text(profile: Path) -> None:
    result = msgen("next-year", profile, "-o", profile.parent / "next.yaml")
    assert result.exit_code == 0, result.output
    written = (profile.parent / "next.yaml").read_text(encoding="utf-8")
    before, after = yaml.safe_load(PROFILE), yaml.safe_load(written)
    assert after["statement"]["financial_year"] == "2023-24"
    assert after["statement"]["period"] == {"start": date(2023, 4, 1), "end": date(2024, 3, 31)}
    assert after["statement"]["years_producing"] == "unknown"
    assert after["data"]["progress"] == [{"commitment": "Train staff", "status": "to-report"},
                                         {"commitment": "Audit suppliers", "status": "to-report"}]
    assert after["data"]["commitments"] == []
    assert "date" not in after["approval"]
    assert "date" not in after["signatories"][0]
    assert "date" not in after["sections"][0]["signatories"][0]
    # the body's approved words are never rewritten
    strip = copy.deepcopy(before["sections"])
    del strip[0]["signatories"][0]["date"]
    assert after["sections"] == strip
    assert after["statement"]["title"] == "Modern Slavery Statement 2022"
    assert "# the board's priority" in written and written.startswith("# Exampleshire's statement")

    lines = written.splitlines()
    listed = [line.removeprefix("check the year: ") for line in result.stdout.splitlines()
              if line.startswith("check the year: ")]
    assert listed == [
        f"statement.title (line {lines.index('  title: Modern Slavery Statement 2022') + 1}): '2022'",
        f"bodies[1].description[0].p (line {_line_of(lines, 'elected in May 2021')}): 'May 2021'",
        f"sections[0].blocks[0].p (line {_line_of(lines, FOREWORD)}): '2022/23'",
        f"sections[0].blocks[0].p (line {_line_of(lines, FOREWORD)}): '31 March 2023'",
        f"sections[1].heading (line {_line_of(lines, 'About us in 2022-23')}): '2022-23'",
        f"sections[1].blocks[2].list[0] (line {_line_of(lines, 'Since 2019')}): '2019'",
        f"sections[1].blocks[3].table.rows[0][0] (line {_line_of(lines, '2021/22')}): '2021/22'",
    ]
    assert "left to fill: data.progress[1].status" in result.stdout
    assert msgen("validate", profile.parent / "next.yaml").exit_code == 0


def _line_of(lines: list[str], text: str) -> int:
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def test_next_year_of_a_version_2_profile_without_period_or_data(tmp_path: Path) -> None:
    data = yaml.safe_load(PROFILE)
    del data["statement"]["period"], data["data"]
    data["sections"][2]["blocks"] = [{"p": "Nothing planned."}]
    (tmp_path / "bare.json").write_text(json.dumps(data, default=str), encoding="utf-8")
    result = msgen("next-year", tmp_path / "bare.json", "-o", tmp_path / "next.json")
    assert result.exit_code == 0, result.output
    after = json.loads((tmp_path / "next.json").read_text(encoding="utf-8"))
    assert after["statement"]["financial_year"] == "2023-24" and "period" not in after["statement"]
    assert "data" not in after


def test_next_year_of_a_statement_that_names_no_year_moves_its_dates_only(tmp_path: Path) -> None:
    data = yaml.safe_load(PROFILE)
    del data["statement"]["financial_year"], data["statement"]["title"]
    (tmp_path / "no-year.json").write_text(json.dumps(data, default=str), encoding="utf-8")
    result = msgen("next-year", tmp_path / "no-year.json", "-o", tmp_path / "next.json")
    assert result.exit_code == 0, result.output
    after = json.loads((tmp_path / "next.json").read_text(encoding="utf-8"))
    assert "financial_year" not in after["statement"] and "previous_statements" not in after["statement"]
    assert after["statement"]["period"] == {"start": "2023-04-01", "end": "2024-03-31"}
    assert result.stdout.startswith("no statement.financial_year: the dates moved on a year")


# -- registry ---------------------------------------------------------------------------------

def test_registry_answers_from_the_sections_tags_the_data_printed_and_the_bodies(profile: Path) -> None:
    result = msgen("registry", profile, "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [row["OrganisationName"] for row in rows] == ["Exampleshire Constabulary",
                                                         "Police and Crime Commissioner for Exampleshire"]
    row = rows[0]
    assert row["GroupSubmission"] == "Yes" and row["ParentName"] == "Exampleshire Constabulary"
    assert row["StatementIncludesOrgStructure"] == "Yes"  # tagged
    assert row["StatementIncludesPolicies"] == "Yes"  # data: policies printed, with policies
    assert (row["StatementIncludesTraining"], row["NoTrainingReason"]) == ("No", "Training starts next year.")
    assert (row["StatementIncludesGoals"], row["NoGoalsReason"]) == ("No", "")  # no reason given: blank
    assert row["StatementStartDate"] == "01/04/2022" and row["DateApproved"] == "02/05/2023"
    assert row["ApprovingPerson"] == "A Person (Chief Constable)"
    assert row["Turnover"] == "£60 million to £100 million"
    assert row["YearsProducingStatements"] == "" and row["NoRisks"] == "Yes"
    assert "no answer for the registry's StatementURL, OrganisationSectors, YearsProducingStatements;" in result.stderr


def test_registry_risks_and_years_of_a_version_2_profile(tmp_path: Path) -> None:
    data = yaml.safe_load(PROFILE)
    data["statement"]["years_producing"] = 7
    data["data"]["risks"] = {"priority_risks": [{
        "description": "Uniform made overseas", "area": "Within your supply chains",
        "supply_chain_tiers": ["Don't know", "Tier 2 suppliers"], "mitigation": "Audit the framework."}]}
    data["sections"][2]["blocks"].append({"data": "risks"})
    (tmp_path / "risks.json").write_text(json.dumps(data, default=str), encoding="utf-8")
    result = msgen("registry", tmp_path / "risks.json", "--json")
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)[0]
    assert row["YearsProducingStatements"] == "More than 5 years"
    assert row["StatementIncludesRisksAssessment"] == "Yes"
    assert (row["Risk1"], row["Risk1SupplyChainTier"], row["NoRisks"]) == (
        "Uniform made overseas", "Tier 2 suppliers", "No")


# -- pull -------------------------------------------------------------------------------------

def _statement(profile: Path) -> Path:
    documents = render_profile(load_profile(profile), templates_dir(2))
    name = next(name for name in documents if "statement" in name)
    (profile.parent / name).write_bytes(documents[name])
    return profile.parent / name


def _italic_run(run, text: str):
    """A copy of `run` reading `text` in italics, as Word writes one."""
    italic = copy.deepcopy(run)
    italic.find(qn("w:t")).text = text
    properties = italic.find(qn("w:rPr"))
    if properties is None:
        properties = italic.makeelement(qn("w:rPr"), {})
        italic.insert(0, properties)
    properties.append(properties.makeelement(qn("w:i"), {}))
    return italic


@pytest.mark.slow
def test_pull_carries_back_spans_data_and_cells_and_reports_paragraphs(profile: Path) -> None:
    statement = _statement(profile)
    document = Document(str(statement))
    spans = controls(document, "sections[1].blocks[1].p")
    assert len(spans) > 1  # one paragraph printed as several spans of one path
    set_control_text(spans[1], "zero tolerance")  # the bold span
    plain = spans[2].find(qn("w:sdtContent")).find(qn("w:r"))
    plain.find(qn("w:t")).text = " firm approach "
    plain.addnext(_italic_run(plain, "to "))  # the reviewer italicises a word
    set_control_text(controls(document, "sections[1].blocks[3].table.rows[0][1]")[0], "6")
    set_control_text(controls(document, "data.commitments[0]")[0], "Train all staff")
    set_control_text(controls(document, "data.progress[0].status")[0], "Done")
    set_control_text(controls(document, "data.policies[0].description")[0], "Staff can raise concerns in confidence.")
    removed = controls(document, "sections[1].blocks[2].list[1]")[0].getparent()
    removed.getparent().remove(removed)
    note = controls(document, "sections[1].blocks[0].p")[0].getparent()
    added = copy.deepcopy(note)
    for control in added.findall(qn("w:sdt")):
        added.remove(control)
    run = added.makeelement(qn("w:r"), {})
    run.append(run.makeelement(qn("w:t"), {}))
    run[0].text = "A sentence the reviewer typed."
    added.append(run)
    note.addnext(added)
    reviewed = profile.parent / "reviewed.docx"
    document.save(str(reviewed))

    result = msgen("pull", reviewed, "-p", profile, "-o", profile.parent / "pulled.yaml")
    assert result.exit_code == 0, result.output
    pulled = yaml.safe_load((profile.parent / "pulled.yaml").read_text(encoding="utf-8"))
    assert pulled["sections"][1]["blocks"][1]["p"] == (
        "We have a **zero tolerance** firm approach *to all* forms of slavery. See [our site](https://example.org/ms).")
    assert pulled["sections"][1]["blocks"][3]["table"]["rows"] == [["2021/22", "6"]]
    assert pulled["data"]["commitments"][0] == "Train all staff"
    assert pulled["data"]["progress"][0]["status"] == "done"
    assert pulled["data"]["policies"][0]["description"] == "Staff can raise concerns in confidence."
    assert pulled["sections"][1]["blocks"][2]["list"] == ["Since 2019 we have trained staff", "three"]  # not guessed
    assert "removed: 'three' (sections[1].blocks[2].list[1] stays in the profile" in result.stderr
    assert "added outside any profile field: 'A sentence the reviewer typed.'" in result.stderr
    assert "5 field(s) updated, 2 edit(s) outside profile fields" in result.stdout
    assert msgen("pull", reviewed, "-p", profile, "-o", profile.parent / "strict.yaml", "--strict").exit_code == 1


@pytest.mark.slow
def test_pull_of_an_unedited_version_2_document_copies_the_profile(profile: Path) -> None:
    result = msgen("pull", _statement(profile), "-p", profile, "-o", profile.parent / "same.yaml")
    assert result.exit_code == 0, result.output
    assert (profile.parent / "same.yaml").read_bytes() == profile.read_bytes()
    assert "0 field(s) updated, 0 edit(s) outside profile fields" in result.stdout


@pytest.mark.slow
def test_pull_reports_formatting_the_profile_cannot_hold(profile: Path) -> None:
    document = Document(str(_statement(profile)))
    heading = controls(document, "sections[1].blocks[0].p")[0].find(qn("w:sdtContent")).find(qn("w:r"))
    properties = heading.makeelement(qn("w:rPr"), {})
    properties.append(properties.makeelement(qn("w:b"), {}))
    heading.insert(0, properties)
    heading.find(qn("w:t")).text = "We **employ** 2,022 people"  # bold around literal asterisks
    reviewed = profile.parent / "reviewed.docx"
    document.save(str(reviewed))
    result = msgen("pull", reviewed, "-p", profile, "-o", profile.parent / "pulled.yaml")
    assert result.exit_code == 0, result.output
    assert "the formatting of sections[1].blocks[0].p cannot be written in the profile" in result.stderr
    assert (profile.parent / "pulled.yaml").read_bytes() == profile.read_bytes()


# -- redline ----------------------------------------------------------------------------------

@pytest.mark.slow
def test_redline_compares_two_version_2_statements(profile: Path, tmp_path: Path) -> None:
    old = _statement(profile)
    old = Path(old.rename(tmp_path / "old.docx"))
    profile.write_text(PROFILE.replace("Staff can raise concerns.", "Staff may raise concerns."), encoding="utf-8")
    new = _statement(profile)
    result = msgen("redline", old, new, "-o", tmp_path / "redline.docx")
    assert result.exit_code == 0, result.output
    assert "1 insertion(s) and 1 deletion(s) tracked" in result.stdout
    with zipfile.ZipFile(tmp_path / "redline.docx") as package:
        body = package.read("word/document.xml").decode("utf-8")
    assert "may" in body[body.index("<w:ins "):body.index("</w:ins>")]
    assert "can" in body[body.index("<w:del "):body.index("</w:del>")]


def test_registry_reads_a_body_taken_from_a_shared_file_and_names_one_it_cannot_find(tmp_path: Path) -> None:
    data = yaml.safe_load(PROFILE)
    data["bodies"].append({"include": "shared.yaml", "body": "fire"})
    (tmp_path / "shared-body.json").write_text(json.dumps(data, default=str), encoding="utf-8")
    result = msgen("registry", tmp_path / "shared-body.json")
    assert result.exit_code == 2 and result.stdout == ""
    assert "bodies[2]: the shared file 'shared.yaml' does not exist" in result.stderr
    (tmp_path / "shared.yaml").write_text("bodies:\n  - {id: fire, legal_name: Exampleshire Fire and Rescue "
                                          "Authority, type: fire-authority}\n", encoding="utf-8")
    result = msgen("registry", tmp_path / "shared-body.json", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[2]["OrganisationName"] == "Exampleshire Fire and Rescue Authority"
