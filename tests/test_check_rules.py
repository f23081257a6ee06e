"""Every `msgen check` rule fires on a profile (or document, or template) made to break it,
naming the rule, its severity and the exact place, and stays quiet on the clean one."""

from __future__ import annotations

import copy
import hashlib
import io
import re
import shutil
import zipfile
from datetime import date
from functools import cache
from pathlib import Path

import pytest
import yaml

from msgen.check import (DOCUMENT, ERROR, LAST_YEAR, TEMPLATES, all_rules, check_document, check_profile,
                         check_templates, parse_path, value_at)
from msgen.errors import Problem
from msgen.profile.loader import LoadedProfile, load_profile

FIXTURES = Path(__file__).parent / "fixtures" / "check"
TODAY = date(2024, 6, 1)
TRIGGERS = yaml.safe_load((FIXTURES / "triggers.yaml").read_text(encoding="utf-8"))
RULES = {r.id: r for r in all_rules()}


@cache
def clean_profile() -> LoadedProfile:
    return load_profile(FIXTURES / "clean.yaml")


def changed(change: dict) -> LoadedProfile:
    """clean.yaml with one change applied (kept beside it, so its signature image is found)."""
    data = copy.deepcopy(clean_profile().data)
    for written in change.get("delete", []):
        *parent, last = parse_path(written)
        del value_at(data, tuple(parent))[last]
    for written, value in change.get("set", {}).items():
        *parent, last = parse_path(written)
        value_at(data, tuple(parent))[last] = value
    return LoadedProfile(FIXTURES / "changed.yaml", data)


def of_rule(findings: list[Problem], rule_id: str) -> list[Problem]:
    return [f for f in findings if f.rule == rule_id]


# -- every rule is tested ----------------------------------------------------------------

def docx_cases() -> dict[str, tuple]:
    """rule -> (part, text in the clean document, what it becomes, where the finding points)."""
    return {
        "docx.title": ("docProps/core.xml", re.compile("<dc:title>[^<]+</dc:title>"), "<dc:title></dc:title>",
                       "clean-joint-modern-slavery-statement-2022-23.docx"),
        "docx.language": ("word/styles.xml", '<w:lang w:val="en-GB"', "<w:lang", "statement-2022-23.docx"),
        "docx.heading-one": ("word/document.xml", '<w:pStyle w:val="Heading1"/>', '<w:pStyle w:val="Title"/>',
                             "paragraph 5 ('Introduction')"),
        "docx.heading-order": ("word/document.xml", '<w:pStyle w:val="Heading2"/>', '<w:pStyle w:val="Heading3"/>',
                               "paragraph 11 ('Staffordshire Commissioner's Office (SC…')"),
        "docx.alt-text": ("word/document.xml", 'descr="Signature of Chris Noble"', 'descr=""', "table 4 (under 'Approval and publication')"),
        "docx.table-header": ("word/document.xml", "<w:tblHeader/>", "", "table 1 (under 'Scope and responsibilities')"),
        "docx.empty-paragraph": ("word/document.xml", '<w:p><w:pPr><w:pStyle w:val="Heading1"/>',
                                 '<w:p/><w:p><w:pPr><w:pStyle w:val="Heading1"/>', "paragraph 5 (empty"),
        "docx.leftover-tags": ("word/document.xml", ">Introduction<", ">{{ introduction }}<", "paragraph 5"),
        "docx.matches-profile": ("word/document.xml", "SP polices Staffordshire and Stoke-on-Trent.",
                                 "SP polices Staffordshire.", "('SP polices Staffordshire.'"),
        "docx.voluntary": ("word/document.xml", "This statement is published voluntarily:",
                           "This statement is published:", "clean-joint-modern-slavery-statement-2022-23.docx"),
        "docx.lost-list": ("word/document.xml", "SP polices Staffordshire and Stoke-on-Trent.",
                           "SP polices these areas:", "('SP polices these areas:'"),
        "docx.empty-section": ("word/document.xml", '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Scope',
                               '<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>Nothing here</w:t></w:r></w:p>'
                               '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Scope', "('Nothing here')"),
    }


