"""Every Word document msgen writes for the examples is valid ECMA-376 WordprocessingML
in a clean zip (no duplicate entries, every part typed).

Word refuses a file ("unreadable content") that LibreOffice and python-docx open
happily, the day before publication; so each example is built the ways a user builds
it (approved, as a draft with its DRAFT header, and as a redline against another
statement) and every part is validated against the schemas in ../shared/ooxml-xsd.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from msgen import resources
from msgen.profile.loader import load_profile
from ooxml import validate_docx, zip_problems
from conftest import msgen

pytestmark = pytest.mark.slow  # builds documents in many processes: CI and the full run only

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.yaml"))
REDLINED = "staffordshire-joint-2022.yaml"  # built once as tracked changes to another example


def assert_built(*args: object) -> None:
    result = msgen(*args)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> list[Path]:
    """Every .docx msgen writes for the examples: approved, draft, and one redline."""
    final, draft, redline = (tmp_path_factory.mktemp(name) for name in ("final", "draft", "redline"))
    assert_built("build", *EXAMPLES, "-o", final, "--quiet")
    assert_built("build", *EXAMPLES, "-o", draft, "--draft", "--quiet")
    last_year = next(path for path in sorted(final.glob("*-modern-slavery-statement-*.docx"))
                     if not path.name.startswith("staffordshire"))
    assert_built("build", next(e for e in EXAMPLES if e.name == REDLINED), "-o", redline,
                 "--redline-against", last_year, "--quiet")
    return sorted(path for folder in (final, draft, redline) for path in folder.glob("*.docx"))


def problems(documents: list[Path]) -> dict[str, list[str]]:
    found = {f"{d.parent.name}/{d.name}": zip_problems(d) + validate_docx(d) for d in documents}
    return {name: errors for name, errors in found.items() if errors}


def test_the_examples_exist():
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_every_document_built_from_an_example_is_valid_ooxml(example: Path, written: list[Path]):
    slug = load_profile(example).data["slug"]
    documents = [path for path in written if path.name.startswith(f"{slug}-")]
    assert len(documents) >= 4, [path.name for path in written]  # statement and charter, approved and draft
    assert problems(documents) == {}


def test_the_redline_is_valid_ooxml(written: list[Path]):
    redlines = [path for path in written if path.name.endswith("-redline.docx")]
    assert len(redlines) == 1
    assert problems(redlines) == {}


def test_the_templates_msgen_ships_and_exports_are_valid_ooxml():
    templates = sorted([*resources.templates_dir(1).glob("*.docx"), *resources.templates_dir(2).glob("*.docx")])
    assert len(templates) == 6
    assert problems(templates) == {}
