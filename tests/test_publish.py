"""PDF and HTML made from real .docx files: what a reader, a screen reader and a CMS get."""

import base64
import re

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import html as lxml_html

from msgen.errors import OutputError
from msgen.publish import html_page, to_html, to_pdf
from pdfs import pdf_catalog_lang, pdf_info, pdf_structure, pdf_text

PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def make_statement(path, body="Staffordshire Police", *, title="Modern Slavery Statement 2022-23",
                   title_paragraph=True):
    """A small statement as msgen builds them: en-GB, a title, headings, a signature table
    whose first row repeats as a header, and a signature image with alt text."""
    document = docx.Document()
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    defaults.find(qn("w:rPr")).find(qn("w:lang")).set(qn("w:val"), "en-GB")
    document.core_properties.title = title
    if title_paragraph:
        document.add_paragraph(title, style="Title")
    document.add_heading("Introduction", level=1)
    document.add_paragraph(f"{body} has a zero-tolerance approach to modern slavery.")
    document.add_heading("Policies", level=2)
    document.add_paragraph("Whistleblowing policy")
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(table.rows[0].cells + table.rows[1].cells,
                          ["Name", "Role", "Chris Noble", "Chief Constable"]):
        cell.text = text
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    image = path.with_suffix(".png")
    image.write_bytes(PNG_1X1)
    document.add_paragraph().add_run().add_picture(str(image))
    document.inline_shapes[0]._inline.docPr.set("descr", "Signature of Chris Noble")
    document.save(path)
    return path


def parsed(page):
    return lxml_html.document_fromstring(page)


def test_html_page_is_one_accessible_page(tmp_path):
    page = html_page(make_statement(tmp_path / "statement.docx"))
    root = parsed(page)
    assert root.get("lang") == "en-GB"
    assert root.findtext("head/title") == "Modern Slavery Statement 2022-23"
    assert [h.text_content() for h in root.iter("h1")] == ["Modern Slavery Statement 2022-23"]
    assert [h.text_content() for h in root.iter("h2")] == ["Introduction"]
    assert [h.text_content() for h in root.iter("h3")] == ["Policies"]
    assert [th.text_content() for th in root.iter("th")] == ["Name", "Role"]
    assert [td.text_content() for td in root.iter("td")] == ["Chris Noble", "Chief Constable"]
    assert "Staffordshire Police has a zero-tolerance" in root.get_element_by_id("main").text_content()
    (skip,) = root.find_class("skip-link")
    assert skip.get("href") == "#main" and skip.text_content() == "Skip to main content"
    assert "@media print" in root.findtext("head/style")
    assert root.find("head/meta").get("charset") == "utf-8"


def test_html_page_loads_nothing_and_runs_nothing(tmp_path):
    page = html_page(make_statement(tmp_path / "statement.docx"))
    root = parsed(page)
    (image,) = root.iter("img")
    assert image.get("alt") == "Signature of Chris Noble"
    assert image.get("src").startswith("data:image/png;base64,")
    assert not list(root.iter("script", "link", "iframe", "object"))
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)


def test_html_page_is_the_same_every_time(tmp_path):
    source = make_statement(tmp_path / "statement.docx")
    assert html_page(source) == html_page(source)


def test_html_title_text_is_escaped(tmp_path):
    title = "Modern Slavery & <Human Trafficking> Statement"
    root = parsed(html_page(make_statement(tmp_path / "s.docx", title=title)))
    assert root.findtext("head/title") == title
    assert [h.text_content() for h in root.iter("h1")] == [title]


def test_document_without_a_title_paragraph_still_has_one_h1(tmp_path):
    source = make_statement(tmp_path / "s.docx", title="Supplier Charter", title_paragraph=False)
    root = parsed(html_page(source))
    assert [h.text_content() for h in root.iter("h1")] == ["Supplier Charter"]


def test_to_html_writes_each_document_and_never_overwrites_silently(tmp_path):
    sources = [make_statement(tmp_path / "police.docx", "Staffordshire Police"),
               make_statement(tmp_path / "fire.docx", "Staffordshire Fire and Rescue Service")]
    out = tmp_path / "out"
    out.mkdir()
    written = to_html(sources, out)
    assert written == [out / "police.html", out / "fire.html"]
    assert "Staffordshire Fire and Rescue Service" in written[1].read_text(encoding="utf-8")

    written[0].write_text("kept")
    with pytest.raises(OutputError, match="--force"):
        to_html(sources, out)
    assert written[0].read_text() == "kept"
    to_html(sources, out, force=True)
    assert "Staffordshire Police" in written[0].read_text(encoding="utf-8")


@pytest.mark.needs_office
def test_pdfs_are_tagged_titled_en_gb_and_hold_the_text(tmp_path):
    sources = [make_statement(tmp_path / "police.docx", "Staffordshire Police"),
               make_statement(tmp_path / "fire.docx", "Staffordshire Fire and Rescue Service",
                              title="Supplier Charter")]
    out = tmp_path / "out"
    out.mkdir()
    pdfs = to_pdf(sources, out)
    assert pdfs == [out / "police.pdf", out / "fire.pdf"]
    assert sorted(p.name for p in out.iterdir()) == ["fire.pdf", "police.pdf"]  # nothing left over
    assert "Staffordshire Police has a zero-tolerance" in pdf_text(pdfs[0])
    assert "Staffordshire Fire and Rescue Service" in pdf_text(pdfs[1])
    assert pdf_info(pdfs[0])["Title"] == "Modern Slavery Statement 2022-23"
    assert pdf_info(pdfs[1])["Title"] == "Supplier Charter"
    assert pdf_info(pdfs[0])["Tagged"] == "yes"
    assert "Table" in pdf_structure(pdfs[0])  # a StructTreeRoot with the document's structure
    assert pdf_catalog_lang(pdfs[0]) == "en-GB"


def test_existing_pdf_is_kept_without_force(tmp_path):
    source = make_statement(tmp_path / "police.docx")
    (tmp_path / "police.pdf").write_bytes(b"%PDF reviewed copy")
    with pytest.raises(OutputError, match="already exists"):
        to_pdf([source], tmp_path)
    assert (tmp_path / "police.pdf").read_bytes() == b"%PDF reviewed copy"


def test_missing_libreoffice_says_how_to_install_it_and_keeps_the_docx(tmp_path, monkeypatch):
    monkeypatch.setenv("MSGEN_SOFFICE", str(tmp_path / "no-soffice"))
    source = make_statement(tmp_path / "police.docx")
    before = source.read_bytes()
    with pytest.raises(OutputError, match="apt-get install libreoffice") as caught:
        to_pdf([source], tmp_path)
    assert caught.value.exit_code == 3
    assert "Word documents are written" in str(caught.value)
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["police.docx", "police.png"]
