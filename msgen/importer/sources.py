"""Readers that turn a statement file into a flat list of paragraphs (heading, paragraph, list item).

Each format has its own reader so the structure step sees one shape whatever the source; Word
styles and numbering are read with python-docx rather than guessed from the text.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from msgen.errors import DocumentError
from msgen.importer.residue import INLINE_RESIDUE, LINE_RESIDUE

MAX_SOURCE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 200_000_000  # a .docx that unpacks to more is a zip bomb, not a statement
# Web-page furniture that text copied from a statement's web page carries; a saved .html page is
# cleaned by its main-content extractor first.
WEB_RESIDUE = re.compile("|".join(LINE_RESIDUE), re.IGNORECASE)
INLINE_WEB_RESIDUE = re.compile("|".join(INLINE_RESIDUE), re.IGNORECASE)
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"  # a footnote's marker, where the source says it is one (a web page's <sup>)
MARKDOWN_HEADING = re.compile(r"^(#{1,4})\s+(\S.*)$")
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
TABLE_RULE = re.compile(r"^\s*\|(\s*:?-+:?\s*\|)+\s*$")
BULLET = re.compile(r"^(\s*)(?:[-•*·▪]|o(?=\s))\s+")


@dataclass
class Para:
    """One paragraph of the source, of the kind the structure step makes a heading or block of."""

    kind: str  # heading, p, item, quote, note (a footnote), table, or residue (dropped, and named in a comment)
    text: str = ""
    level: int = 1
    numbered: bool = False
    rows: list[list[str]] = field(default_factory=list)


def read_source(path: Path | None, data: bytes, suffix: str) -> list[Para]:
    """The paragraphs of a source, read by the reader for its suffix."""
    name = str(path) if path else "standard input"
    if len(data) > MAX_SOURCE_BYTES:
        raise DocumentError(f"the file is {len(data) / 1e6:.1f} MB; a statement to import is at most 50 MB",
                            file=name, fix="give the statement itself")
    readers = {".txt": read_text, ".md": read_text, ".docx": read_docx, ".html": read_html, ".htm": read_html,
               ".pdf": read_pdf, ".odt": read_odt, ".doc": read_doc}
    if suffix in readers:
        paras = [kept for para in readers[suffix](name, data) for kept in _without_residue(para)]
        if all(para.kind == "residue" for para in paras):
            raise DocumentError("no statement text could be found in the file", file=name,
                                fix="give the statement itself, or a web page saved with its text")
        return paras
    raise DocumentError(f"'{suffix or 'no suffix'}' is not a file type msgen can import", file=name,
                        fix="give a .docx, .odt, .doc, .pdf, .html, .txt or .md file")


def read_text(name: str, data: bytes) -> list[Para]:
    """Plain text or Markdown: one paragraph a line; bullets start "- " or "•" (a wrapped bullet
    continues it); Markdown's # headings and | tables |."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"the file is not UTF-8 text (byte 0x{data[exc.start]:02X})", file=name,
                            fix="save it as UTF-8") from None
    paras: list[Para] = []
    item_indent = -1
    for line in text.splitlines():
        if not line.strip():
            item_indent = -1
            continue
        heading = MARKDOWN_HEADING.match(line)
        if heading:  # Markdown's "# Title", "## Section"
            level = len(heading.group(1)) - 1
            paras.append(Para("heading", heading.group(2).strip(), level=level if level or not paras else 1))
            continue
        if TABLE_ROW.match(line):  # Markdown's | a | b | rows; its |---|---| line is no row
            if not TABLE_RULE.match(line):
                row = [cell.strip() for cell in line.strip().strip("|").split("|")]
                if not paras or paras[-1].kind != "table":
                    paras.append(Para("table"))
                paras[-1].rows.append(row)
            continue
        bullet = BULLET.match(line)
        if bullet:
            item_indent = len(bullet.group(1))
            paras.append(Para("item", line[bullet.end():].strip()))
            continue
        indent = len(line) - len(line.lstrip())
        if paras and paras[-1].kind == "item" and item_indent >= 0 and indent > item_indent:
            paras[-1].text += " " + line.strip()
            continue
        item_indent = -1
        if paras and paras[-1].kind == "p" and re.search(r"\w-$", paras[-1].text):
            paras[-1].text += line.strip()  # a word hyphenated at the end of a line: "Stoke-on-" / "Trent"
        elif paras and paras[-1].kind == "p" and line.strip()[0].islower() and paras[-1].text[-1] not in ".:;!?":
            paras[-1].text += " " + line.strip()  # a sentence wrapped onto the next line
        else:
            paras.append(Para("p", line.strip()))
    return paras


