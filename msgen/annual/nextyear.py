"""Move last year's profile on to next year's statement (`msgen next-year`).

Most of a statement carries over (the bodies, their policies, their supply chains);
what is tied to the year must not, or it reappears in next year's document as a
wrong-year date or a stale promise. So the year and period move on by one, last
year's commitments become the progress to report on, and the approval and signature
dates are cleared for `msgen check` to flag until they are filled in.

A version-2 profile's sections are the body's own approved words: msgen never rewrites
them, so every year they mention ("2022", "2021/22", "31 March 2022") is listed with its
field and line for a person to confirm or change.

A YAML profile is edited through ruamel.yaml's round-trip data, so its comments, key
order and quotes survive; the result is validated before it is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterator

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from msgen.commands import load_valid_profile
from msgen.errors import JsonPath, format_path
from msgen.files import read_limited
from msgen.profile.loader import MAX_PROFILE_BYTES, parse_profile
from msgen.profile.languages import ENGLISH, text_in
from msgen.profile.edit import (copy_target, insert_key, read_for_editing, same_style, write_if_valid,
                                written_like)
from msgen.writer import check_writable

TO_REPORT = "to-report"


@dataclass
class Rollover:
    """What moving a profile on changed, and what the officer still has to write."""

    old_year: str  # empty when a version-2 statement names no year
    new_year: str
    moved: list[str] = field(default_factory=list)  # last year's commitments, now to report on
    cleared: list[str] = field(default_factory=list)  # fields removed because they belonged to last year
    to_fill: list[str] = field(default_factory=list)  # fields `msgen check` flags until written
    notes: list[str] = field(default_factory=list)  # things to check by hand
    years: list[YearMention] = field(default_factory=list)  # years in the body's own text, to confirm

    def report(self) -> list[str]:
        """What changed and what is left, as lines for the terminal."""
        return ([f"moved on from {self.old_year} to {self.new_year}" if self.old_year
                 else "no statement.financial_year: the dates moved on a year, the year itself is left unsaid"]
                + [f"moved: {item}" for item in self.moved]
                + [f"cleared: {item}" for item in self.cleared if item not in self.to_fill]
                + [f"left to fill: {item}" for item in self.to_fill]
                + [f"check the year: {mention}" for mention in self.years])


@dataclass
class YearMention:
    """A year written in the body's own text: msgen leaves it for a person to confirm."""

    path: JsonPath
    text: str  # the year as written, e.g. "2021/22" or "31 March 2022"
    line: int | None = None  # in the profile written for next year

    def __str__(self) -> str:
        where = format_path(self.path) + (f" (line {self.line})" if self.line else "")
        return f"{where}: '{self.text}'"


# -- the year itself (pure) ---------------------------------------------------------------

def next_financial_year(financial_year: str) -> str:
    """"2022-23" -> "2023-24"."""
    start = int(financial_year[:4]) + 1
    return f"{start}-{(start + 1) % 100:02d}"


