import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from msgen.batch import HOLD_VARIABLE
from msgen.cli import app
from msgen.errors import OfficeMissing
from msgen.publish.office import find_soffice

MSGEN = Path(sys.executable).parent / "msgen"  # the venv's script; not /usr/bin/msgen, which is GNU gettext
USER_ENV = {**os.environ, "PYTHONIOENCODING": "utf-8", "MSGEN_DEBUG": ""}  # as a user runs it: no tracebacks


def msgen(*args: object, env: dict[str, str] | None = None) -> Result:
    """Run msgen's command line in-process, as the `msgen` script does (the same typer app,
    so the same parsing, messages and exit codes) and fail the test on any traceback.
    Wide COLUMNS keeps rich from folding paths in messages the tests look for."""
    result = CliRunner().invoke(app, [str(arg) for arg in args], env={"COLUMNS": "250", **(env or {})})
    assert "Traceback" not in result.output
    assert isinstance(result.exception, (SystemExit, type(None))), result.exception
    return result


def msgen_process(*args: object, background: bool = False, env: dict[str, str] | None = None,
                  **options) -> subprocess.Popen | subprocess.CompletedProcess:
    """msgen as its own process, where the test needs one: signals, resource limits, umask.
    `background` starts it in a session of its own (a terminal's foreground group) and returns at once."""
    command = [MSGEN, *map(str, args)]
    env = {**USER_ENV, **(env or {})}
    if background:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                start_new_session=True, preexec_fn=as_a_terminal_job, **options)
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, **options)


def as_a_terminal_job() -> None:
    """Ctrl-C's default action, as in a terminal's foreground job: pytest started in the
    background (`pytest &`, some CI runners) passes SIGINT on ignored, and msgen would never see it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def held_batch(profiles: list[Path], out: Path, *, hold: Path, jobs: int) -> subprocess.Popen:
    """`msgen build PROFILES -o OUT --jobs JOBS` held at the start of `hold` (msgen.batch's test
    hook), returned once it is held there and every profile before `hold` is written: a signal
    sent now lands mid-batch, whatever the machine's speed. release(hold) lets it go on."""
    build = msgen_process("build", *profiles, "-o", out, "--jobs", jobs, background=True,
                          env={HOLD_VARIABLE: str(hold)})
    earlier = profiles[:profiles.index(hold)]
    marker = Path(f"{hold}.held")
    deadline = time.monotonic() + 300  # only so a broken build fails the test instead of hanging it
    while not (marker.exists() and len(list(out.glob("*.docx"))) >= 2 * len(earlier)):
        if build.poll() is not None or time.monotonic() > deadline:
            build.kill()
            pytest.fail(f"the batch ended or stalled before it was held: {build.communicate()}")
        time.sleep(0.01)
    return build


def release(hold: Path) -> None:
    Path(f"{hold}.held").unlink()


MARKERS = {
    "slow": "over a second or so; `pytest -m 'not slow'` is the fast tier, CI runs everything",
    "office": "runs LibreOffice (slow): skipped locally when it is missing, fails under CI",
    "property": "hypothesis generates many profiles (slow)",
    "needs_office": "the older name of `office`",
}
SLOW_MARKERS = ("office", "property")


def pytest_configure(config):
    for name, meaning in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {meaning}")


def pytest_collection_modifyitems(items):
    """Tests that run LibreOffice (its marker or the needs_office fixture) are `office`;
    `office` and `property` tests are `slow`, so the fast tier leaves them out."""
    for item in items:
        if item.get_closest_marker("needs_office") or "needs_office" in getattr(item, "fixturenames", ()):
            item.add_marker("office")
        if any(item.get_closest_marker(name) for name in SLOW_MARKERS):
            item.add_marker("slow")


def _require_office() -> str:
    """The soffice path; without LibreOffice, skip locally but fail in CI (never silently pass)."""
    try:
        return find_soffice()
    except OfficeMissing as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have LibreOffice: {exc}")
        pytest.skip(str(exc))


def pytest_runtest_setup(item):
    if item.get_closest_marker("office"):
        _require_office()


@pytest.fixture
def needs_office() -> str:
    """Use as a fixture (gives the soffice path) or as @pytest.mark.office."""
    return _require_office()
