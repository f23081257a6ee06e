"""`msgen migrate`: a version-1 profile becomes a version-2 one that builds the same text.

"The same text" is what a reader sees: each document's paragraph texts in order and its
tables' cell texts (styles may differ: v1's subtitle is now a plain paragraph). Every
version-1 profile the repository has (examples, test fixtures, the presets) and one that
uses every v1 field are migrated, both versions are built, and the texts compared.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from lxml import etree

from conftest import msgen
from msgen.profile.loader import load_profile
from msgen.profile.presets import PRESETS, preset_version
from msgen.profile.validate import validate

ROOT = Path(__file__).resolve().parents[1]

# A version-1 profile with every field the v1 templates print, in flow and block style.
EVERY_FIELD = """\
# Every field of version 1, so each of its sentences is migrated.
schema_version: 1
slug: every-field
statement:
  title: Modern Slavery Statement
  kind: single
  financial_year: 2022-23
  period: {start: 2022-04-01, end: 2023-03-31}
  legal_basis: statutory
  years_producing: 4  # counted from 2019-20
  introduction: [We do not tolerate modern slavery.]
  publication:
    statement_url: https://example.org/msa
    homepage_link_text: Modern slavery statement
    publication_date: 2023-09-01
    request_email: msa@example.org
  previous_statements:
    - {year: 2021-22, url: https://example.org/msa-2021}
    - {year: 2020-21, url: https://example.org/msa-2020}
organisations:
  - id: force
    name: Exampleshire Constabulary
    type: police-force
    area_served: Exampleshire
    website: https://example.org/
    description: [The Constabulary polices Exampleshire.]
    figures: {officers: 1750, staff: 1250, volunteers: 300, population: 1100000, area_square_miles: 1000,
              stations: 20, budget_gbp: 190500000}
scope:
  description: This statement covers the Constabulary.
  responsibilities:
    - {area: Policies, owner: Director of People}
    - {area: Procurement, owner: Head of Procurement, description: Runs the due diligence.}
areas:
  structure:
    included: true
    paragraphs: [The Constabulary is one body.]
    supply_chain_categories: [Vehicles, Uniforms]
  policies:
    included: true
    items:
      - {name: Code of Ethics, description: How officers behave., url: https://example.org/ethics}
      - {name: Whistleblowing Policy}
  due_diligence:
    included: true
    measures: [Pre-contract questionnaires ask about modern slavery.]
    procurement_collaboration:
      name: 7 Force Procurement
      short_name: 7F
      members: [Bedfordshire Police, Exampleshire Constabulary]
      description: 7F buys for seven forces.
    terms_and_conditions: Contracts let the Constabulary end them over modern slavery.
    msat: {used: true, description: Suppliers in higher-risk categories complete it.}
  risk:
    included: true
    method: Risk is assessed by spend category.
    level: medium
    areas: [Uniforms, Cleaning]
    priority_risks:
      - description: Uniform supply chains
        area: Within your supply chains
        supply_chain_tiers: [Tier 2 suppliers]
        groups_affected: [Women, Migrants]
        countries: [Bangladesh]
        mitigation: Audits through the national uniform framework.
  effectiveness:
    included: true
    introduction: We measure these.
    kpis:
      - {name: Procurement staff trained, kind: output, target: 100%, actual: 92%, previous: 80%}
      - {name: Suppliers remediating, kind: outcome}
  training:
    included: true
    introduction: Training is matched to each role.
    items:
      - {audience: New constables, content: An input on modern slavery., frequency: On joining,
         topics: [Spotting the signs, Referring victims]}
operational_response:
  introduction: We tackle modern slavery as a crime.
  units: [{name: Modern Slavery Unit, description: Investigates exploitation.}]
  referral_mechanism: Officers refer potential victims to the NRM.
  victim_support: Victims are supported by a charity.
  partnerships: [{name: Anti-Slavery Partnership, description: Brings agencies together.}]
actions:
  progress:
    - {commitment: Train all buyers., status: done, evidence: All 40 trained.}
    - {commitment: Audit uniform suppliers., status: to-report}
  next_year: [Audit cleaning suppliers.]
custom_sections:
  - heading: Police and Crime Plan
    after: scope
    content:
      - paragraph: The Plan has four pillars.
      - subheading: The pillars
      - numbered: [Victims, Offenders]
      - bullets: [Communities]
  - heading: Police and Crime Plan
    after: next_year
    content: [{paragraph: The same heading twice still gives two sections.}]
supplier_charter:
  title: Supplier Charter
  collaboration: 7 Force Procurement
  short_name: 7F
  members: [Bedfordshire Police, Exampleshire Constabulary]
  introduction: [This charter sets out what we expect.]
  values: [Integrity]
  commitments_to_suppliers: [Pay on time.]
  commitments_from_suppliers: [Keep supply chains free from slavery.]
  raising_concerns: Tell the contract manager.
  published_at: https://example.org/charter
approval:
  body: Chief Officer Group
  date: 2023-08-01
  decision_reference: COG 2023/14
  attended_by: [Chief Constable, Chief Finance Officer]
signatories:
  - {name: A Person, role: Chief Constable, organisation: force, date: 2023-08-01}
"""

# Joint, nothing structured, areas left out, first statement: v1's other branches.
JOINT_FIRST = """\
schema_version: 1
slug: joint-first
statement:
  title: Joint Statement
  kind: joint
  financial_year: 2022-23
  period: {start: 2022-04-01, end: 2023-03-31}
  legal_basis: voluntary
  years_producing: 1
organisations:
  - {id: opcc, name: Office of the Police and Crime Commissioner for Exampleshire, short_name: OPCC,
     referred_to_as: the Office, type: pcc-office, description: [The Office supports the Commissioner.]}
  - {id: force, name: Exampleshire Police, short_name: EP, type: police-force, figures: {employees: 900},
     description: [The force polices Exampleshire.]}
scope: {description: This statement covers both bodies.}
areas:
  structure: {included: false, reason: Covered by each body's annual report}
  policies: {included: false, reason: Under review}
  due_diligence: {included: false, reason: Under review}
  risk:
    included: true
    method: Risk is assessed by category.
    no_risks_identified: {justification: Spend is low-risk.}
  effectiveness: {included: false, reason: Indicators are being chosen}
  training: {included: false, reason: Under review}
custom_sections:
  - {heading: Our response, after: operational_response, content: [{paragraph: We respond.}]}
supplier_charter:
  title: Supplier Charter
  collaboration: Exampleshire Procurement
  commitments_from_suppliers: [Keep supply chains free from slavery.]
approval: {body: Joint Audit Committee}
signatories:
  - {name: A Person, role: Commissioner, organisation: opcc}
  - {name: B Person, role: Chief Constable, organisation: force}
"""


def document_text(docx: Path) -> list[str]:
    """What a reader sees, in order: each paragraph's text, and each table row's cells."""
    body = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml")).find(qn("w:body"))
    found = []
    for element in body:
        if element.tag == qn("w:p"):
            found.append("".join(t.text or "" for t in element.iter(qn("w:t"))))
        elif element.tag == qn("w:tbl"):
            found += [" | ".join("".join(t.text or "" for t in cell.iter(qn("w:t"))) for cell in row.iter(qn("w:tc")))
                      for row in element.iter(qn("w:tr"))]
    return [text for text in found if text]


def built_texts(profile: Path, out: Path) -> dict[str, list[str]]:
    """Each document's text ({statement, charter}); --draft because version 2's check rules
    are not yet written, and the draft mark is in the page header, not the text."""
    out.mkdir()
    result = msgen("build", profile, "-o", out, "--draft")
    assert result.exit_code == 0, result.output
    return {"charter" if "supplier-charter" in docx.name else "statement": document_text(docx)
            for docx in out.glob("*.docx")}


def assert_migrates_to_the_same_text(v1: Path, tmp_path: Path) -> Path:
    result = msgen("migrate", v1)
    assert result.exit_code == 0, result.output
    v2 = v1.with_name(f"{v1.stem}.v2{v1.suffix}")
    migrated = load_profile(v2)
    assert migrated.version == 2 and validate(migrated) == []
    before, after = built_texts(v1, tmp_path / "v1"), built_texts(v2, tmp_path / "v2")
    assert set(after) == set(before)
    for document, text in before.items():
        assert after[document] == text, document
    return v2


def version_1_profiles(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.suffix in (".yaml", ".json")
                  and "schema_version: 1" in path.read_text(encoding="utf-8", errors="replace"))


def comments(profile: Path) -> list[str]:
    """Each comment of a YAML file, from its '#' to the end of its line."""
    lines = profile.read_text(encoding="utf-8").splitlines()
    return [line.strip() if line.lstrip().startswith("#") else line[line.index("  # ") + 2:]
            for line in lines if line.lstrip().startswith("#") or "  # " in line]


@pytest.mark.parametrize("example", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda path: path.stem)
def test_every_example_builds_the_same_text_and_keeps_its_comments(example, tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")  # with the signature images it names
    v1 = tmp_path / "examples" / example.name
    v2 = assert_migrates_to_the_same_text(v1, tmp_path)
    v2_text = v2.read_text(encoding="utf-8")
    assert [comment for comment in comments(v1) if comment not in v2_text] == []


def readable_fixtures() -> list[Path]:
    """The fixtures that are version-1 profiles msgen reads (the bad ones are refused)."""
    found = []
    for path in version_1_profiles(ROOT / "tests" / "fixtures"):
        try:
            if validate(load_profile(path)) == []:
                found.append(path)
        except Exception:  # an unreadable fixture, kept to test refusals
            continue
    return found


FIXTURES = readable_fixtures()


def test_the_fixtures_hold_version_1_profiles_to_migrate():
    assert len(FIXTURES) >= 6


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: str(path.relative_to(ROOT / "tests" / "fixtures")))
def test_every_fixture_builds_the_same_text(fixture, tmp_path):
    shutil.copytree(fixture.parent, tmp_path / "fixture")
    assert_migrates_to_the_same_text(tmp_path / "fixture" / fixture.name, tmp_path)


@pytest.mark.parametrize("preset", sorted(name for name in PRESETS if preset_version(name) == 1))
def test_every_preset_builds_the_same_text(preset, tmp_path):
    v1 = tmp_path / f"{preset}.yaml"
    assert msgen("init", "--preset", preset, v1).exit_code == 0
    v2 = assert_migrates_to_the_same_text(v1, tmp_path)
    assert "[insert" in v2.read_text(encoding="utf-8")


@pytest.mark.parametrize("profile", [EVERY_FIELD, JOINT_FIRST], ids=["every-field", "joint-first"])
def test_every_version_1_sentence_comes_out_the_same(profile, tmp_path):
    v1 = tmp_path / "profile.yaml"
    v1.write_text(profile, encoding="utf-8")
    assert validate(load_profile(v1)) == [], "the test profile itself must be valid version 1"
    assert_migrates_to_the_same_text(v1, tmp_path)


def test_the_skeleton_becomes_explicit_sections_tags_clauses_and_data(tmp_path):
    v1 = tmp_path / "profile.yaml"
    v1.write_text(EVERY_FIELD, encoding="utf-8")
    assert msgen("migrate", v1).exit_code == 0
    migrated = load_profile(tmp_path / "profile.v2.yaml").data
    sections = migrated["sections"]
    assert [section.get("heading") for section in sections if section.get("level", 1) == 1] == [
        None, "Introduction", "About the Force", "Scope and responsibilities",
        "Structure, business and supply chains", "Policies on slavery and human trafficking", "Due diligence",
        "Risk assessment and management", "Effectiveness and key performance indicators",
        "Training on slavery and human trafficking", "Operational response", "Progress on last year’s commitments",
        "Commitments for the coming year", "Approval and publication"]
    assert [section["covers"] for section in sections if "covers" in section] == [
        ["structure"], ["policies"], ["due_diligence"], ["risk"], ["effectiveness"], ["training"]]
    scope = [section["id"] for section in sections].index("scope-and-responsibilities")
    assert sections[scope + 1]["heading"] == "Police and Crime Plan" and sections[scope + 1]["level"] == 2
    assert len({section["id"] for section in sections}) == len(sections)
    assert {"clause": "legal-basis"} in sections[1]["blocks"]
    assert set(migrated["data"]) == {"responsibilities", "policies", "due_diligence", "risks", "kpis", "training",
                                     "partnerships", "progress", "commitments"}
    assert migrated["bodies"][0]["legal_name"] == "Exampleshire Constabulary"
    assert "organisations" not in migrated and "kind" not in migrated["statement"]


def test_a_left_out_area_is_the_not_covered_clause_with_its_reason(tmp_path):
    v1 = tmp_path / "profile.yaml"
    v1.write_text(JOINT_FIRST, encoding="utf-8")
    assert msgen("migrate", v1).exit_code == 0
    migrated = load_profile(tmp_path / "profile.v2.yaml").data
    blocks = [block for section in migrated["sections"] for block in section["blocks"]]
    assert {"clause": "not-covered", "area": "structure", "reason": "Covered by each body's annual report"} in blocks
    office = migrated["bodies"][0]
    assert (office["refer_as"], office["text_name"]) == ("OPCC", "the Office of the Police and Crime Commissioner "
                                                                  "for Exampleshire")


def test_json_stays_json_in_its_key_order(tmp_path):
    import yaml

    v1 = tmp_path / "profile.json"
    v1.write_text(json.dumps(yaml.safe_load(EVERY_FIELD), default=str, indent=2), encoding="utf-8")
    v2 = assert_migrates_to_the_same_text(v1, tmp_path)
    migrated = json.loads(v2.read_text(encoding="utf-8"))
    assert list(migrated)[:6] == ["schema_version", "slug", "statement", "bodies", "sections", "data"]


def test_comments_stay_where_the_structure_survives(tmp_path):
    v1 = tmp_path / "profile.yaml"
    v1.write_text(EVERY_FIELD, encoding="utf-8")
    assert msgen("migrate", v1).exit_code == 0
    v2_text = (tmp_path / "profile.v2.yaml").read_text(encoding="utf-8")
    assert v2_text.startswith("# Every field of version 1, so each of its sentences is migrated.\n")
    assert "years_producing: 4  # counted from 2019-20" in v2_text


def test_text_version_2_would_read_as_formatting_is_migrated_with_a_warning(tmp_path):
    plain, starred = tmp_path / "plain.yaml", tmp_path / "starred.yaml"
    plain.write_text(JOINT_FIRST, encoding="utf-8")
    starred.write_text(JOINT_FIRST.replace("body: Joint Audit Committee", "body: Joint *Audit* Committee"),
                       encoding="utf-8")
    result = msgen("migrate", starred)
    assert result.exit_code == 0
    assert (f"msgen: warning: {starred}:32: approval.body: version 2 prints this text's * or [label](address) as "
            "formatting, not as written") in result.output
    assert "the same text except where warned" in result.output
    assert "warning" not in msgen("migrate", plain).output


def test_a_version_2_profile_is_refused_in_one_line(tmp_path):
    v2 = tmp_path / "profile.yaml"
    shutil.copy(ROOT / "examples" / "derbyshire-first.yaml", tmp_path / "v1.yaml")
    assert msgen("migrate", tmp_path / "v1.yaml", "-o", v2).exit_code == 0
    result = msgen("migrate", v2, "-o", tmp_path / "again.yaml")
    assert result.exit_code == 2
    assert result.output.strip() == (f"msgen: error: {v2}: this is already a version-2 profile: there is nothing "
                                     "to migrate (build it as it is)")
    assert not (tmp_path / "again.yaml").exists()


def test_an_invalid_version_1_profile_is_refused_and_nothing_written(tmp_path):
    v1 = tmp_path / "profile.yaml"
    v1.write_text(JOINT_FIRST.replace("slug: joint-first", "slug: Not A Slug"), encoding="utf-8")
    result = msgen("migrate", v1)
    assert result.exit_code == 1
    assert "slug" in result.output and "correct the version-1 profile first" in result.output
    assert not (tmp_path / "profile.v2.yaml").exists()


def test_an_existing_output_is_replaced_only_with_force(tmp_path):
    v1 = tmp_path / "profile.yaml"
    v1.write_text(JOINT_FIRST, encoding="utf-8")
    target = tmp_path / "profile.v2.yaml"
    target.write_text("mine\n", encoding="utf-8")
    result = msgen("migrate", v1)
    assert result.exit_code == 3 and "--force" in result.output
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert msgen("migrate", v1, "--force").exit_code == 0
    assert "schema_version: 2" in target.read_text(encoding="utf-8")


def test_the_output_is_never_the_input_nor_another_format(tmp_path):
    v1 = tmp_path / "profile.yaml"
    v1.write_text(JOINT_FIRST, encoding="utf-8")
    assert msgen("migrate", v1, "-o", v1, "--force").exit_code == 2
    result = msgen("migrate", v1, "-o", tmp_path / "profile.json")
    assert result.exit_code == 2 and "must be YAML like the old one" in result.output
    assert v1.read_text(encoding="utf-8") == JOINT_FIRST
