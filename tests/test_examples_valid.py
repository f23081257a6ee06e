"""The example profiles are what new users copy: they must validate, carry the facts of
the statements they were drawn from, and be free of the defects those statements had."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from msgen.commands import validate_profiles
from msgen.profile.loader import load_profile

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PROFILES = sorted(EXAMPLES.glob("*.yaml"))
AREAS = ("structure", "policies", "due_diligence", "risk", "effectiveness", "training")
SEVEN_FORCES = ["Bedfordshire Police", "Cambridgeshire Constabulary", "Essex Police",
                "Hertfordshire Constabulary", "Kent Police", "Norfolk Constabulary",
                "Suffolk Constabulary"]
# Fields that hold addresses, identifiers or enum values rather than prose.
NOT_PROSE = {"$schema", "slug", "id", "organisation", "path", "url", "statement_url", "website",
             "published_at", "registry"}
DEFECTS = re.compile(r"TBC|XXX|\[insert|\.(png|jpe?g|docx?|pdf)\b|slavery[- ]free|eliminat|"
                     r"eradicat|\bno risks?\b", re.IGNORECASE)


def data(name: str) -> dict:
    return load_profile(EXAMPLES / name).data


def prose(value, key: str = "") -> list[str]:
    """Every piece of text in a profile that ends up in the statement."""
    if key in NOT_PROSE:
        return []
    if isinstance(value, dict):
        return [text for k, v in value.items() for text in prose(v, k)]
    if isinstance(value, list):
        return [text for item in value for text in prose(item, key)]
    return [value] if isinstance(value, str) else []


def signed_and_approved(profile: dict) -> list[str]:
    dates = [s["date"] for s in profile["signatories"] if "date" in s]
    return dates + [profile["approval"]["date"]]


def test_there_is_one_example_per_reference_statement():
    assert [p.name for p in PROFILES] == [
        "cambridgeshire-2020.yaml", "derbyshire-first.yaml", "norfolk-opcc-constabulary.yaml",
        "nottinghamshire-opcc-2022.yaml", "staffordshire-joint-2022.yaml"]


def test_every_example_validates_with_no_problems():
    assert [str(problem) for problem in validate_profiles(PROFILES)] == []


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_dates_fall_after_the_period_and_not_in_the_future(path):
    profile = load_profile(path).data
    period_end = date.fromisoformat(profile["statement"]["period"]["end"])
    for written in signed_and_approved(profile):
        assert period_end < date.fromisoformat(written) <= date.today(), written


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_text_has_none_of_the_reference_statements_defects(path):
    for text in prose(load_profile(path).data):
        assert not text.rstrip().endswith((":", ";")), text
        assert not DEFECTS.search(text), text


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_every_area_is_covered_or_says_why_not(path):
    areas = load_profile(path).data["areas"]
    for name in AREAS:
        assert areas[name]["included"] or 0 < len(areas[name]["reason"]) <= 200, name


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_commitments_and_indicators(path):
    profile = load_profile(path).data
    assert profile["actions"]["next_year"]
    if profile["areas"]["effectiveness"]["included"]:
        assert "outcome" in [kpi["kind"] for kpi in profile["areas"]["effectiveness"]["kpis"]]
    if profile["statement"]["years_producing"] > 1:
        assert profile["statement"]["previous_statements"]
        assert all(item["status"] != "to-report" for item in profile["actions"]["progress"])


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_every_example_has_a_supplier_charter_linked_only_on_its_own_site(path):
    profile = load_profile(path).data
    assert "supplier_charter" in profile
    if "published_at" in profile["supplier_charter"]:
        hosts = {urlsplit(org["website"]).hostname for org in profile["organisations"]}
        assert urlsplit(profile["supplier_charter"]["published_at"]).hostname in hosts


def test_staffordshire_charter_is_its_procurement_assurance_statement_for_all_three_bodies():
    profile = data("staffordshire-joint-2022.yaml")
    charter = profile["supplier_charter"]
    assert charter["title"] == "Procurement and Supply Chain Assurance Statement"
    assert charter["members"] == [org["name"] for org in profile["organisations"]]
    assert all(f"{org['name']} ({org['short_name']})" in charter["collaboration"] for org in profile["organisations"])


def test_staffordshire_is_a_three_body_joint_statement_with_2023_signatures():
    profile = data("staffordshire-joint-2022.yaml")
    assert profile["statement"]["kind"] == "joint"
    assert profile["statement"]["financial_year"] == "2022-23"
    assert [o["short_name"] for o in profile["organisations"]] == ["SCO", "SP", "SFRS"]
    assert [(s["name"], s["role"]) for s in profile["signatories"]] == [
        ("Chris Noble", "Chief Constable"), ("Ben Adams", "Staffordshire Commissioner"),
        ("Rob Barber", "Chief Fire Officer")]
    assert {d[:4] for d in signed_and_approved(profile)} == {"2023"}
    assert [o["type"] for o in profile["organisations"]] == ["pfcc-office", "police-force", "fire-and-rescue"]


def test_norfolk_has_the_seven_force_charter_and_plan_pillars_after_training():
    profile = data("norfolk-opcc-constabulary.yaml")
    assert [o["short_name"] for o in profile["organisations"]] == ["OPCCN", "NC"]
    assert profile["areas"]["due_diligence"]["procurement_collaboration"]["members"] == SEVEN_FORCES
    assert profile["supplier_charter"]["members"] == SEVEN_FORCES
    plan = next(s for s in profile["custom_sections"] if s["after"] == "training")
    subheadings = [block["subheading"] for block in plan["content"] if "subheading" in block]
    assert subheadings == ["Pillar 5: Support Victims", "Pillar 6: Safer and Stronger Communities"]
    assert all(block["bullets"] for block in plan["content"] if "bullets" in block)


def test_cambridgeshire_is_approved_by_the_board_and_states_its_risk_conclusion():
    profile = data("cambridgeshire-2020.yaml")
    assert profile["statement"]["kind"] == "single"
    assert profile["statement"]["financial_year"] == "2019-20"
    assert profile["organisations"][0]["referred_to_as"] == "the Constabulary"
    assert profile["approval"] == {"body": "Business Co-ordination Board", "date": "2020-11-26",
                                   "attended_by": ["the Chief Constable of Cambridgeshire Constabulary"]}
    assert [s["name"] for s in profile["signatories"]] == ["Ray Bisby"]
    assert profile["areas"]["risk"]["no_risks_identified"]["justification"]
    assert profile["supplier_charter"]["short_name"] == "7F"


def test_derbyshire_is_a_first_statement_leaving_every_area_out():
    profile = data("derbyshire-first.yaml")
    assert profile["statement"]["years_producing"] == 1
    assert profile["statement"]["period"]["end"] == "2020-03-31"
    assert [name for name in AREAS if profile["areas"][name]["included"]] == []
    assert "NEW.PNG" not in (EXAMPLES / "derbyshire-first.yaml").read_text(encoding="utf-8").upper()


def test_nottinghamshire_has_its_operational_response_and_a_signature_image():
    profile = data("nottinghamshire-opcc-2022.yaml")
    assert profile["statement"]["period"]["end"] == "2022-03-31"
    response = " ".join(prose(profile["operational_response"]))
    for name in ("MSOICU", "National Referral Mechanism", "Victim Navigator", "MASH", "SERAC"):
        assert name in response
    assert len(profile["areas"]["due_diligence"]["measures"]) >= 3
    images = [s["signature_image"] for s in profile["signatories"] if "signature_image" in s]
    assert len(images) == 1 and images[0]["alt_text"]
    image = EXAMPLES / images[0]["path"]
    assert image.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert image.stat().st_size < 20 * 1024


@pytest.mark.slow
def test_the_readme_and_issue_commands_accept_the_whole_examples_folder(tmp_path):
    """`msgen validate examples/*` and `msgen build examples/*` as a shell expands them:
    the signatures/ folder among the arguments is passed over, not an error."""
    import subprocess
    import sys

    everything = [str(path) for path in sorted(EXAMPLES.glob("*"))]
    assert str(EXAMPLES / "signatures") in everything
    msgen = [sys.executable, "-m", "msgen"]
    validated = subprocess.run(msgen + ["validate", *everything], capture_output=True, text=True)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    profiles = len(list(EXAMPLES.glob("*.yaml"))) + len(list(EXAMPLES.glob("v2/*.yaml")))  # a folder: its profiles
    assert f"{profiles} profile(s) valid" in validated.stdout
    built = subprocess.run(msgen + ["build", *everything, "-o", str(tmp_path), "--quiet"],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    statements = list(tmp_path.glob("*-modern-slavery-statement*.docx"))  # a year, or none given
    english = [path for path in statements if not path.name.endswith(".cy.docx")]
    assert len(english) == profiles and [path.name for path in statements if path not in english] == [
        "gwent-joint-modern-slavery-statement-2023-24.cy.docx"]  # the bilingual example's Welsh
    assert len(list(tmp_path.glob("*-supplier-charter-*.docx"))) == 5
