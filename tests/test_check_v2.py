"""`msgen check` on a version-2 profile: every rule that reads version 2 fires on a small
profile made to break it, naming the block where it breaks (sections[1].blocks[3].list[1])
with the file's line, and exits 1 on an error, 0 on a warning; the clean profile passes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from conftest import msgen
from test_check_rules import edited
from msgen.check import PROFILE, TEXT, all_rules, parse_path, value_at

RULES = {r.id: r for r in all_rules((PROFILE, TEXT))}

CLEAN = """\
schema_version: 2
slug: norfolk-constabulary
statement:
  title: Modern Slavery Statement 2022-23
  financial_year: "2022-23"
  period: {start: 2022-04-01, end: 2023-03-31}
  legal_basis: voluntary
  years_producing: 2
  publication:
    statement_url: https://www.norfolk.police.uk/modern-slavery
    homepage_link_text: Modern slavery statement
    publication_date: 2023-09-01
  previous_statements:
    - {year: "2021-22", url: "https://www.norfolk.police.uk/modern-slavery-2021"}
bodies:
  - id: constabulary
    legal_name: Norfolk Constabulary
    text_name: the Constabulary
    type: police-force
    area_served: Norfolk
    description:
      - p: The Constabulary polices Norfolk.
sections:
  - id: foreword
    heading: Foreword
    blocks:
      - p: We endorse this statement and its commitments.
    signatories:
      - {name: Sarah Taylor, role: Police and Crime Commissioner, organisation: constabulary, date: 2023-08-30}
  - id: introduction
    heading: Introduction
    number: "1."
    blocks:
      - clause: legal-basis
      - clause: statement-number
      - p: "This statement covers:"
      - list: [Our own operations, {text: "Our supply chains:", items: [Uniforms, Vehicles]}]
  - id: structure
    heading: Our structure
    covers: [structure]
    blocks:
      - data: bodies
      - table: {header: [Measure, "2022-23"], rows: [[Officers, "1,700"]], caption: Our people}
  - id: policies
    heading: Policies
    covers: [policies]
    blocks:
      - data: policies
        lead_in: "Our policies include:"
      - definitions: [{term: Modern slavery, definition: "Slavery, servitude, forced labour and trafficking."}]
  - id: risk-and-due-diligence
    heading: Risk and due diligence
    covers: [risk, due_diligence]
    blocks:
      - p: We assess each contract for the risk of modern slavery.
      - quote: Procurement is where the risk is greatest.
        source: Our head of procurement
      - note: Over 10,000 potential victims were referred in 2019.
        source: Home Office
  - id: training
    heading: Training
    covers: [training]
    blocks:
      - data: training
  - id: effectiveness
    heading: Measuring effectiveness
    covers: [effectiveness]
    blocks:
      - data: kpis
      - data: progress
      - data: signatures
data:
  policies: [{name: Whistleblowing Policy, description: How staff raise concerns.}]
  training: [{audience: All new officers, content: An input on spotting modern slavery.}]
  kpis: [{name: Suppliers checked, kind: outcome, target: "100%", actual: "96%"}]
  progress: [{commitment: Train every buyer, status: done, evidence: All twelve buyers were trained.}]
approval:
  body: Chief Officer Group
  date: 2023-08-30
signatories:
  - {name: Paul Sanford, role: Chief Constable, organisation: constabulary, date: 2023-08-30}
