"""`msgen build`, one profile at a time: a profile → its documents, written all or none.

A profile's documents (its statement, its supplier charter when it has one, each in
every format asked for, and the redline when asked for) are made in memory first and
written together: a problem (an invalid profile, a template error, a file open in
Word) leaves the output folder exactly as it was. The PDFs come last, from one
LibreOffice run for a whole batch (msgen.batch), but their names are checked with the
rest, so a profile never fails half written.

A profile without `supplier_charter` gets its statement only, and the build says the
charter was skipped. A profile published in English and Welsh (`statement.languages:
[en, cy]`) gets every document in both, from the same data: NAME.docx and NAME.cy.docx.
A profile without an approval date is built as a draft (marked "DRAFT — not approved" on
every page): an unapproved statement must never pass for an approved one.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from msgen.errors import BuildRefused, UsageError
from msgen.profile.languages import CALLED, ENGLISH, NAMES, SUFFIXES, TAGS, WELSH, in_language, languages_of
from msgen.profile.loader import LoadedProfile

STATEMENT_TEMPLATE = "statement.docx"
CHARTER_TEMPLATE = "supplier-charter.docx"
SIGNATURE_BLOCK = "signature-block.docx"
TEMPLATE_FILES = (STATEMENT_TEMPLATE, CHARTER_TEMPLATE, SIGNATURE_BLOCK)
FORMATS = ("docx", "pdf", "html", "html-fragment")
WEB_SUFFIXES = {"html": ".html", "html-fragment": ".fragment.html"}  # the web page, and its main content alone
REDLINE_AUTHOR = "msgen"
UNCONFIRMED = ("[insert", "[check")  # placeholders a person must replace before approval
IMPORT_GUESS = b"# check:"  # the comment `msgen import` puts on a value it guessed


@dataclass(frozen=True)
class BuildOptions:
    """What a run asks of every profile it builds."""

    out_dir: Path
    templates_dir: Path | None = None  # msgen's own templates when None
    formats: tuple[str, ...] = ("docx",)
    force: bool = False
    draft: bool = False
    redline_against: Path | None = None
    # A private folder for the .docx that web pages and PDFs are made from (needed for html/pdf).
    staging: Path | None = None


@dataclass(frozen=True)
class Prepared:
    """One profile's documents, made in memory and ready to be written together."""

    profile: Path
    out_dir: Path
    outputs: dict[Path, bytes]
    pdf_sources: list[Path] = field(default_factory=list)  # staged .docx, for the run's one LibreOffice call
    notes: list[str] = field(default_factory=list)  # what was left out on purpose, one sentence each
    draft: bool = False

    @property
    def targets(self) -> list[Path]:
        """Every file the profile will write, its PDFs included."""
        return [*self.outputs, *pdf_targets(self.pdf_sources, self.out_dir)]


def output_name(profile: LoadedProfile, document: str, language: str = ENGLISH) -> str:
    """e.g. staffordshire-joint-modern-slavery-statement-2022-23.docx; in Welsh the same name
    with .cy before the extension (…-2022-23.cy.docx), so each pair sorts together."""
    kind = "modern-slavery-statement" if document == "statement" else "supplier-charter"
    year = profile.data["statement"].get("financial_year")  # a version-2 statement may not say
    stem = f"{profile.data['slug']}-{kind}-{year}" if year else f"{profile.data['slug']}-{kind}"
    return f"{stem}{SUFFIXES[language]}.docx"


def redline_name(profile: LoadedProfile, language: str = ENGLISH) -> str:
    """The statement's name with -redline (then the language's .cy): it sits beside the
    statement it compares."""
    return output_name(profile, "statement").removesuffix(".docx") + f"-redline{SUFFIXES[language]}.docx"


def last_statement(last: Path, language: str) -> Path:
    """Last year's statement in `language`: the Welsh of LAST.docx is LAST.cy.docx beside it."""
    if language == ENGLISH:
        return last
    return last.with_name(last.name.removesuffix(".docx") + SUFFIXES[language] + ".docx")


def pdf_targets(sources: Iterable[Path], out_dir: Path) -> list[Path]:
    return [Path(out_dir) / Path(source).with_suffix(".pdf").name for source in sources]


