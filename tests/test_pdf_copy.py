"""The copy of a .docx LibreOffice makes the PDF from (no LibreOffice needed here):
typed web addresses become links, and the words a reader sees stay as they were."""

from __future__ import annotations

import io

import docx
from docx.opc.constants import RELATIONSHIP_TYPE

from msgen.document.finish import link_web_addresses


def document_with(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph().add_run(text).bold = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def links_of(data: bytes) -> tuple[list[tuple[str, str]], list[str]]:
    """([(address, shown text)] of each hyperlink, the paragraphs' text)."""
    document = docx.Document(io.BytesIO(data))
    targets = {rel_id: rel.target_ref for rel_id, rel in document.part.rels.items()
               if rel.reltype == RELATIONSHIP_TYPE.HYPERLINK and rel.is_external}
    w = f"{{{document.element.nsmap['w']}}}"
    links = [(targets[link.get(f"{{{link.nsmap['r']}}}id")], "".join(t.text for t in link.iter(f"{w}t")))
             for link in document.element.body.iter(f"{w}hyperlink")]
    return links, [p.text for p in document.paragraphs]


def test_each_typed_web_address_becomes_a_link_without_the_sentence_s_punctuation():
    data = document_with("Published at https://www.example.police.uk/statement. Thanks.",
                         "2021/22: http://old.example.gov.uk/2021 (archived), and https://a.example/x?y=1;",
                         "No address here.")
    links, text = links_of(link_web_addresses(data))
    assert links == [("https://www.example.police.uk/statement", "https://www.example.police.uk/statement"),
                     ("http://old.example.gov.uk/2021", "http://old.example.gov.uk/2021"),
                     ("https://a.example/x?y=1", "https://a.example/x?y=1")]
    assert text[2] == "No address here."
    assert "".join(text[:2]) == ("Published at https://www.example.police.uk/statement. Thanks."
                                 "2021/22: http://old.example.gov.uk/2021 (archived), and https://a.example/x?y=1;")


def test_a_link_keeps_its_run_s_formatting_and_uses_the_hyperlink_style():
    linked = docx.Document(io.BytesIO(link_web_addresses(document_with("See https://example.org/a"))))
    (link,) = linked.element.body.iter(f"{{{linked.element.nsmap['w']}}}hyperlink")
    properties = link[0][0]
    assert [child.tag.rpartition("}")[2] for child in properties] == ["rStyle", "b"]
    assert linked.styles["Hyperlink"].font.underline


def test_a_document_without_addresses_is_given_back_unchanged():
    data = document_with("Plain text only.")
    assert link_web_addresses(data) == data
