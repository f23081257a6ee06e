"""Is `msgen build --jobs 2` of 100 profiles as fast as the best script a user could write?

Makes 100 distinct valid profiles (the examples, each with its own slug and a numbered
introduction, each with a supplier charter: 200 documents) and times, side by side and
alternately, two fresh processes building all of them with two worker processes:

- msgen: `msgen build FOLDER -o OUT --jobs 2 --quiet --force`: loading, validation,
  `msgen check`'s error rules, rendering, finishing and safe writing included;
- by hand: a bare docxtpl script, the best a user could write: a 2-process
  multiprocessing pool, each worker keeping docxtpl's compiled Jinja templates (a
  jinja_env whose from_string caches by source). It reads each profile with json.load
  and builds the same context with msgen.document.context.build_context, since the documents
  must be the same; it skips msgen's validation and checks, so they count against msgen.

The first run of each fills the caches (Python's .pyc files, msgen's template cache) and
is not counted. Prints each side's median wall time, CPU time and peak memory, the
wall-time ratio against the target (<= 1.0x) and msgen's peak memory against the target
(<= 300 MB). Peak memory is the resident memory of msgen and its workers added together,
sampled every 10 ms; pages the forked workers share with the main process count in each
of them, so the proportional figure (PSS, shared pages counted once) is also shown.

    .venv/bin/python benchmarks/batch.py [--profiles 100] [--rounds 5]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 1.0
TARGET_MEMORY_MB = 300

HAND_WRITTEN = '''
import json
import re
import sys
from multiprocessing import get_context
from pathlib import Path

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, FunctionLoader

from msgen.document.context import build_context
from msgen.profile.loader import LoadedProfile

PROFILES, TEMPLATES, OUT = map(Path, sys.argv[1:4])


def block(name):
    """The signature block's body, for {%p include "signature-block.docx" %}."""
    document = DocxTemplate(TEMPLATES / name)
    document.init_docx()
    xml = re.sub(r"<w:sectPr.*</w:sectPr>", "", document.get_xml(), flags=re.DOTALL)
    return document.patch_xml(re.sub(r"</?w:body[^>]*>", "", xml))


class CachedEnvironment(Environment):
    """docxtpl compiles every part with from_string: compile each source once."""

    compiled = {}

    def from_string(self, source, globals=None, template_class=None):
        if source not in self.compiled:
            self.compiled[source] = super().from_string(source, globals, template_class)
        return self.compiled[source]


ENVIRONMENT = CachedEnvironment(loader=FunctionLoader(block), autoescape=True)


def build(profile_path):
    data = json.loads(profile_path.read_text(encoding="utf-8"))
    context = json.loads(json.dumps(build_context(LoadedProfile(profile_path, data))))  # plain strings
    year = data["statement"]["financial_year"]
    for template, kind in (("statement.docx", "modern-slavery-statement"),
                           ("supplier-charter.docx", "supplier-charter")):
        document = DocxTemplate(TEMPLATES / template)
        signature = lambda spec: InlineImage(document, spec["path"], width=Mm(40))
        document.render({**context, "signature_image": signature}, ENVIRONMENT)
        document.save(OUT / f"{data['slug']}-{kind}-{year}.docx")


if __name__ == "__main__":
    with get_context("fork").Pool(2) as pool:
        pool.map(build, sorted(PROFILES.glob("*.json")), chunksize=1)
