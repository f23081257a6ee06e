"""Office Open XML: the one place msgen opens, parses and writes a .docx package.

A .docx is a zip of XML parts. Every module that reads or changes one comes here, so
the limits that keep a hostile file harmless hold everywhere: entries and inflated
sizes are bounded (declared sizes and, while inflating, real ones: declared sizes can
lie), XML is parsed without entities or network, and packages are written with fixed
dates, order and compression so that the same parts always give the same bytes.
Namespaces and relationship types come from python-docx where it names them.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import posixpath
import re
import zipfile
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, Mapping

from docx.opc.constants import CONTENT_TYPE, NAMESPACE, RELATIONSHIP_TARGET_MODE, RELATIONSHIP_TYPE
from docx.oxml.ns import nsmap
from lxml import etree

from msgen.errors import NotAPackage, PackageTooLarge

W = nsmap["w"]
R = nsmap["r"]
PKG_RELS = NAMESPACE.OPC_RELATIONSHIPS
CONTENT_TYPES = NAMESPACE.OPC_CONTENT_TYPES
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VARIANT_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
NS = {**{prefix: nsmap[prefix] for prefix in ("w", "wp", "a", "dc", "dcterms", "cp", "r")},
      "v": "urn:schemas-microsoft-com:vml", "op": CUSTOM_NS, "vt": VARIANT_TYPES}
# Element building for the modules that change parts (lxml stays behind this module).
Element = etree.Element
SubElement = etree.SubElement
XmlElement = etree._Element
XML_SPACE = f"{{{nsmap['xml']}}}space"

CONTENT_TYPES_PART = "[Content_Types].xml"
PACKAGE_RELS = "_rels/.rels"
MAIN_DOCUMENT = "word/document.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
STYLES = "word/styles.xml"
CORE_PROPERTIES = "docProps/core.xml"
CUSTOM_PROPERTIES = "docProps/custom.xml"
USER_DEFINED = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id of every user-defined property
# The parts that hold text a reader sees: what docxtpl fills, redline compares, check reads.
TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
MARGIN_PARTS = re.compile(r"word/(header\d*|footer\d*|footnotes|endnotes)\.xml")

# Far above any statement or template (msgen's largest part is 350 KB of styles; a
# signature image is at most 5 MB), far below what would exhaust memory.
MAX_ENTRIES = 2_000
MAX_PART_BYTES = 64 * 2**20
MAX_PACKAGE_BYTES = 256 * 2**20
_CHUNK = 2**20

# What reading a damaged package raises, for the readers that say so in their own words.
DAMAGED = (NotAPackage, KeyError, StopIteration, etree.XMLSyntaxError)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_SAFE_LINKS = ("http://", "https://", "mailto:")
_NETWORK_FIELD = re.compile(r"\b(INCLUDEPICTURE|INCLUDETEXT)\b", re.IGNORECASE)


def w(tag: str) -> str:
    """The Clark name of a WordprocessingML tag: w("p") is "{...main}p"."""
    return f"{{{W}}}{tag}"


def parse(data: bytes) -> etree._Element:
    """An XML part, parsed without entities, network or huge-tree allowances."""
    return etree.fromstring(data, _PARSER)


def serialize_element(element: etree._Element) -> str:
    """An element's XML as text, to splice into another part."""
    return etree.tostring(element, encoding="unicode")


def serialize(root: etree._Element) -> bytes:
    """A part's XML as Word writes it. Declarations repeated on inner elements (docxtpl's
    spliced XML) go; the root's stay, because mc:Ignorable may name prefixes nothing
    else uses."""
    prefixed = {prefix: uri for prefix, uri in root.nsmap.items() if prefix}
    etree.cleanup_namespaces(root, top_nsmap=prefixed, keep_ns_prefixes=list(prefixed))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# -- reading a package -------------------------------------------------------------------------

def _everything(name: str) -> bool:
    return True


