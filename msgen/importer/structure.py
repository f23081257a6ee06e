"""Paragraphs become a version-2 profile: sections with their headings and numbering, blocks,
the signature blocks, the approval sentence, the financial year and the bodies named.

Whatever is not clearly stated in the source becomes an [insert …]/[check …] value or a YAML
comment at that field, so a person confirms it before the statement builds as final.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from msgen.importer.bodies import NamedBody, find_bodies, unnamed_commissioner
from msgen.importer.footnotes import with_footnotes
from msgen.importer.sources import Para

NUMBER = re.compile(r"^(\d+(?:\.\d+)*\.?)\s+(?=\S)")
FIELD_LABEL = re.compile(r"^(Name|Date|Signature|Signed|Position|Role)\s*:", re.IGNORECASE)
AREA_WORDS = {
    "structure": ("structure", "supply chain", "about the organisation", "about us", "our organisation"),
    "policies": ("polic",),
    "risk": ("risk",),
    "due_diligence": ("due diligence",),
    "training": ("training",),
    "effectiveness": ("effectiveness", "kpi", "performance indicator", "measuring"),
}
MONTHS = {name: number for number, names in enumerate(
    [("january", "ionawr"), ("february", "chwefror"), ("march", "mawrth"), ("april", "ebrill"), ("may", "mai"),
     ("june", "mehefin"), ("july", "gorffennaf"), ("august", "awst"), ("september", "medi"), ("october", "hydref"),
     ("november", "tachwedd"), ("december", "rhagfyr")], start=1) for name in names}  # English and Welsh
LONG_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)
SHORT_DATE = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})\b")
APPROVAL = re.compile(r"approved by (?:the )?(?P<who>[^.]+?) on (?P<date>[^.]+?\d{4})"
                      r"(?: at (?:the |a )?(?P<meeting>[A-Z][\w' -]*?(?:Board|Meeting|Committee|Panel|Group)))?",
                      re.IGNORECASE)
FINANCIAL_YEAR = re.compile(r"\b(20\d\d)\s*(?:-|–|/|to)\s*(?:20)?(\d\d)\b")
TITLE_YEAR = re.compile(r"\b(20\d\d)\b")
# A paragraph wholly in double quotes is a quotation; a dash-led line after one names its source.
QUOTED = re.compile(r'^["“][^"“”]+["”]$')
QUOTE_SOURCE = re.compile(r"^[—–―]\s*(\S.*)$")


@dataclass
class Found:
    """What the import recovered and what a person must still confirm (the terminal summary)."""

    sections: int = 0
    lists: int = 0
    tables: int = 0
    quotes: int = 0
    notes: int = 0
    signatories: int = 0
    bodies: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    to_confirm: list[str] = field(default_factory=list)


def parse_date(text: str) -> date | None:
    """dd.mm.yy, dd/mm/yyyy or "26th November 2020"; None when no real date is there."""
    try:
        long = LONG_DATE.search(text)
        if long:
            return date(int(long.group(3)), MONTHS[long.group(2).lower()], int(long.group(1)))
        short = SHORT_DATE.search(text)
        if short:
            year = int(short.group(3))
            return date(year + 2000 if year < 100 else year, int(short.group(2)), int(short.group(1)))
    except ValueError:
        return None
    return None


def slugify(text: str, limit: int = 40) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > limit:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "section"


def looks_like_heading(paras: list[Para], index: int) -> bool:
    """A short line without final punctuation, optionally numbered, followed by body text."""
    para = paras[index]
    if para.kind != "p" or FIELD_LABEL.match(para.text):
        return False
    number = NUMBER.match(para.text)
    words = para.text.split()
    if len(words) > (30 if number else 12) or para.text[-1] in ".,;:!?" or not (para.text[0].isupper() or number):
        return False
    following = paras[index + 1] if index + 1 < len(paras) else None
    if following is None:
        return False
    if following.kind == "p" and not looks_like_body(following.text) and not NUMBER.match(para.text):
        return False  # a run of short lines is an address or signature block, not a heading
    return True


def looks_like_body(text: str) -> bool:
    return text[-1] in ".:;!?" or len(text.split()) > 12


def guess_areas(heading: str) -> list[str]:
    lowered = heading.lower()
    return [area for area, words in AREA_WORDS.items() if any(word in lowered for word in words)]


def build_profile(paras: list[Para], found: Found) -> dict:
    """The profile's fields, in schema order, with comments recorded as (field path, comment)."""
    found.dropped = [para.text for para in paras if para.kind == "residue"]
    signature_blocks, paras = split_signatures(with_footnotes([para for para in paras if para.kind != "residue"]))
    text = "\n".join(p.text for p in paras if p.kind != "table")
    title, paras = take_title(paras)
    bodies = find_bodies(text + "\n" + "\n".join(" ".join(block) for block in signature_blocks))
    found.bodies = [body.name for body in bodies]
    profile: dict = {"#": [f"dropped as residue: {text}" for text in found.dropped],
                     "schema_version": 2, "slug": slugify(title if not title.startswith("[") else "statement")}
    profile["statement"] = statement_fields(title, text, found)
    profile["bodies"] = body_fields(bodies, unnamed_commissioner(text, bodies), found)
    profile["sections"] = sections(paras, found)
    profile["approval"] = approval_fields(text, found)
    profile["signatories"] = signatory_fields(signature_blocks, profile["bodies"], bodies, found)
    return profile


