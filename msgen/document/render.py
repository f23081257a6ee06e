"""Fill a Word template with a profile's context, in msgen's own sandboxed Jinja environment.

docxtpl does the Word side (it turns the document's XML into Jinja source and back);
msgen supplies the Jinja environment, so that:

- profile text is data: autoescape is on and every printed brace is written as a
  character reference (`&#123;`), so text such as `{{ 7*7 }}` can never become template
  code, even where docxtpl renders a part twice (footnotes) or rewrites `{_{` and `}_}`;
- a missing value is an error naming the template and the field (StrictUndefined),
  never a blank or "None";
- a template cannot reach Python internals (the sandbox);
- the slow part of a render happens once per template, not once per build: docxtpl's
  preparation of the Word XML (patch_xml) is kept in the user's cache folder, and the
  compiled Jinja code in the process and, through Jinja's bytecode cache, in that
  folder too.

Templates include the shared signature block with `{%p include "signature-block.docx" %}`:
the loader serves the body of any .docx in the same folder as the template being rendered.
"""

from __future__ import annotations

import copy
import hashlib
import html
import re
from contextvars import ContextVar
from functools import cache, lru_cache, partial
from pathlib import Path
from types import TracebackType
from typing import Any, Callable, Mapping, MutableMapping

import docxtpl
import jinja2
from markupsafe import Markup, escape

from msgen.document.bounds import BoundedSandbox, rendering_bounds
from msgen.document.finish import DRAFT_TEXT
from msgen.cache import (
    cache_folder,
    read_bytes_entry,
    read_entry,
    write_bytes_entry,
    write_entry,
)
from msgen.errors import MsgenError, NetworkReference, NotAPackage, ProfileError, TemplateBoundExceeded, TemplateError
from msgen.files import MAX_DOCUMENT_BYTES, check_regular

SIGNATURE_WIDTH_MM = 40

_BRACE_REFERENCES = str.maketrans({"{": "&#123;", "}": "&#125;"})

# The folder of the template being rendered: where its `include`d blocks are found.
_templates_folder: ContextVar[Path] = ContextVar("msgen_templates_folder")


class _SignedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates in msgen's private cache folder. Jinja unmarshals and runs the
    code such a file holds, so only entries msgen signed are loaded (msgen/cache.py);
    anything else is compiled afresh."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        compiled = read_bytes_entry(self.folder / f"{bucket.key}.cache")
        if compiled is not None:
            bucket.bytecode_from_string(compiled)  # ignored when compiled by another Jinja or Python

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        write_bytes_entry(self.folder / f"{bucket.key}.cache", bucket.bytecode_to_string())


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    folder = cache_folder("jinja")
    return _SignedBytecodeCache(folder) if folder is not None else None


_patched: dict[str, str] = {}


def _patched_xml(raw: str) -> str:
    """docxtpl's patch_xml(raw), from the cache when this XML was seen before (by this
    docxtpl version). The result is template code, so only an entry msgen signed under
    this name is used (msgen/cache.py)."""
    key = hashlib.sha256(f"{docxtpl.__version__}\n{raw}".encode()).hexdigest()
    if key in _patched:
        return _patched[key]
    folder = cache_folder("docxtpl")
    entry = folder / f"{key}.xml" if folder is not None else None
    patched = read_entry(entry) if entry is not None else None
    if patched is None:
        patched = docxtpl.DocxTemplate.patch_xml(None, raw)
        if entry is not None:
            write_entry(entry, patched)
    _patched[key] = patched
    return patched


class _Template(docxtpl.DocxTemplate):
    """docxtpl's template, opened once per process and copied for each render, and
    preparing its XML through the cache."""

    unchanged: tuple[tuple[Any, bytes], ...] = ()  # (root element, its XML) of parts rendering never changes
    docx: Any  # docxtpl's attributes, which it leaves untyped
    is_rendered: bool

    def init_docx(self, reload: bool = True) -> None:
        if not self.docx or (self.is_rendered and reload):
            path = Path(self.template_file)
            opened, self.unchanged = _opened(path, _stamp(path))
            # The styles are shared, not copied: nothing a template does can change them.
            self.docx = copy.deepcopy(opened, {id(element): element for element, _ in self.unchanged})
            self.is_rendered = False

    def xml_of(self, part: Any) -> bytes:
        """A part's XML as it will be saved (an unchanged part's as serialized once)."""
        element = getattr(part, "element", None)
        return next((xml for kept, xml in self.unchanged if kept is element), None) or part.blob

    def patch_xml(self, src_xml: str) -> str:
        return _patched_xml(src_xml)


