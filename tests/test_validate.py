"""`msgen validate` through the real CLI: every mistake an officer makes is reported as
FILE:LINE: PATH: message, with exit code 1 and never a traceback."""

from __future__ import annotations

import copy
import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Callable

import pytest
import yaml

from msgen.profile.loader import load_profile
from msgen.profile.presets import preset_text
from conftest import msgen

BAD = Path(__file__).parent / "fixtures" / "bad"
TODAY = date(2023, 6, 1)  # the presets then cover 2022-23: 2022-04-01 to 2023-03-31


@cache
def preset_data(preset: str, folder: Path) -> dict:
    """A preset as `msgen init` writes it: a minimal profile that validates."""
    path = folder / f"{preset}.yaml"
    path.write_text(preset_text(preset, today=TODAY), encoding="utf-8")
    return load_profile(path).data


def write_profile(folder: Path, preset: str, change: Callable[[dict], object], name: str = "profile.yaml") -> tuple[Path, str]:
    data = copy.deepcopy(preset_data(preset, folder))
    change(data)
    text = json.dumps(data, indent=2) if name.endswith(".json") else yaml.safe_dump(data, sort_keys=False)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path, text


def line_with(text: str, fragment: str, occurrence: int = 0) -> int:
    lines = [number for number, line in enumerate(text.splitlines(), 1) if fragment in line]
    return lines[occurrence]


def rename(mapping: dict, old: str, new: str) -> None:
    mapping[new] = mapping.pop(old)


# (preset, change, (fragment, occurrence) on the reported line, reported path, message)
SCHEMA_AND_RULE_MISTAKES = {
    "wrong type": ("single-force", lambda d: d["statement"].update(years_producing="one"),
                   ("years_producing:", 0), "statement.years_producing", "expected a whole number, got 'one'"),
    "number in quotes": ("single-force", lambda d: d["statement"].update(years_producing="2"),
                         ("years_producing:", 0), "statement.years_producing",
                         "expected a whole number, got '2'; remove the quotes around it"),
    "missing required field": ("single-force", lambda d: d["statement"].pop("kind"),
                               ("statement:", 0), "statement", "missing required field 'kind' (Kind)"),
    "misspelt key": ("single-force", lambda d: rename(d["statement"], "financial_year", "finacial_year"),
                     ("finacial_year:", 0), "statement.finacial_year",
                     "unknown field 'finacial_year'; did you mean 'financial_year'?"),
    "impossible date": ("police-and-pcc", lambda d: d["signatories"][1].update(date="2023-02-30"),
                        ("2023-02-30", 0), "signatories[1].date", "'2023-02-30' is not a real date"),
    "date written the British way": ("single-force", lambda d: d["approval"].update(date="04.10.22"),
                                     ("04.10.22", 0), "approval.date",
                                     "expected a date written YYYY-MM-DD, got '04.10.22'"),
    "unknown organisation id": ("single-force", lambda d: d["signatories"][0].update(organisation="forse"),
                                ("organisation: forse", 0), "signatories[0].organisation",
                                "no organisation has the id 'forse' (ids: force); did you mean 'force'?"),
    "period ends before it starts": ("single-force", lambda d: d["statement"]["period"].update(end="2022-03-31"),
                                     ("2022-03-31", 0), "statement.period.end",
                                     "the period ends (2022-03-31) before it starts (2022-04-01)"),
    "duplicate organisation ids": ("police-and-pcc",
                                   lambda d: (d["organisations"][1].update(id="opcc"),
                                              d["signatories"][1].update(organisation="opcc")),
                                   ("id: opcc", 1), "organisations[1].id",
                                   "the organisation id 'opcc' is already used by organisations[0]"),
    "joint statement without short_name": ("police-fire-and-commissioner",
                                           lambda d: d["organisations"][2].pop("short_name"),
                                           ("id: fire", 0), "organisations[2]", "missing 'short_name' (Abbreviation)"),
    "control character in a name": ("single-force",
                                    lambda d: d["organisations"][0].update(name="Exampleshire\x0bPolice"),
                                    ("Exampleshire", 0), "organisations[0].name",
                                    "contains the control character U+000B at character 13"),
    "tab in a name": ("police-and-pcc", lambda d: d["signatories"][0].update(name="Jane\tSmith"),
                      ("Jane", 0), "signatories[0].name", "contains a tab at character 5"),
}


@pytest.mark.slow
@pytest.mark.parametrize("mistake", SCHEMA_AND_RULE_MISTAKES)
def test_each_mistake_is_reported_with_file_line_path_and_message(tmp_path: Path, mistake: str) -> None:
    preset, change, (fragment, occurrence), field_path, message = SCHEMA_AND_RULE_MISTAKES[mistake]
    path, text = write_profile(tmp_path, preset, change)

    result = msgen("validate", path)

    assert result.exit_code == 1
    line = line_with(text, fragment, occurrence)
    reported = [row for row in result.stdout.splitlines() if row.startswith(f"{path}:{line}: {field_path}: ")]
    assert reported and message in reported[0], result.stdout


