"""Every example's PDF is its Word file: the same bold words, every web address a link,
a structure tree a screen reader can use, pages laid out as a reader expects, the same
bytes on every build, and a picture of its first and last page in docs/pictures/.

All PDFs come from one LibreOffice run (the module's fixture), as msgen build makes them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import docx
import pytest

from msgen.build import build_profile
from msgen.document.sections import msgen_words
from msgen.ooxml import MAIN_DOCUMENT, paragraph_text, parse, read_parts, w
from msgen.profile.languages import LANGUAGES
from msgen.publish.convert import to_pdf
from msgen.publish.pdf import finish_pdf
from pdfs import docx_bold_words, pdf_bold_words, pdf_info, pdf_links, pdf_pages, pdf_structure_tree

pytestmark = pytest.mark.office

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "examples" / "v2").glob("*.yaml"))
PICTURES = ROOT / "docs" / "pictures"
WEB_ADDRESS = re.compile(r"https?://\S+?(?=[.,;:!?)\]'’”]*(?:\s|$))")  # without the sentence's full stop
DRAFT = tuple(msgen_words(language)["draft"] for language in LANGUAGES)  # "DRAFT", "DRAFFT": a draft's notice


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> list[tuple[Path, Path]]:
    """(.docx, .pdf) of every document of every example (version 1's final, version 2's
    drafts), and of a copy of the first under another name, made in one LibreOffice run."""
    out = tmp_path_factory.mktemp("examples")
    built = []
    for number, profile in enumerate(EXAMPLES):
        folder = out / str(number)
        folder.mkdir()
        built += build_profile(profile, folder)
    copy = out / "copy" / f"copy-of-{built[0].name}"
    copy.parent.mkdir()
    shutil.copyfile(built[0], copy)
    sources = [*built, copy]
    pdfs = out / "pdf"
    pdfs.mkdir()
    return list(zip(sources, to_pdf(sources, pdfs)))


def examples(documents: list[tuple[Path, Path]]) -> list[tuple[Path, Path]]:
    return [pair for pair in documents if not pair[0].name.startswith("copy-of-")]


def statements(documents: list[tuple[Path, Path]]) -> list[tuple[Path, Path]]:
    return [pair for pair in examples(documents) if "modern-slavery-statement" in pair[0].name]


def body_paragraphs(source: Path) -> list[tuple[str, str]]:
    """(style id, text) of each paragraph of the body, content controls' text included."""
    paragraphs = parse(read_parts(source.read_bytes())[MAIN_DOCUMENT]).iter(w("p"))
    return [(style_of(p), paragraph_text(p)) for p in paragraphs]


def style_of(paragraph) -> str:
    style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
    return style.get(w("val")) if style is not None else "Normal"


def test_every_example_has_a_pdf(documents):
    languages = [2 if "languages: [en, cy]" in example.read_text(encoding="utf-8") else 1 for example in EXAMPLES]
    assert len(statements(documents)) == sum(languages)  # a statement in English and Welsh has two
    for source, pdf in documents:
        assert pdf.stem == source.stem and pdf.read_bytes().startswith(b"%PDF-"), pdf.name


def test_the_pdf_has_the_bold_words_of_the_word_file(documents):
    """LibreOffice 7.4 drops bold inside content controls; the PDF is made without them.
    A table's header row the PDF repeats on a following page is the only bold it adds."""
    for source, pdf in examples(documents):
        in_word, header_rows = docx_bold_words(source)
        margin = docx.Document(str(source)).sections[0].top_margin.pt
        in_pdf = pdf_bold_words(pdf, margin=margin)
        assert in_word, source.name
        assert Counter(in_word) - Counter(in_pdf) == Counter(), f"{source.name}: bold in Word, plain in the PDF"
        assert set(Counter(in_pdf) - Counter(in_word)) <= set(header_rows), f"{source.name}: bold only in the PDF"


def test_every_web_address_is_a_link(documents):
    linked = 0
    for source, pdf in examples(documents):
        addresses = {address for _, text in body_paragraphs(source) for address in WEB_ADDRESS.findall(text)}
        assert set(pdf_links(pdf)) == addresses, source.name
        linked += len(addresses)
    assert linked >= len(EXAMPLES)  # the examples do give web addresses


def _kinds(tree: list) -> list[str]:
    return [tree[0], *(kind for kid in tree[1:] for kind in _kinds(kid))]


def _all(tree: list, kind: str) -> list[list]:
    return ([tree] if tree[0] == kind else []) + [found for kid in tree[1:] for found in _all(kid, kind)]


def test_the_structure_tree_has_a_heading_title_labelled_lists_and_header_cells(documents):
    titled = 0
    for source, pdf in examples(documents):
        (document,) = pdf_structure_tree(pdf)
        assert document[0] == "Document", source.name
        paragraphs = [(style, text) for style, text in body_paragraphs(source) if text.strip()]
        notice = 1 if paragraphs and paragraphs[0][1].startswith(DRAFT) else 0  # a draft's first paragraph, then the title
        styles = [style for style, _ in paragraphs[notice:]]
        if "Title" in styles:  # one reference statement has no title line
            assert document[1 + notice][0] == "H1" and styles[0] == "Title", \
                f"{source.name}: the title is not the first H1"
            titled += 1
        lists = _all(document, "L")
        if any(style.startswith("List") for style in styles):
            assert lists, f"{source.name}: no list is tagged as one"
        for item in (item for found in lists for item in found[1:] if item[0] == "LI"):
            assert [kid[0] for kid in item[1:]] == ["Lbl", "LBody"], f"{source.name}: list item {item}"
        for table in _all(document, "Table"):
            first_row = _all(table, "TR")[0]
            assert {cell[0] for cell in first_row[1:]} == {"TH"}, f"{source.name}: a table without header cells"
        assert "Link" in _kinds(document) or not pdf_links(pdf), source.name
    assert titled >= len(EXAMPLES) // 2


