"""`msgen check` as an officer runs it: what it prints, the JSON it writes, its exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import MSGEN, msgen

FIXTURES = Path(__file__).parent / "fixtures" / "check"


def profile_with(tmp_path: Path, **changes: object) -> Path:
    """clean.yaml, with top-level statement fields changed, written beside its signature."""
    data = yaml.safe_load((FIXTURES / "clean.yaml").read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        section, field = dotted.split("__")
        data[section][field] = value
    shutil.copy(FIXTURES / "signature.png", tmp_path / "signature.png")
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_a_clean_profile_passes_with_exit_0() -> None:
    result = msgen("check", FIXTURES / "clean.yaml")

    assert result.exit_code == 0
    assert result.stdout.strip() == "no problems found"


def test_errors_fail_with_exit_1_grouped_by_severity_with_fix_and_source(tmp_path: Path) -> None:
    profile = profile_with(tmp_path, approval__date="2023-03-01", statement__legal_basis="statutory")

    result = msgen("check", profile)

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "Errors (1)"
    assert lines[1] == "  law.approval-date"
    assert lines[2].startswith(f"    {profile}:") and lines[2].endswith(
        ": approval.date: approved on 1 March 2023, before the period it reports on ended (31 March 2023)")
    assert lines[3] == "    fix: Set approval.date to the day the board approved this year's statement."
    assert lines[4] == "    source: Modern Slavery Act 2015 s54(4) and (6)"
    assert lines[5] == "Warnings (1)"
    assert lines[6] == "  guidance.legal-basis"
    assert lines[-1] == "1 error, 1 warning: fix the errors before publishing"


def test_warnings_pass_unless_strict(tmp_path: Path) -> None:
    profile = profile_with(tmp_path, statement__legal_basis="statutory")

    assert msgen("check", profile).exit_code == 0
    strict = msgen("check", profile, "--strict")
    assert strict.exit_code == 1
    assert strict.stdout.splitlines()[-1] == "0 errors, 1 warning: --strict fails on warnings"


def test_json_lists_each_finding_with_its_six_fields(tmp_path: Path) -> None:
    profile = profile_with(tmp_path, approval__date="2023-03-01")

    result = msgen("check", profile, "--json")

    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"findings": [{
        "rule": "law.approval-date",
        "severity": "error",
        "path": "approval.date",
        "message": "approved on 1 March 2023, before the period it reports on ended (31 March 2023)",
        "fix": "Set approval.date to the day the board approved this year's statement.",
        "source": "Modern Slavery Act 2015 s54(4) and (6)",
    }]}


def test_an_invalid_profile_is_reported_as_findings_not_a_crash(tmp_path: Path) -> None:
    profile = profile_with(tmp_path, statement__kind="both")

    result = msgen("check", profile, "--json")

    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["path"]) == ("profile.schema", "statement.kind")
    assert finding["message"].startswith("'both' is not allowed; expected 'single', 'joint'")


@pytest.mark.parametrize(("args", "message"), [
    ((), "give a profile to check, or --templates FOLDER"),
    (("--docx", "statement.docx"), "--docx needs the profile the document was built from"),
    (("missing.yaml",), "missing.yaml: no such file"),
])
@pytest.mark.slow
def test_usage_mistakes_exit_2_with_one_line(tmp_path: Path, args: tuple, message: str) -> None:
    result = subprocess.run([MSGEN, "check", *args], capture_output=True, text=True, cwd=tmp_path, check=False)

    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_document_that_is_not_a_docx_is_a_wrong_document(tmp_path: Path) -> None:
    not_a_document = tmp_path / "statement.docx"
    not_a_document.write_text("hello", encoding="utf-8")

    result = msgen("check", FIXTURES / "clean.yaml", "--docx", not_a_document)

    assert result.exit_code == 1
    assert f"{not_a_document}: this is not a Word document (.docx)" in result.stderr


def test_built_documents_are_checked_with_their_profile(tmp_path: Path) -> None:
    build = msgen("build", FIXTURES / "clean.yaml", "-o", tmp_path)
    assert build.exit_code == 0, build.output
    documents = sorted(tmp_path.glob("*.docx"))

    result = msgen("check", FIXTURES / "clean.yaml", *(arg for d in documents for arg in ("--docx", d)))

    assert len(documents) == 2
    assert result.exit_code == 0, result.stdout
    assert result.stdout.strip() == "no problems found"


def test_docx_takes_every_document_the_shell_expands_from_one_glob(tmp_path: Path) -> None:
    """`msgen check profile.yaml --docx out/*.docx`, as the README shows it."""
    assert msgen("build", FIXTURES / "clean.yaml", "-o", tmp_path).exit_code == 0
    documents = sorted(tmp_path.glob("*.docx"))

    result = msgen("check", FIXTURES / "clean.yaml", "--docx", *documents)

    assert len(documents) == 2
    assert result.exit_code == 0, result.output
    assert all(f"{document.name}: built from clean.yaml" in result.stderr for document in documents)


def test_templates_are_checked_against_the_schema(tmp_path: Path) -> None:
    from docx import Document

    Document().save(str(tmp_path / "statement.docx"))

    result = msgen("check", "--templates", tmp_path, "--json")

    assert result.exit_code == 1
    found = json.loads(result.stdout)["findings"]
    assert {f["rule"] for f in found} == {"templates.unused-required"}
    assert "approval.body" in {f["path"] for f in found}


def test_build_refuses_a_profile_with_errors_and_writes_nothing(tmp_path: Path) -> None:
    profile = profile_with(tmp_path, approval__date="2023-03-01")
    out = tmp_path / "out"
    out.mkdir()

    result = msgen("build", profile, "-o", out)

    assert result.exit_code == 1
    assert (f"{profile}:" in result.stderr and "approval.date: approved on 1 March 2023, before the period it "
            "reports on ended (31 March 2023) [law.approval-date]" in result.stderr)
    assert "msgen check found 1 error(s); nothing was built" in result.stderr and "--draft" in result.stderr
    assert list(out.iterdir()) == []


@pytest.mark.slow
def test_build_with_draft_writes_every_page_marked_draft(tmp_path: Path) -> None:
    from docx import Document

    profile = profile_with(tmp_path, approval__date="2023-03-01")
    out = tmp_path / "out"
    out.mkdir()

    result = msgen("build", profile, "-o", out, "--draft")

    assert result.exit_code == 0, result.output
    for written in sorted(out.glob("*.docx")):
        document = Document(str(written))
        assert all("DRAFT" in "".join(section.header._element.itertext()) for section in document.sections)


def test_a_profile_that_cannot_be_read_is_one_finding_in_the_json(tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text("statement: [\n", encoding="utf-8")

    result = msgen("check", profile, "--json")

    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["severity"]) == ("profile.schema", "error")
    assert finding["message"].startswith("malformed YAML:")
