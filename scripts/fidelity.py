r"""How much of a body's own statement a built statement keeps, and how much it adds.

    python scripts/fidelity.py BUILT SOURCE [--allowed FILE] [--exclude FILE] [--headings FILE]
                               [--json] [--min-kept PCT] [--max-foreign PCT] [--threshold SCORE]

A statement is a document the body's board approved word for word, so msgen must keep the body's
text and add only what the profile asked for (issue 11). This script measures that:

- kept: the share of the source's sentences and list items found near-verbatim in the output;
- foreign: the share of the output's sentences and list items found neither in the source nor in
  the allowed set (standard clauses the profile asked for, signature-block labels: --allowed).
  An allowed line ending in a colon is a label ("Approved by:", "Name:"): a line of either side that
  starts with it is measured by the value after it, so the value must still come from the source
  (and a source's "Date: 04.10.22" is kept by a signature table's "4 October 2022"). A unit that is
  only an `[insert ...]` placeholder is a blank left for the body to fill, not a sentence in its
  mouth: it is listed under placeholders and counted neither way;
- headings: the source's headings found among the output's headings, and how many keep their order;
- residue: lines of the source that are web-page furniture (cookie banners, "Skip to content",
  image file names, ...) are left out of the measurement, and any that reach the output are listed.
  A pattern in --exclude (one regex per line) drops each line it matches; a pattern written
  after "inline " is cut out of the text instead, for link labels inside a sentence:
  `inline \(external website\)`.

Near-verbatim: after normalising Unicode (NFKC), quotes, dashes and whitespace and folding
case, two texts match when rapidfuzz's `fuzz.ratio` (a normalised edit similarity, 0-100) is at
least --threshold (default 90: a changed word or two in a long sentence, a corrected typo or
apostrophe; never a paraphrase). A unit also counts as found when it appears whole inside a longer
unit of the other side (`fuzz.partial_ratio` >= the threshold, units of 4+ words; a shorter unit,
such as a signatory's name in a table cell, must appear there word for word), because a list item
the body wrote may be printed as one sentence of a paragraph and vice versa. Ordinal suffixes of
numbers are dropped ("26th November" reads as "26 November"), and a date in figures or words
reads as the same day ("04.10.22", "4 October 2022" and "04/10/2022" are all 2022-10-04).

Readers turn a file into blocks (heading, paragraph, list item); one reader per file suffix, in
READERS. .docx reads Word's paragraph styles (Heading n / Title are headings, List styles or
numbering are list items) and the text inside content controls. .txt reads the plain text of the
references in ../shared/reference, whose headings carry no markup, by this heuristic:

- a line is a list item when it starts with a bullet (•, -, *, ·, ▪, o) or "a)"/"(i)" style marker;
  a following line that starts in lower case, or is indented under an item, continues it;
- a line is a heading when it is not a list item, has at most 12 words (30 after a section
  number: "3. Due diligence processes – this means ..."), starts with a capital letter or a
  section number ("1.", "2.3"), does not end in sentence punctuation (. , ; : ! ?),
  is not a "Label: value" field (Name:, Date:, Signature:), and its neighbours are not short
  unpunctuated lines too (those are signature or address blocks: "Name: ..." / "Chief Constable"),
  unless such a neighbour is a paragraph's first line hard-wrapped before a lower-case word;
- a section number is ignored when headings are compared, since Word may number them itself.

Where the heuristic is wrong for a source, --headings FILE (one heading per line) overrides it.
Exit codes: 0 measured (and thresholds met), 1 a --min-kept/--max-foreign threshold not met,
2 bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from msgen.importer.residue import INLINE_RESIDUE, LINE_RESIDUE

DEFAULT_THRESHOLD = 90
MIN_WORDS_FOR_CONTAINMENT = 4
MAX_HEADING_WORDS = 12
MAX_NUMBERED_HEADING_WORDS = 30  # "3. Due diligence processes – this means checking that ..."

# Lines LINE_RESIDUE matches are dropped; INLINE_RESIDUE is cut out of the sentence that carries
# it. They are msgen import's own list (msgen/importer/residue.py); --exclude adds more.
INLINE_PREFIX = "inline "

BULLET = re.compile(r"^\s*(?:[•\-*·▪◦o]|\(?[a-z0-9]{1,3}\))\s+", re.IGNORECASE)
SECTION_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+")
FIELD_LABEL = re.compile(r"^\w+:(\s|$)")
SENTENCE_END = ".,;:!?"
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})\b")
WORDED_DATE = re.compile(rf"\b(\d{{1,2}}) ({'|'.join(MONTHS)}) (\d{{4}})\b", re.IGNORECASE)
ORDINAL = re.compile(r"\b(\d{1,2})\s?(?:st|nd|rd|th)\b")
PLACEHOLDER = re.compile(r"^(?:\s*\[insert [^\]]*\][\s.,;:]*)+$", re.IGNORECASE)
QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "`": "'", "“": '"', "”": '"', "„": '"',
                        "–": "-", "—": "-", "‑": "-", "−": "-", "\u00a0": " "})


class BadInput(Exception):
    """A file the measurement cannot read: reported in one line, exit code 2."""


@dataclass
class Block:
    kind: str  # "heading", "paragraph" or "item"
    text: str


@dataclass
class UnitResult:
    text: str
    found: bool
    score: float
    match: str | None = None


@dataclass
class Report:
    built: str
    source: str
    threshold: int
    kept_percent: float
    foreign_percent: float
    headings_total: int
    headings_found: int
    headings_in_order: int
    source_units: list[UnitResult] = field(default_factory=list)
    output_units: list[UnitResult] = field(default_factory=list)
    missing_headings: list[str] = field(default_factory=list)
    headings_out_of_order: list[str] = field(default_factory=list)
    residue_in_output: list[str] = field(default_factory=list)
    residue_excluded: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)


def normalise(text: str) -> str:
    """The form two texts are compared in: typography and case never decide a match."""
    text = ORDINAL.sub(r"\1", unicodedata.normalize("NFKC", text).translate(QUOTES))
    text = NUMERIC_DATE.sub(lambda date: _iso(date[3], int(date[2]), date[1]), text)
    text = WORDED_DATE.sub(lambda date: _iso(date[3], MONTHS.index(date[2].lower()) + 1, date[1]), text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def _iso(year: str, month: int, day: str) -> str:
    return f"{'20' + year if len(year) == 2 else year}-{month:02d}-{int(day):02d}"


# ---- readers -------------------------------------------------------------------------------

def read_docx(path: Path) -> list[Block]:
    """Word paragraphs in document order, tables included, with the text of content controls
    (python-docx's Paragraph.text skips runs inside w:sdt, which msgen uses for profile values)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as error:
        raise BadInput(f"{path}: not a Word document ({error})") from None
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    style_names = {style.style_id: style.name or "" for style in document.styles}
    blocks = []
    for paragraph in document.element.body.iter(f"{namespace}p"):
        text = "".join(node.text or "" if node.tag == f"{namespace}t" else " "
                       for node in paragraph.iter(f"{namespace}t", f"{namespace}tab",
                                                  f"{namespace}br"))
        if not text.strip():
            continue
        style_id = paragraph.find(f"{namespace}pPr/{namespace}pStyle")
        style = style_names.get(style_id.get(f"{namespace}val"), "") if style_id is not None else ""
        numbered = paragraph.find(f"{namespace}pPr/{namespace}numPr") is not None
        if style == "Title" or style.startswith("Heading"):
            blocks.append(Block("heading", text.strip()))
        elif numbered or style.startswith("List"):
            blocks.append(Block("item", text.strip()))
        else:
            blocks.append(Block("paragraph", text.strip()))
    return blocks


def _is_short_unpunctuated(line: str) -> bool:
    stripped = line.strip()
    limit = MAX_NUMBERED_HEADING_WORDS if SECTION_NUMBER.match(stripped) else MAX_HEADING_WORDS
    return (bool(stripped) and not BULLET.match(line) and len(stripped.split()) <= limit
            and stripped[-1] not in SENTENCE_END)


def _wraps(lines: list[str], index: int) -> bool:
    """A line hard-wrapped mid-sentence (the next line goes on in lower case): part of a
    paragraph, not a short line of a signature or address block."""
    following = lines[index + 1].strip() if index + 1 < len(lines) else ""
    return bool(following) and following[0].islower()


def text_headings(lines: list[str]) -> set[int]:
    """Indexes of the lines that are headings, by the heuristic in the module docstring."""
    headings = set()
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not _is_short_unpunctuated(line) or FIELD_LABEL.match(stripped):
            continue
        if not (stripped[0].isupper() or SECTION_NUMBER.match(stripped)):
            continue
        neighbours = [position for position in (index - 1, index + 1) if 0 <= position < len(lines)]
        if any(_is_short_unpunctuated(lines[position]) and not _wraps(lines, position)
               for position in neighbours):
            continue
        headings.add(index)
    return headings


def read_text(path: Path) -> list[Block]:
    """Plain text as the references give it: one paragraph or list item per line, hard-wrapped
    lines joined back, headings found by text_headings()."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as error:
        raise BadInput(f"{path}: not UTF-8 text (byte {error.start})") from None
    headings = text_headings(lines)
    blocks: list[Block] = []
    previous_blank = True
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            previous_blank = True
            continue
        continues = (not previous_blank and blocks and blocks[-1].kind != "heading"
                     and not BULLET.match(line)
                     and (stripped[0].islower() or (blocks[-1].kind == "item" and line[:1].isspace())))
        if continues:
            blocks[-1].text += " " + stripped
        elif index in headings:
            blocks.append(Block("heading", stripped))
        elif BULLET.match(line):
            blocks.append(Block("item", BULLET.sub("", line).strip()))
        else:
            blocks.append(Block("paragraph", stripped))
        previous_blank = False
    return blocks


READERS: dict[str, Callable[[Path], list[Block]]] = {".docx": read_docx, ".txt": read_text}


def read_blocks(path: Path) -> list[Block]:
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise BadInput(f"{path}: cannot read {path.suffix or 'files without a suffix'} "
                       f"(expected one of {', '.join(sorted(READERS))})")
    return reader(path)


def read_lines(path: Path | None) -> list[str]:
    """A list file: one entry per line; blank lines and lines starting with # are ignored."""
    if path is None:
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput(f"{path}: cannot read the list ({error.__class__.__name__})") from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


# ---- measurement ---------------------------------------------------------------------------

def units(blocks: list[Block]) -> list[str]:
    """Sentences of paragraphs (split by pysbd) and whole list items: what a reader compares."""
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False)
    found = []
    for block in blocks:
        if block.kind == "item":
            found.append(block.text)
        elif block.kind == "paragraph":
            found.extend(sentence.strip() for sentence in segmenter.segment(block.text))
    return [unit for unit in found if re.search(r"[^\W\d_]", unit)]


