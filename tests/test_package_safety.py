"""A .docx is a zip of XML that anyone can hand msgen: a reviewed statement, last year's
document, a template from a shared drive. None of them can exhaust the machine (a zip
bomb), and no template can make Word or LibreOffice fetch from the network."""

from __future__ import annotations

import re
import shutil
import struct
import zipfile
from pathlib import Path

import pytest

from msgen.build import render_profile
from msgen.profile.loader import load_profile
from msgen.ooxml import MAX_ENTRIES, MAX_PART_BYTES
from msgen.resources import templates_dir
from conftest import msgen

CLEAN = Path(__file__).parent / "fixtures" / "check"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the clean profile, with its signature image; the statement built from it)."""
    folder = tmp_path_factory.mktemp("package")
    shutil.copy(CLEAN / "signature.png", folder / "signature.png")
    profile = Path(shutil.copy(CLEAN / "clean.yaml", folder / "staffs.yaml"))
    documents = render_profile(load_profile(profile), templates_dir())
    statement = folder / "statement.docx"
    statement.write_bytes(next(data for name, data in documents.items() if "statement" in name))
    return profile, statement


def with_parts(source: Path, target: Path, extra: dict[str, bytes] | None = None,
               change: dict[str, bytes] | None = None) -> Path:
    """A copy of the package at `source` with parts changed and added."""
    with zipfile.ZipFile(source) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts.update(change or {})
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in {**parts, **(extra or {})}.items():
            package.writestr(name, data)
    return target


def zip_bomb(source: Path, target: Path) -> Path:
    """`source` with a part of zeros that inflates past the limit (a few hundred KB on disk)."""
    with_parts(source, target)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        with package.open("word/media/padding.bin", "w", force_zip64=True) as part:
            zeros = bytes(2**20)
            for _ in range(MAX_PART_BYTES // 2**20 + 1):
                part.write(zeros)
    return target


def lying_sizes(bomb: Path, target: Path) -> Path:
    """The bomb with its padding part declared as 100 bytes, in both zip headers."""
    data = bytearray(bomb.read_bytes())
    with zipfile.ZipFile(bomb) as package:
        info = package.getinfo("word/media/padding.bin")
    central = None
    for offset in [m.start() for m in re.finditer(rb"PK\x01\x02", data)]:
        name_length = struct.unpack_from("<H", data, offset + 28)[0]
        if data[offset + 46:offset + 46 + name_length] == b"word/media/padding.bin":
            central = offset
    struct.pack_into("<I", data, central + 24, 100)
    struct.pack_into("<I", data, info.header_offset + 22, 100)
    target.write_bytes(bytes(data))
    return target


@pytest.fixture(scope="module")
def bomb(workspace: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return zip_bomb(workspace[1], tmp_path_factory.mktemp("bomb") / "statement.docx")


TOO_LARGE = re.compile(r"statement\.docx: this Word document is too large to open safely: its part "
                       r"word/media/padding\.bin expands to 6\d MB; at most 64 MB")


@pytest.mark.parametrize("command", ["build --templates", "redline", "pull", "check --docx"])
def test_a_docx_that_would_expand_past_the_limits_is_refused_in_every_command(
        command: str, workspace: tuple[Path, Path], bomb: Path, tmp_path: Path) -> None:
    profile, statement = workspace
    if command == "build --templates":
        templates = Path(shutil.copytree(templates_dir(), tmp_path / "templates"))
        shutil.copy(bomb, templates / "statement.docx")
        args = ["build", profile, "-o", tmp_path, "--templates", templates]
    else:
        args = {"redline": ["redline", statement, bomb, "-o", tmp_path / "redline.docx"],
                "pull": ["pull", bomb, "--profile", profile, "-o", tmp_path / "new.yaml"],
                "check --docx": ["check", profile, "--docx", bomb]}[command]

    result = msgen(*args)

    assert result.exit_code == 1, result.output
    assert TOO_LARGE.search(result.stderr), result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == []


def test_too_many_parts_and_lying_sizes_are_refused_before_they_cost_memory(
        workspace: tuple[Path, Path], bomb: Path, tmp_path: Path) -> None:
    profile, statement = workspace
    crowded = with_parts(statement, tmp_path / "crowded" / "statement.docx",
                         extra={f"word/media/{n}.txt": b"" for n in range(MAX_ENTRIES)})
    liar = lying_sizes(bomb, tmp_path / "liar.docx")

    too_many = msgen("check", profile, "--docx", crowded)
    lied = msgen("redline", statement, liar, "-o", tmp_path / "redline.docx")

    assert too_many.exit_code == 1, too_many.output
    parts = len(zipfile.ZipFile(crowded).namelist())
    assert (f"{crowded}: this Word document is too large to open safely: it holds {parts:,} parts; "
            f"at most {MAX_ENTRIES:,}") in too_many.stderr
    assert lied.exit_code == 1, lied.output
    assert f"{liar}: this is not a Word document (.docx)" in lied.stderr
    assert not (tmp_path / "redline.docx").exists()


EXTERNAL_IMAGE = (b'<Relationship Id="rId900" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                  b'relationships/image" Target="http://tracker.example/pixel.png" TargetMode="External"/>')
SCRIPT_LINK = (b'<Relationship Id="rId901" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
               b'relationships/hyperlink" Target="javascript:alert(1)" TargetMode="External"/>')
SAFE_LINK = (b'<Relationship Id="rId902" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             b'relationships/hyperlink" Target="https://www.gov.uk/" TargetMode="External"/>')
INCLUDE_PICTURE = b'<w:p><w:fldSimple w:instr=" INCLUDEPICTURE &quot;http://tracker.example/a.png&quot; "/></w:p>'
INCLUDE_TEXT = (b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> INCLUDE</w:instrText></w:r>'
                b'<w:r><w:instrText>TEXT "http://tracker.example/b.docx" </w:instrText></w:r>'
                b'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
ALT_CHUNK = b'<w:altChunk r:id="rId903"/>'


def template_with(templates: Path, *, relationship: bytes = b"", body: bytes = b"") -> Path:
    """The templates folder, its statement template given a relationship and body XML."""
    statement = templates / "statement.docx"
    with zipfile.ZipFile(statement) as package:
        rels, document = package.read("word/_rels/document.xml.rels"), package.read("word/document.xml")
    with_parts(statement, statement, change={
        "word/_rels/document.xml.rels": rels.replace(b"</Relationships>", relationship + b"</Relationships>"),
        "word/document.xml": re.sub(rb"(<w:body>)", lambda m: m.group(1) + body, document, count=1)})
    return templates


@pytest.mark.parametrize("command", ["build", "check --templates"])
@pytest.mark.parametrize("hostile, said", [
    ({"relationship": EXTERNAL_IMAGE}, "an external image at 'http://tracker.example/pixel.png'"),
    ({"relationship": SCRIPT_LINK}, "a link to 'javascript:alert(1)' (only http, https and mailto links are allowed)"),
    ({"body": INCLUDE_PICTURE}, "word/document.xml: a INCLUDEPICTURE field"),
    ({"body": INCLUDE_TEXT}, "word/document.xml: a INCLUDETEXT field"),
    ({"body": ALT_CHUNK}, "word/document.xml: an embedded document (altChunk)"),
], ids=["remote image", "javascript link", "INCLUDEPICTURE", "INCLUDETEXT split over runs", "altChunk"])
def test_a_template_that_would_reach_the_network_is_refused(
        command: str, hostile: dict, said: str, workspace: tuple[Path, Path], tmp_path: Path) -> None:
    profile, _ = workspace
    templates = Path(shutil.copytree(templates_dir(), tmp_path / "templates"))
    template_with(templates, **hostile)
    out = tmp_path / "out"
    out.mkdir()
    args = ["build", profile, "-o", out] if command == "build" else ["check", profile]

    result = msgen(*args, "--templates", templates)

    assert result.exit_code == 1, result.output
    assert f"{templates / 'statement.docx'}: the template would fetch from the network: " in result.stderr
    assert said in result.stderr
    assert "a statement must load nothing from the internet when opened or converted to PDF" in result.stderr
    assert list(out.iterdir()) == []


def test_a_template_may_link_to_web_pages(workspace: tuple[Path, Path], tmp_path: Path) -> None:
    profile, _ = workspace
    templates = Path(shutil.copytree(templates_dir(), tmp_path / "templates"))
    template_with(templates, relationship=SAFE_LINK)

    result = msgen("build", profile, "-o", tmp_path, "--templates", templates, "--format", "docx")

    assert result.exit_code == 0, result.output
    assert any(p.suffix == ".docx" for p in tmp_path.iterdir())
