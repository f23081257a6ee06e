"""Finish a rendered .docx: the parts of a published document that no template can set.

Pure bytes → bytes, so the same rendered document and properties always give the same
file. In order:

- profile fields (marked by msgen.fields) become Word content controls tagged with
  their profile path, and no marker character is left anywhere;
- the document properties are written in code (title, subject, author, keywords,
  en-GB, dates from the approval date), replacing whatever the template carried;
- the proofing language is en-GB in the styles, where Word and screen readers look;
- what the OOXML schema requires and python-docx's stock template lacks is added;
- every separate run of "List Number" paragraphs starts again at 1;
- a draft gets "DRAFT — not approved" at the top of every page;
- the package is zipped again with fixed dates and order, so that builds are
  byte-identical on any day.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import posixpath
import re
import zipfile
from typing import Callable, Iterator, Mapping

from lxml import etree

from msgen.fields import CLOSE, MID, OPEN

Parts = dict[str, bytes]

DRAFT_TEXT = "DRAFT — not approved"
LANGUAGE = "en-GB"
CATEGORY = "Modern slavery statement"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
HEADER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
# Parts a published document does without: python-docx's stock thumbnail (a picture of its
# own blank page) and Word 2010's copy of the styles (later Word ignores it; left in, it
# keeps python-docx's en-US styles and doubles the file's size).
LEFTOVER_RELS = {
    "_rels/.rels": "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
    "word/_rels/document.xml.rels": "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
}
MAIN_DOCUMENT = "word/document.xml"
_MARKERS = tuple(m.encode("utf-8") for m in (OPEN, MID, CLOSE))
_FIELD = re.compile(f"{OPEN}([^{MID}]*){MID}([^{CLOSE}]*){CLOSE}")
_STRAY_MARKER = re.compile(f"{OPEN}[^{MID}{CLOSE}]*{MID}|[{OPEN}{MID}{CLOSE}]")
_RENDERED = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")  # what docxtpl fills
_LIST_NUMBER = re.compile(r"^list number( \d)?$", re.IGNORECASE)
_APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>msgen</Application></Properties>"
)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def finish_docx(docx: bytes, *, properties: Mapping[str, str], draft: bool = False) -> bytes:
    """The finished document. `properties` holds title, subject, author, keywords and
    date (YYYY-MM-DD, the approval date), all plain strings."""
    date = dt.date.fromisoformat(properties["date"])
    parts = _read(docx)
    parts = _fields_to_content_controls(parts)
    parts = _with_language(parts)
    parts = _edit(parts, "word/settings.xml", _set_zoom_percent)
    parts = _restart_numbered_lists(parts)
    if draft:
        parts = _with_draft_headers(parts)
    parts = _with_properties(parts, properties, date, draft)
    parts = _without_leftovers(parts)
    return _zip(parts, date)


# -- package in and out ------------------------------------------------------------------

def _read(docx: bytes) -> Parts:
    """Every part by name; a name stored twice keeps its last copy, as readers do."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return {info.filename: package.read(info) for info in package.infolist() if not info.is_dir()}