def documents_of(profile: LoadedProfile) -> list[str]:
    """The documents a profile makes: the statement, and the charter when it has one."""
    return ["statement", "charter"] if "supplier_charter" in profile.data else ["statement"]


def is_draft(profile: LoadedProfile) -> bool:
    return draft_reason(profile) is not None


def draft_reason(profile: LoadedProfile) -> str | None:
    """Why the profile can only make a draft: no approval date yet, or an `[insert …]` or
    `[check …]` placeholder still in its text (`msgen import` and a version-2 profile keep
    one wherever the body's statement lacks a fact, rather than invent it). None when it
    can be final."""
    if not profile.data["approval"].get("date"):
        return "it has no approval date"
    if (untranslated := _untranslated(profile)) is not None:
        return f"it has no Welsh for {untranslated}"
    if "financial_year" not in profile.data["statement"]:
        return "it does not say which financial year it covers"
    text = json.dumps(profile.data, ensure_ascii=False)
    for placeholder in UNCONFIRMED:
        if placeholder in text:
            return f"it still has an {placeholder} …] placeholder"
    if _marked_to_check(profile.path):
        return "it still has a value `msgen import` marked '# check:'"
    return None


def _untranslated(profile: LoadedProfile) -> str | None:
    """The first text without its Welsh, when Welsh is asked for: the Welsh document prints
    its English as an `[insert Welsh: …]` (or as it is) until it is written."""
    if WELSH not in languages_of(profile.data):
        return None
    from msgen.check.rules_languages import untranslated
    from msgen.errors import format_path

    return next((format_path(path) for path in untranslated(profile.data)), None)


def _marked_to_check(path: Path) -> bool:
    """Whether the profile file still carries a '# check:' comment: a value `msgen import`
    guessed, which a person must confirm (and then delete the comment)."""
    from msgen.files import read_limited
    from msgen.profile.loader import MAX_PROFILE_BYTES

    return IMPORT_GUESS in read_limited(path, MAX_PROFILE_BYTES, "profile")


def render_profile(profile: LoadedProfile, templates: Path, *, draft: bool = False) -> dict[str, bytes]:
    """Each of the profile's documents in each of its languages, finished, by output file
    name (no files written)."""
    from msgen.document.buildrecord import STATEMENT_PARTS, record_for
    from msgen.document.context import document_properties
    from msgen.document.render import render_docx

    draft = draft or is_draft(profile)
    template_of = {"statement": STATEMENT_TEMPLATE, "charter": CHARTER_TEMPLATE}
    shared = {"statement": profile.included_files(*STATEMENT_PARTS), "charter": profile.included_files()}
    documents = {}
    for language in languages_of(profile.data):
        view = in_language(profile, language)
        contexts, blocks = _contexts(view, templates, draft, language)
        for document in documents_of(profile):
            words = _words(contexts[document])
            documents[output_name(profile, document, language)] = render_docx(
                templates / template_of[document], contexts[document],
                properties=document_properties(view, document, draft=draft, words=words, language=language),
                draft=draft,
                branding=contexts[document].get("branding"), language=TAGS[language],
                draft_notice=words["draft_notice"],
                custom_properties=record_for(profile.path, templates / template_of[document],
                                             [templates / SIGNATURE_BLOCK, *blocks], profile.version,
                                             shared[document]).as_properties())
    return documents


def _words(context: Mapping[str, Any]) -> Mapping[str, str]:
    """What a document's properties and draft notice say, in its language: its clause file's
    words (version 2), else msgen's English (version 1)."""
    from msgen.document.context import PROPERTY_WORDS
    from msgen.document.finish import DRAFT_TEXT

    return context.get("words") or {**PROPERTY_WORDS, "draft_notice": DRAFT_TEXT}


def _contexts(profile: LoadedProfile, templates: Path, draft: bool,
              language: str = ENGLISH) -> tuple[dict[str, dict], list[Path]]:
    """The context of each document in one language (`profile` is that language's view), and
    the files besides the templates it was written from (version 2's clause file). A draft's
    context carries no approval, publication or signing date."""
    if profile.version == 1:
        from msgen.document.context import build_context

        context = build_context(profile, draft=draft)
        return {"statement": context, "charter": context}, []
    from msgen.document.sections import build_sections_context, load_clauses

    clauses = load_clauses(templates, language)
    context = build_sections_context(profile, clauses, draft=draft)
    return {"statement": context, "charter": {**context, "document": context.get("charter")}}, [clauses.file]


