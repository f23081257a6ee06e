"""Issue 11's acceptance for collaborations and fire bodies: a 14-body joint statement with a
foreword signed by seven of its bodies and no abbreviations; a fire authority that calls
itself "the Service"; seven forces sharing one supplier charter, built in one batch, where
editing the shared charter changes the seven charters and nothing else; the fire presets."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import msgen
from test_sections import rows

FIXTURES = Path(__file__).parent / "fixtures" / "v2"
COUNTIES = ("Northshire", "Southshire", "Eastshire", "Westshire", "Midshire", "Highshire", "Lowshire")


def built(profile: Path, out: Path) -> list[tuple[str, str]]:
    """(style, text) of each paragraph and table of the one statement `profile` builds."""
    out.mkdir()
    result = msgen("build", profile, "-o", out, "--format", "docx")
    assert result.exit_code == 0, result.output
    [statement] = out.glob("*-modern-slavery-statement-*.docx")
    return rows(statement)


def test_a_fourteen_body_statement_with_a_signed_foreword_and_no_abbreviations_builds(tmp_path):
    document = built(FIXTURES / "joint-14.yaml", tmp_path / "out")
    texts = [text for _, text in document]
    foreword = texts.index("Foreword")
    signed = texts[foreword + 2]  # the foreword's paragraph, then its signature table
    assert all(f"Commissioner of {county}Police and Crime CommissionerPolice and Crime Commissioner for "
               f"{county}" in signed for county in COUNTIES)
    assert texts[foreword + 3] == "Introduction"
    steps = next(text for text in texts if text.startswith("This statement sets out the steps"))
    assert all(f"{county} Police" in steps for county in COUNTIES)
    assert not [word for text in texts for word in re.findall(r"\b[A-Z]{2,}\b", text)]  # no abbreviation
    assert not any(re.search(r"\b(first|second|third|statement number)\b", text) for text in texts)


def test_a_fire_authority_is_the_authority_in_msgen_s_clauses_and_the_service_in_its_own_words(tmp_path):
    texts = [text for _, text in built(FIXTURES / "fire-authority.yaml", tmp_path / "out")]
    assert ("This statement sets out the steps Exampleshire Fire and Rescue Authority has taken to prevent slavery "
            "and human trafficking in its own business and in its supply chains.") in texts
    assert any("as a public body, the Authority is not yet required to publish one" in text for text in texts)
    assert ("The Service protects the people of Exampleshire from fire and other emergencies from its twenty-one "
            "fire stations.") in texts
    assert "The Service's procurement policy asks every supplier to say how it prevents modern slavery." in texts
    assert not any("the Service is" in text or "the Authority's procurement" in text for text in texts)


FORCE = """\
# Fixture (fictional body): one of seven forces sharing a supplier charter.
schema_version: 2
slug: {slug}
statement:
  title: Modern Slavery Statement 2023/24
  financial_year: "2023-24"
bodies:
  - id: force
    legal_name: {county} Police
    type: police-force
sections:
  - id: introduction
    heading: Introduction
    blocks:
      - p: {county} Police opposes modern slavery in all its forms.
supplier_charter: {{include: ../shared-7f.yaml}}
approval:
  body: {county} Chief Officer Group
signatories:
  - {{name: Chief Constable of {county}, role: Chief Constable, organisation: force}}
"""


def test_seven_forces_sharing_a_charter_build_in_one_batch_and_an_edit_to_it_changes_only_the_charters(tmp_path):
    shared = tmp_path / "shared-7f.yaml"
    shutil.copy(FIXTURES / "seven-forces" / "shared-7f.yaml", shared)
    forces = tmp_path / "forces"
    forces.mkdir()
    for county in COUNTIES:
        (forces / f"{county.lower()}.yaml").write_text(FORCE.format(slug=f"{county.lower()}-police", county=county),
                                                        encoding="utf-8")

    def batch(out: Path) -> dict[str, bytes]:
        out.mkdir()
        result = msgen("build", forces, "-o", out, "--format", "docx")
        assert result.exit_code == 0, result.output
        return {path.name: path.read_bytes() for path in out.iterdir()}

    before = batch(tmp_path / "before")
    assert len(before) == 14
    charter = rows(tmp_path / "before" / "midshire-police-supplier-charter-2023-24.docx")
    charter = [(style, text) for style, text in charter if style != "Subtitle" and text != "DRAFT — not approved"]
    assert [text for _, text in charter[:3]] == ["Seven Forces Procurement Supplier Charter 2023/24", "Our commitment",
                                                 "The seven forces buy goods and services together and expect every "
                                                 "supplier to treat its workers fairly and lawfully."]
    shared.write_text(shared.read_text(encoding="utf-8").replace(
        "Keep no worker's identity documents.", "Keep no worker's passport or other identity documents."),
        encoding="utf-8")
    after = batch(tmp_path / "after")
    changed = sorted(name for name in before if before[name] != after[name])
    assert changed == sorted(f"{county.lower()}-police-supplier-charter-2023-24.docx" for county in COUNTIES)
    assert "Keep no worker's passport or other identity documents." in [
        text for _, text in rows(tmp_path / "after" / "lowshire-police-supplier-charter-2023-24.docx")]


@pytest.mark.parametrize(("preset", "refer_as"), [("fire-authority", "the Authority"),
                                                   ("pfcc-fire", "the Commissioner")])
def test_a_fire_preset_gives_the_six_areas_in_order_with_the_standard_clauses_and_blanks_for_every_fact(
        tmp_path, preset, refer_as):
    profile = tmp_path / f"{preset}.yaml"
    assert msgen("init", profile, "--preset", preset).exit_code == 0
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    assert data["schema_version"] == 2
    assert [area for section in data["sections"] for area in section.get("covers", [])] == [
        "structure", "policies", "risk", "due_diligence", "training", "effectiveness"]
    assert {"steps-taken", "legal-basis", "reporting-period"} <= {
        block["clause"] for section in data["sections"] for block in section["blocks"] if "clause" in block}
    [body] = data["bodies"]
    assert body["legal_name"].startswith("[insert ") and body["refer_as"] == refer_as
    out = tmp_path / "out"
    out.mkdir()
    result = msgen("build", profile, "-o", out, "--format", "docx")
    assert result.exit_code == 0 and "built as a draft" in result.output, result.output
    [statement] = out.glob("*.docx")
    texts = [text for _, text in rows(statement)]
    assert [heading for style, heading in rows(statement) if style == "Heading1"] == [
        "Introduction", "Organisational structure and supply chains", "Policies", "Risk assessment and management",
        "Due diligence", "Training", "Measuring effectiveness", "Looking ahead", "Approval"]
    assert any(text.startswith(f"This statement is published voluntarily: as a public body, {refer_as} is not yet")
               for text in texts)