def best_match(unit: str, candidates: list[str], whole: str, threshold: int) -> UnitResult:
    """The closest candidate; found when close enough, or when the unit sits inside `whole`."""
    from rapidfuzz import fuzz, process

    needle = normalise(unit)
    scores = []
    if candidates:
        match = process.extractOne(needle, candidates, scorer=fuzz.ratio, processor=None)
        scores.append((match[1], match[0]))
    if whole and len(needle.split()) >= MIN_WORDS_FOR_CONTAINMENT:
        scores.append((fuzz.partial_ratio(needle, whole), None))
    elif whole and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", whole):
        scores.append((100.0, None))
    score, matched = max(scores, key=lambda pair: pair[0], default=(0.0, None))
    return UnitResult(unit, score >= threshold, round(score, 1), matched)


def strip_number(heading: str) -> str:
    return SECTION_NUMBER.sub("", heading)


def in_order(positions: list[int]) -> set[int]:
    """Indexes into `positions` forming the longest increasing run: the headings in order."""
    best: list[list[int]] = []
    for index, position in enumerate(positions):
        chains = [chain for chain in best if positions[chain[-1]] < position]
        best.append(max(chains, key=len, default=[]) + [index])
    return set(max(best, key=len, default=[]))


def without_label(unit: str, labels: list[str]) -> str:
    """The value of a "Label: value" line whose label is allowed; any other unit as it is."""
    text = unit.strip()
    for label in labels:
        if text[:len(label)].casefold() == label.casefold() and text[len(label):].strip():
            return text[len(label):].strip()
    return unit


