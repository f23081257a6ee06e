"""`--schema-version` on the commands that hand out msgen's own files: `msgen schema` prints
the schema a version-2 profile is checked against, and `msgen templates export` gives the
version-2 templates with the clause file a user rewords."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from msgen import resources
from conftest import msgen
from test_sections import PROFILE, rows

V2_FILES = ["clauses.cy.yaml", "clauses.en.yaml", "page.html.j2", "signature-block.docx", "statement.docx", "supplier-charter.docx"]


def test_schema_prints_version_2_when_asked_and_version_1_by_default() -> None:
    asked = msgen("schema", "--schema-version", "2")
    default = msgen("schema")

    assert asked.exit_code == default.exit_code == 0
    assert asked.stdout == resources.schema_path(2).read_text(encoding="utf-8")
    Draft202012Validator.check_schema(json.loads(asked.stdout))
    assert json.loads(asked.stdout)["properties"]["schema_version"]["const"] == 2
    assert json.loads(default.stdout)["properties"]["schema_version"]["const"] == 1


@pytest.mark.parametrize("command", [("schema",), ("templates", "export")])
def test_an_unknown_schema_version_is_one_line_and_exit_2(tmp_path: Path, command: tuple[str, ...]) -> None:
    folder = (tmp_path / "folder",) if "export" in command else ()

    result = msgen(*command, *folder, "--schema-version", "3")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "msgen: error: there is no profile schema version 3 (give --schema-version 1 or 2)"]
    assert not (tmp_path / "folder").exists()


def statement_texts(profile: Path, out: Path, templates: Path) -> list[str]:
    out.mkdir()
    assert msgen("build", profile, "-o", out, "--templates", templates).exit_code == 0
    return [text for _, text in rows(next(out.glob("*statement*.docx")))]


def test_templates_export_gives_version_2_s_templates_and_the_clause_file_a_build_reads(tmp_path: Path) -> None:
    folder = tmp_path / "my-clauses"
    profile = tmp_path / "profile.yaml"
    profile.write_text(PROFILE.replace('      - p: "We endorse this statement."',
                                       '      - p: "We endorse this statement."\n      - clause: emergency-contact'),
                       encoding="utf-8")

    result = msgen("templates", "export", folder, "--schema-version", "2")

    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in folder.iterdir()) == V2_FILES
    assert all((folder / name).read_bytes() == (resources.templates_dir(2) / name).read_bytes() for name in V2_FILES)
    assert "If you believe someone is in immediate danger, call 999." in " ".join(
        statement_texts(profile, tmp_path / "as-exported", folder))
    (folder / "clauses.en.yaml").write_text("emergency-contact: In an emergency, call 999.\n", encoding="utf-8")
    assert "In an emergency, call 999." in statement_texts(profile, tmp_path / "reworded", folder)

    (folder / "statement.docx").unlink()
    refused = msgen("templates", "export", folder, "--schema-version", "2")
    assert refused.exit_code == 3 and "--force" in refused.stderr
    assert sorted(path.name for path in folder.iterdir()) == sorted(set(V2_FILES) - {"statement.docx"})
    assert (folder / "clauses.en.yaml").read_text(encoding="utf-8") == "emergency-contact: In an emergency, call 999.\n"
    assert msgen("templates", "export", folder, "--schema-version", "2", "--force").exit_code == 0
    assert (folder / "clauses.en.yaml").read_bytes() == (resources.templates_dir(2) / "clauses.en.yaml").read_bytes()
