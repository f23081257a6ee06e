"""Turn a valid profile into the context both Word templates are rendered with.

Every string taken from the profile is a `Field` carrying its profile path; text msgen
composes (joined names, dates in words, verb agreement) is a plain str. Every key a
template may test is always present (optional text as "", optional lists as []) because
the templates render with StrictUndefined, where `{% if missing %}` is an error; table
cells with no value read "—" rather than being left blank. Nothing here is ever None.
Keys never shadow dict methods (a template's `x.items` would find dict.items), so the
profile's policy and training `items` are `policies` and `courses`, and the charter's
`values` are `shared_values`.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from msgen import resources

from msgen.document import grammar
from msgen.errors import format_path
from msgen.document.fields import Field
from msgen.profile.loader import JsonPath, LoadedProfile

MISSING = "—"  # what a table cell says when the profile gives no value
REFERRED_TO_AS = {"police-force": "the Force", "pcc-office": "the Office", "pfcc-office": "the Office",
                  "fire-and-rescue": "the Service", "other": "the Organisation"}
STATUS_WORDS = {"done": "Done", "in-progress": "In progress", "not-started": "Not started",
                "dropped": "Dropped", "to-report": "To report"}
RISK_PLACE_WORDS = {"Within your own operations": "Own operations", "Within your supply chains": "Supply chains",
                    "Other": "Other"}
# What a document's properties call it, by default (version 1, and version 2 in English):
# version 2 gives the clause file's words of the same names, so a Welsh document's are Welsh.
PROPERTY_WORDS = {"document_title": "Modern slavery and human trafficking statement",
                  "document_subject": "Modern slavery and human trafficking statement for the financial year {year}",
                  "document_keywords": "modern slavery, human trafficking, Modern Slavery Act 2015",
                  "charter_subject": "Supplier charter of {body}"}
# A body's figures in sentences, by default (version 1, and version 2 in English: the clause
# file's words of the same names); see figures_sentences.
FIGURE_WORDS = {"figures_reach": "{body} {facts}.", "figures_people": "{body} has {people}.",
                "figures_people_after_reach": "It has {people}.", "figures_serves": "serves {area}",
                "figures_serves_population": "serves {area} (population {number})",
                "figures_population": "serves a population of {number}",
                "figures_area_square_miles": "covers {number} square miles",
                "figures_stations": "works from {number} stations",
                "figures_budget": "has a net revenue budget of {amount}", "million": "million", "billion": "billion",
                "figures_employees": "{number} employees", "figures_officers": "{number} police officers",
                "figures_staff": "{number} staff", "figures_volunteers": "{number} volunteers"}
# Verbs a template conjugates through `we.verb.<base>` ("SP assesses" / "SCO and SP assess");
# a base not listed here is a template error, never a silently wrong word.
TEMPLATE_VERBS = ("assess", "choose")


def build_context(profile: LoadedProfile, *, draft: bool = False) -> dict[str, Any]:
    """The template context for the statement and the supplier charter (pure: no I/O).
    A `draft` carries no approval, publication or signing date: printed, a date would
    read as given (see `undated`)."""
    read = _Reader(profile, draft=draft)
    orgs = profile.data["organisations"]
    joint = profile.data["statement"]["kind"] == "joint"
    statement = _statement(read)
    context = {
        "draft": draft,
        "statement": statement,
        "masthead": masthead([org["name"] for org in orgs], statement["title"], statement["financial_year"]),
        "we": _we(read, orgs, joint),
        "organisations": [_organisation(read, index, joint) for index in range(len(orgs))],
        "scope": _scope(read),
        "areas": {name: _area(read, name) for name in profile.data["areas"]},
        "operational_response": _operational_response(read),
        "actions": _actions(read),
        "custom": _custom_sections(read),
        "approval": _approval(read),
        "signatories": [_signatory(read, index) for index in range(len(profile.data["signatories"]))],
    }
    if "supplier_charter" in profile.data:
        context["charter"] = _charter(read)
    return context


# What a draft prints where a final statement prints a date: a blank that says the date is to come.
UNDATED_SIGNING = "[date of signing]"


def masthead(names: list[str], title: str, financial_year: str) -> dict[str, Any]:
    """What the first page and every page's header say about whose document this is:
    `bodies` (their names, one line each), `year` ("2022/23", "" when the profile does not say),
    `title_year` (the year when the title lacks it, to print after the title: every
    document title names its year) and `running_head` (the title and year)."""
    missing_year = "" if not financial_year or names_year(title, financial_year) else financial_year
    return {"bodies": [str(name).strip() for name in names], "year": financial_year,
            "title_year": missing_year,
            "running_head": " ".join(filter(None, [str(title).strip(), missing_year]))}


def names_year(title: str, financial_year: str) -> bool:
    """Whether `title` already names the financial year ("2022/23", "2022-23") or one of
    its calendar years ("Statement 2022")."""
    start, end = financial_year[:4], financial_year[-2:]
    return any(form in title for form in (start, f"20{end}", f"{start}/{end}", f"{start}-{end}", f"{start}–{end}"))


def document_properties(profile: LoadedProfile, document: str, *, draft: bool = False,
                        words: Mapping[str, str] = PROPERTY_WORDS, language: str = "en") -> dict[str, str]:
    """Plain-string core properties for "statement" or "charter" (the engine writes them),
    worded in `words` (the clause file's, in the document's language); a draft's date is
    never its approval date, which would date it as approved."""
    data = profile.data
    statement = data["statement"]
    year = grammar.fy_slash(statement["financial_year"]) if "financial_year" in statement else ""
    author = grammar.join_and([org["legal_name"].strip() for org in data["bodies"]] if profile.version == 2
                              else [org["name"].strip() for org in data["organisations"]], language)
    if document == "statement":
        # The title names the bodies and the year: it is what a browser tab, a PDF reader
        # and a screen reader announce, where the first page's heading is not seen.
        title = statement.get("title", "").strip() or " ".join([words["document_title"], year]).strip()
        named = year in title if profile.version == 1 else names_year(title, year)  # version 2: "… 2022" too
        title = f"{title} {year}: {author}" if year and not named else f"{title}: {author}"
        subject = filled(words["document_subject"], year=year) if year else words["document_title"]
    elif document == "charter":
        title = data["supplier_charter"]["title"].strip()
        title = f"{title} {year}" if year and not names_year(title, year) else title
        made_by = data["supplier_charter"].get("collaboration", author).strip()
        subject = filled(words["charter_subject"], body=made_by)
    else:
        raise ValueError(f"unknown document {document!r}; expected 'statement' or 'charter'")
    return {
        "title": title,
        "subject": subject,
        "author": author,
        "keywords": ", ".join(filter(None, [words["document_keywords"], year])),
        "date": _document_date(data, draft),
    }


def _document_date(data: dict[str, Any], draft: bool) -> str:
    """The date a document carries: its approval (not in a draft), else the end of its period
    or financial year, else a fixed date (a version-2 statement may give none; the output
    stays the same)."""
    statement = data["statement"]
    if data["approval"].get("date") and not draft:
        return str(data["approval"]["date"])
    if "period" in statement:
        return str(statement["period"]["end"])
    if "financial_year" in statement:
        return f"{int(statement['financial_year'][:4]) + 1}-03-31"
    return "2000-01-01"


class _Reader:
    """Reads profile values by path and wraps the strings as Fields that know that path."""

    def __init__(self, profile: LoadedProfile, *, draft: bool = False) -> None:
        self.profile, self.draft = profile, draft

    def raw(self, *path: str | int, default: Any = None) -> Any:
        value: Any = self.profile.data
        for part in path:
            if isinstance(value, dict) and part in value:
                value = value[part]
            elif isinstance(value, list) and isinstance(part, int):
                value = value[part]
            else:
                return default
        return value

    def field(self, *path: str | int) -> Field | str:
        """The text at `path` as a Field, or "" when the profile leaves it out."""
        value = self.raw(*path)
        if not isinstance(value, str):
            return ""
        return Field(value.strip(), format_path(path))

    def fields(self, *path: str | int) -> list[Field | str]:
        """Each string of the list at `path` as a Field ([] when the list is left out)."""
        return [self.field(*path, index) for index in range(len(self.raw(*path, default=[])))]

    def cell(self, *path: str | int) -> Field | str:
        """Like field(), but "—" when left out: a table cell is never blank."""
        return self.field(*path) or MISSING

    def date(self, *path: str | int) -> str:
        """The date in words; "" when not given, or in a draft (nothing is dated before approval)."""
        value = self.raw(*path)
        return grammar.long_date(value) if value and not self.draft else ""

    def resolve(self, relative: str) -> str:
        return str(self.profile.resolve(relative))


def _statement(read: _Reader) -> dict[str, Any]:
    years = read.raw("statement", "years_producing")
    start, end = read.raw("statement", "period", "start"), read.raw("statement", "period", "end")
    return {
        "title": read.field("statement", "title"),
        "joint": read.raw("statement", "kind") == "joint",
        "financial_year": grammar.fy_slash(read.raw("statement", "financial_year")),
        "period": grammar.period_words(start, end),
        "period_start": grammar.long_date(start),
        "period_end": grammar.long_date(end),
        "statutory": read.raw("statement", "legal_basis") == "statutory",
        "voluntary": read.raw("statement", "legal_basis") == "voluntary",
        "first": years == 1,
        "ordinal": grammar.ordinal_words(years),
        "introduction": read.fields("statement", "introduction"),
        "publication": {
            "statement_url": read.field("statement", "publication", "statement_url"),
            "request_email": read.field("statement", "publication", "request_email"),
            "homepage_link_text": read.field("statement", "publication", "homepage_link_text"),
            "publication_date": read.date("statement", "publication", "publication_date"),
        },
        "previous_statements": [
            {"year": grammar.fy_slash(read.raw("statement", "previous_statements", index, "year")),
             "url": read.field("statement", "previous_statements", index, "url")}
            for index in range(len(read.raw("statement", "previous_statements", default=[])))
        ],
    }


def _label(read: _Reader, index: int, joint: bool) -> Field | str:
    """How later sentences name a body: its abbreviation in a joint statement, else
    `referred_to_as` or the default for its type ("the Force")."""
    if joint:
        return read.field("organisations", index, "short_name")
    given = read.field("organisations", index, "referred_to_as")
    return given or REFERRED_TO_AS[read.raw("organisations", index, "type")]


def _we(read: _Reader, orgs: list[dict], joint: bool) -> dict[str, Any]:
    """The statement's subject, from the organisations' names and labels."""
    if joint:
        full: Field | str = grammar.join_and([
            grammar.with_article(
                f"{read.field('organisations', i, 'name')} ({read.field('organisations', i, 'short_name')})")
            for i in range(len(orgs))])
        subject: Field | str = grammar.join_and([_label(read, i, joint) for i in range(len(orgs))])
    else:
        full = grammar.with_article(read.field("organisations", 0, "name"))  # the Field itself when no "the"
        subject = _label(read, 0, joint)
    return subject_forms(full, subject, plural=joint)


def subject_forms(full: str, subject: str, *, plural: bool) -> dict[str, Any]:
    """The statement's subject, with every form a template or clause needs so it never
    hard-codes agreement: "the Constabulary is" / "SCO, SP and SFRS are"."""
    return {
        "full": full,
        "subject": subject,
        "Subject": grammar.capitalise_first(subject),
        "possessive": grammar.possessive(subject),
        "Possessive": grammar.capitalise_first(grammar.possessive(subject)),
        "plural": plural,
        "it": "they" if plural else "it",
        "It": "They" if plural else "It",
        "its": "their" if plural else "its",
        "a_public_body": "public bodies" if plural else "a public body",
        "is_": grammar.verb_form("be", plural=plural),
        "has": grammar.verb_form("have", plural=plural),
        "was": "were" if plural else "was",
        "does": grammar.verb_form("do", plural=plural),
        "verb": {base: grammar.verb_form(base, plural=plural) for base in TEMPLATE_VERBS},
    }


def _organisation(read: _Reader, index: int, joint: bool) -> dict[str, Any]:
    label = _label(read, index, joint)
    return {
        "name": read.field("organisations", index, "name"),
        "short_name": read.field("organisations", index, "short_name"),
        "label": label,
        "Label": grammar.capitalise_first(label),
        "possessive": grammar.possessive(label),
        "description": read.fields("organisations", index, "description"),
        "area_served": read.field("organisations", index, "area_served"),
        "website": read.field("organisations", index, "website"),
        "figures": figures_sentences(grammar.capitalise_first(label),
                                      read.field("organisations", index, "area_served"),
                                      read.raw("organisations", index, "figures", default={})),
    }


def figures_sentences(label: str, area_served: str, figures: dict[str, int], *,
                      words: Mapping[str, str] = FIGURE_WORDS, name: str = "", language: str = "en") -> str:
    """Only the figures the profile gives, in sentences worded by `words` (each `figures_*`
    a phrase with its {number}, {area}, {amount}; `figures_reach` and `figures_people` the
    sentences, naming the body as {body}, its `label`, or {name}, its full name):
    "The Force serves Staffordshire (population 1,100,000), covers 1,000 square miles and
    works from 33 stations. It has 1,750 police officers and 1,250 staff." ("" when none)."""
    number = {key: grammar.thousands(value) for key, value in figures.items()}
    reach = []
    if area_served:
        served = "figures_serves_population" if "population" in number else "figures_serves"
        reach.append(filled(words[served], area=area_served, number=number.get("population", "")))
    elif "population" in number:
        reach.append(filled(words["figures_population"], number=number["population"]))
    reach += [filled(words[f"figures_{key}"], number=number[key]) for key in ("area_square_miles", "stations")
              if key in number]
    if "budget_gbp" in figures:
        amount = grammar.budget_words(figures["budget_gbp"], million=words["million"], billion=words["billion"])
        reach.append(filled(words["figures_budget"], amount=amount))
    people = _workforce(number, words, language)
    sentences = []
    if reach:
        sentences.append(filled(words["figures_reach"], body=label, name=name,
                                facts=grammar.join_and(reach, language)))
    if people:
        sentence = "figures_people_after_reach" if reach else "figures_people"
        sentences.append(filled(words[sentence], body=label, name=name, people=people))
    return " ".join(sentences)


