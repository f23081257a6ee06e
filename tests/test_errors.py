"""The one problem type: a path tuple turned into text only where it is printed, and
every exception msgen raises defined in msgen/errors.py."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import msgen
from msgen.errors import EditsDisagree, Problem, format_path

PACKAGE = Path(msgen.__file__).parent


def test_a_path_is_written_with_dots_and_indexes() -> None:
    assert format_path(("signatories", 0, "signature_image", "path")) == "signatories[0].signature_image.path"
    assert format_path(()) == ""


def test_a_problem_prints_only_what_it_knows() -> None:
    assert str(Problem("too long", ("approval", "body"), "p.yaml", 7, fix="shorten it")) == (
        "p.yaml:7: approval.body: too long (shorten it)")
    assert str(Problem("the file is empty", file="p.yaml")) == "p.yaml: the file is empty"
    assert str(Problem("contains 'TBC'", place="statement.docx, paragraph 3")) == (
        "statement.docx, paragraph 3: contains 'TBC'")


def test_a_failure_with_its_problems_survives_the_trip_from_a_batch_worker() -> None:
    disagreement = Problem("'A' at paragraph 1, but 'B' at paragraph 2", ("organisations", 0, "name"))
    error = pickle.loads(pickle.dumps(EditsDisagree(Path("reviewed.docx"), [disagreement])))

    assert error.problems == [disagreement]
    assert str(error).startswith("reviewed.docx: 1 field(s) edited differently in different places")
    assert error.exit_code == 1


def test_every_exception_class_is_defined_in_errors_py() -> None:
    known = {name for name in dir(msgen.errors) if isinstance(getattr(msgen.errors, name), type)
             and issubclass(getattr(msgen.errors, name), BaseException)} | {"Exception"}
    elsewhere = [f"{module.relative_to(PACKAGE)}: {node.name}"
                 for module in PACKAGE.rglob("*.py") if module.name != "errors.py"
                 for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
                 if isinstance(node, ast.ClassDef)
                 and any(getattr(base, "id", getattr(base, "attr", "")) in known or
                         getattr(base, "id", "").endswith(("Error", "Exception")) for base in node.bases)]

    assert elsewhere == []