def a_year_later(day: date) -> date:
    """The same day a year on; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def names_year(url: str, financial_year: str) -> bool:
    """Whether a web address obviously belongs to one year's statement: it holds the
    financial year ("2022-23", "2022_2023", "202223") or either calendar year alone."""
    first = int(financial_year[:4])
    second = first + 1
    pair = rf"(?:{first}|{first % 100:02d})[-_/.]?(?:{second}|{second % 100:02d})"
    return re.search(rf"(?<!\d)(?:{pair}|{first}|{second})(?!\d)", url) is not None


# English and Welsh months: a bilingual profile's Welsh texts date things too ("31 Mawrth 2024").
_MONTH = ("(?:January|February|March|April|May|June|July|August|September|October|November|December"
          "|Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr)")
# A year, a financial year in any of the ways bodies write one, or a date ending in a year.
YEAR_IN_TEXT = re.compile(rf"(?:\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+|\b{_MONTH}\s+)?"
                          r"(?<![\d£$€.,])(?:19|20)\d\d(?:\s*[-/\u2013\u2014]\s*(?:(?:19|20)\d\d|\d\d)(?!\d))?(?!,?\d)")


def years_in(text: str) -> list[str]:
    """The years written in `text`: "2022", "2021/22", "2021-22", "31 March 2022"."""
    return [match.group(0) for match in YEAR_IN_TEXT.finditer(text)]


# -- the profile (works on plain JSON data and on ruamel round-trip data alike) ------------

def roll_forward(data: dict) -> Rollover:
    """Move `data` (a valid profile) on by one year, in place; say what changed."""
    version_2 = data.get("schema_version") == 2
    statement = data["statement"]
    old_year = statement.get("financial_year")  # version 2 may not say
    summary = Rollover(str(old_year or ""), next_financial_year(old_year) if old_year else "")
    if old_year:
        statement["financial_year"] = same_style(old_year, summary.new_year)
    for end in ("start", "end") if "period" in statement else ():  # optional in version 2
        statement["period"][end] = _a_year_later(statement["period"][end])
    if isinstance(statement.get("years_producing"), int):  # version 2 may say "unknown"
        statement["years_producing"] += 1
    if old_year:  # a statement with no year cannot be listed among the earlier ones
        _archive_last_statement(statement, old_year, summary)
    if version_2:
        _move_commitments(data.get("data"), "commitments", "data", summary)
        summary.years = list(_years_to_confirm(data))
        summary.notes += [f"{format_path(at + (index,))} is taken from {section['include']}: check the years "
                          "in that file" for at, sections in _section_lists(data)
                          for index, section in enumerate(sections) if "include" in section]
    else:
        _move_commitments(data.get("actions"), "next_year", "actions", summary)
    # The minute number of last year's approval is as stale as its date.
    _clear(data["approval"], "decision_reference", "approval.decision_reference", summary)
    _clear(data["approval"], "date", "approval.date", summary, fill=True)
    for at, signatories in _signatory_lists(data):  # left out, a line to sign by hand is printed
        for index, signatory in enumerate(signatories):
            _clear(signatory, "date", f"{at}[{index}].date", summary, fill=True)
    return summary


def _signatory_lists(data: dict) -> Iterator[tuple[str, list]]:
    """The statement's signatories, and (version 2) each section's own, e.g. a foreword's."""
    yield "signatories", data["signatories"]
    for at, sections in _section_lists(data):
        for index, section in enumerate(sections):
            if isinstance(section, dict) and section.get("signatories"):
                yield format_path(at + (index, "signatories")), section["signatories"]


def _section_lists(data: dict) -> Iterator[tuple[JsonPath, list]]:
    if data.get("schema_version") != 2:
        return
    yield ("sections",), data["sections"]
    charter = data.get("supplier_charter")
    if isinstance(charter, dict) and "sections" in charter:
        yield ("supplier_charter", "sections"), charter["sections"]


def _years_to_confirm(data: dict) -> Iterator[YearMention]:
    """Each year in the titles, the bodies' descriptions and the sections' own text: last
    year's words, approved as they stand, which only a person can tell whether to change."""
    yield from _years_under(data["statement"].get("title", ""), ("statement", "title"))
    for index, body in enumerate(data["bodies"]):
        yield from _years_under(body.get("description", []), ("bodies", index, "description"))
    charter = data.get("supplier_charter")
    if isinstance(charter, dict) and "title" in charter:
        yield from _years_under(charter["title"], ("supplier_charter", "title"))
    for at, sections in _section_lists(data):
        yield from _years_under(sections, at)


