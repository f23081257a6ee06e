"""docs/errors.md is what msgen does: every row of its tables, run for real (issue 15 class 12).

The test walks the tables of docs/errors.md. For each row it finds the evidence: a case
of the bad-input corpus (tests/bad_inputs) whose message the row documents, or else a
recipe below; it runs that real `msgen` command and checks the exit code the row (or
its section) documents and that the output holds one of the row's messages (`{...}`
stands for the part that changes). A row without evidence fails, so a new message
cannot be documented without being shown, and a changed message or code cannot go
unnoticed. The few rows no test can reach in reasonable time are listed in UNREACHABLE
with the reason, and their wording is still checked against msgen's source.
"""

from __future__ import annotations

import fcntl
import os
import re
import resource
import shutil
import signal
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import docx
import pytest
import yaml
from test_bad_inputs import (
    BASE_PROFILE,
    CASES,
    USER_ENV,
    execute,
    msgen_command,
    prepared_run,
)
from test_package_safety import EXTERNAL_IMAGE, template_with, zip_bomb
from test_pull import without_build_record
from test_reliability_io import build_on_a_small_disk, held_msgen, wait_for
from test_safety import _tmpfs_available

pytestmark = pytest.mark.slow  # many msgen processes and real builds: CI and the full run only

ROOT = Path(__file__).parents[1]
ERRORS_DOC = ROOT / "docs" / "errors.md"
FRAGMENT = re.compile(r"`([^`]+)`")
VARIABLE = re.compile(r"\{([^}]*)\}")
CHANGING = re.compile(r"\{[^}]*\}|\.\.\.")  # what the documents write for the part of a message that changes


@dataclass(frozen=True)
class Row:
    section: str
    messages: tuple[str, ...]
    exit_code: int
    command: str | None = None  # the command the exit code is documented for, when the row names one

    @property
    def key(self) -> str:
        return self.messages[0]

    def said_in(self, output: str) -> bool:
        """Whether the output holds one of the row's messages, `{...}` matching anything."""
        return any(re.search(".+?".join(map(re.escape, CHANGING.split(message))), output)
                   for message in self.messages)


def documented_rows() -> list[Row]:
    """Each message row of docs/errors.md's tables with the exit code it documents: its
    own exit column, else an `(exit N)` after its messages, else its section's `(exit N)`."""
    rows, section, section_code, exit_column = [], "", None, None
    for line in ERRORS_DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:]
            found = re.search(r"\(.*?exit (\d+)", section)
            section_code = int(found.group(1)) if found else 0  # "Warnings that do not stop msgen"
        elif line.startswith(("| message |", "| code |")):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            exit_column = cells.index("exit") if "exit" in cells else None
        elif line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            own = re.search(r"exit (\d+)(?: for ([\w-]+))?", FRAGMENT.sub("", cells[0]))
            code = int(cells[exit_column]) if exit_column is not None else int(own.group(1)) if own else section_code
            rows.append(Row(section, tuple(FRAGMENT.findall(cells[0])), code, own.group(2) if own else None))
    return rows


ROWS = documented_rows()


# -- what a recipe can make -------------------------------------------------------------

def profile(folder: Path, replace: dict[str, str] | None = None, name: str = "profile.yaml") -> Path:
    """The corpus's base profile, with text replaced (each old text must be there)."""
    text = BASE_PROFILE.read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def built(folder: Path, replace: dict[str, str] | None = None) -> tuple[Path, Path]:
    """A profile and the statement built from it."""
    folder.mkdir(exist_ok=True)
    path = profile(folder, replace)
    out = folder / "out"
    out.mkdir()
    subprocess.run(msgen_command(["build", str(path), "-o", str(out)]), check=True, capture_output=True,
                   env=USER_ENV)
    statement, = out.glob("*statement*.docx")
    return path, statement


def templates_with(folder: Path, text: str) -> Path:
    """msgen's templates, with a paragraph of template code added to the statement."""
    templates = folder / "templates"
    subprocess.run(msgen_command(["templates", "export", str(templates)]), check=True, capture_output=True,
                   env=USER_ENV)
    document = docx.Document(str(templates / "statement.docx"))
    document.add_paragraph(text)
    document.save(str(templates / "statement.docx"))
    return templates


