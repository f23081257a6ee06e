"""Rendering and finishing a .docx: what lands in the document, exactly.

Templates are made here with python-docx, so each test shows the template it renders.
Text is read back from the document's own XML (runs inside content controls included).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from msgen.errors import TemplateError
from msgen.document.fields import CLOSE, MID, OPEN, Field
from msgen.document.render import render_docx
from ooxml import validate_docx, zip_problems

PROPERTIES = {"title": "Joint Modern Slavery Statement", "subject": "Statement for 2022/23",
              "author": "Staffordshire Police and Staffordshire Fire and Rescue Service",
              "keywords": "modern slavery, 2022/23", "date": "2022-10-04"}
HOSTILE_TEXTS = [
    "Smith & Sons <Ltd> said \"yes\" and 'no'",
    "{{ 7*7 }} and {% if true %}x{% endif %} and {# note #}",
    "{_{ kept }_} {%p if %}",
    "Llanelli ŵ ŷ — Zażółć gęślą jaźń",
    "بيان العبودية الحديثة",
]


def make_template(path: Path, paragraphs: list[str | tuple[str, str]], *, header: str | None = None) -> Path:
    """A .docx whose body holds `paragraphs` (text, or (style, text)) and an optional header."""
    document = docx.Document()
    for paragraph in paragraphs:
        style, text = paragraph if isinstance(paragraph, tuple) else (None, paragraph)
        document.add_paragraph(text, style=style)
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def png(width: int = 120, height: int = 40) -> bytes:
    """A small white PNG, written by hand so the tests need no imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def text_of(element) -> str:
    """The text of an element's w:t descendants (python-docx's .text skips content controls)."""
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def paragraph_texts(data: bytes) -> list[str]:
    """Each body paragraph's text, including text held in content controls."""
    return [text_of(p._p) for p in docx.Document(io.BytesIO(data)).paragraphs]


def header_text(data: bytes) -> str:
    return text_of(docx.Document(io.BytesIO(data)).sections[0].header._element)


def render(template: Path, context: dict, **options) -> bytes:
    return render_docx(template, context, properties=options.pop("properties", PROPERTIES), **options)


# -- profile text is data ---------------------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_profile_text_comes_out_exactly_as_written(tmp_path, text):
    template = make_template(tmp_path / "t.docx", ["Field: {{ field }}", "Plain: {{ plain }}"],
                             header="Header: {{ field }}")
    out = render(template, {"field": Field(text, "statement.title"), "plain": text})
    assert paragraph_texts(out) == [f"Field: {text}", f"Plain: {text}"]
    assert header_text(out) == f"Header: {text}"


def test_profile_fields_become_content_controls_tagged_with_their_path(tmp_path):
    template = make_template(tmp_path / "t.docx", ["Signed by {{ name }} for {{ body }}."])
    context = {"name": Field("Chris Noble", "signatories[0].name"),
               "body": Field("Staffordshire Police", "organisations[0].name")}
    document = docx.Document(io.BytesIO(render(template, context)))
    controls = document.element.body.findall(".//" + qn("w:sdt"))
    tagged = {c.find(qn("w:sdtPr")).find(qn("w:tag")).get(qn("w:val")): text_of(c)
              for c in controls}
    assert tagged == {"signatories[0].name": "Chris Noble", "organisations[0].name": "Staffordshire Police"}
    aliases = [c.find(qn("w:sdtPr")).find(qn("w:alias")).get(qn("w:val")) for c in controls]
    assert aliases == ["signatories[0].name", "organisations[0].name"]
    assert all(c.find(qn("w:sdtPr")).find(qn("w:text")) is not None for c in controls)
    assert paragraph_texts(render(template, context)) == ["Signed by Chris Noble for Staffordshire Police."]


