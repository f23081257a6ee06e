"""`msgen build --format` and `--redline-against`: the files a user gets, run as a user runs them."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree, html

from msgen.profile.loader import load_profile
from pdfs import pdf_catalog_lang, pdf_info, pdf_text
from conftest import msgen

pytestmark = pytest.mark.slow  # builds documents in many processes: CI and the full run only

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NORFOLK = EXAMPLES / "norfolk-opcc-constabulary.yaml"
STAFFORDSHIRE = EXAMPLES / "staffordshire-joint-2022.yaml"
STEMS = ["norfolk-opcc-constabulary-modern-slavery-statement-2022-23",
         "norfolk-opcc-constabulary-supplier-charter-2022-23",
         "staffordshire-joint-modern-slavery-statement-2022-23",
         "staffordshire-joint-supplier-charter-2022-23"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_every_format_of_every_document_from_one_run(tmp_path, needs_office):
    result = msgen("build", NORFOLK, STAFFORDSHIRE, "-o", tmp_path, "--format", "docx,pdf,html")
    assert result.exit_code == 0, result.output
    assert names(tmp_path) == sorted(f"{stem}.{suffix}" for stem in STEMS for suffix in ("docx", "pdf", "html"))
    assert result.stdout.count("wrote ") == 12
    for stem in STEMS:
        title = docx.Document(str(tmp_path / f"{stem}.docx")).core_properties.title
        pdf = tmp_path / f"{stem}.pdf"
        assert pdf_info(pdf)["Title"] == title and pdf_info(pdf)["Tagged"] == "yes"
        assert pdf_catalog_lang(pdf) == "en-GB"
        page = html.document_fromstring((tmp_path / f"{stem}.html").read_bytes())
        assert page.get("lang") == "en-GB" and page.findtext(".//title") == title
    assert "Norfolk Constabulary" in pdf_text(tmp_path / f"{STEMS[0]}.pdf")
    assert "Staffordshire Police" in pdf_text(tmp_path / f"{STEMS[2]}.pdf")


def test_without_libreoffice_the_word_documents_and_web_pages_are_written_and_the_error_says_how_to_install_it(
        tmp_path):
    result = msgen("build", NORFOLK, STAFFORDSHIRE, "-o", tmp_path, "--format", "pdf,docx,html",
                   env={"MSGEN_SOFFICE": "/nonexistent/soffice"})
    assert result.exit_code == 3
    assert names(tmp_path) == sorted(f"{stem}.{suffix}" for stem in STEMS for suffix in ("docx", "html"))
    assert "/nonexistent/soffice" in result.stderr and "apt-get install libreoffice" in result.stderr
    assert "the Word documents are written" in result.stderr
    assert "built; no PDF" in result.stdout  # the summary says which profiles miss their PDFs


def test_web_pages_alone_keep_no_word_document(tmp_path):
    result = msgen("build", NORFOLK, "-o", tmp_path, "--format", "html")
    assert result.exit_code == 0, result.output
    assert names(tmp_path) == [f"{stem}.html" for stem in STEMS[:2]]
    assert result.stdout.splitlines() == [f"wrote {tmp_path / stem}.html" for stem in STEMS[:2]]


def test_the_format_option_given_twice_asks_for_both(tmp_path):
    result = msgen("build", NORFOLK, "-o", tmp_path, "-f", "html", "--format", "docx")
    assert result.exit_code == 0, result.output
    assert names(tmp_path) == sorted(f"{stem}{suffix}" for stem in STEMS[:2] for suffix in (".docx", ".html"))


def test_pdf_alone_without_libreoffice_says_nothing_else_was_written(tmp_path):
    result = msgen("build", NORFOLK, "-o", tmp_path, "--format", "pdf", env={"MSGEN_SOFFICE": "/nonexistent/soffice"})
    assert result.exit_code == 3 and names(tmp_path) == []
    assert "LibreOffice" in result.stderr and "the Word documents are written" not in result.stderr


def test_an_existing_pdf_stops_its_profile_before_anything_is_written(tmp_path):
    kept = tmp_path / f"{STEMS[1]}.pdf"
    kept.write_bytes(b"approved last week")
    result = msgen("build", NORFOLK, "-o", tmp_path, "--format", "docx,pdf")
    assert result.exit_code == 3 and kept.name in result.stderr and "--force" in result.stderr
    assert names(tmp_path) == [kept.name] and kept.read_bytes() == b"approved last week"


@pytest.mark.parametrize("formats", ["docx,word", "", "pdf,,txt"])
def test_an_unknown_format_is_a_usage_error(tmp_path, formats):
    result = msgen("build", NORFOLK, "-o", tmp_path, "--format", formats)
    assert result.exit_code == 2 and "docx,pdf,html" in result.output
    assert names(tmp_path) == []


# -- --redline-against ----------------------------------------------------------------------

def statement_with_introduction(folder: Path, introduction: list[str]) -> Path:
    """Staffordshire's profile with these opening paragraphs, as JSON in `folder`."""
    data = load_profile(STAFFORDSHIRE).data
    data["statement"]["introduction"] = introduction
    folder.mkdir()
    (folder / "profile.json").write_text(json.dumps(data), encoding="utf-8")
    return folder / "profile.json"


def revisions(redline: Path) -> tuple[list[str], list[str]]:
    """The inserted and the deleted text of a redline's body."""
    with zipfile.ZipFile(redline) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    return (["".join(i.itertext()) for i in body.iter(f"{W}ins")],
            ["".join(d.itertext()) for d in body.iter(f"{W}del")])


def test_redline_against_last_years_statement_shows_exactly_the_changed_word(tmp_path):
    last = statement_with_introduction(tmp_path / "last", ["Victims are often deceived into work."])
    assert msgen("build", last, "-o", last.parent).exit_code == 0
    approved = last.parent / f"{STEMS[2]}.docx"
    profile = statement_with_introduction(tmp_path / "new", ["Victims are frequently deceived into work."])
    runs = []
    for run in ("first", "second"):
        out = tmp_path / run
        out.mkdir()
        result = msgen("build", profile, "-o", out, "--redline-against", approved)
        assert result.exit_code == 0, result.output
        redline = out / f"{STEMS[2]}-redline.docx"
        assert f"wrote {redline}" in result.stdout
        runs.append(redline.read_bytes())
    inserted, deleted = revisions(tmp_path / "first" / f"{STEMS[2]}-redline.docx")
    assert [t.strip() for t in inserted] == ["frequently"] and [t.strip() for t in deleted] == ["often"]
    assert runs[0] == runs[1], "dated with the statement's date, so a rebuild is byte-identical"
    assert approved.read_bytes() != (tmp_path / "first" / f"{STEMS[2]}.docx").read_bytes()


def test_redline_against_needs_one_profile_and_an_existing_word_document(tmp_path):
    approved = tmp_path / "last.docx"
    several = msgen("build", NORFOLK, STAFFORDSHIRE, "-o", tmp_path, "--redline-against", approved)
    assert several.exit_code == 2 and "one" in several.stderr
    missing = msgen("build", NORFOLK, "-o", tmp_path, "--redline-against", approved)
    assert missing.exit_code == 2 and str(approved) in missing.stderr
    approved.write_bytes(b"%PDF-1.7 not a Word document")
    not_docx = msgen("build", NORFOLK, "-o", tmp_path, "--redline-against", approved)
    assert not_docx.exit_code == 1 and "not a Word document" in not_docx.stderr
    assert names(tmp_path) == ["last.docx"]
