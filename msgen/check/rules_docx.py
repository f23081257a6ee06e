"""Checks on a built Word document: what a screen-reader user, the accessibility
regulations and a careful reviewer need, and whether it still says what its profile says.

The document is read once through msgen.ooxml into a `Document`: its body blocks in
reading order (paragraphs with their style, heading level and list status; tables),
its images, content controls and properties. Rules are pure functions of that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from msgen.check.rulebook import (ACCESSIBILITY, BOTH, DOCUMENT, ERROR, HOME_OFFICE, REGISTRY, WARNING, Hit, Subject,
                                  parse_path, rule, value_at)
from msgen.errors import NotAPackage, UsageError
from msgen.ooxml import (CORE_PROPERTIES, CUSTOM_PROPERTIES, DAMAGED, MAIN_DOCUMENT, MARGIN_PARTS, NS, STYLES,
                         control_path, on, paragraph_text, parse, read_custom_properties, read_parts, style_chain,
                         styles_by_id, w)

_DECORATIVE = "http://schemas.microsoft.com/office/drawing/2017/decorative"
_LEFTOVER_TAG = re.compile(r"\{\{|\{%|\{#|%\}|\}\}")
PROFILE_HASH_PROPERTY = "msgen.profile_sha256"


@dataclass(frozen=True)
class Block:
    """One paragraph or table of the document body, in reading order."""

    kind: str  # "paragraph", "table", or "cell" (a paragraph in a table)
    where: str  # e.g. "statement.docx, paragraph 12 ('The areas assessed…', under 'Risk')"
    text: str = ""
    style: str = ""
    level: int | None = None  # heading level: Title is 1, Heading 1 is 2, and so on
    list_item: bool = False
    blank: bool = False  # no text, image, field or break: an empty paragraph
    header_row: bool = True  # for a table: its first row repeats as a header


@dataclass(frozen=True)
class Document:
    """What the document rules need from a .docx, read once."""

    path: Path
    blocks: tuple[Block, ...]
    title: str
    language: str
    images: tuple[tuple[str, str], ...]  # (where, alt text or "" when missing)
    controls: tuple[tuple[str, str, str], ...]  # (where, tag, text)
    margins: tuple[tuple[str, str], ...]  # (where, text) of each paragraph in headers, footers and notes
    properties: dict[str, str]

    @property
    def texts(self) -> tuple[tuple[str, str], ...]:
        """The text of each paragraph (in tables too), with where it stands."""
        return tuple((b.where, b.text) for b in self.blocks if b.text.strip())


def read_document(path: Path) -> Document:
    """Read a built .docx, or raise NotAPackage when it is not one (a wrong document, exit 1)."""
    from msgen.files import MAX_DOCUMENT_BYTES, read_limited

    path = Path(path)
    data = read_limited(path, MAX_DOCUMENT_BYTES, "document")
    try:
        parts = read_parts(data, file=path, wanted=lambda name: name.endswith(".xml")
                           and name.startswith(("word/", "docProps/")))
        trees = {name: parse(xml) for name, xml in parts.items() if name != CUSTOM_PROPERTIES}
        body = trees[MAIN_DOCUMENT].find(w("body"))
    except DAMAGED:
        raise NotAPackage("this is not a Word document (.docx)", file=path,
                         fix="give the .docx msgen build wrote") from None
    if body is None:
        raise UsageError("this Word document has no body", file=path)
    styles = _Styles(trees.get(STYLES))
    blocks, images, controls = _read_body(body, styles, path.name)
    margins = sorted(filter(MARGIN_PARTS.fullmatch, trees))
    return Document(
        path=path,
        blocks=tuple(blocks),
        title=_first_text(trees.get(CORE_PROPERTIES), "dc:title"),
        language=styles.language,
        images=tuple(images),
        controls=tuple(controls),
        margins=tuple((f"{path.name}, {name.removeprefix('word/')}", paragraph_text(p))
                      for name in margins for p in trees[name].iter(w("p"))),
        properties=read_custom_properties(parts),
    )


class _Styles:
    """Style names, heading levels and list numbering, following each style's basedOn chain."""

    def __init__(self, root: Any) -> None:
        self.by_id: dict[str, Any] = {}
        self.language = ""
        if root is None:
            return
        self.by_id = styles_by_id(root)
        lang = root.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
        self.language = lang.get(w("val"), "") if lang is not None else ""

    def _chain(self, style_id: str) -> Iterator[Any]:
        return style_chain(self.by_id, style_id)

    def name(self, style_id: str) -> str:
        style = self.by_id.get(style_id)
        found = style.find("w:name", NS) if style is not None else None
        return found.get(w("val")) if found is not None else style_id

    def level(self, style_id: str, paragraph_outline: int | None) -> int | None:
        """Title is level 1 (the page's one h1); Heading N, or outline level N-1, is N+1."""
        name = self.name(style_id).casefold()
        if name == "title":
            return 1
        heading = re.fullmatch(r"heading (\d)", name)
        if heading:
            return int(heading.group(1)) + 1
        if paragraph_outline is not None:  # outline level 9 is body text
            return paragraph_outline + 2 if paragraph_outline < 9 else None
        for style in self._chain(style_id):
            outline = style.find("w:pPr/w:outlineLvl", NS)
            if outline is not None:
                level = int(outline.get(w("val")))
                return level + 2 if level < 9 else None
        return None

    def numbered(self, style_id: str) -> bool:
        return (self.name(style_id).casefold().startswith("list")
                or any(s.find("w:pPr/w:numPr", NS) is not None for s in self._chain(style_id)))


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