def filled(wording: str, **values: str) -> str:
    """`wording` with each {key} of `values` put in, once (a value's own braces stay as written)."""
    return re.sub(r"\{(\w+)\}", lambda found: values.get(found[1], found[0]), wording)


def _workforce(number: dict[str, str], words: Mapping[str, str], language: str) -> str:
    """"3,500 employees (1,750 police officers and 1,250 staff) and 300 volunteers"."""
    split = [filled(words[f"figures_{key}"], number=number[key]) for key in ("officers", "staff") if key in number]
    if "employees" in number:
        employees = filled(words["figures_employees"], number=number["employees"])
        people = [employees + (f" ({grammar.join_and(split, language)})" if split else "")]
    else:
        people = split
    if "volunteers" in number:
        people.append(filled(words["figures_volunteers"], number=number["volunteers"]))
    return grammar.join_and(people, language)


def _scope(read: _Reader) -> dict[str, Any]:
    return {
        "description": read.field("scope", "description"),
        "collaboration": read.field("scope", "collaboration"),
        "responsibilities": [
            {"area": read.field("scope", "responsibilities", index, "area"),
             "owner": read.field("scope", "responsibilities", index, "owner"),
             "description": read.cell("scope", "responsibilities", index, "description")}
            for index in range(len(read.raw("scope", "responsibilities", default=[])))
        ],
    }


