"""Reliability of msgen's files and processes, tried for real (issue 15, classes 2, 3, 7, 10).

Writes are exclusive as well as atomic, even between runs racing for one folder; every
file a user names is read with a bound and never blocks; a batch survives a worker the
kernel kills; an interrupted command leaves nothing behind and exits 130; output that
cannot be printed ends cleanly. Where a test must stop msgen at a precise point, it runs
msgen's own CLI behind a few lines (HELD) that make one step wait, so the timing of a
signal never decides the result.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docx
import pytest
from test_bad_inputs import BASE_PROFILE, USER_ENV
from conftest import as_a_terminal_job, msgen_process
from test_safety import _tmpfs_available, profiles

from msgen.document.buildrecord import read_record
from msgen.errors import FileTooLarge, OutputError
from msgen.files import read_limited
from msgen.writer import write_outputs

pytestmark = pytest.mark.slow  # many msgen processes and real builds: CI and the full run only

STATEMENT, CHARTER = "force-00-modern-slavery-statement-2023-24.docx", "force-00-supplier-charter-2023-24.docx"

# msgen's CLI with one step held: `module.name` waits (after writing its process id to
# READY) whenever its first argument's text contains MATCH.
HELD = """\
import importlib, os, sys, time
module_name, name, match, ready = sys.argv[1:5]
del sys.argv[1:5]
module = importlib.import_module(module_name)
step = getattr(module, name)
def held(*args, **kwargs):
    if match in str(args[0]):
        with open(ready + ".tmp", "w") as stream:
            stream.write(str(os.getpid()))
        os.rename(ready + ".tmp", ready)
        time.sleep(600)
    return step(*args, **kwargs)
setattr(module, name, held)
from msgen.cli import main
sys.argv[0] = "msgen"
main()
"""


def held_msgen(step: str, match: str, ready: Path, *args: object) -> subprocess.Popen:
    """msgen ARGS in the background, `step` (module.function) held for an argument matching `match`."""
    module_name, name = step.rsplit(".", 1)
    return subprocess.Popen([sys.executable, "-c", HELD, module_name, name, match, str(ready), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=USER_ENV,
                            preexec_fn=as_a_terminal_job)


def wait_for(ready: Path, process: subprocess.Popen) -> int:
    """The process id written to `ready` once the held step is reached."""
    deadline = time.monotonic() + 120
    while not ready.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the held step was never reached"
        time.sleep(0.02)
    return int(ready.read_text())


def signed_by(folder: Path, count: int) -> list[Path]:
    """`count` profiles with one slug, each signed by someone else, so a document says
    which run wrote it."""
    paths = []
    for number, path in enumerate(profiles(folder, count)):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["slug"] = "force-00"
        data["signatories"][0]["name"] = f"Runner {number:02d}"
        path.write_text(json.dumps(data), encoding="utf-8")
        paths.append(path)
    return paths


def signer(document: Path) -> str:
    """The number of the run whose profile signed `document`."""
    text = "".join(node.text or "" for node in docx.Document(str(document)).element.body.iter()
                   if node.tag.endswith("}t"))
    return re.search(r"Runner (\d\d)", text).group(1)


# -- class 2: writing is atomic and exclusive ------------------------------------------------

def test_concurrent_builds_without_force_never_replace_a_document(tmp_path):
    """Eight runs race for one folder: exactly one writes, the others are refused, and
    both documents there are the winner's (none was replaced by a later run)."""
    paths = signed_by(tmp_path / "profiles", 8)
    out = tmp_path / "out"
    out.mkdir()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda path: msgen_process("build", path, "-o", out), paths))
    winners = [number for number, result in enumerate(results) if result.returncode == 0]
    assert len(winners) == 1, [(r.returncode, r.stderr) for r in results]
    for result in results:
        assert "Traceback" not in result.stderr
        if result.returncode != 0:
            assert result.returncode == 3 and "already exists" in result.stderr, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [STATEMENT, CHARTER]
    assert signer(out / STATEMENT) == signer(out / CHARTER) == f"{winners[0]:02d}"