def test_a_field_keeps_the_formatting_of_the_run_it_was_in(tmp_path):
    document = docx.Document()
    document.add_paragraph().add_run("Bold {{ name }} text").bold = True
    document.save(tmp_path / "t.docx")
    out = docx.Document(io.BytesIO(render(tmp_path / "t.docx", {"name": Field("Chris", "signatories[0].name")})))
    runs = out.paragraphs[0]._p.xpath(".//w:r")
    assert [text_of(r) for r in runs] == ["Bold ", "Chris", " text"]
    assert all(r.find(qn("w:rPr")).find(qn("w:b")) is not None for r in runs)


def test_no_marker_character_survives_in_any_part(tmp_path):
    template = make_template(tmp_path / "t.docx", ["{{ a }} {{ b }}{{ a }}", "{{ list | join(', ') }}"],
                             header="{{ a }}")
    context = {"a": Field("A&B", "x"), "b": Field("<b>", "y[0].z"), "list": [Field("one", "l[0]"), "two"]}
    for name, data in parts_of(render(template, context)).items():
        for marker in (OPEN, MID, CLOSE):
            assert marker.encode() not in data, name


# -- errors a template author can fix ------------------------------------------------------------

def test_missing_field_names_the_template_and_the_field(tmp_path):
    template = make_template(tmp_path / "statement.docx", ["Hello", "Our lead is {{ statement.lead_officer }}."])
    with pytest.raises(TemplateError) as caught:
        render(template, {"statement": {"title": "T"}})
    message = str(caught.value)
    assert message.startswith(f"{template}: ")
    assert "lead_officer" in message and "Our lead is {{ statement.lead_officer }}." in message
    assert caught.value.exit_code == 1


def test_a_value_of_none_is_an_error_not_the_word_none(tmp_path):
    template = make_template(tmp_path / "t.docx", ["Date: {{ date }}"])
    with pytest.raises(TemplateError, match="empty"):
        render(template, {"date": None})


@pytest.mark.parametrize("expression", ["''.__class__.__mro__", "cycler.__init__.__globals__",
                                        "signature_image.func.__globals__", "statement.__class__"])
def test_a_template_cannot_reach_python_internals(tmp_path, expression):
    template = make_template(tmp_path / "t.docx", [f"{{{{ {expression} }}}}"])
    with pytest.raises(TemplateError, match="not allowed") as caught:
        render(template, {"statement": {}})
    assert str(caught.value).startswith(str(template))


def test_syntax_error_names_the_template_and_the_paragraph(tmp_path):
    template = make_template(tmp_path / "t.docx", ["Fine", "{% if statement %}never closed"])
    with pytest.raises(TemplateError, match=r"syntax error.*never closed") as caught:
        render(template, {"statement": {}})
    assert str(caught.value).startswith(str(template))


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04 truncated"])
def test_a_template_that_is_not_a_word_document_is_refused(tmp_path, content):
    template = tmp_path / "statement.docx"
    template.write_bytes(content)
    with pytest.raises(TemplateError, match=r"not a Word document") as caught:
        render(template, {})
    assert caught.value.exit_code == 1 and str(template) in str(caught.value)


def test_error_in_the_header_says_so(tmp_path):
    template = make_template(tmp_path / "t.docx", ["Body"], header="{{ missing_name }}")
    with pytest.raises(TemplateError, match=r"in the header: .*missing_name"):
        render(template, {})


# -- the shared signature block and signature images ----------------------------------------------

def test_signature_block_is_included_from_the_templates_folder(tmp_path):
    template = make_template(tmp_path / "statement.docx", ["Before", '{%p include "signature-block.docx" %}', "After"])
    make_template(tmp_path / "signature-block.docx", ["{%p for s in signatories %}", "Signed: {{ s.name }}",
                                                      "{%p endfor %}"])
    context = {"signatories": [{"name": Field("Chris Noble", "signatories[0].name")},
                               {"name": Field("Ben Adams", "signatories[1].name")}]}
    assert paragraph_texts(render(template, context)) == ["Before", "Signed: Chris Noble", "Signed: Ben Adams",
                                                          "After"]


