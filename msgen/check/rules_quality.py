"""The mistakes published statements actually carry: last year's dates, a neighbour's
name, a list lost after a colon, a placeholder or an image's file name left in the text,
an abbreviation nobody spelt out, an empty section."""

from __future__ import annotations

import re
from typing import Any, Iterator

from msgen.check.rulebook import (ASSESSORS, BOTH, ERROR, HOME_OFFICE, PROFILE, SEPARATE_DOCUMENTS, TEXT, TISC, WARNING,
                                  Hit, Subject, add_months, blocks, bodies, data_sources, day, long_date, parse_path,
                                  period, phrases, rule, sections, signatories, value_at)
from msgen.check.bodies import Mention, bodies_serving, body_names_in, places_in
from msgen.profile.loader import JsonPath

_PLACEHOLDER = re.compile(
    r"\[[^\[\]\n]{0,200}\](?!\()|<(?![a-z]+://|/|mailto:|www\.)[^<>@\n]{1,200}>"  # judged by _drafting_mark
    r"|\bTB[CAD]\b|\bto be confirmed\b|(?-i:\b\d*XX+\b)|[\[<(](?:insert|add|enter|include|delete)\b|\blorem ipsum\b"
    r"|\bTODO\b|\?{3,}|(?-i:\bDD/MM/YY(?:YY)?\b)|«[^«»\n]{1,80}»",
    re.IGNORECASE)
# What a [bracketed] or <angled> text holds when it is a drafting mark: nothing but dots or
# symbols, capitals ("[ORGANISATION NAME]"), or a drafting word ("[name of the Chief Constable]").
_DRAFTING_WORDS = re.compile(
    r"^\W*$|^(?-i:[A-Z][A-Z &'’/-]+)$|\b(?:placeholder|insert|add|enter|name|date|details|number|link|url|figure|"
    r"amount|tbc|tba|tbd|x+|confirm|update|complete|check|here|organisation|body|title|signature|year)\b",
    re.IGNORECASE)
_HTML_TAGS = {"br", "p", "b", "i", "u", "em", "strong", "span", "div", "li", "ul", "ol", "a", "sup", "sub"}
_FILE_NAME = re.compile(r"\b[\w-]+\.(?i:png|jpe?g|gif|bmp|tiff?|svg|emf|wmf|docx?|xlsx?|pptx?|pdf|odt)(?![a-z0-9])")
_ABBREVIATION = re.compile(r"\b(?=[0-9A-Z&]*[A-Z])[0-9A-Z][0-9A-Z&]+(?=s?\b)")
# Abbreviations every reader knows; the GOV.UK style guide does not spell these out.
WELL_KNOWN = {"UK", "GOV", "EU", "UN", "US", "USA", "NHS", "HR", "IT", "ICT", "CEO", "PDF", "COVID", "OK", "TV",
              "CCTV", "ID", "MP"}
# Post-nominals: honours, police and fire medals and professional letters after a name
# ("Chief Constable Jane Smith QPM"), which are not spelt out.
POST_NOMINALS = {"GBE", "KBE", "DBE", "CBE", "OBE", "MBE", "BEM", "QPM", "KPM", "QFSM", "KFSM", "QGM", "KGM", "GM",
                 "CVO", "LVO", "MVO", "RVM", "DL", "JP", "KC", "QC", "MCIPS", "FCIPS", "FRSA", "MBA", "LLB", "LLM",
                 "CMgr", "FCMI", "MCMI", "FCCA", "ACCA", "CPFA", "FCA", "ACA"}

# A text ending in ':' is fine only where the document prints its list straight after it:
# these fields are followed by the lists named, unless a field printed in between is given.
_LIST_AFTER: tuple[tuple[JsonPath, tuple[str, ...], tuple[str, ...]], ...] = (
    (("areas", "policies", "introduction"), ("items",), ()),
    (("areas", "due_diligence", "introduction"), ("measures",), ()),
    (("areas", "training", "items", "*", "content"), ("topics",), ("frequency",)),
)
_MEMBER_LISTS = (("areas", "due_diligence", "procurement_collaboration", "members"), ("supplier_charter", "members"))


@rule("quality.dates", ERROR, PROFILE,
      title="Signature and approval dates fall in the statement's year",
      why="Signatures dated before the year ended, or more than a year after it, are usually last "
          "year's dates kept by mistake (Staffordshire's 2022 statement was signed '13.09.21').",
      fix="Set each signatories[].date (and approval.date) to the day this year's statement was "
          "signed or approved; leave a date out to print a line to sign by hand.",
      source=f"{HOME_OFFICE}; {ASSESSORS}", versions=BOTH, family="dates")
