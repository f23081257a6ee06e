"""`msgen build` and `msgen templates export`, run as a user runs them.

Most tests build real example profiles with small templates made here (so each shows
what it renders); the end-to-end tests use msgen's own templates and LibreOffice.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import docx
import pytest
import yaml

from msgen import resources
from ooxml import validate_docx, zip_problems
from pdfs import pdf_text
from test_render import make_template, paragraph_texts
from conftest import MSGEN, msgen

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CHARTERED = EXAMPLES / "norfolk-opcc-constabulary.yaml"  # has a supplier charter
JOINT = EXAMPLES / "staffordshire-joint-2022.yaml"  # three bodies, with a supplier charter too
STATEMENT = "norfolk-opcc-constabulary-modern-slavery-statement-2022-23.docx"
CHARTER = "norfolk-opcc-constabulary-supplier-charter-2022-23.docx"


@pytest.fixture
def templates(tmp_path) -> Path:
    """Small templates using the real context: title, bodies, signatories, charter."""
    folder = tmp_path / "templates"
    make_template(folder / "statement.docx", [
        "{{ statement.title }}", "{%p for org in organisations %}", "{{ org.name }}", "{%p endfor %}",
        '{%p include "signature-block.docx" %}'])
    make_template(folder / "supplier-charter.docx", ["{{ charter.title }}", '{%p include "signature-block.docx" %}'])
    make_template(folder / "signature-block.docx", [
        "{%p for person in signatories %}", "{{ person.name }}, {{ person.role }}", "{%p endfor %}"])
    return folder


@pytest.fixture
def out(tmp_path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def profile_copy(tmp_path: Path, source: Path, change) -> Path:
    """A copy of an example profile with `change(data)` applied."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / source.name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.slow
def test_build_writes_the_statement_and_the_charter_and_says_so(templates, out):
    result = msgen("build", CHARTERED, "-o", out, "--templates", templates)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"wrote {out / STATEMENT}", f"wrote {out / CHARTER}"]
    statement = paragraph_texts((out / STATEMENT).read_bytes())
    assert statement[:3] == ["Modern Slavery and Human Trafficking Statement",
                             "Office of the Police and Crime Commissioner for Norfolk", "Norfolk Constabulary"]
    assert statement[3] == "Giles Orpen-Smellie, Police and Crime Commissioner for Norfolk"
    charter = paragraph_texts((out / CHARTER).read_bytes())
    assert charter[0] == "7 Force Procurement Supplier Charter"


def test_profile_without_a_charter_gets_its_statement_and_a_note(tmp_path, templates, out):
    unchartered = profile_copy(tmp_path, JOINT, lambda data: data.pop("supplier_charter"))
    result = msgen("build", unchartered, "-o", out, "--templates", templates)
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["staffordshire-joint-modern-slavery-statement-2022-23.docx"]
    assert "no supplier charter in the profile; skipped" in result.stderr


def test_profile_text_comes_out_literally(tmp_path, templates, out):
    name = "Norfolk & <Suffolk> \"Constabulary\" {{ 7*7 }} {% if x %} Zażółć ŵ ŷ بيان"
    profile = profile_copy(tmp_path, CHARTERED, lambda data: data["organisations"][1].update(name=name))
    result = msgen("build", profile, "-o", out, "--templates", templates)
    assert result.exit_code == 0, result.output
    assert paragraph_texts((out / STATEMENT).read_bytes())[2] == name


def test_invalid_profile_lists_its_problems_and_writes_nothing(tmp_path, templates, out):
    profile = profile_copy(tmp_path, CHARTERED, lambda data: data.update(slug="Not A Slug"))
    result = msgen("build", profile, "-o", out, "--templates", templates)
    assert result.exit_code == 1
    assert f"{profile}:" in result.stderr and "slug" in result.stderr
    assert list(out.iterdir()) == []


@pytest.mark.slow
def test_existing_documents_are_kept_unless_forced(templates, out):
    assert msgen("build", CHARTERED, "-o", out, "--templates", templates).exit_code == 0
    (out / STATEMENT).write_bytes(b"reviewed by the lawyers")
    refused = msgen("build", CHARTERED, "-o", out, "--templates", templates)
    assert refused.exit_code == 3
    assert STATEMENT in refused.stderr and "--force" in refused.stderr
    assert (out / STATEMENT).read_bytes() == b"reviewed by the lawyers"
    assert msgen("build", CHARTERED, "-o", out, "--templates", templates, "--force").exit_code == 0
    assert (out / STATEMENT).read_bytes() != b"reviewed by the lawyers"