def page_template_with(folder: Path, text: bytes) -> Path:
    """msgen's templates, with `text` before the web page template's own."""
    templates = folder / "templates"
    subprocess.run(msgen_command(["templates", "export", str(templates)]), check=True, capture_output=True,
                   env=USER_ENV)
    page = templates / "page.html.j2"
    page.write_bytes(text + page.read_bytes())
    return templates


def edited(statement: Path, edits: dict[str, list[str]]) -> Path:
    """A copy of a built document with the content controls tagged with each path of
    `edits` reading the texts given, in order (as a reviewer edits them in Word)."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(statement) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    for tag, texts in edits.items():
        controls = [sdt for sdt in root.iter(f"{w}sdt") if sdt.find(f"{w}sdtPr/{w}tag").get(f"{w}val") == tag]
        assert len(controls) >= len(texts), tag
        for control, text in zip(controls, texts):
            first, *rest = control.iter(f"{w}t")
            first.text = text
            for other in rest:
                other.text = ""
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    copy = statement.with_name("reviewed.docx")
    with zipfile.ZipFile(copy, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return copy


def written(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def word_97_file(folder: Path) -> Path:
    """A file that starts as every .doc does, so import hands it to LibreOffice."""
    from msgen.importer.sources import OLE_SIGNATURE

    path = folder / "statement.doc"
    path.write_bytes(OLE_SIGNATURE + bytes(512))
    return path


def program(folder: Path, name: str, text: str) -> Path:
    """A small program standing in for LibreOffice or the redline engine."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)
    return path


def shadow_redline_engine(folder: Path, body: str) -> dict[str, str]:
    """An environment where `python_redlines` is this module instead of the real one
    (which it can still import as `python_redlines_real`)."""
    import python_redlines

    package = folder / "shadow" / "python_redlines"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(body, encoding="utf-8")
    (folder / "shadow" / "python_redlines_real").symlink_to(Path(python_redlines.__file__).parent)
    return {"PYTHONPATH": str(folder / "shadow"), "MSGEN_CACHE_DIR": str(folder / "cache")}  # the user's cache untouched


def shared_folder(path: Path) -> Path:
    """A folder everyone may write in."""
    path.mkdir()
    path.chmod(0o777)
    return path


def limited_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def killed_worker(folder: Path) -> tuple[int, str]:
    """A batch whose worker is killed mid-profile, as the out-of-memory killer does."""
    paths = [profile(folder, {"slug: exampleshire-police": f"slug: body-{n}"}, f"body-{n}.yaml") for n in range(3)]
    out = folder / "out"
    out.mkdir()
    build = held_msgen("msgen.batch.prepare_profile", "body-1", folder / "ready", "build", *paths, "-o", out,
                       "--jobs", "2")
    os.kill(wait_for(folder / "ready", build), signal.SIGKILL)
    stdout, stderr = build.communicate(timeout=300)
    return build.returncode, stdout + stderr


def locked_folder(folder: Path) -> tuple[int, str]:
    """A build into a folder another program keeps locked."""
    path = profile(folder)
    out = folder / "out"
    out.mkdir()
    handle = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        result = subprocess.run(msgen_command(["build", str(path), "-o", str(out)]), capture_output=True,
                                text=True, env=USER_ENV, timeout=300)
    finally:
        os.close(handle)
    return result.returncode, result.stdout + result.stderr


def full_disk(folder: Path) -> tuple[int, str]:
    """A build onto a 16 kB file system (in a private mount namespace)."""
    result = build_on_a_small_disk(16 * 1024, folder / "out", profile(folder))
    return result.returncode, result.stdout + result.stderr


def special(kind: str) -> Callable[[Path], list]:
    def recipe(folder: Path) -> list:
        path = folder / "profile.yaml"
        if kind == "fifo":
            os.mkfifo(path)
        else:
            (folder / "a.yaml").symlink_to(path)
            path.symlink_to(folder / "a.yaml")
        return ["build", path, "-o", folder]
    return recipe


# A recipe makes what the row's message is about in a folder of its own and returns the
# `msgen` arguments to run, or (arguments, environment variables), or runs something
# itself and returns (exit code, output).
Recipe = Callable[[Path], object]
AREA_WITH_REASON = {"  structure:\n    included: true\n": "  structure:\n    included: true\n    reason: Because.\n"}
JOINT_WITHOUT_SHORT_NAMES = {
    "kind: single": "kind: joint",
    "organisations:\n": "organisations:\n  - id: exampleshire-pcc\n    name: Exampleshire PCC\n    type: pcc\n"
                        "    description:\n      - The PCC.\n"}