def read_docx(name: str, data: bytes) -> list[Para]:
    """Word: Heading n / Title styles are headings, List styles or numbering are list items."""

    _check_zip(name, data, WORD)
    import docx
    from docx.text.paragraph import Paragraph
    from docx.opc.exceptions import PackageNotFoundError

    from msgen.ooxml import unwrap_content_controls

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DocumentError(f"this is not a Word document (.docx): {exc}", file=name,
                            fix="save it from Word as .docx") from None
    unwrap_content_controls(document.element.body)  # a statement msgen built keeps its text in them
    footnotes = _docx_footnotes(document)
    paras: list[Para] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = _docx_paragraph(Paragraph(child, document))
            if para:
                paras.append(para)
            paras.extend(Para("note", footnotes[number]) for number in child.xpath(".//w:footnoteReference/@w:id")
                         if footnotes.get(number))
        elif tag == "tbl":
            table = docx.table.Table(child, document)
            paras.append(Para("table", rows=[[cell.text.strip() for cell in row.cells] for row in table.rows]))
    return paras


def read_html(name: str, data: bytes) -> list[Para]:
    """A saved web page: trafilatura (a maintained main-content extractor) drops navigation, cookie
    banners, skip links and footers, keeping headings, lists, tables, bold, italic and links."""
    import trafilatura
    from lxml import etree

    extracted = trafilatura.extract(data, output_format="xml", include_tables=True, include_links=True,
                                    include_formatting=True, include_comments=False, favor_recall=True)
    main = etree.fromstring(extracted.encode("utf-8")).find("main") if extracted else None
    paras: list[Para] = []
    first_heading = True
    for element in main if main is not None else []:
        if element.tag == "head":
            level = int((element.get("rend") or "h2").lstrip("h") or 2)
            paras.append(Para("heading", _xml_inline(element), level=0 if level == 1 and first_heading
                              else max(1, min(level - 1, 3))))
            first_heading = False
        elif element.tag == "list":
            paras.extend(_xml_items(element, 1))
        elif element.tag == "table":
            paras.append(Para("table", rows=[[_xml_inline(cell) for cell in row.iter("cell")]
                                             for row in element.iter("row")]))
        elif element.tag in ("p", "quote") and _xml_inline(element):
            paras.append(Para("p" if element.tag == "p" else "quote", _xml_inline(element)))
    return paras


