"""YAML profiles are composed by libyaml when it is safe, for speed: a profile must read
exactly as PyYAML reads it (the same values, the same line numbers in messages), and no
nesting, however it is written, may crash msgen instead of saying it is too deep."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from msgen.profile import yamlsource

ROOT = Path(__file__).resolve().parents[1]
YAML_PROFILES = sorted([*ROOT.glob("examples/*.yaml"), *ROOT.glob("msgen/presets/*.yaml")])


@pytest.mark.parametrize("path", YAML_PROFILES, ids=lambda path: path.name)
def test_libyaml_reads_every_example_and_preset_as_pyyaml_does(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast = yamlsource.compose_yaml(path, text)
    slow = yaml.compose(text, Loader=yamlsource._ProfileYamlLoader)
    assert yamlsource._compose_with_libyaml(text) is not False, "libyaml was not used"
    assert yamlsource.construct_yaml(path, fast) == yamlsource.construct_yaml(path, slow)
    assert yamlsource.index_lines(fast) == yamlsource.index_lines(slow)


def test_a_problem_is_reported_at_its_line_in_a_profile_read_by_libyaml(tmp_path: Path) -> None:
    text = (ROOT / "examples" / "staffordshire-joint-2022.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    line = next(number for number, content in enumerate(lines, 1) if content.lstrip().startswith("financial_year:"))
    lines[line - 1] = lines[line - 1].split(":")[0] + ": 2022-2023"
    profile = tmp_path / "profile.yaml"
    profile.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _msgen("validate", profile)
    assert result.returncode == 1
    assert f"{profile}:{line}: statement.financial_year:" in result.stdout


# Indentation alone cannot nest deeper than about 1,400 levels within the 2 MB a profile may
# have; on one line, a list of lists can nest far deeper than a C stack allows.
DEPTH = 1000


@pytest.mark.slow
@pytest.mark.parametrize("nesting", [
    "".join(f"{'  ' * level}-\n" for level in range(DEPTH)) + f"{'  ' * DEPTH}x\n",
    "".join(f"{'  ' * level}k:\n" for level in range(DEPTH)) + f"{'  ' * DEPTH}x\n",
    "".join(f"{'  ' * level}k: &a{level} !!map\n" for level in range(DEPTH)) + f"{'  ' * DEPTH}x: y\n",
    "".join(f"{' ' * level}k:\r" for level in range(DEPTH)) + f"{' ' * DEPTH}x: y\r",
    "".join(f"{' ' * level}k:\u2028" for level in range(DEPTH)) + f"{' ' * DEPTH}x: y\u2028",
    "- " * 100_000 + "x\n",
], ids=["indented-lists", "indented-mappings", "anchors-and-tags", "old-mac-line-ends", "line-separators",
        "lists-on-one-line"])
def test_deep_nesting_is_reported_never_a_crash(tmp_path: Path, nesting: str) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text(nesting, encoding="utf-8")
    result = _msgen("validate", profile)
    assert result.returncode == 1, result.stderr
    assert "nested too deeply" in result.stdout


def _msgen(*arguments: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "msgen", *map(str, arguments)], capture_output=True,
                          text=True, timeout=60)
