"""Plain British English helpers for the text msgen composes around profile values.

Pure functions only: lists joined the way a statement reads them ("A, B and C", no
Oxford comma), dates in words ("26 November 2020"), financial years ("2021/22"), numbers
with thousands separators, money in words and verbs that agree with their subject.
"""

from __future__ import annotations

from datetime import date
from typing import Sequence

_ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth",
                  "sixth", "seventh", "eighth", "ninth", "tenth")
_WELSH_ORDINALS = ("cyntaf", "ail", "trydydd", "pedwerydd", "pumed", "chweched", "seithfed", "wythfed",
                   "nawfed", "degfed")
_IRREGULAR_VERBS = {"be": ("is", "are"), "have": ("has", "have"), "do": ("does", "do")}
# Body names that are a title rather than a place-name, so take "the" mid-sentence:
# "the Office of the Police and Crime Commissioner for Norfolk", but "Norfolk Constabulary".
_TITLE_NAMES = ("Office of ", "Office for ", "Police and Crime Commissioner ", "Police, Fire and Crime Commissioner ",
                "Police Fire and Crime Commissioner ")


# Welsh months as the Welsh Government dates its publications ("26 Tachwedd 2020"); TermCymru.
WELSH_MONTHS = ("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi",
                "Hydref", "Tachwedd", "Rhagfyr")
_WELSH_VOWELS = tuple("AEIOUWYaeiouwyÂÊÎÔÛŴŶâêîôûŵŷ")


def join_and(items: Sequence[str], language: str = "en") -> str:
    """["A", "B", "C"] -> "A, B and C" (no Oxford comma); "" for an empty list. In Welsh
    "A, B a C", and "ac" before a vowel ("A ac Heddlu" stays "a": h is not a vowel)."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    if language == "cy":
        return f"{', '.join(items[:-1])} {'ac' if items[-1].startswith(_WELSH_VOWELS) else 'a'} {items[-1]}"
    return f"{', '.join(items[:-1])} and {items[-1]}"


def long_date(iso: str, language: str = "en") -> str:
    """"2020-11-26" -> "26 November 2020" (no leading zero, no ordinal suffix); in Welsh
    "26 Tachwedd 2020"."""
    day = date.fromisoformat(iso)
    if language == "cy":
        return f"{day.day} {WELSH_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {day:%B %Y}"


def period_words(start: str, end: str, language: str = "en") -> str:
    """("2022-04-01", "2023-03-31") -> "1 April 2022 to 31 March 2023"; in Welsh
    "1 Ebrill 2022 i 31 Mawrth 2023" (a date after "i" starts with a digit: no mutation)."""
    between = "i" if language == "cy" else "to"
    return f"{long_date(start, language)} {between} {long_date(end, language)}"


def fy_slash(financial_year: str) -> str:
    """"2021-22" -> "2021/22", the way UK public bodies write financial years."""
    return financial_year.replace("-", "/")


def thousands(number: int) -> str:
    """1750 -> "1,750"."""
    return f"{number:,}"


def ordinal_words(number: int, language: str = "en") -> str:
    """3 -> "third" up to tenth, then 11 -> "11th", 22 -> "22nd"; in Welsh "trydydd" up to
    "degfed", then the figure with -fed ("12fed")."""
    if language == "cy":
        return _WELSH_ORDINALS[number - 1] if 1 <= number <= len(_WELSH_ORDINALS) else f"{number}fed"
    if 1 <= number <= len(_ORDINAL_WORDS):
        return _ORDINAL_WORDS[number - 1]
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def budget_words(pounds: int, *, million: str = "million", billion: str = "billion") -> str:
    """190_500_000 -> "£190.5 million"; 1_250_000_000 -> "£1.25 billion"; 950_000 -> "£950,000"
    (`million` and `billion` in the document's language: "miliwn")."""
    millions = round(pounds / 1_000_000, 1)
    if millions >= 1000:
        return f"£{_trimmed(round(pounds / 1_000_000_000, 2))} {billion}"
    if millions >= 1:
        return f"£{_trimmed(millions)} {million}"
    return f"£{thousands(pounds)}"


def _trimmed(value: float) -> str:
    """190.0 -> "190", 190.5 -> "190.5", 1.25 -> "1.25"."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def verb_form(base: str, *, plural: bool) -> str:
    """The present tense agreeing with a third-person subject: ("be", plural=False) -> "is"."""
    if base in _IRREGULAR_VERBS:
        return _IRREGULAR_VERBS[base][plural]
    if plural:
        return base
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        return base + "es"
    if base.endswith("y") and base[-2:-1] not in tuple("aeiou"):
        return base[:-1] + "ies"
    return base + "s"


def possessive(name: str) -> str:
    """"the Constabulary" -> "the Constabulary’s"; a plural noun like "the Services" -> "the Services’"
    (a typographic apostrophe, as in all of msgen's own wording)."""
    return name + ("’" if name.endswith("s") else "’s")


def with_article(name: str) -> str:
    """A body's name as it reads mid-sentence: "the Office of the …", "Norfolk Constabulary"."""
    return f"the {name}" if name.startswith(_TITLE_NAMES) else name


def capitalise_first(text: str) -> str:
    """"the Force" -> "The Force" for the start of a sentence; the rest is left alone."""
    return text[:1].upper() + text[1:]


def full_stop_after(text: str) -> str:
    """The "." a sentence taken verbatim still needs, or "" when it already ends one."""
    return "" if text.rstrip().endswith((".", "!", "?")) else "."
