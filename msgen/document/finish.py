"""Finish a rendered .docx: the parts of a published document that no template can set.

Pure bytes → bytes, so the same rendered document and properties always give the same
file. In order:

- profile fields (marked by msgen.document.fields) become Word content controls tagged with
  their profile path, and no marker character is left anywhere;
- the proofing language is the document's (en-GB, or cy-GB for a Welsh one) in the styles,
  where Word and screen readers look;
- what the OOXML schema requires and python-docx's stock template lacks is added;
- every separate run of "List Number" paragraphs starts again at 1;
- small tables are kept on one page, and no list item stands alone at the foot or
  head of a page;
- a draft gets its notice ("DRAFT — not approved", or the document language's words) as the
  first paragraph of its text (read by screen readers, which skip headers) and at the top of
  every page;
- the document properties are written in code (title, subject, author, keywords,
  language, dates from the approval date), replacing whatever the template carried;
- custom properties (msgen's build record) are added to any the template carries;
- python-docx's leftovers (thumbnail, Word 2010 styles copy) are dropped;
- the package is zipped again with fixed dates and order, so that builds are
  byte-identical on any day.

The PDF's copy of a finished document also gets its typed web addresses made links
(`link_web_addresses`).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from msgen.cache import cache_folder, read_entry, write_entry
from msgen.document.fields import CLOSE, MID, OPEN
from msgen.ooxml import (CORE_PROPERTIES, DOCUMENT_RELS, MAIN_DOCUMENT, NS, PACKAGE_RELS, RELATIONSHIP_TYPE, STYLES,
                         TEXT_PARTS, Element, Package, SubElement, XmlElement, add_to_every_header, content_control,
                         parse, serialize, set_custom_properties, style_chain, styles_by_id, text_element, w)

DRAFT_TEXT = "DRAFT — not approved"
LANGUAGE = "en-GB"
CATEGORY = "Modern slavery statement"
# Parts a published document does without: python-docx's stock thumbnail (a picture of its
# own blank page) and Word 2010's copy of the styles (later Word ignores it; left in, it
# keeps python-docx's en-US styles and doubles the file's size).
LEFTOVER_RELS = {
    PACKAGE_RELS: RELATIONSHIP_TYPE.THUMBNAIL,
    DOCUMENT_RELS: "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
}
_MARKERS = tuple(m.encode("utf-8") for m in (OPEN, MID, CLOSE))
_FIELD = re.compile(f"{OPEN}([^{MID}]*){MID}([^{CLOSE}]*){CLOSE}")
_STRAY_MARKER = re.compile(f"{OPEN}[^{MID}{CLOSE}]*{MID}|[{OPEN}{MID}{CLOSE}]")
# A web address ends before a space and before punctuation that closes its sentence.
_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"]*[^\s<>\".,;:!?)\]'’”]")
HYPERLINK_STYLE_ID = "Hyperlink"
HYPERLINK_STYLE = (
    f'<w:style xmlns:w="{NS["w"]}" w:type="character" w:styleId="{HYPERLINK_STYLE_ID}">'
    '<w:name w:val="Hyperlink"/><w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/>'
    '<w:unhideWhenUsed/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>')
_LIST_NUMBER = re.compile(r"^list number( \d)?$", re.IGNORECASE)
_APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>msgen</Application></Properties>"
)


def finish_docx(docx: bytes, *, properties: Mapping[str, str], draft: bool = False,
                custom_properties: Mapping[str, str] | None = None,
                branding: Mapping[str, Any] | None = None, language: str = LANGUAGE,
                draft_notice: str = DRAFT_TEXT) -> bytes:
    """The finished document. `properties` holds title, subject, author, keywords and
    date (YYYY-MM-DD, the approval date), all plain strings; `custom_properties` are
    set as custom document properties (text); `branding` may give an `accent_colour`
    ("#RRGGBB") and a `font` for the styles; `language` is the document's ("cy-GB" for a
    Welsh one), in its properties and as the styles' proofing language; a draft says
    `draft_notice` (in the document's language) at the top of every page and of its text."""
    date = dt.date.fromisoformat(properties["date"])
    package = Package(docx)
    _fields_to_content_controls(package)
    _drop_empty_runs(package)
    _set_style_language(package, language)
    if branding and (branding.get("accent_colour") or branding.get("font")):
        _brand_styles(package, branding.get("accent_colour", ""), branding.get("font", ""))
    _set_zoom_percent(package)
    _restart_numbered_lists(package)
    _keep_together(package)
    if draft:
        add_to_every_header(package, _draft_paragraph(draft_notice))
        _put_first_in_body(package, _draft_paragraph(draft_notice))
    _set_properties(package, properties, date, draft, language)
    if custom_properties:
        set_custom_properties(package, custom_properties)
    _drop_leftovers(package)
    return package.zipped(date)


# -- profile fields → content controls -----------------------------------------------------

def _fields_to_content_controls(package: Package) -> None:
    """Each marked field becomes a plain-text content control tagged with its profile path;
    markers anywhere else (attributes, field codes) are removed, keeping the text."""
    marked = [name for name, data in package.parts.items()
              if TEXT_PARTS.match(name) and any(m in data for m in _MARKERS)]
    for name in marked:
        root = package.xml(name)
        runs = dict.fromkeys(text.getparent() for text in root.iter(w("t"))
                             if _FIELD.search(text.text or "") and text.getparent().tag == w("r"))
        for run in runs:
            _split_run(run, _FIELD, lambda field, piece: content_control(field.group(1), piece(field.group(2))))
        _strip_markers(root)


def _spans(text: str, pattern: re.Pattern[str]) -> Iterator[tuple[re.Match[str] | None, str]]:
    """(None, plain text) and (match, its text) pieces of `text`, in order."""
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            yield None, text[position:match.start()]
        yield match, match.group()
        position = match.end()
    if position < len(text):
        yield None, text[position:]


def _split_run(run: XmlElement, pattern: re.Pattern[str],
               wrap: Callable[[re.Match[str], Callable[[str], XmlElement]], XmlElement]) -> None:
    """Replace `run` by [run before][wrapped][run after]..., where `wrap` makes what
    replaces each match of `pattern` from a function giving a run of a text; each piece
    keeps the run's formatting."""
    properties = run.find(w("rPr"))
    pieces: list[XmlElement] = []
    content: list[XmlElement] = []

    def new_run(children: list[XmlElement]) -> XmlElement:
        piece = Element(w("r"), dict(run.attrib))
        if properties is not None:
            piece.append(copy.deepcopy(properties))
        piece.extend(children)
        return piece

    for child in run:
        if child is properties:
            continue
        if child.tag != w("t") or not pattern.search(child.text or ""):
            content.append(child)
            continue
        for match, text in _spans(child.text, pattern):
            if match is None:
                content.append(text_element(text))
                continue
            if content:
                pieces.append(new_run(content))
                content = []
            pieces.append(wrap(match, lambda shown: new_run([text_element(shown)])))
    if content:
        pieces.append(new_run(content))
    parent = run.getparent()
    index = parent.index(run)
    parent.remove(run)
    for offset, piece in enumerate(pieces):
        parent.insert(index + offset, piece)


# -- web addresses → hyperlinks ------------------------------------------------------------------

def link_web_addresses(docx: bytes) -> bytes:
    """The document with each web address typed as text in its body (a version-1
    profile's URLs, or one in a paragraph's words) made a hyperlink in the Hyperlink
    style, for the PDF's copy: there it becomes a link annotation screen readers
    announce. The .docx keeps them as text because its profile fields are plain-text
    content controls, and LibreOffice 7.4, re-saving a reviewed .docx, loses or mangles
    a control that holds a link (so `msgen pull` would miss the reviewer's edits)."""
    package = Package(docx)
    if MAIN_DOCUMENT not in package:
        return docx
    runs = dict.fromkeys(text.getparent() for text in package.xml(MAIN_DOCUMENT).xpath(
        "//w:r[not(ancestor::w:hyperlink)]/w:t[contains(., 'http://') or contains(., 'https://')]",
        namespaces=NS) if _WEB_ADDRESS.search(text.text or ""))
    if not runs:
        return docx
    for run in runs:
        _split_run(run, _WEB_ADDRESS, partial(_hyperlink, package))
    _add_hyperlink_style(package)
    return package.zipped(dt.date(1980, 1, 1))  # a copy made to be converted at once: any date will do


def _hyperlink(package: Package, address: re.Match[str], piece: Callable[[str], XmlElement]) -> XmlElement:
    link = Element(w("hyperlink"), {f"{{{NS['r']}}}id": package.relate(
        DOCUMENT_RELS, RELATIONSHIP_TYPE.HYPERLINK, address.group(), external=True)})
    run = piece(address.group())
    link.append(run)
    _set_property(run, "rPr", Element(w("rStyle"), {w("val"): HYPERLINK_STYLE_ID}))
    return link


def _set_property(element: XmlElement, properties_tag: str, setting: XmlElement, *, after: str = "") -> None:
    """Put `setting` in the element's properties (its first child, `properties_tag`, made
    if missing) in place of any of its kind: first, or right after an `after` there
    (the schema's order)."""
    properties = element.find(w(properties_tag))
    if properties is None:
        properties = Element(w(properties_tag))
        element.insert(0, properties)
    for old in properties.findall(setting.tag):
        properties.remove(old)
    preceding = properties.find(w(after)) if after else None
    properties.insert(0 if preceding is None else properties.index(preceding) + 1, setting)


def _add_hyperlink_style(package: Package) -> None:
    """The Hyperlink character style, when the template has none (version 1's and
    templates exported before it had one)."""
    styles = package.parts.get(STYLES)
    if STYLES not in package or (styles is not None and f'w:styleId="{HYPERLINK_STYLE_ID}"'.encode() in styles):
        return
    root = package.xml(STYLES)
    if not root.xpath("w:style[@w:styleId=$id]", namespaces=NS, id=HYPERLINK_STYLE_ID):
        root.append(parse(HYPERLINK_STYLE.encode()))


def _drop_empty_runs(package: Package) -> None:
    """docxtpl leaves an empty run where each run-level tag (`{%r %}`) stood: nothing a
    reader sees, but clutter in every paragraph of a version-2 statement."""
    if MAIN_DOCUMENT not in package:
        return
    root = package.xml(MAIN_DOCUMENT)
    for run in root.xpath("//w:r[w:t and not(w:t[string()]) and not(*[not(self::w:t or self::w:rPr)])]",
                          namespaces=NS):
        run.getparent().remove(run)


_MARKED = "[contains(., $open) or contains(., $mid) or contains(., $close)]"


def _strip_markers(root: XmlElement) -> None:
    for value in root.xpath(f"//@*{_MARKED}", open=OPEN, mid=MID, close=CLOSE):
        value.getparent().set(value.attrname, _STRAY_MARKER.sub("", value))
    for value in root.xpath(f"//text(){_MARKED}", open=OPEN, mid=MID, close=CLOSE):
        owner = value.getparent()
        if value.is_text:
            owner.text = _STRAY_MARKER.sub("", value)
        else:
            owner.tail = _STRAY_MARKER.sub("", value)


# -- language and schema fixes -----------------------------------------------------------------

_AFTER_LANG = {w(tag) for tag in ("eastAsianLayout", "specVanish", "oMath", "rPrChange")}


def _set_style_language(package: Package, language: str) -> None:
    """`language` as the default language (docDefaults) and in every style that names one."""
    if STYLES not in package or _already_in(language, package.parts.get(STYLES)):
        return
    styles = package.xml(STYLES)
    rpr = _first_child(_first_child(_first_child(styles, "docDefaults"), "rPrDefault"), "rPr")
    if rpr.find(w("lang")) is None:
        lang = Element(w("lang"))
        later = next((child for child in rpr if child.tag in _AFTER_LANG), None)
        if later is None:
            rpr.append(lang)
        else:
            later.addprevious(lang)
    for lang in styles.iter(w("lang")):
        lang.set(w("val"), language)


def _already_in(language: str, styles: bytes | None) -> bool:
    """A quick look that spares parsing large style parts already in `language` (as msgen's
    own templates are in en-GB); anything unusual is left to the full edit."""
    if styles is None:
        return False
    defaults = re.search(rb"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.DOTALL)
    languages = re.findall(rb"<w:lang\b[^>]*>", styles)
    return (defaults is not None and b"<w:lang " in defaults.group()
            and all(f'w:val="{language}"'.encode() in lang for lang in languages))


def _first_child(parent: XmlElement, tag: str) -> XmlElement:
    """The first `tag` child, created as the first child if missing (each element this
    module creates this way comes first in its parent's schema sequence)."""
    found = parent.find(w(tag))
    if found is None:
        found = Element(w(tag))
        parent.insert(0, found)
    return found


def _set_zoom_percent(package: Package) -> None:
    """The schema requires w:zoom's percent, which python-docx's template leaves out and
    Word's validator then reports."""
    settings = package.parts.get("word/settings.xml")
    if settings is not None and b"<w:zoom " in settings and b"w:percent=" not in settings:
        package.xml("word/settings.xml").find(w("zoom")).set(w("percent"), "100")


# -- branding --------------------------------------------------------------------------------

BRANDED_STYLES = ("Title", "Subtitle", "Heading1", "Heading2", "Heading3")  # what the accent colour colours


def _brand_styles(package: Package, accent_colour: str, font: str) -> None:
    """The profile's accent colour on the title and headings, and its font as every style's
    default: a template's styles, so Word's own restyling still works on the result."""
    if STYLES not in package:
        return
    styles = package.xml(STYLES)
    if font:
        fonts = _first_child(_first_child(_first_child(_first_child(styles, "docDefaults"), "rPrDefault"), "rPr"),
                             "rFonts")
        for theme_font in [name for name in fonts.attrib if name.endswith("Theme")]:  # a theme font wins
            del fonts.attrib[theme_font]
        for kind in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(w(kind), font)
    if accent_colour:
        by_id = styles_by_id(styles)
        for color in (element for style_id in BRANDED_STYLES if style_id in by_id
                      for element in by_id[style_id].iter(w("color"))):
            color.set(w("val"), accent_colour.removeprefix("#").upper())


# -- numbered lists --------------------------------------------------------------------------

def _restart_numbered_lists(package: Package) -> None:
    """Give each separate run of List Number paragraphs its own numbering instance that
    starts at 1 (sharing one instance, later lists would carry on counting)."""
    if not all(name in package for name in (MAIN_DOCUMENT, "word/numbering.xml", STYLES)):
        return
    styles = package.parts.get(STYLES)
    list_styles = _list_number_styles(styles if styles is not None else serialize(package.xml(STYLES)))
    if not list_styles:
        return
    numbering = package.xml("word/numbering.xml")
    abstract_of = {num.get(w("numId")): num.find(w("abstractNumId")).get(w("val"))
                   for num in numbering.iter(w("num"))}
    for run in _list_runs(package.xml(MAIN_DOCUMENT), list_styles):
        # Usually one list per run; a run mixing List Number styles restarts each of them.
        for num_id in dict.fromkeys(num_id for _, _, num_id in run if num_id in abstract_of):
            numbered = [(p, ilvl) for p, ilvl, other in run if other == num_id]
            instance = _add_list_instance(numbering, abstract_of[num_id], sorted({i for _, i in numbered}))
            for paragraph, ilvl in numbered:
                _set_numbering(paragraph, ilvl, instance)


@lru_cache(maxsize=4)
def _list_number_styles(styles_xml: bytes) -> dict[str, tuple[str, str]]:
    """styleId → (ilvl, numId) of each List Number style that is numbered. Finding them
    means parsing the whole styles part (350 KB in msgen's templates), so the answer is
    remembered: for the next document (a statement and its charter share their styles)
    and, in msgen's cache folder, for the next build."""
    entry = _remembered_styles(styles_xml)
    remembered = read_entry(entry) if entry is not None else None
    if remembered is not None:
        try:
            return {style: (ilvl, num_id) for style, (ilvl, num_id) in json.loads(remembered).items()}
        except (ValueError, TypeError, AttributeError):
            pass  # not an entry this code wrote: work it out again
    found = _find_list_number_styles(styles_xml)
    if entry is not None:
        write_entry(entry, json.dumps(found))
    return found


def _remembered_styles(styles_xml: bytes) -> Path | None:
    """Where the answer for these styles is kept (by the styles' and this code's hash)."""
    folder = cache_folder("styles")
    try:
        code = Path(__file__).read_bytes()
    except OSError:
        folder = None
    return folder / f"{hashlib.sha256(code + styles_xml).hexdigest()}.json" if folder is not None else None


def _find_list_number_styles(styles_xml: bytes) -> dict[str, tuple[str, str]]:
    styles = parse(styles_xml)
    by_id = styles_by_id(styles)
    found = {}
    for style in styles.xpath("w:style[w:name[starts-with(translate(@w:val, 'LISTNUMBER', 'listnumber'),"
                              " 'list number')]]", namespaces=NS):
        if _LIST_NUMBER.match(style.find(w("name")).get(w("val"))):
            # A style's numbering is set on it or on a style it is based on.
            numbered = (_numbering_of(s) for s in style_chain(by_id, style.get(w("styleId"))))
            ilvl, num_id = next((pair for pair in numbered if pair[1] is not None), (None, None))
            if num_id is not None:
                found[style.get(w("styleId"))] = ilvl or "0", num_id
    return found


def _numbering_of(element: XmlElement) -> tuple[str | None, str | None]:
    """(ilvl, numId) set directly on a paragraph or a style (None where not set)."""
    values = [element.find(f"{w('pPr')}/{w('numPr')}/{w(tag)}") for tag in ("ilvl", "numId")]
    ilvl, num_id = (v.get(w("val")) if v is not None else None for v in values)
    return ilvl, num_id


def _list_runs(document: XmlElement, list_styles: Mapping[str, tuple[str, str]]
               ) -> Iterator[list[tuple[XmlElement, str, str]]]:
    """Runs of consecutive List Number paragraphs (siblings with nothing between them),
    each paragraph with the (ilvl, numId) it is numbered with."""
    run: list[tuple[XmlElement, str, str]] = []
    for style in document.iter(w("pStyle")):
        paragraph = style.getparent().getparent()
        if paragraph.tag != w("p") or style.get(w("val")) not in list_styles:
            continue
        style_ilvl, style_num_id = list_styles[style.get(w("val"))]
        ilvl, num_id = _numbering_of(paragraph)
        ilvl, num_id = ilvl or style_ilvl, num_id or style_num_id
        if num_id == "0":  # numbering switched off for this paragraph
            continue
        if run and paragraph.getprevious() is not run[-1][0]:
            yield run
            run = []
        run.append((paragraph, ilvl, num_id))
    if run:
        yield run


def _add_list_instance(numbering: XmlElement, abstract_id: str, levels: list[str]) -> str:
    """A new w:num for `abstract_id` whose `levels` start at 1; returns its numId."""
    instances = numbering.findall(w("num"))
    num_id = str(max((int(n.get(w("numId"))) for n in instances), default=0) + 1)
    instance = Element(w("num"), {w("numId"): num_id})
    SubElement(instance, w("abstractNumId"), {w("val"): abstract_id})
    for level in levels:
        override = SubElement(instance, w("lvlOverride"), {w("ilvl"): level})
        SubElement(override, w("startOverride"), {w("val"): "1"})
    # Schema order: abstractNum*, num*, numIdMacAtCleanup?
    before = instances[-1] if instances else (numbering.findall(w("abstractNum")) or [None])[-1]
    if before is None:
        numbering.insert(0, instance)
    else:
        before.addnext(instance)
    return num_id


_BEFORE_NUMBERING = {w(tag) for tag in ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr",
                                        "widowControl")}


def _set_numbering(paragraph: XmlElement, ilvl: str, num_id: str) -> None:
    """Number the paragraph with list `num_id` at level `ilvl` (w:numPr in schema order)."""
    properties = paragraph.find(w("pPr"))
    for old in properties.findall(w("numPr")):
        properties.remove(old)
    numbering = Element(w("numPr"))
    SubElement(numbering, w("ilvl"), {w("val"): ilvl})
    SubElement(numbering, w("numId"), {w("val"): num_id})
    position = next((i for i, child in enumerate(properties) if child.tag not in _BEFORE_NUMBERING),
                    len(properties))
    properties.insert(position, numbering)


# -- pagination ---------------------------------------------------------------------------------

SMALL_TABLE_ROWS = 6  # a table this short (header row included) is never split across pages
_LIST_STYLE = re.compile(r"^List(Bullet|Number)\d?$")  # the list styles msgen's templates use


def _keep_together(package: Package) -> None:
    """What the templates' styles cannot say, because it depends on the rendered length:
    a small table stays whole (each row kept with the next), and a list's first two and
    last two items stay together, so neither a lone item nor a lone row is left at the
    foot or the head of a page."""
    if MAIN_DOCUMENT not in package:
        return
    root = package.xml(MAIN_DOCUMENT)
    for table in root.iter(w("tbl")):
        rows = table.findall(w("tr"))
        if len(rows) <= SMALL_TABLE_ROWS:
            for row in rows[:-1]:
                for paragraph in row.iter(w("p")):
                    _keep_with_next(paragraph)
    for items in _lists(root):
        for item in {items[0], items[-2]} if len(items) > 1 else ():
            _keep_with_next(item)


def _lists(root: XmlElement) -> Iterator[list[XmlElement]]:
    """Each run of consecutive list paragraphs (numbered directly or by a list style)."""
    items: list[XmlElement] = []
    for paragraph in root.iter(w("p")):
        if not _is_list_item(paragraph):
            continue
        if items and paragraph.getprevious() is not items[-1]:
            yield items
            items = []
        items.append(paragraph)
    if items:
        yield items


def _is_list_item(paragraph: XmlElement) -> bool:
    properties = paragraph.find(w("pPr"))
    if properties is None:
        return False
    style = properties.find(w("pStyle"))
    styled = style is not None and _LIST_STYLE.match(style.get(w("val"), "")) is not None
    return styled or properties.find(w("numPr")) is not None


def _keep_with_next(paragraph: XmlElement) -> None:
    _set_property(paragraph, "pPr", Element(w("keepNext")), after="pStyle")


# -- draft notice ------------------------------------------------------------------------------

def _put_first_in_body(package: Package, paragraph: XmlElement) -> None:
    """The notice as the body's first paragraph: the first thing a reader, a screen reader
    or a text extractor meets, whatever the template puts first."""
    if MAIN_DOCUMENT in package:
        package.xml(MAIN_DOCUMENT).find(w("body")).insert(0, paragraph)


def _draft_paragraph(notice: str) -> XmlElement:
    paragraph = Element(w("p"))
    SubElement(SubElement(paragraph, w("pPr")), w("jc"), {w("val"): "center"})
    run = SubElement(paragraph, w("r"))
    run_properties = SubElement(run, w("rPr"))
    SubElement(run_properties, w("b"))
    SubElement(run_properties, w("color"), {w("val"): "C00000"})
    run.append(text_element(notice))
    return paragraph


# -- document properties and leftovers -----------------------------------------------------------

def _set_properties(package: Package, properties: Mapping[str, str], date: dt.date, draft: bool,
                    language: str) -> None:
    """core.xml written afresh (nothing left from the template's or python-docx's), and an
    app.xml that claims no other program made the file."""
    from docx.opc.coreprops import CoreProperties
    from docx.oxml.coreprops import CT_CoreProperties

    element = CT_CoreProperties.new()
    core = CoreProperties(element)
    # python-docx refuses values over 255 characters; these are only document metadata.
    core.title = properties["title"][:255]
    core.subject = properties["subject"][:255]
    core.author = properties["author"][:255]
    core.keywords = properties["keywords"][:255]
    core.language = language
    core.category = CATEGORY
    core.content_status = "Draft" if draft else "Final"
    core.comments = ""
    core.last_modified_by = "msgen"
    core.revision = 1
    midnight = dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc)
    core.created = midnight
    core.modified = midnight
    package.add(CORE_PROPERTIES, element)
    package.remove("docProps/app.xml")
    package.parts["docProps/app.xml"] = _APP_XML


def _drop_leftovers(package: Package) -> None:
    """Drop the parts LEFTOVER_RELS names, with their relationships and content types."""
    for relationships, kind in LEFTOVER_RELS.items():
        package.drop_related(relationships, kind)