def test_a_document_open_in_word_stops_the_whole_build(templates, out):
    (out / ("~$" + STATEMENT[2:])).write_bytes(b"owner")
    result = msgen("build", CHARTERED, "-o", out, "--templates", templates, "--force")
    assert result.exit_code == 3 and "open in Word" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["~$" + STATEMENT[2:]]


def test_a_field_the_profile_lacks_names_template_and_field_and_writes_nothing(templates, out):
    make_template(templates / "statement.docx", ["{{ statement.title }}", "Lead: {{ statement.lead_officer }}"])
    result = msgen("build", CHARTERED, "-o", out, "--templates", templates)
    assert result.exit_code == 1
    assert str(templates / "statement.docx") in result.stderr and "lead_officer" in result.stderr
    assert list(out.iterdir()) == []


def test_nothing_is_written_when_the_second_document_fails(templates, out):
    make_template(templates / "supplier-charter.docx", ["{{ charter.no_such_field }}"])
    result = msgen("build", CHARTERED, "-o", out, "--templates", templates)
    assert result.exit_code == 1 and "no_such_field" in result.stderr
    assert list(out.iterdir()) == []


def test_templates_folder_missing_a_template_is_named(templates, out):
    (templates / "supplier-charter.docx").unlink()
    result = msgen("build", CHARTERED, "-o", out, "--templates", templates)
    assert result.exit_code == 2 and "supplier-charter.docx" in result.stderr


def test_missing_output_folder_is_named(tmp_path, templates):
    result = msgen("build", CHARTERED, "-o", tmp_path / "no-such-folder", "--templates", templates)
    assert result.exit_code == 3 and "no-such-folder" in result.stderr and "does not exist" in result.stderr


@pytest.mark.slow
def test_profile_without_approval_date_is_built_as_a_draft(tmp_path, templates, out):
    profile = profile_copy(tmp_path, CHARTERED, lambda data: data["approval"].pop("date"))
    assert msgen("build", profile, "-o", out, "--templates", templates).exit_code == 0
    for name in (STATEMENT, CHARTER):
        document = docx.Document(io.BytesIO((out / name).read_bytes()))
        assert document.core_properties.content_status == "Draft"
        assert "DRAFT — not approved" in "".join(document.sections[0].header._element.itertext())


# -- msgen's own templates, end to end ---------------------------------------------------------

def test_templates_export_copies_the_templates_and_keeps_edited_ones(tmp_path, out):
    folder = tmp_path / "my-templates"
    result = msgen("templates", "export", folder)
    assert result.exit_code == 0, result.output
    names = ["signature-block.docx", "statement.docx", "supplier-charter.docx"]
    assert sorted(p.name for p in folder.iterdir()) == ["page.html.j2", *names]
    assert (folder / "page.html.j2").read_bytes() == (resources.templates_dir(2) / "page.html.j2").read_bytes()
    assert all((folder / n).read_bytes() == (resources.templates_dir() / n).read_bytes() for n in names)
    assert msgen("build", CHARTERED, "-o", out, "--templates", folder).exit_code == 0
    (folder / "statement.docx").write_bytes(b"restyled in Word")
    refused = msgen("templates", "export", folder)
    assert refused.exit_code == 3 and "--force" in refused.stderr
    assert (folder / "statement.docx").read_bytes() == b"restyled in Word"
    assert msgen("templates", "export", folder, "--force").exit_code == 0
    assert (folder / "statement.docx").read_bytes() == (resources.templates_dir() / "statement.docx").read_bytes()


def test_builds_in_separate_processes_are_identical_valid_and_open_in_libreoffice(tmp_path, needs_office):
    from msgen.publish.office import convert

    runs = []
    for run in ("first", "second"):
        folder = tmp_path / run
        folder.mkdir()
        subprocess.run([MSGEN, "build", CHARTERED, JOINT, "-o", folder], check=True, capture_output=True)
        runs.append({p.name: p.read_bytes() for p in sorted(folder.iterdir())})
    assert runs[0] == runs[1] and len(runs[0]) == 4
    documents = sorted((tmp_path / "first").iterdir())
    for document in documents:
        assert validate_docx(document) == [], document.name
        assert zip_problems(document) == [], document.name
    pdfs = convert(documents, tmp_path / "pdf")
    assert "Norfolk Constabulary" in pdf_text(pdfs[0])
    assert "Staffordshire" in pdf_text(pdfs[2])