def read_parts(source: bytes | Path | IO[bytes], *, file: Path | str | None = None,
               wanted: Callable[[str], object] = _everything) -> dict[str, bytes]:
    """name → bytes of the package's parts that `wanted` accepts, in the zip's order (a
    name stored twice keeps its last copy, as readers do). Raises NotAPackage for what
    is not a zip, PackageTooLarge for a package past the limits."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
            entries = _bounded_entries(archive, file)
            parts: dict[str, bytes] = {}
            budget = MAX_PACKAGE_BYTES
            for info in entries:
                if wanted(info.filename):
                    parts[info.filename] = _inflate(archive, info, min(budget, MAX_PART_BYTES), file)
                    budget -= len(parts[info.filename])
            return parts
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError) as exc:
        raise NotAPackage(f"not a readable zip package: {exc}", file=file) from None


def check_bounds(source: bytes | Path | IO[bytes], *, file: Path | str | None = None) -> None:
    """Refuse a package past the limits before another library (python-docx, docxtpl)
    opens it: those read every part whole, and zip readers stop at the declared size."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
            _bounded_entries(archive, file)
    except zipfile.BadZipFile as exc:
        raise NotAPackage(f"not a readable zip package: {exc}", file=file) from None


def _bounded_entries(archive: zipfile.ZipFile, file: Path | str | None) -> list[zipfile.ZipInfo]:
    entries = [info for info in archive.infolist() if not info.is_dir()]
    if len(entries) > MAX_ENTRIES:
        raise _too_large(f"it holds {len(entries):,} parts; at most {MAX_ENTRIES:,}", file)
    for info in entries:
        if info.file_size > MAX_PART_BYTES:
            raise _too_large(f"its part {info.filename} expands to {info.file_size / 2**20:,.0f} MB; "
                             f"at most {MAX_PART_BYTES // 2**20} MB", file)
    if sum(info.file_size for info in entries) > MAX_PACKAGE_BYTES:
        raise _too_large(f"its parts expand to more than {MAX_PACKAGE_BYTES // 2**20} MB", file)
    return entries


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, file: Path | str | None) -> bytes:
    """The part's bytes, refused as soon as more than `limit` come out."""
    out = bytearray()
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            out += chunk
            if len(out) > limit:
                raise _too_large(f"its part {info.filename} expands past {limit // 2**20} MB", file)
    return bytes(out)


def _too_large(why: str, file: Path | str | None) -> PackageTooLarge:
    return PackageTooLarge(f"this Word document is too large to open safely: {why}", file=file,
                           fix="give the .docx msgen or Word wrote; a file this size is damaged or hostile")


# -- writing a package -------------------------------------------------------------------------

FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # for packages another step unpacks at once: any fixed date will do


def package_order(names: Iterable[str]) -> list[str]:
    """[Content_Types].xml first (as the OPC spec asks), then by name."""
    return sorted(names, key=lambda name: (name != CONTENT_TYPES_PART, name))


