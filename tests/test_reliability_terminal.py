"""Issue 15, class 8: terminal output is inert.

A profile's keys and text and the names of files reach the terminal in msgen's messages;
their control characters and bidirectional overrides are shown escaped, so a profile
cannot clear the screen, retitle the window or forge a line such as "1 profile(s) valid".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from msgen.profile.loader import load_profile

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "staffordshire-joint-2022.yaml"
ACTIVE = ("\x1b", "\r", "\x07", "\x08", "\u202e", "\x9b")


def _msgen(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "msgen", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "MSGEN_CACHE_DIR": "/dev/null/no-cache"})


def test_terminal_output_is_inert(tmp_path: Path) -> None:
    data = load_profile(EXAMPLE).data
    hostile_key = "\x1b[2J\x1b[H\r\n1 profile(s) valid\n\u202eevil\x9b"
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({**data, hostile_key: "x", "title": "\x1b]0;pwned\x07"}), encoding="utf-8")
    named = tmp_path / "\x1b[31mred\x1b[0m\n1 profile(s) valid.yaml"
    runs = [_msgen("validate", profile), _msgen("build", profile, "-o", tmp_path),
            _msgen("validate", named), _msgen("build", tmp_path / "absent\x1b[2J.json", "-o", tmp_path)]
    for run in runs:
        assert run.returncode in (1, 2), run.stderr
        said = run.stdout + run.stderr
        assert not any(char in said for char in ACTIVE), said
        assert "1 profile(s) valid" not in said.splitlines()
    assert "\\x1b[2J\\x1b[H\\r\\n1 profile(s) valid\\n\\u202eevil\\x9b" in runs[0].stdout
    assert "\\x1b[31mred\\x1b[0m\\n1 profile(s) valid.yaml" in runs[2].stderr
