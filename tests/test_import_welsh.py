"""`msgen import ENGLISH --welsh WELSH` (issue 16): a statement published in both languages
comes back as one profile, each text {en, cy} where the two versions match in structure; a
Welsh text is read as Welsh (its bodies' Welsh names, its dates); a Welsh statement that is
not the English one's is refused, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import msgen
from test_bilingual import STEM, filled

pytestmark = pytest.mark.slow  # builds documents

SHARED = Path(__file__).resolve().parents[2] / "shared"
WELSH_OPENING = SHARED / "corpus" / "gwent-pcc-cc-2024-25-cy.txt"


@pytest.fixture(scope="module")
def statements(tmp_path_factory) -> Path:
    """The bilingual example, filled in and built: its English and Welsh statements."""
    folder = tmp_path_factory.mktemp("statements")
    out = folder / "out"
    out.mkdir()
    assert msgen("build", filled(folder), "-o", out).exit_code == 0
    return out


def imported(result_path: Path) -> dict:
    return yaml.safe_load(result_path.read_text(encoding="utf-8"))


def test_an_english_and_a_welsh_statement_become_one_profile_in_both_languages(statements, tmp_path):
    result = msgen("import", statements / f"{STEM}.docx", "--welsh", statements / f"{STEM}.cy.docx",
                   "-o", tmp_path / "profile.yaml")

    assert result.exit_code == 0, result.stderr
    profile = imported(tmp_path / "profile.yaml")
    assert profile["statement"]["languages"] == ["en", "cy"]
    assert profile["statement"]["title"] == {"en": "Modern Slavery Statement 2023/24",
                                             "cy": "Datganiad Caethwasiaeth Fodern 2023/24"}
    assert [person["role"] for person in profile["signatories"]] == [
        {"en": "Police and Crime Commissioner for Gwent", "cy": "Comisiynydd yr Heddlu a Throsedd Gwent"},
        {"en": "Chief Constable", "cy": "Prif Gwnstabl"}]
    code = next(section for section in profile["sections"] if "Code of Practice" in str(section.get("heading")))
    assert code["blocks"][0]["p"] == {
        "en": "Test text for what the statement says of the Code of Practice and its action plan",
        "cy": "Test text for yr hyn y mae'r datganiad yn ei ddweud am y Cod Ymarfer a'i gynllun gweithredu"}
    assert msgen("validate", tmp_path / "profile.yaml").exit_code == 0


def test_what_could_not_be_paired_is_named_for_a_person_and_keeps_the_profile_a_draft(statements, tmp_path):
    result = msgen("import", statements / f"{STEM}.docx", "--welsh", statements / f"{STEM}.cy.docx",
                   "-o", tmp_path / "profile.yaml")

    unpaired = [line for line in result.stderr.splitlines() if "Welsh not paired" in line]
    text = (tmp_path / "profile.yaml").read_text(encoding="utf-8")
    assert all(f"# check: {line.split('to confirm: ', 1)[1]}" in text for line in unpaired)
    assert msgen("build", tmp_path / "profile.yaml", "-o", tmp_path).stderr.count("built as a draft") == bool(unpaired)


def test_a_welsh_statement_reads_its_bodies_and_dates_in_welsh(tmp_path):
    result = msgen("import", WELSH_OPENING, "-o", tmp_path / "welsh.yaml")

    assert result.exit_code == 0, result.stderr
    profile = imported(tmp_path / "welsh.yaml")
    assert [(body["legal_name"], body["type"]) for body in profile["bodies"]] == [
        ("Comisiynydd yr Heddlu a Throsedd Gwent", "pcc-office"), ("Heddlu Gwent", "police-force")]


def test_a_welsh_statement_that_is_not_the_english_one_is_refused_and_nothing_written(tmp_path):
    english = SHARED / "reference" / "cambridgeshire-2020.txt"

    result = msgen("import", english, "--welsh", WELSH_OPENING, "-o", tmp_path / "profile.yaml")

    assert result.exit_code == 1
    assert "the Welsh statement's sections do not match the English one's" in result.stderr
    assert not (tmp_path / "profile.yaml").exists()


def test_only_one_of_the_two_may_come_from_standard_input(tmp_path):
    result = msgen("import", "-", "--welsh", "-", "-o", tmp_path / "profile.yaml")

    assert result.exit_code == 2 and "only one of the two statements can come from standard input" in result.stderr