def test_concurrent_forced_builds_leave_one_runs_documents_together(tmp_path):
    """With --force every run may replace, but a profile's statement and charter always
    come from the same run: never one run's statement beside another's charter."""
    paths = signed_by(tmp_path / "profiles", 8)
    out = tmp_path / "out"
    out.mkdir()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda path: msgen_process("build", path, "-o", out, "--force"), paths))
    assert [r.returncode for r in results] == [0] * 8, [r.stderr for r in results]
    assert sorted(p.name for p in out.iterdir()) == [STATEMENT, CHARTER]
    assert read_record(out / STATEMENT).profile_sha256 == read_record(out / CHARTER).profile_sha256
    assert signer(out / STATEMENT) == signer(out / CHARTER)


@pytest.mark.parametrize("what", ["dangling link", "link to a file", "LibreOffice lock"])
def test_links_and_lock_files_at_an_output_name_are_never_followed_or_replaced(tmp_path, what):
    kept = tmp_path / "kept.docx"
    kept.write_bytes(b"last year's approved statement")
    target = tmp_path / "statement.docx"
    if what == "dangling link":
        target.symlink_to(tmp_path / "nowhere.docx")
    elif what == "link to a file":
        target.symlink_to(kept)
    else:
        target.write_bytes(b"open in LibreOffice")
        (tmp_path / ".~lock.statement.docx#").write_text("owner")
    before = {path.name: (os.readlink(path) if path.is_symlink() else path.read_bytes())
              for path in tmp_path.iterdir()}
    with pytest.raises(OutputError) as refused:
        write_outputs({target: b"new"}, force=False)
    assert refused.value.exit_code == 3
    assert ("open in LibreOffice" if what == "LibreOffice lock" else "already exists") in str(refused.value)
    assert {path.name: (os.readlink(path) if path.is_symlink() else path.read_bytes())
            for path in tmp_path.iterdir()} == before
    if what != "LibreOffice lock":  # --force replaces the link itself, never the file it points at
        write_outputs({target: b"new"}, force=True)
        assert not target.is_symlink() and target.read_bytes() == b"new"
        assert kept.read_bytes() == b"last year's approved statement"


@pytest.mark.needs_office
@pytest.mark.skipif(not _tmpfs_available(), reason="mounting a small tmpfs needs root and a mount namespace")
def test_a_full_disk_while_writing_pdfs_says_exactly_what_was_written(tmp_path):
    """The .docx fit on the disk, the PDFs do not: the message must not claim nothing was
    written, and the .docx reported written are whole."""
    path, = profiles(tmp_path / "profiles", 1)
    sizing = tmp_path / "sizing"
    sizing.mkdir()
    assert msgen_process("build", path, "-o", sizing).returncode == 0
    room = sum(p.stat().st_size for p in sizing.iterdir()) + 16 * 1024
    out = tmp_path / "out"
    result = build_on_a_small_disk(room, out, path, "--format", "docx,pdf")
    assert "Traceback" not in result.stdout + result.stderr
    assert "the disk is full; no PDF was written" in result.stderr, result.stderr
    assert "nothing was written" not in result.stderr
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("wrote")] == [
        f"wrote {out / STATEMENT}", f"wrote {out / CHARTER}"]
    assert result.returncode == 3 and sorted(lines[-2:]) == [STATEMENT, CHARTER]


def build_on_a_small_disk(size: int, out: Path, *arguments: object) -> subprocess.CompletedProcess:
    """`msgen build ARGUMENTS -o OUT` onto a file system of `size` bytes mounted at `out`
    in a private mount namespace; what is left there is listed after msgen's output."""
    out.mkdir()
    script = (f'mount -t tmpfs -o size={size} tmpfs "$1" && shift && "{sys.executable}" -m msgen build "$@"; '
              'code=$?; ls -A "$0"; exit $code')
    return subprocess.run(["unshare", "-m", "sh", "-c", script, str(out), str(out), *map(str, arguments),
                           "-o", str(out)], capture_output=True, text=True, env=USER_ENV, timeout=300)