def test_every_rule_has_a_trigger_and_a_clean_case() -> None:
    covered = set(TRIGGERS) | set(docx_cases()) | {"docx.profile-hash"} | {
        "templates.unknown-field", "templates.unused-required"} | {
        rule_id for rule_id, rule in RULES.items() if rule.target == LAST_YEAR}  # test_check_last_year

    assert {rule_id for rule_id, rule in RULES.items() if 1 in rule.versions} == covered  # version 2's: test_check_v2
    for rule in RULES.values():
        assert rule.severity in ("error", "warning") and rule.why and rule.fix and rule.source, rule.id


# -- profile rules ----------------------------------------------------------------------

def test_the_clean_profile_passes_every_rule() -> None:
    assert check_profile(clean_profile(), TODAY) == []


@pytest.mark.parametrize("rule_id", sorted(TRIGGERS))
def test_a_profile_made_to_break_the_rule_is_caught_where_it_breaks(rule_id: str) -> None:
    trigger = TRIGGERS[rule_id]["trigger"]

    found = of_rule(check_profile(changed(trigger), TODAY), rule_id)

    assert [(f.severity, f.field) for f in found] == [(RULES[rule_id].severity, trigger["path"])]


@pytest.mark.parametrize("rule_id", sorted(r for r in TRIGGERS if "near_miss" in TRIGGERS[r]))
def test_a_near_miss_does_not_trigger_the_rule(rule_id: str) -> None:
    assert of_rule(check_profile(changed(TRIGGERS[rule_id]["near_miss"]), TODAY), rule_id) == []


def test_a_finding_names_the_profile_file_and_line() -> None:
    found = of_rule(check_profile(load_profile(FIXTURES / "reference" / "staffordshire-joint-2022.yaml"), TODAY),
                    "quality.dates")

    assert str(found[0]).startswith(f"{FIXTURES / 'reference' / 'staffordshire-joint-2022.yaml'}:")
    assert found[0].line is not None and found[0].line > 1


def test_today_decides_what_is_in_the_future() -> None:
    signed_late = changed({"set": {"signatories[0].date": "2024-03-01"}})

    assert of_rule(check_profile(signed_late, date(2024, 3, 1)), "quality.dates") == []
    assert of_rule(check_profile(signed_late, date(2024, 2, 29)), "quality.dates")[0].message == (
        "Ben Adams signed on 1 March 2024, which is after today")


def test_an_invalid_profile_reports_only_its_schema_problems() -> None:
    broken = changed({"set": {"statement.kind": "both", "approval.date": "2023-03-01"}})

    found = check_profile(broken, TODAY)

    assert {f.rule for f in found} == {"profile.schema"}


def test_members_of_a_collaboration_may_be_named_where_the_collaboration_is() -> None:
    naming = changed({"set": {"areas.due_diligence.procurement_collaboration.description":
                              "West Mercia Police leads the contracts of the collaboration."}})
    with_name = changed({"set": {"areas.due_diligence.procurement_collaboration.description":
                                 "In the RPC, West Mercia Police leads the contracts."}})

    assert [f.message for f in of_rule(check_profile(naming, TODAY), "quality.other-body")] == [
        "names West Mercia Police, a police force this statement is not from"]
    assert of_rule(check_profile(with_name, TODAY), "quality.other-body") == []


def test_an_abbreviation_is_reported_once_at_its_first_use() -> None:
    profile = changed({"set": {"organisations[0].description[0]": "SCO supports the PCC.",
                               "organisations[1].description[0]": "SP reports to the PCC."}})

    assert [f.field for f in of_rule(check_profile(profile, TODAY), "quality.abbreviation")] == [
        "organisations[0].description[0]"]