def _area(read: _Reader, name: str) -> dict[str, Any]:
    """One of the six s54(5) areas: its content when included, else the reason verbatim."""
    if not read.raw("areas", name, "included"):
        reason = read.field("areas", name, "reason")
        return {"included": False, "reason": reason, "reason_end": grammar.full_stop_after(reason)}
    return {"included": True, **_AREA_CONTENT[name](read, ("areas", name))}


def _structure(read: _Reader, at: JsonPath) -> dict[str, Any]:
    return {"paragraphs": read.fields(*at, "paragraphs"),
            "supply_chain_categories": read.fields(*at, "supply_chain_categories")}


def _policies(read: _Reader, at: JsonPath) -> dict[str, Any]:
    return {
        "introduction": read.field(*at, "introduction"),
        "policies": [{"name": read.field(*at, "items", index, "name"),
                   "description": read.field(*at, "items", index, "description"),
                   "url": read.field(*at, "items", index, "url")}
                  for index in range(len(read.raw(*at, "items")))],
    }


def _due_diligence(read: _Reader, at: JsonPath) -> dict[str, Any]:
    collaboration = read.raw(*at, "procurement_collaboration")
    msat = read.raw(*at, "msat")
    return {
        "introduction": read.field(*at, "introduction"),
        "measures": read.fields(*at, "measures"),
        "procurement_collaboration": {
            "name": read.field(*at, "procurement_collaboration", "name"),
            "short_name": read.field(*at, "procurement_collaboration", "short_name"),
            "members": read.fields(*at, "procurement_collaboration", "members"),
            "members_text": grammar.join_and(read.fields(*at, "procurement_collaboration", "members")),
            "description": read.field(*at, "procurement_collaboration", "description"),
        } if collaboration else {},
        "terms_and_conditions": read.field(*at, "terms_and_conditions"),
        "msat": {"used": msat["used"], "description": read.field(*at, "msat", "description")} if msat else {},
    }