RECIPES: dict[str, Recipe] = {
    "this is a folder, not a profile file": lambda d: (d / "p.yaml").mkdir() or ["check", d / "p.yaml"],
    "this is {a named pipe (FIFO) / a device / a socket}, not an ordinary file; msgen reads only ordinary files":
        special("fifo"),
    "the symbolic link loops back on itself (or goes through too many links)": special("loop"),
    "no profile (.json, .yaml or .yml) in the folder(s) given": lambda d: ["build", d, "-o", d],
    "a profile is a set of named fields (a mapping); this file holds {a list / nothing}":
        lambda d: ["validate", written(d / "p.yaml", "- a\n- b\n")],
    "malformed JSON: the key '{slug}' appears twice in one object":
        lambda d: ["validate", written(d / "p.json", '{"slug": "a", "slug": "b"}')],
    "malformed YAML: the key '{kind}' appears twice (first on line {7})":
        lambda d: ["validate", profile(d, {"  kind: single\n": "  kind: single\n  kind: joint\n"})],
    "malformed YAML: keys must be text, found {2024}":
        lambda d: ["validate", profile(d, {"schema_version: 1\n": "schema_version: 1\n2024: x\n"})],
    "malformed YAML: the tag '{!!python/object/apply:os.system}' is not allowed: a profile holds only plain text, "
    "numbers, lists and mappings":
        lambda d: ["validate", profile(d, {"slug: exampleshire-police": "slug: !!python/object/apply:os.system [x]"})],
    "the control character U+{000B} at column {12} is not allowed":
        lambda d: ["validate", profile(d, {"slug: exampleshire-police": "slug: example\vshire"})],
    "'reason' is only for an area with included: false; remove it": lambda d: ["validate", profile(d, AREA_WITH_REASON)],
    "expected a full web address starting https://, got {...}":
        lambda d: ["validate", profile(d, {"https://www.exampleshire": "www.exampleshire"})],
    "{'Exampleshire Police'} is not in the expected form: {what the field holds}":
        lambda d: ["validate", profile(d, {"slug: exampleshire-police": "slug: Exampleshire Police"})],
    "must not be empty": lambda d: ["validate", profile(d, {"  body: Chief Officer Group": "  body: ''"})],
    "the same value appears twice in this list": lambda d: ["validate", profile(d, {
        "approval:\n": "registry:\n  sectors: [Public sector, Public sector]\napproval:\n"})],
    "must be at least {1}, got {0}": lambda d: ["validate", profile(d, {"years_producing: 3": "years_producing: 0"})],
    "give exactly one of bullets, numbered, paragraph, subheading": lambda d: ["validate", profile(d, {
        "approval:\n": "custom_sections:\n  - heading: More\n    after: training\n    content:\n"
                       "      - paragraph: Text.\n        bullets: [One, Two]\napproval:\n"})],
    "no organisation has the id '{staffordshire-police}' (ids: {...}); did you mean '{...}'?":
        lambda d: ["validate", profile(d, {"    organisation: exampleshire-police": "    organisation: exampleshire"})],
    "the organisation id '{...}' is already used by organisations[{0}]": lambda d: ["validate", profile(d, {
        "organisations:\n": "organisations:\n  - id: exampleshire-police\n    name: Other\n    type: pcc\n"
                            "    description:\n      - Other.\n"})],
    "missing 'short_name' (Abbreviation): a joint statement refers to each body by its abbreviation":
        lambda d: ["validate", profile(d, JOINT_WITHOUT_SHORT_NAMES)],
    "'{010}' is a number YAML readers disagree on (a leading zero, 0x or 0o, an underscore, a colon or an exponent "
    "without a point)": lambda d: ["validate", profile(d, {"years_producing: 3": "years_producing: 010"})],
    "the template asks for too much: {10 ** 100000 is a number of about 100,000 digits; at most 10,000} at \"{...}\"":
        lambda d: ["build", profile(d), "-o", d, "--templates", templates_with(d, "{{ 10 ** 100000 }}")],
    "msgen's cache is not used: {folder} is not a folder of your own that only you can write to":
        lambda d: (["validate", profile(d)], {"MSGEN_CACHE_DIR": str(shared_folder(d / "shared"))}),
    "the template tries to reach inside msgen, which is not allowed at \"{...}\"":
        lambda d: ["build", profile(d), "-o", d, "--templates", templates_with(d, "{{ ''.__class__.__mro__ }}")],
    "the template includes '{...}', which is not in {folder}":
        lambda d: ["build", profile(d), "-o", d, "--templates", templates_with(d, "{% include 'nowhere.docx' %}")],
    "page.html.j2:{12}: template syntax error: {...}": lambda d: [
        "build", profile(d), "-o", d, "--format", "html", "--templates", page_template_with(d, b"{% if %}")],
    "page.html.j2:{1}: the template failed: it has no way to print a row of kind '{identity}'": lambda d: [
        "build", profile(d), "-o", d, "--format", "html", "--templates",
        page_template_with(d, b"{{ unprinted({'kind': 'identity'}) }}")],
    "the template has no {% block main %}, which --format html-fragment writes": lambda d: [
        "build", profile(d), "-o", d, "--format", "html-fragment", "--templates",
        written(page_template_with(d, b"") / "page.html.j2", "<p>{{ page.title }}</p>").parent],
    "{templates/clauses.en.yaml}: the clause file's 'words' must map each word's name to its text": lambda d: [
        "build", profile(d), "-o", d, "--format", "html", "--templates",
        written(page_template_with(d, b"") / "clauses.en.yaml", "words: Page\n").parent],
    "the template is not UTF-8 text (byte 0x{E9})": lambda d: [
        "build", profile(d), "-o", d, "--format", "html", "--templates", page_template_with(d, "é".encode("latin-1"))],
    "the template failed: {...} at \"{...}\"":
        lambda d: ["build", profile(d), "-o", d, "--templates", templates_with(d, "{{ 1 // 0 }}")],
    "the template asks for an image the profile does not name; templates may show only signatories' signature "
    "images":
        lambda d: ["build", profile(d), "-o", d, "--templates", templates_with(
            d, "{{ signature_image({'path': 'elsewhere.png', 'alt_text': 'x'}) }}")],
    "the folder '{...}' does not exist": lambda d: ["next-year", profile(d), "-o", d / "missing" / "next.yaml"],
    "cannot write the file: {File too large}; nothing was written":
        lambda d: ["build", profile(d), "-o", d, limited_file_size],
    "the process building this profile was killed (the computer may have run short of memory); nothing of it was "
    "written": killed_worker,
    "another program has held a lock on the folder for 10 seconds": locked_folder,
    "another profile of this run also makes {name}":
        lambda d: ["build", profile(d, name="a.yaml"), profile(d, name="b.yaml"), "-o", d],
    "the output would replace the input {...}": lambda d: ["next-year", profile(d), "-o", d / "profile.yaml"],
    "already exists; msgen init never overwrites a file": lambda d: ["init", profile(d)],
    "cannot create the folder: {...}": lambda d: ["templates", "export", written(d / "file", "") / "x"],
    "LibreOffice is needed to make PDF files but was not found. Install it with ...":
        lambda d: (["build", profile(d), "-o", d, "--format", "pdf"], {"PATH": str(d), "MSGEN_SOFFICE": ""}),
    "MSGEN_SOFFICE is set to '{...}', but no program is there. ...":
        lambda d: (["build", profile(d), "-o", d, "--format", "pdf"], {"MSGEN_SOFFICE": str(d / "nowhere")}),
    "LibreOffice ({soffice}) could not be started: {...}":
        lambda d: (["build", profile(d), "-o", d, "--format", "pdf"],
                   {"MSGEN_SOFFICE": str(program(d, "soffice", "#!/nowhere/interpreter\n"))}),
    "LibreOffice could not convert these file(s) to pdf: {...}":
        lambda d: (["build", profile(d), "-o", d, "--format", "pdf"],
                   {"MSGEN_SOFFICE": str(program(d, "soffice", "#!/bin/sh\necho 'Error: cannot'\n"))}),
    "LibreOffice is needed to read {.odt} files but was not found. Install it with ...":
        lambda d: (["import", word_97_file(d), "-o", d / "p.yaml"], {"PATH": str(d), "MSGEN_SOFFICE": ""}),
    "the Welsh statement's sections do not match the English one's ({3} and {1} sections, none alike), so they are "
    "not one statement in two languages; nothing was written": lambda d: [
        "import", written(d / "en.txt", "We train our staff every year.\n\n- Officers\n- Police staff\n"),
        "--welsh", written(d / "cy.txt", "Rydym yn hyfforddi ein staff bob blwyddyn.\n"), "-o", d / "p.yaml"],
    "only one of the two statements can come from standard input":
        lambda d: ["import", "-", "--welsh", "-", "-o", d / "p.yaml"],
    "LibreOffice could not read this {.doc} file":
        lambda d: (["import", word_97_file(d), "-o", d / "p.yaml"],
                   {"MSGEN_SOFFICE": str(program(d, "soffice", "#!/bin/sh\necho 'Error: cannot'\n"))}),
    "this is not a Word document (.docx)":
        lambda d: ["redline", written(d / "old.docx", "text"), built(d)[1], "-o", d / "r.docx"],
    "a document to compare is damaged: {...}": lambda d: [
        "redline", _damaged(d / "old.docx"), built(d)[1], "-o", d / "r.docx"],
    "comparing documents needs msgen's optional redline part": lambda d: (
        ["redline", built(d)[1], built(d / "new")[1], "-o", d / "r.docx"],
        shadow_redline_engine(d, "raise ImportError('not installed')\n")),
    "the comparison program could not run: {...}": lambda d: (
        ["redline", built(d)[1], built(d / "new")[1], "-o", d / "r.docx"],
        shadow_redline_engine(d, "from python_redlines_real import DocxodusEngine as Real\n"
                                 "class DocxodusEngine:\n    BINARY_PACKAGE = Real.BINARY_PACKAGE\n"
                                 "    def __init__(self, target_path=None):\n        pass\n"
                                 "    def run_redline(self, *args, **kwargs):\n"
                                 "        raise OSError(8, 'Exec format error')\n")),
    "--redline-against compares one statement, but several profiles were given":
        lambda d: ["build", profile(d, name="a.yaml"), profile(d, name="b.yaml"), "-o", d, "--redline-against",
                   built(d / "last")[1]],
    "the document has no msgen fields (content controls) to carry back":
        lambda d: docx.Document().save(str(d / "plain.docx")) or [
            "pull", d / "plain.docx", "--profile", profile(d), "-o", d / "pulled.yaml"],
    "{N} field(s) edited differently in different places; nothing was written": lambda d: [
        "pull", edited(built(d)[1], {"organisations[0].name": ["Exampleshire Constabulary", "Exampleshire Force"]}),
        "--profile", d / "profile.yaml", "-o", d / "pulled.yaml"],
    "the document was built from another version of {profile} ...": lambda d: [
        "pull", built(d)[1], "--profile",
        profile(d, {"Chief Officer Group": "Chief Officers' Group"}), "-o", d / "pulled.yaml"],
    "the document has no build record and {it names a body '...' where staffs.yaml has '...' / its field ... is not "
    "in staffs.yaml}, so it looks built from another profile; nothing was written": lambda d: [
        "pull", without_build_record(built(d / "other", {"name: Exampleshire Police": "name: Otherside Police"})[1]),
        "--profile", profile(d), "-o", d / "pulled.yaml"],
    "the document was built from another profile file and it names a body '...' where {profile} has '...', so it "
    "looks built from another profile; nothing was written": lambda d: [
        "pull", built(d / "other", {"name: Exampleshire Police": "name: Otherside Police"})[1],
        "--profile", profile(d, name="mine.yaml"), "-o", d / "pulled.yaml", "--profile-changed"],
    "the template would fetch from the network: {word/_rels/document.xml.rels: an external image at '...'}":
        lambda d: ["build", profile(d), "-o", d, "--templates",
                   template_with(templates_with(d, ""), relationship=EXTERNAL_IMAGE)],
    "this Word document is too large to open safely: {its part word/media/x.bin expands to 300 MB; at most 64 MB}":
        lambda d: ["check", profile(d), "--docx", zip_bomb(built(d)[1], d / "bomb.docx")],
    "the profile with the document's edits would not be valid, so it was not written": lambda d: [
        "pull", edited(built(d)[1], {"statement.publication.statement_url": ["not a web address"]}),
        "--profile", d / "profile.yaml", "-o", d / "pulled.yaml"],
    "this is already a version-2 profile: there is nothing to migrate": lambda d: ["migrate", written(
        d / "v2.yaml", "schema_version: 2\nslug: v2\nstatement: {title: T, financial_year: 2022-23}\n"
                       "bodies: [{id: b, legal_name: B, type: police-force}]\nsections: [{id: s, blocks: [p: T]}]\n"
                       "approval: {body: Board}\nsignatories: [{name: A, role: R, organisation: b}]\n")],
    "{N} problem(s) in the profile (correct the version-1 profile first, then migrate it)":
        lambda d: ["migrate", profile(d, {"years_producing: 3": "years_producing: 0"})],
    "{profile.yaml:12: approval.body}: version 2 prints this text's * or [label](address) as formatting, not as "
    "written": lambda d: ["migrate", profile(d, {"Chief Officer Group": "Chief *Officer* Group"})],
    "the new profile must be {YAML} like the old one": lambda d: ["migrate", profile(d), "-o", d / "p.json"],
}
if _tmpfs_available():
    RECIPES["the disk is full; nothing was written"] = full_disk

