"""`msgen build` of many profiles: each its own unit, in parallel, reported as it goes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import zipfile
from pathlib import Path

import pytest

from msgen.profile.loader import load_profile
from test_build_cli import out  # noqa: F401  (the empty output folder fixture)
from conftest import MSGEN, held_batch, msgen, release

pytestmark = pytest.mark.slow  # builds documents in many processes: CI and the full run only

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NORFOLK = EXAMPLES / "norfolk-opcc-constabulary.yaml"
STAFFORDSHIRE = EXAMPLES / "staffordshire-joint-2022.yaml"
DERBYSHIRE = EXAMPLES / "derbyshire-first.yaml"


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def copy_of(example: Path, folder: Path, name: str, **changes) -> Path:
    """The example as a JSON profile in `folder` (its signature images beside it), changed."""
    data = load_profile(example).data
    data.update(changes)
    if not (folder / "signatures").exists():
        shutil.copytree(EXAMPLES / "signatures", folder / "signatures")
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_failing_profile_is_reported_and_the_others_are_built(tmp_path, out):
    invalid = copy_of(STAFFORDSHIRE, tmp_path, "broken.json", slug="Not A Slug")
    result = msgen("build", NORFOLK, invalid, DERBYSHIRE, "-o", out)
    assert result.exit_code == 1
    assert names(out) == ["derbyshire-constabulary-modern-slavery-statement-2019-20.docx",
                          "derbyshire-constabulary-supplier-charter-2019-20.docx",
                          "norfolk-opcc-constabulary-modern-slavery-statement-2022-23.docx",
                          "norfolk-opcc-constabulary-supplier-charter-2022-23.docx"]
    assert f"{invalid}:" in result.stderr and "slug" in result.stderr  # its problems, as for one profile
    summary = result.stdout[result.stdout.index("3 profile(s)"):]
    assert "2 built, 1 failed" in summary
    rows = {line.split()[1]: line for line in summary.splitlines() if line.startswith("│")}
    assert "failed: 1 problem(s) in the profile" in rows[str(invalid)]
    assert "built" in rows[str(NORFOLK)] and "│         2 │" in rows[str(NORFOLK)]


def test_a_profile_that_msgen_check_refuses_is_listed_with_its_findings(tmp_path, out):
    data = load_profile(NORFOLK).data
    data["statement"]["introduction"][0] += " We work closely with Kent Police."
    copied = copy_of(NORFOLK, tmp_path, "copied.json", statement=data["statement"], slug="copied")
    result = msgen("build", copied, STAFFORDSHIRE, "-o", out)  # built in worker processes
    assert result.exit_code == 1
    assert f"{copied}:" in result.stderr and "Kent Police" in result.stderr and "[quality.other-body]" in result.stderr
    assert "msgen check found 1 error(s); nothing was built" in result.stderr
    assert [n.split("-")[0] for n in names(out)] == ["staffordshire", "staffordshire"]


def test_the_exit_code_is_the_highest_among_the_failures(tmp_path, out):
    invalid = copy_of(STAFFORDSHIRE, tmp_path, "broken.json", slug="Not A Slug")
    (out / "norfolk-opcc-constabulary-supplier-charter-2022-23.docx").write_bytes(b"approved")
    result = msgen("build", invalid, NORFOLK, "-o", out)
    assert result.exit_code == 3  # cannot write (3) outranks an invalid profile (1)
    assert (out / "norfolk-opcc-constabulary-supplier-charter-2022-23.docx").read_bytes() == b"approved"
    assert names(out) == ["norfolk-opcc-constabulary-supplier-charter-2022-23.docx"]


def test_a_folder_builds_every_profile_directly_in_it(tmp_path, out):
    folder = tmp_path / "profiles"
    folder.mkdir()
    copy_of(NORFOLK, folder, "norfolk.json")
    shutil.copy(STAFFORDSHIRE, folder / "staffordshire.YML")
    (folder / "notes.txt").write_text("not a profile", encoding="utf-8")
    (folder / "archive").mkdir()
    copy_of(DERBYSHIRE, folder / "archive", "derbyshire.json")  # sub-folders are not searched
    result = msgen("build", folder, "-o", out)
    assert result.exit_code == 0, result.output
    assert [n.split("-")[0] for n in names(out)] == ["norfolk", "norfolk", "staffordshire", "staffordshire"]
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = msgen("build", empty, "-o", out)
    assert nothing.exit_code == 2 and str(empty) in nothing.stderr and "no profile" in nothing.stderr


def test_two_profiles_with_one_slug_never_overwrite_each_other(tmp_path, out):
    twin = copy_of(NORFOLK, tmp_path, "twin.json")
    result = msgen("build", NORFOLK, twin, "-o", out, "--force")
    assert result.exit_code == 2
    assert f"{twin}: another profile of this run also makes" in result.stderr and "own slug" in result.stderr
    assert len(names(out)) == 2


def test_quiet_prints_nothing_when_all_goes_well_and_only_errors_otherwise(tmp_path, out):
    quiet = msgen("build", NORFOLK, STAFFORDSHIRE, "-o", out, "--quiet")
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""
    assert len(names(out)) == 4
    failing = msgen("build", NORFOLK, STAFFORDSHIRE, "-o", out, "-q")
    assert failing.exit_code == 3 and failing.stdout == ""
    assert failing.stderr.count("msgen: error:") == 2 and "--force" in failing.stderr


def test_parallel_and_serial_builds_write_the_same_bytes(tmp_path):
    profiles = [copy_of(example, tmp_path, f"{example.stem}.json") for example in (NORFOLK, STAFFORDSHIRE, DERBYSHIRE)]
    built = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs-{jobs}"
        out.mkdir()
        run = subprocess.run([MSGEN, "build", *profiles, "-o", out, "--jobs", jobs], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert sorted(line.split("/")[-1] for line in run.stdout.splitlines() if line.startswith("wrote")) == names(out)
        built[jobs] = {p.name: p.read_bytes() for p in out.iterdir()}
    assert len(built["1"]) == 6 and built["1"] == built["2"]


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_batch_stops_its_workers_and_leaves_only_whole_files(tmp_path, out, stop):
    folder = tmp_path / "profiles"
    folder.mkdir()
    profiles = [copy_of(NORFOLK, folder, f"p{number:02}.json", slug=f"force-{number:02}") for number in range(4)]
    build = held_batch(profiles, out, hold=profiles[2], jobs=2)
    os.killpg(build.pid, stop)  # the whole group, as Ctrl-C in a terminal does
    release(profiles[2])
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == 130 and "interrupted" in stderr and "Traceback" not in stderr
    assert subprocess.run(["pgrep", "-g", str(build.pid)], capture_output=True).stdout == b"", "no worker left"
    assert all(p.suffix == ".docx" for p in out.iterdir()), names(out)  # no temporary file
    for document in out.iterdir():
        with zipfile.ZipFile(document) as package:
            assert package.testzip() is None
    assert len(names(out)) == 4, "the two profiles before the held one, and no more"