def is_residue(text: str, patterns: list[re.Pattern]) -> bool:
    """Whether a pattern matches the text as written or as compared (dates read as 2022-10-04)."""
    return any(pattern.search(text) or pattern.search(normalise(text)) for pattern in patterns)


def compile_residue(exclude: Sequence[str]) -> tuple[list[re.Pattern], list[re.Pattern]]:
    """The line patterns and the inline patterns, built-in ones first."""
    lines = [*LINE_RESIDUE, *(pattern for pattern in exclude if not pattern.startswith(INLINE_PREFIX))]
    inline = [*INLINE_RESIDUE, *(pattern.removeprefix(INLINE_PREFIX) for pattern in exclude
                                 if pattern.startswith(INLINE_PREFIX))]
    try:
        return ([re.compile(pattern, re.IGNORECASE) for pattern in lines],
                [re.compile(pattern, re.IGNORECASE) for pattern in inline])
    except re.error as error:
        raise BadInput(f"exclusion list: {error.pattern!r} is not a regular expression ({error})") \
            from None


def without_residue(blocks: list[Block], lines: list[re.Pattern], inline: list[re.Pattern]
                    ) -> tuple[list[Block], list[str]]:
    """The blocks that are the body's text, and the residue taken out of them."""
    kept, residue = [], []
    for block in blocks:
        if is_residue(block.text, lines):
            residue.append(block.text)
            continue
        for pattern in inline:
            residue.extend(match.group().strip() for match in pattern.finditer(block.text))
            block = Block(block.kind, pattern.sub("", block.text))
        kept.append(block)
    return kept, residue


