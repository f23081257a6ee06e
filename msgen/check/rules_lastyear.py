"""This year's statement against last year's (`msgen check PROFILE --last-year LAST`).

Assessors mark down a statement re-issued with only its date changed, indicators given
without last year's result, and commitments never reported on (Ergon 2018: many second
statements changed nothing but the date; FRC/Lancaster 2022: a quarter report KPI results).
Last year's statement is its profile or the .docx msgen built from it: a built document's
content controls give back the fields they print (its commitments and indicators), and
its paragraphs give the words a reader saw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from msgen.check.rulebook import (ASSESSORS, BOTH, HOME_OFFICE, LAST_YEAR, PROFILE, REGISTRY, SEPARATE_DOCUMENTS,
                                  WARNING, Hit, Subject, parse_path, profile_texts, rule, value_at)
from msgen.profile.loader import JsonPath, LoadedProfile

ERGON = "Ergon Associates, 'Modern slavery reporting: is there evidence of progress?' (2018)"
FRC = "FRC Lab and Lancaster University, modern slavery reporting review (2022)"
SAME_COMMITMENT = 0.8  # how alike two wordings must be (difflib's ratio) to be the same commitment or indicator
CARRIED_OVER_WORDS = 25  # a section shorter than this (a heading and a line) may well stay the same
CARRIED_OVER_SHARE = 0.9  # the share of a section's words in texts last year's statement had


@dataclass(frozen=True)
class LastYear:
    """Last year's statement: its fields (all of them from a profile, those a built
    document's content controls print from a .docx) and every text a reader saw."""

    data: dict[str, Any]
    texts: tuple[str, ...]


def from_profile(profile: LoadedProfile) -> LastYear:
    return LastYear(profile.data, tuple(text for _, text in profile_texts(profile.data)))


def from_document(path: Path) -> LastYear:
    """Last year's built .docx: the fields its content controls print, put back at their paths."""
    from msgen.check.rules_docx import read_document

    document = read_document(path)
    data: dict[str, Any] = {}
    for _, tag, text in document.controls:
        _put(data, parse_path(tag), text)
    return LastYear(data, tuple(text for _, text in document.texts))


def _put(data: dict[str, Any], path: JsonPath, value: str) -> None:
    """Set the value at a profile path, making the mappings and lists on the way (a list's
    items not printed stay None)."""
    holder: Any = data
    for part, following in zip(path, path[1:]):
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(part, int):
            holder.extend(None for _ in range(part + 1 - len(holder)))
            if holder[part] is None:
                holder[part] = empty
            holder = holder[part]
        else:
            holder = holder.setdefault(part, empty)
    if isinstance(path[-1], int):
        holder.extend(None for _ in range(path[-1] + 1 - len(holder)))
    holder[path[-1]] = value


