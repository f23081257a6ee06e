"""How much slower is `msgen build` than the least a docxtpl script could do?

Runs, side by side and alternately, a cold `msgen build` of the Staffordshire example
(validation, context, every document, checks and safe writing included) and a bare
typer + docxtpl script that renders the statement alone from the same template and
context. Each run is a fresh process; the first run of each fills the caches (Python's
.pyc files, msgen's Jinja bytecode cache) and is not counted. Prints the median wall
times, their ratio and PASS/FAIL against the target (≤ 1.2×).

    .venv/bin/python benchmarks/build.py [--runs 7] [--templates DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "examples" / "staffordshire-joint-2022.yaml"
TARGET_RATIO = 1.2

# The baseline: what anyone would write with typer and docxtpl, and nothing more.
BARE_SCRIPT = '''
import json
import re
from pathlib import Path

import typer
from docxtpl import DocxTemplate
from jinja2 import Environment, FunctionLoader


def main(template: Path, context_file: Path, output: Path) -> None:
    def block(name):
        document = DocxTemplate(template.parent / name)
        document.init_docx()
        xml = re.sub(r"<w:sectPr.*</w:sectPr>", "", document.get_xml(), flags=re.DOTALL)
        xml = re.sub(r"</?w:body[^>]*>", "", xml)
        return document.patch_xml(xml)

    context = json.loads(context_file.read_text(encoding="utf-8"))
    document = DocxTemplate(template)
    document.render(context, Environment(loader=FunctionLoader(block), autoescape=True))
    document.save(output)


if __name__ == "__main__":
    typer.run(main)
'''


def _context_json(templates: Path) -> str:
    """The statement's context as plain JSON (profile fields as plain strings)."""
    from msgen.commands import load_valid_profile
    from msgen.context import build_context

    return json.dumps(build_context(load_valid_profile(PROFILE)), ensure_ascii=False)


def _timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--templates", type=Path, default=ROOT / "templates")
    args = parser.parse_args()
    templates = args.templates.resolve()
    with tempfile.TemporaryDirectory(prefix="msgen-bench-") as scratch:
        work = Path(scratch)
        (work / "bare.py").write_text(BARE_SCRIPT, encoding="utf-8")
        (work / "context.json").write_text(_context_json(templates), encoding="utf-8")
        (work / "msgen-out").mkdir()
        msgen = [str(ROOT / ".venv" / "bin" / "msgen"), "build", str(PROFILE), "-o", str(work / "msgen-out"),
                 "--templates", str(templates), "--force"]
        bare = [sys.executable, str(work / "bare.py"), str(templates / "statement.docx"),
                str(work / "context.json"), str(work / "bare.docx")]
        # Both run as installed programs do, from compiled .pyc files (kept in the scratch
        # folder, so the checkout stays clean, even where PYTHONDONTWRITEBYTECODE is set).
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        _timed(msgen, env), _timed(bare, env)  # fill the caches
        msgen_times, bare_times = [], []
        for _ in range(args.runs):
            msgen_times.append(_timed(msgen, env))
            bare_times.append(_timed(bare, env))
        documents = len(list((work / "msgen-out").glob("*.docx")))
    msgen_median, bare_median = statistics.median(msgen_times), statistics.median(bare_times)
    ratio = msgen_median / bare_median
    print(f"{'':34}{'median':>9}{'min':>9}{'max':>9}")
    print(f"{f'msgen build ({documents} documents)':34}{msgen_median:9.3f}{min(msgen_times):9.3f}{max(msgen_times):9.3f} s")
    print(f"{'typer + docxtpl (statement only)':34}{bare_median:9.3f}{min(bare_times):9.3f}{max(bare_times):9.3f} s")
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    print(f"ratio {ratio:.2f}x (target <= {TARGET_RATIO}x): {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