"""


def clean() -> dict[str, Any]:
    return yaml.safe_load(CLEAN)


def put(written: str, value: Any) -> Callable[[dict], None]:
    """A change: the value at a profile path (a new list item when the index is the list's length)."""
    def change(data: dict) -> None:
        *parent, last = parse_path(written)
        holder = value_at(data, tuple(parent))
        if isinstance(holder, list) and last == len(holder):
            holder.append(value)
        else:
            holder[last] = value
    return change


def drop(written: str) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        *parent, last = parse_path(written)
        del value_at(data, tuple(parent))[last]
    return change


def both(*changes: Callable[[dict], None]) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        for each in changes:
            each(data)
    return change


def paragraph(text: str) -> Callable[[dict], None]:
    """The body's own paragraph, added at the end of the introduction: sections[1].blocks[4]."""
    return put("sections[1].blocks[4]", {"p": text})


def no_step_area_covered(data: dict) -> None:
    """Every section untagged, and each area the law counts as a step said not to be covered."""
    for section in data["sections"]:
        section.pop("covers", None)
    data["sections"][1]["blocks"] += [{"clause": "not-covered", "area": area, "reason": "Not reviewed this year."}
                                      for area in ("policies", "due_diligence", "risk", "effectiveness", "training")]


def in_welsh_too(*, plain: str = "", same: str = "", figure: str = "") -> Callable[[dict], None]:
    """Published in English and Welsh, every text given in both (the Welsh written here), but
    the text at `plain` left in English only, at `same` given the English as its Welsh, and at
    `figure` given another figure in its Welsh."""
    from msgen.check.rulebook import translatable_texts
    from msgen.errors import format_path

    def change(data: dict) -> None:
        data["statement"]["languages"] = ["en", "cy"]
        for path, text in translatable_texts(data):
            where = format_path(path)
            welsh = text if where == same else f"Yn Gymraeg: {text}"
            if where == figure:
                welsh += " 99"
            if where != plain:
                put(where, {"en": text, "cy": welsh})(data)
    return change


# rule -> (change to the clean profile, the path the finding names, its message: all of it, but
# for today's date where a message ends with it)
TRIGGERS: dict[str, tuple[Callable[[dict], None], str, str]] = {
    "profile.schema": (put("sections[0].blocks[0]", {"para": "We endorse it."}), "sections[0].blocks[0]",
                       "a block needs one of p, list, quote, definitions, table, note, image, heading, clause, "
                       "data; did you mean 'data'?"),
    "law.period-length": (put("statement.period.start", "2022-10-01"), "statement.period",
                          "the period 1 October 2022 to 31 March 2023 is about 6 months long; a financial year "
                          "is 12 to 18 months"),
    "law.period-ended": (both(put("statement.financial_year", "2099-00"), drop("statement.period")),
                         "statement.financial_year", "the period ends on 31 March 2100, after today ("),
    "law.financial-year": (put("statement.financial_year", "2021-22"), "statement.financial_year",
                           "the financial year 2021-22 does not match the period ending 31 March 2023; "
                           "expected 2022-23"),
    "law.steps": (no_step_area_covered, "sections",
                  "no steps are described (policies, due diligence, risk, effectiveness and training are each "
                  "declared not covered, and no section covers them) and the statement does not say no steps "
                  "were taken"),
    "law.approval-recorded": (drop("approval.date"), "approval", "Chief Officer Group has no approval date"),
    "law.approval-date": (put("approval.date", "2023-03-01"), "approval.date",
                          "approved on 1 March 2023, before the period it reports on ended (31 March 2023)"),
    "law.signatory": (put("sections[0].signatories[0].name", "Sarah"), "sections[0].signatories[0].name",
                      "'Sarah' is not a full name"),
    "law.signature-date": (drop("sections[0].signatories[0].date"), "sections[0].signatories[0].date",
                           "Sarah Taylor has no signing date; the document prints a line to date by hand"),
    "law.signatory-per-body": (put("bodies[1]", {"id": "opcc", "legal_name": "Police and Crime Commissioner for "
                                                 "Norfolk", "type": "pcc-office"}), "bodies[1]",
                               "Police and Crime Commissioner for Norfolk (opcc) has no signatory"),
    "law.joint-scope": (both(put("bodies[1]", {"id": "opcc", "legal_name": "Police and Crime Commissioner for Norfolk",
                                               "type": "pcc-office"}),
                             paragraph("This statement covers the business activities of the Constabulary.")),
                        "sections[1].blocks[4].p", "the scope ('This statement covers the business activities of the "
                                                   "Constabulary.') does not name Police and Crime Commissioner for "
                                                   "Norfolk"),
    "dates.title-year": (put("statement.title", "Modern Slavery Statement 2021/22"), "statement.title",
                         "the title 'Modern Slavery Statement 2021/22' names 2021/22, but the statement covers "
                         "1 April 2022 to 31 March 2023"),
    "dates.period-year": (paragraph("This statement sets out the steps taken during 2021/22."),
                          "sections[1].blocks[4].p", "says 'taken during 2021/22', but the statement covers "
                                                     "1 April 2022 to 31 March 2023"),
    "last-year.previous-link": (put("statement.previous_statements[0].url", "https://www.norfolk.police.uk/modern-slavery"),
                                "statement.previous_statements[0].url",
                                "the link 'https://www.norfolk.police.uk/modern-slavery' to the 2021-22 statement is "
                                "this year's address"),
    "law.homepage-link": (put("statement.publication.homepage_link_text", "Transparency"),
                          "statement.publication.homepage_link_text",
                          "the link text 'Transparency' does not say 'modern slavery'"),
    "law.homepage-link-missing": (drop("statement.publication.homepage_link_text"), "statement.publication",
                                  "the statement is on a website but the homepage link text is not recorded"),
    "guidance.area-not-covered": (drop("sections[5].covers"), "sections",
                                  "Training is not covered: no section's covers names training, and no "
                                  "not-covered clause gives a reason"),
    "guidance.publication-deadline": (put("statement.publication.publication_date", "2023-11-01"),
                                      "statement.publication.publication_date",
                                      "published on 1 November 2023, after the deadline of 30 September 2023"),
    "guidance.legal-basis-clause": (
        paragraph("This statement is published in line with section 54(1) of the Modern Slavery Act 2015."),
        "sections[1].blocks[4].p", "says 'published in line with section 54' but the legal-basis clause at "
                                   "sections[1].blocks[0] prints that the statement is voluntary "
                                   "(legal_basis: voluntary)"),
    "guidance.legal-basis": (put("statement.legal_basis", "statutory"), "statement.legal_basis",
                             "marked statutory, but section 54 does not yet apply to police, PCC or fire bodies"),
    "guidance.absolute-claim": (paragraph("Our supply chains are slavery-free."), "sections[1].blocks[4].p",
                                "claims 'slavery-free'"),
    "guidance.kpi-outcome": (put("data.kpis[0].kind", "output"), "data.kpis",
                             "every indicator counts outputs; none measures an outcome"),
    "guidance.previous-statement": (drop("statement.previous_statements"), "statement.previous_statements",
                                    "last year's statement (2021-22) is not linked"),
    "guidance.progress-status": (put("data.progress[0].status", "to-report"), "data.progress[0].status",
                                 "'Train every buyer' is not reported on yet"),
    "quality.dates": (put("sections[0].signatories[0].date", "2022-08-30"), "sections[0].signatories[0].date",
                      "Sarah Taylor signed on 30 August 2022, before the period ended (31 March 2023)"),
    "quality.other-body": (paragraph("We share a procurement team with Suffolk Constabulary."),
                           "sections[1].blocks[4].p",
                           "names Suffolk Constabulary, a police force this statement is not from"),
    "quality.other-area": (paragraph("Help is available across Cambridgeshire."), "sections[1].blocks[4].p",
                           "mentions Cambridgeshire, an area served by other bodies, not by this statement's"),
    "quality.lost-list": (put("sections[1].blocks[3].list[1]", "Our supply chains:"), "sections[1].blocks[3].list[1]",
                          "ends with ':' but no list follows it"),
    "quality.placeholder": (put("sections[1].blocks[3].list[0]", "[insert what the statement covers]"),
                            "sections[1].blocks[3].list[0]", "contains the placeholder '[insert what the statement covers]'"),
    "writing.doubled-word": (paragraph("It is published in in line with our values."), "sections[1].blocks[4].p",
                             "repeats 'in': 'It is published in in line with our values.'"),
    "writing.run-together": (paragraph("We train staff in the Serviceacross the county."), "sections[1].blocks[4].p",
                             "'Serviceacross' looks like 'Service across' run together: "
                             "'We train staff in the Serviceacross the county.'"),
    "writing.punctuation": (paragraph("We train staff.Every buyer too."), "sections[1].blocks[4].p",
                            "has no space after a full stop: 'We train staff.Every buyer too.'"),
    "writing.confusion": (paragraph("We share good practise."), "sections[1].blocks[4].p",
                          "'practise' is the verb; the noun is 'practice': 'We share good practise.'"),
    "writing.spelling": (paragraph("Every buyer is trainned."), "sections[1].blocks[4].p",
                         "'trainned' is not a British English word (did you mean 'trained'?): "
                         "'Every buyer is trainned.'"),
    "writing.web-residue": (paragraph("For our policies click here."), "sections[1].blocks[4].p",
                            "contains web page text 'click here': 'For our policies click here.'"),
    "writing.page-residue": (paragraph("We train staff. Page 3 of 12"), "sections[1].blocks[4].p",
                             "contains a page header, footer or number 'Page 3 of 12': 'We train staff. Page 3 of 12'"),
    "writing.footnote-marker": (paragraph("We look for exploitation12 in our supply chains."), "sections[1].blocks[4].p",
                                "has a footnote marker glued to a word: 'We look for exploitation12 in our supply chains.'"),
    "quality.file-name": (put("sections[2].blocks[1].table.rows[0][0]", "Modern Slavery NEW.PNG"),
                          "sections[2].blocks[1].table.rows[0][0]", "contains the file name 'NEW.PNG'"),
    "quality.abbreviation": (put("sections[3].blocks[1].definitions[0].definition", "A crime the NRM records."),
                             "sections[3].blocks[1].definitions[0].definition", "'NRM' is used before it is spelt out"),
    "quality.empty": (put("sections[7]", {"id": "annex", "heading": "Annex", "blocks": [{"heading": "Figures"}]}),
                      "sections[7].blocks", "has only headings, no text"),
    "blocks.data-not-placed": (put("data.commitments", ["Audit our uniform supplier"]), "data.commitments",
                               "data.commitments is placed by no 'data: commitments' block, so it is never printed"),
    "blocks.data-placed-twice": (put("sections[6].blocks[3]", {"data": "kpis"}), "sections[6].blocks[3].data",
                                 "'data: kpis' is already placed at sections[6].blocks[0]"),
    "blocks.clause-contradicts": (both(put("data.commitments", ["Audit our uniform supplier"]),
                                       put("sections[6].blocks[3]", {"data": "commitments"}),
                                       put("sections[6].blocks[4]", {"clause": "no-new-commitments"})),
                                  "sections[6].blocks[4].clause", "the no-new-commitments clause says there are none, "
                                                                  "but data.commitments lists some"),
    "blocks.clause-value": (drop("statement.years_producing"), "sections[1].blocks[1].clause",
                            "the statement-number clause prints how many statements the body has made, but "
                            "statement.years_producing is not given"),
    "languages.welsh-missing": (in_welsh_too(plain="sections[1].heading"), "sections[1].heading",
                                "has no Welsh: statement.languages asks for Welsh, so give it as {en: …, cy: …}"),
    "languages.welsh-not-asked": (put("sections[1].heading", {"en": "Introduction", "cy": "Cyflwyniad"}),
                                  "sections[1].heading", "gives a Welsh text, but statement.languages does not "
                                                         "ask for Welsh, so none is published"),
    "languages.welsh-identical": (in_welsh_too(same="sections[1].heading"), "sections[1].heading.cy",
                                  "is the same as its English: 'Introduction'"),
    "languages.figures-differ": (in_welsh_too(figure="sections[1].heading"), "sections[1].heading",
                                 "the Welsh gives 99 and the English does not"),
    "languages.welsh-code-report": (put("data.welsh_code", {"signed_up": 2017}), "data.welsh_code",
                                    "the bodies signed up to the Code in 2017, but the statement does not give "
                                    "its action plan, staff trained, suppliers signed up"),
}


def write(folder: Path, data: dict) -> Path:
    path = folder / "profile.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    return path


def changed(folder: Path, change: Callable[[dict], None]) -> Path:
    data = copy.deepcopy(clean())
    change(data)
    return write(folder, data)


def checked(profile: Path) -> tuple[int, list[dict[str, str]]]:
    """`msgen check PROFILE --json`: its exit code and findings."""
    result = msgen("check", profile, "--json")
    return result.exit_code, json.loads(result.stdout)["findings"]


def checked_with(profile: Path, document: Path) -> tuple[int, list[dict[str, str]]]:
    """`msgen check PROFILE --docx DOCUMENT --json`: its exit code and findings."""
    result = msgen("check", profile, "--docx", document, "--json")
    return result.exit_code, json.loads(result.stdout)["findings"]


def test_every_rule_that_reads_version_2_has_a_trigger_here() -> None:
    assert {rule_id for rule_id, rule in RULES.items() if 2 in rule.versions} == set(TRIGGERS)


def test_the_clean_version_2_profile_passes_every_rule(tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text(CLEAN, encoding="utf-8")

    result = msgen("check", profile)

    assert (result.exit_code, result.stdout.strip()) == (0, "no problems found")


@pytest.mark.parametrize("rule_id", sorted(TRIGGERS))
def test_a_version_2_profile_made_to_break_the_rule_is_caught_where_it_breaks(tmp_path: Path, rule_id: str) -> None:
    change, path, message = TRIGGERS[rule_id]

    exit_code, findings = checked(changed(tmp_path, change))

    found = [(f["path"], f["message"]) for f in findings if f["rule"] == rule_id]
    assert len(found) == 1 and found[0][0] == path and found[0][1].startswith(message), found
    assert message.endswith("(") or found[0][1] == message
    assert exit_code == (1 if any(f["severity"] == "error" for f in findings) else 0)
    assert RULES[rule_id].severity == "warning" or exit_code == 1


def test_the_supplier_charter_is_its_own_document_so_it_may_carry_the_signatures_too(tmp_path: Path) -> None:
    """As `msgen migrate` writes a joint statement with its charter: each document signed."""
    charter = put("supplier_charter", {"title": "Supplier Charter", "sections": [
        {"id": "charter", "heading": "Our charter", "blocks": [{"p": "Suppliers treat workers fairly."}]},
        {"id": "approval", "blocks": [{"data": "signatures"}]}]})

    exit_code, findings = checked(changed(tmp_path, charter))

    assert (exit_code, [f["rule"] for f in findings if f["rule"].startswith("blocks.")]) == (0, [])


def test_a_finding_deep_in_a_block_names_the_file_and_the_line_of_the_list_item(tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text(CLEAN.replace('{text: "Our supply chains:", items: [Uniforms, Vehicles]}',
                                     '"Our supply chains:"'), encoding="utf-8")
    line = next(number for number, text in enumerate(CLEAN.splitlines(), 1) if "Our supply chains:" in text)

    result = msgen("check", profile)

    assert result.exit_code == 1
    assert (f"    {profile}:{line}: sections[1].blocks[3].list[1]: ends with ':' but no list follows it"
            in result.stdout.splitlines())


def test_a_sentence_ending_in_a_colon_leads_into_a_table_past_a_sub_heading_but_not_into_missing_data(
        tmp_path: Path) -> None:
    before_table = both(put("sections[2].blocks[0]", {"p": "Our people were:"}),
                        put("sections[2].blocks[1]", {"heading": "Officers", "level": 3}),
                        put("sections[2].blocks[2]", {"table": {"rows": [["1,700"]]}}))
    lead_in_to_nothing = drop("data.policies")

    _, into_table = checked(changed(tmp_path, before_table))
    _, into_nothing = checked(changed(tmp_path, lead_in_to_nothing))

    assert [f for f in into_table if f["rule"] == "quality.lost-list"] == []
    assert [(f["path"], f["message"]) for f in into_nothing if f["rule"] == "quality.lost-list"] == [
        ("sections[3].blocks[0].lead_in", "ends with ':' but no list follows it")]


def test_an_area_said_not_covered_is_reported_with_its_reason_at_the_clause(tmp_path: Path) -> None:
    reason = both(drop("sections[5].covers"),
                  put("sections[5].blocks[1]", {"clause": "not-covered", "area": "training",
                                                "reason": "Training starts next year"}))

    exit_code, findings = checked(changed(tmp_path, reason))

    assert exit_code == 0
    assert [(f["path"], f["message"]) for f in findings] == [
        ("sections[5].blocks[1]", "Training is not covered: Training starts next year")]


def test_untagged_sections_are_not_taken_for_a_statement_without_steps(tmp_path: Path) -> None:
    def untagged(data: dict) -> None:
        for section in data["sections"]:
            section.pop("covers", None)

    exit_code, findings = checked(changed(tmp_path, untagged))

    assert exit_code == 0
    assert {f["rule"] for f in findings} == {"guidance.area-not-covered"} and len(findings) == 6


def test_the_legal_basis_clause_is_only_contradicted_when_the_profile_asks_for_it(tmp_path: Path) -> None:
    statutory_text = paragraph("This statement is published in line with section 54(1) of the Modern Slavery Act.")
    without_clause = both(statutory_text, drop("sections[1].blocks[0]"))  # the body's words stand alone
    statutory_basis = both(paragraph("This statement is published voluntarily."),
                           put("statement.legal_basis", "statutory"))

    _, alone = checked(changed(tmp_path, without_clause))
    _, contradicted = checked(changed(tmp_path, statutory_basis))

    assert [f for f in alone if f["rule"] == "guidance.legal-basis-clause"] == []
    assert [(f["path"], f["message"]) for f in contradicted if f["rule"] == "guidance.legal-basis-clause"] == [
        ("sections[1].blocks[4].p", "says 'published voluntarily' but the legal-basis clause at sections[1].blocks[0] "
                                    "prints that the statement is statutory (legal_basis: statutory)")]


@pytest.mark.parametrize("change, message", [
    (drop("statement.legal_basis"),
     "the legal-basis clause prints why the statement is made, but statement.legal_basis is not given"),
    (put("statement.years_producing", "unknown"),
     "the statement-number clause prints how many statements the body has made, but statement.years_producing "
     "is unknown"),
    (put("sections[1].blocks[4]", {"clause": "request-copy"}),
     "the request-copy clause prints where to ask for a copy, but statement.publication gives none of "
     "request_email, so it prints nothing"),
    (both(drop("statement.previous_statements"), put("sections[1].blocks[4]", {"clause": "earlier-statements"})),
     "the earlier-statements clause lists where earlier statements are published, but "
     "statement.previous_statements is not given, so it prints nothing"),
])
def test_a_clause_without_the_value_it_prints_is_an_error(tmp_path: Path, change, message) -> None:
    exit_code, findings = checked(changed(tmp_path, change))

    assert exit_code == 1
    assert message in [f["message"] for f in findings if f["rule"] == "blocks.clause-value"]


def test_a_version_2_profile_records_where_it_is_published_only_for_a_clause_that_prints_it(tmp_path: Path) -> None:
    unrecorded = both(drop("statement.publication"), drop("statement.previous_statements"),
                      put("statement.years_producing", 1))
    printed = both(unrecorded, put("sections[1].blocks[4]", {"clause": "publication"}))

    exit_code, findings = checked(changed(tmp_path, unrecorded))
    printed_exit_code, printed_findings = checked(changed(tmp_path, printed))

    assert (exit_code, findings) == (0, [])
    assert printed_exit_code == 1
    assert [(f["rule"], f["path"], f["message"]) for f in printed_findings] == [
        ("blocks.clause-value", "sections[1].blocks[4].clause",
         "the publication clause prints where and when the statement is published, but statement.publication "
         "gives none of statement_url, homepage_link_text, publication_date, so it prints nothing")]


def test_a_shared_section_is_read_as_the_body_s_text_never_its_file_name(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "7F-charter.yaml").write_text(
        "schema_version: 2\nsections:\n  - id: charter\n    heading: Our charter\n    blocks:\n"
        "      - p: We pay our suppliers on time.\n", encoding="utf-8")
    shared = put("sections[7]", {"include": "shared/7F-charter.yaml", "section": "charter"})

    assert checked(changed(tmp_path, shared)) == (0, [])


def test_a_statement_that_names_no_year_is_checked_without_its_dates(tmp_path: Path) -> None:
    no_year = both(drop("statement.financial_year"), drop("statement.period"), put("approval.date", "2001-01-01"))

    assert checked(changed(tmp_path, no_year)) == (0, [])


def test_a_signatory_for_a_body_outside_the_statement_signs_for_none_of_its_bodies(tmp_path: Path) -> None:
    outside = both(put("signatories[0].organisation_name", "Norfolk Office of the Police and Crime Commissioner"),
                   drop("signatories[0].organisation"), drop("sections[0].signatories"))

    exit_code, findings = checked(changed(tmp_path, outside))

    assert exit_code == 1
    assert [(f["rule"], f["path"], f["message"]) for f in findings] == [
        ("law.signatory-per-body", "bodies[0]", "Norfolk Constabulary (constabulary) has no signatory")]


@pytest.mark.parametrize("clause, message", [
    ({"clause": "not-covered", "area": "training", "reason": "Not reviewed."},
     "the not-covered clause says training is not covered, but a section's covers names it"),
    ({"clause": "first-statement"},
     "the first-statement clause says this is the first, but statement.years_producing is 2"),
])
def test_a_clause_that_contradicts_the_profile_is_caught(tmp_path: Path, clause: dict, message: str) -> None:
    exit_code, findings = checked(changed(tmp_path, put("sections[1].blocks[4]", clause)))

    assert exit_code == 0
    assert [(f["rule"], f["path"], f["message"]) for f in findings if f["rule"] == "blocks.clause-contradicts"] == [
        ("blocks.clause-contradicts", "sections[1].blocks[4].clause", message)]


def test_a_not_covered_clause_needs_its_area_and_reason(tmp_path: Path) -> None:
    exit_code, findings = checked(changed(tmp_path, put("sections[1].blocks[4]", {"clause": "not-covered"})))

    assert exit_code == 1
    assert [(f["path"], f["message"]) for f in findings if f["rule"] == "blocks.clause-value"] == [
        ("sections[1].blocks[4].clause", "the not-covered clause prints which area is not covered, but the block "
                                         "has no area"),
        ("sections[1].blocks[4].clause", "the not-covered clause prints why, but the block has no reason")]


def test_build_refuses_a_final_version_2_statement_signed_in_the_wrong_year(tmp_path: Path) -> None:
    profile = changed(tmp_path, put("signatories[0].date", "2022-08-30"))
    out = tmp_path / "out"
    out.mkdir()

    result = msgen("build", profile, "-o", out, "--format", "docx")

    assert result.exit_code != 0
    assert "signatories[0].date: Paul Sanford signed on 30 August 2022, before the period ended" in result.output
    assert list(out.iterdir()) == []


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The clean profile and the statement msgen builds from it."""
    folder = tmp_path_factory.mktemp("built")
    profile = folder / "profile.yaml"
    profile.write_text(CLEAN, encoding="utf-8")
    out = folder / "out"
    out.mkdir()
    assert msgen("build", profile, "-o", out, "--format", "docx").exit_code == 0
    return profile, next(out.glob("*.docx"))


def test_the_version_2_statement_msgen_builds_passes_every_document_rule(built: tuple[Path, Path]) -> None:
    profile, statement = built

    result = msgen("check", profile, "--docx", statement)

    assert (result.exit_code, result.stdout.strip()) == (0, "no problems found")


def test_a_word_edit_of_a_list_item_is_caught_at_the_item_s_path(built: tuple[Path, Path], tmp_path: Path) -> None:
    profile, statement = built
    changed_in_word = edited(statement, tmp_path / statement.name, "word/document.xml", ">Our own operations<",
                             ">Our own work<")

    exit_code, findings = checked_with(profile, changed_in_word)

    assert exit_code == 1
    assert [(f["rule"], f["message"]) for f in findings] == [
        ("docx.matches-profile", "sections[1].blocks[3].list[0] reads 'Our own work' where the profile says "
                                 "'Our own operations'")]


def test_a_colon_before_a_quotation_or_sub_headings_in_a_built_document_is_no_lost_list(tmp_path: Path) -> None:
    # Norfolk's statement introduces its Supplier Charter's quoted commitments with "…:"
    example = Path(__file__).parent.parent / "examples" / "v2" / "norfolk-opcc-constabulary.yaml"
    assert msgen("build", example, "-o", tmp_path).exit_code == 0
    statement, = tmp_path.glob("*statement*.docx")
    assert "procurement function is delivered" in example.read_text(encoding="utf-8")  # still the case

    result = msgen("check", example, "--docx", statement, "--json")

    assert '"rule": "docx.heading-one"' in result.stdout  # the published statement has no title: found
    assert "docx.lost-list" not in result.stdout


def test_a_paragraph_with_bold_words_and_links_matches_its_profile_text(tmp_path: Path) -> None:
    # Cambridgeshire's list items open with **bold** lead-ins and its text links [a page](https://…):
    # each prints as several runs of one field
    example = Path(__file__).parent.parent / "examples" / "v2" / "cambridgeshire-2020.yaml"
    assert "**Policies:**" in example.read_text(encoding="utf-8")
    assert msgen("build", example, "-o", tmp_path).exit_code == 0
    statement, = tmp_path.glob("*statement*.docx")

    result = msgen("check", example, "--docx", statement, "--json")

    assert "docx.matches-profile" not in result.stdout
