"""Test helper: what a PDF says about itself, read with poppler (pdftotext, pdfinfo).

pdfinfo parses the PDF, so the checks hold whether or not LibreOffice compresses objects.
"""

from __future__ import annotations

import re
import subprocess
import zlib
from pathlib import Path


def _poppler(*args: str) -> str:
    return subprocess.run(list(args), check=True, capture_output=True, text=True).stdout


def pdf_text(pdf: Path) -> str:
    return _poppler("pdftotext", str(pdf), "-")


def pdf_info(pdf: Path) -> dict[str, str]:
    """pdfinfo's fields, e.g. {'Title': ..., 'Tagged': 'yes'}."""
    fields = (line.split(":", 1) for line in _poppler("pdfinfo", str(pdf)).splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in fields}


def pdf_structure(pdf: Path) -> str:
    """The structure tree (empty when the PDF has no StructTreeRoot)."""
    return _poppler("pdfinfo", "-struct", str(pdf))


def pdf_metadata(pdf: Path) -> str:
    return _poppler("pdfinfo", "-meta", str(pdf))


def pdf_catalog_lang(pdf: Path) -> str | None:
    """The document language, from the catalog or (if LibreOffice compressed it) any stream."""
    data = Path(pdf).read_bytes()
    chunks = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            pass
    found = [m for c in chunks for m in re.findall(rb"/Lang\s*\(([^)]*)\)", c)]
    return found[0].decode() if found else None


# -- what a reader sees: bold words, links, the structure tree, pages --------------------------

def pdf_bold_words(pdf: Path, *, margin: float) -> list[str]:
    """The words set in a bold font (pdfminer's LTChar.fontname), in reading order, leaving
    out lines wholly in the top or bottom `margin` points of a page (header and footer)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    words = []
    for page in extract_pages(str(pdf)):
        for box in page:
            if not isinstance(box, LTTextContainer):
                continue
            for line in box:
                if not isinstance(line, LTTextLine) or line.y0 > page.height - margin or line.y1 < margin:
                    continue
                # pdfminer's LTAnno items are the spaces it infers between glyphs set apart
                words += _bold_words([(c.get_text(), isinstance(c, LTChar) and "Bold" in c.fontname) for c in line])
    return words


def _bold_words(characters: list[tuple[str, bool]]) -> list[str]:
    """The words (split at white space) whose every character is bold."""
    words, word = [], []
    for character, bold in [*characters, (" ", False)]:
        if character.isspace():
            if word and all(b for _, b in word):
                words.append("".join(c for c, _ in word))
            word = []
        else:
            word.append((character, bold))
    return words


def docx_bold_words(docx: Path) -> tuple[list[str], list[str]]:
    """(The body's words that are bold as Word shows them, the words of repeating table
    header rows, which the PDF prints again on each page a table continues onto).

    Bold is worked out as Word does for what msgen's templates use: the run's own w:b,
    else its character style's, else the table style's header row's, else the paragraph
    style's (each style with the styles it is based on)."""
    from msgen.ooxml import NS, on, parse, read_parts, style_chain, styles_by_id, w

    parts = read_parts(docx.read_bytes())
    styles = styles_by_id(parse(parts["word/styles.xml"]))

    def style_bold(style_id: str | None, path: str = "w:rPr/w:b") -> bool | None:
        for style in style_chain(styles, style_id or ""):
            switch = style.find(path, NS)
            if switch is not None:
                return on(switch)
        return None

    def header_bold(paragraph) -> bool | None:
        row = next(paragraph.iterancestors(w("tr")), None)
        if row is None or row.find("w:trPr/w:tblHeader", NS) is None:
            return None
        table_style = row.getparent().find("w:tblPr/w:tblStyle", NS)
        return style_bold(table_style.get(w("val")) if table_style is not None else None,
                          "w:tblStylePr[@w:type='firstRow']/w:rPr/w:b")

    bold, header = [], []
    for paragraph in parse(parts["word/document.xml"]).iter(w("p")):
        paragraph_style = paragraph.find("w:pPr/w:pStyle", NS)
        characters = []
        for run in paragraph.iter(w("r")):
            run_bold = run.find("w:rPr/w:b", NS)
            character_style = run.find("w:rPr/w:rStyle", NS)
            decided = [on(run_bold) if run_bold is not None else None,
                       style_bold(character_style.get(w("val"))) if character_style is not None else None,
                       header_bold(paragraph),
                       style_bold(paragraph_style.get(w("val")) if paragraph_style is not None else "Normal")]
            is_bold = next((b for b in decided if b is not None), False)
            for child in run:
                if child.tag == w("t"):
                    characters += [(c, is_bold) for c in child.text or ""]
                elif child.tag in (w("tab"), w("br")):
                    characters.append((" ", False))
        words = _bold_words(characters)
        bold += words
        if header_bold(paragraph) is not None:
            header += words
    return bold, header


def pdf_links(pdf: Path) -> list[str]:
    """The address of each link annotation, page by page."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        return [str(annotation.A.URI) for page in document.pages for annotation in page.get("/Annots", [])
                if annotation.get("/Subtype") == "/Link" and "/URI" in annotation.get("/A", {})]


def pdf_structure_tree(pdf: Path) -> list:
    """The structure tree as nested [type, kids...] lists, types resolved through the
    RoleMap (as a screen reader resolves them); marked content is left out."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        root = document.Root.StructTreeRoot
        roles = {str(k): str(v) for k, v in root.get("/RoleMap", {}).items()}

        def tree(element) -> list:
            kids = element.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
            structure_type = str(element.get("/S", "/Document"))
            return [roles.get(structure_type, structure_type).lstrip("/"),
                    *[tree(kid) for kid in kids if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]]

        return tree(root)[1:]


def pdf_pages(pdf: Path, *, layout: bool = False) -> list[str]:
    """Each page's text (pdftotext separates pages with a form feed)."""
    return _poppler("pdftotext", *(["-layout"] if layout else []), str(pdf), "-").split("\f")[:-1]