# Rows no test reaches in reasonable time, and why; their wording is checked in msgen's source.
UNREACHABLE = {
    "LibreOffice did not finish converting {N} file(s) within {300} seconds and was stopped.":
        "needs five minutes; tests/test_office.py times out a conversion with a shorter limit",
    "the template does not exist": "the templates folder is checked first: only a template deleted while msgen "
                                   "renders it gives this",
    "the migrated profile would not be valid, so it was not written":
        "only a bug in msgen gives it: each version-1 profile tests/test_migrate.py migrates comes out valid",
}


def _damaged(path: Path) -> Path:
    """A .docx whose main part is not XML."""
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document")
    return path


def corpus_run(row: Row, *, loosely: bool) -> tuple[Path, int] | None:
    """The first run of a corpus case whose expected message is one of the row's (or,
    `loosely`, a part of one: most cases expect a few words), for the command the row
    documents its exit code for."""
    for case in CASES:
        spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
        commands = spec["command"] if isinstance(spec["command"][0], list) else [spec["command"]]
        for index, command in enumerate(commands):
            message = spec["message"][command[0]] if isinstance(spec["message"], dict) else spec["message"]
            documented = [VARIABLE.sub(r"\1", text) for text in row.messages]
            if (row.said_in(message) or loosely and any(message in text for text in documented)
                    ) and row.command in (None, command[0]):
                return case, index
    return None


