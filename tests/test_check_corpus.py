"""`msgen check` on the labelled corpus of real statement text (tests/check_corpus/): how
often it finds what a reviewer would, and how rarely it cries wolf (issue 13's acceptance).

The figures come from scripts/check_accuracy.py, which prints the same table for a person.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check_accuracy.py"


def _accuracy() -> Any:
    spec = importlib.util.spec_from_file_location("check_accuracy", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


accuracy = _accuracy()


@pytest.fixture(scope="module")
def figures() -> dict[str, Any]:
    return accuracy.measure()


def test_the_corpus_is_large_and_mostly_clean_enough_to_measure_false_alarms(figures: dict[str, Any]) -> None:
    assert figures["cases"] >= 150
    assert figures["none"] * 3 >= figures["cases"]


def test_the_base_statement_raises_nothing_on_its_own() -> None:
    from msgen.check import check_profile
    from msgen.profile.loader import LoadedProfile

    base = LoadedProfile(accuracy.BASE, accuracy.read_yaml(accuracy.BASE))

    assert [f"{f.rule}: {f.message}" for f in check_profile(base, accuracy.TODAY)] == []


def test_check_finds_nine_in_ten_and_cries_wolf_less_than_one_in_twenty(figures: dict[str, Any]) -> None:
    overall = figures["overall"]

    assert overall["recall"] >= 0.9, figures["misses"]
    assert overall["precision"] >= 0.95, figures["false_alarms"]


def test_no_labelled_family_falls_below_eight_in_ten(figures: dict[str, Any]) -> None:
    """Every family the corpus has cases for; a family's false alarms on other families'
    cases count against it here, and against the overall precision in any case."""
    labelled = {case.expect for case in accuracy.read_cases()} - {accuracy.NONE}
    weak = {family: rates for family, rates in figures["families"].items()
            if family in labelled and min(rates["precision"], rates["recall"]) < 0.8}

    assert weak == {}, (weak, figures["misses"], figures["false_alarms"])


@pytest.mark.parametrize("case_id, family", [
    ("doubled-word-in-in", "writing"),               # "published in in line with section 54(1)"
    ("run-together-serviceacross", "writing"),       # "Serviceacross"
    ("punctuation-space-inside-bracket", "writing"),  # punctuation glitches
    ("confusion-nrm-misnamed", "writing"),           # a national institution misnamed
    ("confusion-good-practise", "writing"),          # a verb used for a noun
    ("confusion-constabulary-are", "writing"),       # a singular body with a plural verb
    ("residue-footnote-glued-word", "residue"),      # footnote markers glued to words
    ("residue-page-of", "residue"),                  # page footers left in the text
    ("residue-cookie-banner", "residue"),            # cookie banners
    ("residue-breadcrumb", "residue"),               # site navigation
    ("placeholder-capitals", "placeholder"),         # placeholder forms other than [insert and TBC
    ("placeholder-angle", "placeholder"),
    ("placeholder-xx-number", "placeholder"),
])
def test_each_defect_issue_13_names_is_found_where_it_stands(case_id: str, family: str) -> None:
    case = next(c for c in accuracy.read_cases() if c.id == case_id)

    outcome = accuracy.run_case(case, accuracy.read_yaml(accuracy.BASE))

    assert case.expect == family and outcome.pointing == {family}, outcome.messages
    assert not outcome.elsewhere, outcome.messages


def test_the_script_prints_the_table_a_person_reads(capsys: pytest.CaptureFixture[str]) -> None:
    assert accuracy.main([]) == 0

    printed = capsys.readouterr().out
    assert "family" in printed and "precision" in printed and "\noverall " in printed


def test_a_case_the_contract_does_not_allow_is_named(tmp_path: Path) -> None:
    (tmp_path / "writing.yaml").write_text("- {id: a, text: x, expect: writing}\n", encoding="utf-8")

    with pytest.raises(accuracy.CorpusError, match="writing.yaml: a: .*missing keys \\['source'\\]"):
        accuracy.read_cases(tmp_path)


def test_without_the_dictionary_check_says_spelling_was_not_checked(tmp_path: Path) -> None:
    """A machine without enchant's library (PYENCHANT_LIBRARY_PATH points nowhere) is told
    so in one warning, not given a traceback or a silent pass."""
    import os
    import subprocess

    environment = {**os.environ, "PYENCHANT_LIBRARY_PATH": str(tmp_path / "no-enchant.so")}
    run = subprocess.run([sys.executable, "-m", "msgen", "check", str(accuracy.BASE), "--json"],
                         capture_output=True, text=True, env=environment)

    assert run.returncode == 0, run.stderr
    assert '"rule": "writing.spelling"' in run.stdout and "spelling was not checked" in run.stdout
    assert "Traceback" not in run.stderr
