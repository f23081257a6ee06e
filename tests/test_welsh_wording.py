"""msgen's Welsh: the same clauses as the English clause file, each written for one body and
for several, and Welsh dates, periods, ordinals and 'a/ac' from grammar."""

from __future__ import annotations

import pytest
import yaml

from msgen import resources
from msgen.document import grammar
from msgen.document.sections import clause_words, load_clauses
from msgen.profile.languages import in_language
from msgen.profile.loader import LoadedProfile

OWN = resources.templates_dir(2)


def clauses_in(language: str) -> set[str]:
    data = yaml.safe_load((OWN / f"clauses.{language}.yaml").read_text(encoding="utf-8"))
    return set(data) - {"words"}


def profile(bodies: int) -> LoadedProfile:
    names = [("Gwent Police", "Heddlu Gwent", "police-force"),
             ("Police and Crime Commissioner for Gwent", "Comisiynydd yr Heddlu a Throsedd Gwent", "pcc-office")]
    data = {"schema_version": 2, "slug": "test", "statement": {
        "financial_year": "2023-24", "period": {"start": "2023-04-01", "end": "2024-03-31"},
        "legal_basis": "voluntary", "years_producing": 2, "languages": ["en", "cy"]},
        "bodies": [{"id": f"b{index}", "legal_name": {"en": en, "cy": cy}, "type": kind}
                   for index, (en, cy, kind) in enumerate(names[:bodies])],
        "sections": [], "approval": {"body": "Board"}, "signatories": []}
    return in_language(LoadedProfile(OWN / "test.yaml", data), "cy")


def test_the_welsh_clause_file_has_every_english_clause_and_no_other():
    assert clauses_in("cy") == clauses_in("en")


@pytest.mark.parametrize("bodies", [1, 2])
def test_every_welsh_clause_is_written_for_one_body_and_for_several(bodies):
    clauses = load_clauses(OWN, "cy")
    words = clause_words(profile(bodies), clauses)
    block = {"area": "training", "area_words": "", "reason": "Dim eleni", "reason_end": "."}
    written = {name: clauses.render(name, {**words, "block": block}, ("sections", 0)) for name in clauses.templates}
    assert "Mae'n ymdrin â blwyddyn ariannol 2023/24, 1 Ebrill 2023 i 31 Mawrth 2024." == written["reporting-period"]
    assert written["statement-number"] == "Dyma ein hail ddatganiad."
    names = "Heddlu Gwent a Comisiynydd yr Heddlu a Throsedd Gwent" if bodies == 2 else "Heddlu Gwent"
    assert f"mae {names} yn nodi'r camau" in written["steps-taken"]
    assert not any(" and " in text or " the " in text for text in written.values())


def test_welsh_dates_periods_ordinals_and_a_or_ac():
    assert grammar.long_date("2020-11-26", "cy") == "26 Tachwedd 2020"
    assert grammar.period_words("2023-04-01", "2024-03-31", "cy") == "1 Ebrill 2023 i 31 Mawrth 2024"
    assert [grammar.ordinal_words(n, "cy") for n in (1, 2, 3, 10, 12)] == [
        "cyntaf", "ail", "trydydd", "degfed", "12fed"]
    assert grammar.join_and(["Heddlu Gwent", "Awdurdod Tân"], "cy") == "Heddlu Gwent ac Awdurdod Tân"
    assert grammar.join_and(["A", "B", "Comisiynydd"], "cy") == "A, B a Comisiynydd"
