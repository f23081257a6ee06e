"""`msgen pull`: carry a reviewer's Word edits back into a copy of the profile.

Every value msgen prints from the profile sits in a Word content control tagged with
its profile path. An edit inside such a control is carried back: written into a copy of
the profile at that path (YAML comments, quotes and layout kept, through next-year's
round-trip machinery). Everything else a reviewer changed (template wording, or values
msgen composes from several fields, such as a list of names or a date) cannot be
carried back, so it is reported as drift, with where it stands and what it says now,
to be moved into the template or the profile by hand.

Drift is found by building the document again from the same profile and comparing the
two paragraph by paragraph, with each field's text set aside. The profile itself is
never written; the copy is written only when it is valid.

A version-2 document prints a paragraph with **bold**, *italic* or [linked](https://…)
words as several content controls with the same path: they are read back as one value,
its markup rebuilt from the runs' formatting, and a field counts as edited when it no
longer reads as msgen printed it (so a status printed "To report" is not mistaken for an
edit of "to-report"). Formatting the profile's inline markup cannot say is reported,
never written approximately.
"""

from __future__ import annotations

import dataclasses
import io
import re
import textwrap
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from msgen.errors import (WARNING, EditedProfileInvalid, EditsDisagree, ForeignDocument, JsonPath, NoFields,
                          NotAPackage, Problem, ProfileChanged, UsageError, format_path)
from msgen.profile.languages import CALLED, ENGLISH, LANGUAGES, in_language, is_in_languages, languages_of, text_in
from msgen.profile.languages import SUFFIXES as LANGUAGE_SUFFIXES

if TYPE_CHECKING:
    from msgen.document.buildrecord import BuildRecord

HEADING_STYLES = ("Title", "Heading")
QUOTE_WIDTH = 70
CONTEXT_WORDS = 4
PROBE = "msgen-probe"  # printed in every text field to see which read inline markup
_BODY_NAME = re.compile(r"organisations\[\d+\]\.(name|short_name)"
                        r"|bodies\[\d+\]\.(legal_name|text_name|short_name)(\.(en|cy))?")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph as a reader sees it, and its `frame`: the text around its fields, each
    field standing as {path}."""

    where: str
    text: str
    frame: str
    fields: tuple[str, ...] = ()  # the paths of the fields in it, in order


@dataclass(frozen=True)
class Run:
    """A stretch of a field's text and how it is formatted."""

    text: str
    bold: bool = False
    italic: bool = False
    url: str = ""


@dataclass(frozen=True)
class Shown:
    """One field as the document shows it: the profile path its content control (or
    adjacent controls with the same path) stands for, its text and its runs."""

    path: str
    text: str
    where: str
    runs: tuple[Run, ...] = ()

    @property
    def markup(self) -> str:
        """The text with its formatting as a profile writes it, spacing normalised."""
        return " ".join(markup(self.runs).split())


@dataclass(frozen=True)
class Reading:
    paragraphs: tuple[Paragraph, ...]
    controls: tuple[Shown, ...]


@dataclass(frozen=True)
class FieldEdit:
    """A field edited in the document: written into the new profile."""

    path: JsonPath
    old: str
    new: str
    where: tuple[str, ...]  # the places it was edited
    shown: int  # how many places show the field

    def __str__(self) -> str:
        places = "" if self.shown == 1 else (f" (edited in {len(self.where)} of the {self.shown} places "
                                             "it appears; the next build shows it everywhere)")
        return f"{format_path(self.path)}: '{_short(self.old)}' → '{_short(self.new)}'{places}"


def drift(where: str, message: str) -> Problem:
    """A change the profile cannot take, at its place in the document: a warning."""
    return Problem(message, place=where, severity=WARNING)


@dataclass(frozen=True)
class Pulled:
    """What `msgen pull` did: the fields written, the drift found, and what to know."""

    output: Path
    edits: list[FieldEdit]
    drift: list[Problem]
    notes: list[Problem]  # warnings about the comparison itself


INVALID = {  # when the profile with the document's edits would not validate, nothing is written
    "message": "the profile with the document's edits would not be valid, so it was not written",
    "fix": "correct each field named, in the document or the profile, and pull again",
}