def _read_body(body: Any, styles: _Styles, name: str) -> tuple[list[Block], list, list]:
    blocks: list[Block] = []
    where_of: dict[Any, str] = {}
    heading = ""
    paragraphs = tables = 0
    for element in body.iter(w("p"), w("tbl")):
        in_table = any(a.tag == w("tbl") for a in element.iterancestors())
        if element.tag == w("tbl"):
            if in_table:
                continue  # a nested table is part of the table holding it
            tables += 1
            where = f"{name}, table {tables}" + (f" (under '{heading}')" if heading else "")
            first_row = element.find("w:tr", NS)
            header = first_row.find("w:trPr/w:tblHeader", NS) if first_row is not None else None
            blocks.append(Block("table", where, header_row=on(header)))
        elif in_table:
            where = blocks[-1].where
            blocks.append(Block("cell", where, text=paragraph_text(element)))
        else:
            paragraphs += 1
            blocks.append(_paragraph(element, styles, f"{name}, paragraph {paragraphs}", heading))
            where = blocks[-1].where
            if blocks[-1].level is not None:
                heading = _quote(blocks[-1].text)
        where_of[element] = where
    images = [(_where(picture, where_of), "decorative" if picture.find(f".//{{{_DECORATIVE}}}decorative") is not None
               else (picture.get("descr") or picture.get("title") or "").strip())
              for picture in body.iterfind(".//w:drawing//wp:docPr", NS)]
    images += [(_where(shape, where_of), (shape.get("alt") or "").strip())
               for shape in body.xpath(".//v:shape[v:imagedata]", namespaces=NS)]
    controls = []
    for control in body.iterfind(".//w:sdt", NS):
        tag, content = control_path(control), control.find("w:sdtContent", NS)
        if tag is not None and content is not None:
            controls.append((_where(control, where_of), tag, paragraph_text(content)))
    return blocks, images, controls


def _paragraph(element: Any, styles: _Styles, where: str, heading: str) -> Block:
    text = paragraph_text(element)
    style_node = element.find("w:pPr/w:pStyle", NS)
    style_id = style_node.get(w("val")) if style_node is not None else ""
    outline = element.find("w:pPr/w:outlineLvl", NS)
    level = styles.level(style_id, int(outline.get(w("val"))) if outline is not None else None)
    where += f" ('{_quote(text)}'" if text.strip() else " (empty"
    where += f", under '{heading}')" if heading and level is None else ")"
    has_content = bool(text.strip()) or bool(element.xpath(
        ".//w:drawing|.//w:pict|.//w:object|.//w:fldSimple|.//w:fldChar|.//w:br[@w:type='page']|w:pPr/w:sectPr",
        namespaces=NS))
    return Block("paragraph", where, text=text, style=styles.name(style_id), level=level,
                 list_item=element.find("w:pPr/w:numPr", NS) is not None or styles.numbered(style_id),
                 blank=not has_content)


