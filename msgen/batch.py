"""`msgen build` of many profiles: in parallel, each profile a unit of its own.

Every profile is made in a worker process (loading, validation, checks, rendering) and
written by the main process, all its files or none, in the order the profiles were
given; a failing profile is reported and the batch carries on. Every PDF of the run
then comes from one LibreOffice call, which costs seconds to start.

An interruption (Ctrl-C, SIGTERM, a bug half way) stops the workers and leaves what
was written complete: files are written whole through a temporary name, and only the
main process writes outputs.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import tempfile
import time
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, ContextManager, Iterable

from msgen import console
from msgen.commands import profile_paths
from msgen.build import (BuildOptions, Prepared, SIGNATURE_BLOCK, STATEMENT_TEMPLATE, prepare_profile,
                         templates_folder, write_prepared)
from msgen.errors import EXIT_OK, MsgenError, OutputError, UsageError


@dataclass
class Outcome:
    """How one profile's build ended."""

    profile: Path
    written: list[Path] = field(default_factory=list)
    error: MsgenError | None = None
    seconds: float = 0.0
    draft: bool = False
    pdf_sources: list[Path] = field(default_factory=list)
    pdf_failed: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.error is not None:
            return f"failed: {self.error.message}"
        made = "built (draft)" if self.draft else "built"
        return f"{made}; no PDF" if self.pdf_failed else made


def run(arguments: Iterable[Path], options: BuildOptions, *, jobs: int, quiet: bool = False) -> int:
    """Build every profile, say what happened as it happens, and return the exit code:
    0, else the highest code among the failures (see `msgen build --help`)."""
    paths = profile_paths(arguments)
    if options.redline_against is not None and len(paths) != 1:
        raise UsageError("--redline-against compares one statement, but several profiles were given",
                         fix="build the profile to compare on its own")
    _check_run(options)
    with ExitStack() as stack:
        if "pdf" in options.formats:
            options = replace(options, staging=Path(stack.enter_context(
                tempfile.TemporaryDirectory(prefix="msgen-build-"))))
        progress = stack.enter_context(_progress(len(paths), quiet=quiet))
        outcomes = build_all(paths, options, jobs=jobs, done=lambda outcome: _said(outcome, quiet, progress))
        if progress is not None and "pdf" in options.formats:
            progress.add_task("making PDFs with LibreOffice", total=None)
        pdf_error = publish_pdfs(outcomes, options, quiet=quiet)
    if len(outcomes) > 1 and not quiet:
        console.show(summary(outcomes))
    codes = [o.error.exit_code for o in outcomes if o.error is not None]
    return max(codes + [pdf_error.exit_code if pdf_error else EXIT_OK])


def _check_run(options: BuildOptions) -> None:
    """What every profile needs, checked once rather than failing each profile alike."""
    templates_folder(options.templates_dir, (SIGNATURE_BLOCK, STATEMENT_TEMPLATE))
    if not Path(options.out_dir).is_dir():
        missing = "does not exist" if not Path(options.out_dir).exists() else "is not a folder"
        raise OutputError(f"the output folder {missing}", file=options.out_dir,
                          fix="create the folder first, or choose another output folder")
    if options.redline_against is not None:
        from msgen.annual.redline import read_docx

        read_docx(options.redline_against)


def build_all(paths: list[Path], options: BuildOptions, *, jobs: int,
              done: Callable[[Outcome], None]) -> list[Outcome]:
    """Each profile made (in `jobs` worker processes when there are several) and written,
    in the order given; `done` hears of each as soon as it is written or has failed."""
    outcomes: list[Outcome] = []
    written: set[Path] = set()

    def finish(path: Path, made: Prepared | MsgenError, seconds: float) -> None:
        outcome = _write(path, made, seconds, options, written)
        outcomes.append(outcome)
        done(outcome)

    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            finish(path, *_prepare(path, options))
        return outcomes
    _load_before_forking(options)
    gc.freeze()  # what is loaded now is never scanned by a worker's garbage collector
    try:
        _prepare_in_workers(paths, options, jobs, finish)
    finally:
        gc.unfreeze()
    return outcomes