# -- reading a document --------------------------------------------------------------------

def read_fields(docx: bytes, name: str) -> Reading:
    """The body's paragraphs (in tables too) and content controls of a .docx, in reading
    order; tracked changes read as if accepted. Raises NotAPackage when it is not a .docx."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.text.paragraph import Paragraph as DocxParagraph

    from msgen.ooxml import DAMAGED, check_bounds, w

    try:
        check_bounds(docx, file=name)
        document = Document(io.BytesIO(docx))
    except (PackageNotFoundError, ValueError, *DAMAGED):
        raise NotAPackage("this is not a Word document (.docx)", file=name,
                         fix="in Word, save it as 'Word Document (*.docx)'") from None
    paragraphs: list[Paragraph] = []
    controls: list[Shown] = []
    heading = ""
    links = {rid: rel.target_ref for rid, rel in document.part.rels.items() if rel.is_external}
    for element in document.element.body.iter(w("p")):
        frame: list[str] = []
        text: list[str] = []
        found: list[tuple[str, str, tuple[Run, ...]]] = []
        _read_runs(element, frame, text, found, links)
        shown = "".join(text)
        if not shown.strip() and not found:
            continue
        style = DocxParagraph(element, document).style
        where = f"{name}, paragraph {len(paragraphs) + 1}" + (f" (under '{_short(heading, 40)}')" if heading else "")
        if style is not None and (style.name or "").startswith(HEADING_STYLES):
            heading = shown
        paragraphs.append(Paragraph(where, shown, "".join(frame), tuple(path for path, _, _ in found)))
        controls += [Shown(path, value, where, runs) for path, value, runs in found]
    return Reading(tuple(paragraphs), tuple(controls))


def _read_runs(element: Any, frame: list[str], text: list[str], found: list[tuple[str, str, tuple[Run, ...]]],
               links: dict[str, str]) -> None:
    """Add the text under `element` to `text`, and to `frame` with each msgen field as
    {path}; each field's (path, text, runs) to `found`. Controls with the same path and
    nothing between them are one field: the spans of one formatted paragraph."""
    from msgen.ooxml import control_path, w

    for child in element:
        if child.tag in (w("del"), w("moveFrom")):  # tracked deletions: read as accepted
            continue
        if child.tag == w("sdt") and (control := control_path(child)) is not None:
            content = child.find(w("sdtContent"))
            value: list[str] = []
            runs: tuple[Run, ...] = ()
            if content is not None and child.find(f"{w('sdtPr')}/{w('showingPlcHdr')}") is None:
                _read_runs(content, [], value, [], links)  # Word shows "Click here…" in an emptied control
                runs = tuple(_formatted_runs(content, links))
            placeholder = "{" + control + "}"
            if found and next((part for part in reversed(frame) if part), None) == placeholder:
                path, before, earlier = found.pop()
                found.append((path, before + "".join(value), earlier + runs))
            else:
                found.append((control, "".join(value), runs))
                frame.append(placeholder)
            text.extend(value)
        elif child.tag == w("t"):
            frame.append(child.text or "")
            text.append(child.text or "")
        elif child.tag in (w("tab"), w("br"), w("cr")):
            mark = "\t" if child.tag == w("tab") else "\n"
            frame.append(mark)
            text.append(mark)
        else:
            _read_runs(child, frame, text, found, links)


def _formatted_runs(content: Any, links: dict[str, str]) -> Iterator[Run]:
    """The runs of a content control's content with their bold, italic and link (a link
    may wrap the control, as msgen writes it, or sit inside it, as Word may save it)."""
    from docx.oxml.ns import qn

    from msgen.ooxml import w

    for run in content.iter(w("r")):
        if any(a.tag in (w("del"), w("moveFrom")) for a in run.iterancestors()):
            continue
        pieces = [(child.text or "") if child.tag == w("t") else "\t" if child.tag == w("tab") else "\n"
                  for child in run if child.tag in (w("t"), w("tab"), w("br"), w("cr"))]
        if not "".join(pieces):
            continue
        link = next((a for a in run.iterancestors(w("hyperlink"), w("p")) if a.tag == w("hyperlink")), None)
        url = links.get(link.get(qn("r:id"), ""), "") if link is not None else ""
        yield Run("".join(pieces), _switched_on(run, "b"), _switched_on(run, "i"), url)


def _switched_on(run: Any, name: str) -> bool:
    """Whether a run's direct formatting turns `name` (b, i) on: <w:b/>, not <w:b w:val="0"/>."""
    from msgen.ooxml import w

    found = run.find(f"{w('rPr')}/{w(name)}")
    return found is not None and found.get(w("val"), "true").lower() not in ("0", "false", "off")