def test_a_draft_says_so_on_every_page_and_a_final_statement_on_none(documents):
    for source, pdf in examples(documents):
        draft = docx.Document(str(source)).core_properties.content_status == "Draft"
        pages = pdf_pages(pdf)
        marked = [any(word in page for word in DRAFT) for page in pages]
        assert marked == [draft] * len(pages), f"{source.name}: pages marked {marked}"
    assert {docx.Document(str(s)).core_properties.content_status for s, _ in examples(documents)} == {
        "Draft", "Final"}


def test_three_signatories_sign_on_one_page_with_their_dates_on_one_line(documents):
    (pdf,) = [pdf for source, pdf in statements(documents)
              if source.name == "staffordshire-joint-modern-slavery-statement-2022-23.docx"]
    pages = pdf_pages(pdf, layout=True)
    (page,) = [page for page in pages if "Chris Noble" in page]
    for signatory, date in (("Chris Noble", "4 September 2023"), ("Ben Adams", "13 September 2023"),
                            ("Rob Barber", "13 September 2023")):
        (line,) = [line for line in page.splitlines() if signatory in line]
        assert line.rstrip().endswith(date), line
    assert "Approved by:" in page and "Date of approval: 13 September 2023" in page


def test_a_small_table_is_never_split_across_pages(documents):
    for source, pdf in examples(documents):
        pages = pdf_pages(pdf)
        tables = docx.Document(str(source)).tables
        for table in (t for t in tables if len(t.rows) <= 6):
            cells = [row.cells[0].text.split("\n")[0].strip() for row in table.rows]
            found = [next((n for n, page in enumerate(pages) if cell[:25] in " ".join(page.split())), None)
                     for cell in cells if cell]
            assert len(set(found)) <= 1, f"{source.name}: table starting {cells[0]!r} is on pages {found}"


def test_two_builds_give_the_same_pdf(documents):
    """What LibreOffice varies between runs (times, a random ID, a checksum of them) is
    replaced by the document's own date and hashes of the content."""
    import pikepdf

    first_source, first_pdf = documents[0]
    copy_source, copy_pdf = documents[-1]
    assert copy_pdf.read_bytes() == first_pdf.read_bytes()

    date = docx.Document(str(first_source)).core_properties.modified.replace(tzinfo=dt.timezone.utc)
    with pikepdf.open(first_pdf) as document:
        assert str(document.docinfo.CreationDate) == str(document.docinfo.ModDate) == date.strftime("D:%Y%m%d%H%M%SZ")
        metadata = document.open_metadata()  # read only: no `with`, which would write it back
        assert metadata["xmp:CreateDate"] == metadata["xmp:ModifyDate"] == date.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert bytes(document.trailer.ID[0]) == hashlib.md5(first_source.read_bytes()).digest()
        assert "/DocChecksum" not in document.trailer
        # another run of LibreOffice: other times, another random ID and checksum
        document.docinfo["/CreationDate"] = document.docinfo["/ModDate"] = "D:20991231235959Z"
        document.trailer.ID = pikepdf.Array([pikepdf.String(b"another run....."), pikepdf.String(b"random.........")])
        document.trailer.DocChecksum = pikepdf.Name("/0123456789ABCDEF")
        other_run = io.BytesIO()
        document.save(other_run)
    source = first_source.read_bytes()
    assert finish_pdf(other_run.getvalue(), source=source, date=date) == finish_pdf(
        first_pdf.read_bytes(), source=source, date=date)


def picture_names(pdf: Path) -> tuple[str, str]:
    return f"{pdf.stem}-first.png", f"{pdf.stem}-last.png"


def test_pictures_of_each_example_are_committed_and_in_the_readme(documents):
    """The first and last page of each example's statement, rendered again here (pdftoppm)
    into docs/pictures/, so a reader sees the output before installing."""
    missing = [name for _, pdf in statements(documents) for name in picture_names(pdf)
               if not (PICTURES / name).is_file()]
    PICTURES.mkdir(exist_ok=True)
    for _, pdf in statements(documents):
        pages = int(pdf_info(pdf)["Pages"])
        for name, page in zip(picture_names(pdf), (1, pages)):
            target = PICTURES / name
            subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", str(page), "-l", str(page), "-singlefile",
                            str(pdf), str(target.with_suffix(""))], check=True)
    assert missing == [], f"commit the pictures made now: {missing}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    unreferenced = [name for _, pdf in statements(documents) for name in picture_names(pdf)
                    if f"docs/pictures/{name}" not in readme]
    assert unreferenced == [], unreferenced
