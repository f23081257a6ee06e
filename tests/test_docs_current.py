"""The reference documents in docs/ are what msgen generates from its schema, so they
never tell an officer about a field that is not there (or miss one that is)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from msgen import docs


@pytest.mark.parametrize("name", docs.DOCUMENTS)
def test_document_is_up_to_date(name: str) -> None:
    written = (docs.DOCS_DIR / name).read_text(encoding="utf-8") if (docs.DOCS_DIR / name).is_file() else ""

    assert written == docs.DOCUMENTS[name](), (
        f"docs/{name} is out of date: run `{docs.REGENERATE}` and commit the result")


def test_check_reports_a_stale_document_and_the_command_to_fix_it(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "profile.md").write_text("# an old reference\n", encoding="utf-8")

    assert docs.main(["--check", "--out", str(tmp_path)]) == 1
    assert f"{tmp_path / 'profile.md'} is out of date; run `python -m msgen.docs`" in capsys.readouterr().err

    assert docs.main(["--out", str(tmp_path)]) == 0
    assert docs.main(["--check", "--out", str(tmp_path)]) == 0


@cache
def profile_reference() -> str:
    return docs.profile_reference()


def only_row(text: str, first_cell: str) -> str:
    """The one table row of `text` whose first cell is `first_cell`."""
    rows = [line for line in text.splitlines() if line.startswith(f"| {first_cell} |")]
    assert len(rows) == 1, f"{first_cell}: {len(rows)} rows"
    return rows[0]


def row(path: str) -> str:
    """The profile.md table row of a field."""
    return only_row(profile_reference(), f"`{path}`")


@pytest.mark.parametrize(("path", "shown"), [
    ("statement.kind", "| text | yes | **Kind.** single: one body's statement."),
    ("statement.kind", "one of: `single`, `joint`"),
    ("statement.years_producing", "at least 1; at most 100"),
    ("organisations[].short_name", "| [Short text](#value-types) | no | **Abbreviation.**"),
    ("organisations[].short_name", "not empty; at most 20 characters"),
    ("signatories[].date", "| [Date](#value-types) | no | **Date signed.**"),
    ("areas.structure.reason", "| when included is false |"),
    ("areas.structure.paragraphs", "| when included is true |"),
    ("areas.structure.paragraphs", "not allowed when included is false"),
    ("custom_sections[].content", "each has exactly one of its fields"),
    ("custom_sections[].content[].bullets", "| list of [Paragraph](#value-types) | no |"),
    ("registry.sectors", "each one of: `Public sector`"),
    ("schema_version", "always `1`"),
])
def test_profile_reference_shows_what_the_schema_says(path: str, shown: str) -> None:
    assert shown in row(path)


def test_profile_reference_links_every_section_and_describes_value_types() -> None:
    text = profile_reference()

    for section in ("statement", "organisations", "areas", "signatories", "approval"):
        assert f"- [`{section}`](#{section}):" in text
        assert f"\n## {section}\n" in text
    assert "| Date | date (YYYY-MM-DD) | A calendar date written YYYY-MM-DD" in text


@cache
def profile_v2_reference() -> str:
    return docs.profile_v2_reference()


def table_row(heading: str, first_cell: str) -> str:
    """The row whose first cell is `first_cell` in the profile-v2.md table under `heading`."""
    return only_row(profile_v2_reference().split(f"\n{heading}\n", 1)[1].split("\n#", 1)[0], first_cell)


@pytest.mark.parametrize(("kind", "shown"), [
    ("p", "| [Text](#value-types) | — | **Paragraph.** A paragraph. |"),
    ("list", "`numbered` (true or false): true for 1., 2., 3.; false or absent for bullets"),
    ("quote", "`source` ([Text](#value-types)): Who said or wrote it"),
    ("image", "`alt` ([Short text](#value-types), required): What the picture shows"),
    ("clause", "`area` (text): For not-covered: the area this statement does not cover; `reason`"),
    ("data", "`lead_in` ([Text](#value-types)): The body's own sentence before the data"),
])
def test_the_v2_reference_has_one_row_per_block_kind_with_its_options(kind: str, shown: str) -> None:
    assert shown in table_row("## Blocks", f"`{kind}`")


def test_the_v2_reference_lists_every_block_kind_data_block_and_clause_the_schema_allows() -> None:
    from msgen import resources

    defs = resources.schema(2)["$defs"]
    for rule in defs["block"]["allOf"]:
        table_row("## Blocks", f"`{rule['if']['required'][0]}`")
    for name in defs["block_data"]["properties"]["data"]["enum"]:
        table_row("## Data blocks", f"`{name}`")
    for name in defs["block_clause"]["properties"]["clause"]["enum"]:
        assert table_row("## Standard clauses", f"`{name}`").count("`") == 4  # the name, then its wording


@pytest.mark.parametrize(("heading", "first_cell", "shown"), [
    # the shared forms, as one row each beside the own form's fields
    ("## sections", "`sections[]`", "| shared form | no | **Shared section.** A section taken from a shared "
                                    "file. Written `{include: FILE, section: ID}` in place of the fields below."),
    ("## bodies", "`bodies[]`", "Written `{include: FILE, body: ID}` in place of the fields below."),
    ("## sections", "`sections[].blocks`", "| list of [Block](#blocks) | yes |"),
    ("## sections", "`sections[].signatories`", "| [Signatories](#signatories) | no |"),
    ("## statement", "`statement.years_producing`", "| whole number or `unknown` | no |"),
    ("## Standard clauses", "`legal-basis`",
     "| `This statement is made under section 54(1) of the Modern Slavery Act 2015.` |"),
    ("## Data blocks", "`policies`", "[`data.policies`](#data): **Policies.**"),
    ("## Data blocks", "`signatures`", "the approval record ([`approval`](#approval)), then the signature table"),
])
def test_the_v2_reference_shows_shared_forms_data_blocks_and_clause_wording(heading: str, first_cell: str,
                                                                            shown: str) -> None:
    assert shown in table_row(heading, first_cell)


def test_check_reports_the_v2_reference_stale_when_its_block_table_is_missing(tmp_path: Path) -> None:
    assert docs.main(["--out", str(tmp_path)]) == 0
    written = (tmp_path / "profile-v2.md").read_text(encoding="utf-8")
    (tmp_path / "profile-v2.md").write_text(written.split("## Blocks")[0], encoding="utf-8")

    assert docs.stale_documents(tmp_path) == ["profile-v2.md"]
    assert docs.main(["--check", "--out", str(tmp_path)]) == 1
