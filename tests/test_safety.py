"""A build never damages what is on disk, and msgen reaches nothing it should not.

A statement is a signed legal document: a half-written file after Ctrl-C or a full
disk, or last year's approved document overwritten, is a real failure. So builds are
interrupted for real (SIGINT to the process group, as Ctrl-C does; SIGTERM, as `kill`
does), written to a full file system, and run with networking blocked; hostile
templates and profile text that looks like template code are rendered for real.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from msgen import resources
from msgen.build import build_profiles
from msgen.errors import MsgenError, TemplateError
from msgen.profile.loader import load_profile
from conftest import USER_ENV, held_batch, msgen_process, release
from test_bad_inputs import BASE_PROFILE

pytestmark = pytest.mark.slow  # builds documents in many processes: CI and the full run only
from test_properties import document_paragraphs

NETWORK_AUDIT = """\
import sys
def refuse(event, args):
    if event.startswith(("socket.", "urllib.", "http.", "ftplib.", "smtplib.", "webbrowser.")):
        sys.stderr.write(f"NETWORK ACCESS: {event} {args!r}\\n")
        raise PermissionError(f"msgen tried {event}")
sys.addaudithook(refuse)
from msgen.cli import main
sys.argv[0] = "msgen"
main()
"""


def profiles(folder: Path, count: int) -> list[Path]:
    """`count` copies of the base profile with their own slugs."""
    data = load_profile(BASE_PROFILE).data
    folder.mkdir(exist_ok=True)
    written = []
    for number in range(count):
        data["slug"] = f"force-{number:02d}"
        path = folder / f"force-{number:02d}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        written.append(path)
    return written


def state(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def assert_only_whole_documents(out: Path) -> list[str]:
    """Every file in `out` is a finished .docx python-docx opens, and each profile has
    both its documents or neither; returns the slugs built."""
    names = sorted(path.name for path in out.iterdir())
    assert all(name.endswith(".docx") and not name.startswith((".", "~")) for name in names), names
    for name in names:
        docx.Document(str(out / name))  # raises on a truncated or corrupt file
    slugs = sorted({name.split("-modern-slavery-statement-")[0].split("-supplier-charter-")[0] for name in names})
    for slug in slugs:
        assert {f"{slug}-modern-slavery-statement-2023-24.docx", f"{slug}-supplier-charter-2023-24.docx"} <= set(names)
    return slugs


# -- interruptions and failures part way through a batch ------------------------------

@pytest.mark.parametrize(("how", "jobs"), [("SIGINT", 1), ("SIGINT", 2), ("SIGTERM", 1), ("SIGTERM", 2)])
def test_an_interrupted_batch_leaves_earlier_documents_whole_and_nothing_partial(how, jobs, tmp_path):
    paths = profiles(tmp_path / "profiles", 4)
    out = tmp_path / "out"
    out.mkdir()
    build = held_batch(paths, out, hold=paths[2], jobs=jobs)
    if how == "SIGINT":
        os.killpg(build.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
    else:
        build.send_signal(signal.SIGTERM)  # `kill PID` reaches msgen alone
    release(paths[2])  # a worker holding it finishes its profile, which is not written
    stdout, stderr = build.communicate(timeout=120)

    assert "Traceback" not in stdout + stderr
    assert build.returncode == 130, stdout + stderr
    assert "interrupted" in stderr
    assert assert_only_whole_documents(out) == ["force-00", "force-01"]
    with pytest.raises(ProcessLookupError):  # no worker left running
        os.killpg(build.pid, 0)


def test_a_killed_build_leaves_no_partial_file_under_a_documents_name(tmp_path):
    """SIGKILL (a crash, a power cut) cannot be cleaned up after: whatever is left under a
    document's name is still a whole document, and any temporary file is hidden."""
    paths = profiles(tmp_path / "profiles", 4)
    out = tmp_path / "out"
    out.mkdir()
    build = held_batch(paths, out, hold=paths[2], jobs=1)
    os.killpg(build.pid, signal.SIGKILL)
    build.communicate(timeout=60)
    assert len(list(out.glob("*.docx"))) == 4, "the two profiles before the held one are written"
    for path in out.iterdir():
        if path.name.startswith("."):
            assert path.name.endswith(".tmp")
        else:
            docx.Document(str(path))