def read_pdf(name: str, data: bytes) -> list[Para]:
    """A PDF through pdfminer.six's layout analysis: lines on one baseline joined (a bullet glyph and
    its text), lines grouped into paragraphs by spacing and type size, larger type a heading, lines
    repeated on every page (running header, footer, page number) dropped, wrapped lines joined."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextBox
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    lines: list[tuple[int, float, float, str, float]] = []  # page, top, bottom, text, type size
    try:
        for number, layout in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams())):
            found = [line for box in layout if isinstance(box, LTTextBox) for line in box]
            for line in sorted(found, key=lambda line: (-round(line.y0), line.x0)):
                text = line.get_text().replace("\uf0b7", "•").strip()  # Symbol font's bullet
                size = max((char.size for char in line if isinstance(char, LTChar)), default=0)
                if lines and lines[-1][0] == number and abs(lines[-1][2] - line.y0) < 2:
                    joined = lines[-1]  # the same baseline: a bullet glyph and its text
                    lines[-1] = (number, joined[1], joined[2], f"{joined[3]} {text}".strip(), max(joined[4], size))
                elif text:
                    lines.append((number, line.y1, line.y0, text, size))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise DocumentError("the PDF is encrypted", file=name,
                            fix="import an unprotected copy, or the Word file it was made from") from None
    except PDFSyntaxError as exc:
        raise DocumentError(f"this is not a readable PDF: {exc}", file=name, fix="open it and save it again") from None
    if not lines:
        raise DocumentError("this PDF has no text layer: run OCR first", file=name,
                            fix="or import the Word file it was made from")
    pages = lines[-1][0] + 1
    on_pages: dict[str, set[int]] = {}
    for page, _, _, text, _ in lines:
        on_pages.setdefault(_page_key(text), set()).add(page)
    body_size = sorted(size for *_, size in lines)[len(lines) // 2]
    heading_sizes = sorted({round(size) for *_, size in lines if size > body_size * 1.15}, reverse=True)
    paras: list[Para] = []
    notes: set[int] = set()  # the ids of paragraphs in small type after a number: footnotes at a page's foot
    in_note = False
    previous: tuple[int, float, float, int] | None = None  # page, top, bottom, type size of the line before
    for page, top, bottom, text, size in lines:
        page_number = re.fullmatch(r"(page )?\d+( of \d+)?", text, re.IGNORECASE)
        if (pages > 1 and len(on_pages[_page_key(text)]) == pages) or page_number:
            paras.append(Para("residue", text))
            continue
        small = size < body_size * 0.95
        starts_note = small and bool(re.match(r"\d{1,2}\s*[^\d\s]", text))
        in_note = starts_note or (in_note and small)
        kind = "heading" if round(size) in heading_sizes else "item" if BULLET.match(text) else "p"
        close = previous is not None and previous[0] == page and previous[2] - top < size * 0.6
        # a paragraph running on to the next page continues after the footnotes at the foot of this one
        last = next((para for para in reversed(paras) if para.kind != "residue" and (id(para) in notes) == in_note),
                    None)
        wrapped_heading = kind == "heading" and close and last is not None and last.kind == "heading" \
            and previous is not None and previous[3] == round(size)
        continues = wrapped_heading or last is not None and kind == "p" and last.kind in ("p", "item") and (
            close or (last.text[-1] not in ".:;!?" and text[0].islower()) or re.search(r"\w-$", last.text))
        if continues and last is not None and not starts_note:
            last.text += text if re.search(r"\w-$", last.text) else " " + text
        elif starts_note:
            paras.append(Para("p", text))
            notes.add(id(paras[-1]))
        elif kind == "heading":
            level = heading_sizes.index(round(size))
            paras.append(Para("heading", text, level=0 if level == 0 and last is None else max(1, min(level, 3))))
        elif kind == "item":
            paras.append(Para("item", BULLET.sub("", text, count=1).strip()))
        else:
            paras.append(Para("p", text))
        previous = (page, top, bottom, round(size))
    return paras


def _page_key(text: str) -> str:
    """A line as it repeats from page to page: the page number changes, the rest does not."""
    return re.sub(r"\d+", "#", text.lower())


def _xml_items(listing, level: int) -> list[Para]:
    items = []
    for item in listing.iterchildren("item"):
        nested = item.findall("list")
        for sub in nested:
            item.remove(sub)
        items.append(Para("item", _xml_inline(item), level=min(level, 3), numbered=listing.get("rend") == "ol"))
        for sub in nested:
            items.extend(_xml_items(sub, level + 1))
    return items


def _xml_inline(element) -> str:
    """trafilatura's <hi rend="#b">, <hi rend="#i"> and <ref target=…> as version 2's inline marks;
    a superscript number (<sup>, a footnote's marker) as superscript digits, which footnotes.py resolves."""
    pieces = [element.text or ""]
    for child in element:
        inner = _xml_inline(child)
        rend = child.get("rend") or ""
        if child.tag == "hi" and rend == "#sup" and inner.strip().isdigit():
            inner = inner.strip().translate(str.maketrans("0123456789", SUPERSCRIPTS))
        elif child.tag == "hi" and inner.strip() and rend not in ("#sup", "#sub"):
            mark = "**" if "#b" in (child.get("rend") or "") else "*"
            inner = f"{mark}{inner}{mark}"
        elif child.tag == "ref" and (child.get("target") or "").startswith(("http://", "https://", "mailto:")):
            inner = f"[{inner}]({child.get('target')})"
        pieces.append(inner + (child.tail or ""))
    return " ".join("".join(pieces).split())


def _without_residue(para: Para) -> list[Para]:
    """Text copied from a web page into Word keeps its banners and link labels ("(external
    website)"): a banner line becomes residue, a label is cut out, each named in a comment."""
    if para.kind not in ("p", "item", "quote", "note"):
        return [para]
    if WEB_RESIDUE.search(para.text):
        return [Para("residue", para.text)]
    labels = [Para("residue", match.group().strip()) for match in INLINE_WEB_RESIDUE.finditer(para.text)]
    if labels:
        para.text = INLINE_WEB_RESIDUE.sub("", para.text)
    return [para, *labels]


@dataclass(frozen=True)
class Package:
    """A zip-based document format: what to call it and the part every real one has."""

    kind: str
    part: str
    fix: str


WORD = Package("a Word document (.docx)", "word/document.xml", "save it from Word as .docx")
OPENDOCUMENT = Package("an OpenDocument text (.odt)", "content.xml", "save it from LibreOffice or Word as .odt")
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # every Word 97-2003 .doc is an OLE compound file


def _check_zip(name: str, data: bytes, package: Package) -> None:
    """Said before any parser unpacks it: not a zip, a zip bomb, or a zip of something else."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise DocumentError(f"this is not {package.kind}: it is not a zip package", file=name,
                            fix=package.fix) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise DocumentError(f"the document unpacks to {unpacked / 1e6:.0f} MB, more than the "
                            f"{MAX_UNPACKED_BYTES // 1_000_000} MB a statement needs (a zip bomb?)", file=name,
                            fix="give the statement itself")
    if package.part not in names:
        raise DocumentError(f"this is not {package.kind}: it has no {package.part}", file=name, fix=package.fix)


def read_odt(name: str, data: bytes) -> list[Para]:
    """OpenDocument text: LibreOffice saves it as .docx, read as Word is (styles, numbering, tables)."""
    _check_zip(name, data, OPENDOCUMENT)
    return read_docx(name, _as_docx(name, data, ".odt"))


def read_doc(name: str, data: bytes) -> list[Para]:
    """Word 97-2003: LibreOffice saves it as .docx, read as Word is."""
    if not data.startswith(OLE_SIGNATURE):
        raise DocumentError("this is not a Word 97-2003 document (.doc)", file=name,
                            fix="open it in Word and save it as 'Word Document (.docx)'")
    return read_docx(name, _as_docx(name, data, ".doc"))


def _as_docx(name: str, data: bytes, suffix: str) -> bytes:
    """The document saved as .docx by LibreOffice, in a folder of its own that goes with it."""
    import tempfile

    from msgen.errors import OfficeFailed, OfficeMissing
    from msgen.publish.office import INSTALL_HINT, convert

    with tempfile.TemporaryDirectory(prefix="msgen-import-") as folder:
        source = Path(folder) / f"statement{suffix}"
        source.write_bytes(data)
        try:
            [converted] = convert([source], Path(folder) / "docx", "docx", timeout=120)
        except OfficeMissing:
            raise OfficeMissing(f"LibreOffice is needed to read {suffix} files but was not found. "
                                + INSTALL_HINT) from None
        except OfficeFailed:
            raise DocumentError(f"LibreOffice could not read this {suffix} file", file=name,
                                fix="open it in LibreOffice or Word and save it as .docx") from None
        return converted.read_bytes()


def _docx_footnotes(document) -> dict[str, str]:
    """Word's footnotes by id, each as one line of text (its number is Word's to print, not text)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    parts = [rel.target_part for rel in document.part.rels.values()
             if rel.reltype == RELATIONSHIP_TYPE.FOOTNOTES and not rel.is_external]
    if not parts:
        return {}
    notes = parse_xml(parts[0].blob)
    return {note.get(qn("w:id")): " ".join(" ".join("".join(text.text or "" for text in paragraph.iter(qn("w:t")))
                                                    for paragraph in note.iter(qn("w:p"))).split())
            for note in notes.iter(qn("w:footnote")) if note.get(qn("w:type")) is None}