@lru_cache(maxsize=8)
def _opened(path: Path, stamp: tuple[int, int]) -> tuple[Any, tuple[tuple[Any, bytes], ...]]:
    """The template as python-docx opens it, to be copied (quicker than parsing ~1 MB of
    XML again for every document of a batch), and the XML of its styles, which rendering
    never changes (`stamp` keys the cache)."""
    import docx
    from docx.parts.styles import StylesPart

    template_parts(path)
    document = docx.Document(str(path))
    styles = [part for part in document.part.package.parts if isinstance(part, StylesPart)]
    return document, tuple((part.element, part.blob) for part in styles)


class _DocxLoader(jinja2.BaseLoader):
    """Serves docxtpl's XML sources by content hash, and `*.docx` blocks from the
    template's folder; remembers every source so errors can quote the paragraph."""

    def __init__(self) -> None:
        self.sources: dict[str, str] = {}

    def register(self, source: str) -> str:
        name = "xml:" + hashlib.sha256(source.encode("utf-8")).hexdigest()
        self.sources[name] = source
        return name

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        if template in self.sources and template.startswith("xml:"):
            return self.sources[template], template, lambda: True
        folder = _templates_folder.get()
        if not template.endswith(".docx") or Path(template).name != template:
            raise jinja2.TemplateNotFound(template)
        path = folder / template
        if not path.exists():
            raise jinja2.TemplateNotFound(template)
        stamp = _stamp(path)
        source = _block_source(path, stamp)
        self.sources[str(path)] = source
        return source, str(path), lambda: _templates_folder.get() == folder and _stamp_or_none(path) == stamp


def _stamp(path: Path) -> tuple[int, int]:
    """When the file changed and its size; MsgenError when it is no ordinary file (a pipe
    would hang the reading of it)."""
    if not path.exists():
        raise FileNotFoundError(path)
    status = check_regular(path, MAX_DOCUMENT_BYTES, "template")
    return status.st_mtime_ns, status.st_size


def _stamp_or_none(path: Path) -> tuple[int, int] | None:
    try:
        return _stamp(path)
    except (OSError, MsgenError):
        return None


@cache
def _block_source(path: Path, stamp: tuple[int, int]) -> str:
    """The Jinja source of a .docx block: its body's paragraphs and tables, without the
    section properties, prepared by docxtpl like any template (`stamp` keys the cache)."""
    from msgen.ooxml import DAMAGED, main_document_name, parse, serialize_element, w

    parts = template_parts(path)
    try:
        body = parse(parts[main_document_name(parts)]).find(w("body"))
    except DAMAGED:
        raise _not_a_document(path) from None
    if body is None:
        raise _not_a_document(path)
    xml = "".join(serialize_element(child) for child in body if child.tag != w("sectPr"))
    # One paragraph per line, as docxtpl does for a whole document, so errors give lines.
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", _patched_xml(xml))


def template_parts(path: Path) -> dict[str, bytes]:
    """A template's parts that may reach the network (its text and relationships), read
    within the limits of any .docx msgen opens; refused when one would."""
    from msgen.ooxml import may_reach_network, read_parts

    try:
        parts = read_parts(path, file=path, wanted=may_reach_network)
    except FileNotFoundError:
        raise
    except (NotAPackage, OSError):
        raise _not_a_document(path) from None
    _refuse_network_references(path, parts)
    return parts


def _refuse_network_references(path: Path, parts: Mapping[str, bytes]) -> None:
    """A template must not make Word or LibreOffice fetch anything when the statement is
    opened or converted: that leaks who reads it, and the fetched content is unreviewed."""
    from msgen.ooxml import DAMAGED, network_references

    try:
        found = network_references(parts)
    except DAMAGED:
        raise _not_a_document(path) from None
    if found:
        raise NetworkReference(f"the template would fetch from the network: {found[0]}"
                               + (f" (and {len(found) - 1} more)" if len(found) > 1 else ""), file=path,
                               fix="remove it in Word (Edit Links, field codes, linked pictures); a statement "
                                   "must load nothing from the internet when opened or converted to PDF")