def zip_parts(parts: Mapping[str, bytes], *, date: dt.date | tuple[int, int, int, int, int, int], compress: bool = True,
              compresslevel: int | None = 3, unix_mode: int | None = None) -> bytes:
    """The parts zipped in the mapping's order with one fixed timestamp, so the same parts
    always give the same bytes; `unix_mode` set records Unix permissions (the committed
    templates carry them), else the entry is marked as written on DOS."""
    stamp = date if isinstance(date, tuple) else (*_zip_date(date), 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            if unix_mode is None:
                info.create_system = 0
                info.external_attr = 0
            else:
                info.external_attr = unix_mode << 16
            archive.writestr(info, data, compresslevel=compresslevel if compress else None)
    return out.getvalue()


def _zip_date(date: dt.date) -> tuple[int, int, int]:
    date = min(max(date, dt.date(1980, 1, 1)), dt.date(2107, 12, 31))  # the years a zip can hold
    return date.year, date.month, date.day


def content_types(parts: Iterable[tuple[str, str]]) -> bytes:
    """[Content_Types].xml for (part name, content type) pairs: a Default for each
    extension the OPC spec gives a default type, an Override for the rest."""
    from docx.opc.oxml import CT_Types, serialize_part_xml
    from docx.opc.spec import default_content_types

    defaults = {"rels": CONTENT_TYPE.OPC_RELATIONSHIPS, "xml": CONTENT_TYPE.XML}
    overrides = {}
    for name, content_type in parts:
        extension = posixpath.splitext(name)[1][1:]
        if (extension.lower(), content_type) in default_content_types:
            defaults[extension.lower()] = content_type
        else:
            overrides["/" + name.lstrip("/")] = content_type
    types = CT_Types.new()
    for extension in sorted(defaults):
        types.add_default(extension, defaults[extension])
    for name in sorted(overrides):
        types.add_override(name, overrides[name])
    return serialize_part_xml(types)


class Package:
    """A .docx's parts to change, each XML part parsed at most once however many steps
    change it."""

    def __init__(self, docx: bytes) -> None:
        self.parts: dict[str, bytes] = read_parts(docx)
        self.trees: dict[str, etree._Element] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.parts or name in self.trees

    def xml(self, name: str) -> etree._Element:
        """The part's XML, to change in place (plain lxml: python-docx's element classes
        redefine `.text`, which generic steps must not meet)."""
        if name not in self.trees:
            self.trees[name] = parse(self.parts.pop(name))
        return self.trees[name]

    def add(self, name: str, root: etree._Element) -> None:
        self.parts.pop(name, None)
        self.trees[name] = root

    def remove(self, name: str) -> None:
        self.parts.pop(name, None)
        self.trees.pop(name, None)

    def zipped(self, date: dt.date) -> bytes:
        """Deterministic zip: package order, one fixed timestamp (the given date's)."""
        data = {**self.parts, **{name: serialize(root) for name, root in self.trees.items()}}
        return zip_parts({name: data[name] for name in package_order(data)}, date=date)

    def add_part(self, name: str, root: etree._Element, relationships: str, kind: str,
                 content_type: str, target: str) -> str:
        """Add part `name`, a relationship of `kind` from the `relationships` part to
        `target`, and its content type; returns the relationship id."""
        rel_id = self.relate(relationships, kind, target)
        etree.SubElement(self.xml(CONTENT_TYPES_PART), f"{{{CONTENT_TYPES}}}Override",
                         {"PartName": f"/{name}", "ContentType": content_type})
        self.add(name, root)
        return rel_id

    def relate(self, relationships: str, kind: str, target: str, *, external: bool = False) -> str:
        """Add a relationship of `kind` to `target` (a part, or an address outside the
        package) to the `relationships` part; returns its id."""
        rels = self.xml(relationships)
        used_ids = {rel.get("Id") for rel in rels}
        rel_id = next(f"rId{n}" for n in range(1, 10_000) if f"rId{n}" not in used_ids)
        attributes = {"Id": rel_id, "Type": kind, "Target": target}
        if external:
            attributes["TargetMode"] = RELATIONSHIP_TARGET_MODE.EXTERNAL
        etree.SubElement(rels, f"{{{PKG_RELS}}}Relationship", attributes)
        return rel_id

    def drop_related(self, relationships: str, kind: str) -> None:
        """Drop the parts `relationships` relates by `kind`, with the relationships and
        content types."""
        if relationships not in self or kind.encode() not in self.parts.get(relationships, kind.encode()):
            return
        rels = self.xml(relationships)
        dropped = set()
        for rel in [rel for rel in rels if rel.get("Type") == kind]:
            rels.remove(rel)
            dropped.add(resolve_target(relationships, rel.get("Target")))
        if not dropped:
            return
        types = self.xml(CONTENT_TYPES_PART)
        for override in list(types.iter(f"{{{CONTENT_TYPES}}}Override")):
            if override.get("PartName", "").lstrip("/") in dropped:
                types.remove(override)
        for name in dropped:
            self.remove(name)


def resolve_target(rels_name: str, target: str) -> str:
    """The part name a relationship points at (targets are relative to the source part)."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(rels_name.rpartition("_rels/")[0] + target)


def main_document_name(parts: Mapping[str, bytes]) -> str:
    """The main document's part name, as the package relationships say."""
    relationships = parse(parts[PACKAGE_RELS])
    target = next(rel.get("Target") for rel in relationships if rel.get("Type") == RELATIONSHIP_TYPE.OFFICE_DOCUMENT)
    return resolve_target(PACKAGE_RELS, target)


# -- what would reach the network --------------------------------------------------------------

def may_reach_network(name: str) -> bool:
    """Whether a part can hold a relationship, field or altChunk: all but the styles and
    themes, which are most of a template's bytes (skipped, they spare every build a read)."""
    return name.endswith((".rels", ".xml")) and name != STYLES and not name.startswith("word/theme/")


def network_references(parts: Mapping[str, bytes]) -> list[str]:
    """What in the parts would make Word or LibreOffice fetch something: an external
    relationship (other than an http(s) or mailto hyperlink), an INCLUDEPICTURE or
    INCLUDETEXT field, an embedded altChunk. Each as "part: what"."""
    found = []
    for name, data in parts.items():
        if name.endswith(".rels"):
            for rel in parse(data):
                external = rel.get("TargetMode") == RELATIONSHIP_TARGET_MODE.EXTERNAL
                link = rel.get("Type") == RELATIONSHIP_TYPE.HYPERLINK
                target = rel.get("Target", "")
                if link and external and not target.lower().startswith(_SAFE_LINKS):
                    found.append(f"{name}: a link to '{target}' (only http, https and mailto links are allowed)")
                elif external and not link:
                    found.append(f"{name}: an external {rel.get('Type', '').rpartition('/')[2]} at '{target}'")
                elif rel.get("Type") == RELATIONSHIP_TYPE.A_F_CHUNK:
                    found.append(f"{name}: an embedded document (altChunk) at '{target}'")
        elif name.endswith(".xml") and (b"instr" in data or b"altChunk" in data):
            root = parse(data)
            codes = [value for value in root.xpath("//w:fldSimple/@w:instr", namespaces=NS)]
            codes.append("".join(root.xpath("//w:instrText/text()", namespaces=NS)))
            found += [f"{name}: a {match.group(1).upper()} field"
                      for code in codes for match in _NETWORK_FIELD.finditer(code)]
            found += [f"{name}: an embedded document (altChunk)" for _ in root.iter(w("altChunk"))]
    return found


# -- text, content controls, styles ------------------------------------------------------------

def text_element(value: str) -> etree._Element:
    """A w:t that keeps its spaces."""
    element = etree.Element(w("t"))
    element.set(XML_SPACE, "preserve")
    element.text = value
    return element


def content_control(path: str, run: etree._Element) -> etree._Element:
    """A plain-text content control around `run`, tagged (and named) with `path`."""
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


def unwrap_content_controls(root: etree._Element) -> None:
    """Replace each content control (w:sdt) by what it holds."""
    for control in list(root.iter(w("sdt"))):
        parent, content = control.getparent(), control.find(w("sdtContent"))
        position = parent.index(control)
        parent[position:position + 1] = list(content) if content is not None else []


def without_content_controls(docx: bytes) -> bytes:
    """The document with each content control (w:sdt) replaced by what it holds."""
    parts = read_parts(docx)
    for name in filter(TEXT_PARTS.fullmatch, parts):
        root = parse(parts[name])
        unwrap_content_controls(root)
        parts[name] = serialize(root)
    return zip_parts(parts, date=FIXED_DATE)


def paragraph_text(paragraph: etree._Element) -> str:
    """A paragraph's text as shown: tabs as tabs, breaks as new lines."""
    return "".join(node.text or "" if node.tag == w("t") else ("\t" if node.tag == w("tab") else "\n")
                   for node in paragraph.iter(w("t"), w("tab"), w("br")))


def on(switch: etree._Element | None) -> bool:
    """An on/off element such as <w:titlePg/>: on when present, unless its val says off."""
    return switch is not None and switch.get(w("val"), "true") not in ("0", "false", "off")


def style_chain(styles: Mapping[str, etree._Element], style_id: str) -> Iterator[etree._Element]:
    """The style with `style_id`, then each style it is based on (a loop ends the chain)."""
    seen = set()
    while style_id in styles and style_id not in seen:
        seen.add(style_id)
        style = styles[style_id]
        yield style
        based_on = style.find(w("basedOn"))
        style_id = based_on.get(w("val")) if based_on is not None else ""


def styles_by_id(styles: etree._Element | None) -> dict[str, etree._Element]:
    return {s.get(w("styleId")): s for s in styles.iterfind(w("style"))} if styles is not None else {}


# -- custom properties -------------------------------------------------------------------------

def read_custom_properties(parts: Mapping[str, bytes]) -> dict[str, str]:
    """name → text of each custom document property ({} when there are none)."""
    if CUSTOM_PROPERTIES not in parts:
        return {}
    return {prop.get("name"): "".join(prop.itertext()).strip()
            for prop in parse(parts[CUSTOM_PROPERTIES]).iterfind(f"{{{CUSTOM_NS}}}property")}


def set_custom_properties(package: Package, values: Mapping[str, str]) -> None:
    """Set `values` as text custom properties, replacing those of the same name and
    keeping any others the template carries (a sensitivity label, say)."""
    if CUSTOM_PROPERTIES in package:  # python-docx saves only parts that have a relationship
        root = package.xml(CUSTOM_PROPERTIES)
    else:
        root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VARIANT_TYPES})
        package.add_part(CUSTOM_PROPERTIES, root, PACKAGE_RELS, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES,
                         CONTENT_TYPE.OFC_CUSTOM_PROPERTIES, CUSTOM_PROPERTIES)
    for replaced in [p for p in root.iterfind(f"{{{CUSTOM_NS}}}property") if p.get("name") in values]:
        root.remove(replaced)
    for name, value in values.items():
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property", {"fmtid": USER_DEFINED, "pid": "", "name": name})
        etree.SubElement(prop, f"{{{VARIANT_TYPES}}}lpwstr").text = value
    for pid, prop in enumerate(root.iterfind(f"{{{CUSTOM_NS}}}property"), start=2):  # Word numbers them from 2
        prop.set("pid", str(pid))