def measure(built: Path, source: Path, *, allowed: Sequence[str] = (), exclude: Sequence[str] = (),
            headings: list[str] | None = None, threshold: int = DEFAULT_THRESHOLD) -> Report:
    line_patterns, inline_patterns = compile_residue(exclude)
    output_blocks = read_blocks(built)
    source_blocks, residue = without_residue(read_blocks(source), line_patterns, inline_patterns)
    if headings is not None:
        wanted = {normalise(heading) for heading in headings}
        source_blocks = [Block("heading" if normalise(block.text) in wanted else
                               ("paragraph" if block.kind == "heading" else block.kind), block.text)
                         for block in source_blocks]

    labels = [text.strip() for text in allowed if text.rstrip().endswith(":")]
    source_units = [without_label(unit, labels) for unit in units(source_blocks)]
    output_units = units(output_blocks)
    source_headings = [block.text for block in source_blocks if block.kind == "heading"]
    output_headings = [block.text for block in output_blocks if block.kind == "heading"]
    output_texts = [normalise(unit) for unit in output_units]
    known_texts = [normalise(text) for text in [*source_units, *source_headings, *allowed]]
    placeholders = [unit for unit in output_units if PLACEHOLDER.match(without_label(unit, labels))]
    output_whole = " ".join(normalise(block.text) for block in output_blocks)
    source_whole = " ".join(normalise(block.text) for block in source_blocks)

    kept = [best_match(unit, output_texts, output_whole, threshold) for unit in source_units]
    foreign = [best_match(without_label(unit, labels), known_texts, source_whole, threshold)
               for unit in output_units if unit not in placeholders]

    output_positions = [normalise(strip_number(heading)) for heading in output_headings]
    found_positions, found_names, missing = [], [], []
    for heading in source_headings:
        result = best_match(strip_number(heading), output_positions, "", threshold)
        if result.found:
            found_positions.append(output_positions.index(result.match))
            found_names.append(heading)
        else:
            missing.append(heading)
    ordered = in_order(found_positions)

    def percent(part: int, whole: int) -> float:
        return round(100 * part / whole, 1) if whole else 0.0

    return Report(
        built=str(built), source=str(source), threshold=threshold,
        kept_percent=percent(sum(result.found for result in kept), len(kept)),
        foreign_percent=percent(sum(not result.found for result in foreign), len(foreign)),
        headings_total=len(source_headings), headings_found=len(found_names),
        headings_in_order=len(ordered),
        source_units=kept, output_units=foreign, missing_headings=missing,
        headings_out_of_order=[name for index, name in enumerate(found_names) if index not in ordered],
        residue_in_output=[text for text in output_units
                           if is_residue(text, line_patterns) or is_residue(text, inline_patterns)],
        residue_excluded=residue, placeholders=placeholders,
    )