def markup(runs: tuple[Run, ...]) -> str:
    """The profile's inline markup for formatted runs: **bold**, *italic*, [label](url);
    spaces at a run's edges stay outside the markers, where markdown reads them."""
    text = []
    for url, linked in groupby(runs, key=lambda run: run.url):
        label = []
        for (bold, italic), same in groupby(linked, key=lambda run: (run.bold, run.italic)):
            lead, core, trail = _spaced("".join(run.text for run in same))
            core = f"*{core}*" if italic and core else core
            label.append(lead + (f"**{core}**" if bold and core else core) + trail)
        lead, core, trail = _spaced("".join(label))
        text.append(lead + (f"[{core}]({url})" if url and core else core) + trail)
    return "".join(text)


def _spaced(text: str) -> tuple[str, str, str]:
    """(leading spaces, the words, trailing spaces)."""
    core = text.strip()
    start = len(text) - len(text.lstrip())
    return text[:start], core, text[start + len(core):]


# -- comparing (pure) ------------------------------------------------------------------------

def _same(a: str, b: str) -> bool:
    """Whether two texts read the same (spacing aside)."""
    return a.split() == b.split()


def _short(text: str, width: int = QUOTE_WIDTH) -> str:
    return textwrap.shorten(text, width, placeholder=" …") if text.strip() else text


def changed_words(before: str, after: str) -> tuple[str, str]:
    """The part of each text that differs, with a few words either side for context."""
    old, new = before.split(), after.split()
    blocks = [op for op in SequenceMatcher(None, old, new, autojunk=False).get_opcodes() if op[0] != "equal"]
    if not blocks:
        return before, after
    start = max(0, min(blocks[0][1], blocks[0][3]) - CONTEXT_WORDS)
    old_end, new_end = blocks[-1][2] + CONTEXT_WORDS, blocks[-1][4] + CONTEXT_WORDS

    def span(words: list[str], end: int) -> str:
        return ("… " if start else "") + " ".join(words[start:end]) + (" …" if end < len(words) else "")

    return span(old, old_end), span(new, new_end)


def field_edits(controls: tuple[Shown, ...], data: dict, reviewed: Path, printed: AsPrinted | None = None,
                language: str = ENGLISH) -> tuple[list[FieldEdit], list[Problem]]:
    """Each field whose text in the document differs from the profile (version 2: from
    what msgen `printed`), and a drift entry for each content control whose path the
    profile does not have (as text) or whose formatting the profile cannot hold. In a
    document in Welsh, an edited text the profile gives in one language only is its Welsh
    (the field becomes {en, cy}), unless the text is the same in every language (a name)."""
    from msgen.check import parse_path

    by_path: dict[str, list[Shown]] = {}
    for control in controls:
        by_path.setdefault(control.path, []).append(control)
    edits, unknown, disagreements = [], [], []
    translated = _translated_paths(data) if language != ENGLISH else set()
    for tag, shown in by_path.items():
        path = parse_path(tag)
        current = printed_text(data, path)
        if isinstance(current, int) and not isinstance(current, bool):  # a figure, e.g. staff trained
            unknown += [drift(c.where, f"{tag} is a figure ({current}): '{_short(c.text)}' is not carried back; "
                                       "change it in the profile") for c in shown if not _same(c.text, str(current))]
            continue
        if not isinstance(current, str):
            unknown += [drift(c.where, f"the field {tag} is not in the profile, so '{_short(c.text)}' cannot be "
                                       "carried back") for c in shown]
            continue
        if printed is None:
            changed = [(c, " ".join(c.text.split())) for c in shown if not _same(c.text, current)]
        else:
            changed, problems = printed.changes(shown, current)
            unknown += problems
        texts = list(dict.fromkeys(new for _, new in changed))
        if len(texts) > 1:
            first, other = (next(c for c, new in changed if new == text) for text in texts[:2])
            disagreements.append(Problem(f"'{_short(first.text)}' at {first.where}, but "
                                         f"'{_short(other.text)}' at {other.where}", path))
        elif texts:
            target = path + (language,) if path in translated else path
            edits.append(FieldEdit(target, current.strip(), texts[0], tuple(c.where for c, _ in changed), len(shown)))
    if disagreements:
        raise EditsDisagree(reviewed, disagreements)
    return edits, unknown


