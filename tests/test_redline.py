"""`msgen redline`: this year's statement as Word tracked changes to last year's.

A lawyer accepts or rejects each change in Word, so the tests read the revisions
themselves (w:ins / w:del): exactly the changed words, accepting all gives this year's
text and rejecting all gives last year's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

import pytest
from lxml import etree

from msgen.profile.loader import load_profile
from msgen.publish.office import convert
from msgen.annual.redline import redline_bytes
from ooxml import validate_docx, zip_problems
from pdfs import pdf_text
from conftest import msgen

pytestmark = pytest.mark.slow  # builds documents in many processes: CI and the full run only

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "staffordshire-joint-2022.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OLD_WORD, NEW_WORD = "often", "frequently"
INTRODUCTION = ["We do not tolerate modern slavery in any form.",
                f"Victims are {OLD_WORD} deceived or threatened into work and may not see themselves as victims."]


def built_statement(folder: Path, introduction: list[str]) -> Path:
    """The example's statement as `msgen build` writes it (its fields in content controls),
    with these opening paragraphs."""
    profile = load_profile(EXAMPLE).data
    profile["statement"]["introduction"] = introduction
    folder.mkdir()
    (folder / "profile.json").write_text(json.dumps(profile), encoding="utf-8")
    result = msgen("build", folder / "profile.json", "-o", folder)
    assert result.exit_code == 0, result.output
    statement, = folder.glob("*-modern-slavery-statement-*.docx")
    return statement


def body(docx: Path | bytes) -> etree._Element:
    with zipfile.ZipFile(docx if isinstance(docx, Path) else BytesIO(docx)) as package:
        return etree.fromstring(package.read("word/document.xml"))


def paragraph_texts(root: etree._Element, *, dropping: str) -> list[str]:
    """Each paragraph's text once every `dropping` revision (w:ins or w:del) is undone:
    dropping w:del is 'accept all', dropping w:ins is 'reject all'."""
    texts = []
    for paragraph in root.iter(f"{W}p"):
        kept = [node.text or "" for node in paragraph.iter(f"{W}t", f"{W}delText")
                if not any(a.tag == f"{W}{dropping}" for a in node.iterancestors())]
        texts.append("".join(kept))
    return texts


@pytest.fixture(scope="module")
def compared(tmp_path_factory) -> dict[str, Path]:
    """Last year's statement, this year's with one word changed, and their redline."""
    folder = tmp_path_factory.mktemp("redline")
    old = built_statement(folder / "old", INTRODUCTION)
    new = built_statement(folder / "new", [text.replace(OLD_WORD, NEW_WORD) for text in INTRODUCTION])
    assert next(body(new).iter(f"{W}sdt"), None) is not None  # fields are content controls
    result = msgen("redline", old, new, "-o", folder / "changes.docx", "--author", "Legal Services")
    assert result.exit_code == 0, result.output
    assert "1 insertion(s) and 1 deletion(s) tracked" in result.stdout
    return {"old": old, "new": new, "redline": folder / "changes.docx"}


# -- the revisions --------------------------------------------------------------------------

def test_one_changed_word_is_exactly_one_insertion_and_one_deletion(compared: dict[str, Path]) -> None:
    root = body(compared["redline"])

    insertions, deletions = list(root.iter(f"{W}ins")), list(root.iter(f"{W}del"))
    assert ["".join(i.itertext()).strip() for i in insertions] == [NEW_WORD]
    assert ["".join(d.itertext()).strip() for d in deletions] == [OLD_WORD]
    assert {r.get(f"{W}author") for r in insertions + deletions} == {"Legal Services"}


def test_accepting_all_gives_the_new_text_and_rejecting_all_the_old(compared: dict[str, Path]) -> None:
    root = body(compared["redline"])

    assert paragraph_texts(root, dropping="del") == paragraph_texts(body(compared["new"]), dropping="del")
    assert paragraph_texts(root, dropping="ins") == paragraph_texts(body(compared["old"]), dropping="ins")


def test_the_redline_is_a_valid_word_document(compared: dict[str, Path]) -> None:
    assert zip_problems(compared["redline"]) == []
    assert validate_docx(compared["redline"]) == []


def test_libreoffice_opens_the_redline(compared: dict[str, Path], needs_office: str, tmp_path: Path) -> None:
    pdf, = convert([compared["redline"]], tmp_path, "pdf")

    assert NEW_WORD in pdf_text(pdf)


def test_a_statement_against_itself_has_no_revisions(compared: dict[str, Path], tmp_path: Path) -> None:
    result = msgen("redline", compared["old"], compared["old"], "-o", tmp_path / "same.docx")

    assert result.exit_code == 0
    assert "0 insertion(s) and 0 deletion(s)" in result.stdout
    root = body(tmp_path / "same.docx")
    assert next(root.iter(f"{W}ins", f"{W}del"), None) is None


def test_build_can_compare_bytes_and_date_the_changes(compared: dict[str, Path]) -> None:
    when = datetime(2024, 9, 30, 12, 0, tzinfo=timezone.utc)

    redline = redline_bytes(compared["old"].read_bytes(), compared["new"].read_bytes(), "msgen", when)

    revisions = list(body(redline).iter(f"{W}ins", f"{W}del"))
    assert ["".join(r.itertext()).strip() for r in revisions] == [NEW_WORD, OLD_WORD]
    assert {r.get(f"{W}date") for r in revisions} == {"2024-09-30T12:00:00Z"}


# -- works offline ----------------------------------------------------------------------------

def test_the_comparison_runs_with_the_network_cut_off(compared: dict[str, Path], tmp_path: Path) -> None:
    """`unshare -rn` runs the command in a network namespace of its own with no interface
    but loopback (unprivileged where user namespaces are allowed, as on CI runners)."""
    if not shutil.which("unshare") or subprocess.run(["unshare", "-rn", "true"]).returncode:
        pytest.skip("this system cannot make a network namespace (unshare -rn)")
    no_network = ("import socket\ntry:\n    socket.create_connection(('1.1.1.1', 443), timeout=3)\n"
                  "except OSError:\n    pass\nelse:\n    raise SystemExit('the network is reachable')")
    target = tmp_path / "offline.docx"
    script = (f"{sys.executable} -c \"$NO_NETWORK\" && "
              f"{sys.executable} -m msgen redline \"$OLD\" \"$NEW\" -o \"$OUT\"")

    result = subprocess.run(["unshare", "-rn", "sh", "-c", script], capture_output=True, text=True,
                            env={**os.environ, "NO_NETWORK": no_network, "OLD": str(compared["old"]),
                                 "NEW": str(compared["new"]), "OUT": str(target)})

    assert result.returncode == 0, result.stderr
    assert len(list(body(target).iter(f"{W}ins"))) == 1


# -- what the user can get wrong --------------------------------------------------------------

def test_without_the_optional_part_the_error_names_the_install_command(
        compared: dict[str, Path], tmp_path: Path) -> None:
    """Runs msgen where python-redlines cannot be imported, as if the extra were not installed."""
    code = ("import sys; sys.modules['python_redlines'] = None; from msgen.cli import main; "
            "sys.argv[0] = 'msgen'; main()")
    result = subprocess.run([sys.executable, "-c", code, "redline", compared["old"], compared["new"],
                             "-o", tmp_path / "x.docx"], capture_output=True, text=True)

    assert result.returncode == 3
    assert 'pip install "msgen[redline]"' in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.docx").exists()


@pytest.mark.parametrize("content", [b"", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old .doc",
                                     b"%PDF-1.7 not a document"])
def test_a_file_that_is_not_a_docx_is_refused_in_words(compared: dict[str, Path], tmp_path: Path,
                                                        content: bytes) -> None:
    other = tmp_path / "statement.docx"
    other.write_bytes(content)

    result = msgen("redline", compared["old"], other, "-o", tmp_path / "x.docx")

    assert result.exit_code == 1
    assert f"{other}: this is not a Word document (.docx)" in result.stderr
    assert not (tmp_path / "x.docx").exists()


def test_a_missing_document_is_a_usage_error(compared: dict[str, Path], tmp_path: Path) -> None:
    result = msgen("redline", tmp_path / "nothing.docx", compared["new"], "-o", tmp_path / "x.docx")

    assert result.exit_code == 2
    assert "nothing.docx: no such file" in result.stderr


def test_an_existing_output_is_not_replaced_without_force(compared: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "changes.docx"
    target.write_bytes(b"keep me")

    refused = msgen("redline", compared["old"], compared["new"], "-o", target)
    assert refused.exit_code == 3
    assert "already exists" in refused.stderr
    assert target.read_bytes() == b"keep me"


def test_the_redline_never_replaces_a_document_it_compares(compared: dict[str, Path]) -> None:
    before = compared["new"].read_bytes()

    result = msgen("redline", compared["old"], compared["new"], "-o", compared["new"], "--force")

    assert result.exit_code == 2
    assert "would replace the input" in result.stderr
    assert compared["new"].read_bytes() == before


def test_an_author_must_be_a_name_on_one_line(compared: dict[str, Path], tmp_path: Path) -> None:
    result = msgen("redline", compared["old"], compared["new"], "-o", tmp_path / "x.docx",
                   "--author", "Legal\nServices")

    assert result.exit_code == 2
    assert "is not a name" in result.stderr
