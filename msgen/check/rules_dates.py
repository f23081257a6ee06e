"""Years and dates in the statement's own words, against the period it covers.

A statement moved on a year (by hand or by `msgen next-year`) keeps last year's words:
a title "Modern Slavery Statement 2023/24" over "Financial year 2024/25", "the steps
taken during 2023/24". Only years that say which period the statement covers are
compared: a title's, and those a period phrase introduces ("financial year", "steps
taken during", "this statement covers", "year ending"). Every other year is history or a
plan ("the Act of 2015", "in 2019 10,000 people were referred", "by 2026") and is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterator

from msgen.check.rulebook import (ASSESSORS, BOTH, ERROR, HOME_OFFICE, PROFILE, REGISTRY, TEXT, WARNING, Hit,
                                  Subject, long_date, period, rule)

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_MONTH = "|".join(_MONTHS)
# A year, a financial year ("2023/24", "2023-2024", "2023 to 2024") or a date ("31 March 2024", "March 2024").
_WHEN = re.compile(
    rf"(?<![\d£$€.,/])(?:(?P<day>\d{{1,2}})(?:\s?(?:st|nd|rd|th))?\s+)?(?:(?P<month>{_MONTH})\s+)?(?P<first>(?:19|20)\d\d)"
    r"(?:\s*(?:[-/\u2013\u2014]|\bto\b)\s*(?P<long>(?:19|20)\d\d)|[-/\u2013\u2014](?P<short>\d\d))?(?![\w/]|,\d|\.\d)",
    re.IGNORECASE)
# What, just before a year, says it is the year the statement covers; a group `end` or
# `start` says which end of the period a date is.
_PERIOD_PHRASE = re.compile(
    r"(?:\b(?:financial|reporting|business|fiscal) year(?:\s+(?:of|for|(?P<end>ending|ended|to)|(?P<start>from|"
    r"starting|beginning)))?"
    r"|\bthis statement(?:\s+(?:is\s+)?(?:for|covers|covering|relates to|relating to|refers to|reports on))?"
    r"(?:\s+the)?(?:\s+(?:financial|reporting)\s+(?:year|period))?(?:\s+(?:of|for|from))?"
    r"|\b(?:taken|undertaken|carried out|completed|delivered|achieved)(?:\s+[a-z]+){0,3}\s+(?:during|in|over|"
    r"throughout)(?:\s+the)?(?:\s+(?:financial|reporting)\s+year)?"
    r"|\b(?:the|this|reporting) period(?:\s+(?:from|of|covered))?"
    r"|\b(?:year|period|twelve months|12 months) (?:(?P<end2>ending|ended|to|until)"
    r"|(?P<start2>from|starting|beginning))"
    r"|\bstatement)\s*(?:\(|:\s*)?$",
    re.IGNORECASE)
# The second date of a range the phrase began ("1 April 2023 to 31 March 2024").
_RANGE_TO = re.compile(r"\s*(?:to|until|-|\u2013|\u2014)\s*", re.IGNORECASE)
# A sentence about an earlier year on purpose: its years are history, not the period.
_LOOKING_BACK = re.compile(r"\b(?:last year|previous|prior|earlier|last statement|compared (?:with|to)|since|"
                           r"our (?:first|second|third) statement)\b", re.IGNORECASE)
# A sentence about what comes next: a year after the period is a plan ("review this statement for 2023-24").
_LOOKING_AHEAD = re.compile(r"\b(?:next|will|plans?|planned|coming|going forward|future|review|update|by)\b",
                            re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;!?](?:\s|$)")


@dataclass(frozen=True)
class When:
    """A year, financial year or date as written, and which end of the period it names
    (start, end, or "" for the period as a whole)."""

    text: str
    start: int
    end: int
    first: int
    second: int | None  # the financial year's second year
    month: int | None
    names: str

    def fits(self, covered: tuple[date, date]) -> bool:
        """Whether it names the period `covered` (a financial year, a year within it, its first or last day)."""
        begin, finish = covered
        if self.second is not None:
            return self.second == self.first + 1 and date(self.first, 4, 1) <= finish <= date(self.second, 12, 31)
        if self.month is not None and self.names:
            named = begin if self.names == "start" else finish
            return (self.first, self.month) == (named.year, named.month)
        return begin.year <= self.first <= finish.year


def _when(found: re.Match, names: str) -> When:
    second_text = found.group("short") or found.group("long")
    second = None
    if second_text:
        second = int(second_text) if len(second_text) == 4 else int(found.group("first")[:2] + second_text)
    month = found.group("month")
    return When(found.group().strip(), found.start(), found.end(), int(found.group("first")), second,
                _MONTHS.index(month.capitalize()) + 1 if month else None, names)


def years_named(text: str) -> Iterator[When]:
    """Each year, financial year and date written in `text`."""
    for found in _WHEN.finditer(text):
        yield _when(found, "")


def period_years(text: str, *, heading: bool = False) -> Iterator[tuple[str, When]]:
    """(the phrase quoted, the year) for each year a period phrase introduces, in sentences
    that do not look back on purpose. "Statement 2023/24" names the period only in a
    heading: in running text ("our Modern Slavery Statement 2021/22 set out") it is an earlier one."""
    previous: When | None = None
    for found in _WHEN.finditer(text):
        begin, finish = _sentence_around(text, found.start(), found.end())
        if _LOOKING_BACK.search(text, begin, finish):
            previous = None
            continue
        before = text[begin:found.start()]
        phrase = _PERIOD_PHRASE.search(before)
        if phrase is not None and (heading or phrase.group().strip().lower() != "statement"):
            names = "end" if phrase.group("end") or phrase.group("end2") else (
                "start" if phrase.group("start") or phrase.group("start2") or found.group("day") else "")
            previous = _when(found, names)
            yield text[begin + phrase.start():found.end()].strip(), previous
        elif previous is not None and _RANGE_TO.fullmatch(text, previous.end, found.start()):
            quoted_from = previous.start
            previous = _when(found, "end")
            yield text[quoted_from:found.end()], previous
        else:
            previous = None


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence holding text[start:end] begins and ends."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, end)
    return (ends[-1] if ends else 0), (after.end() if after else len(text))


def _period_words(covered: tuple[date, date]) -> str:
    begin, finish = covered
    return f"{long_date(begin)} to {long_date(finish)}"


@rule("dates.title-year", ERROR, PROFILE,
      title="The title's year is the statement's year",
      why="The title is what the registry, the website and every reader see first; last year's year "
          "in it (left by a copy, or by msgen next-year, which never rewrites the body's words) says the "
          "statement is last year's.",
      fix="Change the year in statement.title to the financial year the statement covers, or leave the "
          "year out of the title (msgen prints the financial year under it).",
      source=f"{HOME_OFFICE}; {REGISTRY}", versions=BOTH)
def title_year(subject: Subject) -> Iterator[Hit]:
    covered = period(subject.data)
    title = subject.data["statement"].get("title")
    if covered is None or not title:
        return
    for when in years_named(title):
        if not when.fits(covered):
            yield ("statement", "title"), (f"the title '{title}' names {when.text}, but the statement covers "
                                           f"{_period_words(covered)}")


@rule("dates.period-year", WARNING, TEXT,
      title="Years that name the period agree with it",
      why="A sentence or heading that says which year the statement covers ('the steps taken during "
          "2023/24', 'for the financial year ending 31 March 2024') and names another year tells the reader "
          "the text is last year's, carried over unchanged.",
      fix="Change the year to the one the statement covers, or reword the sentence if it really is about "
          "an earlier year (e.g. 'last year', 'in our previous statement').",
      source=f"{HOME_OFFICE}; {ASSESSORS}", versions=BOTH)
def period_year(subject: Subject) -> Iterator[Hit]:
    covered = period(subject.data)
    if covered is None:
        return
    for where, text in subject.texts:
        if _is_title(where):
            continue  # dates.title-year reads the title
        for phrase, when in period_years(text, heading=_is_heading(where)):
            if not (when.fits(covered) or when.first >= covered[1].year and _LOOKING_AHEAD.search(text)):
                yield where, f"says '{phrase}', but the statement covers {_period_words(covered)}"


def _is_title(where: Any) -> bool:
    return where == ("statement", "title")


def _is_heading(where: Any) -> bool:
    return isinstance(where, tuple) and where[-1] in ("heading", "subheading", "title")