def _prepare_in_workers(paths: list[Path], options: BuildOptions, jobs: int,
                        finish: Callable[[Path, Prepared | MsgenError, float], None]) -> None:
    """Each profile made in a pool of worker processes and finished in the order given.

    A worker can be lost mid-profile (the kernel kills the largest process when memory
    runs out): the pool then stops every other worker too. Each worker marks, in memory
    shared with this process, the profile it is on and whether the pool stopped it; the
    profile whose worker died unmarked is the one lost and fails alone, and the profiles
    the other workers were on, or had not started, go to a new pool."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor  # here: a single profile's build does without it
    from concurrent.futures.process import BrokenProcessPool

    context = _fork_where_safe()
    states = (context or multiprocessing).Array("b", len(paths), lock=False)
    made: dict[int, tuple[Prepared | MsgenError, float]] = {}
    finished = 0  # the profiles before this one are finished

    while len(made) < len(paths):
        waiting = [index for index in range(len(paths)) if index not in made]
        pool = ProcessPoolExecutor(max_workers=min(jobs, len(waiting)), mp_context=context,
                                   initializer=_start_worker, initargs=(states,))
        futures = {}
        try:
            for index in waiting:
                futures[index] = pool.submit(_prepare_in_worker, index, paths[index], options)
            for index, future in futures.items():
                made[index] = future.result()
                while finished in made:
                    finish(paths[finished], *made[finished])
                    finished += 1
        except BrokenProcessPool:
            pool.shutdown(wait=True)  # every other worker stopped (and has marked its profile)
            made.update(_after_a_lost_worker(paths, waiting, futures, states))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)  # a running profile finishes; it writes nothing
    for index in range(finished, len(paths)):
        finish(paths[index], *made[index])


def _after_a_lost_worker(paths: list[Path], waiting: list[int], futures: dict, states: Any
                         ) -> dict[int, tuple[Prepared | MsgenError, float]]:
    """What a broken pool settled: the profiles it finished, and a failure for each whose
    worker died unmarked. The rest go to a new pool, unless this pool settled nothing (its
    workers die as they start): then they all fail, rather than trying pool after pool."""
    settled = {index: future.result() for index, future in futures.items()
               if future.done() and not future.cancelled() and future.exception() is None}
    lost = [index for index in waiting if index not in settled and states[index] == _STARTED]
    if not settled and not lost:
        lost = waiting
    return {**settled, **{index: (_lost(paths[index]), 0.0) for index in lost}}


def _lost(path: Path) -> OutputError:
    return OutputError("the process building this profile was killed (the computer may have run short of "
                       "memory); nothing of it was written", file=path,
                       fix="run it again, with fewer profiles at once (--jobs 1) if it happens again")


def _prepare(path: Path, options: BuildOptions) -> tuple[Prepared | MsgenError, float]:
    """A profile's documents in memory, or the reason it cannot be built; and the time it took."""
    start = time.perf_counter()
    _hold_if_asked(path)
    try:
        made: Prepared | MsgenError = prepare_profile(path, options)
    except MsgenError as exc:
        made = exc
    return made, time.perf_counter() - start


HOLD_VARIABLE = "MSGEN_HOLD_PROFILE"


def _hold_if_asked(path: Path) -> None:
    """Test hook: when MSGEN_HOLD_PROFILE names this profile, create PROFILE.held and wait
    until it is deleted. The interrupt tests signal a batch held here mid-run, so it can
    never finish before the signal arrives (tests/test_safety.py, tests/test_batch.py)."""
    held = os.environ.get(HOLD_VARIABLE)
    if not held or Path(held).resolve() != path.resolve():
        return
    marker = Path(f"{held}.held")
    marker.touch()
    while marker.exists():
        time.sleep(0.01)


def _prepare_in_worker(index: int, path: Path, options: BuildOptions) -> tuple[Prepared | MsgenError, float]:
    """_prepare, marked as started (see _prepare_in_workers), then the profile's garbage
    collected at once: python-docx documents are cycles of objects holding megabytes of
    XML, which would otherwise pile up for many profiles before a full collection (a
    worker's peak memory halves; benchmarks/batch.py)."""
    global _current
    _current = index
    _states[index] = _STARTED
    made = _prepare(path, options)
    gc.collect()
    return made


