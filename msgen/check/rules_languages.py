"""A statement published in English and Welsh: every text in both, each saying the same.

The Welsh Language Standards ask that a document published in both languages treats the Welsh
no less favourably: a text left in English, a Welsh text that is the English copied, or a
figure or date that differs between the two is a Welsh reader given less, or told otherwise.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterator

from msgen.check.rulebook import ERROR, PROFILE, WARNING, Hit, Subject, rule, translatable_texts
from msgen.profile.languages import ENGLISH, WELSH, is_in_languages, languages_of

STANDARDS = ("Welsh Language Standards (No. 1) Regulations 2015 (standards 47 to 51: documents "
             "in Welsh and English, the Welsh no less favourably)")
CODE = "Welsh Government, Code of Practice: Ethical Employment in Supply Chains (2017)"

_ADDRESS = re.compile(r"\]\([^)]*\)|\b(?:https?://|www\.)\S+|\S+@\S+\.\w+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_MONTHS = {name: number for number, names in enumerate((
    ("January", "Ionawr"), ("February", "Chwefror"), ("March", "Mawrth"), ("April", "Ebrill"), ("May", "Mai"),
    ("June", "Mehefin"), ("July", "Gorffennaf"), ("August", "Awst"), ("September", "Medi"),
    ("October", "Hydref"), ("November", "Tachwedd"), ("December", "Rhagfyr")), start=1) for name in names}
_DATE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th|af|il|ydd|ed|fed)?\s+({'|'.join(_MONTHS)})\s+(\d{{4}})\b")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def _needs_words(text: str) -> bool:
    """Whether a text has words to translate: not only acronyms, figures and addresses ("PCC",
    "95%", "7F", "https://…" read the same in Welsh)."""
    return any(not word.isupper() for word in _WORD.findall(_ADDRESS.sub(" ", text)))


def _figures(text: str) -> Counter[str]:
    """The figures and dates a text gives, each date as YYYY-MM-DD whichever language writes it;
    "2024-25" and "2024/25" alike."""
    dates = [f"{year}-{_MONTHS[month]:02d}-{int(day):02d}" for day, month, year in _DATE.findall(text)]
    rest = _DATE.sub(" ", _ADDRESS.sub(" ", text))
    return Counter(dates + [figure.replace(",", "") for figure in _FIGURE.findall(rest)])


def _pairs(subject: Subject) -> Iterator[tuple[tuple, Any]]:
    """Each translatable text as written; none to look at in a profile with no text in two
    languages (its Subject has no `written`), which spares every build the schema walk."""
    if subject.written is None and WELSH not in languages_of(subject.data):
        return iter(())
    return iter(translatable_texts(subject.written_data))


@rule("languages.welsh-missing", ERROR, PROFILE,
      title="Every text has its Welsh when Welsh is published",
      why="A statement published in English and Welsh must treat the Welsh no less favourably: a text "
          "without its Welsh prints in the Welsh document as English waiting to be translated.",
      fix="Give the text as {en: …, cy: …}, the Welsh under cy.",
      source=STANDARDS, versions=(2,))
def welsh_missing(subject: Subject) -> Iterator[Hit]:
    for path in untranslated(subject.written_data):
        yield path, "has no Welsh: statement.languages asks for Welsh, so give it as {en: …, cy: …}"


def untranslated(data: dict[str, Any]) -> Iterator[tuple]:
    """The path of each text with words to translate that gives no Welsh, when Welsh is asked
    for (a profile with one builds only as a draft: msgen.build)."""
    if WELSH not in languages_of(data):
        return
    for path, value in translatable_texts(data):
        english = value.get(ENGLISH, "") if isinstance(value, dict) else value
        if not (isinstance(value, dict) and isinstance(value.get(WELSH), str)) and _needs_words(english):
            yield path


@rule("languages.welsh-not-asked", WARNING, PROFILE,
      title="Welsh texts are published only when Welsh is asked for",
      why="A profile whose texts give their Welsh but whose statement.languages does not ask for Welsh "
          "builds no Welsh document: the translation is never published.",
      fix="Add `languages: [en, cy]` to `statement`, or remove the Welsh texts.",
      source=STANDARDS, versions=(2,))
def welsh_not_asked(subject: Subject) -> Iterator[Hit]:
    if WELSH in languages_of(subject.written_data):
        return
    first = next((path for path, value in _pairs(subject) if is_in_languages(value) and WELSH in value), None)
    if first is not None:
        yield first, "gives a Welsh text, but statement.languages does not ask for Welsh, so none is published"


@rule("languages.welsh-identical", WARNING, PROFILE,
      title="A Welsh text is a translation, not the English copied",
      why="A Welsh text the same as its English, with words to translate, is English in the Welsh "
          "document: usually the English pasted in to be translated later.",
      fix="Write the Welsh under cy.",
      source=STANDARDS, versions=(2,))
def welsh_identical(subject: Subject) -> Iterator[Hit]:
    if WELSH not in languages_of(subject.written_data):
        return
    for path, value in _pairs(subject):
        if is_in_languages(value) and value.get(WELSH, "").strip() == value[ENGLISH].strip() \
                and _needs_words(value[ENGLISH]):
            yield path + (WELSH,), f"is the same as its English: '{value[ENGLISH].strip()[:80]}'"


@rule("languages.figures-differ", ERROR, PROFILE,
      title="The English and the Welsh give the same figures and dates",
      why="The two versions are of equal standing: a figure or date in one and not the other tells a "
          "reader of one language something else (published pairs have disagreed on the year covered).",
      fix="Correct whichever version is wrong, so both give the same figures and dates.",
      source=STANDARDS, versions=(2,))
def figures_differ(subject: Subject) -> Iterator[Hit]:
    for path, value in _pairs(subject):
        if not (is_in_languages(value) and isinstance(value.get(WELSH), str)):
            continue
        english, welsh = _figures(value[ENGLISH]), _figures(value[WELSH])
        if english != welsh:
            only_english = ", ".join(sorted((english - welsh).elements()))
            only_welsh = ", ".join(sorted((welsh - english).elements()))
            said = [f"the English gives {only_english} and the Welsh does not" if only_english else "",
                    f"the Welsh gives {only_welsh} and the English does not" if only_welsh else ""]
            yield path, "; ".join(part for part in said if part)


@rule("languages.welsh-code-report", WARNING, PROFILE,
      title="A body signed up to the Welsh Code reports what the Code asks",
      why="The Code of Practice asks for an annual written statement of the steps taken: with its action "
          "plan, the staff trained and the suppliers signed up, which data.welsh_code holds.",
      fix="Add data.welsh_code's action_plan, staff_trained and suppliers_signed_up.",
      source=CODE, versions=(2,))
def welsh_code_report(subject: Subject) -> Iterator[Hit]:
    code = subject.data.get("data", {}).get("welsh_code")
    if not code or "signed_up" not in code:
        return
    missing = [name.replace("_", " ") for name in ("action_plan", "staff_trained", "suppliers_signed_up")
               if name not in code]
    if missing:
        yield ("data", "welsh_code"), f"the bodies signed up to the Code in {code['signed_up']}, but the " \
                                      f"statement does not give its {', '.join(missing)}"