@dataclass(frozen=True)
class AsPrinted:
    """Version 2: each field as msgen printed it from this profile (its markup), and the
    fields it prints with inline markup read (paragraphs, list items) rather than as
    written (table cells, names, a status spelt out)."""

    markups: dict[str, set[str]]
    inline: frozenset[str]
    codes: Mapping[str, Mapping[str, str]]  # a data table's codes as the document's language prints them

    def changes(self, shown: list[Shown], current: str) -> tuple[list[tuple[Shown, str]], list[Problem]]:
        """The places where a field no longer reads as printed, each with the profile
        text it now says; drift for a change the profile cannot hold."""
        changed, problems = [], []
        for control in shown:
            printed = self.markups.get(control.path, set())
            if control.markup in printed:
                continue
            new = self.profile_text(control)
            if new is None:
                problems.append(drift(control.where, f"the formatting of {control.path} cannot be written in the "
                                                     "profile, which holds only **bold**, *italic* and [links]"
                                                     "(https://…): make that change in the profile by hand"))
            elif not _same(new, current):
                changed.append((control, " ".join(new.split())))
            elif printed:
                problems.append(drift(control.where, f"{control.path} is printed in msgen's own style, so its "
                                                     "formatting cannot be carried back"))
        return changed, problems

    def profile_text(self, control: Shown) -> str | None:
        """What the profile must hold to print the field as the document shows it; None
        when its formatting is more than inline markup can say."""
        from msgen.document.sections import spans

        if control.path in self.inline:
            printed = tuple(Run(str(span["text"]), span["bold"], span["italic"], span["url"])
                            for span in spans(control.markup, control.path))
            return control.markup if " ".join(markup(printed).split()) == control.markup else None
        text = " ".join(control.text.split())
        codes = self.codes.get(control.path.rpartition(".")[2], {})  # a code printed as words: "Done" is done
        return next((code for code, words in codes.items() if words == text), text)


def printed_text(data: dict, path: tuple) -> Any:
    """The profile's text at a field's path as msgen printed it: a text given in languages
    without the document's language printed as the stand-in to translate."""
    from msgen.check import value_at

    current = value_at(data, path)
    if current is None and path and path[-1] in LANGUAGES and is_in_languages(pair := value_at(data, path[:-1])):
        return text_in(pair, path[-1])
    return current


def _translated_paths(data: dict) -> set[tuple]:
    """The texts the profile gives in one language that a Welsh edit makes a pair of."""
    from msgen.check.rulebook import translatable_texts

    return {path for path, value in translatable_texts(data) if isinstance(value, str)}


def document_language(docx: bytes) -> str:
    """The language a built document is in, as its core properties say ("cy" for cy-GB)."""
    from msgen.ooxml import read_parts

    core = read_parts(docx).get("docProps/core.xml", b"")
    said = re.search(rb"<dc:language>([a-zA-Z]+)", core)
    code = said.group(1).decode("ascii").lower() if said else ENGLISH
    return code if code in LANGUAGES else ENGLISH


