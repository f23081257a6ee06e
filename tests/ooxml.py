"""Test helper: check a .docx against the ECMA-376 schemas and the OPC packaging rules.

Word refuses ("unreadable content") files that LibreOffice and python-docx open happily,
so the tests validate what msgen writes instead of trusting that it opens somewhere.
"""

from __future__ import annotations

import os
import zipfile
from collections import Counter
from functools import lru_cache
from pathlib import Path

from lxml import etree

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
WML_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml."
PREFIXES = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "w",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships": "r",
    "http://schemas.openxmlformats.org/officeDocument/2006/math": "m",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "a",
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing": "wp",
    "http://schemas.openxmlformats.org/drawingml/2006/picture": "pic",
}


REPO = Path(__file__).resolve().parents[1]
SCHEMA_FILES = ("xml.xsd", "wml.xsd")


def xsd_dir() -> Path:
    """The ECMA-376 schemas: MSGEN_OOXML_XSD, else shared/ooxml-xsd in or beside the clone
    (a worktree here has ../shared; CI copies shared/ beside its clone)."""
    configured = os.environ.get("MSGEN_OOXML_XSD")
    candidates = [Path(configured)] if configured else [
        REPO / "shared" / "ooxml-xsd", REPO.parent / "shared" / "ooxml-xsd"]
    for folder in candidates:
        if all((folder / name).is_file() for name in SCHEMA_FILES):
            return folder
    raise FileNotFoundError(
        f"the WordprocessingML schemas ({', '.join(SCHEMA_FILES)}) are not in "
        f"{' or '.join(map(str, candidates))}: copy the shared/ folder (its ooxml-xsd/) beside the "
        "repository, or set MSGEN_OOXML_XSD to a folder holding the ECMA-376 transitional schemas")


@lru_cache(maxsize=None)
def _schema(folder: Path) -> etree.XMLSchema:
    """Compile wml.xsd (plus the xml: namespace it imports without a location) once."""
    wrapper = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
      <xsd:import namespace="http://www.w3.org/XML/1998/namespace"
                  schemaLocation="{(folder / 'xml.xsd').as_uri()}"/>
      <xsd:import namespace="{next(iter(PREFIXES))}"
                  schemaLocation="{(folder / 'wml.xsd').as_uri()}"/>
    </xsd:schema>"""
    return etree.XMLSchema(etree.XML(wrapper))


def _content_types(zf: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str]]:
    """([Content_Types].xml defaults by lower-case extension, overrides by part name)."""
    root = etree.fromstring(zf.read("[Content_Types].xml"))
    defaults = {
        d.get("Extension", "").lower(): d.get("ContentType", "")
        for d in root.iter(f"{{{CT}}}Default")
    }
    overrides = {
        o.get("PartName", "").lstrip("/"): o.get("ContentType", "")
        for o in root.iter(f"{{{CT}}}Override")
    }
    return defaults, overrides


def _content_type(name: str, defaults: dict[str, str], overrides: dict[str, str]) -> str | None:
    if name in overrides:
        return overrides[name]
    basename = name.rpartition("/")[2]  # "_rels/.rels" has the extension "rels"
    return defaults.get(basename.rpartition(".")[2].lower()) if "." in basename else None


def zip_problems(path: Path) -> list[str]:
    """Packaging faults Word rejects: duplicate zip entries, parts without a content type."""
    with zipfile.ZipFile(path) as zf:
        names = [i.filename for i in zf.infolist()]
        problems = [
            f"zip entry '{n}' occurs {c} times" for n, c in Counter(names).items() if c > 1
        ]
        if "[Content_Types].xml" not in names:
            return problems + ["[Content_Types].xml is missing"]
        defaults, overrides = _content_types(zf)
    problems += [
        f"zip entry '{n}' has no content type in [Content_Types].xml"
        for n in dict.fromkeys(names)
        if n != "[Content_Types].xml"
        and not n.endswith("/")
        and _content_type(n, defaults, overrides) is None
    ]
    return problems


def _apply_markup_compatibility(root: etree._Element) -> None:
    """Do what Word does with mc: markup, so only ECMA-376 content is left to validate.

    Namespaces named in mc:Ignorable are dropped (elements and attributes), and each
    mc:AlternateContent is replaced by the children of its mc:Fallback.
    """
    # One at a time: a Fallback may itself hold AlternateContent, found on a later pass.
    while (alternate := next(root.iter(f"{{{MC}}}AlternateContent"), None)) is not None:
        parent = alternate.getparent()
        fallback = alternate.find(f"{{{MC}}}Fallback")
        index = parent.index(alternate)
        parent.remove(alternate)
        for offset, child in enumerate([] if fallback is None else list(fallback)):
            parent.insert(index + offset, child)
    _drop_ignorable(root, frozenset())


def _drop_ignorable(element: etree._Element, ignorable: frozenset[str]) -> None:
    declared = element.get(f"{{{MC}}}Ignorable")
    if declared:
        ignorable = ignorable | {element.nsmap[p] for p in declared.split() if p in element.nsmap}
    for attribute in list(element.attrib):
        namespace = etree.QName(attribute).namespace
        if namespace == MC or namespace in ignorable:
            del element.attrib[attribute]
    for child in list(element):
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions
        if etree.QName(child).namespace in ignorable:
            element.remove(child)
        else:
            _drop_ignorable(child, ignorable)


def _readable(message: str) -> str:
    for namespace, prefix in PREFIXES.items():
        message = message.replace(f"{{{namespace}}}", f"{prefix}:")
    return message


def validate_docx(path: Path) -> list[str]:
    """Schema errors in every WordprocessingML part of `path` ([] when all are valid).

    Parts are found by their content type, so headers, footers, footnotes, comments
    etc. are checked whatever they are called.
    """
    schema = _schema(xsd_dir())
    errors = []
    with zipfile.ZipFile(path) as zf:
        defaults, overrides = _content_types(zf)
        for name in dict.fromkeys(zf.namelist()):
            content_type = _content_type(name, defaults, overrides) or ""
            if not (content_type.startswith(WML_CONTENT_TYPE) and content_type.endswith("+xml")):
                continue
            try:
                root = etree.fromstring(zf.read(name))
            except etree.XMLSyntaxError as exc:
                errors.append(f"{name}: not well-formed XML: {exc}")
                continue
            _apply_markup_compatibility(root)
            if not schema.validate(root):
                errors += [
                    _readable(f"{name}: {e.path}: {e.message}") for e in schema.error_log
                ]
    return errors