def _years_under(value: Any, path: JsonPath) -> Iterator[YearMention]:
    if isinstance(value, str):
        yield from (YearMention(path, year) for year in years_in(value))
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("id", "image", "clause", "data", "area", "include", "section"):  # names, not text
                yield from _years_under(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _years_under(item, path + (index,))


def _a_year_later(value: Any) -> Any:
    """A profile date a year on: an unquoted YAML date stays a date, text stays text."""
    if isinstance(value, date):
        return a_year_later(value)
    return same_style(value, a_year_later(date.fromisoformat(value)).isoformat())


def _archive_last_statement(statement: dict, old_year: Any, summary: Rollover) -> None:
    """Last year's statement joins previous_statements; its publication date goes, and so
    does its address when the address is last year's own page."""
    publication = statement.get("publication", {})
    url = publication.get("statement_url")
    if url is None:
        summary.notes.append(f"no statement.publication.statement_url: add the {old_year} "
                             "statement's web address to statement.previous_statements yourself")
    else:
        _add_previous(statement, old_year, url, summary)
    _clear(publication, "publication_date", "statement.publication.publication_date", summary)
    if url is not None and names_year(url, old_year):
        _clear(publication, "statement_url", "statement.publication.statement_url", summary, fill=True)
    elif url is not None:
        summary.notes.append(f"statement.publication.statement_url ({url}) was kept: make sure the "
                             f"{old_year} statement stays at that address, or correct "
                             "statement.previous_statements")
    if "publication" in statement and not publication:
        _pop(statement, "publication")


def _add_previous(statement: dict, year: Any, url: Any, summary: Rollover) -> None:
    """`year` and `url` are last year's values, so they are written the way they were."""
    earlier = statement.get("previous_statements")
    entry = CommentedMap(year=year, url=url)
    if earlier is None:
        _put(statement, "previous_statements", CommentedSeq([entry]))
    elif any(item.get("year") == year for item in earlier):
        summary.notes.append(f"statement.previous_statements already lists {year}; left as it was")
        return
    elif len(earlier) > 1 and earlier[0].get("year") > earlier[-1].get("year"):
        earlier.insert(0, entry)  # listed newest first: keep it so
    else:
        _append(earlier, entry)
    summary.moved.append(f"statement.previous_statements: the {year} statement ({url})")


def _move_commitments(actions: dict | None, promised: str, at: str, summary: Rollover) -> None:
    """Last year's commitments (`actions[promised]`) become the progress to report; last
    year's progress was reported in last year's statement, so it goes."""
    if actions is None:
        return
    commitments = actions.get(promised, [])
    progress = CommentedSeq(CommentedMap(commitment=text, status=TO_REPORT) for text in commitments)
    _put(actions, promised, CommentedSeq())
    if progress:
        _put(actions, "progress", progress, before=promised)
    elif "progress" in actions:  # nothing was promised, so there is nothing to report
        _pop(actions, "progress")
    for index, entry in enumerate(progress):  # a commitment keeps its end-of-line comment
        token = hasattr(commitments, "ca") and (commitments.ca.items.get(index) or [None])[0]
        if token:
            entry.ca.items["commitment"] = [None, None, token, None]
    summary.moved += [f"{at}.progress[{i}]: {text_in(text, ENGLISH)}" for i, text in enumerate(commitments)]
    summary.to_fill += [f"{at}.progress[{i}].status" for i in range(len(commitments))]
    summary.to_fill.append(f"{at}.{promised}")


def _clear(mapping: dict, key: str, path: str, summary: Rollover, *, fill: bool = False) -> None:
    if key in mapping:
        _pop(mapping, key)
        summary.cleared.append(path)
        if fill:
            summary.to_fill.append(path)


# -- keeping YAML comments in place ------------------------------------------------------
#
# ruamel.yaml hangs the comment lines that follow an entry (often the heading of the
# next section) on the last value before them. Removing or replacing that value would
# take the comments with it, so they are moved to whatever now comes last.

def _pop(mapping: dict, key: str) -> None:
    """Remove `key`, keeping the comment lines that followed it where they stood."""
    keys = list(mapping)
    position = keys.index(key)
    lines = _take_following_lines(*_end_of(mapping, key))
    del mapping[key]
    comments = getattr(mapping, "ca", None)  # ruamel's; a JSON profile's dict has none
    if comments is None:
        return
    comments.items.pop(key, None)
    if position > 0:
        _give_following_lines(*_end_of(mapping, keys[position - 1]), lines)
    elif mapping and lines:  # it was first: the lines go above the key that is first now
        slots = comments.items.setdefault(keys[1], [None, None, None, None])
        slots[1] = [_comment(lines)] + (slots[1] or [])


def _put(mapping: dict, key: str, value: Any, *, before: str | None = None) -> None:
    """Set `key` (replacing its value, else adding it before `before` or last), keeping the
    comment lines that followed the old value (or the mapping's end) after the new one."""
    if key not in mapping and before in mapping:
        insert_key(mapping, list(mapping).index(before), key, value)
        return
    anchor = key if key in mapping else (list(mapping) or [None])[-1]
    lines = _take_following_lines(*_end_of(mapping, anchor)) if anchor is not None else ""
    mapping[key] = value
    _give_following_lines(*_end_of(mapping, key), lines)
    comments = getattr(mapping, "ca", None)
    slots = comments and comments.items.get(key)
    if slots and slots[3] and not value:
        # A comment between the key and its items goes above the key: ruamel cannot print
        # one between a key and an empty [] or {}.
        slots[1], slots[3] = (slots[1] or []) + slots[3], None


def _append(sequence: list, value: Any) -> None:
    lines = _take_following_lines(*_end_of(sequence, len(sequence) - 1)) if sequence else ""
    sequence.append(value)
    _give_following_lines(*_end_of(sequence, len(sequence) - 1), lines)


def _end_of(container: Any, key: Any) -> tuple[Any, Any]:
    """The (container, key) of the last value written for `container[key]`: where ruamel
    keeps the comment lines that follow it."""
    while isinstance(container[key], (dict, list)) and container[key]:
        container = container[key]
        key = list(container)[-1] if isinstance(container, dict) else len(container) - 1
    return container, key


def _slot(container: Any) -> int:
    return 2 if isinstance(container, dict) else 0


def _take_following_lines(container: Any, key: Any) -> str:
    """Detach the whole comment lines after `container[key]`, leaving its end-of-line comment."""
    if not hasattr(container, "ca") or container.ca.items.get(key) is None:
        return ""
    token = container.ca.items[key][_slot(container)]
    if token is None:
        return ""
    if isinstance(container[key], (FoldedScalarString, LiteralScalarString)):
        own, lines = "", " " * token.column + token.value  # a block scalar ends its own line
    else:
        own, newline, lines = token.value.partition("\n")
        own += newline
    if own.strip():
        token.value = own
    else:
        container.ca.items[key][_slot(container)] = None
    return lines


def _give_following_lines(container: Any, key: Any, lines: str) -> None:
    """Hang comment lines after `container[key]` (after its end-of-line comment, if any)."""
    if not hasattr(container, "ca"):
        return
    slots = container.ca.items.setdefault(key, [None, None, None, None])
    token = slots[_slot(container)]
    if lines:
        if token is not None:
            token.value += lines
        else:
            block = isinstance(container[key], (FoldedScalarString, LiteralScalarString))
            token = slots[_slot(container)] = _comment(lines if block else "\n" + lines)
    value = container[key]
    if token is not None and isinstance(value, (CommentedMap, CommentedSeq)) and not value:
        value.ca.comment = [token, None]  # ruamel prints an empty [] or {}'s comment from here


def _comment(text: str) -> CommentToken:
    return CommentToken(text, CommentMark(0), None)


def write_next_year(source: Path, target: Path, *, force: bool = False) -> tuple[Path, Rollover]:
    """Write next year's profile from last year's `source` to `target` (a file, or a folder
    to write it in under the same name; never over `source`); return where it went."""
    source, target = Path(source), Path(target)
    target, kind = copy_target(source, target)
    load_valid_profile(source)  # an invalid profile is fixed first, not carried into next year
    check_writable(target, force=force)
    raw = read_limited(source, MAX_PROFILE_BYTES, "profile")
    data, yaml = read_for_editing(raw, kind)
    summary = roll_forward(data)
    written = written_like(data, yaml, raw)
    write_if_valid(written, target, force=force, invalid={
        "message": "the profile for next year would not be valid, so it was not written",
        "fix": "correct the problems listed above in last year's profile, then run again"})
    if summary.years:  # lines in the file written, where the person will look
        lines = parse_profile(target, written)
        for mention in summary.years:
            mention.line = lines.line_of(mention.path)
    return target, summary