# -- class 3: every read has a bound -----------------------------------------------------------

def _unusual(kind: str, path: Path) -> None:
    """Make `path` a named pipe, a link to /dev/zero, a socket or a symbolic link loop."""
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "/dev/zero":
        path.symlink_to("/dev/zero")
    elif kind == "socket":
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(str(path))
        listener.close()
    else:
        other = path.with_name("other-" + path.name)
        path.symlink_to(other)
        other.symlink_to(path)


SAID = {"fifo": "is a named pipe (FIFO), not an ordinary file", "/dev/zero": "is a device, not an ordinary file",
        "socket": "is a socket, not an ordinary file", "loop": "symbolic link loops back on itself"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """A profile and the statement built from it."""
    folder = tmp_path_factory.mktemp("built")
    path, = profiles(folder / "profiles", 1)
    assert msgen_process("build", path, "-o", folder).returncode == 0
    return path, folder / STATEMENT


@pytest.mark.parametrize("kind", list(SAID))
@pytest.mark.parametrize("role", ["profile", "next-year input", "signature image", "--docx", "redline input",
                                  "pull input", "template"])
def test_every_file_read_is_an_ordinary_file_and_never_blocks(tmp_path, built, kind, role):
    """A pipe would hang the read for ever, /dev/zero would fill memory, a loop was an
    internal error: each is refused in one line naming the file, before anything blocks
    (a hang fails the test by its timeout)."""
    profile, statement = built
    odd = tmp_path / ("odd.png" if role == "signature image" else "odd.yaml" if "profile" in role or
                      role == "next-year input" else "statement.docx")
    if role == "template":
        templates = tmp_path / "templates"
        assert msgen_process("templates", "export", templates).returncode == 0
        odd = templates / "statement.docx"
        odd.unlink()
    _unusual(kind, odd)
    if role == "signature image":
        data = json.loads(profile.read_text(encoding="utf-8"))
        data["signatories"][0]["signature_image"] = {"path": odd.name, "alt_text": "Signature of the signatory"}
        signed = tmp_path / "signed.json"
        signed.write_text(json.dumps(data), encoding="utf-8")
    command = {
        "profile": ["build", odd, "-o", tmp_path],
        "next-year input": ["next-year", odd, "-o", tmp_path / "next.yaml"],
        "signature image": ["build", tmp_path / "signed.json", "-o", tmp_path],
        "--docx": ["check", profile, "--docx", odd],
        "redline input": ["redline", odd, statement, "-o", tmp_path / "changes.docx"],
        "pull input": ["pull", odd, "--profile", profile, "-o", tmp_path / "pulled.json"],
        "template": ["build", profile, "-o", tmp_path, "--templates", odd.parent],
    }[role]
    result = msgen_process(*command)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.returncode == (1 if role == "signature image" else 2), result.stderr
    said = "outside the profile's folder" if (role, kind) == ("signature image", "/dev/zero") else SAID[kind]
    assert odd.name in result.stderr and said in result.stderr, result.stderr
    assert not list(tmp_path.glob("*-2023-24.docx")) and not (tmp_path / "next.yaml").exists()


def test_a_file_that_holds_more_than_its_size_says_is_still_read_no_further_than_the_limit():
    """/proc files say they are empty: the limit holds while reading, not only on the size
    the file system reports."""
    assert Path("/proc/self/maps").stat().st_size == 0
    with pytest.raises(FileTooLarge, match="the file is more than 0 MB"):
        read_limited(Path("/proc/self/maps"), 100, "profile")


# -- class 7: a batch survives a lost worker ---------------------------------------------

def test_a_batch_survives_a_worker_killed_mid_profile(tmp_path):
    """The kernel's out-of-memory killer takes a worker: only its profile fails, every
    other profile is built, and the exit code says something failed."""
    paths = profiles(tmp_path / "profiles", 6)
    out = tmp_path / "out"
    out.mkdir()
    ready = tmp_path / "worker.pid"
    build = held_msgen("msgen.batch.prepare_profile", "force-02", ready, "build", *paths, "-o", out, "--jobs", "2")
    os.kill(wait_for(ready, build), signal.SIGKILL)
    stdout, stderr = build.communicate(timeout=300)
    assert "Traceback" not in stdout + stderr
    assert build.returncode == 3, stderr
    assert f"{paths[2]}: the process building this profile was killed" in stderr
    assert "6 profile(s): 5 built, 1 failed" in stdout
    built = sorted({p.name.split("-modern")[0].split("-supplier")[0] for p in out.iterdir()})
    assert built == ["force-00", "force-01", "force-03", "force-04", "force-05"]


# -- class 10: interruptions and output that cannot be printed ------------------------------

@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("command", ["next-year", "pull"])
def test_an_interrupted_command_exits_130_and_leaves_nothing_a_later_build_reads(tmp_path, built, command, how):
    """Held while it validates the profile it is about to write, then interrupted: exit
    130, and the folder holds only what was there, so `msgen build FOLDER` builds only
    the profile that was there before."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    profile = folder / "profile.yaml"
    profile.write_bytes(BASE_PROFILE.read_bytes())
    if command == "next-year":
        arguments = ["next-year", profile, "-o", folder / "next.yaml"]
    else:
        out = tmp_path / "out"
        out.mkdir()
        assert msgen_process("build", profile, "-o", out).returncode == 0
        statement, = out.glob("*statement*.docx")
        arguments = ["pull", statement, "--profile", profile, "-o", folder / "pulled.yaml"]
    ready = tmp_path / "held.pid"
    process = held_msgen("msgen.profile.edit.validate", "", ready, *arguments)
    os.kill(wait_for(ready, process), getattr(signal, how))
    stdout, stderr = process.communicate(timeout=60)
    assert "Traceback" not in stdout + stderr
    assert process.returncode == 130 and "interrupted" in stderr, stderr
    assert [p.name for p in folder.iterdir()] == ["profile.yaml"]
    rebuilt = tmp_path / "rebuilt"
    rebuilt.mkdir()
    result = msgen_process("build", folder, "-o", rebuilt)
    assert result.returncode == 0 and len(list(rebuilt.iterdir())) == 2, result.stdout + result.stderr


@pytest.mark.parametrize("command", [["validate", BASE_PROFILE], ["schema"], ["check", BASE_PROFILE, "--json"],
                                     ["registry", BASE_PROFILE], ["build", "--help"]])
@pytest.mark.parametrize("output", ["closed pipe", "full disk", "closed"])
def test_output_that_cannot_be_printed_ends_with_a_clean_exit_code(command, output):
    """`msgen validate x | head -0`, `msgen schema > /dev/full` and `msgen schema >&-`: no
    traceback; a reader that left or a closed stdout wanted no more (0), a full disk lost
    the output (3, said on stderr)."""
    if output == "closed pipe":
        reader, writer = os.pipe()
        os.close(reader)
        stdout = writer
    else:
        stdout = os.open("/dev/full" if output == "full disk" else os.devnull, os.O_WRONLY)
    try:
        result = subprocess.run([sys.executable, "-m", "msgen", *map(str, command)], stdout=stdout,
                                stderr=subprocess.PIPE, text=True, env=USER_ENV, timeout=120,
                                preexec_fn=(lambda: os.close(1)) if output == "closed" else None)
    finally:
        os.close(stdout)
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
    if output == "closed pipe":  # click's own help printer ends a broken pipe with 1
        assert result.returncode == (1 if "--help" in command else 0), result.stderr
    elif output == "closed":
        assert result.returncode == 0 and "error" not in result.stderr, result.stderr
    else:
        assert result.returncode == 3 and "cannot print the output: No space left on device" in result.stderr