def dates(subject: Subject) -> Iterator[Hit]:
    covered = period(subject.data)
    if covered is None:
        return
    _, end = covered
    year_after = add_months(end, 12)
    for at, person in signatories(subject.data):
        signed = day(person.get("date"))
        if signed is None:
            continue
        path = at + ("date",)
        if signed <= end:
            yield path, (f"{person['name']} signed on {long_date(signed)}, before the period ended "
                         f"({long_date(end)})")
        elif signed > year_after:
            yield path, f"{person['name']} signed on {long_date(signed)}, more than a year after the period ended"
        elif signed > subject.today:
            yield path, f"{person['name']} signed on {long_date(signed)}, which is after today"
    approved = day(subject.data["approval"].get("date"))
    if approved and approved > year_after:
        yield ("approval", "date"), f"approved on {long_date(approved)}, more than a year after the period ended"


def _in_member_list(path: JsonPath) -> bool:
    return any(path[:len(prefix)] == prefix for prefix in _MEMBER_LISTS)


def _member_list_text(subject: Subject, where: Any) -> str:
    """In a built document, the text a paragraph shows from a member list (a content
    control tagged with a members path)."""
    if subject.document is None:
        return ""
    return " ".join(text for place, tag, text in subject.document.controls
                    if place == where and _in_member_list(parse_path(tag)))


def _names_of_others(subject: Subject) -> Iterator[tuple[Any, Mention, bool]]:
    """(where, mention, is_bare_place) for each body or area the statement is not from."""
    data = subject.data
    own = bodies_serving(tuple(text for body in bodies(data) for text in (*body.names, body.area_served) if text))
    collaboration = value_at(data, ("areas", "due_diligence", "procurement_collaboration")) or {}
    charter = data.get("supplier_charter", {})
    collaboration_names = [n for n in (collaboration.get("name"), collaboration.get("short_name"),
                                       charter.get("collaboration"), charter.get("short_name")) if n]
    members = [m for path in _MEMBER_LISTS for m in (value_at(data, path) or [])]
    member_bodies = {b for text in members for m in body_names_in(text) + places_in(text) for b in m.bodies}

    for where, text in subject.texts:
        if isinstance(where, tuple) and (_in_member_list(where) or where[:2] == ("data", "partnerships")):
            continue  # naming the members (or partners) is what a member list is for
        names_collaboration = any(name in text for name in collaboration_names)
        listed = _member_list_text(subject, where)

        def foreign(mention: Mention, listed: str = listed, names_collaboration: bool = names_collaboration) -> bool:
            if own.intersection(mention.bodies) or mention.text in listed:
                return False
            return not (names_collaboration and member_bodies.intersection(mention.bodies))

        named = body_names_in(text)
        for mention in named:
            if foreign(mention):
                yield where, mention, False
        for mention in places_in(text):
            inside_name = any(n.start <= mention.start < n.end for n in named)
            if not inside_name and foreign(mention):
                yield where, mention, True


@rule("quality.other-body", ERROR, TEXT,
      title="No other force, commissioner or fire service is named",
      why="A statement that names another body's police force, commissioner or fire service was "
          "usually copied from that body's statement and not fully edited.",
      fix="Replace the other body's name with your own, or remove the sentence. Collaboration members "
          "may be named in the collaboration's members list and in text naming the collaboration.",
      source=f"{TISC}; {ASSESSORS}", versions=BOTH, family="places")
def other_body(subject: Subject) -> Iterator[Hit]:
    for where, mention, bare_place in _names_of_others(subject):
        if not bare_place:
            kind = mention.bodies[0].kind
            yield where, f"names {mention.text}, a {kind} this statement is not from"


@rule("quality.other-area", WARNING, TEXT,
      title="No other body's area is named",
      why="A county served by another force or fire service, on its own ('help available in "
          "Cambridgeshire' in Norfolk's statement), is the commonest trace of copied text.",
      fix="Check the sentence is about your own area; replace the place or remove the sentence.",
      source=f"{TISC}; {ASSESSORS}", versions=BOTH, family="places")
def other_area(subject: Subject) -> Iterator[Hit]:
    for where, mention, bare_place in _names_of_others(subject):
        if bare_place:
            yield where, f"mentions {mention.text}, an area served by other bodies, not by this statement's"


def _followed_by_list(data: dict[str, Any], path: JsonPath) -> bool:
    if data.get("schema_version") == 2:
        return _followed_by_list_v2(data, path)
    if path[0] == "custom_sections" and path[-1] == "paragraph":
        following = value_at(data, path[:-2] + (int(path[-2]) + 1,)) or {}
        return bool(following.get("bullets") or following.get("numbered") or following.get("subheading"))
    for pattern, lists, between in _LIST_AFTER:
        if len(pattern) == len(path) and all(p in ("*", part) for p, part in zip(pattern, path)):
            holder = value_at(data, path[:-1])
            return any(holder.get(key) for key in lists) and not any(key in holder for key in between)
    return False


