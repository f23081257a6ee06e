"""scripts/adversary.py's hostile cases all hold (issue 15's acceptance): run as the
script is run, since each case runs the real msgen command line in its own processes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "adversary.py"


@pytest.mark.slow
def test_every_hostile_case_holds():
    run = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=3600, check=False)
    closing = run.stdout.strip().splitlines()[-1]
    tried = re.fullmatch(r"(\d+) cases: (\d+) held, 0 broken", closing)
    assert tried and int(tried.group(1)) >= 40 and tried.group(1) == tried.group(2), run.stdout + run.stderr
    assert run.returncode == 0
    classes = re.findall(r"^class +(\d+) .*: (\d+) tried, \2 held$", run.stdout, flags=re.MULTILINE)
    assert sorted(int(number) for number, _ in classes) == list(range(1, 13)), run.stdout