def test_a_failure_part_way_through_a_batch_keeps_what_was_written_before_it(tmp_path):
    first, broken, last = profiles(tmp_path / "profiles", 3)
    broken.write_text(broken.read_text(encoding="utf-8").replace('"schema_version": 1', '"schema_version": 3'))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(MsgenError) as refused:
        build_profiles([first, broken, last], out)
    assert "schema_version: expected 1 or 2 (the profile versions this msgen reads), got 3" in str(refused.value.problems[0])
    assert assert_only_whole_documents(out) == ["force-00"]


def test_a_rebuild_never_overwrites_an_approved_document_without_force(tmp_path):
    path, = profiles(tmp_path / "profiles", 1)
    out = tmp_path / "out"
    out.mkdir()
    assert msgen_process("build", path, "-o", out).returncode == 0
    approved = state(out)
    path.write_text(path.read_text(encoding="utf-8").replace("Alex Example", "Sam Example"))
    again = msgen_process("build", path, "-o", out)
    assert again.returncode == 3 and "already exists" in again.stderr
    assert state(out) == approved
    assert msgen_process("build", path, "-o", out, "--force").returncode == 0
    assert state(out) != approved


# -- the disk -------------------------------------------------------------------------------

def _tmpfs_available() -> bool:
    if not shutil.which("unshare") or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                           capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _tmpfs_available(), reason="mounting a small tmpfs needs root and a mount namespace")
def test_a_full_disk_is_a_clear_error_and_leaves_nothing_behind(tmp_path):
    """A 48 kB file system (in a private mount namespace) holding last year's document:
    the statement fits but not the charter, so nothing may be written at all."""
    path, = profiles(tmp_path / "profiles", 1)
    out = tmp_path / "out"
    out.mkdir()
    script = (f'mount -t tmpfs -o size=48k tmpfs "$1" && echo "last year" > "$1/last-year.docx" && '
              f'"{sys.executable}" -m msgen build "$2" -o "$1"; echo "exit=$?"; ls -A "$1"; cat "$1/last-year.docx"')
    result = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", str(out), str(path)],
                            capture_output=True, text=True, env=USER_ENV, timeout=300)
    assert "Traceback" not in result.stdout + result.stderr
    assert "the disk is full; nothing was written" in result.stderr
    assert "force-00-supplier-charter-2023-24.docx: the disk is full" in result.stderr
    exit_line, *left, last_year = result.stdout.splitlines()
    assert (exit_line, left, last_year) == ("exit=3", ["last-year.docx"], "last year")


def test_a_file_size_limit_is_a_clear_error_and_leaves_nothing_behind(tmp_path):
    """Without root: a 20 kB file-size limit (EFBIG rather than ENOSPC) stops the write."""
    path, = profiles(tmp_path / "profiles", 1)
    out = tmp_path / "out"
    out.mkdir()
    limit = 20_000

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = msgen_process("build", path, "-o", out, preexec_fn=limited)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 3, result.stderr
    assert "cannot write the file: File too large" in result.stderr
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077, 0o002])
def test_documents_are_written_with_the_users_umask(umask, tmp_path):
    path, = profiles(tmp_path / "profiles", 1)
    out = tmp_path / "out"
    out.mkdir()
    assert msgen_process("build", path, "-o", out, umask=umask).returncode == 0
    modes = {stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    assert modes == {0o666 & ~umask}


# -- the network -----------------------------------------------------------------------------

def test_a_build_opens_no_network_connection(tmp_path):
    """Every socket, HTTP or URL call in msgen's own process is refused and reported by an
    audit hook; the build must still succeed, with the same bytes as a normal build."""
    path, = profiles(tmp_path / "profiles", 1)
    blocked, normal = tmp_path / "blocked", tmp_path / "normal"
    blocked.mkdir()
    normal.mkdir()
    result = subprocess.run([sys.executable, "-c", NETWORK_AUDIT, "build", str(path), "-o", str(blocked)],
                            capture_output=True, text=True, env=USER_ENV, timeout=300)
    assert "NETWORK ACCESS" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert msgen_process("build", path, "-o", normal).returncode == 0
    assert state(blocked) == state(normal)


@pytest.mark.skipif(not shutil.which("unshare") or os.geteuid() != 0, reason="a network namespace needs root")
def test_pdfs_and_web_pages_are_made_without_a_network(needs_office, tmp_path):
    """LibreOffice included: in a network namespace of its own (no interface but a down
    loopback), a build of every format still succeeds."""
    path, = profiles(tmp_path / "profiles", 1)
    out = tmp_path / "out"
    out.mkdir()
    result = subprocess.run(["unshare", "-n", sys.executable, "-m", "msgen", "build", str(path), "-o", str(out),
                             "--format", "docx,pdf,html"], capture_output=True, text=True, env=USER_ENV, timeout=300)
    assert result.returncode == 0, result.stderr
    assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".docx", ".html", ".html", ".pdf", ".pdf"]