def _docx_paragraph(paragraph) -> Para | None:
    text = _inline_text(paragraph).strip()
    if not text:
        return None
    style = paragraph.style.name if paragraph.style is not None else ""
    heading = re.fullmatch(r"Heading (\d)", style)
    if style == "Title":
        return Para("heading", text, level=0)
    if style in ("Quote", "Intense Quote"):
        return Para("quote", text)
    if heading:
        return Para("heading", text, level=min(int(heading.group(1)), 3))
    numbering = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
    if style.startswith("List") or numbering is not None:
        level = 1
        if numbering is not None and numbering.ilvl is not None:
            level = int(numbering.ilvl.val) + 1
        else:
            digits = re.search(r"(\d)$", style)
            level = int(digits.group(1)) if digits else 1
        return Para("item", text, level=min(level, 3), numbered="Number" in style)
    return Para("p", text)


def _inline_text(paragraph) -> str:
    """Runs with bold/italic become **…**/*…*; hyperlinks become [label](url)."""
    from docx.text.hyperlink import Hyperlink

    pieces = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            url = item.url
            pieces.append(f"[{item.text}]({url})" if url.startswith(("http://", "https://", "mailto:"))
                          else item.text)
            continue
        text = item.text
        if not text.strip():
            pieces.append(text)
            continue
        if item.bold:
            text = f"**{text}**"
        elif item.italic:
            text = f"*{text}*"
        pieces.append(text)
    return "".join(pieces).replace("****", "")
