"""The schema helper must catch what Word rejects, or the docx tests prove nothing."""

import zipfile

import docx
import pytest

from ooxml import validate_docx, xsd_dir, zip_problems

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
  <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
  <Default Extension="xml" ContentType="application/xml"/>
  <Override PartName="/word/document.xml"
    ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
  <Relationship Id="rId1" Target="word/document.xml"
    Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""


def package(path, body, extra=()):
    """A minimal .docx whose document.xml has `body` inside w:body."""
    document = (
        f'<w:document xmlns:w="{W}"'
        ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
        ' xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
        f' mc:Ignorable="w14"><w:body>{body}</w:body></w:document>'
    )
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", RELS),
            ("word/document.xml", document),
            *extra,
        ]:
            zf.writestr(name, data)
    return path


def test_accepts_valid_minimal_document(tmp_path):
    path = package(tmp_path / "ok.docx", "<w:p><w:r><w:t>Hello</w:t></w:r></w:p>")
    assert validate_docx(path) == []
    assert zip_problems(path) == []


def test_catches_paragraph_inside_run(tmp_path):
    path = package(tmp_path / "bad.docx", "<w:p><w:r><w:p/></w:r></w:p>")
    errors = validate_docx(path)
    assert len(errors) == 1
    assert errors[0].startswith("word/document.xml: /w:document/w:body/w:p/w:r/w:p:")
    assert "w:p" in errors[0] and "not expected" in errors[0]


@pytest.mark.slow
def test_markup_compatibility_is_applied(tmp_path):
    # Word-style output: ignorable w14 attributes/elements and AlternateContent whose
    # Choice is not ECMA-376 but whose Fallback is.
    body = (
        '<w:p w14:paraId="12345678"><w14:unknown/>'
        "<mc:AlternateContent><mc:Choice Requires=\"w14\"><w14:other/></mc:Choice>"
        "<mc:Fallback><w:r><w:t>Fallback</w:t></w:r></mc:Fallback></mc:AlternateContent>"
        "</w:p>"
    )
    assert validate_docx(package(tmp_path / "mc.docx", body)) == []
    broken_fallback = body.replace("<w:r><w:t>Fallback</w:t></w:r>", "<w:p/>")
    assert len(validate_docx(package(tmp_path / "mc-bad.docx", broken_fallback))) == 1


def test_checks_every_wordprocessingml_part(tmp_path):
    docx.Document().save(tmp_path / "default.docx")
    # python-docx's own template: w:zoom lacks the required w:percent.
    assert validate_docx(tmp_path / "default.docx") == [
        "word/settings.xml: /w:settings/w:zoom: Element 'w:zoom': "
        "The attribute 'w:percent' is required but missing."
    ]


@pytest.mark.filterwarnings("ignore:Duplicate name")  # the duplicate is the point
def test_zip_problems(tmp_path):
    path = package(
        tmp_path / "zip.docx",
        "<w:p/>",
        extra=[("word/media/image1.png", b"png"), ("word/document.xml", "<again/>")],
    )
    assert sorted(zip_problems(path)) == [
        "zip entry 'word/document.xml' occurs 2 times",
        "zip entry 'word/media/image1.png' has no content type in [Content_Types].xml",
    ]


def test_missing_schemas_are_named_with_how_to_get_them(tmp_path, monkeypatch):
    monkeypatch.setenv("MSGEN_OOXML_XSD", str(tmp_path))
    with pytest.raises(FileNotFoundError) as missing:
        xsd_dir()
    assert f"(xml.xsd, wml.xsd) are not in {tmp_path}" in str(missing.value)
    assert "copy the shared/ folder" in str(missing.value) and "MSGEN_OOXML_XSD" in str(missing.value)


def test_the_schemas_are_found_from_this_checkout():
    assert (xsd_dir() / "wml.xsd").is_file()
