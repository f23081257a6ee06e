"""Issue 16: one profile, a statement in English and in Welsh of equal standing.

The bilingual example (Gwent's Commissioner and Chief Constable, joint) is built in all three
formats; each document is read back as a reader gets it (the Word text, the PDF's text, the
web page) and the two languages are compared: the same figures, dates and names, each in its
own language tag, each web page linking to the other. The example is a draft (the bodies'
own wording is left to fill in); a copy with its blanks filled by the test is built final,
so the dates of approval and signing are compared too.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from msgen.document.grammar import long_date
from msgen.ooxml import read_parts
from conftest import msgen
from pdfs import pdf_catalog_lang, pdf_text
from test_properties import document_paragraphs

pytestmark = pytest.mark.office

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "v2" / "gwent-joint-bilingual.yaml"
STEM = "gwent-joint-modern-slavery-statement-2023-24"
WELSH_MONTHS = ("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi",
                "Hydref", "Tachwedd", "Rhagfyr")
ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")
DATE = re.compile(rf"\b(\d{{1,2}}) ({'|'.join(WELSH_MONTHS + ENGLISH_MONTHS)}) (\d{{4}})\b")
NUMBER = re.compile(r"\d+(?:[./]\d+)*")


def built(profile: Path, folder: Path) -> dict[str, Path]:
    """Every file of a build in .docx, .pdf and .html, by name."""
    folder.mkdir()
    result = msgen("build", profile, "-o", folder, "--format", "docx,pdf,html")
    assert result.exit_code == 0, result.stderr
    return {path.name: path for path in folder.iterdir()}


def filled(tmp_path: Path) -> Path:
    """The example with every blank filled by the test (the test's own words, in both languages),
    approved and signed: a statement that builds final."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["$schema"] = str(ROOT / "schemas" / "profile-v2.schema.json")

    def fill(value):
        if isinstance(value, dict):
            return {key: fill(item) for key, item in value.items()}
        if isinstance(value, list):
            return [fill(item) for item in value]
        if isinstance(value, str) and value.startswith("[insert"):
            return "Test text for " + value.removeprefix("[insert ").rstrip("]")
        return value

    data = fill(data)
    data["statement"]["title"] = {"en": "Modern Slavery Statement 2023/24",
                                  "cy": "Datganiad Caethwasiaeth Fodern 2023/24"}
    data["sections"][0]["blocks"][3]["p"] = {"en": "We trained 120 members of staff.",
                                             "cy": "Rydym wedi hyfforddi 120 aelod o staff."}
    data["data"]["welsh_code"].update(staff_trained=120, suppliers_signed_up=35)
    data["approval"]["date"] = "2024-11-26"
    for person in data["signatories"]:
        person["date"] = "2024-11-27"
    path = tmp_path / "gwent-filled.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def dates(text: str) -> list[str]:
    """Each date written in words, in either language, as YYYY-MM-DD, in order."""
    found = []
    for day, month, year in DATE.findall(text):
        number = (WELSH_MONTHS.index(month) if month in WELSH_MONTHS else ENGLISH_MONTHS.index(month)) + 1
        found.append(f"{year}-{number:02d}-{int(day):02d}")
    return found


def figures(text: str) -> list[str]:
    """The figures of a text, in order, without its dates (compared apart, as dates)."""
    return NUMBER.findall(DATE.sub(" ", text))


def word_text(path: Path) -> str:
    return "\n".join(document_paragraphs(path))


def page_text(path: Path) -> str:
    body = path.read_text(encoding="utf-8").split("<body>", 1)[1]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def printed_text(path: Path) -> str:
    """The PDF's text with its lines joined: a name may wrap at the end of a line."""
    return " ".join(pdf_text(path).split())


READERS = {".docx": word_text, ".pdf": printed_text, ".html": page_text}


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> dict[str, Path]:
    return built(EXAMPLE, tmp_path_factory.mktemp("bilingual") / "example")


@pytest.fixture(scope="module")
def final(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bilingual-final")
    return built(filled(folder), folder / "out")


@pytest.mark.parametrize("build", ["example", "final"])
def test_both_languages_are_built_in_all_three_formats(build, request):
    files = request.getfixturevalue(build)
    assert sorted(files) == sorted(f"{STEM}{language}{suffix}" for language in ("", ".cy")
                                   for suffix in (".docx", ".pdf", ".html"))


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".html"])
@pytest.mark.parametrize("build", ["example", "final"])
def test_each_format_gives_the_same_figures_dates_and_names_in_both_languages(build, suffix, request):
    files = request.getfixturevalue(build)
    read = READERS[suffix]
    english, welsh = read(files[STEM + suffix]), read(files[f"{STEM}.cy{suffix}"])
    assert figures(english) == figures(welsh)
    assert dates(english) == dates(welsh)
    assert "2023-04-01" in dates(english) and "2024-03-31" in dates(english)
    assert "2017" in figures(welsh)
    names = (("Police and Crime Commissioner for Gwent", "Comisiynydd yr Heddlu a Throsedd Gwent"),
             ("Gwent Police", "Heddlu Gwent"))
    for english_name, welsh_name in names:
        assert english_name in english and welsh_name not in english and welsh_name in welsh
    if build == "final":
        assert "Test text for the name of the Chief Constable of Gwent Police" in english
        assert "Test text for the name of the Chief Constable of Gwent Police" in welsh
        assert long_date("2024-11-26") in english and "26 Tachwedd 2024" in welsh
        assert "120" in figures(welsh) and "35" in figures(welsh)