'''


@dataclass(frozen=True)
class Run:
    seconds: float  # wall time
    cpu: float  # user + system time of the process and all its children
    rss_mb: float  # peak of the summed resident memory of the process tree
    pss_mb: float  # the same in proportional set size: shared pages counted once


def make_profiles(folder: Path, count: int) -> None:
    """`count` valid JSON profiles made from the examples, each distinct and with a charter."""
    sys.path.insert(0, str(ROOT))
    from msgen.profile.loader import load_profile

    examples = [load_profile(path).data for path in sorted((ROOT / "examples").glob("*.yaml"))]
    charter = next(data["supplier_charter"] for data in examples if "supplier_charter" in data)
    shutil.copytree(ROOT / "examples" / "signatures", folder / "signatures")
    for number in range(count):
        data = copy.deepcopy(examples[number % len(examples)])
        data["slug"] = f"{data['slug']}-{number:03d}"
        data["statement"]["introduction"][0] += f" (Benchmark profile {number}.)"
        data.setdefault("supplier_charter", charter)
        (folder / f"profile-{number:03d}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def run_measured(command: list[str]) -> Run:
    """Run `command`, sampling its process tree's memory every 10 ms."""
    peak_rss = peak_pss = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    finished = threading.Event()

    def sample() -> None:
        nonlocal peak_rss, peak_pss
        while not finished.is_set():
            try:
                memory = [p.memory_full_info() for p in [process, *process.children(recursive=True)]]
                peak_rss = max(peak_rss, sum(m.rss for m in memory))
                peak_pss = max(peak_pss, sum(m.pss for m in memory))
            except psutil.Error:  # a process ended while it was read
                pass
            finished.wait(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, errors = process.communicate()
    elapsed = time.perf_counter() - start
    finished.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({process.returncode}): {errors.decode(errors='replace')[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Run(elapsed, cpu, peak_rss / 2**20, peak_pss / 2**20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="msgen-batch-bench-") as scratch:
        work = Path(scratch)
        profiles, by_msgen, by_hand = work / "profiles", work / "msgen-out", work / "hand-out"
        for folder in (profiles, by_msgen, by_hand):
            folder.mkdir()
        make_profiles(profiles, args.profiles)
        (work / "hand.py").write_text(HAND_WRITTEN, encoding="utf-8")
        msgen = [str(ROOT / ".venv" / "bin" / "msgen"), "build", str(profiles), "-o", str(by_msgen),
                 "--jobs", "2", "--quiet", "--force"]
        hand = [sys.executable, str(work / "hand.py"), str(profiles), str(ROOT / "templates"), str(by_hand)]
        run_measured(msgen), run_measured(hand)  # fill the caches
        msgen_runs, hand_runs = [], []
        for _ in range(args.rounds):
            msgen_runs.append(run_measured(msgen))
            hand_runs.append(run_measured(hand))
        made = sorted(p.name for p in by_msgen.glob("*.docx"))
        if made != sorted(p.name for p in by_hand.glob("*.docx")) or len(made) != 2 * args.profiles:
            raise SystemExit("msgen and the hand-written script did not make the same documents")
    ratio = statistics.median(r.seconds for r in msgen_runs) / statistics.median(r.seconds for r in hand_runs)
    rss = max(r.rss_mb for r in msgen_runs)
    print(f"{args.profiles} profiles, {len(made)} documents, 2 worker processes, {os.cpu_count()} processors, "
          f"{args.rounds} rounds")
    print(f"{'':36}{'wall median':>12}{'min':>7}{'max':>7}{'CPU median':>12}{'peak RSS':>10}{'peak PSS':>10}")
    for label, runs in (("msgen build --jobs 2", msgen_runs), ("hand-written docxtpl pool (cached)", hand_runs)):
        walls = [r.seconds for r in runs]
        print(f"{label:36}{statistics.median(walls):10.2f} s{min(walls):7.2f}{max(walls):7.2f}"
              f"{statistics.median(r.cpu for r in runs):10.2f} s{max(r.rss_mb for r in runs):7.0f} MB"
              f"{max(r.pss_mb for r in runs):7.0f} MB")
    ratio_ok, memory_ok = ratio <= TARGET_RATIO, rss <= TARGET_MEMORY_MB
    print(f"wall-time ratio {ratio:.2f}x (target <= {TARGET_RATIO}x): {'PASS' if ratio_ok else 'FAIL'}")
    print(f"msgen peak memory {rss:.0f} MB resident, main process + workers (target <= {TARGET_MEMORY_MB} MB): "
          f"{'PASS' if memory_ok else 'FAIL'}")
    return 0 if ratio_ok and memory_ok else 1


if __name__ == "__main__":
    sys.exit(main())
