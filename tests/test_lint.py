"""ruff and mypy find nothing in msgen/: the rules in pyproject.toml hold for every change."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOLS = Path(sys.executable).parent


@pytest.mark.slow
@pytest.mark.parametrize("command", [["ruff", "check", "msgen"], ["mypy", "msgen"]], ids=["ruff", "mypy"])
def test_no_findings(command):
    result = subprocess.run([TOOLS / command[0], *command[1:]], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
