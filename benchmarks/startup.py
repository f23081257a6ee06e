"""How long msgen takes to start, measured side by side in one run.

Targets: `msgen --help` at most 0.25 s; `msgen validate` on one profile at most 1.2 times
the floor `python -c "import typer, jsonschema"` (what any validator built on those
libraries pays), so validating costs little beyond importing them. Runs are interleaved
(help, validate, floor, help, ...) so a busy machine slows all three alike; each figure
is the median. Exit status 1 when a target fails.

    .venv/bin/python benchmarks/startup.py [--runs 21]

When a target fails, `python -X importtime -m msgen --help 2>&1 | sort -t'|' -k2 -n | tail`
shows which import costs the time. A fourth line adds PyYAML to the floor: every profile
is read with it, and importing it alone costs ~10 ms (half of that compiling one regex
in yaml.reader), so it shows how much of the gap is msgen's own.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent  # the virtualenv's python, msgen (not GNU gettext's msgen)
# As installed: bytecode cached (pip compiles it), so the warm-up run may write __pycache__.
CHILD_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
HELP_TARGET_SECONDS = 0.25
VALIDATE_TARGET_RATIO = 1.2


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def seconds(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run (CPU time shows what a busy machine hides)."""
    cpu, start = _cpu_of_children(), time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=CHILD_ENV, check=True)
    return time.perf_counter() - start, _cpu_of_children() - cpu


def medians(commands: dict[str, list[str]], runs: int) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds of each command, the commands run in turn `runs` times."""
    for command in commands.values():  # warm the file cache; also fails early if a command fails
        seconds(command)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(seconds(command))
    return {name: (statistics.median(wall for wall, _ in values), statistics.median(cpu for _, cpu in values))
            for name, values in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="runs of each command (default: %(default)s)")
    runs = parser.parse_args().runs
    from msgen.presets import write_preset

    with tempfile.TemporaryDirectory() as folder:
        profile = Path(folder) / "profile.yaml"
        write_preset("police-fire-and-commissioner", profile)
        median = medians({
            "msgen --help": [str(BIN / "msgen"), "--help"],
            "msgen validate profile.yaml": [str(BIN / "msgen"), "validate", str(profile)],
            "python -c 'import typer, jsonschema'": [str(BIN / "python"), "-c", "import typer, jsonschema"],
            "python -c 'import typer, jsonschema, yaml'": [str(BIN / "python"), "-c", "import typer, jsonschema, yaml"],
        }, runs)

    (help_wall, help_cpu), (validate_wall, validate_cpu), (floor_wall, floor_cpu), (yaml_wall, yaml_cpu) = median.values()
    ratio = validate_wall / floor_wall
    rows = [
        ("msgen --help", f"{help_wall:.3f} s", f"{help_cpu:.3f} s",
         f"<= {HELP_TARGET_SECONDS:.2f} s", help_wall <= HELP_TARGET_SECONDS),
        ("msgen validate profile.yaml", f"{validate_wall:.3f} s", f"{validate_cpu:.3f} s",
         f"<= {VALIDATE_TARGET_RATIO:.1f} x floor", ratio <= VALIDATE_TARGET_RATIO),
        ("  ratio to the floor", f"{ratio:.2f} x", f"{validate_cpu / floor_cpu:.2f} x", "", None),
        ("python -c 'import typer, jsonschema' (floor)", f"{floor_wall:.3f} s", f"{floor_cpu:.3f} s", "", None),
        ("python -c 'import typer, jsonschema, yaml'", f"{yaml_wall:.3f} s", f"{yaml_cpu:.3f} s", "", None),
        ("  validate's ratio to it (PyYAML is a floor too)", f"{validate_wall / yaml_wall:.2f} x",
         f"{validate_cpu / yaml_cpu:.2f} x", "", None),
    ]
    print(f"median of {runs} interleaved runs each ({sys.platform}, Python {sys.version.split()[0]}, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs); targets judge wall-clock time")
    width = max(len(row[0]) for row in rows)
    print(f"{'':<{width}}  {'wall':>9}  {'CPU':>9}  {'target':<16}")
    for name, wall, cpu, target, passed in rows:
        verdict = "" if passed is None else ("PASS" if passed else "FAIL")
        print(f"{name:<{width}}  {wall:>9}  {cpu:>9}  {target:<16} {verdict}")
    return 0 if all(passed is not False for *_, passed in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
