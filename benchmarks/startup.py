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
# msgen remembers profiles it found valid; a cache folder that cannot exist turns that off,
# so every run below validates for real.
CHILD_ENV["MSGEN_CACHE_DIR"] = "/dev/null/no-cache"
HELP_TARGET_SECONDS = 0.25
VALIDATE_TARGET_RATIO = 1.2


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def seconds(command: list[str], exits: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run (CPU time shows what a busy machine hides);
    `exits` are the exit codes that mean the command ran as meant (check's 1: it found errors)."""
    cpu, start = _cpu_of_children(), time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=CHILD_ENV)
    if done.returncode not in exits:
        raise subprocess.CalledProcessError(done.returncode, command)
    return time.perf_counter() - start, _cpu_of_children() - cpu


def medians(commands: dict[str, list[str]], runs: int, exits: tuple[int, ...] = (0,)) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds of each command, the commands run in turn `runs` times."""
    for command in commands.values():  # warm the file cache; also fails early if a command fails
        seconds(command, exits)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(seconds(command, exits))
    return {name: (statistics.median(wall for wall, _ in values), statistics.median(cpu for _, cpu in values))
            for name, values in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="runs of each command (default: %(default)s)")
    runs = parser.parse_args().runs
    import json

    from msgen.profile.loader import load_profile
    from msgen.profile.presets import write_preset

    with tempfile.TemporaryDirectory() as folder:
        profile_yaml = Path(folder) / "profile.yaml"
        write_preset("police-fire-and-commissioner", profile_yaml)
        profile_json = profile_yaml.with_suffix(".json")
        profile_json.write_text(json.dumps(load_profile(profile_yaml).data, indent=2), encoding="utf-8")
        median = medians({
            "help": [str(BIN / "msgen"), "--help"],
            "json": [str(BIN / "msgen"), "validate", str(profile_json)],
            "yaml": [str(BIN / "msgen"), "validate", str(profile_yaml)],
            "floor": [str(BIN / "python"), "-c", "import typer, jsonschema"],
            "floor+yaml": [str(BIN / "python"), "-c", "import typer, jsonschema, yaml"],
        }, runs)

    def row(name, key, target="", passed=None, against=None):
        wall, cpu = median[key]
        if against:
            return (name, f"{wall / median[against][0]:.2f} x", f"{cpu / median[against][1]:.2f} x", target, passed)
        return (name, f"{wall:.3f} s", f"{cpu:.3f} s", target, passed)

    json_ratio = median["json"][0] / median["floor"][0]
    rows = [
        row("msgen --help", "help", f"<= {HELP_TARGET_SECONDS:.2f} s", median["help"][0] <= HELP_TARGET_SECONDS),
        row("msgen validate profile.json", "json"),
        row("  ratio to the floor", "json", f"<= {VALIDATE_TARGET_RATIO:.1f} x", json_ratio <= VALIDATE_TARGET_RATIO,
            against="floor"),
        row("msgen validate profile.yaml", "yaml"),
        row("  ratio to the floor", "yaml", against="floor"),
        row("  ratio to the floor with PyYAML", "yaml", against="floor+yaml"),
        row("python -c 'import typer, jsonschema' (floor)", "floor"),
        row("python -c 'import typer, jsonschema, yaml'", "floor+yaml"),
    ]
    print(f"median of {runs} interleaved runs each ({sys.platform}, Python {sys.version.split()[0]}, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs); targets judge wall-clock time")
    print("Every run validates for real (msgen's cache of valid profiles is off). A YAML profile\n"
          "also pays for importing PyYAML and parsing (libyaml when the nesting is shallow).")
    width = max(len(r[0]) for r in rows)
    print(f"{'':<{width}}  {'wall':>9}  {'CPU':>9}  {'target':<16}")
    for name, wall, cpu, target, passed in rows:
        verdict = "" if passed is None else ("PASS" if passed else "FAIL")
        print(f"{name:<{width}}  {wall:>9}  {cpu:>9}  {target:<16} {verdict}")
    return 0 if all(passed is not False for *_, passed in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
