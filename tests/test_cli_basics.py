"""The commands every user meets first: help, `msgen schema` and `msgen init`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from msgen.profile.presets import PRESETS, preset_text, preset_version
from conftest import MSGEN, msgen

VENV_BIN = Path(sys.executable).parent


def printed_schema(version: int = 1) -> dict:
    result = msgen("schema", "--schema-version", version)
    assert result.exit_code == 0
    return json.loads(result.stdout)


# -- help and the real entry points ------------------------------------------------------

def test_help_lists_the_commands() -> None:
    result = subprocess.run([MSGEN, "--help"], capture_output=True, text=True, check=False)

    assert result.returncode == 0
    for command in ("validate", "schema", "init"):
        assert command in result.stdout


@pytest.mark.slow
def test_python_m_msgen_reports_a_missing_file_without_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "msgen", "validate", tmp_path / "nothing.yaml"],
                            capture_output=True, text=True, check=False)

    assert result.returncode == 2
    assert "nothing.yaml: no such file" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_an_unknown_option_is_a_usage_error() -> None:
    result = msgen("init", "--presets", "single-force")

    assert result.exit_code == 2
    assert "No such option: --presets" in result.stderr


# -- msgen schema ------------------------------------------------------------------------

@pytest.mark.slow
def test_schema_output_is_json_a_pipe_can_read() -> None:
    pipeline = f"'{MSGEN}' schema | '{sys.executable}' -c 'import json,sys; json.load(sys.stdin)'"

    result = subprocess.run(pipeline, shell=True, capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stderr


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = printed_schema()

    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def _schemas(node: object, where: str, is_field: bool = False):
    """Every (location, schema, is it a profile field) reachable through properties, list
    items and $defs (not if/then/else: those branches only constrain fields defined elsewhere)."""
    if not isinstance(node, dict):
        return
    yield where, node, is_field
    for key, child in node.get("properties", {}).items():
        yield from _schemas(child, f"{where}.{key}", True)
    yield from _schemas(node.get("items"), f"{where}[]")
    for key, child in node.get("$defs", {}).items():
        yield from _schemas(child, f"$defs.{key}")


def test_every_field_has_a_title_and_a_description() -> None:
    untitled = [where for where, node, is_field in _schemas(printed_schema(), "profile")
                if is_field and not (node.get("title") and node.get("description"))]

    assert untitled == []


def test_every_mapping_refuses_unknown_fields() -> None:
    open_mappings = [where for where, node, _ in _schemas(printed_schema(), "profile")
                     if (node.get("type") == "object" or "properties" in node)
                     and node.get("additionalProperties") is not False]

    assert open_mappings == []


# -- msgen init --------------------------------------------------------------------------

@pytest.mark.parametrize("preset", PRESETS)
def test_init_writes_a_profile_that_validates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, preset: str) -> None:
    monkeypatch.chdir(tmp_path)

    written = msgen("init", "--preset", preset)

    assert written.exit_code == 0, written.output
    text = (tmp_path / "profile.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text)["$schema"] == printed_schema(preset_version(preset))["$id"]
    assert "[insert " in text
    checked = msgen("validate", "profile.yaml")
    assert checked.exit_code == 0, checked.stdout


@pytest.mark.parametrize("preset", PRESETS)
def test_the_commented_examples_in_a_preset_fit_where_they_stand(tmp_path: Path, preset: str) -> None:
    """Deleting '# ' before an example field (as the notes say) gives a profile whose only
    problems are the values still to fill in, never a YAML or structure error."""
    commented_field = re.compile(r"^(\s*)# (\s*(?:- )?[a-z_]+:(?:\s|$).*)$")
    text = preset_text(preset, today=date(2023, 6, 1))
    uncommented = "\n".join(commented_field.sub(r"\1\2", line) for line in text.splitlines())
    assert uncommented != text
    path = tmp_path / "profile.yaml"
    path.write_text(uncommented, encoding="utf-8")

    problems = json.loads(msgen("validate", "--json", path).stdout)

    assert problems, "the examples hold values to fill in"
    assert [p for p in problems if "got '[insert " not in p["message"] and "got 'YYYY-MM-DD'" not in p["message"]] == []


def test_each_joint_preset_gives_every_body_an_abbreviation_and_a_signatory() -> None:
    for preset in ("police-and-pcc", "police-fire-and-commissioner"):
        profile = yaml.safe_load(preset_text(preset))
        assert profile["statement"]["kind"] == "joint"
        assert all("short_name" in body for body in profile["organisations"])
        signing = {signatory["organisation"] for signatory in profile["signatories"]}
        assert signing == {body["id"] for body in profile["organisations"]}


@pytest.mark.parametrize(("today", "year", "start", "end"), [
    (date(2024, 3, 31), "2022-23", "2022-04-01", "2023-03-31"),
    (date(2024, 4, 1), "2023-24", "2023-04-01", "2024-03-31"),
    (date(2030, 1, 15), "2028-29", "2028-04-01", "2029-03-31"),
])
def test_init_fills_in_the_last_financial_year_that_ended(today: date, year: str, start: str, end: str) -> None:
    statement = yaml.load(preset_text("single-force", today=today), Loader=yaml.BaseLoader)["statement"]

    assert (statement["financial_year"], statement["period"]["start"], statement["period"]["end"]) == (year, start, end)


def test_init_never_overwrites_a_file(tmp_path: Path) -> None:
    existing = tmp_path / "profile.yaml"
    existing.write_text("my work\n", encoding="utf-8")

    result = msgen("init", existing)

    assert result.exit_code == 3
    assert f"{existing}: already exists" in result.stderr
    assert "use another name" in result.stderr
    assert existing.read_text(encoding="utf-8") == "my work\n"


def test_init_with_an_unknown_preset_lists_the_presets(tmp_path: Path) -> None:
    result = msgen("init", tmp_path / "profile.yaml", "--preset", "fire-only")

    assert result.exit_code == 2
    assert "there is no preset 'fire-only'" in result.stderr
    for preset in PRESETS:
        assert preset in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_init_into_a_missing_folder_says_so(tmp_path: Path) -> None:
    result = msgen("init", tmp_path / "no-such-folder" / "profile.yaml")

    assert result.exit_code == 3
    assert "does not exist" in result.stderr


def test_init_leaves_only_the_profile_behind(tmp_path: Path) -> None:
    assert msgen("init", tmp_path / "force.yml").exit_code == 0

    assert [path.name for path in tmp_path.iterdir()] == ["force.yml"]


def test_init_refuses_to_write_yaml_under_a_json_name(tmp_path: Path) -> None:
    result = msgen("init", tmp_path / "profile.json")

    assert result.exit_code == 2
    assert "name it profile.yaml" in result.stderr
    assert list(tmp_path.iterdir()) == []
