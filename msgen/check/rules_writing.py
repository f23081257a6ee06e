"""The writing slips reviewers mark on published statements: doubled words, words run
together, punctuation glitches, misspellings, the field's common confusions, and what a web
page or a PDF leaves behind when its text is copied (cookie banners, skip links, page
footers, footnote markers glued to words).

Spelling uses a British English hunspell dictionary through pyenchant (the Debian package
hunspell-en-gb), the sector's own words (msgen/check/words/sector.txt and the bodies and
places msgen/check/bodies.py knows) and the profile's `check.allow_words`.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from itertools import groupby
from pathlib import Path
from typing import Any, Iterator

from msgen.check.rulebook import ASSESSORS, BOTH, TEXT, WARNING, Hit, Subject, bodies, rule, signatories

_WORDS_FOLDER = Path(__file__).resolve().with_name("words")
# Each language's dictionaries (the first enchant has), the package that gives them, and how a
# finding names the language: Welsh through Debian's aspell-cy (Debian has no hunspell-cy).
DICTIONARIES = {"en": (("en_GB",), "hunspell-en-gb", "a British English word"),
                "cy": (("cy_GB", "cy"), "aspell-cy", "a Welsh word")}
BOTH_LANGUAGES = ("en", "cy")
_CONTEXT = 25  # characters of the text quoted on either side of what was found

# Web addresses, email addresses and file paths are not prose: masked before words are read.
_NOT_PROSE = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+|\S+\.(?:uk|com|org|net|gov)(?:/\S*)?\b")
_WORD = re.compile(r"(?<![\w'’-])[A-Za-z](?:[A-Za-z'’-]*[A-Za-z])?(?![\w-])")
# A Welsh word: letters with their accents (ŵ, ŷ, â, ï); "mae'r" and "a'i" are read as "mae", "a"
# and "i", as the dictionary lists them.
_WELSH_WORD = re.compile(r"(?<![\w-])[^\W\d_]+(?![\w-])")
# Prefixes written joined or with a hyphen ("noncompliant", "co-ordinated"): the rest must be a word.
_PREFIXES = ("non", "co", "pre", "re", "anti", "sub", "multi", "inter", "cross", "counter", "over", "under",
             "post", "self", "semi", "mis", "un", "de", "dis", "e", "cyber", "socio", "eco")
_DOUBLED = re.compile(r"\b([A-Za-z]+)\s+(\1)\b", re.IGNORECASE)
_DOUBLING_ALLOWED = {"that", "had", "is"}  # "that that", "had had", "what it is is" can be right
_SUGGESTIONS = 20  # misspellings a check asks the dictionary about (beyond one slip); the rest get no hint
_LONGEST_WORD = 45  # longer runs of letters are not words to spell or split (and would take long to try)
_FOREIGN_SHARE = 0.4  # a text with more unknown words than this is not English prose to spell-check
_SHORT_WORDS = {"of", "in", "to", "on", "at", "by", "is", "be", "we", "as", "an", "or", "it"}
_FILLER = re.compile(r"\blorem ipsum\b", re.IGNORECASE)
_GLUED_CAPITAL = re.compile(r"\b([a-z]{3,})([A-Z][a-z]{2,})\b")

_PUNCTUATION: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"(?<=[A-Za-z0-9)’'\"]) +[,;:!?](?=\s|$)|(?<=[A-Za-z)]) +\.(?=\s|$)"), "a space before punctuation"),
    (re.compile(r"(?<=[a-z])[,;](?=[A-Za-z])"), "no space after a comma or semicolon"),
    (re.compile(r"(?<=[a-z]{2})\.(?=[A-Z][a-z])"), "no space after a full stop"),
    (re.compile(r",\s*,|;\s*;|:\s*:|(?<!\.)\.\.(?!\.)|[,;:]\.|,;|;,"), "doubled punctuation"),
    (re.compile(r"\( +| +\)"), "a space inside brackets"),
    (re.compile(r"(?<=[a-z,;]) {2,}(?=[a-z])"), "two spaces between words"),
    (re.compile(r"(?<=[A-Za-z]{3})(?:19|20)\d\d\b"), "no space before a year"),
    (re.compile(r"\b\d{1,2} (?:st|nd|rd|th)\b"), "a space inside an ordinal number"),
    (re.compile(r"\b(?:are|include|includes|as follows|following|were)\s*;\s*$"),
     "a list introduced with ';' (a colon introduces a list)"),
)

_CONFUSIONS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"\b(?:good|best|in|into|the|standard|working|sector|current|common|professional|normal|poor|"
                r"this|our|their|its|modern slavery) practise\b", re.IGNORECASE),
     "'practise' is the verb; the noun is 'practice'"),
    (re.compile(r"\b(?:to|will|we|they|must|should|can) practice\b|\bpractic(?:ed|ing)\b", re.IGNORECASE),
     "in British English the verb is 'practise' ('practised', 'practising')"),
    (re.compile(r"\b(?:a|the|driving|operating|premises|valid|their|its|his|her|gangmasters?(?:['’]s?)?) license\b",
                re.IGNORECASE),
     "'license' is the verb; the noun is 'licence'"),
    (re.compile(r"\bto licence\b|\blicenc(?:ed|ing)\b", re.IGNORECASE),
     "'licence' is the noun; the verb is 'license' ('licensed', 'licensing')"),
    (re.compile(r"\bNational\s+(?!Referral\s+Mechanism\b)(?:Referr?als?|Reporting|Response|Reference|Rescue)\s+"
                r"(?:Mechanism|Scheme|System|Process)\b", re.IGNORECASE),
     "the UK's framework for identifying victims is the National Referral Mechanism"),
    (re.compile(r"\bModern\s+(?:Day\s+)?Slavery\s+Act\s+(?!2015\b)(?:19|20)\d\d\b|\bModern\s+Day\s+Slavery\s+Act\b",
                re.IGNORECASE),
     "the Act is the Modern Slavery Act 2015"),
    (re.compile(r"\bit['’]s (?:own|suppliers?|staff|supply|policies|policy|officers|employees|workforce|"
                r"procurement|commitment|responsibilit(?:y|ies)|obligations|approach|website|contracts?|partners)\b",
                re.IGNORECASE),
     "'it's' is 'it is'; the possessive is 'its'"),
    (re.compile(r"\bprinciple (?:contractors?|suppliers?|officers?|aims?|risks?)\b", re.IGNORECASE),
     "'principle' is a rule; 'principal' means main"),
    (re.compile(r"\bdependant (?:on|upon)\b", re.IGNORECASE),
     "'dependant' is a person; 'dependent on' is the adjective"),
    (re.compile(r"\bGangmaster and Labour Abuse Authority\b|\bGangmasters? Labour and Abuse Authority\b"
                r"|\bCrown Prosecution Services\b|\bIndependent Anti[- ]Slavery Commission\b", re.IGNORECASE),
     "the body is misnamed: the Gangmasters and Labour Abuse Authority, the Crown Prosecution Service, "
     "the Independent Anti-Slavery Commissioner"),
    (re.compile(r"(?<!formerly )(?<!formerly the )(?<!previously )(?<!previously the )"
                r"\bGangmasters\s+Licensing\s+Authority\b", re.IGNORECASE),
     "the Gangmasters Licensing Authority has been the Gangmasters and Labour Abuse Authority since 2017"),
)
# A body is one body: "the Constabulary is", not "the Constabulary are" (unless it is one of
# several subjects: "the Office and the Constabulary are").
_PLURAL_VERB = re.compile(r"\b(Constabulary|Force|Service|Authority|Brigade)\s+(?:\([A-Z]{2,6}\)\s+)?(are|were|have)\b"
                          r"|\b(Constabulary|Force|Service|Authority|Brigade)\s+\([A-Z]{2,6}\)\s+"
                          r"(support|work|recognise|aim|seek|remain|continue|believe|take|ensure|use)\b")
# ("Fire and Rescue Service" and "Police and Crime Commissioner" are one body each.)
_COMPOUND_SUBJECT = re.compile(r"\b(?:and|&)\s+(?!Rescue\b|Crime\b)(?:the\s+)?"
                               r"(?:(?:[A-Z][\w’']*|and(?=\s+(?:Rescue|Crime)\b))\s+)*$")
_SINGULAR = {"are": "is", "were": "was", "have": "has"}

_WEB_RESIDUE = re.compile(
    r"\bskip to (?:the )?(?:main )?content\b|\bskip (?:to )?navigation\b|\bjump to (?:main )?content\b"
    r"|\bback to top\b|\bwe use (?:some )?(?:essential |necessary )?cookies\b"
    r"|\b(?:accept|reject|allow) (?:all |additional |analytics |optional )?cookies\b"
    r"|\bcookie (?:settings|preferences)\b"
    r"|\bmanage cookies\b|\byou are here:|\bhome\s*[>›»]\s*\w"
    r"|\bshare (?:this page|on (?:facebook|twitter|linkedin))\b|\bprint this page\b"
    r"|\b(?:was|is) this page (?:helpful|useful)\b|\bfollow us on\b|\bsign up (?:to|for) (?:our )?(?:newsletter|email)"
    r"|\bopens? in (?:a )?new (?:window|tab)\b|\(external (?:website|link|site)\)|\bclick here\b"
    r"|\b(?:PDF|DOCX?|Word document),\s*\d+(?:\.\d+)?\s*[KM]i?B\b"
    r"|\bquick(?:ly)? exit\b|\bleave this (?:site|website)\b|\b(?:press|pressing) the escape key\b"
    r"|\bthis (?:site|website) is (?:a|in) beta\b|\bsorry, there was a (?:technical )?problem\b"
    r"|\bcookies? (?:notice|page|policy)\b|\bcustomise cookies\b"
    r"|\brelated (?:links|pages|content)\b|\btop of (?:the )?page\b|\bsearch this (?:site|website)\b"
    r"|\btranslate this page\b|\blisten to this page\b|\b(?:open|close) (?:the )?menu\b|\bmain navigation\b",
    re.IGNORECASE)
_PAGE_RESIDUE = re.compile(
    r"\b[Pp]age \d+ of \d+\b|^\s*[Pp]age\s+\d{1,3}\s*$|^\s*[-–]\s*\d{1,3}\s*[-–]\s*$|\bPage \d+\s*$"
    r"|\b(?:OFFICIAL(?:[- ]SENSITIVE)?|NOT PROTECTIVELY MARKED)\b|\bClassification:\s*\w+"
    r"|\bcontinued (?:overleaf|on (?:the )?next page)\b")
_FOOTNOTE_MARKER = re.compile(r"\b([a-z]{3,})(\d{1,2})\b|(?<=[A-Za-z]{2})[.,;]\d{1,2}(?=\s+[A-Z]|\s*$)"
                              r"|(?<=[A-Za-z.,;])[¹²³⁰⁴-⁹]+")


def _quote(text: str, found: re.Match) -> str:
    """What was found, with a few words either side, so a reviewer can search for it in Word."""
    start, end = found.span()
    before = text[max(0, start - _CONTEXT):start]
    after = text[end:end + _CONTEXT]
    before = before[before.find(" ") + 1:] if start > _CONTEXT and " " in before else before
    after = after[:after.rfind(" ")] if end + _CONTEXT < len(text) and " " in after else after
    return f"'{(before + text[start:end] + after).strip()}'"


@lru_cache(maxsize=4096)
def _masked(text: str) -> str:
    """The text with web and email addresses blanked out (same length, so positions hold;
    underscores, so a link's brackets do not gain spaces); each rule reads it, so it is kept."""
    return _NOT_PROSE.sub(lambda m: "_" * len(m.group()), text)


def _matches(subject: Subject, pattern: re.Pattern) -> Iterator[tuple[Any, str, re.Match]]:
    """(where, text as written, match) of each match of `pattern` in the texts a reader sees,
    their web and email addresses masked."""
    for where, text in subject.texts:
        for found in pattern.finditer(_masked(text)):
            yield where, text, found


@rule("writing.doubled-word", WARNING, TEXT,
      title="No word is written twice",
      why="A doubled word ('published in in line with section 54(1)') is the slip readers notice first, and "
          "it can hide a sentence from the rules that look for it.",
      fix="Delete the second copy of the word.",
      source=ASSESSORS, versions=BOTH, languages=BOTH_LANGUAGES)
def doubled_word(subject: Subject) -> Iterator[Hit]:
    for where, text, found in _matches(subject, _DOUBLED):
        if found.group(1).lower() not in _DOUBLING_ALLOWED:
            yield where, f"repeats '{found.group(1)}': {_quote(text, found)}"


@rule("writing.run-together", WARNING, TEXT,
      title="No words run together",
      why="Words run together ('the Fire and Rescue Serviceacross the county') are what copying from a PDF or "
          "a web page leaves where a line ended; a reader sees a typing error.",
      fix="Put the space back between the two words.",
      source=ASSESSORS, versions=BOTH)
def run_together(subject: Subject) -> Iterator[Hit]:
    checker = _Speller.of(subject)
    for where, text, found in _matches(subject, _WORD):
        parts = checker.run_together(found.group())
        if parts:
            yield where, f"'{found.group()}' looks like '{parts[0]} {parts[1]}' run together: {_quote(text, found)}"


@rule("writing.punctuation", WARNING, TEXT,
      title="No spacing or punctuation glitches",
      why="A space before a comma, a missing space after a full stop, doubled punctuation or a list introduced "
          "by a semicolon read as a document nobody proof-read.",
      fix="Correct the spacing or punctuation quoted.",
      source=ASSESSORS, versions=BOTH, languages=BOTH_LANGUAGES)
def punctuation(subject: Subject) -> Iterator[Hit]:
    for pattern, glitch in _PUNCTUATION:
        for where, text, found in _matches(subject, pattern):
            yield where, f"has {glitch}: {_quote(text, found)}"


@rule("writing.confusion", WARNING, TEXT,
      title="No confused words or misnamed bodies",
      why="The sector's common confusions ('good practise', 'a license', the National Referral Mechanism "
          "misnamed, 'the Constabulary are') tell an assessor the statement was not checked by someone who "
          "knows the field.",
      fix="Use the word or name the message gives.",
      source=f"{ASSESSORS}; GOV.UK style guide", versions=BOTH)
def confusion(subject: Subject) -> Iterator[Hit]:
    for pattern, correction in _CONFUSIONS:
        for where, text, found in _matches(subject, pattern):
            yield where, f"{correction}: {_quote(text, found)}"
    for where, text, found in _matches(subject, _PLURAL_VERB):
        sentence_so_far = re.split(r"[.;:!?]\s", found.string[:found.start()])[-1]
        if not _COMPOUND_SUBJECT.search(sentence_so_far):
            body, verb = (part for part in found.groups() if part)
            singular = _SINGULAR.get(verb, f"{verb}s")
            yield where, f"the {body} is one body: '{body} {singular}', not '{body} {verb}': {_quote(text, found)}"


@rule("writing.spelling", WARNING, TEXT,
      title="Words are spelt as British English spells them",
      why="Misspellings ('recieve', 'Constabluary', 'goverment') are the commonest mark reviewers leave on a "
          "draft, and a misspelt body or law undermines the statement's authority.",
      fix="Correct the spelling; a word that is right but unknown (a name, a local term) goes in the "
          "profile's check.allow_words.",
      source=f"{ASSESSORS}; hunspell en-GB dictionary; aspell cy dictionary (Welsh)", versions=BOTH,
      family="spelling", languages=BOTH_LANGUAGES)
def spelling(subject: Subject) -> Iterator[Hit]:
    checker = _Speller.of(subject)
    names, package, a_word = DICTIONARIES[subject.language]
    if checker.dictionary is None:
        yield (), (f"spelling was not checked: no {names[0]} dictionary is installed "
                   f"(install the {package} package, and pyenchant)")
        return
    suggestions_left = _SUGGESTIONS
    pattern = _WORD if subject.language == "en" else _WELSH_WORD
    for (where, text), words in groupby(_matches(subject, pattern), key=lambda match: match[:2]):
        found = [(word, checker.misspelt(word.group())) for _, _, word in words]
        misspelt = [(word, suggestion) for word, suggestion in found if suggestion is not None]
        checked = sum(len(word.group()) >= 3 for word, _ in found)
        if _FILLER.search(text) or len(misspelt) >= 2 and len(misspelt) > checked * _FOREIGN_SHARE:
            continue  # filler (quality.placeholder finds it), or not English: a Welsh version, a list of names
        for word, suggestion in misspelt:
            if not suggestion and suggestions_left:
                suggestions_left -= 1
                suggestion = checker.suggestion(word.group())
            hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
            yield where, f"'{word.group()}' is not {a_word}{hint}: {_quote(text, word)}"


@rule("writing.web-residue", WARNING, TEXT,
      title="No web page residue",
      why="Cookie banners, skip links, breadcrumbs, share buttons, '(external website)' and 'click here' are what a "
          "web page leaves in text copied from it; 'click here' also fails accessibility, as a link must say "
          "where it leads.",
      fix="Delete the web page's text; write a link as the name of what it leads to.",
      source=f"{ASSESSORS}; GOV.UK guidance on writing link text", versions=BOTH, family="residue")
def web_residue(subject: Subject) -> Iterator[Hit]:
    for where, text, found in _matches(subject, _WEB_RESIDUE):
        yield where, f"contains web page text '{found.group()}': {_quote(text, found)}"


@rule("writing.page-residue", WARNING, TEXT,
      title="No page headers, footers or page numbers in the text",
      why="Page numbers, 'Page 3 of 12' and a PDF's protective marking ('OFFICIAL') in the middle of a paragraph "
          "are a PDF's page furniture copied into the text.",
      fix="Delete the header, footer or page number; the document prints its own.",
      source=ASSESSORS, versions=BOTH, family="residue")
def page_residue(subject: Subject) -> Iterator[Hit]:
    for where, text, found in _matches(subject, _PAGE_RESIDUE):
        yield where, f"contains a page header, footer or number '{found.group().strip()}': {_quote(text, found)}"


@rule("writing.footnote-marker", WARNING, TEXT,
      title="No footnote markers glued to words",
      why="A footnote number copied without its footnote ('exploitation12', 'trafficking.3 The') reads as a "
          "typing error, and the note it pointed to is lost.",
      fix="Delete the marker, or put the note's text in the sentence.",
      source=ASSESSORS, versions=BOTH, family="residue")
def footnote_marker(subject: Subject) -> Iterator[Hit]:
    checker = _Speller.of(subject)
    for where, text, found in _matches(subject, _FOOTNOTE_MARKER):
        if not found.group(1) or checker.known(found.group(1)):  # "abc12" is a code, not a word with a marker
            yield where, f"has a footnote marker glued to a word: {_quote(text, found)}"


# -- the speller -------------------------------------------------------------------------

class _Speller:
    """The dictionary and the words it does not know but this statement may use."""

    def __init__(self, allowed: frozenset[str], language: str) -> None:
        self.dictionary = _dictionary(language)
        self.allowed = allowed | _sector_words(language)
        self._known: dict[str, bool] = {}
        self._misspelt: dict[str, str | None] = {}

    @staticmethod
    def of(subject: Subject) -> _Speller:
        from msgen.profile.languages import projected

        names_from = subject.data if subject.language == "en" else projected(subject.written_data, subject.language)
        return _speller(frozenset(_profile_words(names_from)), subject.language)

    def known(self, word: str) -> bool:
        """Whether the word is right: a word of the sector or the profile, or the dictionary's
        (a possessive as its word; a hyphenated or prefixed word when its parts are words)."""
        if word not in self._known:
            self._known[word] = self._judge(word)
        return self._known[word]

    def _judge(self, word: str) -> bool:
        word = word.replace("’", "'")
        if word in self.allowed or word.lower() in self.allowed:
            return True
        base = re.sub(r"'s$|(?<=s)'$", "", word)
        if base != word:
            return self.known(base)
        if self.dictionary is None or self.dictionary.check(word):
            return True
        if "-" in word:
            return all(part.lower() in _PREFIXES or self.known(part) for part in word.split("-") if part)
        rest = next((word[len(p):] for p in _PREFIXES
                     if len(p) >= 3 and word.lower().startswith(p) and len(word) - len(p) >= 4), None)
        return rest is not None and self.dictionary.check(rest) and not self._typo(word)

    def run_together(self, word: str) -> tuple[str, str] | None:
        """The two words the word is made of, when the dictionary knows it only as two."""
        glued = _GLUED_CAPITAL.fullmatch(word)
        if glued and not self.known(word) and all(self.known(part) for part in glued.groups()):
            return glued.group(1), glued.group(2)
        name_like = word[0].isupper()  # a name the dictionary lacks splits by chance ("Bisby": Bis by)
        if (not (8 if name_like else 5) <= len(word) <= _LONGEST_WORD or not word[1:].islower() or "-" in word
                or self.known(word)):
            return None
        for split in range(len(word) - 2, 1, -1):  # the longest first word ("Serviceacross": Service across)
            first, second = word[:split], word[split:]
            if (first.lower() not in _PREFIXES and self._whole_word(first, name_like)
                    and self._whole_word(second, name_like)):
                return None if self._typo(word) else (first, second)
        return None

    def _whole_word(self, part: str, name_like: bool) -> bool:
        """Whether a part of a word is a word of its own: three letters or more, or one of the
        short words most often run into the next ("ofthe", "slaveryin")."""
        if len(part) < 3:
            return not name_like and part.lower() in _SHORT_WORDS
        return self.known(part)

    def _typo(self, word: str) -> bool:
        """Whether the word is one slip from a single word ('trainned'), not two words joined."""
        return self._one_slip_from(word) is not None

    def _one_slip_from(self, word: str) -> str | None:
        """A word the dictionary or the sector knows that one slip turns into this one (a
        letter added, dropped, changed, or two swapped), else None. Trying each variant is
        quicker than asking the dictionary for suggestions."""
        return next((variant for variant in _one_slip_variants(word)
                     if variant in self.allowed or self.dictionary.check(variant)), None)

    def misspelt(self, word: str) -> str | None:
        """None when the word is right; else a word one slip away ('' for none).
        Abbreviations, short words, words with capitals inside (names such as 'SharePoint') and
        words run together (another rule) are left alone. A capitalised word the dictionary
        does not know is taken for a name unless it is one letter from a longer word the
        dictionary or the sector knows ('Constabluary', 'Goverment'). Each word is judged once."""
        if word not in self._misspelt:
            self._misspelt[word] = self._suggestion(word)
        return self._misspelt[word]

    def _suggestion(self, word: str) -> str | None:
        if (self.dictionary is None or not 3 <= len(word) <= _LONGEST_WORD or word.isupper()
                or not word[1:].replace("-", "").islower() or self.known(word) or self.run_together(word)):
            return None
        if word[0].isupper():
            return self._one_slip_from(word) if len(word) >= 6 else None
        return self._one_slip_from(word) or ""

    @lru_cache(maxsize=1024)  # noqa: B019  (one speller per allow-list lives as long as the process anyway)
    def suggestion(self, word: str) -> str:
        """The dictionary's first one-word suggestion ('' for none): tens of milliseconds a word."""
        return next((s for s in self.dictionary.suggest(word) if " " not in s), "")


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _one_slip_variants(word: str) -> Iterator[str]:
    """Every word one slip away, the commonest slips first (two letters swapped, one doubled
    or dropped, one left out, one changed), keeping the first letter."""
    for i in range(1, len(word) - 1):
        yield word[:i] + word[i + 1] + word[i] + word[i + 2:]
    for i in range(1, len(word)):
        yield word[:i] + word[i + 1:]
    for i in range(1, len(word) + 1):
        for letter in _LETTERS:
            yield word[:i] + letter + word[i:]
    for i in range(1, len(word)):
        for letter in _LETTERS:
            yield word[:i] + letter + word[i + 1:]


@cache
def _speller(allowed: frozenset[str], language: str) -> _Speller:
    return _Speller(allowed, language)


@cache
def _dictionary(language: str = "en") -> Any:
    """The language's dictionary (en-GB's hunspell, Welsh's aspell), None when pyenchant or
    the dictionary is not installed."""
    try:
        import enchant
    except (ImportError, OSError, AssertionError):  # pyenchant or its C library missing (pyenchant asserts
        return None                                   # that a PYENCHANT_LIBRARY_PATH it is given exists)
    name = next((name for name in DICTIONARIES[language][0] if enchant.dict_exists(name)), None)
    return enchant.Dict(name) if name is not None else None


@cache
def _sector_words(language: str = "en") -> frozenset[str]:
    """The sector's words (sector.txt, for Welsh sector.cy.txt) and every word of the bodies
    and places msgen knows."""
    from msgen.check.bodies import BODIES

    listing = _WORDS_FOLDER / ("sector.txt" if language == "en" else f"sector.{language}.txt")
    listed = [line.strip() for line in listing.read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")]
    named = [word for body in BODIES for name in (body.name, *body.stems, *body.places, *body.aliases)
             for word in _WORD.findall(name)]
    return frozenset(listed + named)


def _profile_words(data: dict[str, Any]) -> Iterator[str]:
    """The words of the profile's own names (its bodies, areas, signatories and partners)
    and of its check.allow_words: right however the dictionary spells."""
    names = [text for body in bodies(data) for text in (*body.names, body.area_served or "")]
    names += [person.get(key, "") for _, person in signatories(data) for key in ("name", "role")]
    names += [partner.get("name", "") for partner in data.get("data", {}).get("partnerships", [])]
    names += data.get("check", {}).get("allow_words", [])
    for name in names:
        yield from _WORD.findall(name)
        yield from name.split()