def as_printed(profile: Any, templates: Path, built: Reading, language: str = ENGLISH) -> AsPrinted:
    """How msgen printed each field of a version-2 profile, and which fields it reads
    inline markup in: found by printing each text field as '*probe*' and seeing which come
    out as italic 'probe'."""
    import copy

    from msgen.check import parse_path, value_at
    from msgen.document.sections import cell_words, document_rows, load_clauses
    from msgen.profile.loader import LoadedProfile

    markups: dict[str, set[str]] = {}
    for control in built.controls:
        markups.setdefault(control.path, set()).add(control.markup)
    probe = copy.deepcopy(profile.data)
    for tag in markups:
        path = parse_path(tag)
        if path and isinstance(value_at(probe, path), str):
            value_at(probe, path[:-1])[path[-1]] = f"*{PROBE}*"
    probed = in_language(LoadedProfile(profile.path, probe), language)
    documents = ["statement", "charter"] if "supplier_charter" in probe else ["statement"]
    clauses = load_clauses(templates, language)
    fields = [found for document in documents for found in _fields_in(document_rows(probed, clauses, document))]
    return AsPrinted(markups, frozenset(found.path for found in fields if found == PROBE), cell_words(clauses.words))


def _fields_in(value: Any) -> Iterator[Any]:
    from msgen.document.fields import Field

    if isinstance(value, Field):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _fields_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _fields_in(item)


def text_drift(built: tuple[Paragraph, ...], reviewed: tuple[Paragraph, ...]) -> list[Problem]:
    """Each paragraph whose text outside the fields was changed, added or removed."""
    frames = [" ".join(p.frame.split()) for p in built], [" ".join(p.frame.split()) for p in reviewed]
    found = []
    for kind, b1, b2, r1, r2 in SequenceMatcher(None, *frames, autojunk=False).get_opcodes():
        if kind == "equal":
            continue
        pairs = list(zip(built[b1:b2], reviewed[r1:r2]))
        if any(old.fields != new.fields for old, new in pairs):
            pairs = []  # other fields: one paragraph went and another came, not one edited
        found += [drift(new.where, "changed outside any profile field: '{}' → '{}'".format(
            *changed_words(old.text, new.text))) for old, new in pairs]
        found += [drift(new.where, f"added outside any profile field: '{new.text}'" + _copied(new.fields))
                  for new in reviewed[r1 + len(pairs):r2]]
        found += [drift(old.where, f"removed: '{_short(old.text)}'" + _kept(old.fields))
                  for old in built[b1 + len(pairs):b2]]
    return found


def _copied(fields: tuple[str, ...]) -> str:
    return (f" (it repeats {', '.join(dict.fromkeys(fields))}: write the new paragraph into the profile by hand)"
            if fields else "")


def _kept(fields: tuple[str, ...]) -> str:
    return (f" ({', '.join(dict.fromkeys(fields))} stays in the profile: delete it there if the paragraph "
            "should go)" if fields else "")


def _likeness(built: Reading, reviewed: Reading) -> float:
    return SequenceMatcher(None, [p.frame for p in built.paragraphs], [p.frame for p in reviewed.paragraphs],
                           autojunk=False).ratio()


# -- the command -------------------------------------------------------------------------------

def _built_as_draft(docx: bytes) -> bool:
    """Whether the reviewed document was built as a draft (its properties say so): it is
    compared with a draft, which opens with its notice and prints no dates."""
    from msgen.ooxml import CORE_PROPERTIES, NS, parse, read_parts

    core = read_parts(docx).get(CORE_PROPERTIES)
    return core is not None and parse(core).findtext("cp:contentStatus", namespaces=NS) == "Draft"