# ---- command line --------------------------------------------------------------------------

def print_table(report: Report) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=Path(report.built).name, caption=f"against {Path(report.source).name}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("source sentences and items kept", f"{report.kept_percent} % of "
                  f"{len(report.source_units)}")
    table.add_row("output sentences and items foreign", f"{report.foreign_percent} % of "
                  f"{len(report.output_units)}")
    table.add_row("source headings found", f"{report.headings_found} of {report.headings_total}")
    table.add_row("headings in order", f"{report.headings_in_order} of {report.headings_found}")
    table.add_row("residue in output", str(len(report.residue_in_output)))
    table.add_row("placeholders in output", str(len(report.placeholders)))
    console.print(table)
    for title, items in [
        ("missed source text", [unit.text for unit in report.source_units if not unit.found]),
        ("foreign output text", [unit.text for unit in report.output_units if not unit.found]),
        ("missing headings", report.missing_headings),
        ("headings out of order", report.headings_out_of_order),
        ("residue in output", report.residue_in_output),
    ]:
        if items:
            console.print(f"[bold]{title}[/bold]")
            for item in items:
                console.print(f"  - {item}", markup=False, highlight=False, soft_wrap=True)


class OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        self.exit(2, f"fidelity: {message} (see --help)\n")


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("built", type=Path, help="the built statement (.docx or .txt)")
    parser.add_argument("source", type=Path, help="the body's own statement (.txt or .docx)")
    parser.add_argument("--allowed", type=Path, help="text msgen may add: one sentence per line; "
                        "a line ending in ':' is a label whose value must come from the source")
    parser.add_argument("--exclude", type=Path, help="residue of the source: one regex per line "
                        "(drops the line; 'inline REGEX' cuts the text out)")
    parser.add_argument("--headings", type=Path, help="the source's headings, one per line")
    parser.add_argument("--threshold", type=int, default=DEFAULT_THRESHOLD,
                        help=f"near-verbatim score 0-100 (default {DEFAULT_THRESHOLD})")
    parser.add_argument("--min-kept", type=float, help="exit 1 when fewer percent are kept")
    parser.add_argument("--max-foreign", type=float, help="exit 1 when more percent are foreign")
    parser.add_argument("--json", action="store_true", help="print per-item results as JSON")
    arguments = parser.parse_args(argv)
    if not 0 < arguments.threshold <= 100:
        parser.error(f"--threshold must be between 1 and 100, not {arguments.threshold}")
    try:
        report = measure(
            arguments.built, arguments.source,
            allowed=read_lines(arguments.allowed), exclude=read_lines(arguments.exclude),
            headings=read_lines(arguments.headings) if arguments.headings else None,
            threshold=arguments.threshold,
        )
    except BadInput as error:
        print(f"fidelity: {error}", file=sys.stderr)
        return 2
    if arguments.json:
        print(json.dumps(asdict(report), indent=2, ensure_ascii=False))
    else:
        print_table(report)
    too_few = arguments.min_kept is not None and report.kept_percent < arguments.min_kept
    too_many = arguments.max_foreign is not None and report.foreign_percent > arguments.max_foreign
    return 1 if too_few or too_many else 0


if __name__ == "__main__":
    sys.exit(main())
