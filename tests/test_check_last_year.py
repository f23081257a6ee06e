"""`msgen check` against last year: after `msgen next-year` the years left in the body's own
words are flagged, and `--last-year LAST` (a profile, or the .docx built from it) flags
sections carried over word for word, commitments not reported on and indicators without
last year's figure, through the real command line."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import msgen
from test_check_v2 import changed, checked, clean, put

LONG_SECTION = ("Our buyers ask every new supplier how it checks its own suppliers, visit the factories that make our "
                "uniforms once a year and follow up every finding with the supplier until it is put right.")


def _written(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    return path


def last_years() -> dict[str, Any]:
    """Last year's statement: two commitments, an indicator with its result, a long section."""
    data = clean()
    data["data"]["commitments"] = ["Audit our uniform supplier", "Train every buyer"]
    data["sections"][6]["blocks"].append({"data": "commitments"})
    data["sections"][4]["blocks"].append({"p": LONG_SECTION})
    return data


def this_years() -> dict[str, Any]:
    """This year's, written from last year's: the long section kept, the introduction rewritten,
    one commitment reported on, the indicator without last year's figure."""
    data = copy.deepcopy(last_years())
    data["data"].pop("commitments")
    data["sections"][6]["blocks"].pop()
    data["sections"][1]["blocks"].append({"p": "This year we rewrote our supplier code and trained forty buyers, "
                                               "twice as many as last year, in spotting the signs of forced labour."})
    return data


def against_last_year(tmp_path: Path, last: Path, this: dict[str, Any] | None = None) -> tuple[int, list[dict]]:
    result = msgen("check", _written(tmp_path / "this.yaml", this or this_years()), "--last-year", last, "--json")
    return result.exit_code, [f for f in json.loads(result.stdout)["findings"] if f["rule"].startswith("last-year.")]


def test_next_year_then_check_flags_the_years_left_in_the_title_and_the_text(tmp_path: Path) -> None:
    data = clean()
    data["statement"]["title"] = "Modern Slavery Statement 2022/23"
    data["sections"][1]["blocks"] += [{"clause": "financial-year"},
                                      {"p": "This statement sets out the steps taken during 2022/23."}]
    assert msgen("next-year", _written(tmp_path / "2022.yaml", data), "-o", tmp_path / "2023.yaml").exit_code == 0

    _, findings = checked(tmp_path / "2023.yaml")

    assert [(f["rule"], f["path"], f["message"]) for f in findings if f["rule"].startswith("dates.")] == [
        ("dates.title-year", "statement.title", "the title 'Modern Slavery Statement 2022/23' names 2022/23, but the "
                                                "statement covers 1 April 2023 to 31 March 2024"),
        ("dates.period-year", "sections[1].blocks[5].p", "says 'taken during 2022/23', but the statement covers "
                                                         "1 April 2023 to 31 March 2024")]


def test_against_last_years_profile_each_stale_part_is_named(tmp_path: Path) -> None:
    last = _written(tmp_path / "last.yaml", last_years())

    exit_code, findings = against_last_year(tmp_path, last)

    found = {(f["rule"], f["path"], f["message"]) for f in findings}
    assert ("last-year.commitment-unreported", "data.progress",
            "the commitment 'Audit our uniform supplier', made last year, is not reported on") in found
    assert ("last-year.kpi-previous", "data.kpis[0]",
            "'Suppliers checked' was 96% last year, but its previous figure is not given") in found
    carried = {path for rule, path, _ in found if rule == "last-year.carried-over"}
    assert "sections[4]" in carried and "sections[1]" not in carried  # kept as it was; rewritten
    assert exit_code == 0  # warnings: --strict fails on them


def test_a_previous_figure_that_is_not_last_years_result_is_named(tmp_path: Path) -> None:
    last = _written(tmp_path / "last.yaml", last_years())
    this = this_years()
    this["data"]["kpis"][0]["previous"] = "94%"

    _, findings = against_last_year(tmp_path, last, this)

    assert [(f["path"], f["message"]) for f in findings if f["rule"] == "last-year.kpi-previous"] == [
        ("data.kpis[0].previous", "'Suppliers checked' gives last year's figure as 94%, but last year's statement "
                                  "reported 96%")]


def test_a_statement_that_reports_on_everything_and_says_what_changed_raises_nothing(tmp_path: Path) -> None:
    last = _written(tmp_path / "last.yaml", last_years())
    this = this_years()
    this["data"]["progress"].append({"commitment": "Audit our uniform supplier.", "status": "in-progress",
                                     "evidence": "The audit is booked for May."})
    this["data"]["kpis"][0]["previous"] = "96%"
    this["sections"][4]["blocks"][-1] = {"p": "This year our buyers visited both uniform factories and closed "
                                              "three findings on overtime with the supplier."}

    exit_code, findings = against_last_year(tmp_path, last, this)

    assert (exit_code, findings) == (0, [])


def test_last_years_built_document_gives_its_commitments_and_figures(tmp_path: Path) -> None:
    last = _written(tmp_path / "last.yaml", last_years())
    assert msgen("build", last, "-o", tmp_path, "--format", "docx").exit_code == 0
    document = next(tmp_path.glob("*modern-slavery-statement*.docx"))

    _, findings = against_last_year(tmp_path, document)

    assert {(f["rule"], f["message"]) for f in findings if f["rule"] != "last-year.carried-over"} == {
        ("last-year.commitment-unreported", "the commitment 'Audit our uniform supplier', made last year, is not reported on"),
        ("last-year.kpi-previous", "'Suppliers checked' was 96% last year, but its previous figure is not given")}
    assert "sections[4]" in {f["path"] for f in findings if f["rule"] == "last-year.carried-over"}


@pytest.mark.parametrize("arguments, exit_code, says", [
    (("--last-year", "missing.yaml"), 2, "missing.yaml"),
    (("--last-year", "broken.yaml"), 1, "financial_year"),
])
def test_a_last_year_that_cannot_be_read_stops_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             arguments: tuple[str, ...], exit_code: int,
                                                             says: str) -> None:
    monkeypatch.chdir(tmp_path)
    broken = last_years()
    broken["statement"]["financial_year"] = "2021"
    _written(tmp_path / "broken.yaml", broken)

    result = msgen("check", _written(tmp_path / "this.yaml", this_years()), *arguments)

    assert result.exit_code == exit_code and says in result.output
    assert "Traceback" not in result.output


def test_last_year_needs_this_years_profile() -> None:
    result = msgen("check", "--last-year", "last.yaml")

    assert result.exit_code == 2 and "--last-year needs this year's profile" in result.output


def test_an_earlier_statement_linked_twice_is_named_once_per_repeat(tmp_path: Path) -> None:
    twice = put("statement.previous_statements[1]", {"year": "2021-22",
                                                     "url": "https://www.norfolk.police.uk/modern-slavery-2021/"})

    _, findings = checked(changed(tmp_path, twice))

    assert [(f["path"], f["message"]) for f in findings if f["rule"] == "last-year.previous-link"] == [
        ("statement.previous_statements[1]", "repeats the link of statement.previous_statements[0]: "
                                             "'https://www.norfolk.police.uk/modern-slavery-2021/'"),
        ("statement.previous_statements[1]", "repeats the year of statement.previous_statements[0]: '2021-22'")]