def pull(reviewed: Path, profile_path: Path, output: Path, *, templates_dir: Path | None = None,
         force: bool = False, profile_changed: bool = False) -> Pulled:
    """Write `profile_path` with the fields edited in `reviewed` to `output` (a file, or a
    folder to write it in under the profile's name; never the profile itself)."""
    from msgen.build import render_profile, templates_folder
    from msgen.document.buildrecord import read_record
    from msgen.commands import load_valid_profile
    from msgen.files import MAX_DOCUMENT_BYTES, read_limited
    from msgen.profile.loader import SUFFIXES, profile_kind
    from msgen.writer import check_not_input, check_writable

    reviewed, profile_path, output = Path(reviewed), Path(profile_path), Path(output)
    if output.is_dir():
        output = output / profile_path.name
    check_not_input(output, [profile_path, reviewed])
    kind = profile_kind(profile_path)
    if SUFFIXES.get(output.suffix.lower()) != kind:
        raise UsageError(f"the new profile must be {kind} like {profile_path.name}", file=output,
                         fix=f"name it with the suffix {profile_path.suffix}")
    profile = load_valid_profile(profile_path)
    check_writable(output, force=force)
    reviewed_bytes = read_limited(reviewed, MAX_DOCUMENT_BYTES, "document")
    document = read_fields(reviewed_bytes, reviewed.name)
    if not document.controls:
        raise NoFields("the document has no msgen fields (content controls) to carry back", file=reviewed,
                       fix="give the .docx msgen build wrote, as edited in Word; a copy saved through "
                           "another program may have lost its fields")

    language = document_language(reviewed_bytes)
    if language not in languages_of(profile.data):
        raise ForeignDocument(f"the document is in {CALLED[language]}, but {profile_path.name} does not publish "
                              "that language (statement.languages); nothing was written", file=reviewed,
                              fix="pull it into the profile it was built from")
    record = read_record(io.BytesIO(reviewed_bytes))
    if record is None:
        _refuse_another_profile(document.controls, profile.data, reviewed, profile_path)
    folder = templates_folder(templates_dir, version=profile.version)
    built = [(data, read_fields(data, reviewed.name))
             for name, data in render_profile(profile, folder, draft=_built_as_draft(reviewed_bytes)).items()
             if name.endswith(f"{LANGUAGE_SUFFIXES[language]}.docx") and (language != ENGLISH or ".cy." not in name)]
    built_bytes, built_reading = max(built, key=lambda item: _likeness(item[1], document))
    rebuilt = read_record(io.BytesIO(built_bytes))
    if rebuilt is None:  # msgen's build writes one into every document
        raise RuntimeError("the document msgen built has no build record")
    notes = _record_notes(record, rebuilt, reviewed, profile_path, profile_changed)
    if record is not None and record.profile_sha256 != rebuilt.profile_sha256 \
            and record.profile_name != rebuilt.profile_name:  # another file's statement, --profile-changed or not
        _refuse_another_profile(document.controls, profile.data, reviewed, profile_path, record_differs=True)
    printed = as_printed(profile, folder, built_reading, language) if profile.version == 2 else None
    edits, unknown_fields = field_edits(document.controls, profile.data, reviewed, printed, language)
    shared = [edit for edit in edits if profile.source_of(edit.path) != profile.path]  # text of a shared file
    edits = [edit for edit in edits if edit not in shared]
    unknown_fields += [drift(where, f"{format_path(edit.path)} is text of the shared file "
                                    f"{profile.source_of(edit.path)}, so '{_short(edit.new)}' is not carried "
                                    "back into this profile; edit the shared file")
                       for edit in shared for where in edit.where]
    _write(profile_path, kind, edits, output, force=force)
    return Pulled(output, edits, unknown_fields + text_drift(built_reading.paragraphs, document.paragraphs), notes)


def _refuse_another_profile(controls: tuple[Shown, ...], data: dict, reviewed: Path, profile: Path, *,
                            record_differs: bool = False) -> None:
    """Without a build record (Word's Document Inspector removes it) the document's fields
    are the only sign of which profile it came from: each must be a text of this profile,
    and the bodies must carry this profile's names, or another body's statement would be
    pulled into this profile. A document built from a profile of another name (taken with
    --profile-changed) may have fields added since, but its bodies must still be these."""
    from msgen.check import parse_path

    for control in controls:
        current = printed_text(data, parse_path(control.path))
        if not isinstance(current, str):
            if record_differs:
                continue
            why = f"its field {control.path} is not in {profile.name}"
        elif _BODY_NAME.fullmatch(control.path) and not _same(control.text, current):
            why = f"it names a body '{_short(control.text, 40)}' where {profile.name} has '{_short(current, 40)}'"
        else:
            continue
        record = "was built from another profile file" if record_differs else "has no build record"
        raise ForeignDocument(
            f"the document {record} and {why}, so it looks built from another profile; "
            "nothing was written", file=reviewed,
            fix="pull it into the profile it was built from; " + (
                "if the body was renamed after the build, give the profile the file name the document was built "
                "from" if record_differs else
                f"if the body was renamed or the field added after the build, make that change in {profile.name} "
                "first"))