def templates_folder(templates_dir: Path | None, needed: Iterable[str] = TEMPLATE_FILES, version: int = 1) -> Path:
    """The folder to build from (msgen's own for the profile's schema version by default),
    checked to hold the templates the build will use."""
    from msgen import resources
    from msgen.files import MAX_DOCUMENT_BYTES, check_regular

    folder = Path(templates_dir) if templates_dir is not None else resources.templates_dir(version)
    if not folder.is_dir():
        raise UsageError("the templates folder does not exist", file=folder,
                         fix="give a folder made with `msgen templates export`")
    missing = [name for name in needed if not os.path.lexists(folder / name)]
    if missing:
        raise UsageError(f"the templates folder has no {', '.join(missing)}", file=folder,
                         fix="copy the missing file(s) from `msgen templates export`")
    for name in needed:
        check_regular(folder / name, MAX_DOCUMENT_BYTES, "template")
    return folder


def prepare_profile(path: Path, options: BuildOptions) -> Prepared:
    """Load, validate and check one profile, then make all its documents in memory."""
    from msgen.commands import load_valid_profile

    profile = load_valid_profile(path)
    refuse_unchecked([profile], draft=options.draft)
    needed = [SIGNATURE_BLOCK, STATEMENT_TEMPLATE]
    if "supplier_charter" in profile.data:
        needed.append(CHARTER_TEMPLATE)
    templates = templates_folder(options.templates_dir, needed, profile.version)
    documents = render_profile(profile, templates, draft=options.draft)
    out_dir = Path(options.out_dir)
    outputs = {out_dir / name: data for name, data in documents.items()} if "docx" in options.formats else {}
    staged = _staged(documents, options) if "pdf" in options.formats else []
    web_formats = [name for name in WEB_SUFFIXES if name in options.formats]
    if web_formats:
        outputs.update({out_dir / name: page for name, page in
                        web_pages(profile, templates, web_formats, draft=options.draft or is_draft(profile)).items()})
    notes = [] if "supplier_charter" in profile.data else [f"{path}: no supplier charter in the profile; skipped"]
    against = options.redline_against
    for language in languages_of(profile.data):
        if against is None:
            break
        last = last_statement(against, language)
        if language != ENGLISH and not last.exists():
            notes.append(f"{path}: no {CALLED[language]} redline: last year's {CALLED[language]} statement, "
                         f"{last.name}, is not beside {against}")
            continue
        outputs[out_dir / redline_name(profile, language)] = _redline(last, profile, documents, language)
    if not options.draft and (reason := draft_reason(profile)):
        notes.append(f"{path}: built as a draft (DRAFT on every page) because {reason}")
    return Prepared(Path(path), out_dir, outputs, staged, notes, draft=options.draft or is_draft(profile))


def web_pages(profile: LoadedProfile, templates: Path, formats: Iterable[str], *, draft: bool) -> dict[str, bytes]:
    """Each document's web page in each of `formats` ("html", "html-fragment"), by file name,
    rendered from the document's rows; a version-1 profile's rows are those of its
    version-2 form, which builds the same text."""
    from msgen.document.context import document_properties
    from msgen.publish.html import template_for, web_page

    if profile.version == 1:
        from msgen.annual.migrate import migrated

        profile = migrated(profile)
    template = template_for(templates)
    languages = languages_of(profile.data)
    pages = {}
    for language in languages:
        view = in_language(profile, language)
        contexts, _ = _contexts(view, templates, draft, language)
        for document in documents_of(profile):
            title = document_properties(view, document, draft=draft, words=_words(contexts[document]),
                                        language=language)["title"]
            alternates = [{"language": TAGS[other], "name": NAMES[other],
                           "href": output_name(profile, document, other).removesuffix(".docx") + WEB_SUFFIXES["html"]}
                          for other in languages if other != language]
            context = {**contexts[document], "kind": document, "draft": draft,
                       "page": {"title": title, "language": TAGS[language], "alternates": alternates}}
            stem = output_name(profile, document, language).removesuffix(".docx")
            for name in formats:
                pages[stem + WEB_SUFFIXES[name]] = web_page(template, context, fragment=name == "html-fragment")
    return pages


