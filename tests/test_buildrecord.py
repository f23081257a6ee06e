"""The build record: every built document says, in its custom properties, which msgen,
schema, profile and template made it; `msgen check --docx` reports it and notices a
profile that changed since."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from msgen import __version__
from msgen.build import render_profile
from msgen.document.buildrecord import read_custom_properties, read_record
from msgen.cli import app
from msgen.profile.loader import load_profile
from msgen.resources import templates_dir
from tests.ooxml import validate_docx, xsd_dir, zip_problems

CLEAN = Path(__file__).parent / "fixtures" / "check"


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid profile (with its signature image) in a folder of its own."""
    folder = tmp_path_factory.mktemp("profile")
    shutil.copy(CLEAN / "signature.png", folder / "signature.png")
    return Path(shutil.copy(CLEAN / "clean.yaml", folder / "staffs.yaml"))


@pytest.fixture(scope="module")
def statement(profile: Path) -> Path:
    documents = render_profile(load_profile(profile), templates_dir())
    name = next(name for name in documents if "statement" in name)
    target = profile.parent / name
    target.write_bytes(documents[name])
    return target


def sha256(*paths: Path) -> str:
    return hashlib.sha256(b"".join(path.read_bytes() for path in paths)).hexdigest()


def test_a_built_statement_names_its_profile_and_template_by_hash(profile: Path, statement: Path) -> None:
    templates = templates_dir()

    assert read_custom_properties(statement) == {
        "msgen.version": __version__,
        "msgen.schema_version": "1",
        "msgen.profile_name": "staffs.yaml",
        "msgen.profile_sha256": sha256(profile),
        "msgen.template_name": "statement.docx",
        "msgen.template_sha256": sha256(templates / "statement.docx", templates / "signature-block.docx"),
    }


def test_the_record_holds_no_folder_so_the_same_files_build_the_same_bytes_anywhere(
        profile: Path, statement: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "another" / "folder"
    elsewhere.mkdir(parents=True)
    shutil.copy(profile.parent / "signature.png", elsewhere)
    moved = Path(shutil.copy(profile, elsewhere / profile.name))

    rebuilt = render_profile(load_profile(moved), templates_dir())[statement.name]

    assert rebuilt == statement.read_bytes()


@pytest.mark.slow
def test_the_record_is_valid_ooxml_with_its_relationship_and_content_type(statement: Path) -> None:
    assert validate_docx(statement) == []
    assert zip_problems(statement) == []
    with zipfile.ZipFile(statement) as package:
        custom = etree.fromstring(package.read("docProps/custom.xml"))
        relationships = package.read("_rels/.rels").decode("utf-8")
        content_types = package.read("[Content_Types].xml").decode("utf-8")
    schema = etree.XMLSchema(etree.parse(str(xsd_dir() / "shared-documentPropertiesCustom.xsd")))
    assert schema.validate(custom), schema.error_log
    assert 'relationships/custom-properties" Target="docProps/custom.xml"' in relationships
    assert ('PartName="/docProps/custom.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"') in content_types


CUSTOM_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Classification">'
    '<vt:lpwstr>OFFICIAL</vt:lpwstr></property>'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="msgen.template_sha256">'
    '<vt:lpwstr>stale</vt:lpwstr></property></Properties>')


def with_custom_properties(template: Path) -> None:
    """The template as Word saves one with custom properties (a sensitivity label, and a
    record left from the document it was saved from)."""
    with zipfile.ZipFile(template) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["docProps/custom.xml"] = CUSTOM_XML.encode("utf-8")
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b"</Relationships>", (
        b'<Relationship Id="rId99" Target="docProps/custom.xml" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/custom-properties"/></Relationships>'))
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/docProps/custom.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>'))
    with zipfile.ZipFile(template, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)


def test_a_templates_own_custom_properties_are_kept_and_a_stale_record_replaced(
        profile: Path, statement: Path, tmp_path: Path) -> None:
    templates = Path(shutil.copytree(templates_dir(), tmp_path / "templates"))
    with_custom_properties(templates / "statement.docx")

    rebuilt = tmp_path / statement.name
    rebuilt.write_bytes(render_profile(load_profile(profile), templates)[statement.name])

    properties = read_custom_properties(rebuilt)
    assert properties["Classification"] == "OFFICIAL"
    assert properties["msgen.template_sha256"] == sha256(templates / "statement.docx",
                                                         templates / "signature-block.docx")
    with zipfile.ZipFile(rebuilt) as package:
        assert package.read("docProps/custom.xml").count(b'name="msgen.template_sha256"') == 1
    assert zip_problems(rebuilt) == []


def check(profile: Path, document: Path):
    return CliRunner().invoke(app, ["check", str(profile), "--docx", str(document)])


def test_check_says_which_profile_and_template_a_document_came_from(profile: Path, statement: Path) -> None:
    result = check(profile, statement)

    record = read_record(statement)
    assert (f"{statement.name}: built from staffs.yaml (sha256 {record.profile_sha256[:12]}…) with the template "
            f"statement.docx (sha256 {record.template_sha256[:12]}…) by msgen {__version__}") in result.stderr
    assert "docx.profile-hash" not in result.stdout


def test_check_flags_a_document_built_from_an_earlier_version_of_the_profile(
        profile: Path, statement: Path, tmp_path: Path) -> None:
    shutil.copy(profile.parent / "signature.png", tmp_path)
    later = tmp_path / profile.name
    later.write_text(profile.read_text(encoding="utf-8") + "# edited after the build\n", encoding="utf-8")

    result = check(later, statement)

    assert "docx.profile-hash" in result.stdout
    assert f"{statement.name}: built from a different version of staffs.yaml" in result.stdout