def _record_notes(record: BuildRecord | None, rebuilt: BuildRecord, reviewed: Path, profile: Path,
                  profile_changed: bool) -> list[Problem]:
    """What the document's build record says about comparing it with this profile and
    these templates; raises ProfileChanged when the profile changed since the build."""
    if record is None:
        return [Problem(f"the document has no build record, so msgen cannot tell whether {profile.name} changed "
                        "after it was built; check that each field updated below is the reviewer's edit",
                        file=str(reviewed), severity=WARNING)]
    notes = []
    if record.profile_sha256 != rebuilt.profile_sha256:
        if not profile_changed:
            raise ProfileChanged(
                f"the document was built from another version of {profile.name} (sha256 "
                f"{record.profile_sha256[:12]}…, this file is {rebuilt.profile_sha256[:12]}…): a field that "
                "differs may be an edit in Word or a later change to the profile", file=reviewed,
                fix="pull into the version it was built from, or run again with --profile-changed to take "
                    "every field that differs from the document")
        notes.append(Problem(f"built from another version of {profile.name}; every field that differs was "
                             "taken from the document (--profile-changed)", file=str(reviewed), severity=WARNING))
    if record.template_sha256 != rebuilt.template_sha256:
        notes.append(Problem(f"built with another version of {record.template_name}, so differences between the "
                             "templates show as drift; give the templates it was built with (--templates)",
                             file=str(reviewed), severity=WARNING))
    return notes


def _set(data: Any, path: tuple, value: str) -> None:
    """The text at `path` set to `value`, in the style of the text it replaces; a Welsh text
    of a field written in one language makes it {en: the English, cy: the Welsh}."""
    from msgen.profile.edit import same_style

    container = data
    for part in path[:-1]:
        if part == path[-2] and path[-1] in LANGUAGES and isinstance(container[part], str):
            pair = type(data)()  # the data's own mapping type: ruamel's keeps the file's layout
            pair[ENGLISH] = container[part]
            container[part] = pair
        container = container[part]
    old = container[path[-1]] if not isinstance(container, dict) or path[-1] in container \
        else container.get(ENGLISH, "")  # a new Welsh text takes its English's style
    trailing = "\n" if old.endswith("\n") else ""  # a YAML block keeps its own line ending
    container[path[-1]] = same_style(old, value + trailing)


def _write(profile: Path, kind: str, edits: list[FieldEdit], output: Path, *, force: bool) -> None:
    """The profile with `edits`, written to `output` when valid (an unedited profile is
    copied byte for byte)."""
    from msgen.files import read_limited
    from msgen.profile.loader import MAX_PROFILE_BYTES
    from msgen.profile.edit import read_for_editing, write_if_valid, written_like

    raw = read_limited(profile, MAX_PROFILE_BYTES, "profile")
    updated = raw
    if edits:
        data, yaml = read_for_editing(raw, kind)
        for edit in edits:
            _set(data, edit.path, edit.new)
        updated = written_like(data, yaml, raw)
    try:
        write_if_valid(updated, output, force=force, invalid=INVALID)
    except EditedProfileInvalid as exc:
        raise EditedProfileInvalid(list(_naming_edits(exc.problems, edits)), file=output, **INVALID) from None


def _naming_edits(problems: list[Problem], edits: list[FieldEdit]) -> Iterator[Problem]:
    """Each problem, with the document's edit that caused it where there is one."""
    by_path = {edit.path: edit for edit in edits}
    for problem in problems:
        edit = by_path.get(problem.path)
        if edit is None:
            yield problem
        else:
            yield dataclasses.replace(problem, message=f"{problem.message} (the document reads "
                                                       f"'{_short(edit.new)}' at {edit.where[0]})")
