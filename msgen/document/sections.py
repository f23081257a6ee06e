"""Version 2: the body's own document, section by section, as the rows a generic template prints.

A version-2 profile *is* the statement: its sections, headings and wording in the body's
order. This module walks them and yields one row per printed paragraph, table, picture or
signature block, each with a Word style from a fixed list (never from the profile), so the
template is one loop and a user restyles the statement in Word. Every string from the
profile stays a `Field` that knows its path (content controls, `msgen pull`); inline
`**bold**`, `*italic*` and `[label](https://…)` links are split into spans by
markdown-it-py restricted to those two rules; anything else is text as written.

msgen writes a sentence of its own only where a `clause:` block asks for one; the
wording comes from the templates' clause file (clauses.en.yaml), rendered in the
sandbox with profile values as data. Structured data (`data:` blocks) prints only where a
block places it. The one thing added unasked is the signature block (under the heading
"Approval") at the end of a statement that places it nowhere: a statement must be signed.
Every label msgen prints around the body's text (that heading, table captions and headers,
status words, the draft's blanks) is a word of the clause file (its `words:`), so each
language's file, or a user's copy, words it.

The rows, which every output format prints (Word through templates/v2, HTML alike):

- `{"kind": "text", "style": STYLE_ID, "spans": [{"text", "bold", "italic", "url"}]}`
- `{"kind": "table", "header": [..] or [], "rows": [[..]], "caption": for screen readers,
  "shown_caption": the body's own caption or ""}`; in a final statement a data table has
  no column that no row fills
- `{"kind": "image", "image": {"path", "alt_text"}}`
- `{"kind": "signatures", "heading": "" or "Approval", "approval": {} or {"body", "date",
  "decision_reference", "attended_by_text"}, "signatories": [{"name", "role",
  "organisation", "date", "signature_image": {} or {"path", "alt_text"}}]}`: one block per
  signatory (print them stacked on a narrow screen), kept on one page with the heading and
  the approval record. Dates are in words; in a draft none is given: `approval.date` is ""
  (print words.not_yet_approved) and a signatory's `date` is "[date of signing]"; in a final
  statement an undated signatory's `date` is "" (a space to date by hand).

Beside the rows each document has a `masthead` ({"bodies": names, one line each, "year",
"title_year": the year to print after a charter's title that lacks it, "running_head":
title and year, for the top of every page}); the context has `draft`, `words` (the clause
file's, for the templates' own labels) and `branding`
({"logos": [{"path", "alt_text"}], "accent_colour": "#RRGGBB" or "", "font": "" or a name}).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Iterator, Mapping

from msgen.document import grammar
from msgen.document.context import filled, filled_columns, masthead
from msgen.document.fields import Field
from msgen.errors import TemplateError, format_path
from msgen.profile.languages import ENGLISH, field_path
from msgen.profile.loader import JsonPath, LoadedProfile

WORDS_KEY = "words"  # the clause file's labels and notices, apart from its clauses
MISSING = "—"  # a table cell the profile leaves empty
LINK_SCHEMES = ("https://", "http://", "mailto:")
HEADING_STYLES = {1: "Heading1", 2: "Heading2", 3: "Heading3"}
LIST_STYLES = {False: ("ListBullet", "ListBullet2", "ListBullet3"), True: ("ListNumber", "ListNumber2", "ListNumber3")}
TEXT_STYLE, QUOTE_STYLE, NOTE_STYLE, DEFINITION_STYLE, CAPTION_STYLE = (
    "Normal", "Quote", "BodyText3", "ListContinue", "Caption")
PUBLICATION_KEYS = ("statement_url", "request_email", "homepage_link_text", "publication_date")
# A data table's codes, each printed as the word `{column}_{code}` (status_in_progress: "In progress").
CELL_CODES = {"status": ("done", "in-progress", "not-started", "dropped", "to-report"), "kind": ("output", "outcome")}


@dataclass(frozen=True)
class Clauses:
    """One language's wording of msgen's own: the standard clauses, compiled (name -> Jinja
    template), and `words`, the labels, headings and notices msgen prints around the body's
    text (name -> text), each the templates folder's when it gives it, else msgen's."""

    file: Path
    templates: Mapping[str, Any]
    words: Mapping[str, str]
    language: str = ENGLISH

    def render(self, name: str, context: Mapping[str, Any], at: JsonPath) -> str:
        template = self.templates.get(name)
        if template is None:
            raise TemplateError(f"the clause file has no clause '{name}' (asked for at {format_path(at)})",
                                file=self.file, fix=f"add '{name}:' to the clause file, or copy msgen's own")
        try:
            return " ".join(template.render(context).split())
        except TemplateError:
            raise
        except Exception as exc:  # a wording that reads a value this profile lacks
            raise TemplateError(f"the clause '{name}' cannot be written for {format_path(at)}: {exc}",
                                file=self.file) from None


def cell_words(words: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """A data table's codes as its cells print them in `words`' language ({"status": {"done":
    "Done", …}, "kind": {…}}), so check and pull can read a printed word back as its code."""
    return {column: {code: words[f"{column}_{code.replace('-', '_')}"] for code in codes}
            for column, codes in CELL_CODES.items()}


def msgen_words(language: str = ENGLISH) -> Mapping[str, str]:
    """msgen's own words in `language` (its templates' clause file), for readers of a document
    built without a templates folder of the user's."""
    from msgen import resources

    return load_clauses(resources.templates_dir(2), language).words


