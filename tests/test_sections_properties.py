"""Version-2 profiles of any shape build valid documents that print the body's words.

The strategy writes consistent profiles (signatories sign for bodies that exist, section
ids differ) with every block kind, nested lists, every data block and clause, and text
drawn from all of Unicode the schema allows: brackets, asterisks, braces and right-to-left
text included. Each must build (a draft when it says so), be valid WordprocessingML, and
show every plain paragraph it was given, word for word.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from test_properties import CI_EXAMPLES, build_outcome, document_paragraphs, problems_with, write_profile

pytestmark = pytest.mark.property

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "schemas" / "profile-v2.schema.json").read_text())
DATA_BLOCKS = SCHEMA["$defs"]["block_data"]["properties"]["data"]["enum"]
AREAS = SCHEMA["$defs"]["block_clause"]["properties"]["area"]["enum"]
CLAUSES = [name for name in SCHEMA["$defs"]["block_clause"]["properties"]["clause"]["enum"]
           if name not in ("statement-number", "legal-basis")]  # these need statement fields, given below

text = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co"), blacklist_characters="\u2028\u2029\x85"),
               min_size=1, max_size=30).filter(lambda value: value.strip() == value and value.strip())
line = text
item = st.recursive(text, lambda inner: st.fixed_dictionaries({"text": text, "items": st.lists(inner, min_size=1,
                                                                                                max_size=3)}),
                    max_leaves=6)
block = st.one_of(
    st.fixed_dictionaries({"p": text}),
    st.fixed_dictionaries({"list": st.lists(item, min_size=1, max_size=3)}, optional={"numbered": st.booleans()}),
    st.fixed_dictionaries({"quote": st.one_of(text, st.lists(text, min_size=1, max_size=2))},
                          optional={"source": text}),
    st.fixed_dictionaries({"definitions": st.lists(st.fixed_dictionaries({"term": line, "definition": text}),
                                                   min_size=1, max_size=2)}),
    st.fixed_dictionaries({"table": st.fixed_dictionaries(
        {"rows": st.lists(st.lists(text, min_size=1, max_size=3), min_size=1, max_size=3)},
        optional={"header": st.lists(line, min_size=1, max_size=3), "caption": line})}),
    st.fixed_dictionaries({"note": text}, optional={"source": text}),
    st.fixed_dictionaries({"heading": line}, optional={"level": st.integers(2, 3)}),
    st.fixed_dictionaries({"clause": st.sampled_from(CLAUSES), "area": st.sampled_from(AREAS),
                           "reason": text.filter(lambda value: len(value) <= 200)}),
    st.fixed_dictionaries({"data": st.sampled_from(DATA_BLOCKS)}, optional={"lead_in": text}),
)


@st.composite
def profiles(draw) -> dict:
    bodies = draw(st.lists(st.fixed_dictionaries(
        {"legal_name": line, "type": st.sampled_from(SCHEMA["$defs"]["body_own"]["properties"]["type"]["enum"])},
        optional={"text_name": line, "short_name": line, "refer_as": line}), min_size=1, max_size=3))
    for index, body in enumerate(bodies):
        body["id"] = f"body-{index}"
        if "short_name" in body:
            body["short_name"] += f" {index}"  # abbreviations must differ
    sections = draw(st.lists(st.fixed_dictionaries(
        {"blocks": st.lists(block, max_size=4)},
        optional={"heading": line, "number": st.sampled_from(["1.", "2.3", "A)"]), "level": st.integers(1, 3),
                  "covers": st.lists(st.sampled_from(AREAS), unique=True, max_size=2)}), min_size=1, max_size=4))
    for index, section in enumerate(sections):
        section["id"] = f"section-{index}"
    signatories = [{"name": draw(line), "role": draw(line), "organisation": body["id"]} for body in bodies]
    profile = {
        "schema_version": 2, "slug": "generated",
        "statement": {"title": draw(line), "financial_year": "2023-24", "legal_basis": "voluntary",
                      "years_producing": draw(st.integers(1, 30)),
                      "period": {"start": "2023-04-01", "end": "2024-03-31"}},
        "bodies": bodies, "sections": sections,
        "data": draw(st.fixed_dictionaries({}, optional={
            "commitments": st.lists(text, min_size=1, max_size=2),
            "due_diligence": st.lists(text, min_size=1, max_size=2),
            "policies": st.lists(st.fixed_dictionaries({"name": line}, optional={"description": text}),
                                 min_size=1, max_size=2)})),
        "approval": {"body": draw(line)}, "signatories": signatories,
    }
    if draw(st.booleans()):
        profile["supplier_charter"] = {"title": draw(line), "sections": [{"id": "charter", "blocks": [{"p": draw(text)}]}]}
    return profile


def plain_paragraphs(profile: dict) -> list[str]:
    """The `p` texts without any inline markup: each must come out exactly as written."""
    return [found["p"] for section in profile["sections"] for found in section["blocks"]
            if "p" in found and not re.search(r"[*\[\]_`]", found["p"])]


@settings(max_examples=CI_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(profiles())
def test_any_version_2_profile_builds_valid_documents_with_the_body_s_words(profile):
    with tempfile.TemporaryDirectory(prefix="msgen-property-v2-") as temporary:
        folder = Path(temporary)
        path = write_profile(profile, folder)
        (folder / "out").mkdir()
        outcome = build_outcome(path, folder / "out")
        assert problems_with(profile, outcome, path, ooxml=True) == []  # built, or refused in one clear line
        if not outcome.built:
            return
        [statement] = [document for document in outcome.built if "statement" in document.name]
        printed = document_paragraphs(statement)
        missing = [written for written in plain_paragraphs(profile) if written not in printed]
        assert missing == []
