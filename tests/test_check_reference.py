"""The mistakes of five published statements (../shared/reference/) are each caught by the
rule written for them, and the cleaned examples in examples/ have no errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from msgen.check import ERROR, check_profile
from msgen.profile.loader import load_profile

REFERENCE = Path(__file__).parent / "fixtures" / "check" / "reference"
EXAMPLES = Path(__file__).parent.parent / "examples"
TODAY = date(2024, 6, 1)

CAUGHT = {
    "cambridgeshire-2020.yaml": {
        ("guidance.voluntary-basis", "statement.introduction[0]"),  # "made under section 54(1)"
        ("quality.lost-list", "areas.risk.no_risks_identified.justification"),  # "...high risk:" and no list
        ("quality.lost-list", "areas.training.items[0].topics[0]"),  # "so they can:" inside the list
        ("quality.abbreviation", "areas.training.items[1].content"),  # PIP2
        ("guidance.area-not-covered", "areas.effectiveness.included"),  # no indicators
        ("guidance.publication-deadline", "approval.date"),  # made November 2020
    },
    "derbyshire-first.yaml": {
        ("law.steps", "areas"),  # "initial steps", none described
        ("guidance.voluntary-basis", "statement.introduction[1]"),  # "made in accordance with the Act"
        ("law.approval-recorded", "approval"),
        *{("guidance.area-not-covered", f"areas.{area}.included")
          for area in ("structure", "policies", "due_diligence", "risk", "effectiveness", "training")},
    },
    "norfolk-opcc-constabulary.yaml": {
        ("quality.file-name", "statement.introduction[0]"),  # "Modern Slavery NEW.PNGThis statement"
        ("guidance.voluntary-basis", "statement.introduction[0]"),  # "as per section 54(1)"
        ("quality.other-area", "areas.training.items[0].topics[1]"),  # "for example in Cambridgeshire"
        ("quality.lost-list", "areas.risk.method"),
        ("guidance.absolute-claim", "areas.due_diligence.measures[0]"),  # "MDS is eradicated"
        ("quality.abbreviation", "areas.due_diligence.measures[0]"),  # MDS
        ("guidance.joint-collaboration", "scope"),
        ("law.approval-recorded", "approval"),
    },
    "nottinghamshire-opcc-2022.yaml": {
        ("guidance.legal-basis", "statement.legal_basis"),  # "the Government introduced legislation"
        ("quality.lost-list", "areas.structure.paragraphs[0]"),  # "sets out our response...:"
        ("quality.lost-list", "custom_sections[0].content[0].paragraph"),  # "include but are not limited to:"
        ("quality.lost-list", "custom_sections[0].content[1].paragraph"),
    },
    "staffordshire-joint-2022.yaml": {
        ("quality.dates", "signatories[1].date"),  # 13.09.21 on the 2021-22 statement
        ("quality.dates", "signatories[2].date"),  # 13.10.21
        ("quality.abbreviation", "areas.training.items[0].content"),  # MSHT before "(MSHT)"
        ("quality.abbreviation", "areas.training.items[1].content"),  # SPOC
        ("guidance.publication-deadline", "approval.date"),  # approved 4 October 2022
    },
}


@pytest.mark.parametrize("name", sorted(CAUGHT))
def test_each_defect_of_a_published_statement_is_caught_by_its_rule(name: str) -> None:
    found = {(f.rule, f.field) for f in check_profile(load_profile(REFERENCE / name), TODAY)}

    assert CAUGHT[name] <= found, f"missed: {sorted(CAUGHT[name] - found)}"


def test_the_other_body_rule_catches_a_neighbours_name_in_full() -> None:
    profile = load_profile(REFERENCE / "norfolk-opcc-constabulary.yaml")
    profile.data["areas"]["training"]["items"][0]["topics"][1] = "how Cambridgeshire Constabulary supports victims"

    found = [(f.severity, f.field, f.message) for f in check_profile(profile, TODAY) if f.rule == "quality.other-body"]

    assert found == [(ERROR, "areas.training.items[0].topics[1]",
                      "names Cambridgeshire Constabulary, a police force this statement is not from")]


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda path: path.name)
def test_the_cleaned_examples_have_no_errors(example: Path) -> None:
    errors = [str(f) for f in check_profile(load_profile(example), date.today()) if f.severity == ERROR]

    assert errors == []
