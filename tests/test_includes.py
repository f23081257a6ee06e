"""Shared parts: a version-2 profile takes sections, bodies and its supplier charter from
another file, as a user meets it: the parts are in the built document, a mistake in an
include is one line naming the including file, its line and the include (exit 2), a mistake
inside shared text names the shared file and its line, and a change to a shared file is a
change to the profile (validity cache, build record)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import msgen
from msgen.document.buildrecord import read_record
from msgen.profile.loader import load_profile
from test_pull import edit_field, reviewed
from test_sections import rows

PROFILE = """\
schema_version: 2
slug: exampleshire
statement:
  title: Modern Slavery Statement
  financial_year: "2023-24"
bodies:
  - id: force
    legal_name: Exampleshire Constabulary
    type: police-force
  - {include: ../shared/region.yaml, body: region-office}
sections:
  - id: introduction
    heading: Introduction
    blocks:
      - p: We oppose slavery in all its forms.
  - {include: ../shared/region.yaml, section: working-together}
supplier_charter: {include: ../shared/region.yaml}
approval:
  body: Chief Officer Group
signatories:
  - {name: A Person, role: Chief Constable, organisation: force}
  - {name: B Person, role: Director, organisation: region-office}
"""

SHARED = """\
# Fixture (fictional): parts shared by the forces of a region.
schema_version: 2
bodies:
  - id: region-office
    legal_name: Exampleshire Regional Procurement Office
    type: other
sections:
  - id: working-together
    heading: Working together
    blocks:
      - p: The region's forces buy together.
supplier_charter:
  title: Regional Supplier Charter
  sections:
    - id: charter-opening
      heading: Our charter
      blocks:
        - p: Suppliers pay a fair wage.
    - {include: charter-more.yaml, section: reporting}
"""

MORE = """\
sections:
  - id: reporting
    heading: Reporting concerns
    blocks:
      - p: Suppliers report any concern at once.
"""


def write_profiles(tmp_path: Path, profile: str = PROFILE, shared: str = SHARED, more: str = MORE) -> Path:
    """profile.yaml in forces/, the shared files in shared/ beside it; the profile's path."""
    (tmp_path / "forces").mkdir(exist_ok=True)
    (tmp_path / "shared").mkdir(exist_ok=True)
    (tmp_path / "shared" / "region.yaml").write_text(shared, encoding="utf-8")
    (tmp_path / "shared" / "charter-more.yaml").write_text(more, encoding="utf-8")
    path = tmp_path / "forces" / "profile.yaml"
    path.write_text(profile, encoding="utf-8")
    return path


def build(profile: Path, out: Path, env: dict[str, str] | None = None) -> dict[str, Path]:
    """Each document built from `profile`, by its name after the slug."""
    out.mkdir(exist_ok=True)
    result = msgen("build", profile, "-o", out, "--format", "docx", "--force", env=env)
    assert result.exit_code == 0, result.output
    return {path.name.split("-", 1)[1]: path for path in out.glob("*.docx")}


def test_shared_sections_bodies_and_charter_are_built_with_the_profile_s_own(tmp_path):
    documents = build(write_profiles(tmp_path), tmp_path / "out")
    statement = [text for _, text in rows(documents["modern-slavery-statement-2023-24.docx"])]
    charter = [text for style, text in rows(documents["supplier-charter-2023-24.docx"])
               if style != "Subtitle" and text != "DRAFT — not approved"]
    assert statement[statement.index("Introduction"):statement.index("Working together") + 2] == [
        "Introduction", "We oppose slavery in all its forms.", "Working together", "The region's forces buy together."]
    assert any("B PersonDirectorExampleshire Regional Procurement Office" in text for text in statement)
    assert charter[:5] == ["Regional Supplier Charter 2023/24", "Our charter", "Suppliers pay a fair wage.",
                           "Reporting concerns", "Suppliers report any concern at once."]