def _where(element: Any, where_of: dict[Any, str]) -> str:
    """The location of the paragraph or table holding an element (or, for a control that
    holds whole paragraphs, of its first paragraph)."""
    for candidate in [element, *element.iterancestors(), *element.iter(w("p"))]:
        if candidate in where_of:
            return where_of[candidate]
    return ""


def _first_text(root: Any, path: str) -> str:
    found = root.find(path, NS) if root is not None else None
    return (found.text or "").strip() if found is not None else ""


@rule("docx.title", ERROR, DOCUMENT,
      title="The document has a title",
      why="Screen readers announce the document's title, and the PDF shows it in the window bar; "
          "without it readers hear the file name.",
      fix="Rebuild with msgen build, which sets the title from statement.title; in Word: File > Info > Title.",
      source=ACCESSIBILITY, versions=BOTH)
def title(subject: Subject) -> Iterator[Hit]:
    document = subject.document
    if not document.title:
        yield document.path.name, "the document's title property is empty"


@rule("docx.language", ERROR, DOCUMENT,
      title="The document's language is set",
      why="Screen readers choose their voice and pronunciation from the document language; spell "
          "checking needs it too.",
      fix="Rebuild with msgen build (it sets English (UK)); in Word: Review > Language > Set Proofing "
          "Language, select all, English (United Kingdom), Set As Default.",
      source=ACCESSIBILITY, versions=BOTH)
def language(subject: Subject) -> Iterator[Hit]:
    document = subject.document
    if not document.language:
        yield document.path.name, "the document's default language is not set"


@rule("docx.heading-one", ERROR, DOCUMENT,
      title="One title (level-1 heading)",
      why="Assistive technology and the HTML and PDF versions expect one top-level heading, the "
          "document's title, with every section below it.",
      fix="Use the Title style once, for the document's title, and Heading 1 to 3 for sections.",
      source=ACCESSIBILITY, versions=BOTH)
def heading_one(subject: Subject) -> Iterator[Hit]:
    document = subject.document
    tops = [b for b in document.blocks if b.level == 1]
    if not tops:
        yield document.path.name, "the document has no title paragraph (Title style)"
    for extra in tops[1:]:
        yield extra.where, "a second title paragraph (Title style); use Heading 1 for a section"


@rule("docx.heading-order", ERROR, DOCUMENT,
      title="No heading levels are skipped",
      why="Screen-reader users move by heading level; a Heading 3 straight after a Heading 1 hides "
          "that part from them.",
      fix="Use the next heading level down (Heading 2 after Heading 1).",
      source=ACCESSIBILITY, versions=BOTH)
def heading_order(subject: Subject) -> Iterator[Hit]:
    previous = 0
    for block in subject.document.blocks:
        if block.level is None:
            continue
        if block.level > previous + 1:
            yield block.where, f"a {block.style} follows a level-{previous} heading, skipping a level"
        previous = block.level


@rule("docx.alt-text", ERROR, DOCUMENT,
      title="Every image has alternative text",
      why="A screen reader can only say what an image shows (e.g. a signature) if it has alternative text.",
      fix="Give the image alternative text (signatories[].signature_image.alt_text); in Word: right "
          "click > View Alt Text, or mark it decorative.",
      source=ACCESSIBILITY, versions=BOTH)
def alt_text(subject: Subject) -> Iterator[Hit]:
    for where, alt in subject.document.images:
        if not alt:
            yield where, "an image has no alternative text"


