"""The web page of a document, rendered from the same rows the Word templates print.

A web page converted from the .docx lost what Word keeps outside the text (the DRAFT
header, table captions, links the profile gave as plain web addresses) and could not
reflow its tables on a phone. So the page is rendered by Jinja from the document's own
context (`document.sections` rows; a version-1 profile's rows come from its version-2
form, which builds the same text): one self-contained HTML file, restyled by copying
the template (`msgen templates export`) as the Word templates are. Profile text is data:
the sandbox autoescapes it. Pictures are embedded as data: URIs, so the page loads
nothing from elsewhere, and the same profile gives the same bytes.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from pathlib import Path
from typing import Any, Iterator, Mapping

from msgen.document.fields import CLOSE, MID, OPEN
from msgen.errors import TemplateBoundExceeded, TemplateError

HTML_TEMPLATE = "page.html.j2"
LANGUAGE = "en-GB"
MAX_TEMPLATE_BYTES = 1024 * 1024
FRAGMENT_BLOCK = "main"  # --format html-fragment: this block of the template, for a website's CMS
LIST_DEPTHS = {"ListBullet": (False, 1), "ListBullet2": (False, 2), "ListBullet3": (False, 3),
               "ListNumber": (True, 1), "ListNumber2": (True, 2), "ListNumber3": (True, 3)}
QUOTE_STYLE = "Quote"
HEADING_LEVELS = {"Heading1": 2, "Heading2": 3, "Heading3": 4}  # the title is the page's one h1
WEB_ADDRESS = re.compile(r"https?://[^\s<>\"']+")  # in plain text, up to a space or a quote
SENTENCE_END = ".,;:!?)]"  # ends the sentence a web address closes, not the address
FIELD_MARKERS = re.compile(f"{OPEN}[^{MID}]*{MID}|{CLOSE}")


def web_page(template: Path, context: Mapping[str, Any], *, fragment: bool = False) -> bytes:
    """The page (or, with `fragment`, the template's `main` block alone) as UTF-8 bytes.

    `context` is a document's context (`document`: title and rows; `images`) with `kind`
    ("statement" or "charter"), `page` (title, language) and `draft` added by the build.
    """
    import jinja2

    from msgen.document.bounds import rendering_bounds

    try:
        compiled = _environment(template.parent).get_template(template.name)
        variables = {**context, "image_source": _image_source(template, frozenset(context.get("images", ())))}
        with rendering_bounds():
            if fragment:
                if FRAGMENT_BLOCK not in compiled.blocks:
                    raise TemplateError(f"the template has no {{% block {FRAGMENT_BLOCK} %}}, which "
                                        "--format html-fragment writes", file=template,
                                        fix="put the page's main content between {% block main %} and "
                                            "{% endblock %}, as msgen's own template does")
                text = _block(compiled, FRAGMENT_BLOCK, variables).strip() + "\n"
            else:
                text = compiled.render(variables)
    except TemplateError:
        raise
    except (jinja2.TemplateError, TemplateBoundExceeded) as exc:
        raise _template_error(exc, template) from None
    # A profile string renders with its path around it (Field.__html__, for Word's content
    # controls); a web page has no use for the path.
    return FIELD_MARKERS.sub("", text).encode("utf-8")


def _block(compiled: Any, name: str, variables: Mapping[str, Any]) -> str:
    """One block of a template rendered alone, its errors told at the template's lines (as
    Jinja's own render tells them)."""
    try:
        return "".join(compiled.blocks[name](compiled.new_context(dict(variables))))
    except Exception:
        return compiled.environment.handle_exception()


def template_for(folder: Path) -> Path:
    """The web page template of a templates folder, or msgen's own when it has none (a
    folder exported before web pages had a template still builds them)."""
    from msgen import resources

    own = folder / HTML_TEMPLATE
    return own if own.exists() else resources.templates_dir(2) / HTML_TEMPLATE


@cache
def _environment(folder: Path) -> Any:
    import jinja2

    from msgen.document.bounds import BoundedSandbox

    environment = BoundedSandbox(loader=jinja2.FunctionLoader(lambda name: _source(folder, name)),
                                 autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                                 lstrip_blocks=True, keep_trailing_newline=True)
    environment.filters.update(blocks=page_blocks, linked=linked)
    environment.globals["unprinted"] = _unprinted
    return environment


def _source(folder: Path, name: str) -> tuple[str, str, Any] | None:
    """A template of the folder, read within the size limit (no file elsewhere: `name` is
    the template's own, or what it includes)."""
    from msgen.files import read_limited

    path = folder / name
    if "/" in name or "\\" in name or name.startswith(".") or not path.exists():
        return None
    raw = read_limited(path, MAX_TEMPLATE_BYTES, "template")
    try:
        return raw.decode("utf-8"), str(path), lambda: False
    except UnicodeDecodeError as exc:
        raise TemplateError(f"the template is not UTF-8 text (byte 0x{raw[exc.start]:02X})", file=path,
                            fix="save it as UTF-8") from None


def _template_error(exc: Exception, template: Path) -> TemplateError:
    """One line naming the template (and the line, when Jinja knows it) for a failure a
    template author can fix."""
    import jinja2

    line = getattr(exc, "lineno", None) or _template_line(exc, template)
    if isinstance(exc, TemplateBoundExceeded):
        return TemplateError(f"the template asks for too much: {exc}", file=template, line=line,
                             fix="a template shows the profile's values; it may not build huge numbers, "
                                 "texts or lists, or loop for minutes")
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return TemplateError("the template tries to reach inside msgen, which is not allowed", file=template,
                             line=line, fix="use only the document's rows and the page's values")
    if isinstance(exc, jinja2.TemplateNotFound):
        return TemplateError(f"the template includes '{exc.name}', which is not in {template.parent}",
                             file=template, line=line, fix="put the file beside the template")
    if isinstance(exc, jinja2.UndefinedError):
        return TemplateError(f"the template needs a value the document does not have: {exc.message}",
                             file=template, line=line, fix="correct the name in the template")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return TemplateError(f"template syntax error: {exc.message}", file=template, line=line,
                             fix="check the {{ }} and {% %} tags on that line")
    return TemplateError(f"the template failed: {exc}", file=template, line=line)


def _template_line(exc: Exception, template: Path) -> int | None:
    """The template's line in the traceback (Jinja names a template's frames after its file)."""
    found, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == str(template):
            found = tb.tb_lineno
        tb = tb.tb_next
    return found


def _unprinted(row: Mapping[str, Any]) -> str:
    """What the template calls for a row it has no way to print: a kind of row or a style
    added to the document model must fail loudly, never vanish from the page."""
    import jinja2

    raise jinja2.TemplateRuntimeError(f"it has no way to print a row of kind '{row.get('kind')}'"
                                      + (f" and style '{row['style']}'" if "style" in row else ""))


def _image_source(template: Path, allowed: frozenset[str]) -> Any:
    """`image_source(row.image)`: the picture as a data: URI. Only pictures the profile
    names (and validation checked) can be embedded."""
    def source(image: Mapping[str, Any]) -> str:
        from docx.image.image import Image

        from msgen.files import read_limited
        from msgen.profile.validate import MAX_IMAGE_BYTES

        if str(image["path"]) not in allowed:
            raise TemplateError("the template asks for an image the profile does not name", file=template,
                                fix="use {{ image_source(row.image) }} for a picture row")
        data = read_limited(Path(image["path"]), MAX_IMAGE_BYTES, "image")
        return f"data:{Image.from_blob(data).content_type};base64,{base64.b64encode(data).decode('ascii')}"
    return source


def linked(text: str) -> Any:
    """Text with each web address in it as a link (a body's website, an address a clause
    names): on a web page every web address is one."""
    from markupsafe import Markup, escape

    text = str(text)
    pieces, start = [], 0
    for found in WEB_ADDRESS.finditer(text):
        address = found.group().rstrip(SENTENCE_END)
        if "://" not in address.rstrip("/:"):  # nothing left but the scheme
            continue
        pieces += [escape(text[start:found.start()]), Markup('<a class="address" href="{0}">{0}</a>').format(address)]
        start = found.start() + len(address)
    return Markup("").join([*pieces, escape(text[start:])])


def page_blocks(rows: list[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    """The rows as a page prints them: a heading row becomes a `heading` with its `level`
    (2 to 4, never more than one below the heading before it: a screen reader's outline
    has no gaps), a run of list rows one `list` (items nested by their style's level; a
    bulleted list straight after a numbered one, or the other way round, is a list of its
    own), a run of quotation rows one `quote`; other rows as they are."""
    index, level = 0, 1
    while index < len(rows):
        row = rows[index]
        style = row.get("style", "") if row["kind"] == "text" else ""
        if style in HEADING_LEVELS:
            level = min(HEADING_LEVELS[style], level + 1)
            end = index + 1
            yield {"kind": "heading", "level": level, "spans": row["spans"]}
        elif style in LIST_DEPTHS:
            other_kind = (not LIST_DEPTHS[style][0], 1)  # a top-level item of the other kind starts a new list
            end = _run_end(rows, index,
                           lambda other, new=other_kind: other in LIST_DEPTHS and LIST_DEPTHS[other] != new)
            yield _nested_list(rows[index:end])
        elif style == QUOTE_STYLE:
            end = _run_end(rows, index, lambda other: other == QUOTE_STYLE)
            yield {"kind": "quote", "paragraphs": [quoted["spans"] for quoted in rows[index:end]]}
        else:
            end = index + 1
            yield row
        index = end


def _run_end(rows: list[Mapping[str, Any]], start: int, belongs: Any) -> int:
    end = start
    while end < len(rows) and rows[end]["kind"] == "text" and belongs(rows[end].get("style")):
        end += 1
    return end


def _nested_list(rows: list[Mapping[str, Any]]) -> dict[str, Any]:
    """Items of one level, each with the deeper items after it as its own list; an item one
    level deeper than the item before it goes into that item's list."""
    numbered, _ = LIST_DEPTHS[rows[0]["style"]]
    top: dict[str, Any] = {"kind": "list", "numbered": numbered, "items": []}
    open_lists = [top]  # the list at each level, outermost first
    for row in rows:
        row_numbered, depth = LIST_DEPTHS[row["style"]]
        depth = min(depth, len(open_lists) + 1 if open_lists[-1]["items"] else len(open_lists))
        del open_lists[depth:]
        if depth > len(open_lists):
            parent = open_lists[-1]["items"][-1]
            parent["list"] = {"kind": "list", "numbered": row_numbered, "items": []}
            open_lists.append(parent["list"])
        open_lists[-1]["items"].append({"spans": row["spans"], "list": None})
    return top
