"""Every command README.md shows runs as shown, with the exit code its reader expects.

A README command that fails is the first thing a new user meets, so the commands are
taken from the README itself (not copied here, where they would drift) and run in a
shell, `msgen` being the venv's, in a folder laid out as the README assumes: the
repository's examples/, an out/ folder, and `profile.yaml` a real example profile.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import MSGEN, USER_ENV

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "staffordshire-joint-2022.yaml"
INSTALL = re.compile(r"^python3 -m venv \.venv && \.venv/bin/pip install -e \. && ")
TEST_COMMAND = "bash scripts/test.sh"
EXPECTED_CODES = {  # 0 unless said here
    # the approved documents built just before are there: never overwritten without --force
    "msgen build profile.yaml -o out --draft": 3,
    # next-year cleared the approval date: check reports it as an error until it is filled in
    "msgen check profile-2024-25.yaml --last-year profile.yaml": 1,
}
pytestmark = pytest.mark.slow


def readme_blocks() -> list[list[str]]:
    """The shell commands of each ```sh block of README.md, comments dropped."""
    blocks = re.findall(r"^```sh\n(.*?)^```", (ROOT / "README.md").read_text(encoding="utf-8"), re.M | re.S)
    return [[command for line in block.splitlines() if (command := re.sub(r"(^|\s)#.*", "", line).strip())]
            for block in blocks]


def statement_of(folder: Path, year: str) -> Path:
    [statement] = folder.glob(f"*-modern-slavery-statement-{year}.docx")
    return statement


def stand_ins(command: str, folder: Path) -> None:
    """The files a command names that the README leaves to the reader: last year's and this
    year's statements, and the statement as the lawyers reviewed it."""
    if "out/this-year.docx" in command:
        shutil.copy(statement_of(folder / "out", "2022-23"), folder / "out" / "last-year.docx")
        shutil.copy(statement_of(folder / "out", "2023-24"), folder / "out" / "this-year.docx")
    if "reviewed.docx" in command:
        shutil.copy(statement_of(folder / "out", "2023-24"), folder / "reviewed.docx")


def run(command: str, folder: Path) -> subprocess.CompletedProcess:
    stand_ins(command, folder)
    env = {**USER_ENV, "PATH": f"{MSGEN.parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(["sh", "-c", command], cwd=folder, env=env, capture_output=True, text=True, timeout=300)


def fresh_folder(tmp_path: Path, number: int) -> Path:
    """The repository's examples/ and .venv, an empty out/, and profile.yaml an example."""
    folder = tmp_path / f"block-{number}"
    folder.mkdir()
    (folder / "examples").symlink_to(ROOT / "examples")
    (folder / ".venv").symlink_to(MSGEN.parent.parent)
    (folder / "out").mkdir()
    shutil.copytree(ROOT / "examples" / "signatures", folder / "signatures")
    return folder


def fill_in(folder: Path) -> None:
    """What the reader does after `msgen init`: the starter profile filled in (an example)."""
    shutil.copy(EXAMPLE, folder / "profile.yaml")


def test_readme_commands_run_as_shown(tmp_path):
    blocks = readme_blocks()
    assert len(blocks) >= 4 and sum(map(len, blocks)) >= 15, blocks  # the parsing found them
    failures = []
    for number, block in enumerate(blocks):
        folder = fresh_folder(tmp_path, number)
        if not block[0].startswith("msgen init"):
            fill_in(folder)
            if block[0].startswith("msgen next-year"):  # last year's statement is in out/
                assert run("msgen build profile.yaml -o out", folder).returncode == 0
        for command in block:
            if command == TEST_COMMAND:
                continue  # the command that runs these tests: test_the_readme_install_and_test_commands
            result = run(INSTALL.sub("", command), folder)
            expected = EXPECTED_CODES.get(command, 0)
            if result.returncode != expected or "Traceback" in result.stdout + result.stderr:
                failures.append(f"{command}: exit {result.returncode}, expected {expected}\n{result.stderr}")
            if command.startswith("msgen init"):
                fill_in(folder)
    assert failures == []


def test_the_readme_install_and_test_commands():
    """`pip install -e .` installs what every README command needs (redline included), and
    the README's test command is the one CI runs."""
    commands = [command for block in readme_blocks() for command in block]
    assert any(INSTALL.match(command) for command in commands)
    assert TEST_COMMAND in commands
    assert TEST_COMMAND in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    required = importlib.metadata.requires("msgen") or []
    assert any(re.match(r"python-redlines\[docxodus\]", requirement) for requirement in required), required