def clause_file(language: str = ENGLISH) -> str:
    """The clause file's name for a language: clauses.en.yaml, clauses.cy.yaml."""
    return f"clauses.{language}.yaml"


def load_clauses(folder: Path, language: str = ENGLISH) -> Clauses:
    """The clause file of a templates folder for `language`, or msgen's own when the folder
    has none; a word the folder's file leaves out is msgen's."""
    from msgen import resources

    own = resources.templates_dir(2) / clause_file(language)
    path = folder / clause_file(language)
    if not path.exists():
        path = own
    clauses = _read_clauses(path, language)
    if path == own:
        return clauses
    return replace(clauses, words={**_read_clauses(own, language).words, **clauses.words})


def _read_clauses(path: Path, language: str) -> Clauses:
    from msgen.files import read_limited

    return _compiled_clauses(path, read_limited(path, 1024 * 1024, "clause file"), language)


@cache
def _compiled_clauses(path: Path, raw: bytes, language: str) -> Clauses:
    import jinja2
    import yaml

    from msgen.document.bounds import BoundedSandbox

    try:
        wording = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TemplateError(f"the clause file is not readable YAML: {str(exc).splitlines()[0]}", file=path) from None
    words = wording.pop(WORDS_KEY, {}) if isinstance(wording, dict) else {}
    if not isinstance(wording, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in wording.items()):
        raise TemplateError("the clause file must map each clause's name to its wording (text)", file=path)
    if not isinstance(words, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in words.items()):
        raise TemplateError(f"the clause file's '{WORDS_KEY}' must map each word's name to its text", file=path)
    environment = BoundedSandbox(undefined=jinja2.StrictUndefined, autoescape=False)
    try:
        return Clauses(path, {name: environment.from_string(text) for name, text in wording.items()}, words,
                       language)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"a clause's wording is not a valid template: {exc.message}", file=path,
                            line=exc.lineno) from None


# -- inline text ------------------------------------------------------------------------------

@cache
def _inline_parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("zero").enable(["emphasis", "link"])


def spans(text: str, path: str) -> list[dict[str, Any]]:
    """The runs of one paragraph: [{text, bold, italic, url}], text as Fields of `path`."""
    path = field_path(text, path)
    text = text.strip()
    if "*" not in text and "[" not in text:
        return [_span(Field(text, path))]
    found: list[dict[str, Any]] = []
    bold = italic = 0
    url = ""
    for token in _inline_parser().parseInline(text)[0].children or []:
        if token.type in ("strong_open", "strong_close"):
            bold += 1 if token.type == "strong_open" else -1
        elif token.type in ("em_open", "em_close"):
            italic += 1 if token.type == "em_open" else -1
        elif token.type == "link_open":
            href = str(token.attrGet("href") or "")
            url = href if href.startswith(LINK_SCHEMES) else ""
        elif token.type == "link_close":
            url = ""
        elif token.content:
            found.append(_span(Field(token.content, path), bold=bold > 0, italic=italic > 0, url=url))
    return found