def _staged(documents: dict[str, bytes], options: BuildOptions) -> list[Path]:
    """The documents as files in a folder of their own in the run's staging folder, for
    LibreOffice (a folder per profile: two profiles never share a name there)."""
    if options.staging is None:
        raise ValueError("PDFs need BuildOptions.staging")
    folder = Path(tempfile.mkdtemp(dir=options.staging))
    for name, data in documents.items():
        (folder / name).write_bytes(data)
    return [folder / name for name in documents]


def _redline(last: Path, profile: LoadedProfile, documents: dict[str, bytes], language: str) -> bytes:
    """This statement as tracked changes to last year's, dated with the statement's own
    date so that a rebuild gives the same bytes."""
    from datetime import datetime, timezone

    from msgen.document.context import document_properties
    from msgen.annual.redline import read_docx, redline_bytes

    properties = document_properties(in_language(profile, language), "statement")
    when = datetime.fromisoformat(properties["date"]).replace(tzinfo=timezone.utc)
    return redline_bytes(read_docx(last), documents[output_name(profile, "statement", language)],
                         author=REDLINE_AUTHOR, when=when, files=(last, None))


def write_prepared(prepared: Prepared, *, force: bool) -> list[Path]:
    """Write a profile's documents, all or none, once its PDFs' names are known to be free too."""
    from msgen.writer import check_writable, write_outputs

    for target in prepared.targets:
        check_writable(target, force=force)
    return write_outputs(prepared.outputs, force=force)


def build_profiles(paths: Iterable[Path], out_dir: Path, *, templates_dir: Path | None = None,
                   force: bool = False, draft: bool = False) -> list[Path]:
    """Each profile's Word documents written to `out_dir` in turn, in this process; returns
    the files written. The first failure is raised, and what was written before it stays."""
    options = BuildOptions(Path(out_dir), templates_dir, force=force, draft=draft)
    return [written for path in paths for written in write_prepared(prepare_profile(path, options), force=force)]


def build_profile(path: Path, out_dir: Path, *, templates_dir: Path | None = None,
                  force: bool = False, draft: bool = False) -> list[Path]:
    """One profile's Word documents, written to `out_dir`; returns the files written."""
    return build_profiles([path], out_dir, templates_dir=templates_dir, force=force, draft=draft)


def refuse_unchecked(profiles: Iterable[LoadedProfile], *, draft: bool) -> None:
    """Raise BuildRefused when `msgen check` finds errors in a profile that would be built
    as final; a draft (--draft, or no approval date yet) is marked DRAFT on every page instead."""
    from datetime import date

    from msgen.check import errors_blocking_build

    blocking = [finding for profile in profiles if not (draft or is_draft(profile))
                for finding in errors_blocking_build(profile, date.today())]
    if blocking:
        raise BuildRefused(blocking)


def export_templates(folder: Path, *, force: bool = False, version: int = 1) -> list[Path]:
    """Copy msgen's templates for a schema version into `folder` (created if needed), all or
    none: the web page's too, and version 2's clause files (one a language), so msgen's own
    wording is edited beside them."""
    from msgen.document.sections import clause_file
    from msgen.errors import OutputError
    from msgen.profile.languages import LANGUAGES
    from msgen.publish.html import HTML_TEMPLATE, template_for
    from msgen.writer import write_outputs

    names = (*TEMPLATE_FILES, *map(clause_file, LANGUAGES)) if version == 2 else TEMPLATE_FILES
    source = templates_folder(None, names, version)
    folder = Path(folder)
    files = {folder / name: (source / name).read_bytes() for name in names}
    # Either version's web pages are rendered by the one page template (version 1's from its rows as version 2).
    files[folder / HTML_TEMPLATE] = template_for(source).read_bytes()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder: {exc.strerror}", file=folder) from None
    return write_outputs(files, force=force)