@rule("docx.table-header", ERROR, DOCUMENT,
      title="Every table has a header row",
      why="Screen readers read each cell with its column heading, and a long table repeats its header "
          "on every page, only when the first row is marked as a header row.",
      fix="In Word: select the first row, Table Properties > Row > 'Repeat as header row at the top of each page'.",
      source=ACCESSIBILITY, versions=BOTH)
def table_header(subject: Subject) -> Iterator[Hit]:
    for block in subject.document.blocks:
        if block.kind == "table" and not block.header_row:
            yield block.where, "the table's first row is not marked as a header row"


@rule("docx.empty-paragraph", WARNING, DOCUMENT,
      title="No empty paragraphs used as spacing",
      why="Screen readers announce each empty paragraph as 'blank'; spacing belongs in the paragraph "
          "style (space before and after).",
      fix="Delete the empty paragraph; change the style's spacing instead (Paragraph > Spacing).",
      source=ACCESSIBILITY, versions=BOTH)
def empty_paragraph(subject: Subject) -> Iterator[Hit]:
    blocks = [b for b in subject.document.blocks if b.kind != "cell"]
    for block in blocks[:-1]:
        if block.kind == "paragraph" and block.blank:
            yield block.where, "an empty paragraph"


@rule("docx.leftover-tags", ERROR, DOCUMENT,
      title="No template tags left in the document",
      why="'{{', '{%' or '}}' in a built document means a template tag was mistyped or split by Word "
          "and printed instead of filled in.",
      fix="Correct the tag in the template (type it again in one go, without formatting changes "
          "inside it), then rebuild.",
      source="msgen templates (docxtpl)", versions=BOTH)
def leftover_tags(subject: Subject) -> Iterator[Hit]:
    document = subject.document
    for where, text in document.texts + document.margins:
        found = _LEFTOVER_TAG.search(text)
        if found:
            yield where, f"contains the template tag '{found.group()}'"


def _difference(document_text: str, profile_text: str) -> str | None:
    """Where the two texts part (spacing aside), quoted from there; None when they agree."""
    ours, theirs = " ".join(document_text.split()), " ".join(profile_text.split())
    if ours == theirs:
        return None
    start = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
    start = max(0, ours.rfind(" ", 0, max(start - 10, 0)) + 1)
    lead = "…" if start else ""
    return f"reads '{lead}{_quote(ours[start:])}' where the profile says '{lead}{_quote(theirs[start:])}'"


@rule("docx.matches-profile", ERROR, DOCUMENT,
      title="The document says what its profile says",
      why="Text edited in Word after building is lost at the next build and is not what was approved "
          "in the profile; each msgen field in the document must match the profile it came from.",
      fix="Rebuild from the profile; to keep the Word edits, copy them into the profile first.",
      source="msgen build (content controls tagged with profile paths)", versions=BOTH)
def matches_profile(subject: Subject) -> Iterator[Hit]:
    document = subject.document
    if not document.controls:
        yield document.path.name, "the document has no msgen fields, so it cannot be compared with the profile"
    for (where, tag), text in _field_texts(document.controls).items():
        expected = value_at(subject.written_data, parse_path(tag))
        if expected is None:
            yield where, f"the field {tag} is not in the profile {subject.profile.path.name}"
            continue
        if subject.profile.version == 2 and isinstance(expected, str):
            from msgen.document.sections import cell_words, dates_written, msgen_words, spans
            from msgen.profile.languages import ENGLISH, WELSH

            printed_in = WELSH if document.language.lower().startswith(WELSH) else ENGLISH
            codes = cell_words(msgen_words(printed_in)).get(str(parse_path(tag)[-1]), {})
            expected = codes.get(expected, expected)  # codes in the document's words
            expected = "".join(span["text"] for span in spans(expected, tag))  # as printed: no ** or [](…)
            undated = dates_written(subject.data)  # a draft prints the body's approval date as a blank
            if undated and not _difference(text, undated.sub("", expected)):
                continue
        difference = _difference(text, str(expected))
        if difference:
            yield where, f"{tag} {difference}"