def test_the_loader_says_which_file_each_value_was_written_in(tmp_path):
    path = write_profiles(tmp_path)
    profile = load_profile(path)
    shared, more = tmp_path / "shared" / "region.yaml", tmp_path / "shared" / "charter-more.yaml"
    assert profile.source_of(("sections", 0, "blocks", 0, "p")) == path
    assert profile.source_of(("sections", 1, "blocks", 0, "p")).resolve() == shared
    assert profile.source_of(("bodies", 1, "legal_name")).resolve() == shared
    assert profile.source_of(("supplier_charter", "title")).resolve() == shared
    assert profile.location_of(("supplier_charter", "sections", 1, "blocks", 0, "p"))[1] == 5
    assert profile.source_of(("supplier_charter", "sections", 1)).resolve() == more
    assert [p.resolve() for p in profile.included_files()] == [shared, more]


def test_a_mistake_inside_shared_text_names_the_shared_file_and_its_line(tmp_path):
    path = write_profiles(tmp_path, more=MORE.replace("p: Suppliers report any concern at once.", "p: 12"))
    result = msgen("validate", path)
    assert result.exit_code == 1
    assert f"{tmp_path / 'forces' / '..' / 'shared' / 'charter-more.yaml'}" not in result.output  # named plainly
    assert ("charter-more.yaml:5: supplier_charter.sections[1].blocks[0].p: expected text, got 12"
            in result.output), result.output


@pytest.mark.parametrize(("change", "line", "message"), [
    (lambda p, s: (p.replace("shared/region.yaml, section", "shared/regoin.yaml, section"), s), 16,
     "sections[1]: the shared file '../shared/regoin.yaml' does not exist (looked in "),
    (lambda p, s: (p.replace("section: working-together", "section: working-togther"), s), 16,
     "sections[1]: the shared file '../shared/region.yaml' has no section with the id 'working-togther' "
     "(ids: working-together, charter-opening, reporting); did you mean 'working-together'?"),
    (lambda p, s: (p.replace("body: region-office", "body: office"), s), 10,
     "bodies[1]: the shared file '../shared/region.yaml' has no body with the id 'office' (ids: region-office)"),
    (lambda p, s: (p, s.replace("supplier_charter:", "charter:")), 17,
     "supplier_charter: the shared file '../shared/region.yaml' has no supplier_charter"),
    (lambda p, s: (p, "- a list\n"), 10,
     "bodies[1]: the shared file '../shared/region.yaml' cannot be read on its line 1: a profile is a set of named "
     "fields (a mapping); this file holds a list"),
    (lambda p, s: (p, s.replace("title: Regional", "title: [Regional")), 10,
     "bodies[1]: the shared file '../shared/region.yaml' cannot be read on its line 14: malformed YAML"),
    (lambda p, s: (p, s.replace("schema_version: 2", "schema_version: 1")), 10,
     "bodies[1]: the shared file '../shared/region.yaml' is a version-1 profile; shared parts are version 2"),
    (lambda p, s: (p.replace("../shared/region.yaml}", "profile.yaml}"), s), 17,
     "supplier_charter: the shared file 'profile.yaml' goes round in a loop: profile.yaml → profile.yaml"),
])
def test_an_include_that_cannot_be_taken_in_is_one_line_naming_the_profile_its_line_and_the_include(
        tmp_path, change, line, message):
    profile, shared = change(PROFILE, SHARED)
    path = write_profiles(tmp_path, profile, shared)
    out = tmp_path / "out"
    out.mkdir()
    result = msgen("build", path, "-o", out)
    assert result.exit_code == 2
    assert f"{path}:{line}: {message}" in result.output, result.output
    assert "Traceback" not in result.output and not list(out.iterdir())


def test_a_loop_through_another_shared_file_is_named_where_it_closes(tmp_path):
    path = write_profiles(tmp_path, more=MORE + "  - {include: region.yaml, section: working-together}\n")
    result = msgen("build", path, "-o", tmp_path)
    assert result.exit_code == 2
    assert ("charter-more.yaml:6: sections[1]: the shared file 'region.yaml' goes round in a loop: "
            "region.yaml → charter-more.yaml → region.yaml") in result.output, result.output


