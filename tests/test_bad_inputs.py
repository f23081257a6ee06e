"""Every mistake in tests/bad_inputs/ goes through the real `msgen` command line.

Each case folder holds the bad input(s) and a case.yaml: `command` (argv after `msgen`,
or a list of them; `{dir}` is the case's copy, `{out}` the output folder, `{generated}`
the file a generator wrote), `exit_code` and `message` (a fragment of the line that must
also name the file; each one value, or one per subcommand), optional `names` (the file
that line names, when it is not the first input), `generate` (big or odd inputs made at
test time, so the repository stays small), `setup` (the output folder's state) and `env`
(variables set for the run). For every case the user must see the documented exit code
and one clear line naming the file, never a traceback, and nothing on disk may change.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
import yaml

from conftest import USER_ENV
from msgen import resources
from msgen.profile.loader import load_profile

pytestmark = pytest.mark.slow  # builds documents in many processes: CI and the full run only

CASES_DIR = Path(__file__).parent / "bad_inputs"
BASE_PROFILE = CASES_DIR / "_base" / "profile.yaml"
CASES = sorted(path for path in CASES_DIR.iterdir() if path.is_dir() and path.name[:1].isdigit())

# What a user's terminal is: UTF-8 and strict, unlike the C locale's surrogateescape
# that would hide file names or keys that are not valid text.
REPORT_LINE = re.compile(
    r"^(msgen: (error|warning): .+"  # one error or warning
    r"|.+:\d+: \S+: .+"  # a validation problem, FILE:LINE: PATH: message
    r"|\d+ problem\(s\) in \d+ of \d+ profile\(s\)|\d+ profile\(s\) valid)$"  # the summary
)


def msgen_command(argv: list[str]) -> list[str]:
    """`msgen ARGV` as a user runs it; root runs without the power to ignore file permissions."""
    command = [sys.executable, "-m", "msgen", *argv]
    if os.geteuid() == 0 and shutil.which("setpriv"):
        return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *command]
    return command


# -- generators for inputs too big or too odd to commit ---------------------------------

def png_bytes(width: int, height: int, megabytes: float = 0) -> bytes:
    """A valid greyscale PNG, padded with a text chunk to `megabytes` when asked."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(1)
    row = b"\x00" + b"\xff" * width
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    padding = chunk(b"tEXt", b"Comment\x00" + b" " * int(megabytes * 1024 * 1024)) if megabytes else b""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + padding + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def generate(folder: Path, spec: dict) -> Path:
    """Write the input a case's `generate:` describes; returns its path."""
    kind = spec["kind"]
    target = folder / spec.get("file", kind)
    if kind == "png":
        target.write_bytes(png_bytes(spec["width"], spec["height"], spec.get("megabytes", 0)))
    elif kind == "symlink":
        target.symlink_to(spec["to"])
    elif kind == "padded_profile":
        filler = b"# padding\n" * (spec["megabytes"] * 1024 * 1024 // 10)
        target.write_bytes(BASE_PROFILE.read_bytes() + filler)
    elif kind == "nested":
        depth = spec["depth"]
        target.write_text('{"a": ' + "[" * depth + "]" * depth + "}")  # JSON is YAML too
    elif kind == "bodies":
        profile = load_profile(BASE_PROFILE).data
        profile["statement"]["kind"] = "joint"
        profile["organisations"] = [
            {"id": f"body-{n}", "name": f"Body {n}", "short_name": f"B{n}", "type": "other",
             "description": [f"Body {n} is one of many."]} for n in range(spec["count"])]
        profile["signatories"] = [
            {"name": f"Signer {n}", "role": "Chief Executive", "organisation": f"body-{n}"}
            for n in range(spec["count"])]
        target.write_text(json.dumps(profile, indent=1))
    elif kind == "base_copy":
        old, new = spec["replace"]
        target = folder / os.fsdecode(spec["file"].encode(spec["name_encoding"]))
        target.write_text(BASE_PROFILE.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    elif kind == "templates":
        shutil.copytree(resources.templates_dir(), target)
        for name, damage in spec["break"].items():
            break_template(target / name, damage)
    elif kind == "zip_bomb":  # a .docx whose parts unpack to far more than any statement
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("word/document.xml", b"<w:document/>")
            archive.writestr("word/padding.bin", b"\0" * (spec["megabytes"] * 1024 * 1024))
    elif kind == "big_page":
        paragraphs = b"<p>text</p>" * (spec["megabytes"] * 1024 * 1024 // 11)
        target.write_bytes(b"<html><body>" + paragraphs + b"</body></html>")
    else:
        raise ValueError(f"unknown generator {kind!r}")
    return target


def break_template(path: Path, damage: str) -> None:
    """Damage a copy of one of msgen's templates the way a user might."""
    if damage == "missing":
        path.unlink()
    elif damage == "text":
        path.write_text("Modern Slavery Statement\n")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    else:
        document = docx.Document(str(path))
        document.add_paragraph({"syntax_error": "{% if statement.kind == 'joint' %}Joint statement",
                                "unknown_field": "Chief officer: {{ chief_officer_name }}"}[damage])
        document.save(str(path))


# -- the state of the disk ----------------------------------------------------------------

def snapshot(root: Path) -> dict[str, tuple[int, str]]:
    """Every entry under root with its mode and content hash: what must not change."""
    state = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() and not path.is_symlink() else ""
        state[str(path.relative_to(root))] = (info.st_mode, digest)
    return state


def prepare(case: Path, tmp_path: Path) -> tuple[dict, dict[str, str]]:
    """Copy the case into tmp_path, run its generator and setup; the placeholders' values."""
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    folder = tmp_path / case.name
    shutil.copytree(case, folder, symlinks=True, ignore=shutil.ignore_patterns("case.yaml"))
    out = tmp_path / "out"
    places = {"dir": str(folder), "out": str(out), "generated": ""}
    if "generate" in spec:
        places["generated"] = str(generate(folder, spec["generate"]))
    setup = spec.get("setup", {})
    out_state = setup.get("out", "folder")
    if out_state == "folder":
        out.mkdir()
    elif out_state == "file":
        out.write_text("a file where the output folder should be\n")
    for name in setup.get("folders", []):
        Path(name.format(**places)).mkdir()
    for name, text in setup.get("files", {}).items():
        path = Path(name.format(**places))
        path.write_text(text, encoding="utf-8")
    for name, mode in setup.get("chmod", {}).items():
        Path(name.format(**places)).chmod(mode)
    return spec, places


def runs(case: Path) -> list[tuple[Path, int]]:
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    commands = spec["command"]
    count = len(commands) if isinstance(commands[0], list) else 1
    return [(case, index) for index in range(count)]


def displayed(name: str) -> str:
    """How a file name shows in msgen's output: text that is not valid Unicode escaped."""
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass
class Run:
    """One `msgen` run of a case: its prepared folder, what it expects, what happened."""

    case: Path
    root: Path
    spec: dict
    argv: list[str]
    expected_code: int
    message: str
    before: dict[str, tuple[int, str]]
    result: subprocess.CompletedProcess | None = None
    after: dict[str, tuple[int, str]] | None = None


def prepared_run(case: Path, index: int, root: Path) -> Run:
    spec, places = prepare(case, root)
    commands = spec["command"] if isinstance(spec["command"][0], list) else [spec["command"]]
    argv = [part.format(**places) for part in commands[index]]
    expected_code, message = (value[argv[0]] if isinstance(value, dict) else value
                              for value in (spec["exit_code"], spec["message"]))
    return Run(case, root, spec, argv, expected_code, message, snapshot(root))


def execute(run: Run) -> None:
    run.result = subprocess.run(msgen_command(run.argv), capture_output=True, text=True, errors="backslashreplace",
                                env={**USER_ENV, **run.spec.get("env", {})}, cwd=run.root, timeout=300)
    run.after = snapshot(run.root)


@pytest.fixture(scope="module")
def finished_runs(request, tmp_path_factory) -> dict[tuple[str, int], Run]:
    """Every selected run, done up front side by side: each is its own msgen process, so
    the corpus takes a fraction of the time it would one after the other."""
    wanted = [item.callspec.params for item in request.session.items
              if item.module is sys.modules[__name__] and hasattr(item, "callspec")]
    runs_by_key = {
        (params["case"].name, params["index"]): prepared_run(
            params["case"], params["index"], tmp_path_factory.mktemp(params["case"].name[:20]))
        for params in wanted
    }
    with ThreadPoolExecutor(max_workers=(os.cpu_count() or 1) + 1) as pool:
        list(pool.map(execute, runs_by_key.values()))
    return runs_by_key


@pytest.mark.parametrize(
    ("case", "index"),
    [run for case in CASES for run in runs(case)],
    ids=lambda value: value.name if isinstance(value, Path) else str(value),
)
def test_bad_input_gets_one_clear_line_and_changes_nothing(case: Path, index: int, finished_runs):
    run = finished_runs[case.name, index]
    output = run.result.stdout + run.result.stderr
    assert "Traceback" not in output
    assert run.result.returncode == run.expected_code, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines, "msgen said nothing"
    assert all(REPORT_LINE.match(line) for line in lines), output
    named = "" if run.expected_code == 0 else displayed(
        run.spec.get("names") or Path(next(a for a in run.argv[1:] if a.startswith(str(run.root)))).name)
    assert any(run.message in line and named in line for line in lines), output
    assert run.after == run.before, "msgen changed files on disk"
