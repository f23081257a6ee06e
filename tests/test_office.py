"""Real LibreOffice runs (no mocks): the point is to catch what soffice really does.

Tagging is checked with poppler's pdfinfo (installed with pdftotext): it parses the PDF,
so the check holds whether or not LibreOffice compresses the objects.
"""

import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

import docx
import pytest
from docx.oxml.ns import qn

from msgen.errors import OfficeFailed, OfficeMissing
from msgen.publish.office import convert, find_soffice
from pdfs import pdf_catalog_lang, pdf_text

def make_docx(path, text, lang="en-GB"):
    document = docx.Document()
    run_defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    run_defaults.find(qn("w:rPr")).find(qn("w:lang")).set(qn("w:val"), lang)
    document.add_heading("Modern slavery statement", level=1)
    document.add_paragraph(text)
    document.save(path)
    return path


@pytest.mark.office
def test_converts_many_files_in_one_call(tmp_path):
    sources = [
        make_docx(tmp_path / "first.docx", "Alpha supply chain text"),
        make_docx(tmp_path / "second.docx", "Bravo due diligence text"),
    ]
    pdfs = convert(sources, tmp_path / "out")
    assert pdfs == [tmp_path / "out" / "first.pdf", tmp_path / "out" / "second.pdf"]
    assert "Alpha supply chain text" in pdf_text(pdfs[0])
    assert "Bravo due diligence text" in pdf_text(pdfs[1])


@pytest.mark.office
def test_pdf_is_tagged_pdf_ua_with_language(tmp_path):
    (pdf,) = convert([make_docx(tmp_path / "s.docx", "Text", lang="en-GB")], tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    assert re.search(r"^Tagged:\s+yes$", info.stdout, re.M), info.stdout
    structure = subprocess.run(
        ["pdfinfo", "-struct", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    assert "H1" in structure and "P" in structure.split(), structure
    metadata = subprocess.run(
        ["pdfinfo", "-meta", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    assert "<pdfuaid:part>1</pdfuaid:part>" in metadata
    assert pdf_catalog_lang(pdf) == "en-GB"


@pytest.mark.office
def test_other_formats_pass_through(tmp_path):
    (odt,) = convert([make_docx(tmp_path / "s.docx", "Text")], tmp_path / "out", "odt")
    assert odt.suffix == ".odt" and odt.stat().st_size > 0


@pytest.mark.office
def test_concurrent_conversions_use_separate_profiles(tmp_path):
    jobs = [
        ([make_docx(tmp_path / f"{i}.docx", f"Concurrent text {i}")], tmp_path / f"out{i}")
        for i in range(2)
    ]
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda job: convert(*job), jobs))
    for i, (pdf,) in enumerate(results):
        assert f"Concurrent text {i}" in pdf_text(pdf)


@pytest.mark.office
def test_missing_source_is_named(tmp_path):
    good = make_docx(tmp_path / "good.docx", "Text")
    missing = tmp_path / "missing.docx"
    with pytest.raises(OfficeFailed, match="missing.docx") as caught:
        convert([good, missing], tmp_path / "out")
    assert "good.docx" not in str(caught.value).partition("; LibreOffice said:")[0]


@pytest.mark.office
def test_stale_output_is_not_taken_for_new_output(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "missing.pdf").write_bytes(b"old")
    with pytest.raises(OfficeFailed, match="missing.docx"):
        convert([tmp_path / "missing.docx"], tmp_path / "out")


@pytest.mark.office
def test_timeout_kills_libreoffice(tmp_path):
    source = make_docx(tmp_path / "s.docx", "Text")
    with pytest.raises(OfficeFailed, match="within"):
        convert([source], tmp_path / "out", timeout=0.5)
    leftovers = subprocess.run(
        ["pgrep", "-f", str(tmp_path)], capture_output=True, text=True
    ).stdout
    assert leftovers == ""


def test_bad_msgen_soffice_is_office_missing(monkeypatch, tmp_path):
    monkeypatch.setenv("MSGEN_SOFFICE", str(tmp_path / "no-such-soffice"))
    with pytest.raises(OfficeMissing, match="MSGEN_SOFFICE"):
        find_soffice()
    with pytest.raises(OfficeMissing, match="libreoffice-writer-nogui"):
        convert([make_docx(tmp_path / "s.docx", "Text")], tmp_path)
