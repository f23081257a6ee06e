"""Issue 15, class 1: the cache holds no code and nothing trusted.

Whoever can write msgen's cache folder (a shared MSGEN_CACHE_DIR, a CI cache restored from
another branch) must not be able to run code as the user, change the text of the next
document or let an invalid profile build: msgen reads only entries it signed itself, and
only from a folder that is the user's own and private. The same holds for the redline
engine's program.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jinja2.bccache import bc_magic

from msgen.profile.loader import load_profile
from msgen.profile.validate import _validity_key
from test_render import make_template, paragraph_texts

pytestmark = pytest.mark.slow  # many msgen processes and real builds: CI and the full run only

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
RENDER = ("import sys; from pathlib import Path; from msgen.document.render import render_docx; "
          "sys.stdout.buffer.write(render_docx(Path(sys.argv[1]), {'a': 'genuine'}, properties=dict("
          "title='t', subject='s', author='a', keywords='k', date='2022-10-04')))")


class _Touch:
    """A pickle that, when loaded, creates a file: what a planted bytecode entry can do."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return (Path.touch, (self.path,))


def _render_in_new_process(template: Path, cache: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", RENDER, str(template)], capture_output=True,
                          env={**os.environ, "MSGEN_CACHE_DIR": str(cache)}, check=True)


def _msgen(*args: object, cache: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "msgen", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "MSGEN_CACHE_DIR": str(cache)})


def test_the_cache_holds_no_code_and_nothing_trusted(tmp_path: Path) -> None:
    template = make_template(tmp_path / "t.docx", ["{{ a }}"])
    cache = tmp_path / "cache"
    genuine = _render_in_new_process(template, cache).stdout
    ran = tmp_path / "planted-code-ran"
    planted = bc_magic + pickle.dumps(_Touch(ran)) + b"code"
    for entry in (cache / "jinja").iterdir():  # compiled templates: unsigned, or signed by another key
        entry.write_bytes(planted)
        (entry.parent / f"__jinja2_{entry.stem}.cache").write_bytes(planted)
    for entry in (cache / "docxtpl").iterdir():  # prepared XML is template code too
        text = entry.read_bytes().partition(b"\n")[2].replace(b"{{ a }}", b"FORGED")
        entry.write_bytes(hashlib.sha256(text).hexdigest().encode() + b"\n" + text)
    again = _render_in_new_process(template, cache).stdout
    assert not ran.exists(), "a planted cache entry ran code"
    assert paragraph_texts(again) == ["genuine"] and again == genuine


def test_a_planted_found_valid_entry_never_lets_an_invalid_profile_build(tmp_path: Path) -> None:
    """A slug with ../ is invalid; were validation skipped, the build would write outside -o."""
    cache, out = tmp_path / "cache", tmp_path / "out"
    out.mkdir()
    profile = tmp_path / "profile.json"
    data = load_profile(EXAMPLES / "staffordshire-joint-2022.yaml").data
    profile.write_text(json.dumps({**data, "slug": "../escaped"}), encoding="utf-8")
    assert _msgen("validate", profile, cache=cache).returncode == 1
    marker = cache / "valid" / _validity_key(load_profile(profile))
    for forged in (b"", hashlib.sha256(b"valid").hexdigest().encode() + b"\nvalid"):
        marker.write_bytes(forged)
        build = _msgen("build", profile, "-o", out, "--format", "docx", cache=cache)
        assert build.returncode == 1 and "slug" in build.stderr
        assert list(tmp_path.glob("*.docx")) == [] and list(out.iterdir()) == []


def test_a_cache_folder_others_can_write_is_not_used(tmp_path: Path) -> None:
    shared = tmp_path / "shared-cache"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)  # whatever the umask
    profile = EXAMPLES / "staffordshire-joint-2022.yaml"
    run = _msgen("validate", profile, cache=shared)
    assert run.returncode == 0
    assert run.stderr.count("msgen's cache is not used") == 1 and str(shared) in run.stderr
    assert list(shared.iterdir()) == []
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    os.chown(theirs, 65534, 65534) if os.geteuid() == 0 else theirs.chmod(0o707)
    assert _msgen("validate", profile, cache=theirs).returncode == 0
    assert list(theirs.iterdir()) == []


def test_the_redline_program_runs_only_from_a_checked_private_copy(tmp_path: Path) -> None:
    """python-redlines' own folder (XDG_CACHE_HOME/python-redlines) is never run from nor
    chmod-ed through a symlink; a program replaced in msgen's cache is unpacked again."""
    from typer.testing import CliRunner

    from msgen.cli import app

    ran = tmp_path / "planted-program-ran"
    script = tmp_path / "planted.sh"
    script.write_text(f"#!/bin/sh\ntouch {ran}\n")
    script.chmod(0o600)
    planted = tmp_path / "xdg" / "python-redlines" / "docxodus"
    for release in ("2.0.0", "1.0.0"):
        (planted / release / "linux-x64").mkdir(parents=True)
        (planted / release / "linux-x64" / "redline").symlink_to(script)
    statement = _a_statement(tmp_path)
    cache = tmp_path / "cache"
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg"), "MSGEN_CACHE_DIR": str(cache)}
    first = CliRunner().invoke(app, ["redline", str(statement), str(statement), "-o", str(tmp_path / "r1.docx")],
                               env=env)
    assert first.exit_code == 0, first.output
    assert script.stat().st_mode & 0o777 == 0o600 and not ran.exists()
    kept = next((cache / "redline").glob("*/linux-x64/redline"))
    kept.unlink()
    shutil.copy(script, kept)
    kept.chmod(0o700)
    second = CliRunner().invoke(app, ["redline", str(statement), str(statement), "-o", str(tmp_path / "r2.docx")],
                                env=env)
    assert second.exit_code == 0, second.output
    assert not ran.exists()


def _a_statement(tmp_path: Path) -> Path:
    out = tmp_path / "built"
    out.mkdir()
    subprocess.run([sys.executable, "-m", "msgen", "build", str(EXAMPLES / "staffordshire-joint-2022.yaml"),
                    "-o", str(out), "--format", "docx", "-q"], check=True)
    return next(out.glob("*-modern-slavery-statement-*.docx"))