def _write(path: Path, made: Prepared | MsgenError, seconds: float, options: BuildOptions,
           written: set[Path]) -> Outcome:
    """Write one profile's documents unless it failed or another profile of the run has
    written a file of the same name."""
    start = time.perf_counter()
    if isinstance(made, MsgenError):
        return Outcome(path, error=made, seconds=seconds)
    clash = next((target for target in made.targets if target in written), None)
    try:
        if clash is not None:
            raise UsageError(f"another profile of this run also makes {clash.name}", file=path,
                             fix="give each profile its own slug")
        files = write_prepared(made, force=options.force)
    except MsgenError as exc:
        return Outcome(path, error=exc, seconds=seconds + time.perf_counter() - start)
    written.update(made.targets)
    return Outcome(path, files, seconds=seconds + time.perf_counter() - start, draft=made.draft,
                   pdf_sources=made.pdf_sources, notes=made.notes)


def publish_pdfs(outcomes: list[Outcome], options: BuildOptions, *, quiet: bool) -> OutputError | None:
    """The PDFs of every profile built, from one LibreOffice run; the error, reported,
    when LibreOffice is missing or fails (the other formats stay written)."""
    built = [o for o in outcomes if o.pdf_sources]
    if not built:
        return None
    from msgen.publish.convert import to_pdf

    try:
        pdfs = iter(to_pdf([s for o in built for s in o.pdf_sources], options.out_dir, force=options.force))
    except OutputError as exc:
        error = exc if "docx" in options.formats else OutputError(
            exc.message, file=exc.file, fix="no PDF was made; the other formats asked for are written")
        console.failure(error)
        for outcome in built:
            outcome.pdf_failed = True
        return error
    for outcome in built:
        made = [next(pdfs) for _ in outcome.pdf_sources]
        outcome.written += made
        if not quiet:
            for pdf in made:
                console.result(f"wrote {pdf}")
    return None


def summary(outcomes: list[Outcome]) -> Any:
    """The table at the end of a batch: each profile, its documents, its time, how it ended."""
    from rich.table import Table

    failed = sum(o.error is not None for o in outcomes)
    table = Table(title=f"{len(outcomes)} profile(s): {len(outcomes) - failed} built, {failed} failed",
                  title_justify="left")
    for column in ("profile", "documents", "time"):
        table.add_column(column, justify="right" if column != "profile" else "left")
    table.add_column("status")
    for outcome in outcomes:
        table.add_row(console.inert_text(str(outcome.profile)), str(len(outcome.written)), f"{outcome.seconds:.1f} s",
                      console.inert_text(outcome.status), style="red" if outcome.error else None)
    return table


def _said(outcome: Outcome, quiet: bool, progress: Any) -> None:
    """Report one profile as soon as it is done: its failure always, else what it wrote."""
    if outcome.error is not None:
        console.failure(outcome.error)
    elif not quiet:
        for note in outcome.notes:
            console.info(note)
        for path in outcome.written:
            console.result(f"wrote {path}")
    if progress is not None:
        progress.advance(progress.task_ids[0])


def _progress(total: int, *, quiet: bool) -> ContextManager[Any]:
    """A progress bar on stderr for a batch, only where a person watches a terminal."""
    if quiet or total < 2 or not sys.stderr.isatty():
        return nullcontext()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=console.stderr_console(), transient=True)
    progress.add_task("building", total=total)
    return progress


def _load_before_forking(options: BuildOptions) -> None:
    """Import and compile once, in the main process, what every worker needs: forked
    workers inherit it instead of each paying for it."""
    from msgen import check
    from msgen.document import context, render  # noqa: F401
    from msgen.profile.validate import schema_validator

    schema_validator()
    check.all_rules()
    render.environment()
    if {"html", "html-fragment"} & set(options.formats):
        from msgen.publish import html  # noqa: F401


def _fork_where_safe() -> Any:
    """Forked workers start at once with msgen already loaded; fork is safe on Linux only
    (macOS system libraries break in forked children), so elsewhere the default applies."""
    import multiprocessing

    return multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None


_STARTED, _STOPPED = 1, 2  # a profile's state, shared between a worker and the main process
_states: Any = None  # in a worker: the shared states
_current: int | None = None  # in a worker: the profile it is on, or was on last


def _start_worker(states: Any) -> None:
    """Ctrl-C reaches every process of the terminal: a worker ignores it and lets the main
    process stop the batch. SIGTERM is how the pool stops its workers (when one was lost,
    or when the batch is interrupted): a worker marks its profile as stopped, not lost."""
    global _states
    _states = states
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stopped_by_the_pool)


def _stopped_by_the_pool(signum: int, frame: object) -> None:
    if _current is not None:
        _states[_current] = _STOPPED
    os._exit(128 + signum)


def default_jobs() -> int:
    return os.cpu_count() or 1
