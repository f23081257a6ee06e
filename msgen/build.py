"""`msgen build`: each profile → its statement and supplier charter as Word documents.

Load and validate every profile, render every document in memory, then write them all
at once: a problem anywhere (an invalid profile, a template error, a file open in
Word) leaves the output folder exactly as it was.

A profile without `supplier_charter` gets its statement only, and the build says the
charter was skipped. A profile without an approval date is built as a draft (marked
"DRAFT — not approved" on every page): an unapproved statement must never pass for
an approved one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from msgen.errors import InvalidProfile, UsageError
from msgen.loader import LoadedProfile

STATEMENT_TEMPLATE = "statement.docx"
CHARTER_TEMPLATE = "supplier-charter.docx"
SIGNATURE_BLOCK = "signature-block.docx"
TEMPLATE_FILES = (STATEMENT_TEMPLATE, CHARTER_TEMPLATE, SIGNATURE_BLOCK)


@dataclass(frozen=True)
class Built:
    """What a build wrote, and what it left out on purpose (one sentence each)."""

    written: list[Path]
    skipped: list[str] = field(default_factory=list)


def output_name(profile: LoadedProfile, document: str) -> str:
    """e.g. staffordshire-joint-modern-slavery-statement-2022-23.docx."""
    kind = "modern-slavery-statement" if document == "statement" else "supplier-charter"
    return f"{profile.data['slug']}-{kind}-{profile.data['statement']['financial_year']}.docx"


def documents_of(profile: LoadedProfile) -> list[str]:
    """The documents a profile makes: the statement, and the charter when it has one."""
    return ["statement", "charter"] if "supplier_charter" in profile.data else ["statement"]


def is_draft(profile: LoadedProfile) -> bool:
    return not profile.data["approval"].get("date")


def render_profile(profile: LoadedProfile, templates: Path, *, draft: bool = False) -> dict[str, bytes]:
    """Each of the profile's documents, finished, by output file name (no files written)."""
    from msgen.buildrecord import record_for
    from msgen.context import build_context, document_properties
    from msgen.render import render_docx

    context = build_context(profile)
    template_of = {"statement": STATEMENT_TEMPLATE, "charter": CHARTER_TEMPLATE}
    return {
        output_name(profile, document): render_docx(
            templates / template_of[document], context,
            properties=document_properties(profile, document), draft=draft or is_draft(profile),
            custom_properties=record_for(profile.path, templates / template_of[document],
                                         [templates / SIGNATURE_BLOCK]).as_properties())
        for document in documents_of(profile)
    }


def templates_folder(templates_dir: Path | None, needed: Iterable[str] = TEMPLATE_FILES) -> Path:
    """The folder to build from (msgen's own by default), checked to hold the templates
    the build will use."""
    from msgen import resources

    folder = Path(templates_dir) if templates_dir is not None else resources.templates_dir()
    if not folder.is_dir():
        raise UsageError("the templates folder does not exist", file=folder,
                         fix="give a folder made with `msgen templates export`")
    missing = [name for name in needed if not (folder / name).is_file()]
    if missing:
        raise UsageError(f"the templates folder has no {', '.join(missing)}", file=folder,
                         fix="copy the missing file(s) from `msgen templates export`")
    return folder


def build_profiles(paths: Iterable[Path], out_dir: Path, *, templates_dir: Path | None = None,
                   force: bool = False, draft: bool = False) -> Built:
    """Validate all profiles, render all their documents, then write them all or none."""
    from msgen.commands import load_valid_profile
    from msgen.writer import write_outputs

    problems: list = []
    profiles: list[LoadedProfile] = []
    for path in paths:
        try:
            profiles.append(load_valid_profile(path))
        except InvalidProfile as exc:
            problems.extend(exc.problems)
    if problems:
        raise InvalidProfile(problems)
    refuse_unchecked(profiles, draft=draft)

    needed = {SIGNATURE_BLOCK, STATEMENT_TEMPLATE}
    needed |= {CHARTER_TEMPLATE for profile in profiles if "supplier_charter" in profile.data}
    templates = templates_folder(templates_dir, sorted(needed))
    outputs: dict[Path, bytes] = {}
    skipped = []
    for profile in profiles:
        if "supplier_charter" not in profile.data:
            skipped.append(f"{profile.path}: no supplier charter in the profile; skipped")
        for name, document in render_profile(profile, templates, draft=draft).items():
            target = Path(out_dir) / name
            if target in outputs:
                raise UsageError(f"two profiles would both write {name}", file=profile.path,
                                 fix="give each profile its own slug")
            outputs[target] = document
    return Built(write_outputs(outputs, force=force), skipped)


def refuse_unchecked(profiles: Iterable[LoadedProfile], *, draft: bool) -> None:
    """Raise BuildRefused when `msgen check` finds errors in a profile that would be built
    as final; a draft (--draft, or no approval date yet) is marked DRAFT on every page instead."""
    from datetime import date

    from msgen.check import BuildRefused, errors_blocking_build

    blocking = [finding for profile in profiles if not (draft or is_draft(profile))
                for finding in errors_blocking_build(profile, date.today())]
    if blocking:
        raise BuildRefused(blocking)


def export_templates(folder: Path, *, force: bool = False) -> list[Path]:
    """Copy msgen's templates into `folder` (created if needed), all or none."""
    from msgen.errors import OutputError
    from msgen.writer import write_outputs

    source = templates_folder(None)
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder: {exc.strerror}", file=folder) from None
    return write_outputs({folder / name: (source / name).read_bytes() for name in TEMPLATE_FILES}, force=force)


def build_profile(path: Path, out_dir: Path, *, templates_dir: Path | None = None,
                  force: bool = False, draft: bool = False) -> list[Path]:
    """One profile's documents, written to `out_dir`; returns the files written."""
    return build_profiles([path], out_dir, templates_dir=templates_dir, force=force, draft=draft).written
