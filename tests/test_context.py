"""The template context: what the documents will say, worked out from the profile."""

from pathlib import Path

import pytest

from msgen.document.context import build_context, document_properties
from msgen.document.fields import Field
from msgen.profile.loader import load_profile
from msgen.profile.validate import validate

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.yaml"))

JOINT = """\
schema_version: 1
slug: staffordshire-joint
statement:
  title: Joint Modern Slavery and Human Trafficking Statement
  kind: joint
  financial_year: 2022-23
  period: {start: 2022-04-01, end: 2023-03-31}
  legal_basis: voluntary
  years_producing: 3
  introduction:
    - >
      We have a zero-tolerance approach to all forms of modern slavery.
organisations:
  - id: sco
    name: Staffordshire Commissioner's Office
    short_name: SCO
    type: pfcc-office
    description: [SCO employees support the Commissioner.]
  - id: sp
    name: Staffordshire Police
    short_name: SP
    type: police-force
    area_served: Staffordshire and Stoke-on-Trent
    description: [SP provides policing services across Staffordshire and Stoke-on-Trent.]
    figures: {employees: 3500, officers: 1750, volunteers: 200, population: 1100000,
              area_square_miles: 1000, budget_gbp: 190500000}
  - id: sfrs
    name: Staffordshire Fire and Rescue Service
    short_name: SFRS
    type: fire-and-rescue
    description: [SFRS has 33 community fire stations.]
    figures: {stations: 33}
scope:
  description: This statement covers the business activities of SCO, SP and SFRS.
  responsibilities:
    - {area: Policies, owner: Director of People}
areas:
  structure: {included: false, reason: Covered by each body's annual report}
  policies:
    included: true
    items: [{name: Whistleblowing Policy}]
  due_diligence:
    included: true
    measures: [Pre-contract questionnaires ask about modern slavery.]
    msat: {used: false}
  risk:
    included: true
    method: Risk is assessed by spend category.
    level: low
    priority_risks:
      - description: Uniform supply chains
        area: Within your supply chains
        supply_chain_tiers: [Tier 2 suppliers]
        countries: [Bangladesh]
        mitigation: Audits through the national uniform framework.
  effectiveness:
    included: true
    kpis:
      - {name: Procurement staff trained, kind: output, target: 100%, actual: 92%}
  training: {included: false, reason: Training is described in the annual report.}
custom_sections:
  - heading: Police and Crime Plan
    after: scope
    content:
      - paragraph: The Plan has four pillars.
      - numbered: [Victims, Offenders]
approval:
  body: Ethics, Transparency and Audit Panel
  date: 2022-10-04
signatories:
  - name: Chris Noble
    role: Chief Constable
    organisation: sp
    date: 2022-10-04
    signature_image: {path: noble.png, alt_text: Signature of Chris Noble}
  - {name: Ben Adams, role: Staffordshire Commissioner, organisation: sco}
  - {name: Rob Barber, role: Chief Fire Officer, organisation: sfrs, date: 2022-10-13}
supplier_charter:
  title: Supplier Charter
  collaboration: Staffordshire Commercial Services
  values: [Integrity]
  commitments_from_suppliers: [Keep supply chains free from slavery.]
"""

SINGLE = """\
schema_version: 1
slug: cambridgeshire
statement:
  title: Modern Slavery and Human Trafficking Statement
  kind: single
  financial_year: 2020-21
  period: {start: 2020-04-01, end: 2021-03-31}
  legal_basis: statutory
  years_producing: 1
organisations:
  - id: cambs
    name: "  Cambridgeshire Constabulary  "
    referred_to_as: the Constabulary
    type: police-force
    description: [The Constabulary polices Cambridgeshire and Peterborough.]
scope:
  description: |
    This statement covers the business activities of Cambridgeshire Constabulary.
areas:
  structure: {included: true, paragraphs: [The Constabulary is one body.]}
  policies: {included: true, items: [{name: Code of Ethics}]}
  due_diligence: {included: true, measures: [Standard Selection Questionnaire.]}
  risk: {included: true, method: Risk is assessed by category.}
  effectiveness: {included: true, kpis: [{name: Suppliers checked, kind: outcome}]}
  training: {included: true, items: [{audience: New constables, content: An input on modern slavery.}]}
approval:
  body: Business Co-ordination Board
signatories:
  - {name: Ray Bisby, role: Acting Police and Crime Commissioner, organisation: cambs}
"""


def load(tmp_path: Path, text: str, name: str = "profile.yaml"):
    (tmp_path / "noble.png").write_bytes(_tiny_png())
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    profile = load_profile(path)
    assert validate(profile) == [], "the test profile itself must be valid"
    return profile