def _zip(parts: Parts, date: dt.date) -> bytes:
    """Deterministic zip: [Content_Types].xml first, then by name; one fixed timestamp."""
    names = sorted(parts, key=lambda name: (name != "[Content_Types].xml", name))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=(date.year, date.month, date.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            package.writestr(info, parts[name], compresslevel=6)
    return out.getvalue()


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _parse(xml: bytes) -> etree._Element:
    """Plain lxml elements: python-docx's element classes redefine `.text`, which the
    generic steps here must not meet."""
    return etree.fromstring(xml, _PARSER)


def _parse_oxml(xml: bytes) -> etree._Element:
    """python-docx's element classes, for the steps that use their schema-aware API."""
    from docx.oxml.parser import parse_xml

    return parse_xml(xml)


def _serialize(root: etree._Element) -> bytes:
    # Declarations repeated on inner elements (docxtpl's spliced XML) go; the root's stay,
    # because mc:Ignorable may name prefixes nothing else uses.
    etree.cleanup_namespaces(root, top_nsmap=dict(root.nsmap), keep_ns_prefixes=list(root.nsmap))
    return _to_bytes(root)


def _to_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _edit(parts: Parts, name: str, change: Callable[[etree._Element], object]) -> Parts:
    """`parts` with the XML part `name` changed in place by `change` (absent: unchanged)."""
    if name not in parts:
        return parts
    root = _parse(parts[name])
    change(root)
    return {**parts, name: _serialize(root)}


def _relationships_name(part: str) -> str:
    folder, _, file = part.rpartition("/")
    return f"{folder}/_rels/{file}.rels" if folder else f"_rels/{file}.rels"


# -- profile fields → content controls -----------------------------------------------------

def _fields_to_content_controls(parts: Parts) -> Parts:
    """Each marked field becomes a plain-text content control tagged with its profile path;
    markers anywhere else (attributes, field codes) are removed, keeping the text."""
    marked = {name: data for name, data in parts.items()
              if _RENDERED.match(name) and any(m in data for m in _MARKERS)}
    changed = {}
    for name, data in marked.items():
        root = _parse(data)
        runs = dict.fromkeys(text.getparent() for text in root.iter(w("t"))
                             if _FIELD.search(text.text or "") and text.getparent().tag == w("r"))
        for run in runs:
            _split_run(run)
        _strip_markers(root)
        changed[name] = _serialize(root)
    return {**parts, **changed}


def _spans(text: str) -> Iterator[tuple[str | None, str]]:
    """(None, plain text) and (path, field text) pieces of a marked string, in order."""
    position = 0
    for match in _FIELD.finditer(text):
        if match.start() > position:
            yield None, text[position:match.start()]
        yield match.group(1), match.group(2)
        position = match.end()
    if position < len(text):
        yield None, text[position:]


def _split_run(run: etree._Element) -> None:
    """Replace `run` by [run before][content control][run after]..., each piece keeping
    the run's formatting."""
    properties = run.find(w("rPr"))
    pieces: list[etree._Element] = []
    content: list[etree._Element] = []

    def new_run(children: list[etree._Element]) -> etree._Element:
        piece = etree.Element(w("r"), dict(run.attrib))
        if properties is not None:
            piece.append(copy.deepcopy(properties))
        piece.extend(children)
        return piece

    for child in run:
        if child is properties:
            continue
        if child.tag != w("t") or not _FIELD.search(child.text or ""):
            content.append(child)
            continue
        for path, text in _spans(child.text):
            if path is None:
                content.append(_text(text))
                continue
            if content:
                pieces.append(new_run(content))
                content = []
            pieces.append(_content_control(path, new_run([_text(text)])))
    if content:
        pieces.append(new_run(content))
    parent = run.getparent()
    index = parent.index(run)
    parent.remove(run)
    for offset, piece in enumerate(pieces):
        parent.insert(index + offset, piece)


def _text(value: str) -> etree._Element:
    element = etree.Element(w("t"))
    element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    element.text = value
    return element


def _content_control(path: str, run: etree._Element) -> etree._Element:
    control = etree.Element(w("sdt"))
    settings = etree.SubElement(control, w("sdtPr"))
    etree.SubElement(settings, w("alias"), {w("val"): path})
    etree.SubElement(settings, w("tag"), {w("val"): path})
    etree.SubElement(settings, w("text"))
    etree.SubElement(control, w("sdtContent")).append(run)
    return control


def _strip_markers(root: etree._Element) -> None:
    for element in root.iter(tag=etree.Element):
        for attribute, value in element.attrib.items():
            if any(m in value for m in (OPEN, MID, CLOSE)):
                element.set(attribute, _STRAY_MARKER.sub("", value))
        for kind in ("text", "tail"):
            value = getattr(element, kind)
            if value and any(m in value for m in (OPEN, MID, CLOSE)):
                setattr(element, kind, _STRAY_MARKER.sub("", value))


# -- language ------------------------------------------------------------------------------

_AFTER_LANG = {w(tag) for tag in ("eastAsianLayout", "specVanish", "oMath", "rPrChange")}


def _with_language(parts: Parts) -> Parts:
    if "word/styles.xml" not in parts or _already_en_gb(parts["word/styles.xml"]):
        return parts
    return _edit(parts, "word/styles.xml", _set_style_language)


def _already_en_gb(styles: bytes) -> bool:
    """A quick look that spares parsing large style parts already in en-GB (as msgen's
    own templates are); anything unusual is left to the full edit."""
    defaults = re.search(rb"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.DOTALL)
    languages = re.findall(rb"<w:lang\b[^>]*>", styles)
    return (defaults is not None and b"<w:lang " in defaults.group()
            and all(b'w:val="en-GB"' in lang for lang in languages))


def _set_style_language(styles: etree._Element) -> None:
    """en-GB as the default language (docDefaults) and in every style that names one."""
    rpr = _first_child(_first_child(_first_child(styles, "docDefaults"), "rPrDefault"), "rPr")
    lang = rpr.find(w("lang"))
    if lang is None:
        lang = etree.Element(w("lang"))
        later = next((child for child in rpr if child.tag in _AFTER_LANG), None)
        if later is None:
            rpr.append(lang)
        else:
            later.addprevious(lang)
    for lang in styles.iter(w("lang")):
        lang.set(w("val"), LANGUAGE)


def _first_child(parent: etree._Element, tag: str) -> etree._Element:
    """The first `tag` child, created as the first child if missing (each element this
    module creates this way comes first in its parent's schema sequence)."""
    found = parent.find(w(tag))
    if found is None:
        found = etree.Element(w(tag))
        parent.insert(0, found)
    return found


def _set_zoom_percent(settings: etree._Element) -> None:
    """The schema requires w:zoom's percent, which python-docx's template leaves out and
    Word's validator then reports."""
    zoom = settings.find(w("zoom"))
    if zoom is not None and zoom.get(w("percent")) is None:
        zoom.set(w("percent"), "100")


# -- numbered lists --------------------------------------------------------------------------

def _restart_numbered_lists(parts: Parts) -> Parts:
    """Give each separate run of List Number paragraphs its own numbering instance that
    starts at 1 (sharing one instance, later lists would carry on counting)."""
    if not {MAIN_DOCUMENT, "word/numbering.xml", "word/styles.xml"} <= parts.keys():
        return parts
    document = _parse_oxml(parts[MAIN_DOCUMENT])
    numbering = _parse_oxml(parts["word/numbering.xml"])
    styles = _parse_oxml(parts["word/styles.xml"])
    abstract_of = {num.numId: num.abstractNumId.val for num in numbering.num_lst}
    changed = False
    for run in _list_runs(document, _list_number_styles(styles)):
        # Usually one list per run; a run mixing List Number styles restarts each of them.
        for num_id in dict.fromkeys(num_id for _, _, num_id in run if num_id in abstract_of):
            numbered = [(p, ilvl) for p, ilvl, other in run if other == num_id]
            instance = numbering.add_num(abstract_of[num_id])
            for ilvl in sorted({ilvl for _, ilvl in numbered}):
                instance.add_lvlOverride(ilvl).add_startOverride(1)
            for paragraph, ilvl in numbered:
                numbering_properties = paragraph.get_or_add_pPr().get_or_add_numPr()
                numbering_properties.get_or_add_ilvl().val = ilvl
                numbering_properties.get_or_add_numId().val = instance.numId
            changed = True
    if not changed:
        return parts
    return {**parts, MAIN_DOCUMENT: _serialize(document), "word/numbering.xml": _serialize(numbering)}


def _list_number_styles(styles: etree._Element) -> dict[str, tuple[int, int]]:
    """styleId → (ilvl, numId) of each List Number style that is numbered."""
    found = {}
    candidates = styles.xpath("w:style[w:name[starts-with(translate(@w:val, 'LISTNUMBER', 'listnumber'),"
                              " 'list number')]]")
    for style in candidates:
        if _LIST_NUMBER.match(style.name_val):
            numbering = _style_numbering(styles, style)
            if numbering is not None:
                found[style.styleId] = numbering
    return found


def _style_numbering(styles: etree._Element, style: etree._Element) -> tuple[int, int] | None:
    seen = set()
    while style is not None and style.styleId not in seen:
        seen.add(style.styleId)
        numbering = style.pPr.numPr if style.pPr is not None else None
        if numbering is not None and numbering.numId is not None:
            return (numbering.ilvl.val if numbering.ilvl is not None else 0), numbering.numId.val
        style = styles.get_by_id(style.basedOn_val) if style.basedOn_val else None
    return None


def _list_runs(document: etree._Element, list_styles: Mapping[str, tuple[int, int]]
               ) -> Iterator[list[tuple[etree._Element, int, int]]]:
    """Runs of consecutive List Number paragraphs (same parent, nothing between them),
    each paragraph with the (ilvl, numId) it is numbered with."""
    if not list_styles:
        return
    for container in dict.fromkeys(p.getparent() for p in document.iter(w("p"))):
        run: list[tuple[etree._Element, int, int]] = []
        for child in container:
            numbering = _paragraph_numbering(child, list_styles) if child.tag == w("p") else None
            if numbering is None:
                if run:
                    yield run
                run = []
            else:
                run.append((child, *numbering))
        if run:
            yield run


def _paragraph_numbering(paragraph: etree._Element, list_styles: Mapping[str, tuple[int, int]]
                         ) -> tuple[int, int] | None:
    style = paragraph.style
    if style not in list_styles:
        return None
    ilvl, num_id = list_styles[style]
    own = paragraph.pPr.numPr if paragraph.pPr is not None else None
    if own is not None:
        ilvl = own.ilvl.val if own.ilvl is not None else ilvl
        num_id = own.numId.val if own.numId is not None else num_id
    return (ilvl, num_id) if num_id else None


# -- draft header ------------------------------------------------------------------------------

_HEADER_XML = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr xmlns:w="{W}" xmlns:r="{R}"/>'
).encode()


def _draft_paragraph() -> etree._Element:
    paragraph = etree.Element(w("p"))
    etree.SubElement(etree.SubElement(paragraph, w("pPr")), w("jc"), {w("val"): "center"})
    run = etree.SubElement(paragraph, w("r"))
    run_properties = etree.SubElement(run, w("rPr"))
    etree.SubElement(run_properties, w("b"))
    etree.SubElement(run_properties, w("color"), {w("val"): "C00000"})
    run.append(_text(DRAFT_TEXT))
    return paragraph


def _with_draft_headers(parts: Parts) -> Parts:
    """Put the draft notice at the top of every header of every section, giving a
    header to each kind of page (first, even, default) that would otherwise have none."""
    rels_name = _relationships_name(MAIN_DOCUMENT)
    document = _parse(parts[MAIN_DOCUMENT])
    relationships = etree.fromstring(parts[rels_name])
    targets = {rel.get("Id"): _resolve_target(rels_name, rel.get("Target"))
               for rel in relationships if rel.get("Type") == HEADER_REL}
    even_pages = _setting_on(parts, "evenAndOddHeaders")
    changed: Parts = {}
    inherited: dict[str, str] = {}  # header kind → relationship id in force
    for section in document.iter(w("sectPr")):
        kinds = ["default"] + (["first"] if _on(section.find(w("titlePg"))) else []) \
            + (["even"] if even_pages else [])
        own = {ref.get(w("type"), "default"): ref.get(f"{{{R}}}id")
               for ref in section.findall(w("headerReference"))}
        inherited.update(own)
        for kind in kinds:
            if kind not in inherited:
                inherited[kind] = own[kind] = _new_header(parts, changed, relationships, targets)
                reference = etree.Element(w("headerReference"), {w("type"): kind, f"{{{R}}}id": own[kind]})
                section.insert(0, reference)
    for part in dict.fromkeys(targets.values()):
        source = changed.get(part, parts.get(part))
        if source is not None:
            header = _parse(source)
            header.insert(0, _draft_paragraph())
            changed[part] = _serialize(header)
    return {**parts, **changed, MAIN_DOCUMENT: _serialize(document),
            rels_name: _to_bytes(relationships),
            "[Content_Types].xml": _with_header_types(parts["[Content_Types].xml"], changed)}


def _new_header(parts: Parts, changed: Parts, relationships: etree._Element,
                targets: dict[str, str]) -> str:
    """Add an empty header part and its relationship; return the relationship id."""
    number = 1
    while f"word/header{number}.xml" in parts or f"word/header{number}.xml" in changed:
        number += 1
    used_ids = {rel.get("Id") for rel in relationships}
    rel_number = 1
    while f"rId{rel_number}" in used_ids:
        rel_number += 1
    rel_id, name = f"rId{rel_number}", f"word/header{number}.xml"
    etree.SubElement(relationships, f"{{{PKG_RELS}}}Relationship",
                     {"Id": rel_id, "Type": HEADER_REL, "Target": name.removeprefix("word/")})
    changed[name] = _HEADER_XML
    targets[rel_id] = name
    return rel_id


def _with_header_types(content_types: bytes, changed: Parts) -> bytes:
    root = etree.fromstring(content_types)
    declared = {o.get("PartName") for o in root.iter(f"{{{CONTENT_TYPES}}}Override")}
    for name in changed:
        if f"/{name}" not in declared:
            etree.SubElement(root, f"{{{CONTENT_TYPES}}}Override",
                             {"PartName": f"/{name}", "ContentType": HEADER_TYPE})
    return _to_bytes(root)


def _setting_on(parts: Parts, setting: str) -> bool:
    return "word/settings.xml" in parts and _on(etree.fromstring(parts["word/settings.xml"]).find(w(setting)))


def _on(switch: etree._Element | None) -> bool:
    """An on/off element such as <w:titlePg/>: on when present, unless its val says off."""
    return switch is not None and switch.get(w("val"), "true") not in ("0", "false", "off")


# -- document properties -----------------------------------------------------------------------

def _with_properties(parts: Parts, properties: Mapping[str, str], date: dt.date, draft: bool) -> Parts:
    """core.xml written afresh (nothing left from the template's or python-docx's), and an
    app.xml that claims no other program made the file."""
    from docx.oxml.coreprops import CT_CoreProperties

    core = CT_CoreProperties.new()
    # python-docx refuses values over 255 characters; these are only document metadata.
    core.title_text = properties["title"][:255]
    core.subject_text = properties["subject"][:255]
    core.author_text = properties["author"][:255]
    core.keywords_text = properties["keywords"][:255]
    core.language_text = LANGUAGE
    core.category_text = CATEGORY
    core.contentStatus_text = "Draft" if draft else "Final"
    core.comments_text = ""
    core.lastModifiedBy_text = "msgen"
    core.revision_number = 1
    midnight = dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc)
    core.created_datetime = midnight
    core.modified_datetime = midnight
    return {**parts, "docProps/core.xml": _to_bytes(core),
            "docProps/app.xml": _APP_XML}