def test_includes_nested_too_deep_are_refused(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    for depth in range(12):
        (shared / f"level{depth}.yaml").write_text(
            f"sections:\n  - {{include: level{depth + 1}.yaml, section: deep}}\n", encoding="utf-8")
    path = write_profiles(tmp_path, PROFILE.replace("../shared/region.yaml, section: working-together",
                                                     "../shared/level0.yaml, section: deep"))
    result = msgen("validate", path)
    assert result.exit_code == 1  # validate lists it among the profile's problems
    assert "level7.yaml:2: sections[0]: the shared file 'level8.yaml' would nest includes more than 8 files deep" \
        in result.output, result.output


def test_an_include_with_other_fields_beside_it_is_left_for_the_schema_to_name(tmp_path):
    path = write_profiles(tmp_path, PROFILE.replace("supplier_charter: {include: ../shared/region.yaml}",
                                                    "supplier_charter: {include: ../shared/region.yaml, title: T}"))
    result = msgen("validate", path)
    assert result.exit_code == 1
    assert "supplier_charter.title: unknown field 'title'; expected one of: include" in result.output


def test_a_change_to_a_shared_file_is_a_change_to_the_profile_of_the_documents_it_reaches(tmp_path):
    """The build record's profile hash covers the shared files each document took text from
    (a charter's shared text is not the statement's), and a profile found valid before is
    validated again once a shared file it takes from changes."""
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    env = {"MSGEN_CACHE_DIR": str(cache)}
    path = write_profiles(tmp_path)
    assert msgen("validate", path, env=env).exit_code == 0

    def recorded_hashes(out: Path) -> dict[str, str]:
        return {document: read_record(docx).profile_sha256 for document, docx in build(path, out, env).items()}

    hashes = [recorded_hashes(tmp_path / "0")]
    for step, (name, old, new) in enumerate([("charter-more.yaml", "at once.", "at once, by telephone."),
                                             ("region.yaml", "buy together.", "buy together and share a charter.")]):
        shared = tmp_path / "shared" / name
        shared.write_text(shared.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        hashes.append(recorded_hashes(tmp_path / f"{step + 1}"))
    statement, charter = "modern-slavery-statement-2023-24.docx", "supplier-charter-2023-24.docx"
    assert hashes[0][statement] == hashes[1][statement] != hashes[2][statement]
    assert hashes[0][charter] != hashes[1][charter] != hashes[2][charter]
    (tmp_path / "shared" / "charter-more.yaml").write_text(MORE.replace("p: Suppliers report any concern at once.",
                                                                        "p: 12"), encoding="utf-8")
    result = msgen("validate", path, env=env)
    assert result.exit_code == 1 and "charter-more.yaml:5:" in result.output


def test_a_version_1_profile_takes_nothing_in(tmp_path):
    """Includes are version 2's: a version-1 profile is read exactly as written."""
    example = Path(__file__).parents[1] / "examples" / "cambridgeshire-2020.yaml"
    profile = load_profile(example)
    assert profile.includes is None and profile.included_files() == ()
    assert profile.source_of(("organisations", 0, "name")) == example


def test_an_edit_in_word_to_shared_text_is_not_carried_into_the_profile_but_named_with_its_file(tmp_path):
    path = write_profiles(tmp_path)
    statement = build(path, tmp_path / "out")["modern-slavery-statement-2023-24.docx"]
    edited = reviewed(statement, tmp_path / "reviewed", lambda document: (
        edit_field(document, "sections[1].blocks[0].p", "The region's forces buy together, always."),
        edit_field(document, "sections[0].blocks[0].p", "We oppose slavery in every form.")))
    elsewhere = msgen("pull", edited, "-p", path, "-o", tmp_path / "pulled.yaml")
    assert elsewhere.exit_code == 1 and not (tmp_path / "pulled.yaml").exists()
    assert "pulled.yaml:10: bodies[1]: the shared file '../shared/region.yaml' does not exist" in elsewhere.output
    output = path.parent / "pulled.yaml"  # beside the profile, where its shared files are found
    result = msgen("pull", edited, "-p", path, "-o", output)
    assert result.exit_code == 0, result.output
    assert output.read_text(encoding="utf-8") == PROFILE.replace("in all its forms", "in every form")
    assert (f"sections[1].blocks[0].p is text of the shared file {tmp_path / 'shared' / 'region.yaml'}, so 'The "
            "region's forces buy together, always.' is not carried back into this profile; edit the shared file"
            ) in " ".join(result.stderr.split())
