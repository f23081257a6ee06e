"""How long `msgen check` takes on a statement, from a cold start (a new process, which
loads the en-GB dictionary afresh), and what the writing rules cost of it.

Target: `msgen check PROFILE` at most 0.5 s (median wall clock) on each example statement,
dictionary loading included (issue 13). Runs are interleaved (each example in turn) so a
busy machine slows them alike; CPU time is shown beside, as a busy machine inflates the
wall clock but not it. A second table times, in one process, the first run of the writing
rules (dictionary loading included) on each profile. Exit status 1 when a target fails.

    .venv/bin/python benchmarks/check.py [--runs 7]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import BIN, medians  # the same interleaved, median timing

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 0.5


def writing_rules_seconds(profile: Path) -> float:
    """Seconds the writing rules take on their first run in this process (the first
    profile also pays for loading the dictionary)."""
    from msgen.check import all_rules, subject_of
    from msgen.profile.loader import load_profile

    subject = subject_of(load_profile(profile), date.today())  # as msgen check reads it: its English
    rules = [r for r in all_rules() if r.check.__module__ == "msgen.check.rules_writing"]
    start = time.perf_counter()
    for each in rules:
        list(each.check(subject))
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    profiles = sorted(ROOT.glob("examples/*.yaml")) + sorted(ROOT.glob("examples/v2/*.yaml"))
    commands = {str(p.relative_to(ROOT)): [str(BIN / "msgen"), "check", str(p), "--json"] for p in profiles}
    print(f"{'msgen check, cold':<45}{'wall s':>8}{'cpu s':>8}")
    failed = False
    for name, (wall, cpu) in medians(commands, args.runs, exits=(0, 1)).items():
        slow = wall > TARGET_SECONDS
        failed |= slow
        print(f"{name:<45}{wall:>8.3f}{cpu:>8.3f}{'  over the target' if slow else ''}")
    print(f"\n{'writing rules in one process (first: + dictionary)':<53}{'s':>8}")
    for profile in profiles:
        print(f"{str(profile.relative_to(ROOT)):<53}{writing_rules_seconds(profile):>8.3f}")
    print(f"\ntarget: each check at most {TARGET_SECONDS} s" + (": FAILED" if failed else ": met"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