def dates_written(data: Mapping[str, Any]) -> re.Pattern | None:
    """The approval and signing dates as a statement's own sentences write them ('26th November
    2020', '26 November 2020', '26/11/2020', '26.11.20'): a draft prints none of them, even in
    the body's words ("approved … on 26th November 2020", in Welsh "26 Tachwedd 2020"), since
    nothing is approved yet."""
    dates = {str(day) for day in [(data.get("approval") or {}).get("date"),
                                  *(person.get("date") for person in data.get("signatories") or [])] if day}
    forms = []
    for iso in sorted(dates):
        day, month, year = grammar.long_date(iso).split()
        welsh_month = grammar.long_date(iso, "cy").split()[1]  # a Welsh text's "26 Tachwedd 2020"
        number = iso[5:7]
        forms += [rf"\b0?{day}(?:st|nd|rd|th|af|il|ydd|ed|fed)?\s+(?:{month}|{welsh_month})\s+{year}\b",
                  rf"\b0?{day}[./]{number.lstrip('0')}[./](?:{year}|{year[2:]})\b",
                  rf"\b0?{day}[./]{number}[./](?:{year}|{year[2:]})\b"]
    return re.compile("|".join(forms)) if forms else None


def _undated(runs: list[dict[str, Any]], dates: re.Pattern, blank: str) -> list[dict[str, Any]]:
    """The runs with each date `dates` finds in the body's text printed as `blank`, to fill; the
    rest of the text stays its field (the blank is msgen's, outside it, as check and pull read)."""
    found: list[dict[str, Any]] = []
    for run in runs:
        text = run["text"]
        if not isinstance(text, Field) or not dates.search(text):
            found.append(run)
            continue
        for index, piece in enumerate(dates.split(text)):
            if index:
                found.append({**run, "text": blank})
            if piece:
                found.append({**run, "text": Field(piece, text.path)})
    return found


def _field(value: str, at: JsonPath) -> Field:
    return Field(value, field_path(value, format_path(at)))


def _span(text: str, *, bold: bool = False, italic: bool = False, url: str = "") -> dict[str, Any]:
    return {"text": text, "bold": bold, "italic": italic, "url": url}


