"""Footnotes out of the text they interrupt: a marker glued to a word ("slavery1", "slavery¹")
is taken out, and the footnote it points to becomes a `note` block after the paragraph.

PDF and text copies keep a footnote's number only as digits glued to a word and its text as a
line starting with that number, far from it (at the foot of the page or the end). A marker counts
only when that line exists after it, so "Covid-19", "7F" or "section 54(1)" are never touched and
nothing is made into a note that the text does not give as one. Word's own footnotes are read
from its footnotes part (sources.read_docx) and never reach this step as digits.
"""

from __future__ import annotations

import re

from msgen.importer.sources import SUPERSCRIPTS, Para

TO_DIGITS = str.maketrans(SUPERSCRIPTS, "0123456789")
# One or two digits glued to a lower-case word or to the punctuation after it; superscripts anywhere.
MARKER = re.compile(rf"(?:(?<=[a-z.,;:)’”\"'])(\d{{1,2}})|([{SUPERSCRIPTS}]{{1,2}}))(?=[\s.,;:)”’\"']|$)")
# The footnote itself: its number, then its text ("1 Home Office, 2020", "¹ Home Office").
NOTE_LINE = re.compile(rf"^(\d{{1,2}}|[{SUPERSCRIPTS}]{{1,2}})\s*([^\d\s].*)$")


def with_footnotes(paras: list[Para]) -> list[Para]:
    """The paragraphs with each resolved footnote moved, as a note, after the first paragraph citing it."""
    citing: dict[str, int] = {}  # footnote number → index of the first paragraph citing it
    superscript: set[str] = set()  # numbers cited as superscripts (a web page's <sup>, a PDF's ¹)
    for index, para in enumerate(paras):
        for marker in MARKER.finditer(para.text) if para.kind in ("p", "item", "quote") else ():
            number = marker.group().translate(TO_DIGITS)
            citing.setdefault(number, index)
            if marker.group(2):
                superscript.add(number)
    notes: dict[int, list[Para]] = {}
    moved: set[int] = set()
    resolved: set[str] = set()
    ordinal = 0  # an item's number in its numbered list: a web page's footnotes are an <ol>
    for index, para in enumerate(paras):
        ordinal = ordinal + 1 if para.kind == "item" and para.numbered and para.level == 1 else 0
        line = NOTE_LINE.match(para.text) if para.kind == "p" else None
        number, text = (line.group(1).translate(TO_DIGITS), line.group(2)) if line else (str(ordinal), para.text)
        listed = ordinal and number in superscript
        if (line or listed) and citing.get(number, index) < index:
            notes.setdefault(citing[number], []).append(Para("note", text.strip()))
            moved.add(index)
            resolved.add(number)
    result: list[Para] = []
    for index, para in enumerate(paras):
        if index in moved:
            continue
        if para.kind in ("p", "item", "quote"):
            para.text = MARKER.sub(lambda m: "" if m.group().translate(TO_DIGITS) in resolved else m.group(),
                                   para.text)
        result.append(para)
        result.extend(notes.get(index, []))
    return result