def take_title(paras: list[Para]) -> tuple[str, list[Para]]:
    if paras and paras[0].kind == "heading" and paras[0].level == 0:
        return paras[0].text, paras[1:]
    if paras and paras[0].kind == "p" and not NUMBER.match(paras[0].text) and "statement" in paras[0].text.lower() \
            and paras[0].text[-1] not in ".:;":
        return paras[0].text, paras[1:]
    return "[insert the statement's title as published]", paras


def statement_fields(title: str, text: str, found: Found) -> dict:
    statement: dict = {"title": title}
    year = FINANCIAL_YEAR.search(text)
    if year and int(year.group(2)) == (int(year.group(1)) + 1) % 100:
        statement["financial_year"] = f"{year.group(1)}-{year.group(2)}"
        start = int(year.group(1))
    else:
        years = [int(year) for year in TITLE_YEAR.findall(title)] or [int(year) for year in TITLE_YEAR.findall(text)]
        start = max(years) if years else 2000
        statement["financial_year"] = f"{start:04d}-{(start + 1) % 100:02d}"
        found.to_confirm.append("statement.financial_year: the text names none")
        statement["#financial_year"] = (f"check: the text names no financial year; {start} is the latest year it names"
                                        if years else "insert: the text names no year at all")
        return statement
    statement["period"] = {"start": date(start, 4, 1), "end": date(start + 1, 3, 31)}
    statement["#period"] = "check: April to March of the financial year the text names"
    return statement


def body_fields(bodies: list[NamedBody], unnamed: str, found: Found) -> list[dict]:
    """The bodies recognised; an office the text names without its area ("the OPCC") is a
    comment to act on, never a body made up from it."""
    if unnamed:
        found.to_confirm.append(f"bodies: the text names '{unnamed}' without its area; add it if it is a party")
    if not bodies:
        found.to_confirm.append("bodies: no body recognised")
        return [{"id": "body", "legal_name": "[insert the legal name of the body]", "type": "other",
                 "#type": "insert: police-force, pcc-office, fire-and-rescue, ..."}]
    entries = []
    for body in bodies:
        entry = {"id": slugify(body.name), "legal_name": body.name, "type": body.type,
                 "#legal_name": "check: the name as the text writes it; is it the legal entity?"}
        if body.unsure_type:
            entry["#type"] = f"check: {body.unsure_type}"
            found.to_confirm.append(f"bodies: the type of {body.name}")
        entries.append(entry)
    if unnamed:
        entries[-1]["#type"] = (entries[-1].get("#type", "") + f"; the text also names '{unnamed}' without its "
                                "area: add that office as a body if it is a party to this statement").lstrip("; ")
    return entries