def _not_a_document(path: Path) -> TemplateError:
    return TemplateError("this template is not a Word document (.docx)", file=path,
                         fix="save it from Word as 'Word Document (*.docx)'")


class _DocxEnvironment(BoundedSandbox):
    """docxtpl compiles each part with `from_string`, which Jinja never caches: route it
    through the loader so the in-process cache and the bytecode cache both apply."""

    loader: _DocxLoader

    def from_string(self, source: Any, globals: MutableMapping[str, Any] | None = None,
                    template_class: type[jinja2.Template] | None = None) -> jinja2.Template:
        return self.get_template(self.loader.register(source), globals=globals)


def _literal(value: Any) -> Markup:
    """What a `{{ }}` prints: escaped XML in which no brace can form template code."""
    if value is None:
        raise jinja2.UndefinedError("a value is empty (None)")
    return Markup(str(escape(value)).translate(_BRACE_REFERENCES))


@cache
def environment() -> _DocxEnvironment:
    """msgen's one Jinja environment, built once per process."""
    return _DocxEnvironment(
        loader=_DocxLoader(),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_literal,
        bytecode_cache=_bytecode_cache(),
        keep_trailing_newline=True,
    )


class _AltTextImage(docxtpl.InlineImage):
    """docxtpl's InlineImage, with the alt text a screen reader reads (wp:docPr descr)."""

    def __init__(self, tpl: Any, path: Path, alt_text: str) -> None:
        from docx.shared import Mm

        super().__init__(tpl, str(path), width=Mm(SIGNATURE_WIDTH_MM))
        self.alt_text = alt_text

    def _insert_image(self) -> str:
        try:
            xml = super()._insert_image()
        except Exception as exc:  # missing, unreadable or not an image
            raise ProfileError(f"the signature image cannot be used: {exc}", file=self.image_descriptor,
                               fix="give a PNG or JPEG file that exists") from None
        return xml.replace("<wp:docPr ", f'<wp:docPr descr="{escape(self.alt_text)}" ', 1)


def _signature_image(tpl: Any, template: Path, allowed: frozenset[str], spec: Mapping[str, Any]) -> Any:
    """`{{ signature_image(signatory.signature_image) }}`: the scanned signature, 40 mm
    wide; spec holds the image's path (as the context resolved it) and its alt text.
    Only images the profile names (and validation checked) can be embedded: a template
    must not be able to pull another file from the disk into a published document."""
    path = str(spec["path"])
    if path not in allowed:
        raise TemplateError("the template asks for an image the profile does not name; templates may "
                            "show only signatories' signature images", file=template,
                            fix="use {{ signature_image(s.signature_image) }} for a signatory s")
    return _AltTextImage(tpl, Path(path), str(spec["alt_text"]))


def _profile_images(context: Mapping[str, Any]) -> frozenset[str]:
    """Every picture the profile names (version 2 lists them as `images`)."""
    return frozenset(str(person["signature_image"]["path"]) for person in context.get("signatories", ())
                     if person.get("signature_image")) | frozenset(context.get("images", ()))


def _link(tpl: Any, url: str) -> str:
    """`{{ link_id(s.url) }}`: the relationship id of a hyperlink to `url` (web and mail
    links only: a template cannot link a published document to a local file)."""
    from msgen.document.sections import LINK_SCHEMES

    if not str(url).startswith(LINK_SCHEMES):
        raise TemplateError(f"the template links to '{url}'; only https, http and mailto links are allowed")
    return str(tpl.build_url_id(str(url)))


def render_docx(template: Path, context: Mapping[str, Any], *, properties: Mapping[str, str],
                draft: bool = False, custom_properties: Mapping[str, str] | None = None,
                branding: Mapping[str, Any] | None = None, language: str = "en-GB",
                draft_notice: str = DRAFT_TEXT) -> bytes:
    """The finished .docx: `template` filled with `context`, then its properties (custom
    ones too: the build record), `language`, content controls and numbering set by docxfinish;
    a draft's notice is `draft_notice`."""
    from docx.opc.exceptions import PackageNotFoundError

    from msgen.document.finish import finish_docx
    from msgen.ooxml import DAMAGED

    template = Path(template)
    document = _Template(template)
    try:
        document.init_docx()
    except FileNotFoundError:
        raise TemplateError("the template does not exist", file=template) from None
    except (PackageNotFoundError, ValueError, *DAMAGED):
        raise _not_a_document(template) from None
    picture = partial(_signature_image, document, template, _profile_images(context))
    full_context = {**context, "signature_image": picture, "picture": picture, "link_id": partial(_link, document)}
    token = _templates_folder.set(template.resolve().parent)
    try:
        with rendering_bounds():
            document.render(full_context, environment())
    except MsgenError:
        raise
    except Exception as exc:
        error = _template_error(exc, template, getattr(document.current_rendering_part, "partname", ""))
        if error is None:
            raise
        raise error from None
    finally:
        _templates_folder.reset(token)
    return finish_docx(_stored_package(document), properties=properties, draft=draft,
                       custom_properties=custom_properties, branding=branding, language=language,
                       draft_notice=draft_notice)


