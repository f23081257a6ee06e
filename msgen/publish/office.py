"""The one place msgen runs LibreOffice (to make PDFs and re-save documents).

Only the standard library and msgen's errors are imported here, so importing msgen stays
fast and works on machines without LibreOffice until a conversion is actually asked for.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from msgen.errors import OfficeFailed, OfficeMissing

INSTALL_HINT = (
    "Install it with 'sudo apt-get install libreoffice-writer-nogui' on Debian/Ubuntu, "
    "or install LibreOffice from https://www.libreoffice.org/ and make sure the "
    "'soffice' program is on your PATH. You can also set the MSGEN_SOFFICE "
    "environment variable to the full path of the soffice program."
)

# Tagged PDF + PDF/UA: the structure tree and document language that screen readers
# need, which public bodies must provide (accessibility regulations).
PDF_FILTER = (
    'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
    '"PDFUACompliance":{"type":"boolean","value":"true"}}'
)


# Written into each run's private profile before LibreOffice starts: a document whose
# location is not a trusted one (none is) may not load anything it links to, so an image
# linked from a template at http://... is never fetched while a PDF is made.
SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" \
oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


def find_soffice() -> str:
    """Return the LibreOffice program to run: MSGEN_SOFFICE, else soffice/libreoffice on PATH."""
    configured = os.environ.get("MSGEN_SOFFICE")
    if configured:
        found = shutil.which(configured)
        if not found:
            raise OfficeMissing(
                f"MSGEN_SOFFICE is set to '{configured}', but no program is there. "
                + INSTALL_HINT
            )
        return found
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise OfficeMissing(
        "LibreOffice is needed to make PDF files but was not found. " + INSTALL_HINT
    )


def convert(
    sources: list[Path], out_dir: Path, fmt: str = "pdf", *, timeout: float = 300
) -> list[Path]:
    """Convert all `sources` into `out_dir` as `fmt` with a single LibreOffice run.

    One run for many files, because starting LibreOffice costs far more than converting
    a small document. Returns the produced files in the order of `sources`.
    """
    if not sources:
        return []
    sources = [Path(s).resolve() for s in sources]
    out_dir = Path(out_dir).resolve()
    ext = fmt.split(":", 1)[0]
    targets = [out_dir / f"{s.stem}.{ext}" for s in sources]
    clashes = sorted({t.name for t in targets if targets.count(t) > 1})
    if clashes:
        raise ValueError(f"several source files would all become {', '.join(clashes)}")
    overwritten = sorted(str(t) for t in set(targets) & set(sources))
    if overwritten:
        raise ValueError(f"converting would overwrite the source {', '.join(overwritten)}")
    soffice = find_soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    for target in targets:
        # A file left from an earlier run must not pass for this run's output.
        target.unlink(missing_ok=True)

    # A private profile per run: a shared one makes a concurrent run exit silently,
    # and it must be an absolute URI or soffice hangs.
    profile = Path(tempfile.mkdtemp(prefix="msgen-soffice-"))
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        PDF_FILTER if fmt == "pdf" else fmt,
        "--outdir",
        str(out_dir),
        *map(str, sources),
    ]
    try:
        (profile / "user").mkdir()
        (profile / "user" / "registrymodifications.xcu").write_text(SETTINGS, encoding="utf-8")
        try:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env={**os.environ, "HOME": str(profile), "TMPDIR": str(profile)},  # its temp files go with it
                start_new_session=True,  # own process group, so all of it can be killed
            )
        except OSError as exc:
            raise OfficeMissing(
                f"LibreOffice ({soffice}) could not be started: {exc}. " + INSTALL_HINT
            ) from exc
        with proc:  # closes the pipe whatever happens
            try:
                output, _ = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                raise OfficeFailed(
                    f"LibreOffice did not finish converting {len(sources)} file(s) within "
                    f"{timeout:g} seconds and was stopped."
                ) from None
            finally:
                _kill_group(proc)  # on timeout, and for helpers left running after an exit
    finally:
        shutil.rmtree(profile, ignore_errors=True)

    missing = [s for s, t in zip(sources, targets) if not t.is_file()]
    if missing:
        said = output.decode(errors="replace").strip()
        raise OfficeFailed(
            f"LibreOffice could not convert these file(s) to {ext}: "
            + ", ".join(str(s) for s in missing)
            + (f"; LibreOffice said: {' / '.join(said.splitlines())}" if said else "")
        )
    return targets


def _kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL soffice's whole process group (soffice forks soffice.bin), then reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()
