"""Finish a rendered .docx: the parts of a published document that no template can set.

Pure bytes → bytes, so the same rendered document and properties always give the same
file. In order:

- profile fields (marked by msgen.fields) become Word content controls tagged with
  their profile path, and no marker character is left anywhere;
- the proofing language is en-GB in the styles, where Word and screen readers look;
- what the OOXML schema requires and python-docx's stock template lacks is added;
- every separate run of "List Number" paragraphs starts again at 1;
- a draft gets "DRAFT — not approved" at the top of every page;
- the document properties are written in code (title, subject, author, keywords,
  en-GB, dates from the approval date), replacing whatever the template carried;
- custom properties (msgen's build record) are added to any the template carries;
- python-docx's leftovers (thumbnail, Word 2010 styles copy) are dropped;
- the package is zipped again with fixed dates and order, so that builds are
  byte-identical on any day.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import json
import posixpath
import re
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Mapping

from lxml import etree

from msgen.cache import cache_folder, read_entry, write_entry
from msgen.fields import CLOSE, MID, OPEN

DRAFT_TEXT = "DRAFT — not approved"
LANGUAGE = "en-GB"
CATEGORY = "Modern slavery statement"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
HEADER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
CUSTOM_PROPERTIES = "docProps/custom.xml"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VARIANT_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
USER_DEFINED = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id of every user-defined property
# Parts a published document does without: python-docx's stock thumbnail (a picture of its
# own blank page) and Word 2010's copy of the styles (later Word ignores it; left in, it
# keeps python-docx's en-US styles and doubles the file's size).
LEFTOVER_RELS = {
    "_rels/.rels": "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
    "word/_rels/document.xml.rels": "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
}
MAIN_DOCUMENT = "word/document.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
_MARKERS = tuple(m.encode("utf-8") for m in (OPEN, MID, CLOSE))
_FIELD = re.compile(f"{OPEN}([^{MID}]*){MID}([^{CLOSE}]*){CLOSE}")
_STRAY_MARKER = re.compile(f"{OPEN}[^{MID}{CLOSE}]*{MID}|[{OPEN}{MID}{CLOSE}]")
_RENDERED = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")  # what docxtpl fills
_LIST_NUMBER = re.compile(r"^list number( \d)?$", re.IGNORECASE)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
_APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>msgen</Application></Properties>"
)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def finish_docx(docx: bytes, *, properties: Mapping[str, str], draft: bool = False,
                custom_properties: Mapping[str, str] | None = None) -> bytes:
    """The finished document. `properties` holds title, subject, author, keywords and
    date (YYYY-MM-DD, the approval date), all plain strings; `custom_properties` are
    set as custom document properties (text)."""
    date = dt.date.fromisoformat(properties["date"])
    package = _Package(docx)
    _fields_to_content_controls(package)
    _set_style_language(package)
    _set_zoom_percent(package)
    _restart_numbered_lists(package)
    if draft:
        _add_draft_headers(package)
    _set_properties(package, properties, date, draft)
    if custom_properties:
        _set_custom_properties(package, custom_properties)
    _drop_leftovers(package)
    return package.zipped(date)


class _Package:
    """A .docx's parts, each XML part parsed at most once however many steps change it."""

    def __init__(self, docx: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(docx)) as source:
            # A name stored twice keeps its last copy, as readers do; the output has it once.
            self.parts: dict[str, bytes] = {i.filename: source.read(i) for i in source.infolist() if not i.is_dir()}
        self.trees: dict[str, etree._Element] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.parts or name in self.trees

    def xml(self, name: str) -> etree._Element:
        """The part's XML, to change in place (plain lxml: python-docx's element classes
        redefine `.text`, which the generic steps here must not meet)."""
        if name not in self.trees:
            self.trees[name] = etree.fromstring(self.parts.pop(name), _PARSER)
        return self.trees[name]

    def add(self, name: str, root: etree._Element) -> None:
        self.parts.pop(name, None)
        self.trees[name] = root

    def remove(self, name: str) -> None:
        self.parts.pop(name, None)
        self.trees.pop(name, None)

    def zipped(self, date: dt.date) -> bytes:
        """Deterministic zip: [Content_Types].xml first, then by name; one fixed timestamp."""
        data = {**self.parts, **{name: _serialize(root) for name, root in self.trees.items()}}
        date = min(max(date, dt.date(1980, 1, 1)), dt.date(2107, 12, 31))  # the years a zip can hold
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as package:
            for name in sorted(data, key=lambda name: (name != "[Content_Types].xml", name)):
                info = zipfile.ZipInfo(name, date_time=(date.year, date.month, date.day, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0
                package.writestr(info, data[name], compresslevel=3)
        return out.getvalue()


def _serialize(root: etree._Element) -> bytes:
    # Declarations repeated on inner elements (docxtpl's spliced XML) go; the root's stay,
    # because mc:Ignorable may name prefixes nothing else uses.
    prefixed = {prefix: uri for prefix, uri in root.nsmap.items() if prefix}
    etree.cleanup_namespaces(root, top_nsmap=prefixed, keep_ns_prefixes=list(prefixed))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _resolve_target(rels_name: str, target: str) -> str:
    """The part name a relationship points at (targets are relative to the source part)."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(rels_name.rpartition("_rels/")[0] + target)


# -- profile fields → content controls -----------------------------------------------------

def _fields_to_content_controls(package: _Package) -> None:
    """Each marked field becomes a plain-text content control tagged with its profile path;
    markers anywhere else (attributes, field codes) are removed, keeping the text."""
    marked = [name for name, data in package.parts.items()
              if _RENDERED.match(name) and any(m in data for m in _MARKERS)]
    for name in marked:
        root = package.xml(name)
        runs = dict.fromkeys(text.getparent() for text in root.iter(w("t"))
                             if _FIELD.search(text.text or "") and text.getparent().tag == w("r"))
        for run in runs:
            _split_run(run)
        _strip_markers(root)


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


def control_path(control: etree._Element) -> str | None:
    """The profile path a content control (w:sdt) stands for: its tag, else its alias,
    which LibreOffice keeps when it drops the tag on saving a .docx (7.4 does)."""
    for name in ("tag", "alias"):
        found = control.find(f"{w('sdtPr')}/{w(name)}")
        if found is not None and found.get(w("val")):
            return found.get(w("val"))
    return None


_MARKED = "[contains(., $open) or contains(., $mid) or contains(., $close)]"


def _strip_markers(root: etree._Element) -> None:
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


def _set_style_language(package: _Package) -> None:
    """en-GB as the default language (docDefaults) and in every style that names one."""
    if "word/styles.xml" not in package or _already_en_gb(package.parts.get("word/styles.xml")):
        return
    styles = package.xml("word/styles.xml")
    rpr = _first_child(_first_child(_first_child(styles, "docDefaults"), "rPrDefault"), "rPr")
    if rpr.find(w("lang")) is None:
        lang = etree.Element(w("lang"))
        later = next((child for child in rpr if child.tag in _AFTER_LANG), None)
        if later is None:
            rpr.append(lang)
        else:
            later.addprevious(lang)
    for lang in styles.iter(w("lang")):
        lang.set(w("val"), LANGUAGE)


def _already_en_gb(styles: bytes | None) -> bool:
    """A quick look that spares parsing large style parts already in en-GB (as msgen's
    own templates are); anything unusual is left to the full edit."""
    if styles is None:
        return False
    defaults = re.search(rb"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.DOTALL)
    languages = re.findall(rb"<w:lang\b[^>]*>", styles)
    return (defaults is not None and b"<w:lang " in defaults.group()
            and all(b'w:val="en-GB"' in lang for lang in languages))


def _first_child(parent: etree._Element, tag: str) -> etree._Element:
    """The first `tag` child, created as the first child if missing (each element this
    module creates this way comes first in its parent's schema sequence)."""
    found = parent.find(w(tag))
    if found is None:
        found = etree.Element(w(tag))
        parent.insert(0, found)
    return found


def _set_zoom_percent(package: _Package) -> None:
    """The schema requires w:zoom's percent, which python-docx's template leaves out and
    Word's validator then reports."""
    settings = package.parts.get("word/settings.xml")
    if settings is not None and b"<w:zoom " in settings and b"w:percent=" not in settings:
        package.xml("word/settings.xml").find(w("zoom")).set(w("percent"), "100")


# -- numbered lists --------------------------------------------------------------------------

def _restart_numbered_lists(package: _Package) -> None:
    """Give each separate run of List Number paragraphs its own numbering instance that
    starts at 1 (sharing one instance, later lists would carry on counting)."""
    if not all(name in package for name in (MAIN_DOCUMENT, "word/numbering.xml", "word/styles.xml")):
        return
    styles = package.parts.get("word/styles.xml")
    list_styles = _list_number_styles(styles if styles is not None else _serialize(package.xml("word/styles.xml")))
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
    styles = etree.fromstring(styles_xml, _PARSER)
    found = {}
    for style in styles.xpath("w:style[w:name[starts-with(translate(@w:val, 'LISTNUMBER', 'listnumber'),"
                              " 'list number')]]", namespaces={"w": W}):
        if _LIST_NUMBER.match(style.find(w("name")).get(w("val"))):
            numbering = _style_numbering(styles, style)
            if numbering is not None:
                found[style.get(w("styleId"))] = numbering
    return found


def _style_numbering(styles: etree._Element, style: etree._Element | None) -> tuple[str, str] | None:
    """A style's numbering, set on it or on a style it is based on."""
    seen = set()
    while style is not None and style.get(w("styleId")) not in seen:
        seen.add(style.get(w("styleId")))
        ilvl, num_id = _numbering_of(style)
        if num_id is not None:
            return ilvl or "0", num_id
        based_on = style.find(w("basedOn"))
        found = styles.xpath("w:style[@w:styleId = $id]", namespaces={"w": W},
                             id=based_on.get(w("val"))) if based_on is not None else []
        style = found[0] if found else None
    return None


def _numbering_of(element: etree._Element) -> tuple[str | None, str | None]:
    """(ilvl, numId) set directly on a paragraph or a style (None where not set)."""
    values = [element.find(f"{w('pPr')}/{w('numPr')}/{w(tag)}") for tag in ("ilvl", "numId")]
    ilvl, num_id = (v.get(w("val")) if v is not None else None for v in values)
    return ilvl, num_id


def _list_runs(document: etree._Element, list_styles: Mapping[str, tuple[str, str]]
               ) -> Iterator[list[tuple[etree._Element, str, str]]]:
    """Runs of consecutive List Number paragraphs (siblings with nothing between them),
    each paragraph with the (ilvl, numId) it is numbered with."""
    run: list[tuple[etree._Element, str, str]] = []
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


def _add_list_instance(numbering: etree._Element, abstract_id: str, levels: list[str]) -> str:
    """A new w:num for `abstract_id` whose `levels` start at 1; returns its numId."""
    instances = numbering.findall(w("num"))
    num_id = str(max((int(n.get(w("numId"))) for n in instances), default=0) + 1)
    instance = etree.Element(w("num"), {w("numId"): num_id})
    etree.SubElement(instance, w("abstractNumId"), {w("val"): abstract_id})
    for level in levels:
        override = etree.SubElement(instance, w("lvlOverride"), {w("ilvl"): level})
        etree.SubElement(override, w("startOverride"), {w("val"): "1"})
    # Schema order: abstractNum*, num*, numIdMacAtCleanup?
    before = instances[-1] if instances else (numbering.findall(w("abstractNum")) or [None])[-1]
    if before is None:
        numbering.insert(0, instance)
    else:
        before.addnext(instance)
    return num_id


_BEFORE_NUMBERING = {w(tag) for tag in ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr",
                                        "widowControl")}


def _set_numbering(paragraph: etree._Element, ilvl: str, num_id: str) -> None:
    """Number the paragraph with list `num_id` at level `ilvl` (w:numPr in schema order)."""
    properties = paragraph.find(w("pPr"))
    for old in properties.findall(w("numPr")):
        properties.remove(old)
    numbering = etree.Element(w("numPr"))
    etree.SubElement(numbering, w("ilvl"), {w("val"): ilvl})
    etree.SubElement(numbering, w("numId"), {w("val"): num_id})
    position = next((i for i, child in enumerate(properties) if child.tag not in _BEFORE_NUMBERING),
                    len(properties))
    properties.insert(position, numbering)


# -- draft header ------------------------------------------------------------------------------

def _draft_paragraph() -> etree._Element:
    paragraph = etree.Element(w("p"))
    etree.SubElement(etree.SubElement(paragraph, w("pPr")), w("jc"), {w("val"): "center"})
    run = etree.SubElement(paragraph, w("r"))
    run_properties = etree.SubElement(run, w("rPr"))
    etree.SubElement(run_properties, w("b"))
    etree.SubElement(run_properties, w("color"), {w("val"): "C00000"})
    run.append(_text(DRAFT_TEXT))
    return paragraph


def _add_draft_headers(package: _Package) -> None:
    """Put the draft notice at the top of every header of every section, giving a
    header to each kind of page (first, even, default) that would otherwise have none."""
    relationships = package.xml(DOCUMENT_RELS)
    targets = {rel.get("Id"): _resolve_target(DOCUMENT_RELS, rel.get("Target"))
               for rel in relationships if rel.get("Type") == HEADER_REL}
    even_pages = "word/settings.xml" in package and _on(package.xml("word/settings.xml").find(w("evenAndOddHeaders")))
    inherited: dict[str, str] = {}  # header kind → relationship id in force
    for section in package.xml(MAIN_DOCUMENT).iter(w("sectPr")):
        kinds = ["default"] + (["first"] if _on(section.find(w("titlePg"))) else []) \
            + (["even"] if even_pages else [])
        inherited.update({ref.get(w("type"), "default"): ref.get(f"{{{R}}}id")
                          for ref in section.findall(w("headerReference"))})
        for kind in kinds:
            if kind not in inherited:
                inherited[kind] = _new_header(package, relationships, targets)
                section.insert(0, etree.Element(w("headerReference"),
                                                {w("type"): kind, f"{{{R}}}id": inherited[kind]}))
    for part in dict.fromkeys(targets.values()):
        if part in package:
            package.xml(part).insert(0, _draft_paragraph())


def _new_header(package: _Package, relationships: etree._Element, targets: dict[str, str]) -> str:
    """Add an empty header part, its relationship and content type; return the
    relationship id."""
    number = next(n for n in range(1, 1000) if f"word/header{n}.xml" not in package)
    name = f"word/header{number}.xml"
    rel_id = _add_part(package, relationships, name, HEADER_REL, HEADER_TYPE, name.removeprefix("word/"))
    package.add(name, etree.Element(w("hdr"), nsmap={"w": W, "r": R}))
    targets[rel_id] = name
    return rel_id


def _add_part(package: _Package, relationships: etree._Element, name: str, kind: str,
              content_type: str, target: str) -> str:
    """Register part `name`: a relationship of `kind` to `target`, and its content type;
    returns the relationship id."""
    used_ids = {rel.get("Id") for rel in relationships}
    rel_id = next(f"rId{n}" for n in range(1, 10_000) if f"rId{n}" not in used_ids)
    etree.SubElement(relationships, f"{{{PKG_RELS}}}Relationship",
                     {"Id": rel_id, "Type": kind, "Target": target})
    etree.SubElement(package.xml("[Content_Types].xml"), f"{{{CONTENT_TYPES}}}Override",
                     {"PartName": f"/{name}", "ContentType": content_type})
    return rel_id


def _on(switch: etree._Element | None) -> bool:
    """An on/off element such as <w:titlePg/>: on when present, unless its val says off."""
    return switch is not None and switch.get(w("val"), "true") not in ("0", "false", "off")


# -- document properties and leftovers -----------------------------------------------------------

def _set_properties(package: _Package, properties: Mapping[str, str], date: dt.date, draft: bool) -> None:
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
    package.add("docProps/core.xml", core)
    package.remove("docProps/app.xml")
    package.parts["docProps/app.xml"] = _APP_XML


def _set_custom_properties(package: _Package, values: Mapping[str, str]) -> None:
    """Set `values` as text custom properties, replacing those of the same name and
    keeping any others the template carries (a sensitivity label, say)."""
    if CUSTOM_PROPERTIES in package:  # python-docx saves only parts that have a relationship
        root = package.xml(CUSTOM_PROPERTIES)
    else:
        root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VARIANT_TYPES})
        package.add(CUSTOM_PROPERTIES, root)
        _add_part(package, package.xml("_rels/.rels"), CUSTOM_PROPERTIES, CUSTOM_REL, CUSTOM_TYPE,
                  CUSTOM_PROPERTIES)
    for replaced in [p for p in root.iterfind(f"{{{CUSTOM_NS}}}property") if p.get("name") in values]:
        root.remove(replaced)
    for name, value in values.items():
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property",
                                {"fmtid": USER_DEFINED, "pid": "", "name": name})
        etree.SubElement(prop, f"{{{VARIANT_TYPES}}}lpwstr").text = value
    for pid, prop in enumerate(root.iterfind(f"{{{CUSTOM_NS}}}property"), start=2):  # Word numbers them from 2
        prop.set("pid", str(pid))


def _drop_leftovers(package: _Package) -> None:
    """Drop the parts LEFTOVER_RELS names, with their relationships and content types."""
    dropped = set()
    for rels_name, kind in LEFTOVER_RELS.items():
        if rels_name in package and kind.encode() in package.parts.get(rels_name, kind.encode()):
            relationships = package.xml(rels_name)
            for rel in [rel for rel in relationships if rel.get("Type") == kind]:
                relationships.remove(rel)
                dropped.add(_resolve_target(rels_name, rel.get("Target")))
    if not dropped:
        return
    content_types = package.xml("[Content_Types].xml")
    for override in list(content_types.iter(f"{{{CONTENT_TYPES}}}Override")):
        if override.get("PartName", "").lstrip("/") in dropped:
            content_types.remove(override)
    for name in dropped:
        package.remove(name)