def _row(style: str, runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {"kind": "text", "style": style, "spans": runs}


def _table_row(header: list, rows: list[list], caption: str, *, shown_caption: str = "") -> dict[str, Any]:
    """A table: `caption` names it to screen readers; `shown_caption` (the body's own) is printed."""
    return {"kind": "table", "header": header, "rows": rows, "caption": caption, "shown_caption": shown_caption}


# -- the document -----------------------------------------------------------------------------

class _Writer:
    """Walks one document's sections into rows."""

    def __init__(self, profile: LoadedProfile, clauses: Clauses, words: Mapping[str, Any], draft: bool) -> None:
        self.profile, self.data, self.clauses, self.words = profile, profile.data, clauses, words
        self.draft = draft
        self.undated = dates_written(profile.data) if draft else None
        self.rows: list[dict[str, Any]] = []
        self.signed = False

    def text(self, style: str, value: str, at: JsonPath) -> None:
        runs = spans(value, format_path(at))
        self.rows.append(_row(style, _undated(runs, self.undated, self.clauses.words["undated_approval"])
                              if self.undated else runs))

    def section(self, section: dict, at: JsonPath) -> None:
        if "heading" in section:
            runs = [_span(_field(section["number"], at + ("number",))), _span(" ")] \
                if "number" in section else []
            heading = spans(section["heading"], format_path(at + ("heading",)))
            self.rows.append(_row(HEADING_STYLES[section.get("level", 1)], runs + heading))
        for index, block in enumerate(section["blocks"]):
            self.block(block, at + ("blocks", index))
        if section.get("signatories"):
            self.rows.append(_signatures_row(self.signatories(at + ("signatories",))))

    def blocks(self, blocks: list, at: JsonPath) -> None:
        for index, block in enumerate(blocks):
            self.block(block, at + (index,))

    def block(self, block: dict, at: JsonPath) -> None:
        if "p" in block:
            self.text(TEXT_STYLE, block["p"], at + ("p",))
        elif "list" in block:
            self.list_items(block["list"], at + ("list",), bool(block.get("numbered")), 0)
        elif "heading" in block:
            self.text(HEADING_STYLES[block.get("level", 2)], block["heading"], at + ("heading",))
        elif "quote" in block:
            if isinstance(block["quote"], list):
                for index, paragraph in enumerate(block["quote"]):
                    self.text(QUOTE_STYLE, paragraph, at + ("quote", index))
            else:
                self.text(QUOTE_STYLE, block["quote"], at + ("quote",))
            if "source" in block:
                source = spans(block["source"], format_path(at + ("source",)))
                self.rows.append(_row(QUOTE_STYLE, [_span("— "), *source]))
        elif "definitions" in block:
            for index, item in enumerate(block["definitions"]):
                where = at + ("definitions", index)
                self.rows.append(_row(TEXT_STYLE, [_span(_field(item["term"], where + ("term",)), bold=True)]))
                self.text(DEFINITION_STYLE, item["definition"], where + ("definition",))
        elif "table" in block:
            self.table(block["table"], at + ("table",))
        elif "note" in block:
            self.text(NOTE_STYLE, block["note"], at + ("note",))
            if "source" in block:
                self.rows.append(_row(NOTE_STYLE, [_span(f"{self.clauses.words['source']}: "),
                                                   *spans(block["source"], format_path(at + ("source",)))]))
        elif "image" in block:
            self.rows.append({"kind": "image", "image": {
                "path": str(self.profile.resolve(block["image"])),
                "alt_text": _field(block["alt"], at + ("alt",))}})
        elif "clause" in block:
            words = {**self.words, "block": _clause_block(block, self.words, self.clauses.words)}
            wording = self.clauses.render(block["clause"], words, at)
            if wording:
                self.rows.append(_row(TEXT_STYLE, [_span(wording)]))
        elif "data" in block:
            if "lead_in" in block:
                self.text(TEXT_STYLE, block["lead_in"], at + ("lead_in",))
            _DATA[block["data"]](self, at)

    def list_items(self, items: list, at: JsonPath, numbered: bool, depth: int) -> None:
        style = LIST_STYLES[numbered][min(depth, 2)]
        for index, item in enumerate(items):
            if isinstance(item, str):
                self.text(style, item, at + (index,))
            else:
                self.text(style, item["text"], at + (index, "text"))
                self.list_items(item["items"], at + (index, "items"), numbered, depth + 1)

    def table(self, table: dict, at: JsonPath) -> None:
        width = max(len(row) for row in table["rows"])
        header = [_field(cell, at + ("header", index)) for index, cell in enumerate(table.get("header", []))]
        rows = [[_field(row[index], at + ("rows", number, index)) if index < len(row) else MISSING
                 for index in range(width)] for number, row in enumerate(table["rows"])]
        caption = _field(table["caption"], at + ("caption",)) if "caption" in table else ""
        self.rows.append(_table_row(header + [""] * (width - len(header)) if header else [], rows,
                                    caption or self.clauses.words["table"], shown_caption=caption))

    def signatories(self, at: JsonPath) -> list[dict[str, Any]]:
        names = {body["id"]: index for index, body in enumerate(self.data["bodies"])}
        people = []
        for index, person in enumerate(_get(self.data, at)):
            where = at + (index,)
            image = person.get("signature_image")
            people.append({
                "name": _field(person["name"], where + ("name",)),
                "role": _field(person["role"], where + ("role",)),
                "organisation": _field(person["organisation_name"], where + ("organisation_name",))
                if "organisation_name" in person else
                _field(self.data["bodies"][names[person["organisation"]]]["legal_name"],
                       ("bodies", names[person["organisation"]], "legal_name")),
                "date": self.date(person.get("date")) or (self.clauses.words["undated_signing"] if self.draft else ""),
                "signature_image": {"path": str(self.profile.resolve(image["path"])),
                                    "alt_text": _field(image["alt_text"], where + ("signature_image", "alt_text"))}
                if image else {},
            })
        return people

    def date(self, iso: str | None) -> str:
        """A date in words; "" when not given, or in a draft (nothing is dated before approval)."""
        return grammar.long_date(iso, self.clauses.language) if iso and not self.draft else ""

    def signature_block(self, *, with_approval: bool = True, heading: str = "") -> None:
        """The statement's signatories, after the approval record unless `with_approval` is
        false (the body's own text already says who approved it and when)."""
        self.signed = True
        if not with_approval:
            self.rows.append(_signatures_row(self.signatories(("signatories",))))
            return
        approval = self.data["approval"]
        attended = [_field(name, ("approval", "attended_by", index))
                    for index, name in enumerate(approval.get("attended_by", []))]
        self.rows.append(_signatures_row(self.signatories(("signatories",)), heading=heading, approval={
            "body": _field(approval["body"], ("approval", "body")),
            "date": self.date(approval.get("date")),
            "decision_reference": _field(approval["decision_reference"], ("approval", "decision_reference"))
            if "decision_reference" in approval else "",
            "attended_by_text": grammar.join_and(attended, self.clauses.language)}))


def _signatures_row(signatories: list[dict[str, Any]], *, heading: str = "",
                    approval: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A signature block row (its shape is in the module's docstring)."""
    return {"kind": "signatures", "heading": heading, "approval": dict(approval or {}), "signatories": signatories}


def _get(data: Any, at: JsonPath) -> Any:
    for part in at:
        data = data[part]
    return data


def _clause_block(block: dict, words: Mapping[str, Any], labels: Mapping[str, str]) -> dict[str, Any]:
    """What a clause's wording may read of the block that asks for it; `area_words` names the
    area in the clause file's words, with "{its}" the bodies' possessive."""
    area = block.get("area", "")
    area_words = filled(labels[f"area_{area}"], its=words["we"]["its"]) if area else ""
    return {"area": area, "area_words": area_words,
            "reason": block.get("reason", ""), "reason_end": grammar.full_stop_after(block.get("reason", ""))}


# -- data blocks ------------------------------------------------------------------------------

def _bodies(writer: _Writer, at: JsonPath) -> None:
    """Each body's own words, then its figures and website in msgen's sentences; in a joint
    statement under a heading naming the body (with its abbreviation, when it has one)."""
    from msgen.document.context import figures_sentences

    many = len(writer.data["bodies"]) > 1
    for index, body in enumerate(writer.data["bodies"]):
        where = ("bodies", index)
        label = writer.words["bodies"][index]["refer_as"]
        if many:
            name = [_span(_field(body["legal_name"], where + ("legal_name",)))]
            if "short_name" in body:
                name += [_span(" ("), _span(_field(body["short_name"], where + ("short_name",))), _span(")")]
            writer.rows.append(_row(HEADING_STYLES[2], name))
        writer.blocks(body.get("description", []), where + ("description",))
        figures = figures_sentences(grammar.capitalise_first(label), body.get("area_served", ""),
                                    body.get("figures", {}), words=writer.clauses.words, name=body["legal_name"],
                                    language=writer.clauses.language)
        if figures:
            writer.rows.append(_row(TEXT_STYLE, [_span(figures)]))
        if "website" in body:
            more_about = filled(writer.clauses.words["more_about"], body=label)
            writer.rows.append(_row(TEXT_STYLE, [_span(f"{more_about}: "),
                                                 _span(_field(body["website"], where + ("website",)))]))


def _bullets(key: str):
    def write(writer: _Writer, at: JsonPath) -> None:
        writer.list_items(writer.data.get("data", {}).get(key, []), ("data", key), False, 0)
    return write


def _policies(writer: _Writer, at: JsonPath) -> None:
    for index, policy in enumerate(writer.data.get("data", {}).get("policies", [])):
        where = ("data", "policies", index)
        runs = [_span(_field(policy["name"], where + ("name",)), bold="description" in policy)]
        if "description" in policy:
            runs += [_span(": "), *spans(policy["description"], format_path(where + ("description",)))]
        if "url" in policy:
            runs += [_span(" ("), _span(_field(policy["url"], where + ("url",)), url=policy["url"]), _span(")")]
        writer.rows.append(_row(LIST_STYLES[False][0], runs))


def _named_paragraphs(key: str, name: str, text: str):
    def write(writer: _Writer, at: JsonPath) -> None:
        for index, item in enumerate(writer.data.get("data", {}).get(key, [])):
            where = ("data", key, index)
            writer.rows.append(_row(TEXT_STYLE, [_span(_field(item[name], where + (name,)), bold=True),
                                                 _span(": "), *spans(item[text], format_path(where + (text,)))]))
    return write


def _table_of(key: str, columns: tuple[str, ...]):
    """A data list as a table of its `columns` (fields), captioned by the word `key` and headed
    by the words `{key}_{column}`; status and kind codes are spelt out in words."""
    def write(writer: _Writer, at: JsonPath) -> None:
        items, words = writer.data.get("data", {}).get(key, []), writer.clauses.words
        if not items:
            return
        codes = cell_words(words)
        rows = [[Field(codes.get(name, {}).get(item[name], str(item[name])),
                       field_path(item[name], format_path(("data", key, index, name)))) if name in item else MISSING
                 for name in columns] for index, item in enumerate(items)]
        header, rows = filled_columns([words[f"{key}_{name}"] for name in columns], rows, draft=writer.draft)
        writer.rows.append(_table_row(header, rows, words[key]))
    return write


RISK_COLUMNS = ("description", "place", "groups_affected", "mitigation")  # words risks_{column}
RISK_PLACES = {"Within your own operations": "risks_own_operations", "Within your supply chains": "risks_supply_chains",
               "Other": "risks_other"}  # where a priority risk arises: the word that says it


def _risks(writer: _Writer, at: JsonPath) -> None:
    """The higher-risk areas as bullets, then the priority risks as version 1 tabled them:
    where each arises (tiers, countries) and who it affects, in words."""
    risks, words = writer.data.get("data", {}).get("risks", {}), writer.clauses.words
    language = writer.clauses.language
    writer.list_items(risks.get("areas", []), ("data", "risks", "areas"), False, 0)
    rows = []
    for index, risk in enumerate(risks.get("priority_risks", [])):
        where = ("data", "risks", "priority_risks", index)
        tiers = risk.get("supply_chain_tiers", [])
        place = words[RISK_PLACES[risk["area"]]] + (f" ({grammar.join_and(tiers, language)})" if tiers else "")
        if risk.get("countries"):
            place += f": {grammar.join_and(risk['countries'], language)}"
        rows.append([_field(risk["description"], where + ("description",)), place,
                     grammar.join_and(risk.get("groups_affected", []), language) or MISSING,
                     _field(risk["mitigation"], where + ("mitigation",))])
    if rows:
        writer.rows.append(_table_row([words[f"risks_{name}"] for name in RISK_COLUMNS], rows, words["risks"]))


def _training(writer: _Writer, at: JsonPath) -> None:
    for index, course in enumerate(writer.data.get("data", {}).get("training", [])):
        where = ("data", "training", index)
        writer.rows.append(_row(TEXT_STYLE, [_span(_field(course["audience"], where + ("audience",)), bold=True)]))
        writer.text(TEXT_STYLE, course["content"], where + ("content",))
        if "frequency" in course:
            writer.rows.append(_row(TEXT_STYLE, [_span(f"{writer.clauses.words['how_often']}: "),
                                                 *spans(course["frequency"], format_path(where + ("frequency",)))]))
        writer.list_items(course.get("topics", []), where + ("topics",), False, 0)


def _welsh_code(writer: _Writer, at: JsonPath) -> None:
    """The Welsh Government Code's reporting as tables: progress on its commitments, the
    action plan, and its figures (the year signed up, staff trained, suppliers signed up);
    every label in the clause file's words, so each language prints its own."""
    code, words = writer.data.get("data", {}).get("welsh_code", {}), writer.clauses.words
    where: JsonPath = ("data", "welsh_code")
    if code.get("commitments"):
        rows = [[Field(str(item["number"]), format_path(where + ("commitments", index, "number"))),
                 _field(item["progress"], where + ("commitments", index, "progress"))]
                for index, item in enumerate(code["commitments"])]
        writer.rows.append(_table_row([words["welsh_code_commitment"], words["welsh_code_progress"]], rows,
                                      words["welsh_code_commitments"]))
    if code.get("action_plan"):
        columns = ("action", "owner", "due", "status")
        plan: list[list[str]] = [
            [(Field(cell_words(words)["status"][item[name]], format_path(where + ("action_plan", index, name)))
              if name == "status" else _field(item[name], where + ("action_plan", index, name)))
             if name in item else MISSING for name in columns] for index, item in enumerate(code["action_plan"])]
        header, plan = filled_columns([words[f"welsh_code_{name}"] for name in columns], plan, draft=writer.draft)
        writer.rows.append(_table_row(header, plan, words["welsh_code_action_plan"]))
    figures = [[words[f"welsh_code_{name}"], Field(str(code[name]), format_path(where + (name,)))]
               for name in ("signed_up", "staff_trained", "suppliers_signed_up") if name in code]
    if figures:
        writer.rows.append(_table_row([words["welsh_code_figure"], words["welsh_code_number"]], figures,
                                      words["welsh_code_figures"]))


def _signatures(writer: _Writer, at: JsonPath) -> None:
    writer.signature_block()


def _signatories(writer: _Writer, at: JsonPath) -> None:
    writer.signature_block(with_approval=False)


_DATA = {
    "bodies": _bodies,
    "policies": _policies,
    "due-diligence": _bullets("due_diligence"),
    "commitments": _bullets("commitments"),
    "risks": _risks,
    "kpis": _table_of("kpis", ("name", "kind", "target", "actual", "previous")),
    "training": _training,
    "progress": _table_of("progress", ("commitment", "status", "evidence")),
    "partnerships": _named_paragraphs("partnerships", "name", "description"),
    "responsibilities": _table_of("responsibilities", ("area", "owner", "description")),
    "signatures": _signatures,
    "signatories": _signatories,
    "welsh-code": _welsh_code,
}


# -- the context ------------------------------------------------------------------------------

def clause_words(profile: LoadedProfile, clauses: Clauses, *, draft: bool = False) -> dict[str, Any]:
    """What a clause's wording may read, in the clause file's language: `we` (the bodies as
    subject, with agreement), `statement` (the year, period and publication in words; no
    publication date in a draft) and `bodies`."""
    from msgen.document.context import subject_forms

    data, language, words = profile.data, clauses.language, clauses.words
    bodies = data["bodies"]
    names = [body["legal_name"] if language != ENGLISH else grammar.with_article(body["legal_name"])
             for body in bodies]  # Welsh names carry their own article ("Comisiynydd yr Heddlu …")
    full = grammar.join_and(names, language)
    labels = [body.get("refer_as") or body.get("text_name") or words[f"refer_as_{body['type'].replace('-', '_')}"]
              for body in bodies]
    statement = data["statement"]
    period = statement.get("period", {})
    years = statement.get("years_producing")
    publication = statement.get("publication", {})
    return {
        "we": subject_forms(full, _subject(labels, words, language), plural=len(bodies) > 1),
        "statement": {
            "title": statement.get("title", ""),
            "financial_year": grammar.fy_slash(statement["financial_year"]) if "financial_year" in statement else "",
            "period": grammar.period_words(period["start"], period["end"], language) if period else "",
            "legal_basis": statement.get("legal_basis", ""),
            "ordinal": grammar.ordinal_words(years, language) if isinstance(years, int) else "",
            "first": years == 1,
            "publication": {key: _publication_value(publication, key, draft, language) for key in PUBLICATION_KEYS},
            "previous_statements": [{"year": grammar.fy_slash(item["year"]), "url": item["url"]}
                                    for item in statement.get("previous_statements", [])],
        },
        "bodies": [{"legal_name": body["legal_name"], "text_name": body.get("text_name", body["legal_name"]),
                    "short_name": body.get("short_name", ""), "refer_as": label}
                   for body, label in zip(bodies, labels)],
    }


def _publication_value(publication: Mapping[str, str], key: str, draft: bool, language: str) -> str:
    if not key.endswith("date"):
        return publication.get(key, "")
    return grammar.long_date(publication[key], language) if key in publication and not draft else ""


def _subject(labels: list[str], words: Mapping[str, str], language: str) -> str:
    """How clauses name the bodies together: "the Force and the Office", or, when two
    would read alike (seven offices and seven forces), "the organisations"."""
    return grammar.join_and(labels, language) if len(set(labels)) == len(labels) else words["the_organisations"]


def document_rows(profile: LoadedProfile, clauses: Clauses, document: str, *,
                  draft: bool = False) -> list[dict[str, Any]]:
    """The rows of "statement" or "charter": the sections in order, then (for a statement
    that places it nowhere) the signature block under a heading of its own."""
    writer = _Writer(profile, clauses, clause_words(profile, clauses, draft=draft), draft)
    at: JsonPath = ("sections",) if document == "statement" else ("supplier_charter", "sections")
    for index, section in enumerate(_get(profile.data, at)):
        writer.section(section, at + (index,))
    if document == "statement" and not writer.signed:
        writer.signature_block(heading=clauses.words["approval_heading"])
    return writer.rows


def build_sections_context(profile: LoadedProfile, clauses: Clauses, *, draft: bool = False) -> dict[str, Any]:
    """The context of a version-2 profile's documents: `document` (title, masthead and
    rows) for the statement, and `charter` likewise when it has one; `branding` (logos,
    accent colour, font); `words` (the clause file's labels, for the templates' own);
    `draft` (no approval, publication or signing date is given);
    `images` lists every picture the profile names (the only files a template may embed)."""
    data = profile.data
    title = data["statement"].get("title")
    names = [body["legal_name"] for body in data["bodies"]]
    year = grammar.fy_slash(data["statement"]["financial_year"]) if "financial_year" in data["statement"] else ""
    context: dict[str, Any] = {"draft": draft, "branding": _branding(profile), "words": clauses.words, "document": {
        "title": _field(title, ("statement", "title")) if title else "",
        "masthead": {**masthead(names, title or clauses.words["untitled_statement"], year),
                     "title_year": ""},  # the body's title
        "rows": document_rows(profile, clauses, "statement", draft=draft)}}
    if "supplier_charter" in data:
        charter_title = data["supplier_charter"]["title"]
        context["charter"] = {"title": _field(charter_title, ("supplier_charter", "title")),
                              "masthead": masthead(names, charter_title, year),
                              "rows": document_rows(profile, clauses, "charter", draft=draft)}
    context["images"] = sorted({str(row["image"]["path"]) for row in _all_rows(context) if row["kind"] == "image"}
                               | {str(person["signature_image"]["path"]) for row in _all_rows(context)
                                  if row["kind"] == "signatures" for person in row["signatories"]
                                  if person["signature_image"]}
                               | {str(logo["path"]) for logo in context["branding"]["logos"]})
    return context


def _branding(profile: LoadedProfile) -> dict[str, Any]:
    """The profile's `branding`, every key present: logos (path resolved, alt text as a
    Field), accent colour ("#RRGGBB" or "") and font ("" for the template's own)."""
    branding = profile.data.get("branding", {})
    return {"logos": [{"path": str(profile.resolve(logo["path"])),
                       "alt_text": _field(logo["alt_text"], ("branding", "logos", index, "alt_text"))}
                      for index, logo in enumerate(branding.get("logos", []))],
            "accent_colour": branding.get("accent_colour", ""), "font": branding.get("font", "")}


def _all_rows(context: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for document in ("document", "charter"):
        if document in context:
            yield from context[document]["rows"]
