"""The layout docs/architecture.md describes is the layout the code has."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_graph_in_the_architecture_note_is_current_and_has_no_cycle_or_backward_step() -> None:
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "import_graph.py"), "--check"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_every_module_the_architecture_note_names_exists() -> None:
    import re

    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"^\| `([a-z_/]+\.py)` \|", text, re.M))
    on_disk = {path.name for path in (ROOT / "msgen").rglob("*.py")} | {
        str(path.relative_to(ROOT / "msgen")) for path in (ROOT / "msgen").rglob("*.py")}
    assert named and named <= on_disk, named - on_disk


def test_a_cycle_is_found(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import import_graph
    finally:
        sys.path.pop(0)
    assert import_graph.cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert import_graph.backward({"msgen.profile.x": {"msgen.document.y", "msgen.errors"},
                                  "msgen.document.y": {"msgen.profile.x"}}) == [
        "msgen.profile.x imports msgen.document.y"]