# -- the template sandbox and profile text --------------------------------------------------

HOSTILE = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ lipsum.__globals__['os'].popen('touch PWNED').read() }}",
    "{{ signature_image.func.__globals__ }}",
    "{{ '{0.__class__.__mro__}'.format(1) }}",
    "{{ ''|attr('__class__') }}",
    "{{ self._TemplateReference__context }}",
    "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{% include '/etc/passwd' %}",
    "{% include '../../../../../etc/hostname.docx' %}",
    "{% include 'https://example.com/block.docx' %}",
    "{% extends '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{{ range(10**8)|list|length }}",
]


def hostile_templates(folder: Path, paragraph: str) -> Path:
    """msgen's templates with one hostile paragraph added to the statement."""
    shutil.copytree(resources.templates_dir(), folder)
    document = docx.Document(str(folder / "statement.docx"))
    document.add_paragraph(paragraph)
    document.save(str(folder / "statement.docx"))
    return folder


@pytest.mark.parametrize("paragraph", HOSTILE)
def test_a_hostile_template_cannot_reach_python_files_or_the_network(paragraph, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    templates = hostile_templates(tmp_path / "templates", paragraph)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(TemplateError) as refused:
        build_profiles([BASE_PROFILE], out, templates_dir=templates)
    assert "statement.docx" in str(refused.value) and "\n" not in str(refused.value)
    assert list(out.iterdir()) == []
    assert not (tmp_path / "PWNED").exists()


def test_a_template_cannot_embed_an_image_from_outside_the_profiles_folder(tmp_path):
    outside = tmp_path / "elsewhere" / "private.png"
    outside.parent.mkdir()
    shutil.copy(Path(__file__).parents[1] / "examples" / "signatures" / "caroline-henry.png", outside)
    templates = hostile_templates(
        tmp_path / "templates", f"{{{{ signature_image({{'path': '{outside}', 'alt_text': 'x'}}) }}}}")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(MsgenError, match="an image the profile does not name"):
        build_profiles([BASE_PROFILE], out, templates_dir=templates)
    assert list(out.iterdir()) == []


TEMPLATE_LIKE_TEXT = [
    "{{ 7*7 }}",
    "{% include '/etc/passwd' %}",
    "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "{%p if true %}Chief {_{ name }_} & Co{%p endif %}",
    "{# a comment #} <w:t>x</w:t> ]]> &amp;",
]


def test_profile_text_that_looks_like_template_code_is_printed_as_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = load_profile(BASE_PROFILE).data
    data["organisations"][0]["description"] = TEMPLATE_LIKE_TEXT
    data["signatories"][0]["role"] = "{{ signatories }}"
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    statement, _ = build_profiles([path], out, draft=True)
    text = "\n".join(document_paragraphs(statement))
    for written in TEMPLATE_LIKE_TEXT + ["{{ signatories }}"]:
        assert written in text
    assert not (tmp_path / "PWNED").exists()


def test_a_yaml_tag_that_would_run_a_command_is_refused_and_runs_nothing(tmp_path):
    profile = tmp_path / "profile.yaml"
    profile.write_text(BASE_PROFILE.read_text(encoding="utf-8")
                       + 'pwned: !!python/object/apply:os.system ["touch PWNED"]\n', encoding="utf-8")
    result = msgen_process("validate", profile, cwd=tmp_path)
    assert result.returncode == 1
    assert "the tag '!!python/object/apply:os.system' is not allowed" in result.stdout
    assert not (tmp_path / "PWNED").exists()
