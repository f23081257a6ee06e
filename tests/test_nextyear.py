"""`msgen next-year`: last year's profile moved on to next year's, through the real CLI.

What an officer relies on: the year and period move on, last year's commitments come
back as progress to report, last year's dates are gone (so nothing stale is signed),
their comments and layout survive, and last year's file is never touched.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import Result

from msgen.commands import validate_profiles
from msgen.profile.loader import load_profile
from msgen.annual.nextyear import a_year_later, names_year, next_financial_year
from conftest import msgen

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXAMPLE_NAMES = sorted(path.name for path in EXAMPLES.glob("*.yaml"))
STAFFS = "staffordshire-joint-2022.yaml"  # evergreen statement address, three signatories
NOTTS = "nottinghamshire-opcc-2022.yaml"  # address names 2021-22; a signature image


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """A copy of examples/ (with its signature images) to write beside."""
    return Path(shutil.copytree(EXAMPLES, tmp_path / "examples"))


def comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.lstrip().startswith("#")]


# -- the year itself ------------------------------------------------------------------------

def test_financial_years_move_on_across_a_century() -> None:
    assert next_financial_year("2022-23") == "2023-24"
    assert next_financial_year("2098-99") == "2099-00"


def test_the_29th_of_february_becomes_the_28th() -> None:
    assert a_year_later(date(2024, 2, 29)) == date(2025, 2, 28)
    assert a_year_later(date(2023, 3, 31)) == date(2024, 3, 31)


@pytest.mark.parametrize("url, expected", [
    ("https://x.police.uk/msa-statement-2022-23/", True),
    ("https://x.police.uk/modern-slavery-statement-2022-to-2023/", True),
    ("https://x.police.uk/docs/2022/statement.pdf", True),
    ("https://x.police.uk/statement-202223.pdf", True),
    ("https://x.police.uk/modern-slavery-statement/", False),
    ("https://x.police.uk/page/120225/statement", False),
])
def test_a_web_address_names_the_year_only_when_it_obviously_does(url: str, expected: bool) -> None:
    assert names_year(url, "2022-23") is expected


# -- every example --------------------------------------------------------------------------

@dataclass(frozen=True)
class MovedOn:
    source: Path
    target: Path
    result: Result


@pytest.fixture(scope="module", params=EXAMPLE_NAMES)
def moved_on(request, tmp_path_factory) -> MovedOn:
    """`msgen next-year` run once on each example (in a copy of examples/)."""
    folder = Path(shutil.copytree(EXAMPLES, tmp_path_factory.mktemp("examples") / "examples"))
    source, target = folder / request.param, folder / f"next-{request.param}"
    before = source.read_bytes()
    result = msgen("next-year", source, "-o", target)
    assert result.exit_code == 0, result.output
    assert source.read_bytes() == before
    return MovedOn(source, target, result)


@pytest.mark.slow
def test_each_example_moves_on_to_a_valid_profile_for_next_year(moved_on: MovedOn) -> None:
    assert validate_profiles([moved_on.target]) == []
    old, new = load_profile(moved_on.source).data, load_profile(moved_on.target).data
    statement, old_statement = new["statement"], old["statement"]
    assert statement["financial_year"] == next_financial_year(old_statement["financial_year"])
    assert statement["period"] == {end: a_year_later(date.fromisoformat(day)).isoformat()
                                   for end, day in old_statement["period"].items()}
    assert statement["years_producing"] == old_statement["years_producing"] + 1
    assert new["actions"]["progress"] == [{"commitment": text, "status": "to-report"}
                                          for text in old["actions"]["next_year"]]
    assert new["actions"]["next_year"] == []
    assert "date" not in new["approval"]
    assert all("date" not in signatory for signatory in new["signatories"])
    assert "publication_date" not in statement.get("publication", {})
    assert {"year": old_statement["financial_year"], "url": old_statement["publication"]["statement_url"]} \
        in statement["previous_statements"]


def test_each_example_keeps_its_comments_in_order_and_its_key_order(moved_on: MovedOn) -> None:
    assert comment_lines(moved_on.target.read_text()) == comment_lines(moved_on.source.read_text())
    old, new = load_profile(moved_on.source).data, load_profile(moved_on.target).data
    assert list(new) == list(old)
    assert [key for key in new["statement"] if key in old["statement"]] == list(
        key for key in old["statement"] if key in new["statement"])
    assert list(new["actions"]) == ["progress", "next_year"]


def check_findings(profile: Path) -> set[tuple[str, str]]:
    result = msgen("check", profile, "--json")
    assert result.exit_code in (0, 1), result.output
    return {(finding["rule"], finding["path"]) for finding in json.loads(result.stdout)["findings"]}


def within(field: str, path: str) -> bool:
    """Whether a finding at `path` is about `field` (e.g. 'approval' about 'approval.date')."""
    return field == path or field.startswith((f"{path}.", f"{path}["))


def test_check_flags_exactly_the_fields_left_to_fill(moved_on: MovedOn) -> None:
    left = [line.removeprefix("left to fill: ") for line in moved_on.result.stdout.splitlines()
            if line.startswith("left to fill: ")]
    # An address kept for this year (next-year says to check it) is now also last year's link.
    statement = load_profile(moved_on.target).data["statement"]
    left += [f"statement.previous_statements[{index}].url" for index, earlier in
             enumerate(statement.get("previous_statements", []))
             if earlier["url"] == statement.get("publication", {}).get("statement_url")]
    new_findings = {path for _, path in check_findings(moved_on.target) - check_findings(moved_on.source)}
    assert left and new_findings
    assert all(any(within(field, path) for field in left) for path in new_findings)
    assert all(any(within(field, path) for path in new_findings) for field in left)


def test_last_years_progress_goes_even_when_nothing_was_promised(examples: Path) -> None:
    source = examples / STAFFS
    source.write_text(re.sub(r"\n  next_year:\n(?:    - .*\n)+", "\n", source.read_text()))
    assert load_profile(source).data["actions"]["progress"]

    assert msgen("next-year", source, "-o", examples / "next.yaml").exit_code == 0

    assert load_profile(examples / "next.yaml").data["actions"] == {"next_year": []}
    assert "  next_year: []\n\napproval:\n" in (examples / "next.yaml").read_text()


def test_the_summary_names_the_moved_commitments_and_what_is_left(examples: Path) -> None:
    result = msgen("next-year", examples / STAFFS, "-o", examples / "2023.yaml")

    assert result.exit_code == 0
    assert ("moved: actions.progress[3]: Review and update this statement for 2023-24."
            in result.stdout)
    for field in ("approval.date", "actions.progress[0].status", "actions.next_year", "signatories[2].date"):
        assert f"left to fill: {field}\n" in result.stdout
    assert "cleared: statement.publication.publication_date\n" in result.stdout
    assert "msgen check" in result.stderr


# -- the statement's address ------------------------------------------------------------------

def test_an_address_naming_last_year_is_archived_and_cleared(examples: Path) -> None:
    old = load_profile(examples / NOTTS).data["statement"]["publication"]["statement_url"]

    assert msgen("next-year", examples / NOTTS, "-o", examples / "next.yaml").exit_code == 0

    statement = load_profile(examples / "next.yaml").data["statement"]
    assert "2021-to-2022" in old
    assert "statement_url" not in statement["publication"]
    assert statement["previous_statements"] == [{"year": "2021-22", "url": old}]


def test_an_evergreen_address_is_kept_with_a_warning(examples: Path) -> None:
    result = msgen("next-year", examples / STAFFS, "-o", examples / "next.yaml")

    url = "https://www.staffordshirefire.gov.uk/modern-slavery-statement/"
    statement = load_profile(examples / "next.yaml").data["statement"]
    assert statement["publication"]["statement_url"] == url
    assert statement["previous_statements"][-1] == {"year": "2022-23", "url": url}
    assert f"warning: statement.publication.statement_url ({url}) was kept" in result.stderr


def test_without_an_address_previous_statements_is_left_alone_with_a_note(examples: Path) -> None:
    source = examples / STAFFS
    text = source.read_text().replace(
        "    statement_url: https://www.staffordshirefire.gov.uk/modern-slavery-statement/\n", "")
    source.write_text(text)
    old = load_profile(source).data["statement"]["previous_statements"]

    result = msgen("next-year", source, "-o", examples / "next.yaml")

    assert result.exit_code == 0
    assert load_profile(examples / "next.yaml").data["statement"]["previous_statements"] == old
    assert "no statement.publication.statement_url" in result.stderr


# -- YAML layout ------------------------------------------------------------------------------

def test_comments_after_removed_or_emptied_values_stay_where_they_were(examples: Path) -> None:
    """ruamel hangs a section's heading comment on the value before it: removing that value
    must not take the heading with it or move it into the wrong section."""
    source = examples / STAFFS
    text = source.read_text()
    line_before_date = re.search(r"\n(.*)\n    publication_date: ", text).group(1)
    text = re.sub(r"(\n    publication_date: .*)\n",
                  r"\1  # the day it went online\n    # Same page every year.\n", text)
    text = re.sub(r"(\n  next_year:\n(?:    - .*\n)*    - .*)\n",
                  r"\1  # owner: working group\n  # ==== Approval ====\n", text)
    text = text.replace("\nregistry:\n", "\n# ==== Registry answers ====\nregistry:\n")
    text = re.sub(r"(\napproval:\n(?:  #.*\n)*)(  body: .*\n)(  date: .*\n)",  # date first
                  r"\1\3  # The board meets in September.\n\2", text)
    source.write_text(text)
    last_commitment = load_profile(source).data["actions"]["next_year"][-1]

    assert msgen("next-year", source, "-o", examples / "next.yaml").exit_code == 0

    written = (examples / "next.yaml").read_text()
    assert f"{line_before_date}\n    # Same page every year.\n" in written
    assert "the day it went online" not in written
    assert "  next_year: []\n  # ==== Approval ====\n\napproval:\n" in written
    assert re.search(rf"- commitment: {re.escape(last_commitment)} +# owner: working group\n", written)
    assert re.search(r"\n    organisation: [a-z-]+\n\n# ==== Registry answers ====\nregistry:\n", written)
    assert re.search(r"\napproval:\n(?:  #.*\n)*  # The board meets in September.\n  body: ", written)


def test_quotes_and_unquoted_dates_are_written_the_way_they_were(examples: Path) -> None:
    source = examples / STAFFS
    text = source.read_text().replace('start: "2022-04-01"', "start: 2022-04-01").replace(
        'end: "2023-03-31"', "end: '2023-03-31'")
    source.write_text(text)

    assert msgen("next-year", source, "-o", examples / "next.yaml").exit_code == 0

    written = (examples / "next.yaml").read_text()
    assert '  financial_year: "2023-24"\n  period:\n    start: 2023-04-01\n    end: \'2024-03-31\'\n' in written
    assert '    - year: "2022-23"\n' in written


def changed_lines(before: str, after: str) -> int:
    return sum(1 for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-")


@pytest.mark.slow
@pytest.mark.parametrize("mapping, sequence, offset", [(4, 6, 4), (2, 2, 0)])
def test_other_indentation_styles_change_only_what_moved(examples: Path, mapping: int, sequence: int,
                                                         offset: int) -> None:
    restyled = examples / "restyled.yaml"
    writer = YAML()
    writer.indent(mapping=mapping, sequence=sequence, offset=offset)
    writer.width = 4096
    writer.preserve_quotes = True
    writer.dump(YAML().load(examples / STAFFS), restyled)

    for source in (examples / STAFFS, restyled):
        assert msgen("next-year", source, "-o", examples / f"next-{source.name}").exit_code == 0

    assert restyled.read_text() != (examples / STAFFS).read_text()
    assert changed_lines(restyled.read_text(), (examples / "next-restyled.yaml").read_text()) == changed_lines(
        (examples / STAFFS).read_text(), (examples / f"next-{STAFFS}").read_text())


def test_windows_line_endings_are_kept(examples: Path) -> None:
    source = examples / STAFFS
    source.write_bytes(source.read_bytes().replace(b"\n", b"\r\n"))

    assert msgen("next-year", source, "-o", examples / "next.yaml").exit_code == 0

    written = (examples / "next.yaml").read_bytes()
    assert written.count(b"\r\n") == written.count(b"\n")


# -- JSON ---------------------------------------------------------------------------------------

def test_a_json_profile_stays_json_in_key_order_with_text_as_written(examples: Path) -> None:
    source = examples / "profile.json"
    source.write_text(json.dumps(load_profile(examples / STAFFS).data, indent=4), encoding="utf-8")

    assert msgen("next-year", source, "-o", examples / "next.json").exit_code == 0

    text = (examples / "next.json").read_text(encoding="utf-8")
    new = json.loads(text)
    assert text.startswith('{\n  "$schema"')
    assert "£100 million to £500 million" in text  # not \u00a3
    assert list(new) == list(json.loads(source.read_text()))
    assert new["statement"]["financial_year"] == "2023-24"
    assert [item["status"] for item in new["actions"]["progress"]] == ["to-report"] * 4
    assert validate_profiles([examples / "next.json"]) == []


def test_a_json_profile_cannot_become_yaml(examples: Path) -> None:
    source = examples / "profile.json"
    source.write_text(json.dumps(load_profile(examples / STAFFS).data), encoding="utf-8")

    result = msgen("next-year", source, "-o", examples / "next.yaml")

    assert result.exit_code == 2
    assert "must be JSON like the old one" in result.stderr
    assert not (examples / "next.yaml").exists()


# -- never over the input, never over a file by surprise --------------------------------------

@pytest.mark.parametrize("spelling", ["same", "dotted", "symlink", "hardlink"])
def test_the_input_is_never_the_output_even_with_force(examples: Path, spelling: str) -> None:
    source = examples / STAFFS
    target = {"same": source, "dotted": examples / "signatures" / ".." / STAFFS,
              "symlink": examples / "link.yaml", "hardlink": examples / "hard.yaml"}[spelling]
    if spelling == "symlink":
        target.symlink_to(source)
    if spelling == "hardlink":
        os.link(source, target)
    before = source.read_bytes()

    result = msgen("next-year", source, "-o", target, "--force")

    assert result.exit_code == 2
    assert "would replace the input" in result.stderr
    assert source.read_bytes() == before


def test_an_existing_output_is_replaced_only_with_force(examples: Path) -> None:
    target = examples / "next.yaml"
    target.write_text("mine\n")

    refused = msgen("next-year", examples / STAFFS, "-o", target)
    assert refused.exit_code == 3
    assert "already exists" in refused.stderr
    assert target.read_text() == "mine\n"

    assert msgen("next-year", examples / STAFFS, "-o", target, "--force").exit_code == 0
    assert load_profile(target).data["statement"]["financial_year"] == "2023-24"


def test_an_output_folder_takes_the_input_file_name(examples: Path) -> None:
    folder = examples / "2023-24"
    folder.mkdir()

    result = msgen("next-year", examples / STAFFS, "-o", folder)

    assert f"wrote {folder / STAFFS}:" in result.stderr
    assert load_profile(folder / STAFFS).data["statement"]["financial_year"] == "2023-24"


# -- what would not be valid is not written ----------------------------------------------------

@pytest.mark.parametrize("pattern, replacement, messages", [
    (r"kind: joint", "kind: jointly", ["statement.kind"]),  # last year's profile is invalid
    (r"years_producing: \d+", "years_producing: 100",  # next year's would be
     ["statement.years_producing", "would not be valid, so it was not written"]),
])
def test_nothing_invalid_is_written(examples: Path, pattern: str, replacement: str,
                                    messages: list[str]) -> None:
    source = examples / STAFFS
    source.write_text(re.sub(pattern, replacement, source.read_text()))

    result = msgen("next-year", source, "-o", examples / "next.yaml")

    assert result.exit_code == 1
    assert all(message in result.stderr for message in messages)
    assert not (examples / "next.yaml").exists()


@pytest.mark.slow
def test_signature_images_are_looked_for_beside_the_new_profile(examples: Path) -> None:
    folder = examples / "2023-24"
    folder.mkdir()

    result = msgen("next-year", examples / NOTTS, "-o", folder / "next.yaml")

    assert result.exit_code == 1
    assert "signatures/caroline-henry.png" in result.stderr
    assert not (folder / "next.yaml").exists()

    shutil.copytree(examples / "signatures", folder / "signatures")
    assert msgen("next-year", examples / NOTTS, "-o", folder / "next.yaml").exit_code == 0