def _tiny_png() -> bytes:
    import base64

    return base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def leaves(value, where="context"):
    """Every (place, value) at the bottom of the nested context."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, f"{where}[{index}]")
    else:
        yield where, value


def profile_value(data, path: str):
    """The profile value a Field's path names, e.g. 'organisations[0].name'."""
    import re

    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        data = data[int(index)] if index else data[name]
    return data


@pytest.fixture
def joint(tmp_path):
    return load(tmp_path, JOINT)


@pytest.fixture
def single(tmp_path):
    return load(tmp_path, SINGLE)


def test_joint_statement_introduces_each_body_then_uses_abbreviations_with_plural_verbs(joint):
    we = build_context(joint)["we"]
    assert we["full"] == ("Staffordshire Commissioner's Office (SCO), Staffordshire Police (SP) "
                          "and Staffordshire Fire and Rescue Service (SFRS)")
    assert f"{we['subject']} {we['is_']}" == "SCO, SP and SFRS are"
    assert f"{we['Subject']} {we['has']}" == "SCO, SP and SFRS have"
    assert we["verb"]["choose"] == "choose"
    assert we["possessive"] == "SCO, SP and SFRS’s"
    assert (we["it"], we["its"], we["a_public_body"]) == ("they", "their", "public bodies")


def test_single_statement_names_the_body_then_refers_to_it_in_the_singular(single):
    we = build_context(single)["we"]
    assert we["full"] == "Cambridgeshire Constabulary"
    assert we["full"].path == "organisations[0].name"
    assert f"{we['subject']} {we['is_']}" == "the Constabulary is"
    assert we["subject"].path == "organisations[0].referred_to_as"
    assert f"{we['Subject']} {we['verb']['assess']}" == "The Constabulary assesses"
    assert we["possessive"] == "the Constabulary’s"


@pytest.mark.parametrize("kind, default", [("police-force", "the Force"), ("pcc-office", "the Office"),
                                           ("fire-and-rescue", "the Service"), ("other", "the Organisation")])
def test_a_body_without_referred_to_as_is_named_by_its_type(tmp_path, kind, default):
    text = SINGLE.replace("    referred_to_as: the Constabulary\n", "").replace("type: police-force", f"type: {kind}")
    we = build_context(load(tmp_path, text))["we"]
    assert (we["subject"], we["Subject"]) == (default, "The " + default.removeprefix("the "))
    assert not isinstance(we["subject"], Field), "a default msgen chose is not profile text"


def test_every_profile_string_is_a_stripped_field_pointing_at_its_source(joint, single):
    for profile in (joint, single):
        fields = [(where, value) for where, value in leaves(build_context(profile)) if isinstance(value, Field)]
        assert len(fields) > 15
        for where, value in fields:
            assert str(value) == profile_value(profile.data, value.path).strip(), where
            assert value == value.strip(), where


def test_nothing_in_the_context_is_none(joint, single):
    for profile in (joint, single):
        assert [where for where, value in leaves(build_context(profile)) if value is None] == []


def test_yaml_block_scalars_lose_their_trailing_newline(joint, single):
    assert build_context(joint)["statement"]["introduction"] == [
        "We have a zero-tolerance approach to all forms of modern slavery."]
    assert build_context(single)["scope"]["description"].endswith("Cambridgeshire Constabulary.")


def test_years_periods_and_dates_read_in_words(joint, single):
    context = build_context(joint)
    assert context["statement"]["financial_year"] == "2022/23"
    assert context["statement"]["period"] == "1 April 2022 to 31 March 2023"
    assert context["statement"]["ordinal"] == "third"
    assert context["approval"]["date"] == "4 October 2022"
    assert [s["date"] for s in context["signatories"]] == ["4 October 2022", "", "13 October 2022"]
    first = build_context(single)["statement"]
    assert (first["first"], first["ordinal"], first["statutory"]) == (True, "first", True)
    assert build_context(single)["approval"]["date"] == "", "an unapproved statement has no date yet"


def test_signatories_carry_their_body_name_and_signature_image(joint, tmp_path):
    signatories = build_context(joint)["signatories"]
    assert [s["organisation"] for s in signatories] == [
        "Staffordshire Police", "Staffordshire Commissioner's Office", "Staffordshire Fire and Rescue Service"]
    image = signatories[0]["signature_image"]
    assert image["path"] == str((tmp_path / "noble.png").resolve())
    assert image["alt_text"] == "Signature of Chris Noble"
    assert image["alt_text"].path == "signatories[0].signature_image.alt_text"
    assert signatories[1]["signature_image"] == {}, "no image: the template prints a signing line"