# -- headers -----------------------------------------------------------------------------------

def add_to_every_header(package: Package, paragraph: etree._Element) -> None:
    """Put `paragraph` at the top of every header of every section, giving a header to
    each kind of page (first, even, default) that would otherwise have none."""
    relationships = package.xml(DOCUMENT_RELS)
    targets = {rel.get("Id"): resolve_target(DOCUMENT_RELS, rel.get("Target"))
               for rel in relationships if rel.get("Type") == RELATIONSHIP_TYPE.HEADER}
    even_pages = "word/settings.xml" in package and on(package.xml("word/settings.xml").find(w("evenAndOddHeaders")))
    inherited: dict[str, str] = {}  # header kind → relationship id in force
    for section in package.xml(MAIN_DOCUMENT).iter(w("sectPr")):
        kinds = ["default"] + (["first"] if on(section.find(w("titlePg"))) else []) \
            + (["even"] if even_pages else [])
        inherited.update({ref.get(w("type"), "default"): ref.get(f"{{{R}}}id")
                          for ref in section.findall(w("headerReference"))})
        for kind in kinds:
            if kind not in inherited:
                inherited[kind] = _new_header(package, targets)
                section.insert(0, etree.Element(w("headerReference"), {w("type"): kind, f"{{{R}}}id": inherited[kind]}))
    for part in dict.fromkeys(targets.values()):
        if part in package:
            package.xml(part).insert(0, copy.deepcopy(paragraph))


def _new_header(package: Package, targets: dict[str, str]) -> str:
    """Add an empty header part; return its relationship id."""
    number = next(n for n in range(1, 1000) if f"word/header{n}.xml" not in package)
    name = f"word/header{number}.xml"
    rel_id = package.add_part(name, etree.Element(w("hdr"), nsmap={"w": W, "r": R}), DOCUMENT_RELS,
                              RELATIONSHIP_TYPE.HEADER, CONTENT_TYPE.WML_HEADER, name.removeprefix("word/"))
    targets[rel_id] = name
    return rel_id
