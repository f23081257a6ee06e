"""Issue 15, class 5: numbers mean one thing.

YAML 1.1 (which msgen reads with) and YAML 1.2 (which next-year rewrites with) disagree
on `010` (8 or 10), `1:00` (60 or text), `1e5` (text or 100000) and the like, so every
command refuses them, pointing at the line. JSON Schema counts 3.0 as an integer; a
whole-number field refuses it, or the build would print "1,200.0" or stop.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from msgen.profile.loader import load_profile

pytestmark = pytest.mark.slow  # many msgen processes and real builds: CI and the full run only

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "staffordshire-joint-2022.yaml"
LINE = 30  # years_producing: 2


def _msgen(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "msgen", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "MSGEN_CACHE_DIR": "/dev/null/no-cache"})


@pytest.mark.parametrize("written", ["010", "08", "1:00", "0x1F", "0o17", "1_000", "1e5", "-.5", "!!int 010"])
def test_numbers_mean_one_thing(tmp_path: Path, written: str) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert text.splitlines()[LINE - 1] == "  years_producing: 2"
    profile = tmp_path / "profile.yaml"
    profile.write_text(text.replace("years_producing: 2", f"years_producing: {written}"), encoding="utf-8")
    value = written.removeprefix("!!int ")
    for command in (["validate", profile], ["check", profile], ["build", profile, "-o", tmp_path],
                    ["next-year", profile, "-o", tmp_path / "next.yaml"], ["registry", profile]):
        run = _msgen(*command)
        assert run.returncode == 1, (command, run.stdout, run.stderr)
        assert f"profile.yaml:{LINE}:" in run.stdout + run.stderr
        assert f"'{value}' is a number YAML readers disagree on" in run.stdout + run.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["profile.yaml"]


def test_whole_number_fields_refuse_fractions(tmp_path: Path) -> None:
    data = load_profile(EXAMPLE).data
    data["statement"]["years_producing"] = 3.0
    data["organisations"][2]["figures"]["stations"] = 1200.0
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps(data), encoding="utf-8")
    validate = _msgen("validate", profile)
    assert validate.returncode == 1
    assert "statement.years_producing: expected a whole number, got 3.0" in validate.stdout
    assert "organisations[2].figures.stations: expected a whole number, got 1200.0" in validate.stdout
    build = _msgen("build", profile, "-o", tmp_path)
    assert build.returncode == 1 and "Traceback" not in build.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["profile.json"]


@pytest.mark.parametrize("text", ["10:30", "08", "1e5", "1200"])
def test_text_that_pull_writes_back_is_read_back_as_the_same_text(tmp_path: Path, text: str) -> None:
    """ruamel (YAML 1.2) writes the string 10:30 unquoted; msgen quotes it, so the profile
    pull writes is read back with that text, not refused as a number."""
    from msgen.profile.edit import read_for_editing, same_style, write_if_valid, written_like

    raw = EXAMPLE.read_bytes()
    data, yaml = read_for_editing(raw, "YAML")
    publication = data["statement"]["publication"]
    publication["homepage_link_text"] = same_style(publication["homepage_link_text"], text)
    target = tmp_path / "pulled.yaml"
    write_if_valid(written_like(data, yaml, raw), target, force=False, invalid={"message": "invalid", "fix": "-"})
    assert load_profile(target).data["statement"]["publication"]["homepage_link_text"] == text
