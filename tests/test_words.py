"""msgen's own labels ("words"): each from the clause file of the document's language, so a
Welsh statement is labelled in Welsh and a user rewords any label in a templates folder."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from msgen import resources
from conftest import msgen

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "v2" / "derbyshire-first.yaml"
STEM = "derbyshire-constabulary-v2-modern-slavery-statement-2019-20"
OWN = resources.templates_dir(2)
BILINGUAL = EXAMPLE.parent / "gwent-joint-bilingual.yaml"


def words_of(language: str) -> dict[str, str]:
    return yaml.safe_load((OWN / f"clauses.{language}.yaml").read_text(encoding="utf-8"))["words"]


def parts(docx: Path) -> dict[str, bytes]:
    """The document's parts, less the build record (it names the clause file's hash)."""
    with zipfile.ZipFile(docx) as package:
        return {name: package.read(name) for name in package.namelist() if name != "docProps/custom.xml"}


def build(profile: Path, out: Path, *options: object) -> None:
    out.mkdir()
    result = msgen("build", profile, "-o", out, "--format", "docx,html", *options)
    assert result.exit_code == 0, result.output


def test_every_word_has_its_welsh_and_every_welsh_word_its_english():
    english, welsh = words_of("en"), words_of("cy")
    assert sorted(english) == sorted(welsh)
    assert all(isinstance(text, str) and text.strip() for text in [*english.values(), *welsh.values()])


def test_every_word_the_templates_print_is_in_the_clause_file():
    printed = set(re.findall(r"words\.(\w+)", (OWN / "page.html.j2").read_text(encoding="utf-8")))
    for template in ("statement.docx", "signature-block.docx"):
        with zipfile.ZipFile(OWN / template) as package:
            printed |= {key for name in package.namelist() if name.endswith(".xml")
                        for key in re.findall(r"words\.(\w+)", package.read(name).decode("utf-8"))}
    assert {"page", "approved_by", "skip_link", "signatory"} <= printed
    assert printed <= set(words_of("en"))


def test_a_word_reworded_in_a_templates_folder_changes_that_word_and_nothing_else(tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(OWN, folder)
    clauses = folder / "clauses.en.yaml"
    clauses.write_text(clauses.read_text(encoding="utf-8").replace("  approved_by: Approved by\n",
                                                                   "  approved_by: Signed off by\n"),
                       encoding="utf-8")
    build(EXAMPLE, tmp_path / "own")
    build(EXAMPLE, tmp_path / "reworded", "--templates", folder)

    own, reworded = parts(tmp_path / "own" / f"{STEM}.docx"), parts(tmp_path / "reworded" / f"{STEM}.docx")
    assert b">Approved by: <" in own["word/document.xml"]
    assert b">Signed off by: <" in reworded["word/document.xml"]
    assert reworded == {**own, "word/document.xml": own["word/document.xml"].replace(b">Approved by: <",
                                                                                   b">Signed off by: <")}
    page, reworded_page = ((tmp_path / name / f"{STEM}.html").read_text(encoding="utf-8")
                           for name in ("own", "reworded"))
    assert "<dt>Approved by</dt>" in page
    assert reworded_page == page.replace("<dt>Approved by</dt>", "<dt>Signed off by</dt>")


def test_a_welsh_draft_is_labelled_in_welsh_where_the_english_one_is_in_english(tmp_path):
    profile = tmp_path / "profile.yaml"
    english = EXAMPLE.read_text(encoding="utf-8")
    profile.write_text(english.replace("\nstatement:\n", "\nstatement:\n  languages: [en, cy]\n", 1), encoding="utf-8")
    build(profile, tmp_path / "out")
    for suffix, page, draft, approved_by, subject in (
            ("", "Page", "DRAFT — not approved", "Approved by",
             "Modern slavery and human trafficking statement for the financial year 2019/20"),
            (".cy", "Tudalen", "DRAFFT — heb ei gymeradwyo", "Cymeradwywyd gan",
             "Datganiad caethwasiaeth fodern a masnachu pobl ar gyfer blwyddyn ariannol 2019/20")):
        document = parts(tmp_path / "out" / f"{STEM}{suffix}.docx")
        assert f"<dc:subject>{subject}</dc:subject>" in document["docProps/core.xml"].decode("utf-8")
        text = {name: re.sub(r"<[^>]+>", "", xml.decode("utf-8")).strip() for name, xml in document.items()
                if name.startswith("word/") and name.endswith(".xml")}
        assert text["word/footer1.xml"].startswith(f"{page} 1 ")
        assert text["word/document.xml"].startswith(draft) and f"{approved_by}: " in text["word/document.xml"]
        assert draft in text["word/header1.xml"]
        web = (tmp_path / "out" / f"{STEM}{suffix}.html").read_text(encoding="utf-8")
        assert f"<dt>{approved_by}</dt>" in web and f"<strong>{draft.split()[0]}</strong>" in web


@pytest.mark.parametrize("words", ["words:\n  page: [1, 2]\n", "words: Page\n"])
def test_a_clause_file_whose_words_are_not_text_is_a_clear_error_naming_the_file(tmp_path, words):
    folder = tmp_path / "templates"
    shutil.copytree(OWN, folder)
    clauses = folder / "clauses.en.yaml"
    own = clauses.read_text(encoding="utf-8")
    clauses.write_text(own[:own.index("\nwords:")] + "\n" + words, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = msgen("build", EXAMPLE, "-o", out, "--format", "docx,html", "--templates", folder)
    assert result.exit_code == 1
    assert str(clauses) in result.output and "'words' must map each word's name to its text" in result.output
    assert list(out.iterdir()) == []


def test_version_1_s_english_defaults_are_the_clause_file_s_english_words():
    from msgen.document.context import FIGURE_WORDS, PROPERTY_WORDS
    from msgen.document.finish import DRAFT_TEXT

    english = words_of("en")
    assert {**FIGURE_WORDS, **PROPERTY_WORDS, "draft_notice": DRAFT_TEXT} == {
        key: english[key] for key in [*FIGURE_WORDS, *PROPERTY_WORDS, "draft_notice"]}


def test_a_body_s_figures_are_sentences_in_the_document_s_language():
    from msgen.document.context import figures_sentences
    from msgen.document.sections import msgen_words

    figures = {"population": 600000, "stations": 20, "budget_gbp": 150_500_000, "employees": 3500, "officers": 1750}
    english = figures_sentences("The Force", "Gwent", figures, words=msgen_words("en"), name="Gwent Police")
    welsh = figures_sentences("Yr Heddlu", "Gwent", figures, words=msgen_words("cy"), name="Heddlu Gwent",
                              language="cy")
    assert english == ("The Force serves Gwent (population 600,000), works from 20 stations and has a net revenue "
                       "budget of £150.5 million. It has 3,500 employees (1,750 police officers).")
    assert welsh == ("Mae Heddlu Gwent yn gwasanaethu Gwent (poblogaeth 600,000), yn gweithio o 20 o orsafoedd ac yn "
                     "gweithredu ar gyllideb refeniw net o £150.5 miliwn. Mae ganddo 3,500 o weithwyr (1,750 o "
                     "swyddogion heddlu).")


def test_a_status_printed_in_welsh_reads_back_as_its_code_in_check_and_pull(tmp_path):
    data = yaml.safe_load(BILINGUAL.read_text(encoding="utf-8"))
    data["$schema"] = str(BILINGUAL.parents[2] / "schemas" / "profile-v2.schema.json")
    data["data"]["progress"] = [{"commitment": {"en": "Train buyers", "cy": "Hyfforddi prynwyr"},
                                 "status": "in-progress"}]
    data["sections"][-1]["blocks"].append({"data": "progress"})
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    assert msgen("build", profile, "-o", out).exit_code == 0
    welsh = next(out.glob("*.cy.docx"))
    assert ">Ar waith</w:t>" in parts(welsh)["word/document.xml"].decode("utf-8")

    checked = msgen("check", profile, "--docx", welsh)
    assert "docx.matches-profile" not in checked.output
    pulled = msgen("pull", welsh, "-p", profile, "-o", tmp_path / "pulled.yaml")
    assert pulled.exit_code == 0 and "0 field(s) updated" in pulled.output
