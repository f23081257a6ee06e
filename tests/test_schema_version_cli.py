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

V2_FILES = ["clauses.en.yaml", "signature-block.docx", "statement.docx", "supplier-charter.docx"]


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


def test_templates_export_gives_version_2_s_templates_and_clause_file_all_or_none(tmp_path: Path) -> None:
    folder = tmp_path / "v2-templates"

    result = msgen("templates", "export", folder, "--schema-version", "2")

    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in folder.iterdir()) == V2_FILES
    assert all((folder / name).read_bytes() == (resources.templates_dir(2) / name).read_bytes() for name in V2_FILES)
    (folder / "clauses.en.yaml").write_text("emergency-contact: Call 999.\n", encoding="utf-8")
    (folder / "statement.docx").unlink()
    refused = msgen("templates", "export", folder, "--schema-version", "2")
    assert refused.exit_code == 3 and "--force" in refused.stderr
    assert sorted(path.name for path in folder.iterdir()) == sorted(set(V2_FILES) - {"statement.docx"})
    assert (folder / "clauses.en.yaml").read_text(encoding="utf-8") == "emergency-contact: Call 999.\n"
    assert msgen("templates", "export", folder, "--schema-version", "2", "--force").exit_code == 0
    assert (folder / "clauses.en.yaml").read_bytes() == (resources.templates_dir(2) / "clauses.en.yaml").read_bytes()


def test_a_clause_reworded_in_the_exported_file_is_what_the_statement_prints(tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text(PROFILE.replace('      - p: "We endorse this statement."',
                                       '      - p: "We endorse this statement."\n      - clause: statement-number'),
                       encoding="utf-8")
    templates = tmp_path / "my-clauses"
    assert msgen("templates", "export", templates, "--schema-version", "2").exit_code == 0
    clauses = templates / "clauses.en.yaml"
    clauses.write_text(clauses.read_text(encoding="utf-8").replace(
        "This is {{ we.possessive }} {{ statement.ordinal }} statement.",
        "{{ we.Subject }} publishes its {{ statement.ordinal }} statement."), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()

    assert msgen("build", profile, "-o", out, "--templates", templates).exit_code == 0

    texts = [text for _, text in rows(next(out.glob("*statement*.docx")))]
    assert "The Force publishes its third statement." in texts
    assert "This is the Force's third statement." not in texts