def test_each_folder_gets_its_own_signature_block(tmp_path):
    for folder, words in (("one", "First block"), ("two", "Second block")):
        make_template(tmp_path / folder / "statement.docx", ['{%p include "signature-block.docx" %}'])
        make_template(tmp_path / folder / "signature-block.docx", [words])
    assert paragraph_texts(render(tmp_path / "one" / "statement.docx", {})) == ["First block"]
    assert paragraph_texts(render(tmp_path / "two" / "statement.docx", {})) == ["Second block"]


def test_missing_signature_block_is_named(tmp_path):
    template = make_template(tmp_path / "statement.docx", ['{%p include "signature-block.docx" %}'])
    with pytest.raises(TemplateError, match=r"includes 'signature-block.docx'"):
        render(template, {})


def test_error_inside_the_signature_block_names_the_block(tmp_path):
    template = make_template(tmp_path / "statement.docx", ['{%p include "signature-block.docx" %}'])
    block = make_template(tmp_path / "signature-block.docx", ["Signed: {{ signer.nmae }}"])
    with pytest.raises(TemplateError) as caught:
        render(template, {"signer": {"name": "Chris"}})
    assert str(caught.value).startswith(f"{block}: ") and "nmae" in str(caught.value)


def test_signature_image_carries_its_alt_text(tmp_path):
    (tmp_path / "sig.png").write_bytes(png())
    template = make_template(tmp_path / "t.docx", ["{{ signature_image(image) }}"])
    image = {"path": str(tmp_path / "sig.png"), "alt_text": Field("Signature of Chris Noble & co", "alt")}
    out = docx.Document(io.BytesIO(render(template, {"image": image, "signatories": [{"signature_image": image}]})))
    (described,) = out.element.body.xpath(".//wp:docPr")
    assert described.get("descr") == "Signature of Chris Noble & co"
    (shape,) = out.inline_shapes
    assert round(shape.width.mm) == 40


# -- properties, language, numbering, draft ---------------------------------------------------------

def test_document_properties_come_from_the_profile_and_nothing_from_python_docx(tmp_path):
    out = render(make_template(tmp_path / "t.docx", ["Text"]), {})
    core = docx.Document(io.BytesIO(out)).core_properties
    midnight = dt.datetime(2022, 10, 4, tzinfo=dt.timezone.utc)
    assert (core.title, core.subject, core.author, core.keywords) == (
        PROPERTIES["title"], PROPERTIES["subject"], PROPERTIES["author"], PROPERTIES["keywords"])
    assert (core.language, core.created, core.modified, core.last_modified_by, core.revision) == (
        "en-GB", midnight, midnight, "msgen", 1)
    assert (core.category, core.content_status, core.comments) == ("Modern slavery statement", "Final", "")
    parts = parts_of(out)
    assert b"<Application>msgen</Application>" in parts["docProps/app.xml"]
    for name in ("docProps/core.xml", "docProps/app.xml"):
        assert b"python-docx" not in parts[name] and b"2013" not in parts[name] and b"Microsoft" not in parts[name]
    assert "docProps/thumbnail.jpeg" not in parts and "word/stylesWithEffects.xml" not in parts


def test_proofing_language_is_en_gb_in_the_styles(tmp_path):
    out = docx.Document(io.BytesIO(render(make_template(tmp_path / "t.docx", ["Text"]), {})))
    defaults = out.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val")) == "en-GB"
    assert {lang.get(qn("w:val")) for lang in out.styles.element.iter(qn("w:lang"))} == {"en-GB"}


def test_each_numbered_list_starts_again_at_one(tmp_path):
    template = make_template(tmp_path / "t.docx", [
        "{%p for step in first %}", ("List Number", "{{ step }}"), "{%p endfor %}",
        "Between the lists",
        "{%p for step in second %}", ("List Number", "{{ step }}"), "{%p endfor %}"])
    out = docx.Document(io.BytesIO(render(template, {"first": ["a", "b"], "second": ["c", "d", "e"]})))
    numbered = [p for p in out.paragraphs if p.style.name == "List Number"]
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3] == num_ids[4]
    numbering = out.part.numbering_part.element
    for num_id in set(num_ids):
        (instance,) = numbering.xpath(f'w:num[@w:numId="{num_id}"]')
        assert instance.xpath("w:lvlOverride/w:startOverride/@w:val") == ["1"]