def approval_fields(text: str, found: Found) -> dict:
    match = APPROVAL.search(text)
    approved = parse_date(match.group("date")) if match else None
    if not match or approved is None:
        found.to_confirm.append("approval: no approval sentence found")
        return {"body": "[insert the board or meeting that approved the statement]"}
    return {"body": (match.group("meeting") or match.group("who")).strip(), "date": approved}


@cache
def _signatories_headers() -> list[list[str]]:
    """The header row of msgen's own signature block (who | signing space | date) in each
    language msgen writes, as its clause files word it."""
    from msgen.document.sections import msgen_words
    from msgen.profile.languages import LANGUAGES

    return [[words["signatory"], words["signature"], words["date"]] for words in map(msgen_words, LANGUAGES)]


def split_signatures(paras: list[Para]) -> tuple[list[list[str]], list[Para]]:
    """Signature blocks ("Name: … / role / body / Signature: / Date: …") out of the text."""
    blocks: list[list[str]] = []
    rest: list[Para] = []
    current: list[str] | None = None
    for para in paras:
        if para.kind == "table" and para.rows and para.rows[0] in _signatories_headers():
            blocks += [[f"Name: {who.splitlines()[0]}", *who.splitlines()[1:], f"Date: {date}"]
                       for who, _, date in para.rows[1:] if who.strip()]
            continue
        if para.kind == "p" and para.text.lower().startswith("name:"):
            current = [para.text]
            blocks.append(current)
            continue
        in_block = para.kind == "p" and (FIELD_LABEL.match(para.text) or not looks_like_body(para.text))
        if current is not None and in_block:
            current.append(para.text)
            if para.text.lower().startswith("date"):
                current = None
            continue
        current = None
        rest.append(para)
    return blocks, rest


def signatory_fields(blocks: list[list[str]], body_entries: list[dict], bodies: list[NamedBody],
                     found: Found) -> list[dict]:
    signatories = []
    for block in blocks:
        name = block[0].split(":", 1)[1].strip() or "[insert the signatory's name]"
        plain = [line for line in block[1:] if not FIELD_LABEL.match(line)]
        role = plain[0] if plain else "[insert the signatory's role]"
        organisation, unmatched = _organisation(role, plain[1:], body_entries, bodies)
        signatory: dict = {"name": name, "role": role, "organisation": organisation}
        if unmatched or not plain:
            also = "; the block also reads " + " / ".join(unmatched) if unmatched else ""
            signatory["#organisation"] = f"check: the body this signatory signs for{also}"
            found.to_confirm.append(f"signatory {name}: role and body")
        dated = [re.sub(r"^date\s*:?\s*", "", line, flags=re.IGNORECASE) for line in block
                 if line.lower().startswith("date")]
        signed = parse_date(dated[0]) if dated else None
        if signed:
            signatory["date"] = signed
            signatory["#date"] = f"check: as the source gives it ({dated[0]})"
        elif dated and dated[0]:  # a date is there but not one msgen can read: never guessed
            unread = f"the block's date '{dated[0]}' could not be read: add date: YYYY-MM-DD"
            signatory["#organisation"] = f"{signatory['#organisation']}; {unread}" if "#organisation" in signatory \
                else f"check: {unread}"
            found.to_confirm.append(f"signatory {name}: the date '{dated[0]}'")
        signatories.append(signatory)
    if not signatories:
        found.to_confirm.append("signatories: none found")
        signatories.append({"name": "[insert the signatory's name]", "role": "[insert the signatory's role]",
                            "organisation": body_entries[0]["id"]})
    found.signatories = len(blocks)
    return signatories


ROLE_BODY_TYPES = {"commissioner": ("pcc-office", "pfcc-office"), "constable": ("police-force",),
                   "fire": ("fire-and-rescue", "fire-authority", "combined-fire-authority")}


