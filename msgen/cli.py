"""The `msgen` command line: parses options, calls one module per command, reports.

Kept thin and cheap to import: each command imports what it needs (jsonschema,
docxtpl, python-docx) inside its body, so `msgen --help` starts fast.
"""

from __future__ import annotations

import errno
import io
import os
import signal
import sys
from functools import wraps
from pathlib import Path
from typing import Callable, List, Optional, Tuple, TypeGuard, cast

import typer

from msgen.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_OUTPUT, MsgenError

app = typer.Typer(
    name="msgen",
    help="Write a body's annual Modern Slavery and Human Trafficking statement from its profile.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help: rich help formatting costs ~0.1 s, over the 0.25 s budget
)


def reports_errors(command: Callable) -> Callable:
    """Turn every expected failure into one clear line and its exit code, never a traceback."""

    @wraps(command)
    def run(*args, **kwargs):
        from msgen import console

        try:
            return command(*args, **kwargs)
        except MsgenError as exc:
            console.failure(exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            raise typer.Exit(_interrupted()) from None
        except typer.Exit:
            raise
        except Exception as exc:  # a bug in msgen: still no traceback unless asked for
            if _output_failed(exc):
                raise typer.Exit(_output_lost(exc)) from None
            if os.environ.get("MSGEN_DEBUG"):
                raise
            console.error(f"internal error: {type(exc).__name__}: {exc} "
                          "(please report it; run with MSGEN_DEBUG=1 to see the details)")
            raise typer.Exit(70) from None

    return run


@app.command()
@reports_errors
def validate(
    profiles: List[Path] = typer.Argument(..., readable=False,  # the loader explains an unreadable file
                                          help="Profile files (.json, .yaml or .yml), or folders of them."),
    as_json: bool = typer.Option(False, "--json", help="Print the problems as a JSON list."),
) -> None:
    """Check profiles against the schema and cross-field rules; list every problem."""
    from msgen import console
    from msgen.commands import profile_paths, validate_profiles

    paths = profile_paths(profiles)
    problems = validate_profiles(paths)
    console.report_problems(problems, as_json=as_json, checked=len(paths))
    raise typer.Exit(1 if problems else 0)


SCHEMA_VERSION_HELP = "The profile schema version: 1, or 2 (the body's own sections)."


def known_schema_version(version: int) -> int:
    """The version asked for, refused in one line when msgen has no such schema."""
    from msgen import resources
    from msgen.errors import UsageError

    if version not in resources.SCHEMA_VERSIONS:
        known = " or ".join(str(each) for each in resources.SCHEMA_VERSIONS)
        raise UsageError(f"there is no profile schema version {version}", fix=f"give --schema-version {known}")
    return version


@app.command()
@reports_errors
def schema(
    schema_version: int = typer.Option(1, "--schema-version", help=SCHEMA_VERSION_HELP),
) -> None:
    """Print the profile's JSON Schema (Draft 2020-12)."""
    from msgen import resources

    sys.stdout.write(resources.schema_path(known_schema_version(schema_version)).read_text(encoding="utf-8"))


@app.command()
@reports_errors
def init(
    path: Path = typer.Argument(Path("profile.yaml"), help="Where to write the new profile."),
    preset: str = typer.Option("single-force", "--preset", "-p",
                               help="single-force, police-and-pcc, police-fire-and-commissioner, "
                                    "fire-authority or pfcc-fire."),
) -> None:
    """Write a starter profile from a preset (never overwrites an existing file)."""
    from msgen import console
    from msgen.profile.presets import write_preset

    write_preset(preset, path)
    console.info(f"wrote {path}: fill in the [insert …] values, then run `msgen validate {path}`")


@app.command()
@reports_errors
def registry(
    profile: Path = typer.Argument(..., help="The profile (.json, .yaml or .yml)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o",
                                          help="Write to this file (CSV, or JSON with --json) instead of printing."),
    as_json: bool = typer.Option(False, "--json", help="A JSON list of rows instead of CSV."),
    force: bool = typer.Option(False, "--force", help="Replace the output file if it exists."),
) -> None:
    """Print the answers for the GOV.UK registry's statement summary: one row per body.

    Column names and values are the registry's own; dates are dd/mm/yyyy.
    A CSV written with -o starts with a byte-order mark, so Excel shows '£'.
    An answer longer than the registry's form accepts is an error.
    """
    from msgen import console
    from msgen.annual import registry as answers
    from msgen.commands import load_valid_profile
    from msgen.writer import check_not_input, write_bytes

    if output is not None:
        check_not_input(output, [profile])
    rows = answers.registry_rows(load_valid_profile(profile))
    missing = answers.unanswered(rows)
    if missing:
        console.warning(f"{profile}: no answer for the registry's {', '.join(missing)}; "
                        "fill them in on the form or add them to the profile")
    text = answers.as_json(rows) if as_json else answers.as_csv(rows, for_excel=output is not None)
    if output is None:
        sys.stdout.write(text)
        return
    write_bytes(output, text.encode("utf-8"), force=force)
    console.info(f"wrote {output}: {len(rows)} row(s) for the registry")


@app.command("next-year")
@reports_errors
def next_year(
    profile: Path = typer.Argument(..., help="Last year's profile (.json, .yaml or .yml)."),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write next year's profile (a new file)."),
    force: bool = typer.Option(False, "--force", help="Replace the output file if it exists (never the input)."),
) -> None:
    """Write next year's profile from last year's: the year moved on, last year's commitments
    to report on, approval and signature dates cleared. YAML comments are kept."""
    from msgen import console
    from msgen.annual.nextyear import write_next_year

    written, summary = write_next_year(profile, output, force=force)
    for line in summary.report():
        console.result(line)
    for note in summary.notes:
        console.warning(note)
    console.info(f"wrote {written}: fill in what is left, then run `msgen check {written}`")


@app.command()
@reports_errors
def migrate(
    profile: Path = typer.Argument(..., help="A version-1 profile (.json, .yaml or .yml)."),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", help="Where to write the version-2 profile (default: NAME.v2.yaml beside it)."),
    force: bool = typer.Option(False, "--force", help="Replace the output file if it exists (never the input)."),
) -> None:
    """Rewrite a version-1 profile as version 2: the same statement, its skeleton and
    msgen's sentences now written out in the profile. YAML comments are kept."""
    from msgen import console
    from msgen.annual.migrate import migrate_file

    written, warnings = migrate_file(profile, output, force=force)
    for warning in warnings:
        console.warning(str(warning))
    same = "the same text except where warned above" if warnings else "the same text"
    console.info(f"wrote {written}: it builds {same}; reorder, rename and reword it freely")


@app.command()
@reports_errors
def pull(
    reviewed: Path = typer.Argument(..., help="The statement or charter as reviewed in Word (.docx)."),
    profile: Path = typer.Option(..., "--profile", "-p", help="The profile the document was built from."),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write the updated profile (a new file)."),
    templates: Optional[Path] = typer.Option(None, "--templates",
                                             help="The templates the document was built with, if not msgen's own."),
    force: bool = typer.Option(False, "--force", help="Replace the output file if it exists (never the profile)."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when there are edits outside profile fields."),
    profile_changed: bool = typer.Option(False, "--profile-changed",
                                         help="The profile changed since the build: take every field that "
                                              "differs from the document anyway."),
) -> None:
    """Carry the edits made in Word back into a copy of the profile.

    An edit inside a profile field (a content control) is written into OUTPUT at that
    field; the profile itself is never changed. An edit anywhere else (template wording,
    or text msgen composes such as a list of names or a date) cannot be carried back: it
    is listed with where it stands, to move into the template or the profile by hand.
    Nothing is written if the result would not be a valid profile.
    """
    from msgen import console
    from msgen.annual.pull import pull as pull_edits

    pulled = pull_edits(reviewed, profile, output, templates_dir=templates, force=force,
                        profile_changed=profile_changed)
    for note in pulled.notes:
        console.warning(str(note))
    for edit in pulled.edits:
        console.result(f"updated {edit}")
    for drift in pulled.drift:
        console.warning(str(drift))
    if pulled.drift:
        console.info(f"{len(pulled.drift)} edit(s) outside profile fields were not carried back: move each "
                     "into the template (msgen templates export) or the profile by hand")
    console.result(f"wrote {pulled.output}: {len(pulled.edits)} field(s) updated, "
                   f"{len(pulled.drift)} edit(s) outside profile fields")
    raise typer.Exit(1 if strict and pulled.drift else 0)


@app.command()
@reports_errors
def redline(
    old: Path = typer.Argument(..., help="The earlier statement (.docx), e.g. last year's as approved."),
    new: Path = typer.Argument(..., help="The later statement (.docx)."),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write the redline (.docx)."),
    author: str = typer.Option("msgen", "--author", help="The name Word shows on each change."),
    force: bool = typer.Option(False, "--force", help="Replace the output file if it exists."),
) -> None:
    """Write a Word document showing NEW as tracked changes to OLD, to accept or reject in
    Word. Works offline."""
    from msgen import console
    from msgen.annual.redline import write_redline

    inserted, deleted = write_redline(old, new, output, author=author, force=force)
    outcome = ("open it in Word and use Review > Accept or Reject" if inserted or deleted
               else "the two documents have the same text")
    console.result(f"wrote {output}: {inserted} insertion(s) and {deleted} deletion(s) tracked; {outcome}")


def _formats(values: list[str]) -> tuple[str, ...]:
    """--format docx,pdf,html,html-fragment: any of them, in any order, each once; the option
    given twice (-f docx -f html) asks for both."""
    from msgen.build import FORMATS

    asked = [name.strip().lower() for value in values for name in value.split(",") if name.strip()]
    unknown = [name for name in asked if name not in FORMATS]
    if unknown or not asked:
        raise typer.BadParameter(f"{', '.join(unknown) or 'nothing'} is not a format; "
                                 f"give one or more of {','.join(FORMATS)}, separated by commas")
    return tuple(name for name in FORMATS if name in asked)


@app.command()
@reports_errors
def build(
    profiles: List[Path] = typer.Argument(..., readable=False,  # the loader explains an unreadable file
                                          help="Profile files (.json, .yaml or .yml), or folders of them."),
    out_dir: Path = typer.Option(Path("."), "--output-dir", "-o", help="Folder to write the documents in."),
    formats: List[str] = typer.Option(["docx"], "--format", "-f", callback=_formats,
                                      help="docx, pdf, html, html-fragment (the page's main content, for a "
                                           "website's CMS), or several separated by commas (e.g. docx,pdf)."),
    templates: Optional[Path] = typer.Option(None, "--templates",
                                             help="Build with these templates (see `msgen templates export`)."),
    force: bool = typer.Option(False, "--force", help="Replace documents that already exist."),
    draft: bool = typer.Option(False, "--draft", help="Mark every page 'DRAFT — not approved'."),
    redline_against: Optional[Path] = typer.Option(
        None, "--redline-against", metavar="LAST.docx",
        help="Also write SLUG-modern-slavery-statement-YEAR-redline.docx: the new statement as tracked "
             "changes to LAST.docx (one profile only); for a statement in Welsh too, also "
             "…-redline.cy.docx against LAST.cy.docx beside it."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1,
                                       help="Profiles built at once (default: the number of processors)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
) -> None:
    """Write each profile's statement and supplier charter as Word documents, PDFs or web pages.

    Files are named SLUG-modern-slavery-statement-YEAR and SLUG-supplier-charter-YEAR, with
    .docx, .pdf, .html or .fragment.html; a profile published in English and Welsh
    (statement.languages: [en, cy]) also gets each in Welsh, with .cy before the extension.
    PDFs are made from the Word documents by LibreOffice, all in one run; web pages from
    the same text, by the page.html.j2 template; with --format pdf or html alone, no .docx
    is kept.
    A folder builds every .json, .yaml and .yml file directly in it, each as a profile.

    Each profile is built on its own: all its files are written or none, and a profile
    that fails is reported while the others are built. A profile without an approval
    date is built as a draft. With several profiles, a table at the end says how each went.

    Exit status: 0 when everything was built; otherwise the highest code among the
    failures: 1 an invalid profile or template, or checks found errors; 2 a wrong
    command line or missing file; 3 an output that cannot be written, or LibreOffice
    missing (the other formats are still written); 130 interrupted.
    """
    from msgen.batch import default_jobs, run
    from msgen.build import BuildOptions

    chosen = cast(Tuple[str, ...], formats)  # _formats, its callback, made the text a tuple
    options = BuildOptions(out_dir, templates, chosen, force=force, draft=draft, redline_against=redline_against)
    raise typer.Exit(run(profiles, options, jobs=jobs or default_jobs(), quiet=quiet))


@app.command()
@reports_errors
def check(
    profile: Optional[Path] = typer.Argument(None, readable=False,  # the loader explains an unreadable file
                                             help="The profile to check (.json, .yaml or .yml)."),
    docx: List[Path] = typer.Option([], "--docx", help="Documents built from the profile: --docx out/*.docx, "
                                                        "or --docx A.docx --docx B.docx."),
    more_documents: List[Path] = typer.Argument(None, metavar="[DOCX]...", show_default=False,
                                                help="The rest of the documents after --docx (as the shell "
                                                     "expands out/*.docx)."),
    templates: Optional[Path] = typer.Option(None, "--templates",
                                             help="Check the templates in this folder against the profile schema."),
    as_json: bool = typer.Option(False, "--json", help='Print {"findings": [...]} as JSON.'),
    strict: bool = typer.Option(False, "--strict", help="Fail (exit 1) on warnings too."),
    last_year: Optional[Path] = typer.Option(None, "--last-year", metavar="LAST",
                                             help="Last year's profile, or the .docx built from it: flag sections "
                                                  "carried over word for word, commitments not reported on and "
                                                  "indicators without last year's figure."),
) -> None:
    """Review a statement before publication: the law (s54), Home Office guidance, the GOV.UK
    registry and the mistakes assessors mark down. Exit 0 with no errors, 1 with errors.

    Every rule is listed, with why and how to fix it, in docs/rules.md.
    """
    from datetime import date

    from msgen.check.report import run_check

    documents = [*docx, *(more_documents or [])]
    raise typer.Exit(run_check(profile, documents, templates, today=date.today(), as_json=as_json, strict=strict,
                               last_year=last_year))


@app.command("import")
@reports_errors
def import_(
    source: Path = typer.Argument(..., help="Last year's statement: .docx, .odt, .doc, .pdf, .html, .txt or .md "
                                            "('-' reads standard input)."),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write the version-2 profile (a new file)."),
    force: bool = typer.Option(False, "--force", help="Replace the output file if it exists (never the source)."),
    welsh: Optional[Path] = typer.Option(None, "--welsh", metavar="WELSH_SOURCE",
                                         help="The same statement in Welsh: one profile in English and Welsh, "
                                              "each text {en, cy} where the two match."),
) -> None:
    """Turn a published statement into a version-2 profile; what it guessed is marked to check."""
    from msgen import console
    from msgen.importer import import_statement

    found = import_statement(source, output, force=force, welsh=welsh)
    console.result(f"wrote {output}: {found.sections} section(s), {found.lists} list(s), {found.tables} table(s), "
                   f"{found.quotes} quotation(s), {found.notes} footnote(s), {found.signatories} signatory(ies)")
    console.result(f"bodies: {', '.join(found.bodies) or 'none recognised'}; "
                   f"areas guessed: {', '.join(found.areas) or 'none'}")
    if found.dropped:
        console.result(f"dropped as residue: {len(found.dropped)} line(s), named at the top of the profile")
    for item in found.to_confirm:
        console.warning(f"to confirm: {item}")


templates_app = typer.Typer(help="Copy out the Word templates to restyle them.", no_args_is_help=True)
app.add_typer(templates_app, name="templates")


@templates_app.command("export")
@reports_errors
def templates_export(
    folder: Path = typer.Argument(..., help="Folder to copy the templates into (created if needed)."),
    force: bool = typer.Option(False, "--force", help="Replace templates already in the folder."),
    schema_version: int = typer.Option(1, "--schema-version", help=SCHEMA_VERSION_HELP),
) -> None:
    """Copy msgen's three templates into FOLDER (for version 2, its clause file too); edit them,
    then build with --templates FOLDER."""
    from msgen import console
    from msgen.build import export_templates

    for path in export_templates(folder, force=force, version=known_schema_version(schema_version)):
        console.result(f"wrote {path}")


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM (a service stopping, `kill`) and SIGHUP (the terminal closed) end any command
    as Ctrl-C does: cleanly, temporary files removed, exit 130."""
    raise KeyboardInterrupt


def _output_failed(exc: BaseException) -> TypeGuard[OSError]:
    """Whether `exc` is the terminal, pipe or file msgen prints to failing (a reader that
    went away, a full disk): writing a file raises msgen's own errors, naming the file."""
    return isinstance(exc, BrokenPipeError) or (
        isinstance(exc, OSError) and exc.filename is None and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO))


def main() -> None:
    """Run the command, and end as docs/errors.md says whatever happens around it: an
    interruption exits 130; output nobody can read any more ends quietly (a pipe whose
    reader left: 0) or with one line on stderr (a full disk: 3), never a traceback."""
    _open_closed_streams()
    for stream in (sys.stdout, sys.stderr):  # a file name or key that is not valid text must not crash a report
        if isinstance(stream, io.TextIOWrapper):  # not a replacement such as a test's capture
            stream.reconfigure(errors="backslashreplace")
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    code: int | str | None = EXIT_OK
    try:
        try:
            app()
        except SystemExit as exit:
            code = exit.code
        for stream in (sys.stdout, sys.stderr):  # here, not at the interpreter's exit, which only prints a failure
            stream.flush()
    except KeyboardInterrupt:  # outside a command: while starting, or while printing the last lines
        code = _interrupted()
    except OSError as exc:
        if not _output_failed(exc):
            raise
        code = code or _output_lost(exc)  # a failing command's own code says more
    finally:
        _silence_output()
    sys.exit(code)


def _open_closed_streams() -> None:
    """A stream closed before msgen started (`msgen validate x >&-`) is None to Python, and
    its descriptor would be the next file msgen opens, so a print or LibreOffice's output
    would land in a document: it reads and writes /dev/null instead, as output nobody reads."""
    for descriptor, name in enumerate(("stdin", "stdout", "stderr")):
        if getattr(sys, name) is not None:
            continue
        opened = os.open(os.devnull, os.O_RDONLY if descriptor == 0 else os.O_WRONLY)
        if opened != descriptor:
            os.dup2(opened, descriptor)
            os.close(opened)
        setattr(sys, name, open(descriptor, "r" if descriptor == 0 else "w", encoding="utf-8", closefd=False))


def _interrupted() -> int:
    _say("interrupted; outputs already written are intact, nothing partial was left")
    return EXIT_INTERRUPTED


def _output_lost(exc: OSError) -> int:
    """The exit code when msgen's own output cannot be printed: 0 when the reader of a pipe
    has all it wanted (`msgen schema | head`), else 3, said on stderr if it still works."""
    if isinstance(exc, BrokenPipeError):
        return EXIT_OK
    _say(f"cannot print the output: {exc.strerror}")
    return EXIT_OUTPUT


def _say(message: str) -> None:
    """An error line on stderr, if stderr can still take one."""
    from msgen import console

    try:
        console.error(message)
        sys.stderr.flush()
    except OSError:
        pass


def _silence_output() -> None:
    """Send what is left unprinted nowhere, so the interpreter's own last flush of a broken
    stdout or stderr cannot print a traceback on the way out."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:
            os.dup2(devnull, stream.fileno())
    os.close(devnull)
