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


def row(path: str) -> str:
    """The profile.md table row of a field."""
    rows = [line for line in profile_reference().splitlines() if line.startswith(f"| `{path}` |")]
    assert len(rows) == 1, f"{path}: {len(rows)} rows"
    return rows[0]


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