# Version 2: the blocks a sentence ending in ':' may introduce ("The figures were:" before a table;
# "… four key areas:" before a sub-heading for each area).
_INTRODUCED = ("list", "table", "definitions", "quote", "heading")


def _prints(data: dict[str, Any], block: Any) -> bool:
    """Whether a block prints what a sentence ending in ':' introduces: a list, a table, a
    definition list, a quotation, a sub-heading, or data the profile has (a data block without its own lead-in)."""
    if not isinstance(block, dict):
        return False
    if "data" in block:
        return "lead_in" not in block and any(value_at(data, source) for source in data_sources(block["data"]))
    return any(kind in block for kind in _INTRODUCED)


def _followed_by_list_v2(data: dict[str, Any], path: JsonPath) -> bool:
    """A version-2 text ending in ':' is followed by its list when the next block prints one
    or is a sub-heading (for a section's heading, its first block), when it is a data block's
    lead-in before data the profile has, a list item with sub-items, or a training's content
    before its topics."""
    last = path[-1]
    if last == "lead_in":
        block = value_at(data, path[:-1])
        return any(value_at(data, source) for source in data_sources(block["data"]))
    if last == "text":
        return bool((value_at(data, path[:-1]) or {}).get("items"))
    if path[:2] == ("data", "training") and last == "content":
        return bool(value_at(data, path[:-1]).get("topics"))
    if len(path) >= 3 and path[-3] in ("blocks", "description"):
        return _prints(data, _next_block(value_at(data, path[:-2]), int(path[-2]) + 1))
    if last == "heading" and len(path) >= 3 and path[-3] == "sections":
        return _prints(data, _next_block(value_at(data, path[:-1] + ("blocks",)), 0))
    return False


def _next_block(blocks: list, start: int) -> Any:
    """The block at `start`, None at the end."""
    return blocks[start] if start < len(blocks) else None


@rule("quality.lost-list", ERROR, PROFILE,
      title="No sentence ends in ':' without its list",
      why="A sentence that introduces a list ('Due diligence activities include:') followed by no "
          "list reads as a document that lost its content (Nottinghamshire's 2022 statement, and the "
          "risk section of Cambridgeshire's and Norfolk's).",
      fix="End the sentence with a full stop, or put the list straight after it: an introduction "
          "before its policies or measures, a training's content before its topics, a custom "
          "paragraph before a bullets block (version 2: a list, table or data block right after "
          "the paragraph, or a data block's lead_in before data the profile has).",
      source=f"{ASSESSORS}", versions=BOTH, family="lists")
def lost_list(subject: Subject) -> Iterator[Hit]:
    for path, text in subject.texts:
        if text.rstrip().endswith(":") and not _followed_by_list(subject.data, path):
            yield path, "ends with ':' but no list follows it"


@rule("quality.placeholder", ERROR, TEXT,
      title="No placeholders left in the text",
      why="'TBC', 'XX', '[insert ...]', '[PLACEHOLDER: ...]', '[…]', '<name>', '[ORGANISATION NAME]' and "
          "'lorem ipsum' are drafting marks; published, they tell the reader the statement was never finished.",
      fix="Replace the placeholder with the real text, or remove the sentence.",
      source=f"{ASSESSORS}", versions=(1, 2), family="placeholder", languages=("en", "cy"))
def placeholder(subject: Subject) -> Iterator[Hit]:
    for where, found in phrases(subject, _PLACEHOLDER):
        if _drafting_mark(found.group()):
            yield where, f"contains the placeholder '{found.group()}'"


def _drafting_marks(text: str) -> list[tuple[int, int]]:
    """Where the text has a placeholder or a file name: their capitals ('TBC', '[ORGANISATION
    NAME]', 'NEW.PNG') are what those rules report, not abbreviations to spell out."""
    found = [m for m in _PLACEHOLDER.finditer(text) if _drafting_mark(m.group())] + list(_FILE_NAME.finditer(text))
    return [m.span() for m in found]


def _drafting_mark(found: str) -> bool:
    """Whether a match is a drafting mark: every match is, but a bracketed text only when
    it holds one ("[sic]", a footnote's "[1]" and "<br>" are not)."""
    if found[0] not in "[<" or found[1:].lower().startswith(("insert", "add", "enter", "include", "delete")):
        return True
    inside = found[1:-1].strip()
    return not inside.isdigit() and inside.lower() not in _HTML_TAGS and bool(_DRAFTING_WORDS.search(inside))


