"""Issue 16's acceptance for msgen check: a profile published in English and Welsh with one
text left without its Welsh is an error naming that field; the same profile not asking for
Welsh raises nothing about Welsh."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from conftest import msgen
from test_bilingual import filled


def findings(profile: Path) -> tuple[int, list[dict]]:
    result = msgen("check", profile, "--json")
    return result.exit_code, json.loads(result.stdout)["findings"]


def rewritten(profile: Path, change) -> Path:
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    change(data)
    profile.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return profile


def test_the_filled_bilingual_example_has_no_language_finding(tmp_path):
    code, found = findings(filled(tmp_path))
    assert code == 0 and [f for f in found if f["rule"].startswith("languages.") and f["severity"] == "error"] == []


def test_one_welsh_text_missing_is_an_error_naming_its_field(tmp_path):
    def english_only(data):
        data["sections"][1]["heading"] = data["sections"][1]["heading"]["en"]

    code, found = findings(rewritten(filled(tmp_path), english_only))

    assert code == 1
    assert [(f["rule"], f["severity"], f["path"]) for f in found if f["rule"] == "languages.welsh-missing"] == [
        ("languages.welsh-missing", "error", "sections[1].heading")]


def test_without_welsh_asked_for_an_english_only_text_raises_nothing(tmp_path):
    def not_welsh(data):
        data["statement"]["languages"] = ["en"]
        data["sections"][1]["heading"] = data["sections"][1]["heading"]["en"]

    code, found = findings(rewritten(filled(tmp_path), not_welsh))

    assert not any(f["rule"] == "languages.welsh-missing" for f in found)
    welsh = [f["rule"] for f in found if f["rule"].startswith("languages.welsh-") and "code" not in f["rule"]]
    assert welsh == ["languages.welsh-not-asked"]  # the other pairs' Welsh, given but not published


def test_a_text_without_its_welsh_makes_a_draft_whose_welsh_shows_the_english_to_translate(tmp_path):
    def english_only(data):
        del data["sections"][1]["heading"]["cy"]

    drafted = msgen("build", rewritten(filled(tmp_path), english_only), "-o", tmp_path, "--format", "html")

    assert drafted.exit_code == 0, drafted.stderr
    assert "built as a draft (DRAFT on every page) because it has no Welsh for sections[1].heading" in drafted.stderr
    welsh = next(tmp_path.glob("*.cy.html")).read_text(encoding="utf-8")
    assert "[insert Welsh: Test text for the heading of the section on the Code of Practice]" in welsh
