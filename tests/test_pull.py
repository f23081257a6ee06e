"""`msgen pull`: a reviewer's edits in Word carried back into a copy of the profile; edits
outside profile fields listed as drift with where they stand."""

from __future__ import annotations

import copy
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Callable

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn
from typer.testing import Result

from msgen.build import render_profile
from msgen.document.buildrecord import read_custom_properties
from msgen.profile.loader import load_profile
from msgen.resources import templates_dir
from conftest import msgen

pytestmark = pytest.mark.slow  # builds documents in many processes: CI and the full run only

CLEAN = Path(__file__).parent / "fixtures" / "check"
FIELD = "areas.structure.paragraphs[0]"
FIELD_TEXT = "SCO and SP work across England and buy from UK suppliers."
ADDED_SENTENCE = "Our legal team reviewed this statement."


def profile_in(folder: Path, name: str = "staffs.yaml") -> Path:
    """clean.yaml (with its signature image) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(CLEAN / "signature.png", folder / "signature.png")
    return Path(shutil.copy(CLEAN / "clean.yaml", folder / name))


def build_statement(profile: Path) -> Path:
    documents = render_profile(load_profile(profile), templates_dir())
    name = next(name for name in documents if "statement" in name)
    (profile.parent / name).write_bytes(documents[name])
    return profile.parent / name


@pytest.fixture(autouse=True)
def signature_beside_outputs(tmp_path: Path) -> None:
    """The profile's signature image in each test's folder, where a new profile written
    there looks for it (validation would fail without it)."""
    shutil.copy(CLEAN / "signature.png", tmp_path / "signature.png")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(profile, the statement built from it)."""
    profile = profile_in(tmp_path_factory.mktemp("built"))
    return profile, build_statement(profile)


def controls(document, path: str) -> list:
    return [sdt for sdt in document.element.body.iter(qn("w:sdt"))
            if sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}").get(qn("w:val")) == path]


def set_control_text(control, text: str) -> None:
    texts = list(control.iter(qn("w:t")))
    texts[0].text = text
    for extra in texts[1:]:
        extra.text = ""


def edit_field(document, path: str = FIELD, text: str = FIELD_TEXT) -> None:
    set_control_text(controls(document, path)[0], text)


def template_paragraph(document):
    """The first body paragraph written by the template alone (no profile field in it)."""
    return next(p for p in document.paragraphs
                if p.style.name == "Normal" and p.text.strip() and p._p.find(f".//{qn('w:sdt')}") is None)


def add_sentence(document) -> None:
    paragraph = template_paragraph(document)
    paragraph.runs[-1].text += " " + ADDED_SENTENCE


def reviewed(statement: Path, folder: Path, *edits: Callable) -> Path:
    """A copy of the statement, edited with python-docx as a reviewer would in Word."""
    document = Document(str(statement))
    for edit in edits:
        edit(document)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "reviewed.docx"
    document.save(str(target))
    return target


def value_in(path: Path, *keys: str | int):
    value = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in keys:
        value = value[key]
    return value


def assert_pulled(result: Result, profile: Path, output: Path, original: bytes) -> None:
    """The acceptance: the bound edit in the new profile, the unbound one as drift."""
    assert result.exit_code == 0, result.output
    assert value_in(output, "areas", "structure", "paragraphs", 0) == FIELD_TEXT
    assert f"updated {FIELD}: 'SCO and SP work in the United Kingdom" in result.stdout
    assert "→ 'SCO and SP work across England and buy from UK suppliers.'" in result.stdout
    assert "reviewed.docx, paragraph 6 (under 'Introduction'): changed outside any profile field:" in result.stderr
    assert f"{ADDED_SENTENCE}'" in result.stderr
    assert f"wrote {output}: 1 field(s) updated, 1 edit(s) outside profile fields" in result.stdout
    assert profile.read_bytes() == original
    kept = output.read_text(encoding="utf-8")
    assert kept.startswith("# A statement every `msgen check` rule passes")  # comments kept
    assert kept.replace("work across England and buy from UK suppliers", "work in the United Kingdom and "
                        "buy most goods from suppliers based there") == original.decode("utf-8")


def test_a_field_edited_in_word_goes_into_a_copy_of_the_profile_and_other_edits_are_drift(
        built: tuple[Path, Path], tmp_path: Path) -> None:
    profile, statement = built
    original = profile.read_bytes()
    document = reviewed(statement, tmp_path, edit_field, add_sentence)
    output = tmp_path / "updated.yaml"

    result = msgen("pull", document, "--profile", profile, "-o", output)

    assert_pulled(result, profile, output, original)
    strict = msgen("pull", document, "--profile", profile, "-o", tmp_path / "strict.yaml", "--strict")
    assert strict.exit_code == 1