# -- document rules ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The clean profile's documents, built by msgen with its own templates."""
    from msgen.build import render_profile
    from msgen.resources import templates_dir

    folder = tmp_path_factory.mktemp("built")
    written = {}
    for name, document in render_profile(clean_profile(), templates_dir()).items():
        (folder / name).write_bytes(document)
        written["charter" if "charter" in name else "statement"] = folder / name
    return written


def edited(source: Path, target: Path, part: str, old: str | re.Pattern, new: str) -> Path:
    """A copy of a .docx with the first `old` (text or pattern) in one part replaced by `new`."""
    with zipfile.ZipFile(source) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    pattern = old if isinstance(old, re.Pattern) else re.compile(re.escape(old))
    text = parts[part].decode("utf-8")
    assert pattern.search(text), f"{pattern.pattern!r} is not in {part}"
    parts[part] = pattern.sub(lambda _: new, text, count=1).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


@pytest.mark.parametrize("document", ["statement", "charter"])
def test_the_documents_msgen_builds_pass_every_document_rule(built: dict[str, Path], document: str) -> None:
    assert check_document(built[document], clean_profile(), TODAY) == []


@pytest.mark.parametrize("rule_id", sorted(docx_cases()))
def test_a_document_made_to_break_the_rule_is_caught_where_it_breaks(built: dict[str, Path], tmp_path: Path,
                                                                     rule_id: str) -> None:
    part, old, new, where = docx_cases()[rule_id]
    broken = edited(built["statement"], tmp_path / built["statement"].name, part, old, new)

    found = of_rule(check_document(broken, clean_profile(), TODAY), rule_id)

    assert len(found) == 1 and found[0].severity == RULES[rule_id].severity
    assert found[0].place.startswith(broken.name) and where in found[0].place


def test_text_rules_read_the_document_too(built: dict[str, Path], tmp_path: Path) -> None:
    broken = edited(built["statement"], tmp_path / "statement.docx", "word/document.xml",
                    ">Scope and responsibilities<", ">Scope (TBC)<")

    found = of_rule(check_document(broken, clean_profile(), TODAY), "quality.placeholder")

    assert [(f.severity, f.field, f.message) for f in found] == [
        (ERROR, "statement.docx, paragraph 17 ('Scope (TBC)')", "contains the placeholder 'TBC'")]


def test_a_document_edited_in_word_says_which_field_and_how(built: dict[str, Path], tmp_path: Path) -> None:
    broken = edited(built["statement"], tmp_path / "statement.docx", "word/document.xml",
                    "SP polices Staffordshire and Stoke-on-Trent.", "SP polices Staffordshire.")

    found = of_rule(check_document(broken, clean_profile(), TODAY), "docx.matches-profile")

    assert found[0].message == ("organisations[1].description[0] reads '…Staffordshire.' where the profile "
                                "says '…Staffordshire and Stoke-on-Trent.'")


def with_build_record(built: Path, target: Path, digest: str) -> Path:
    """The document with msgen's build record: the profile's hash as a custom property."""
    custom = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
              'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
              '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="msgen.profile_sha256">'
              f'<vt:lpwstr>{digest}</vt:lpwstr></property></Properties>')
    with zipfile.ZipFile(built) as source, zipfile.ZipFile(target, "w") as package:
        for name in source.namelist():
            if name != "docProps/custom.xml":
                package.writestr(name, source.read(name))
        package.writestr("docProps/custom.xml", custom)
    return target


def test_a_build_record_of_another_profile_version_is_reported(built: dict[str, Path], tmp_path: Path) -> None:
    profile = clean_profile()
    same = hashlib.sha256(profile.path.read_bytes()).hexdigest()

    current = with_build_record(built["statement"], tmp_path / "current.docx", same)
    stale = with_build_record(built["statement"], tmp_path / "stale.docx", "0" * 64)

    assert of_rule(check_document(current, profile, TODAY), "docx.profile-hash") == []
    found = of_rule(check_document(stale, profile, TODAY), "docx.profile-hash")
    assert [(f.severity, f.field, f.message) for f in found] == [
        ("warning", "stale.docx", "built from a different version of clean.yaml")]


