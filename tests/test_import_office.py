"""`msgen import` of OpenDocument (.odt) and Word 97-2003 (.doc) statements, which it reads
through LibreOffice: real files LibreOffice itself writes, round-tripped as issue 12 asks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import msgen
from test_import import REFERENCES, assert_kept_word_for_word, import_and_build, word_copy

pytestmark = pytest.mark.office

REFERENCE = REFERENCES / "staffordshire-joint-2022.txt"  # headings, lists and three signature blocks


@pytest.fixture(scope="module")
def office_copies(tmp_path_factory) -> dict[str, Path]:
    """The reference saved by LibreOffice as .odt and as .doc from its Word copy (one run per format)."""
    from msgen.publish.office import convert

    folder = tmp_path_factory.mktemp("office")
    word = word_copy(REFERENCE, folder / f"{REFERENCE.stem}.docx")
    return {suffix: convert([word], folder / suffix, suffix)[0] for suffix in ("odt", "doc")}


@pytest.mark.parametrize("suffix", ["odt", "doc"])
def test_a_statement_saved_by_libreoffice_comes_back_word_for_word(tmp_path, office_copies, suffix):
    profile, built = import_and_build(office_copies[suffix], tmp_path)
    assert_kept_word_for_word(profile, built, REFERENCE, f"{REFERENCE.stem}.{suffix}")
    assert profile["statement"]["title"] == "Joint Modern Slavery and Human Trafficking Statement 2022"
    assert [signatory["name"] for signatory in profile["signatories"]] == ["Chris Noble", "Ben Adams", "Rob Barber"]


def test_an_odt_from_standard_input_is_read_as_one(tmp_path, office_copies):
    from typer.testing import CliRunner

    from msgen.cli import app

    profile = tmp_path / "profile.yaml"
    result = CliRunner().invoke(app, ["import", "-", "-o", str(profile)], input=office_copies["odt"].read_bytes())
    assert result.exit_code == 0, result.output
    assert "Staffordshire Police" in [body["legal_name"] for body in yaml.safe_load(profile.read_text())["bodies"]]


def test_a_damaged_doc_is_one_clear_line_and_nothing_written(tmp_path, office_copies):
    damaged = tmp_path / "damaged.doc"
    damaged.write_bytes(office_copies["doc"].read_bytes()[:1024])
    result = msgen("import", damaged, "-o", tmp_path / "profile.yaml")
    assert (result.exit_code, result.output.strip().count("\n")) == (1, 0), result.output
    assert "LibreOffice could not read this .doc file" in result.output
    assert not (tmp_path / "profile.yaml").exists()
