"""How much slower is a cold `msgen build` than the least a docxtpl script could do?

Issue 3's target: the wall time of a cold `msgen build` of the Staffordshire example
(validation, `msgen check`'s error rules, context, both documents — statement and
supplier charter — finishing and safe writing included) at most 1.2 times that of a
bare typer + docxtpl script rendering the statement alone from the same template.

Each run is a fresh process, the commands taking turns (which goes first alternates
each round), so a busy machine slows all alike; figures are medians of wall and CPU
time (CPU time shows what a busy machine hides). Caches are those a user has from the
second build on: Python's .pyc files and msgen's own cache folder (compiled Jinja
templates, docxtpl's prepared XML, and the profiles found valid), both kept in a
scratch folder and filled by a first run of each command, which is shown but not
counted.

Rebuilding the unchanged example, msgen knows it valid from the first run (msgen/
validate.py remembers a valid profile by a digest of its data, its folder, its images'
bytes, the schema, msgen's code, the installed libraries and Python) and does not
import jsonschema; it still reads the profile and runs the checks. A second line times
builds of a profile edited before each run (its slug changed), validated afresh.

    .venv/bin/python benchmarks/build.py [--runs 11] [--templates DIR]

Exit status 1 when the wall-time ratio misses the target. To see where a build's time
goes: `python -X importtime .venv/bin/msgen build ...` for imports, cProfile for the rest.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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


def _context_json() -> str:
    """The statement's context as plain JSON (profile fields as plain strings)."""
    sys.path.insert(0, str(ROOT))
    from msgen.commands import load_valid_profile
    from msgen.document.context import build_context

    return json.dumps(build_context(load_valid_profile(PROFILE)), ensure_ascii=False)


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of `command` in a fresh process."""
    cpu, start = _cpu_of_children(), time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    return time.perf_counter() - start, _cpu_of_children() - cpu


def _row(name: str, times: list[tuple[float, float]]) -> str:
    walls = [wall for wall, _ in times]
    cpu = statistics.median(cpu for _, cpu in times)
    return f"{name:36}{statistics.median(walls):8.3f}{cpu:8.3f}{min(walls):8.3f}{max(walls):8.3f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="counted runs of each (default: %(default)s)")
    parser.add_argument("--templates", type=Path, default=ROOT / "templates")
    args = parser.parse_args()
    templates = args.templates.resolve()
    with tempfile.TemporaryDirectory(prefix="msgen-bench-") as scratch:
        work = Path(scratch)
        (work / "bare.py").write_text(BARE_SCRIPT, encoding="utf-8")
        (work / "context.json").write_text(_context_json(), encoding="utf-8")
        out, edited_out = work / "msgen-out", work / "edited-out"
        out.mkdir()
        edited_out.mkdir()
        edited = work / PROFILE.name
        commands = {
            "msgen": [str(ROOT / ".venv" / "bin" / "msgen"), "build", str(PROFILE), "-o", str(out),
                      "--templates", str(templates), "--force"],
            "edited": [str(ROOT / ".venv" / "bin" / "msgen"), "build", str(edited), "-o", str(edited_out),
                       "--templates", str(templates), "--force"],
            "bare": [sys.executable, str(work / "bare.py"), str(templates / "statement.docx"),
                     str(work / "context.json"), str(work / "bare.docx")],
        }
        # Both run as installed programs do, from compiled .pyc files, and msgen with a cache
        # folder of its own: the checkout and the user's cache stay as they were.
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env.update(PYTHONPYCACHEPREFIX=str(work / "pycache"), MSGEN_CACHE_DIR=str(work / "cache"))
        _edit(edited, 0)
        first = {name: _timed(command, env) for name, command in commands.items()}
        documents = sorted(path.name for path in out.glob("*.docx"))
        if len(documents) != 2:
            print(f"msgen build wrote {documents}, not a statement and a supplier charter", file=sys.stderr)
            return 1
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for round_number in range(args.runs):
            order = list(commands) if round_number % 2 == 0 else list(reversed(commands))
            for name in order:
                if name == "edited":
                    _edit(edited, round_number + 1)
                times[name].append(_timed(commands[name], env))
    print(f"{'':36}{'wall':>8}{'CPU':>8}{'min':>8}{'max':>8}   (medians of {args.runs} runs)")
    print(_row("msgen build (statement + charter)", times["msgen"]))
    print(_row("  the same, profile edited each run", times["edited"]))
    print(_row("typer + docxtpl (statement only)", times["bare"]))
    print(f"first runs, caches empty (not counted): msgen {first['msgen'][0]:.3f} s, "
          f"bare {first['bare'][0]:.3f} s wall")
    wall_ratio, cpu_ratio = _ratios(times["msgen"], times["bare"])
    verdict = "PASS" if wall_ratio <= TARGET_RATIO else "FAIL"
    print(f"ratio {wall_ratio:.2f}x wall, {cpu_ratio:.2f}x CPU (target <= {TARGET_RATIO}x wall): {verdict}")
    print("  (the unchanged example was known valid from the first run and not validated again)")
    print("ratio with the profile edited each run: {:.2f}x wall, {:.2f}x CPU".format(
        *_ratios(times["edited"], times["bare"])))
    return 0 if verdict == "PASS" else 1


def _edit(profile: Path, number: int) -> None:
    """The example with a slug of its own: a profile msgen has not validated before."""
    text = PROFILE.read_text(encoding="utf-8")
    edited = text.replace("\nslug: staffordshire-joint\n", f"\nslug: staffordshire-joint-{number}\n")
    if edited == text:
        raise SystemExit(f"{PROFILE} no longer has the slug this benchmark changes: update _edit")
    profile.write_text(edited, encoding="utf-8")


def _ratios(times: list[tuple[float, float]], baseline: list[tuple[float, float]]) -> tuple[float, float]:
    """(wall, CPU) median of `times` over that of `baseline`."""
    return tuple(statistics.median(t[i] for t in times) / statistics.median(t[i] for t in baseline)
                 for i in (0, 1))


if __name__ == "__main__":
    sys.exit(main())