def _field_texts(controls: tuple[tuple[str, str, str], ...]) -> dict[tuple[str, str], str]:
    """Each field's text in each paragraph: a version-2 paragraph with bold words or a link
    prints one field as several controls (one a run of formatting), read here as one."""
    texts: dict[tuple[str, str], str] = {}
    for where, tag, text in controls:
        texts[where, tag] = texts.get((where, tag), "") + text
    return texts


@rule("docx.profile-hash", WARNING, DOCUMENT,
      title="The document was built from this version of the profile",
      why="A document built from an earlier version of the profile may miss later changes, even "
          "where the fields it shows still match.",
      fix="Rebuild the document from the profile.",
      source="msgen build record (custom document property msgen.profile_sha256: the SHA-256 of the profile file)",
      versions=BOTH)
def profile_hash(subject: Subject) -> Iterator[Hit]:
    document = subject.document
    recorded = document.properties.get(PROFILE_HASH_PROPERTY)
    from msgen.document.buildrecord import STATEMENT_PARTS, sha256_of

    profile = subject.profile
    if recorded and recorded not in {sha256_of([profile.path, *profile.included_files(*parts)])
                                     for parts in (STATEMENT_PARTS, ())}:  # a statement's, a charter's
        yield document.path.name, f"built from a different version of {subject.profile.path.name}"


@rule("docx.voluntary", ERROR, DOCUMENT,
      title="A voluntary statement says it is voluntary",
      why="A police, PCC or fire statement is published voluntarily; the Home Office and the registry "
          "ask a voluntary statement to say so, so readers do not take it for one made under section 54.",
      fix="Keep msgen's sentence on the legal basis in the statement template (it says the statement "
          "is published voluntarily), then rebuild.",
      source=f"{HOME_OFFICE}; {REGISTRY}")
def voluntary(subject: Subject) -> Iterator[Hit]:
    document = subject.document
    is_statement = any(tag == "statement.title" for _, tag, _ in document.controls)
    if (is_statement and subject.data["statement"]["legal_basis"] == "voluntary"
            and not any("voluntar" in text.casefold() for _, text in document.texts)):
        yield document.path.name, "the statement is voluntary (legal_basis: voluntary) but never says so"


@rule("docx.lost-list", ERROR, DOCUMENT,
      title="No paragraph ends in ':' without its list",
      why="A paragraph that introduces a list and is followed by ordinary text reads as a document "
          "that lost its content.",
      fix="Add the list after the paragraph (List Bullet or List Number style), or end it with a full stop.",
      source="BHRRC / WikiRate Walk Free MSA metrics", versions=BOTH)
def lost_list(subject: Subject) -> Iterator[Hit]:
    blocks = [b for b in subject.document.blocks if b.kind != "cell"]
    for block, following in zip(blocks, blocks[1:] + [None]):
        if block.kind == "paragraph" and block.level is None and block.text.rstrip().endswith(":"):
            if following is None or not _introduced(following):
                yield block.where, "ends with ':' but no list or table follows it"


# What a paragraph ending in ':' may introduce besides a list or table, as quality.lost-list
# allows in a profile: a quotation, a definition, or sub-headings ("… four key areas:").
_INTRODUCED_STYLES = {"quote", "intense quote", "list continue"}


def _introduced(block: Block) -> bool:
    return (block.kind == "table" or block.list_item or block.level is not None
            or block.style.lower() in _INTRODUCED_STYLES)


@rule("docx.empty-section", WARNING, DOCUMENT,
      title="No empty sections",
      why="A heading with nothing under it reads as lost content.",
      fix="Add the section's content, or remove the heading.",
      source="BHRRC / WikiRate Walk Free MSA metrics", versions=BOTH)
def empty_section(subject: Subject) -> Iterator[Hit]:
    blocks = [b for b in subject.document.blocks if not b.blank]
    for block, following in zip(blocks, blocks[1:] + [None]):
        if block.level is not None and block.level > 1 and (
                following is None or (following.level is not None and following.level <= block.level)):
            yield block.where, f"the heading '{_quote(block.text)}' has nothing under it"
