"""The long property run: thousands of schema-generated profiles through msgen, counting
how many built, how many were refused with a clear message and how many crashed.

    .venv/bin/python scripts/property_run.py [--examples 10000] [--jobs 2] [--seed 0] [--longest N]

The profiles and the checks are tests/test_properties.py's (half straight from the
schema, half made consistent so they reach Word); every document built must also be
valid WordprocessingML (tests/ooxml.py). Workers run side by side, each with its own
seed; every crash is printed with the profile that caused it. The closing line
is the result: generated, built, rejected with a clear message, crashed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from test_properties import check_profile, consistent_profiles, schema_profiles  # noqa: E402

SHOWN_CRASHES = 5
PROGRESS_EVERY = 250
CHUNK = 100  # profiles per hypothesis run


def run_worker(examples: int, worker_seed: int, longest: int | None) -> tuple[Counter, list[str]]:
    """Generate `examples` profiles from one seed; the tally and a report of each crash.

    Hypothesis keeps what it generated until its test ends (a gigabyte per few hundred
    large profiles), so the examples are drawn in chunks, each a test of its own."""
    tally: Counter = Counter()
    crashes: list[str] = []

    def check(profile: dict) -> None:
        tally["generated"] += 1
        if tally["generated"] % PROGRESS_EVERY == 0:
            print(f"seed {worker_seed}: {dict(tally)}", file=sys.stderr, flush=True)
        try:
            outcome, problems = check_profile(profile, ooxml=True)
        except Exception:  # a crash: keep going, report it at the end
            tally["crashed"] += 1
            crashes.append(traceback.format_exc(limit=-3) + json.dumps(profile, ensure_ascii=False)[:2000])
            print(f"seed {worker_seed}: crash: {traceback.format_exc().splitlines()[-1]}", file=sys.stderr, flush=True)
            return
        if problems:
            tally["broken"] += 1
            crashes.append("; ".join(problems) + "\n" + json.dumps(profile, ensure_ascii=False)[:2000])
        else:
            tally[outcome] += 1

    for chunk, first in enumerate(range(0, examples, CHUNK)):
        settings(max_examples=min(CHUNK, examples - first), deadline=None, database=None, phases=[Phase.generate],
                 suppress_health_check=list(HealthCheck))(
            seed(worker_seed * 1_000_003 + chunk)(given(st.one_of(schema_profiles(longest),
                                                                 consistent_profiles(longest)))(check)))()
    return tally, crashes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000, help="profiles to generate (default 10000)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="first worker's seed (default 0)")
    parser.add_argument("--longest", type=int, default=None,
                        help="at most this many items per list (default: the schema's own limits)")
    args = parser.parse_args()

    started = time.monotonic()
    shares = [args.examples // args.jobs + (worker < args.examples % args.jobs) for worker in range(args.jobs)]
    tally: Counter = Counter()
    crashes: list[str] = []
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        seeds = range(args.seed, args.seed + args.jobs)
        for worker_tally, worker_crashes in pool.map(run_worker, shares, seeds, [args.longest] * args.jobs):
            tally += worker_tally
            crashes += worker_crashes
    for report in crashes[:SHOWN_CRASHES]:
        print(report, end="\n\n")
    if len(crashes) > SHOWN_CRASHES:
        print(f"... and {len(crashes) - SHOWN_CRASHES} more")
    print(f"{time.monotonic() - started:.0f} s; {tally['broken']} built or refused without keeping the promise "
          "(a name missing, an unclear message)")
    print(f"{tally['generated']} profiles generated: {tally['built']} built, "
          f"{tally['rejected']} rejected with a clear message, {tally['crashed']} crashed")
    return 1 if tally["crashed"] or tally["broken"] else 0


if __name__ == "__main__":
    sys.exit(main())