@pytest.mark.office
def test_edits_survive_a_round_trip_through_libreoffice(built: tuple[Path, Path], tmp_path: Path) -> None:
    from msgen.publish.office import convert

    profile, statement = built
    original = profile.read_bytes()
    edited = reviewed(statement, tmp_path / "edited", edit_field, add_sentence)
    [round_tripped] = convert([edited], tmp_path / "resaved", fmt="docx")
    output = tmp_path / "updated.yaml"

    result = msgen("pull", round_tripped, "--profile", profile, "-o", output)

    assert_pulled(result, profile, output, original)
    assert read_custom_properties(round_tripped) == read_custom_properties(statement)  # the build record too


def test_an_unedited_document_gives_an_identical_copy(built: tuple[Path, Path], tmp_path: Path) -> None:
    profile, statement = built
    output = tmp_path / "same.yaml"

    result = msgen("pull", statement, "--profile", profile, "-o", output, "--strict")

    assert result.exit_code == 0, result.output
    assert output.read_bytes() == profile.read_bytes()
    assert f"wrote {output}: 0 field(s) updated, 0 edit(s) outside profile fields" in result.stdout


def test_added_and_removed_paragraphs_and_a_composed_value_are_drift(
        built: tuple[Path, Path], tmp_path: Path) -> None:
    profile, statement = built

    def edit(document) -> None:
        # "Financial year 2022/23", under the title and the bodies' names: composed from the profile's year
        subtitle = next(p for p in document.paragraphs if p.text.startswith("Financial year"))
        subtitle.runs[0].text = subtitle.runs[0].text.replace("2022/23", "2023/24")
        paragraph = template_paragraph(document)
        paragraph.insert_paragraph_before("A sentence the lawyer added.")
        document.paragraphs[-1]._p.getparent().remove(document.paragraphs[-1]._p)

    last = Document(str(statement)).paragraphs[-1].text
    result = msgen("pull", reviewed(statement, tmp_path, edit), "--profile", profile, "-o", tmp_path / "new.yaml")

    assert result.exit_code == 0, result.output
    assert "paragraph 4 (under 'Joint Modern Slavery and Human …'): changed outside any profile field: " \
           "'Financial year 2022/23' → 'Financial year 2023/24'" in result.stderr
    assert "paragraph 6 (under 'Introduction'): added outside any profile field: " \
           "'A sentence the lawyer added.'" in result.stderr
    assert f"removed: '{last[:30]}" in result.stderr
    assert value_in(tmp_path / "new.yaml", "statement", "financial_year") == "2022-23"


def test_a_field_edited_in_one_of_the_places_it_appears_is_taken(built: tuple[Path, Path], tmp_path: Path) -> None:
    profile, statement = built

    def rename(document) -> None:
        set_control_text(controls(document, "organisations[1].name")[0], "Staffordshire Police Force")

    result = msgen("pull", reviewed(statement, tmp_path, rename), "--profile", profile, "-o", tmp_path / "new.yaml")

    assert result.exit_code == 0, result.output
    assert value_in(tmp_path / "new.yaml", "organisations", 1, "name") == "Staffordshire Police Force"
    assert ("updated organisations[1].name: 'Staffordshire Police' → 'Staffordshire Police Force' (edited in 1 of "
            "the 2 places it appears; the next build shows it everywhere)") in result.stdout


def test_a_field_edited_two_ways_is_an_error_naming_both_and_nothing_is_written(
        built: tuple[Path, Path], tmp_path: Path) -> None:
    profile, statement = built

    def two_ways(document) -> None:
        first, second = controls(document, "organisations[1].name")
        set_control_text(first, "Staffordshire Police Force")
        set_control_text(second, "Staffs Police")

    document = reviewed(statement, tmp_path, two_ways)
    result = msgen("pull", document, "--profile", profile, "-o", tmp_path / "new.yaml")

    assert result.exit_code == 1
    assert "organisations[1].name: 'Staffordshire Police Force' at reviewed.docx, paragraph" in result.stderr
    assert "but 'Staffs Police' at reviewed.docx, paragraph" in result.stderr
    assert (f"{document}: 1 field(s) edited differently in different places; nothing was written "
            "(make each field read the same everywhere") in result.stderr
    assert not (tmp_path / "new.yaml").exists()