def _organisation(role: str, lines: list[str], body_entries: list[dict],
                  bodies: list[NamedBody]) -> tuple[str, list[str]]:
    """The id of the body a signatory signs for, and the lines of the block naming no known body."""
    unmatched: list[str] = []
    for line in lines:
        for entry, body in zip(body_entries, bodies):
            if line.lower() in body.name.lower() or body.name.lower() in line.lower():
                return entry["id"], unmatched
        unmatched.append(line)
    for word, types in ROLE_BODY_TYPES.items():
        if word in role.lower():
            for entry, body in zip(body_entries, bodies):
                if body.type in types:
                    return entry["id"], unmatched
    return body_entries[0]["id"], unmatched


def sections(paras: list[Para], found: Found) -> list[dict]:
    result: list[dict] = []
    ids: set[str] = set()
    current: dict | None = None
    for index, para in enumerate(paras):
        if para.kind == "heading" or looks_like_heading(paras, index):
            current = _section(para, ids, found)
            result.append(current)
            continue
        if current is None:
            current = {"id": _unique("opening", ids), "blocks": []}
            result.append(current)
        _add_block(current["blocks"], para, found)
    for section in result:
        if "covers" not in section:
            _guess_from_wording(section, found)
    found.sections = len(result)
    return result


def _guess_from_wording(section: dict, found: Found) -> None:
    """A section whose heading names no area ("Our approach") is tagged with the areas its
    text keeps coming back to: words of an area used at least twice, since one passing
    mention ("our policies") is no sign the section reports on it."""
    text = " ".join(_strings(section["blocks"])).lower()
    areas = [area for area, words in AREA_WORDS.items() if sum(text.count(word) for word in words) >= 2]
    if areas:
        section["covers"] = areas
        section["#covers"] = "guessed from the wording: check"
        found.areas.extend(area for area in areas if area not in found.areas)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def _section(para: Para, ids: set[str], found: Found) -> dict:
    number = NUMBER.match(para.text)
    heading = para.text[number.end():] if number else para.text
    section: dict = {"id": _unique(slugify(heading), ids), "heading": heading}
    if number:
        section["number"] = number.group(1)
    level = para.level if para.kind == "heading" else (number.group(1).rstrip(".").count(".") + 1 if number else 1)
    if level > 1:
        section["level"] = level
    areas = guess_areas(heading)
    if areas:
        section["covers"] = areas
        section["#covers"] = "guessed from the heading: check"
        found.areas.extend(area for area in areas if area not in found.areas)
    section["blocks"] = []
    return section


def _unique(candidate: str, ids: set[str]) -> str:
    name, counter = candidate, 2
    while name in ids:
        name = f"{candidate}-{counter}"
        counter += 1
    ids.add(name)
    return name


def _add_block(blocks: list[dict], para: Para, found: Found) -> None:
    if para.kind == "table":
        rows = [row for row in para.rows if any(row)]
        if rows:
            blocks.append({"table": {"header": rows[0], "rows": rows[1:] or [[""] * len(rows[0])]}})
            found.tables += 1
        return
    if para.kind == "note":
        blocks.append({"note": para.text})
        found.notes += 1
        return
    source = QUOTE_SOURCE.match(para.text) if para.kind == "p" else None
    if source and blocks and "quote" in blocks[-1] and "source" not in blocks[-1]:
        blocks[-1]["source"] = source.group(1)
        return
    if para.kind == "quote" or para.kind == "p" and QUOTED.match(para.text):
        blocks.append({"quote": para.text})
        found.quotes += 1
        return
    if para.kind != "item":
        blocks.append({"p": para.text})
        return
    same_kind = para.level > 1 or blocks[-1].get("numbered", False) == para.numbered if blocks else False
    same_list = blocks and "list" in blocks[-1] and same_kind
    if not same_list:
        blocks.append({"list": []})
        found.lists += 1
        if para.numbered:
            blocks[-1]["numbered"] = True
    _add_item(blocks[-1]["list"], para.text, para.level)


def _add_item(items: list, text: str, level: int) -> None:
    if level > 1 and items:
        last = items[-1]
        if isinstance(last, str):
            last = items[-1] = {"text": last, "items": []}
        _add_item(last["items"], text, level - 1)
        return
    items.append(text)