# -- template rules ---------------------------------------------------------------------

def test_msgens_own_templates_pass() -> None:
    from msgen.resources import templates_dir

    assert check_templates(templates_dir()) == []


def test_a_misspelt_field_in_a_template_is_caught(tmp_path: Path) -> None:
    from docx import Document

    from msgen.resources import templates_dir

    shutil.copytree(templates_dir(), tmp_path, dirs_exist_ok=True)
    template = Document(str(tmp_path / "statement.docx"))
    template.add_paragraph("{% if areas.risk.included %}{{ areas.risk.methd }}{% endif %}")
    template.save(str(tmp_path / "statement.docx"))

    found = check_templates(tmp_path)

    assert [(f.rule, f.severity, f.field) for f in found] == [
        ("templates.unknown-field", ERROR, "statement.docx: areas.risk.methd")]


def test_a_required_field_no_template_prints_is_caught(tmp_path: Path) -> None:
    from docx import Document

    template = Document()
    template.add_paragraph("{{ statement.title }}")
    template.save(str(tmp_path / "statement.docx"))

    found = {f.field: f for f in check_templates(tmp_path)}

    assert found["approval.body"].rule == "templates.unused-required"
    assert found["approval.body"].severity == ERROR
    assert "statement.title" not in found
    assert {f.rule for f in found.values()} == {"templates.unused-required"}


def test_rule_targets_are_what_the_cli_runs() -> None:
    assert {r.id for r in all_rules() if r.target == TEMPLATES} == {"templates.unknown-field",
                                                                     "templates.unused-required"}
    assert all(r.id.startswith("docx.") for r in all_rules() if r.target == DOCUMENT)


def test_docs_rules_md_explains_every_rule_from_its_definition() -> None:
    from msgen.docs import DOCS_DIR, rules_reference

    text = rules_reference()

    assert (DOCS_DIR / "rules.md").read_text(encoding="utf-8") == text
    for rule in RULES.values():
        section = text.split(f"\n### {rule.id}\n", 1)[1].split("\n### ", 1)[0]
        assert f"Severity: {rule.severity};" in section
        assert f"- Why: {' '.join(rule.why.split())}" in section
        assert f"- How to fix: {' '.join(rule.fix.split())}" in section
        assert f"- Source: {rule.source}" in section


def test_the_reading_order_knows_every_place_a_custom_section_can_go() -> None:
    from msgen import resources
    from msgen.check.rulebook import SECTION_PATHS

    places = resources.schema()["properties"]["custom_sections"]["items"]["properties"]["after"]["enum"]

    assert list(SECTION_PATHS) == places


def test_a_build_runs_the_error_rules_without_loading_the_modules_of_warnings() -> None:
    import subprocess
    import sys

    code = ("import sys; from msgen.check import all_rules, PROFILE, TEXT; "
            "rules = all_rules((PROFILE, TEXT), errors_only=True); "
            "print({r.severity for r in rules}, 'msgen.check.rules_writing' in sys.modules, len(rules))")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()

    assert shown[:2] == ["{'error'}", "False"] and int(shown[2]) > 10


def test_a_clean_result_is_remembered_only_for_the_same_profile_and_day(tmp_path, monkeypatch) -> None:
    from msgen.check import errors_blocking_build

    monkeypatch.setenv("MSGEN_CACHE_DIR", str(tmp_path / "cache"))
    assert errors_blocking_build(clean_profile(), TODAY) == []
    assert len(list((tmp_path / "cache" / "clean").iterdir())) == 1  # remembered

    assert errors_blocking_build(clean_profile(), TODAY) == []  # the same profile, the same day
    before_the_year_ended = [f.rule for f in errors_blocking_build(clean_profile(), date(2023, 1, 1))]
    unsigned = changed({"set": {"signatories[0].name": ""}})
    assert "law.period-ended" in before_the_year_ended
    assert "law.signatory" in [f.rule for f in errors_blocking_build(unsigned, TODAY)]
