"""A profile's languages: which ones it is published in, and its texts in each.

In version 2 every text may carry its Welsh beside its English, `{en: …, cy: …}` (the
schema's `in_languages`, used by every text field), and `statement.languages: [en, cy]` asks
for a document in each language. Whatever reads text (the documents, check's rules, the
registry) reads one language's view of the profile, `in_language()`: there each such pair is
one string, a `Localised` that remembers the key it came from, so a content control's path
leads `msgen pull` back to the very text it printed (`sections[0].blocks[1].p.cy`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Iterator, Mapping

if TYPE_CHECKING:
    from msgen.errors import JsonPath
    from msgen.profile.loader import LoadedProfile

ENGLISH, WELSH = "en", "cy"
LANGUAGES = (ENGLISH, WELSH)
TAGS = {ENGLISH: "en-GB", WELSH: "cy-GB"}  # Word's, the PDF's and the web page's language tag
NAMES = {ENGLISH: "English", WELSH: "Cymraeg"}  # each language in its own words: the link to it
CALLED = {ENGLISH: "English", WELSH: "Welsh"}  # each language as msgen's messages name it
SUFFIXES = {ENGLISH: "", WELSH: ".cy"}  # before .docx/.pdf/.html: NAME.cy.docx is NAME.docx in Welsh
MISSING = "[insert Welsh: {}]"  # a Welsh document's stand-in for a text with no Welsh yet (a draft)


class Localised(str):
    """One language's text of a field; `key` is the language key it sits under in the
    profile ("" for a plain string, which is every language's)."""

    key: str
    missing: bool

    def __new__(cls, text: str, key: str = "", missing: bool = False) -> Localised:
        made = super().__new__(cls, text)
        made.key, made.missing = key, missing
        return made


def languages_of(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The languages a profile is published in, English first: ("en",) unless it asks for more."""
    asked = (data.get("statement") or {}).get("languages") or [ENGLISH]
    return tuple(language for language in LANGUAGES if language in asked)


def is_in_languages(value: Any) -> bool:
    """Whether a value is a text given in languages ({en: …, cy: …}): no other object of the
    schema has only these keys."""
    return isinstance(value, dict) and ENGLISH in value and set(value) <= set(LANGUAGES) \
        and all(isinstance(text, str) for text in value.values())


def text_in(value: Any, language: str) -> Any:
    """A value's text in `language`: a pair's own text, or its English as the stand-in
    `[insert Welsh: …]` when it has none; a plain string is every language's."""
    if not is_in_languages(value):
        return value
    if language in value:
        return Localised(value[language], language)
    return Localised(MISSING.format(value[ENGLISH].strip()), language, missing=True)


def projected(value: Any, language: str) -> Any:
    """A copy of profile data with each text in `language` (see `text_in`)."""
    if is_in_languages(value):
        return text_in(value, language)
    if isinstance(value, dict):
        return {key: projected(item, language) for key, item in value.items()}
    if isinstance(value, list):
        return [projected(item, language) for item in value]
    return value


def in_language(profile: LoadedProfile, language: str = ENGLISH) -> LoadedProfile:
    """The profile as read in one language: the same file, lines and shared parts, each text
    the one string of that language. A profile with no text in languages is itself."""
    if not any(is_in_languages(value) for _, value in _values(profile.data, ())):
        return profile
    return replace(profile, data=projected(profile.data, language))


def field_path(text: Any, path: str) -> str:
    """The path of the profile text `text` printed at `path`: a Localised text's own key after it."""
    key = getattr(text, "key", "")
    return f"{path}.{key}" if key else path


def _values(value: Any, path: JsonPath) -> Iterator[tuple[JsonPath, Any]]:
    yield path, value
    if isinstance(value, dict) and not is_in_languages(value):
        for key, item in value.items():
            yield from _values(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _values(item, path + (index,))