def run_recipe(recipe: Recipe, folder: Path) -> tuple[int, str]:
    made = recipe(folder)
    if isinstance(made, tuple) and isinstance(made[0], int):
        return made
    argv, env = made if isinstance(made, tuple) else (made, {})
    preexec = next((part for part in argv if callable(part)), None)
    argv = [str(part) for part in argv if not callable(part)]
    command = msgen_command(argv)
    command[0] = shutil.which(command[0]) or command[0]  # found before a recipe's PATH applies
    result = subprocess.run(command, capture_output=True, text=True, cwd=folder, preexec_fn=preexec,
                            env={**USER_ENV, **env}, timeout=300)
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.key[:60])
def test_every_documented_message_is_produced_with_its_documented_exit_code(row, tmp_path):
    if row.key in UNREACHABLE:
        source = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "msgen").rglob("*.py"))
        literal = [part for part in VARIABLE.split(row.key)[::2] if part.strip(" .")]
        assert all(part.rstrip(" .") in source for part in literal), row.key
        return
    found = corpus_run(row, loosely=False) or (None if row.key in RECIPES else corpus_run(row, loosely=True))
    if found is not None:
        run = prepared_run(*found, tmp_path)
        execute(run)
        code, output = run.result.returncode, run.result.stdout + run.result.stderr
    elif row.key in RECIPES:
        code, output = run_recipe(RECIPES[row.key], tmp_path)
    elif row.key == "the disk is full; nothing was written":
        pytest.skip("mounting a small tmpfs needs root and a mount namespace")
    else:
        pytest.fail(f"docs/errors.md documents {row.key!r}, but no corpus case or recipe shows it")
    assert "Traceback" not in output
    assert row.said_in(output), f"{row.key!r} not in:\n{output}"
    assert code == row.exit_code, f"documented exit {row.exit_code}, msgen exited {code}:\n{output}"


def test_every_recipe_and_unreachable_row_is_still_documented():
    """A recipe for a message the documents no longer list is a sign the two drifted."""
    keys = {row.key for row in ROWS}
    assert set(RECIPES) - keys == set() and set(UNREACHABLE) - keys == set()