def _risk(read: _Reader, at: JsonPath) -> dict[str, Any]:
    no_risks = read.raw(*at, "no_risks_identified")
    return {
        "method": read.field(*at, "method"),
        "level": read.raw(*at, "level", default=""),
        "areas": read.fields(*at, "areas"),
        "priority_risks": [_priority_risk(read, (*at, "priority_risks", index))
                           for index in range(len(read.raw(*at, "priority_risks", default=[])))],
        "no_risks_justification": read.field(*at, "no_risks_identified", "justification") if no_risks else "",
    }


def _priority_risk(read: _Reader, at: JsonPath) -> dict[str, Any]:
    """A registry-style priority risk, worded for a table row."""
    tiers = read.raw(*at, "supply_chain_tiers", default=[])
    where = RISK_PLACE_WORDS[read.raw(*at, "area")] + (f" ({grammar.join_and(tiers)})" if tiers else "")
    countries = read.fields(*at, "countries")
    if countries:
        where += f": {grammar.join_and(countries)}"
    return {
        "description": read.field(*at, "description"),
        "where": where,
        "groups_affected": grammar.join_and(read.raw(*at, "groups_affected", default=[])) or MISSING,
        "mitigation": read.field(*at, "mitigation"),
    }


KPI_COLUMNS = (("Indicator", "name"), ("Kind", "kind"), ("Target", "target"), ("Actual", "actual"),
               ("Last year", "previous"))