def test_draft_has_the_notice_in_every_header(tmp_path):
    document = docx.Document()
    document.add_paragraph("First section")
    second = document.add_section()
    second.different_first_page_header_footer = True
    document.add_paragraph("Second section")
    document.save(tmp_path / "t.docx")
    out = docx.Document(io.BytesIO(render(tmp_path / "t.docx", {}, draft=True)))
    headers = [header for section in out.sections
               for header in (section.header, section.first_page_header) if not header.is_linked_to_previous]
    assert headers and all("DRAFT — not approved" in text_of(h._element) for h in headers)
    assert out.sections[1].first_page_header.is_linked_to_previous is False
    assert out.core_properties.content_status == "Draft"


def test_final_document_has_no_draft_notice(tmp_path):
    out = render(make_template(tmp_path / "t.docx", ["Text"], header="Page header"), {})
    assert "DRAFT" not in header_text(out)


# -- files Word and LibreOffice accept, the same every time ---------------------------------------------

def test_output_is_valid_ooxml_and_has_one_entry_per_part(tmp_path):
    (tmp_path / "sig.png").write_bytes(png())
    template = make_template(tmp_path / "t.docx", [
        "{{ a }}", ("List Number", "{{ a }}"), "{{ signature_image(image) }}"], header="{{ a }}")
    out = tmp_path / "out.docx"
    image = {"path": str(tmp_path / "sig.png"), "alt_text": "Signature"}
    out.write_bytes(render(template, {"a": Field("x & y", "a"), "image": image,
                                      "signatories": [{"signature_image": image}]}, draft=True))
    assert validate_docx(out) == []
    assert zip_problems(out) == []


def test_same_inputs_give_the_same_bytes_with_the_approval_date_in_the_zip(tmp_path):
    template = make_template(tmp_path / "t.docx", ["{{ a }}", ("List Number", "x")], header="{{ a }}")
    first = render(template, {"a": Field("x", "a")}, draft=True)
    assert render(template, {"a": Field("x", "a")}, draft=True) == first
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(2022, 10, 4, 0, 0, 0)}
        assert package.namelist()[0] == "[Content_Types].xml"


@pytest.mark.slow
def test_compiled_templates_are_kept_in_the_cache_folder_and_a_bad_one_is_skipped(tmp_path):
    template = make_template(tmp_path / "t.docx", ["{{ a }}"])
    script = ("import sys; from pathlib import Path; from msgen.document.render import render_docx; "
              "sys.stdout.buffer.write(render_docx(Path(sys.argv[1]), {'a': 'cached'}, properties=dict("
              "title='t', subject='s', author='a', keywords='k', date='2022-10-04')))")

    def run(cache: Path) -> bytes:
        env = {**os.environ, "MSGEN_CACHE_DIR": str(cache)}
        return subprocess.run([sys.executable, "-c", script, str(template)], env=env, check=True,
                              capture_output=True).stdout

    cold = run(tmp_path / "cache")
    cached = sorted((tmp_path / "cache" / "jinja").iterdir())
    assert cached and run(tmp_path / "cache") == cold
    for entry in cached:
        entry.write_bytes(b"garbage")
    assert run(tmp_path / "cache") == cold
    (tmp_path / "not-a-folder").write_text("x")
    assert run(tmp_path / "not-a-folder" / "cache") == cold
    assert paragraph_texts(cold) == ["cached"]


def test_rendering_never_loads_docxcompose(tmp_path):
    """docxcompose (docxtpl's subdoc extra) changes python-docx's namespaces and breaks
    core properties; msgen splices its blocks as XML instead."""
    render(make_template(tmp_path / "t.docx", ["Text"]), {})
    assert "docxcompose" not in sys.modules