def test_a_field_emptied_in_word_is_an_error_and_nothing_is_written(built: tuple[Path, Path], tmp_path: Path) -> None:
    profile, statement = built

    def empty(document) -> None:  # Word shows its placeholder text in an emptied content control
        control = controls(document, FIELD)[0]
        control.find(qn("w:sdtPr")).append(control.makeelement(qn("w:showingPlcHdr"), {}))
        set_control_text(control, "Click or tap here to enter text.")

    output = tmp_path / "new.yaml"
    result = msgen("pull", reviewed(statement, tmp_path, empty), "--profile", profile, "-o", output)

    assert result.exit_code == 1
    assert f"{output}:" in result.stderr and f"{FIELD}:" in result.stderr
    assert "(the document reads '' at reviewed.docx, paragraph" in result.stderr
    assert f"{output}: the profile with the document's edits would not be valid, so it was not written" in result.stderr
    assert not output.exists()


def test_tracked_changes_read_as_accepted(built: tuple[Path, Path], tmp_path: Path) -> None:
    profile, statement = built

    def track(document) -> None:  # Word's Track Changes: the old run deleted, a new one inserted
        run = controls(document, FIELD)[0].find(f"{qn('w:sdtContent')}/{qn('w:r')}")
        deleted, inserted = run.makeelement(qn("w:del"), {}), run.makeelement(qn("w:ins"), {})
        for change in (deleted, inserted):
            change.set(qn("w:id"), "1" if change is deleted else "2")
            change.set(qn("w:author"), "Legal")
        new_run = copy.deepcopy(run)
        new_run.find(qn("w:t")).text = FIELD_TEXT
        run.addprevious(deleted)
        run.addprevious(inserted)
        run.find(qn("w:t")).tag = qn("w:delText")
        deleted.append(run)
        inserted.append(new_run)

    result = msgen("pull", reviewed(statement, tmp_path, track), "--profile", profile, "-o", tmp_path / "new.yaml")

    assert result.exit_code == 0, result.output
    assert value_in(tmp_path / "new.yaml", "areas", "structure", "paragraphs", 0) == FIELD_TEXT


def test_a_json_profile_is_updated_with_its_key_order_kept(tmp_path: Path) -> None:
    folder = tmp_path / "json"
    data = yaml.safe_load((CLEAN / "clean.yaml").read_text(encoding="utf-8"))
    profile = profile_in(folder)
    profile = profile.rename(folder / "staffs.json")
    profile.write_text(json.dumps(data, indent=2), encoding="utf-8")
    document = reviewed(build_statement(profile), tmp_path, edit_field)

    result = msgen("pull", document, "--profile", profile, "-o", tmp_path / "new.json")

    assert result.exit_code == 0, result.output
    updated = json.loads((tmp_path / "new.json").read_text(encoding="utf-8"))
    assert updated["areas"]["structure"]["paragraphs"][0] == FIELD_TEXT
    assert list(updated) == list(data)


def test_a_profile_changed_since_the_build_is_refused_unless_asked(built: tuple[Path, Path], tmp_path: Path) -> None:
    profile, statement = built
    later = profile_in(tmp_path / "later", profile.name)
    later.write_text(later.read_text(encoding="utf-8").replace("title: Joint Modern", "title: The Joint Modern"),
                     encoding="utf-8")

    refused = msgen("pull", statement, "--profile", later, "-o", tmp_path / "new.yaml")
    taken = msgen("pull", statement, "--profile", later, "-o", tmp_path / "new.yaml", "--profile-changed")

    assert refused.exit_code == 1
    assert (f"{statement}: the document was built from another version of staffs.yaml (sha256 ") in refused.stderr
    assert "--profile-changed" in refused.stderr
    assert taken.exit_code == 0, taken.output
    assert value_in(tmp_path / "new.yaml", "statement", "title").startswith("Joint Modern Slavery")
    assert "every field that differs was taken from the document (--profile-changed)" in taken.stderr


def test_the_output_never_replaces_the_profile_nor_an_existing_file_without_force(
        built: tuple[Path, Path], tmp_path: Path) -> None:
    profile, statement = built
    existing = tmp_path / "existing.yaml"
    existing.write_text("kept\n", encoding="utf-8")

    over_profile = msgen("pull", statement, "--profile", profile, "-o", profile, "--force")
    over_existing = msgen("pull", statement, "--profile", profile, "-o", existing)

    assert over_profile.exit_code == 2
    assert f"the output would replace the input {profile}" in over_profile.stderr
    assert over_existing.exit_code == 3
    assert f"{existing}: already exists (run again with --force to replace it)" in over_existing.stderr
    assert existing.read_text(encoding="utf-8") == "kept\n"