def _without_leftovers(parts: Parts) -> Parts:
    """Drop the parts LEFTOVER_RELS names, with their relationships and content types."""
    dropped: set[str] = set()
    changed: Parts = {}
    for rels_name, kind in LEFTOVER_RELS.items():
        if rels_name not in parts:
            continue
        relationships = etree.fromstring(parts[rels_name])
        leftovers = [rel for rel in relationships if rel.get("Type") == kind]
        for rel in leftovers:
            relationships.remove(rel)
            dropped.add(_resolve_target(rels_name, rel.get("Target")))
        if leftovers:
            changed[rels_name] = _to_bytes(relationships)
    if not dropped:
        return parts
    content_types = etree.fromstring(parts["[Content_Types].xml"])
    for override in list(content_types.iter(f"{{{CONTENT_TYPES}}}Override")):
        if override.get("PartName", "").lstrip("/") in dropped:
            content_types.remove(override)
    changed["[Content_Types].xml"] = _to_bytes(content_types)
    return {name: data for name, data in {**parts, **changed}.items() if name not in dropped}


def _resolve_target(rels_name: str, target: str) -> str:
    """The part name a relationship points at (targets are relative to the source part)."""
    if target.startswith("/"):
        return target.lstrip("/")
    source_folder = rels_name.rpartition("_rels/")[0]
    return posixpath.normpath(source_folder + target)