def _effectiveness(read: _Reader, at: JsonPath) -> dict[str, Any]:
    """The indicators, and `kpi_table` as the template prints them (see `filled_columns`)."""
    kpis = [{"name": read.field(*at, "kpis", index, "name"),
             "kind": read.raw(*at, "kpis", index, "kind").capitalize(),
             "target": read.cell(*at, "kpis", index, "target"),
             "actual": read.cell(*at, "kpis", index, "actual"),
             "previous": read.cell(*at, "kpis", index, "previous")}
            for index in range(len(read.raw(*at, "kpis")))]
    header, rows = filled_columns([title for title, _ in KPI_COLUMNS],
                                  [[kpi[key] for _, key in KPI_COLUMNS] for kpi in kpis], draft=read.draft)
    return {"introduction": read.field(*at, "introduction"), "kpis": kpis,
            "kpi_table": {"caption": "Key performance indicators", "header": header, "rows": rows}}


def filled_columns(header: list, rows: list[list], *, draft: bool) -> tuple[list, list[list]]:
    """A data table without the columns no row fills: a final statement prints no column of
    dashes (an indicator with no figure yet reads as a gap in the record); a draft keeps
    them, to show what is still to be filled in."""
    if draft or not rows:
        return header, rows
    kept = [index for index in range(len(header)) if any(row[index] != MISSING for row in rows)]
    return [header[index] for index in kept], [[row[index] for index in kept] for row in rows]


def _training(read: _Reader, at: JsonPath) -> dict[str, Any]:
    return {
        "introduction": read.field(*at, "introduction"),
        "courses": [{"audience": read.field(*at, "items", index, "audience"),
                   "content": read.field(*at, "items", index, "content"),
                   "frequency": read.field(*at, "items", index, "frequency"),
                   "topics": read.fields(*at, "items", index, "topics")}
                  for index in range(len(read.raw(*at, "items")))],
    }


_AREA_CONTENT = {"structure": _structure, "policies": _policies, "due_diligence": _due_diligence,
                 "risk": _risk, "effectiveness": _effectiveness, "training": _training}