def test_a_document_that_is_not_a_built_docx_is_refused(built: tuple[Path, Path], tmp_path: Path) -> None:
    profile, _ = built
    not_docx = tmp_path / "statement.docx"
    not_docx.write_text("a PDF renamed, say", encoding="utf-8")
    no_fields = tmp_path / "plain.docx"
    Document().save(str(no_fields))

    wrong_type = msgen("pull", not_docx, "--profile", profile, "-o", tmp_path / "a.yaml")
    fieldless = msgen("pull", no_fields, "--profile", profile, "-o", tmp_path / "b.yaml")

    assert wrong_type.exit_code == 1
    assert "statement.docx: this is not a Word document (.docx)" in wrong_type.stderr
    assert fieldless.exit_code == 1
    assert f"{no_fields}: the document has no msgen fields (content controls) to carry back" in fieldless.stderr


def without_build_record(document: Path) -> Path:
    """The document as a program that drops custom properties saves it."""
    with zipfile.ZipFile(document) as source:
        parts = {name: source.read(name) for name in source.namelist() if name != "docProps/custom.xml"}
    parts["_rels/.rels"] = re.sub(rb'<Relationship [^>]*docProps/custom.xml"/>', b"", parts["_rels/.rels"])
    with zipfile.ZipFile(document, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return document


def test_a_field_the_profile_lacks_is_drift(built: tuple[Path, Path], tmp_path: Path) -> None:
    profile, statement = built

    def retag(document) -> None:
        controls(document, "organisations[1].name")[0].find(f"{qn('w:sdtPr')}/{qn('w:tag')}").set(
            qn("w:val"), "organisations[7].name")

    document = reviewed(statement, tmp_path, retag)
    result = msgen("pull", document, "--profile", profile, "-o", tmp_path / "new.yaml")

    assert result.exit_code == 0, result.output
    assert ("the field organisations[7].name is not in the profile, so 'Staffordshire Police' cannot be "
            "carried back") in result.stderr
    assert (tmp_path / "new.yaml").read_bytes() == profile.read_bytes()


def test_a_missing_record_is_a_warning(built: tuple[Path, Path], tmp_path: Path) -> None:
    profile, statement = built
    document = reviewed(statement, tmp_path, edit_field)
    without_build_record(document)
    result = msgen("pull", document, "--profile", profile, "-o", tmp_path / "new.yaml")

    assert result.exit_code == 0, result.output
    assert (f"{document}: the document has no build record, so msgen cannot tell whether staffs.yaml changed "
            "after it was built") in result.stderr
    assert value_in(tmp_path / "new.yaml", "areas", "structure", "paragraphs", 0) == FIELD_TEXT


def test_pull_refuses_another_profiles_document_even_without_its_build_record(
        built: tuple[Path, Path], tmp_path: Path) -> None:
    profile, _ = built
    other_body = profile_in(tmp_path / "other", "other.yaml")
    other_body.write_text(other_body.read_text(encoding="utf-8").replace(
        "Staffordshire Commissioner's Office", "Exampleshire Commissioner's Office"), encoding="utf-8")
    document = build_statement(other_body)
    without_build_record(document)
    extra_field = reviewed(build_statement(profile), tmp_path / "retagged", lambda d: controls(
        d, FIELD)[0].find(f"{qn('w:sdtPr')}/{qn('w:tag')}").set(qn("w:val"), "areas.structure.paragraphs[9]"))
    without_build_record(extra_field)

    renamed = msgen("pull", document, "--profile", profile, "-o", tmp_path / "new.yaml")
    unknown = msgen("pull", extra_field, "--profile", profile, "-o", tmp_path / "new.yaml")

    assert renamed.exit_code == 1, renamed.output
    assert (f"{document}: the document has no build record and it names a body 'Exampleshire Commissioner's "
            "Office' where staffs.yaml has 'Staffordshire Commissioner's Office', so it looks built from another "
            "profile; nothing was written (pull it into the profile it was built from") in renamed.stderr
    assert unknown.exit_code == 1, unknown.output
    assert ("no build record and its field areas.structure.paragraphs[9] is not in staffs.yaml" in unknown.stderr)
    assert not (tmp_path / "new.yaml").exists()

def test_profile_changed_still_refuses_another_bodys_statement(built: tuple[Path, Path], tmp_path: Path) -> None:
    profile, _ = built
    other_body = profile_in(tmp_path / "other", "other.yaml")
    other_body.write_text(other_body.read_text(encoding="utf-8").replace(
        "Staffordshire Commissioner's Office", "Exampleshire Commissioner's Office"), encoding="utf-8")
    document = build_statement(other_body)  # its build record names other.yaml

    result = msgen("pull", document, "--profile", profile, "-o", tmp_path / "new.yaml", "--profile-changed")

    assert result.exit_code == 1, result.output
    assert (f"{document}: the document was built from another profile file and it names a body 'Exampleshire "
            "Commissioner's Office' where staffs.yaml has 'Staffordshire Commissioner's Office'") in result.stderr
    assert not (tmp_path / "new.yaml").exists()