def test_about_sentences_give_only_the_figures_the_profile_has(joint):
    police, fire = build_context(joint)["organisations"][1:]
    assert police["figures"] == (
        "SP serves Staffordshire and Stoke-on-Trent (population 1,100,000), covers 1,000 square miles and "
        "has a net revenue budget of £190.5 million. It has 3,500 employees (1,750 police officers) "
        "and 200 volunteers.")
    assert fire["figures"] == "SFRS works from 33 stations."
    assert build_context(joint)["organisations"][0]["figures"] == ""


def test_an_area_left_out_keeps_its_reason_verbatim_with_one_full_stop(joint):
    areas = build_context(joint)["areas"]
    assert areas["structure"] == {"included": False, "reason": "Covered by each body's annual report",
                                  "reason_end": "."}
    assert areas["structure"]["reason"].path == "areas.structure.reason"
    assert areas["training"]["reason_end"] == ""


def test_table_cells_without_a_value_read_a_dash(joint, single):
    kpi = build_context(joint)["areas"]["effectiveness"]["kpis"][0]
    assert (kpi["kind"], kpi["target"], kpi["actual"], kpi["previous"]) == ("Output", "100%", "92%", "—")
    assert build_context(single)["areas"]["effectiveness"]["kpis"][0]["target"] == "—"
    assert build_context(joint)["scope"]["responsibilities"][0]["description"] == "—"


def test_priority_risks_read_in_the_statements_words(joint):
    risk = build_context(joint)["areas"]["risk"]["priority_risks"][0]
    assert risk["where"] == "Supply chains (Tier 2 suppliers): Bangladesh"
    assert risk["groups_affected"] == "—"


def test_custom_sections_are_grouped_under_the_section_they_follow(joint):
    custom = build_context(joint)["custom"]
    assert [s["heading"] for s in custom["scope"]] == ["Police and Crime Plan"]
    assert custom["risk"] == [] and custom["next_year"] == []
    blocks = custom["scope"][0]["content"]
    assert blocks[0]["paragraph"] == "The Plan has four pillars." and blocks[0]["numbered"] == []
    assert blocks[1]["numbered"] == ["Victims", "Offenders"] and blocks[1]["paragraph"] == ""


def test_charter_members_default_to_the_statements_bodies(joint, single):
    charter = build_context(joint)["charter"]
    assert charter["members"] == ["Staffordshire Commissioner's Office", "Staffordshire Police",
                                  "Staffordshire Fire and Rescue Service"]
    assert charter["shared_values"] == ["Integrity"]
    assert "charter" not in build_context(single), "no charter in the profile: none to write"


def test_document_properties_are_plain_strings(joint, single):
    statement = document_properties(joint, "statement")
    assert statement == {
        "title": "Joint Modern Slavery and Human Trafficking Statement 2022/23: "
                 "Staffordshire Commissioner's Office, Staffordshire Police and Staffordshire Fire and Rescue Service",
        "subject": "Modern slavery and human trafficking statement for the financial year 2022/23",
        "author": "Staffordshire Commissioner's Office, Staffordshire Police and Staffordshire Fire and Rescue Service",
        "keywords": "modern slavery, human trafficking, Modern Slavery Act 2015, 2022/23",
        "date": "2022-10-04",
    }
    assert all(type(value) is str for value in statement.values())
    assert document_properties(joint, "charter")["title"] == "Supplier Charter 2022/23", "every title names its year"
    assert document_properties(single, "statement")["date"] == "2021-03-31", "not approved yet: the period end"
    assert document_properties(single, "statement")["author"] == "Cambridgeshire Constabulary"


def test_text_of_only_spaces_is_refused_by_validation_with_its_place(tmp_path):
    text = SINGLE.replace("body: Business Co-ordination Board", "body: '   '")
    line = text.splitlines().index("  body: '   '") + 1
    (tmp_path / "profile.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "noble.png").write_bytes(_tiny_png())
    problems = validate(load_profile(tmp_path / "profile.yaml"))
    assert [(p.line, p.path, p.message) for p in problems] == [
        (line, ("approval", "body"), "contains only spaces; write the text or remove the field")]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.name)
def test_every_example_gives_a_complete_context(example):
    profile = load_profile(example)
    context = build_context(profile)
    assert [where for where, value in leaves(context) if value is None] == []
    names = [org["name"] for org in profile.data["organisations"]]
    assert [org["name"] for org in context["organisations"]] == [name.strip() for name in names]
    assert len(context["signatories"]) == len(profile.data["signatories"])