@rule("quality.file-name", ERROR, TEXT,
      title="No file names in the text",
      why="An image or document's file name in the text ('Modern Slavery NEW.PNG' at the top of "
          "Norfolk's statement) is what is left when a picture or attachment failed to copy.",
      fix="Remove the file name; put a signature in signatories[].signature_image, and link "
          "documents by web address.",
      source=f"{ASSESSORS}", versions=(1, 2), family="residue")
def file_name(subject: Subject) -> Iterator[Hit]:
    for where, found in phrases(subject, _FILE_NAME):
        word = found.string[found.string.rfind(" ", 0, found.start()) + 1:found.end()]
        if "://" not in word and not word.startswith("www."):  # a web address may end in .pdf
            yield where, f"contains the file name '{found.group()}'"


def _residue(text: str) -> list[tuple[int, int]]:
    """Where the text has web or page residue ('PDF, 245KB', 'OFFICIAL'): the writing rules
    report it, and its capitals are no abbreviation to spell out."""
    from msgen.check.rules_writing import _PAGE_RESIDUE, _WEB_RESIDUE

    return [m.span() for pattern in (_PAGE_RESIDUE, _WEB_RESIDUE) for m in pattern.finditer(text)]


def _defined_by_templates(data: dict[str, Any]) -> set[str]:
    """Abbreviations the templates spell out themselves: each body's and collaboration's
    (in version 2, the bodies' short names, where an abbreviations clause spells them out)."""
    if data.get("schema_version") == 2:
        if not any(block.get("clause") == "abbreviations" for _, block in blocks(data)):
            return set()
        return {body["short_name"] for body in data["bodies"] if "short_name" in body}
    holders = data["organisations"] + [value_at(data, ("areas", "due_diligence", "procurement_collaboration")) or {},
                                       data.get("supplier_charter", {})]
    return {holder["short_name"] for holder in holders if "short_name" in holder}


@rule("quality.abbreviation", WARNING, PROFILE,
      title="Abbreviations are spelt out before they are used",
      why="Readers outside policing do not know MSHT, NRM or PIP2; an abbreviation is written in full "
          "the first time, with the abbreviation after it in brackets.",
      fix="At the first use, write the words in full followed by the abbreviation in brackets, e.g. "
          "'National Referral Mechanism (NRM)'.",
      source=f"{HOME_OFFICE}; GOV.UK style guide, 'Abbreviations and acronyms'", versions=BOTH, family="abbreviations")
def abbreviation(subject: Subject) -> Iterator[Hit]:
    defined_from_start = _defined_by_templates(subject.data) | WELL_KNOWN | POST_NOMINALS
    defined: dict[str, set[str]] = {}  # per document: the statement and the supplier charter
    for path, text in subject.texts:
        if path[0] == "registry":
            continue  # each registry answer is a short box of its own on GOV.UK
        document = path[0] if path[0] in SEPARATE_DOCUMENTS else "statement"
        known = defined.setdefault(document, set(defined_from_start))
        marks = _drafting_marks(text) + _residue(text)
        for found in _ABBREVIATION.finditer(text):
            word = found.group()
            if word in known or any(start <= found.start() < end for start, end in marks):
                continue
            known.add(word)  # reported once; later uses are not the first
            spelt_out = text[found.start() - 1:found.start()] == "(" or text[found.end():].startswith(" (")
            if not spelt_out:
                yield path, f"'{word}' is used before it is spelt out"


def _empty_places(value: Any, path: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    if isinstance(value, dict):
        if not value:
            yield path, "is an empty section"
        for key, child in value.items():
            yield from _empty_places(child, path + (key,))
    elif isinstance(value, list):
        if not value:
            yield path, "is an empty list"
        for index, child in enumerate(value):
            yield from _empty_places(child, path + (index,))
    elif isinstance(value, str) and not value.strip():
        yield path, "is blank"


@rule("quality.empty", WARNING, PROFILE,
      title="No empty lists or sections",
      why="An empty list or section prints as a heading with nothing under it, which reads as lost content.",
      fix="Fill the list or section in, or remove it from the profile.",
      source=f"{ASSESSORS}", versions=BOTH)
def empty(subject: Subject) -> Iterator[Hit]:
    for path, problem in _empty_places(subject.data, ()):
        if not (path[-1:] == ("blocks",) and value_at(subject.data, path[:-1]).get("signatories")):
            yield path, problem  # a section of signatures alone (a foreword) has no blocks
    for index, section in enumerate(subject.data.get("custom_sections", [])):
        if all("subheading" in block for block in section["content"]):
            yield ("custom_sections", index, "content"), "has only subheadings, no text"
    for at, section in sections(subject.data):
        if section["blocks"] and all("heading" in block for block in section["blocks"]):
            yield at + ("blocks",), "has only headings, no text"