def _named_items(read: _Reader, *at: str) -> list[dict[str, Field | str]]:
    return [{"name": read.field(*at, index, "name"), "description": read.field(*at, index, "description")}
            for index in range(len(read.raw(*at, default=[])))]


def _operational_response(read: _Reader) -> dict[str, Any]:
    at = ("operational_response",)
    return {
        "given": read.raw(*at) is not None,
        "introduction": read.field(*at, "introduction"),
        "units": _named_items(read, *at, "units"),
        "referral_mechanism": read.field(*at, "referral_mechanism"),
        "victim_support": read.field(*at, "victim_support"),
        "partnerships": _named_items(read, *at, "partnerships"),
    }


def _actions(read: _Reader) -> dict[str, Any]:
    return {
        "progress": [{"commitment": read.field("actions", "progress", index, "commitment"),
                      "status": STATUS_WORDS[read.raw("actions", "progress", index, "status")],
                      "evidence": read.cell("actions", "progress", index, "evidence")}
                     for index in range(len(read.raw("actions", "progress", default=[])))],
        "next_year": read.fields("actions", "next_year"),
    }


def _custom_sections(read: _Reader) -> dict[str, list[dict[str, Any]]]:
    """Custom sections grouped by the section they follow (every section has a list)."""
    places = resources.schema()["properties"]["custom_sections"]["items"]["properties"]["after"]["enum"]
    placed: dict[str, list[dict[str, Any]]] = {name: [] for name in places}
    for index, section in enumerate(read.raw("custom_sections", default=[])):
        at = ("custom_sections", index)
        placed[section["after"]].append({
            "heading": read.field(*at, "heading"),
            "content": [{"paragraph": read.field(*at, "content", block, "paragraph"),
                         "subheading": read.field(*at, "content", block, "subheading"),
                         "bullets": read.fields(*at, "content", block, "bullets"),
                         "numbered": read.fields(*at, "content", block, "numbered")}
                        for block in range(len(section["content"]))],
        })
    return placed


def _approval(read: _Reader) -> dict[str, Any]:
    attended_by = read.fields("approval", "attended_by")
    return {"body": read.field("approval", "body"),
            "date": read.date("approval", "date"),
            "decision_reference": read.field("approval", "decision_reference"),
            "attended_by": attended_by,
            "attended_by_text": grammar.join_and(attended_by)}


def _signatory(read: _Reader, index: int) -> dict[str, Any]:
    at = ("signatories", index)
    org_ids = [org["id"] for org in read.raw("organisations")]
    image = read.raw(*at, "signature_image")
    return {
        "name": read.field(*at, "name"),
        "role": read.field(*at, "role"),
        "organisation": read.field("organisations", org_ids.index(read.raw(*at, "organisation")), "name"),
        "date": read.date(*at, "date") or (UNDATED_SIGNING if read.draft else ""),
        "signature_image": {"path": read.resolve(image["path"]),
                            "alt_text": read.field(*at, "signature_image", "alt_text")} if image else {},
    }


def _charter(read: _Reader) -> dict[str, Any]:
    """The supplier charter. Its members default to the statement's bodies, and are not
    listed when the collaboration's own name already names every one of them."""
    at = ("supplier_charter",)
    collaboration = read.field(*at, "collaboration")
    members = read.fields(*at, "members") or [read.field("organisations", index, "name")
                                               for index in range(len(read.raw("organisations")))]
    if all(member in collaboration for member in members):
        members = []
    title = read.field(*at, "title")
    return {
        "title": title,
        "masthead": masthead([read.field("organisations", index, "name")
                              for index in range(len(read.raw("organisations")))], title,
                             grammar.fy_slash(read.raw("statement", "financial_year"))),
        "collaboration": collaboration,
        "short_name": read.field(*at, "short_name"),
        "members": members,
        "introduction": read.fields(*at, "introduction"),
        "shared_values": read.fields(*at, "values"),
        "commitments_to_suppliers": read.fields(*at, "commitments_to_suppliers"),
        "commitments_from_suppliers": read.fields(*at, "commitments_from_suppliers"),
        "raising_concerns": read.field(*at, "raising_concerns"),
        "published_at": read.field(*at, "published_at"),
    }