@pytest.mark.parametrize("build", ["example", "final"])
def test_the_welsh_documents_say_they_are_welsh_and_the_english_english(build, request):
    files = request.getfixturevalue(build)
    for language, tag in (("", "en-GB"), (".cy", "cy-GB")):
        parts = read_parts(files[f"{STEM}{language}.docx"].read_bytes())
        assert f"<dc:language>{tag}</dc:language>".encode() in parts["docProps/core.xml"]
        styles = parts["word/styles.xml"].decode("utf-8")
        assert set(re.findall(r'<w:lang w:val="([^"]+)"', styles)) == {tag}
        assert pdf_catalog_lang(files[f"{STEM}{language}.pdf"]) == tag
        assert f'<html lang="{tag}">' in files[f"{STEM}{language}.html"].read_text(encoding="utf-8")


@pytest.mark.parametrize("build", ["example", "final"])
def test_each_web_page_links_to_the_other(build, request):
    files = request.getfixturevalue(build)
    english = files[f"{STEM}.html"].read_text(encoding="utf-8")
    welsh = files[f"{STEM}.cy.html"].read_text(encoding="utf-8")
    assert f'<link rel="alternate" hreflang="cy-GB" href="{STEM}.cy.html">' in english
    assert f'<a href="{STEM}.cy.html" hreflang="cy-GB" lang="cy-GB">Cymraeg</a>' in english
    assert f'<link rel="alternate" hreflang="en-GB" href="{STEM}.html">' in welsh
    assert f'<a href="{STEM}.html" hreflang="en-GB" lang="en-GB">English</a>' in welsh


def test_the_draft_says_so_in_each_language_and_the_final_in_neither(example, final):
    assert "DRAFT" in word_text(example[f"{STEM}.docx"]) and "DRAFFT" in word_text(example[f"{STEM}.cy.docx"])
    assert "DRAFT" not in word_text(final[f"{STEM}.docx"]) and "DRAFFT" not in word_text(final[f"{STEM}.cy.docx"])


def test_each_welsh_content_control_leads_back_to_the_welsh_text(example):
    parts = read_parts(example[f"{STEM}.cy.docx"].read_bytes())
    tags = set(re.findall(r'<w:tag w:val="([^"]+)"/>', parts["word/document.xml"].decode("utf-8")))
    assert {"sections[0].blocks[3].p.cy", "bodies[0].legal_name.cy", "signatories[1].role.cy",
            "data.welsh_code.signed_up", "signatories[0].name"} <= tags
    assert not any(tag.endswith(".en") for tag in tags)
