"""The year's other commands on a statement in English and Welsh (issue 16): next-year keeps
each text's two languages and lists the years in both, pull carries a Welsh document's edits
to the Welsh texts, and a redline is made for each language."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import msgen
from test_bilingual import STEM, filled

pytestmark = pytest.mark.slow  # builds documents


@pytest.fixture
def bilingual(tmp_path: Path) -> Path:
    """The bilingual example, filled in (final), with a commitment for next year in both languages."""
    profile = filled(tmp_path)
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    data["data"]["commitments"] = [{"en": "Train every buyer by March 2025.",
                                    "cy": "Hyfforddi pob prynwr erbyn Mawrth 2025."}]
    data["sections"][1]["blocks"].append({"data": "commitments"})
    profile.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return profile


def built(profile: Path, folder: Path, *options: str) -> Path:
    folder.mkdir(exist_ok=True)
    result = msgen("build", profile, "-o", folder, *options)
    assert result.exit_code == 0, result.stderr
    return folder


def edited(source: Path, target: Path, replacements: dict[str, str]) -> Path:
    """A copy of a .docx with text replaced in its body, as a reviewer's edit in Word."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for name in original.namelist():
            data = original.read(name)
            if name == "word/document.xml":
                text = data.decode("utf-8")
                for old, new in replacements.items():
                    assert old in text, old
                    text = text.replace(old, new)
                data = text.encode("utf-8")
            copy.writestr(name, data)
    return target


def test_next_year_keeps_both_languages_and_lists_the_years_of_each(bilingual, tmp_path):
    result = msgen("next-year", bilingual, "-o", tmp_path / "next.yaml")
    assert result.exit_code == 0, result.stderr
    assert "moved: data.progress[0]: Train every buyer by March 2025." in result.stdout
    rolled = yaml.safe_load((tmp_path / "next.yaml").read_text(encoding="utf-8"))
    assert rolled["data"]["progress"] == [{"commitment": {"en": "Train every buyer by March 2025.",
                                                          "cy": "Hyfforddi pob prynwr erbyn Mawrth 2025."},
                                           "status": "to-report"}]
    assert "check the year: statement.title.cy" in result.stdout and "'2023/24'" in result.stdout


def test_a_welsh_documents_edits_go_to_the_welsh_texts(bilingual, tmp_path):
    out = built(bilingual, tmp_path / "out")
    reviewed = edited(out / f"{STEM}.cy.docx", tmp_path / "reviewed.cy.docx",
                      {"Rydym wedi hyfforddi 120 aelod o staff.": "Rydym wedi hyfforddi 120 aelod o’n staff.",
                       ">Prif Gwnstabl<": ">Y Prif Gwnstabl<"})

    result = msgen("pull", reviewed, "-p", bilingual, "-o", tmp_path / "pulled.yaml")

    assert result.exit_code == 0, result.stderr
    assert "updated sections[0].blocks[3].p.cy" in result.stdout and "updated signatories[1].role.cy" in result.stdout
    before = yaml.safe_load(bilingual.read_text(encoding="utf-8"))
    after = yaml.safe_load((tmp_path / "pulled.yaml").read_text(encoding="utf-8"))
    assert after["sections"][0]["blocks"][3]["p"] == {"en": before["sections"][0]["blocks"][3]["p"]["en"],
                                                      "cy": "Rydym wedi hyfforddi 120 aelod o’n staff."}
    assert after["signatories"][1]["role"] == {"en": "Chief Constable", "cy": "Y Prif Gwnstabl"}


def test_a_welsh_edit_of_a_text_written_in_one_language_gives_it_its_welsh(bilingual, tmp_path):
    data = yaml.safe_load(bilingual.read_text(encoding="utf-8"))
    data["sections"][1]["blocks"][0]["p"] = "Our action plan supports the Code."  # English only: a draft
    bilingual.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = built(bilingual, tmp_path / "out", "--draft")
    reviewed = edited(out / f"{STEM}.cy.docx", tmp_path / "reviewed.cy.docx",
                      {"Our action plan supports the Code.": "Mae ein cynllun gweithredu yn ategu’r Cod."})

    result = msgen("pull", reviewed, "-p", bilingual, "-o", tmp_path / "pulled.yaml")

    assert result.exit_code == 0, result.stderr
    after = yaml.safe_load((tmp_path / "pulled.yaml").read_text(encoding="utf-8"))
    assert after["sections"][1]["blocks"][0]["p"] == {"en": "Our action plan supports the Code.",
                                                      "cy": "Mae ein cynllun gweithredu yn ategu’r Cod."}


def test_a_welsh_document_is_not_pulled_into_a_profile_that_publishes_no_welsh(bilingual, tmp_path):
    out = built(bilingual, tmp_path / "out")
    data = yaml.safe_load(bilingual.read_text(encoding="utf-8"))
    data["statement"]["languages"] = ["en"]
    english_only = tmp_path / "english-only.yaml"
    english_only.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    result = msgen("pull", out / f"{STEM}.cy.docx", "-p", english_only, "-o", tmp_path / "pulled.yaml")

    assert result.exit_code == 1
    assert "the document is in Welsh, but english-only.yaml does not publish that language" in result.stderr
    assert not (tmp_path / "pulled.yaml").exists()


def test_a_redline_is_made_for_each_language_against_last_years_of_that_language(bilingual, tmp_path):
    last = built(bilingual, tmp_path / "last")
    (last / f"{STEM}.docx").rename(last / "last.docx")
    (last / f"{STEM}.cy.docx").rename(last / "last.cy.docx")

    out = built(bilingual, tmp_path / "out", "--redline-against", last / "last.docx")

    assert sorted(path.name for path in out.iterdir() if "redline" in path.name) == [
        f"{STEM}-redline.cy.docx", f"{STEM}-redline.docx"]
    (last / "last.cy.docx").unlink()
    (tmp_path / "again").mkdir()
    again = msgen("build", bilingual, "-o", tmp_path / "again", "--redline-against", last / "last.docx")
    assert again.exit_code == 0 and (tmp_path / "again" / f"{STEM}-redline.docx").exists()
    assert "no Welsh redline: last year's Welsh statement, last.cy.docx, is not beside" in again.stderr


def test_the_registry_is_answered_in_english_and_sees_the_codes_staff_trained(bilingual, tmp_path):
    data = yaml.safe_load(bilingual.read_text(encoding="utf-8"))
    for person in data["signatories"]:
        person["name"] = "Test Signatory"  # the registry's form takes 50 characters
    bilingual.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    result = msgen("registry", bilingual)

    assert result.exit_code == 0, result.stderr
    header, first = result.stdout.splitlines()[:2]
    row = dict(zip(header.split(","), first.split(",")))
    assert row["OrganisationName"] == "Police and Crime Commissioner for Gwent"
    assert row["StatementIncludesTraining"] == "Yes"  # data.welsh_code.staff_trained, printed by its block