def test_each_missing_field_is_named_once_even_when_several_are_missing(tmp_path: Path) -> None:
    path, _ = write_profile(tmp_path, "single-force", lambda d: (d["statement"].pop("kind"),
                                                                 d["statement"].pop("financial_year")))

    result = msgen("validate", "--json", path)

    assert sorted((p["path"], p["message"]) for p in json.loads(result.stdout)) == [
        ("statement", "missing required field 'financial_year' (Financial year)"),
        ("statement", "missing required field 'kind' (Kind)"),
    ]


def test_a_schema_keyword_without_its_own_words_still_names_the_value_and_the_rule() -> None:
    from jsonschema import Draft202012Validator

    from msgen.profile.validate import _describe

    [error] = Draft202012Validator({"properties": {"count": {"multipleOf": 5}}}).iter_errors({"count": 7})

    assert list(_describe(error)) == [(("count",), "7 does not meet the schema's 'multipleOf' rule (5)", False)]


def test_the_same_mistake_in_json_is_reported_at_its_json_line(tmp_path: Path) -> None:
    path, text = write_profile(tmp_path, "police-and-pcc", lambda d: d["signatories"][1].update(date="2023-02-30"),
                               name="profile.json")

    result = msgen("validate", path)

    assert result.exit_code == 1
    assert f"{path}:{line_with(text, '2023-02-30')}: signatories[1].date: '2023-02-30' is not a real date" in result.stdout


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    def two_mistakes(data: dict) -> None:
        data["statement"]["years_producing"] = 0
        data["signatories"][0]["organisation"] = "nobody"

    path, _ = write_profile(tmp_path, "single-force", two_mistakes)

    result = msgen("validate", path)

    assert result.exit_code == 1
    assert "statement.years_producing: must be at least 1, got 0" in result.stdout
    assert "signatories[0].organisation: no organisation has the id 'nobody'" in result.stdout
    assert "2 problem(s) in 1 of 1 profile(s)" in result.stdout


# (fixture in tests/fixtures/bad, line, message)
UNREADABLE_FILES = {
    "malformed JSON": ("malformed.json", 4, "malformed JSON: Expecting ',' delimiter"),
    "malformed YAML": ("bad-indentation.yaml", 5, "malformed YAML: mapping values are not allowed here"),
    "YAML python tag": ("python-tag.yaml", 4, "malformed YAML: the tag '!!python/object/apply:os.system' is not allowed"),
    "UTF-16 file": ("utf-16.yaml", 1, "the file is saved as UTF-16 (save it as UTF-8"),
    "Latin-1 file": ("latin-1.yaml", 6, "the file is not UTF-8 text (byte 0xA3)"),
    "empty file": ("empty.yaml", 1, "the file is empty"),
    "control character pasted into the file": ("pasted-control-character.yaml", 6,
                                               "the control character U+000B at column 24 is not allowed"),
}


@pytest.mark.parametrize("case", UNREADABLE_FILES)
def test_a_file_that_cannot_be_read_is_one_problem_with_its_line(case: str) -> None:
    name, line, message = UNREADABLE_FILES[case]
    path = BAD / name

    result = msgen("validate", path)

    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}:{line}: (profile): {message}"), result.stdout


def test_a_python_tag_runs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "profile.yaml").write_text(
        "schema_version: 1\nslug: !!python/object/apply:pathlib.Path.touch [owned]\n", encoding="utf-8")

    assert msgen("validate", "profile.yaml").exit_code == 1
    assert not (tmp_path / "owned").exists()


def test_a_profile_saved_as_windows_1252_names_the_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_bytes(preset_text("single-force", today=TODAY).encode("cp1252"))  # '…' becomes 0x85

    result = msgen("validate", path)

    assert result.exit_code == 1
    assert f"{path}:2: (profile): the file is not UTF-8 text (byte 0x85)" in result.stdout


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + preset_text("single-force", today=TODAY).encode("utf-8"))

    result = msgen("validate", path)

    assert result.exit_code == 0, result.stdout
    assert "1 profile(s) valid" in result.stdout


def test_json_output_is_a_list_of_problems_with_file_line_path_and_message(tmp_path: Path) -> None:
    wrong, text = write_profile(tmp_path, "single-force", lambda d: d["statement"].update(years_producing="one"))

    result = msgen("validate", "--json", BAD / "malformed.json", wrong)

    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {"file": str(BAD / "malformed.json"), "line": 4, "path": "",
         "message": "malformed JSON: Expecting ',' delimiter (column 3) (check for a missing comma, quote or bracket)"},
        {"file": str(wrong), "line": line_with(text, "years_producing:"), "path": "statement.years_producing",
         "message": "expected a whole number, got 'one'"},
    ]


def test_json_output_of_a_valid_profile_is_an_empty_list(tmp_path: Path) -> None:
    path, _ = write_profile(tmp_path, "police-fire-and-commissioner", lambda d: None)

    result = msgen("validate", "--json", path)

    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = msgen("validate", tmp_path / "missing.yaml")

    assert result.exit_code == 2
    assert f"msgen: error: {tmp_path / 'missing.yaml'}: no such file" in result.stderr


def test_a_bad_option_is_a_usage_error() -> None:
    result = msgen("validate", "--strict", BAD / "empty.yaml")

    assert result.exit_code == 2
    assert "No such option: --strict" in result.stderr