def _words(text: str) -> str:
    """A text as compared: its words, lower case, without punctuation or spacing."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def _alike(one: str, other: str) -> bool:
    from difflib import SequenceMatcher  # only --last-year compares wordings: a plain check does not load it

    return SequenceMatcher(None, _words(one), _words(other)).ratio() >= SAME_COMMITMENT


def _quoted(text: str, most: int = 70) -> str:
    return text if len(text) <= most else text[:most].rsplit(" ", 1)[0] + " …"


# -- what both versions of the profile hold, read alike -----------------------------------

# Where each version of the profile keeps what it commits to for next year, its progress on
# last year's commitments and its indicators. Last year's statement is read at both: a
# built document does not say which version it was built from.
COMMITMENTS = (("data", "commitments"), ("actions", "next_year"))
PROGRESS = (("data", "progress"), ("actions", "progress"))
KPIS = (("data", "kpis"), ("areas", "effectiveness", "kpis"))


def _of_version(data: dict[str, Any], places: tuple[JsonPath, JsonPath]) -> JsonPath:
    return places[0] if data.get("schema_version") == 2 else places[1]


def _items(data: dict[str, Any], places: tuple[JsonPath, ...], kind: type) -> list[Any]:
    return [item for at in places for item in (value_at(data, at) or []) if isinstance(item, kind)]


def _sections(data: dict[str, Any]) -> dict[JsonPath, list[str]]:
    """The texts of each part of the statement a reader takes as one section (version 2's
    sections; version 1's introduction, scope, areas and actions); the bodies' own
    descriptions, version 2's data (policies, indicators), headings and the separate
    documents left out: they rightly change little."""
    parts: dict[JsonPath, list[str]] = {}
    for path, text in profile_texts(data):
        if path[0] in (*SEPARATE_DOCUMENTS, "bodies", "organisations", "signatories", "approval", "data") \
                or path[:2] == ("statement", "title") or path[-1] in ("heading", "title", "commitment"):
            continue  # a progress report quotes last year's commitment, as it should
        parts.setdefault(path[:2], []).append(text)
    return parts


@rule("last-year.carried-over", WARNING, LAST_YEAR,
      title="Sections say what happened this year",
      why="A section carried over from last year word for word reports last year's steps as this year's; "
          "assessors found many second statements that changed nothing but the date.",
      fix="Rewrite the section with this year's steps, results and changes (what was done, what was found, "
          "what is different from last year).",
      source=f"{HOME_OFFICE}; {ERGON}; {ASSESSORS}", versions=BOTH)
def carried_over(subject: Subject) -> Iterator[Hit]:
    seen = {_words(text) for text in subject.last_year.texts}
    last_year = "\n".join(seen)  # a built document may print a text inside more ("Source: Home Office")
    for at, texts in _sections(subject.data).items():
        words = sum(len(text.split()) for text in texts)
        kept = sum(len(text.split()) for text in texts if _words(text) in seen or _words(text) in last_year)
        if words >= CARRIED_OVER_WORDS and kept >= CARRIED_OVER_SHARE * words:
            yield at, f"is word for word as last year: '{_quoted(max(texts, key=len))}'"


@rule("last-year.commitment-unreported", WARNING, LAST_YEAR,
      title="Every commitment made last year is reported on",
      why="Readers and assessors look for what became of each commitment the statement made last year; one "
          "that is not mentioned again reads as dropped without a word.",
      fix="Add each of last year's commitments to the progress this year (version 2: data.progress; "
          "version 1: actions.progress) with its status and evidence.",
      source=f"{HOME_OFFICE}; {ASSESSORS}; {FRC}", versions=BOTH)
def commitment_unreported(subject: Subject) -> Iterator[Hit]:
    at = _of_version(subject.data, PROGRESS)
    progress = [item.get("commitment", "") for item in _items(subject.data, (at,), dict)]
    for promised in _items(subject.last_year.data, COMMITMENTS, str):
        if promised.strip() and not any(_alike(promised, reported) for reported in progress):
            yield at, f"the commitment '{promised}', made last year, is not reported on"


@rule("last-year.kpi-previous", WARNING, LAST_YEAR,
      title="Indicators give last year's figure",
      why="An indicator means something only against last year's result; the FRC and Lancaster review "
          "found only a quarter of statements reported results over time.",
      fix="Give each indicator measured last year its previous figure (the `previous` field), as last "
          "year's statement reported it.",
      source=f"{HOME_OFFICE}; {FRC}", versions=BOTH)
def kpi_previous(subject: Subject) -> Iterator[Hit]:
    at = _of_version(subject.data, KPIS)
    last_year = _items(subject.last_year.data, KPIS, dict)
    for index, kpi in enumerate(value_at(subject.data, at) or []):
        measured = next((old for old in last_year if _alike(old.get("name", ""), kpi["name"]) and old.get("actual")),
                        None)
        if measured is None:
            continue
        if not kpi.get("previous"):
            yield at + (index,), (f"'{kpi['name']}' was {measured['actual']} last year, but its previous figure "
                                  "is not given")
        elif _words(kpi["previous"]) != _words(measured["actual"]):
            yield at + (index, "previous"), (f"'{kpi['name']}' gives last year's figure as {kpi['previous']}, but "
                                             f"last year's statement reported {measured['actual']}")


@rule("last-year.previous-link", WARNING, PROFILE,
      title="Links to earlier statements lead to them",
      why="An earlier statement linked at this year's address leads readers back to this statement, and "
          "one listed twice hides the year that is missing; the registry and assessors compare the years.",
      fix="Give each entry of statement.previous_statements its own year and the address where that "
          "year's statement stays published.",
      source=f"{REGISTRY}; {ASSESSORS}", versions=BOTH)
def previous_link(subject: Subject) -> Iterator[Hit]:
    statement = subject.data["statement"]
    current = _address(statement.get("publication", {}).get("statement_url", ""))
    first: dict[tuple[str, str], int] = {}  # (link or year, as compared) -> the entry that gave it first
    for index, earlier in enumerate(statement.get("previous_statements", [])):
        at = ("statement", "previous_statements", index)
        if _address(earlier["url"]) == current:
            yield at + ("url",), (f"the link '{earlier['url']}' to the {earlier['year']} statement is this "
                                  "year's address")
        for what, shown, compared in (("link", earlier["url"], _address(earlier["url"])),
                                      ("year", earlier["year"], earlier["year"])):
            if (what, compared) in first:
                yield at, f"repeats the {what} of statement.previous_statements[{first[what, compared]}]: '{shown}'"
            first.setdefault((what, compared), index)


def _address(url: str) -> str:
    """A web address as compared: without its scheme, 'www.' or a closing '/'."""
    return re.sub(r"^https?://(?:www\.)?", "", url.strip()).rstrip("/").casefold()