def _stored_package(document: _Template) -> bytes:
    """The rendered package as python-docx saves it, but stored, not compressed: docxfinish
    unpacks it at once and compresses the finished one (compressing the templates' 800 KB
    of styles twice cost a sixth of a build: benchmarks/batch.py); the styles' XML comes
    from the template, serialized once."""
    from msgen.ooxml import CONTENT_TYPES_PART, FIXED_DATE, PACKAGE_RELS, content_types, zip_parts

    package = document.docx.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    stored = {CONTENT_TYPES_PART: content_types((part.partname.membername, part.content_type) for part in parts),
              PACKAGE_RELS: package.rels.xml}
    for part in parts:
        stored[part.partname.membername] = document.xml_of(part)
        if len(part.rels):
            stored[part.partname.rels_uri.membername] = part.rels.xml
    return zip_parts(stored, date=FIXED_DATE, compress=False)


# -- errors a template author can fix ----------------------------------------------------

def _template_error(exc: Exception, template: Path, part: str) -> TemplateError | None:
    """A one-line TemplateError for a failure in template code; None for a bug in msgen."""
    loader = environment().loader
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where: tuple[str, int] | None = (exc.filename or "", exc.lineno)
    else:
        where = _template_frame(exc.__traceback__, loader.sources)
    if where is None and not isinstance(exc, (jinja2.TemplateError, TemplateBoundExceeded)):
        return None
    filename, line = where or ("", 0)
    file = Path(filename) if filename.endswith(".docx") else template
    place = _part_name(part) if file == template else ""
    quoted = _paragraph_at(loader.sources.get(filename, ""), line)
    at = f' at "{quoted}"' if quoted else ""
    if isinstance(exc, TemplateBoundExceeded):
        return TemplateError(f"{place}the template asks for too much: {exc}{at}", file=file,
                             fix="a template shows the profile's values; it may not build huge numbers, "
                                 "texts or lists, or loop for minutes")
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return TemplateError(f"{place}the template tries to reach inside msgen, which is not "
                             f"allowed{at}", file=file, fix="use only the profile's fields in the template")
    if isinstance(exc, jinja2.UndefinedError):
        return TemplateError(f"{place}the template needs a value the profile does not have: "
                             f"{exc.message}{at}", file=file,
                             fix="add the value to the profile, or correct the field name in the template")
    if isinstance(exc, jinja2.TemplateNotFound):
        return TemplateError(f"{place}the template includes '{exc.name}', which is not in "
                             f"{template.resolve().parent}", file=file,
                             fix="put the block beside the template (see `msgen templates export`)")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return TemplateError(f"{place}template syntax error: {exc.message}{at}", file=file,
                             fix="check the {{ }} and {% %} tags in that paragraph")
    return TemplateError(f"{place}the template failed: {exc}{at}", file=file,
                         fix="check the {{ }} and {% %} tags in that paragraph")


def _template_frame(tb: TracebackType | None, sources: Mapping[str, str]) -> tuple[str, int] | None:
    """The innermost traceback frame that runs template code (Jinja gives such frames the
    template's name and line)."""
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename in sources:
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _part_name(partname: str) -> str:
    for kind in ("header", "footer", "footnotes", "endnotes"):
        if kind in partname:
            return f"in the {kind}: "
    return ""


def _paragraph_at(source: str, line: int) -> str:
    """The text of the template paragraph on `line`, as the author sees it in Word."""
    lines = source.splitlines()
    if not 0 < line <= len(lines):
        return ""
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", lines[line - 1])).split())
    return text if len(text) <= 100 else text[:97] + "..."
