"""Version-2 profiles build the body's own document: its sections, headings, wording and
order, msgen's sentences only where a clause asks, data only where a block places it."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import msgen
from ooxml import validate_docx

ROOT = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
SIGNATURE_LABELS = {"Approved by: ", "Date of approval: ", "not yet approved", "Signatory", "Signature", "Date",
                    "Approval"}

PROFILE = """\
schema_version: 2
slug: exampleshire
statement:
  title: Modern Slavery Statement 2023
  financial_year: "2023-24"
  period: {start: 2023-04-01, end: 2024-03-31}
  legal_basis: voluntary
  years_producing: 3
  publication: {statement_url: "https://example.org/statement"}
bodies:
  - id: force
    legal_name: Exampleshire Constabulary
    type: police-force
sections:
  - id: foreword
    heading: Foreword
    blocks:
      - p: "We endorse this statement."
    signatories:
      - {name: Ann Example, role: Commissioner, organisation: force}
  - id: introduction
    heading: Introduction
    number: "1."
    covers: [structure]
    blocks:
      - p: "We have a **zero-tolerance** approach to *all* forms of slavery; read [our policy](https://example.org/policy) & {{ 7*7 }}."
      - list: ["one", {text: two, items: ["two a", "two b"]}, three]
      - list: ["first", "second"]
        numbered: true
  - id: background
    heading: Background
    number: "1.1"
    level: 2
    blocks:
      - quote: "Slavery is a crime."
        source: Police and Crime Plan
      - definitions: [{term: Slavery, definition: "Owning a person."}]
      - table: {header: [Measure, "2023-24"], rows: [["Referrals", "41"], ["Arrests"]], caption: Figures}
      - note: "Over 10,000 potential victims were referred in 2019."
        source: Home Office
      - data: commitments
        lead_in: "Next year we will:"
data:
  commitments: ["Train every officer", "Audit our suppliers"]
  due_diligence: ["never placed, never printed"]
approval:
  body: Chief Officer Group
  date: 2024-09-14
signatories:
  - {name: Bea Example, role: Chief Constable, organisation: force, date: 2024-09-14}
"""


def rows(docx: Path) -> list[tuple[str, str]]:
    """(style id or TABLE, text) of each paragraph and table of the body, in order."""
    body = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml")).find(W + "body")
    found = []
    for element in body:
        if element.tag == W + "p":
            style = element.find(f"{W}pPr/{W}pStyle")
            found.append((style.get(W + "val") if style is not None else "Normal", "".join(element.itertext())))
        elif element.tag == W + "tbl":
            found.append(("TABLE", " | ".join("".join(cell.itertext()) for cell in element.iter(W + "tc"))))
    return found


def build(tmp_path: Path, text: str, name: str = "profile.yaml") -> list[Path]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    profile = tmp_path / name
    profile.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    result = msgen("build", profile, "-o", out, "--format", "docx", "--force")
    assert result.exit_code == 0, result.output
    return sorted(out.glob("*.docx"))


def test_the_body_s_sections_come_out_in_its_order_with_its_headings_and_numbering(tmp_path):
    [statement] = build(tmp_path, PROFILE)
    assert rows(statement) == [
        ("Title", "Modern Slavery Statement 2023"),
        ("Subtitle", "Exampleshire Constabulary"),
        ("Heading1", "Foreword"),
        ("Normal", "We endorse this statement."),
        ("TABLE", "Signatory | Signature | Date | Ann ExampleCommissionerExampleshire Constabulary |  | "),
        ("Heading1", "1. Introduction"),
        ("Normal", "We have a zero-tolerance approach to all forms of slavery; read our policy & {{ 7*7 }}."),
        ("ListBullet", "one"), ("ListBullet", "two"), ("ListBullet2", "two a"), ("ListBullet2", "two b"),
        ("ListBullet", "three"), ("ListNumber", "first"), ("ListNumber", "second"),
        ("Heading2", "1.1 Background"),
        ("Quote", "Slavery is a crime."), ("Quote", "— Police and Crime Plan"),
        ("Normal", "Slavery"), ("ListContinue", "Owning a person."),
        ("Caption", "Figures"),
        ("TABLE", "Measure | 2023-24 | Referrals | 41 | Arrests | —"),
        ("BodyText3", "Over 10,000 potential victims were referred in 2019."), ("BodyText3", "Source: Home Office"),
        ("Normal", "Next year we will:"), ("ListBullet", "Train every officer"), ("ListBullet", "Audit our suppliers"),
        ("Heading1", "Approval"),
        ("Normal", "Approved by: Chief Officer Group"), ("Normal", "Date of approval: 14 September 2024"),
        ("TABLE", "Signatory | Signature | Date | Bea ExampleChief ConstableExampleshire Constabulary |  | "
                  "14 September 2024"),
    ]
    assert validate_docx(statement) == []


def test_inline_bold_italic_and_links_become_word_formatting(tmp_path):
    [statement] = build(tmp_path, PROFILE)
    package = zipfile.ZipFile(statement)
    body = etree.fromstring(package.read("word/document.xml"))
    bold = ["".join(run.itertext()) for run in body.iter(W + "r") if run.find(f"{W}rPr/{W}b") is not None]
    italic = ["".join(run.itertext()) for run in body.iter(W + "r") if run.find(f"{W}rPr/{W}i") is not None]
    assert "zero-tolerance" in bold and "all" in italic
    [link] = body.iter(W + "hyperlink")
    assert "".join(link.itertext()) == "our policy"
    rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
    [target] = [rel for rel in rels if rel.get("Id") == link.get(R + "id")]
    assert (target.get("Target"), target.get("TargetMode")) == ("https://example.org/policy", "External")


def test_a_link_to_anything_but_the_web_or_mail_stays_text(tmp_path):
    [statement] = build(tmp_path, PROFILE.replace("https://example.org/policy", "file:///etc/passwd"))
    package = zipfile.ZipFile(statement)
    assert b"hyperlink" not in package.read("word/document.xml")
    assert b"passwd" not in package.read("word/_rels/document.xml.rels")


def test_without_clauses_every_sentence_is_the_profile_s_or_a_signature_label(tmp_path):
    [statement] = build(tmp_path, PROFILE)
    import yaml

    written: set[str] = set()

    def collect(value):
        if isinstance(value, str):
            written.add(value.replace("**zero-tolerance**", "zero-tolerance").replace("*all*", "all")
                        .replace("[our policy](https://example.org/policy)", "our policy"))
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(yaml.safe_load(PROFILE))
    body = etree.fromstring(zipfile.ZipFile(statement).read("word/document.xml"))
    pieces = {text for text in (t.text for t in body.iter(W + "t")) if text and text.strip()}
    foreign = {piece for piece in pieces if piece not in written and piece not in SIGNATURE_LABELS
               and not any(piece.strip() in value for value in written)}
    # what remains is punctuation and layout msgen adds around values (a numbered heading's space,
    # a quotation's dash, a note's "Source: ", a date in words)
    assert foreign <= {"— ", "Source: ", "14 September 2024", "—"}, foreign
    assert "never placed" not in "".join(body.itertext())


def test_standard_clauses_print_only_where_asked_with_the_clause_file_s_wording(tmp_path):
    asked = PROFILE.replace('      - p: "We endorse this statement."',
                            '      - p: "We endorse this statement."\n'
                            '      - clause: legal-basis\n      - clause: statement-number\n'
                            '      - clause: not-covered\n        area: risk\n        reason: A review is under way')
    [statement] = build(tmp_path, asked)
    texts = [text for _, text in rows(statement)]
    start = texts.index("We endorse this statement.")
    assert texts[start + 1:start + 4] == [
        "This statement is published voluntarily: as a public body, the Force is not yet required to publish one "
        "by section 54 of the Modern Slavery Act 2015, but it chooses to meet the standard the Act sets for "
        "commercial organisations.",
        "This is the Force’s third statement.",
        "This statement does not cover the assessment and management of the risk of slavery and human "
        "trafficking, for this reason: A review is under way.",
    ]
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates" / "v2", templates)
    clauses = templates / "clauses.en.yaml"
    clauses.write_text(clauses.read_text(encoding="utf-8").replace(
        "This is {{ we.possessive }} {{ statement.ordinal }} statement.",
        "{{ we.Subject }} publishes its {{ statement.ordinal }} statement."), encoding="utf-8")
    out = tmp_path / "own"
    out.mkdir()
    assert msgen("build", tmp_path / "profile.yaml", "-o", out, "--templates", templates).exit_code == 0
    assert "The Force publishes its third statement." in [text for _, text in rows(next(out.glob("*.docx")))]


def test_a_joint_statement_s_clauses_agree_with_many_bodies_and_name_a_fire_authority_as_the_authority(tmp_path):
    joint = PROFILE.replace("""    type: police-force
""", """    type: police-force
  - id: fire
    legal_name: Exampleshire Fire and Rescue Authority
    text_name: the Service
    type: fire-authority
""").replace("      - p: \"We endorse this statement.\"", "      - p: \"We endorse this statement.\"\n"
             "      - clause: steps-taken\n      - clause: abbreviations")
    [statement] = build(tmp_path, joint.replace("organisation: force, date", "organisation: fire, date"))
    texts = [text for _, text in rows(statement)]
    assert ("This statement sets out the steps Exampleshire Constabulary and Exampleshire Fire and Rescue Authority "
            "have taken to prevent slavery and human trafficking in their own business and in their supply "
            "chains.") in texts
    assert ("In this statement, Exampleshire Constabulary is called the Force and Exampleshire Fire and Rescue "
            "Authority is called the Service.") in texts


def test_the_supplier_charter_is_its_own_document_from_its_own_sections(tmp_path):
    charter = PROFILE + """supplier_charter:
  title: 7 Force Procurement Supplier Charter
  sections:
    - id: charter
      heading: Our commitments
      blocks:
        - list: ["Pay suppliers on time"]
"""
    statement, built_charter = sorted(build(tmp_path, charter), key=lambda path: "charter" in path.name)
    assert rows(built_charter) == [("Title", "7 Force Procurement Supplier Charter 2023/24"),
                                   ("Subtitle", "Exampleshire Constabulary"),
                                   ("Heading1", "Our commitments"), ("ListBullet", "Pay suppliers on time")]
    assert "Pay suppliers on time" not in "".join(text for _, text in rows(statement))


def test_a_picture_block_carries_its_alt_text(tmp_path):
    shutil.copy(ROOT / "examples" / "signatures" / "caroline-henry.png", tmp_path / "logo.png")
    [statement] = build(tmp_path, PROFILE.replace("      - p: \"We endorse this statement.\"",
                                                  "      - image: logo.png\n        alt: The force's crest"))
    document = zipfile.ZipFile(statement).read("word/document.xml").decode()
    assert 'descr="The force\'s crest"' in document or 'descr="The force&#39;s crest"' in document
    assert validate_docx(statement) == []


def test_the_same_profile_builds_the_same_bytes(tmp_path):
    [first] = build(tmp_path / "a", PROFILE)
    [second] = build(tmp_path / "b", PROFILE)
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("change, message", [
    ('      - p: "We endorse', "sections[0].blocks[0]: a block needs one of p, list"),
    ("      - list: [\"first\", \"second\"]\n        numbered: true",
     "sections[1].blocks[2].numbered: expected true or false"),
    ("organisation: force, date", "signatories[0].organisation: no body has the id"),
    ("  - id: background", "sections[2].id: the section id 'introduction' is already used by sections[1]"),
])
def test_a_mistake_in_a_version_2_profile_is_one_clear_line(tmp_path, change, message):
    broken = {
        '      - p: "We endorse': '      - para: "We endorse',
        "      - list: [\"first\", \"second\"]\n        numbered: true":
            "      - list: [\"first\", \"second\"]\n        numbered: \"yes please\"",
        "organisation: force, date": "organisation: forc, date",
        "  - id: background": "  - id: introduction",
    }[change]
    profile = tmp_path / "profile.yaml"
    profile.write_text(PROFILE.replace(change, broken), encoding="utf-8")
    result = msgen("validate", profile)
    assert result.exit_code == 1
    assert message in result.output, result.output
    assert "Traceback" not in result.output


def test_the_web_page_keeps_nested_lists_quotations_and_links(tmp_path):
    profile = tmp_path / "profile.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    assert msgen("build", profile, "-o", out, "--format", "html", "--draft").exit_code == 0
    page = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert "<li>two<ul><li>two a</li><li>two b</li></ul></li>" in page
    assert "<blockquote><p>Slavery is a crime.</p><p>— Police and Crime Plan</p></blockquote>" in page
    assert '<a href="https://example.org/policy">our policy</a>' in page
    assert "{{ 7*7 }}" in page


def test_a_placeholder_for_a_fact_the_body_did_not_give_builds_a_draft_and_says_why(tmp_path):
    profile = tmp_path / "profile.yaml"
    profile.write_text(PROFILE.replace("legal_name: Exampleshire Constabulary",
                                       "legal_name: \"[insert the Constabulary's legal name]\""), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = msgen("build", profile, "-o", out)
    assert result.exit_code == 0, result.output
    assert "built as a draft (DRAFT on every page) because it still has an [insert …] placeholder" in result.output
    header = b"".join(data for name, data in ((n, zipfile.ZipFile(next(out.glob("*.docx"))).read(n))
                                              for n in zipfile.ZipFile(next(out.glob("*.docx"))).namelist())
                      if name.startswith("word/header"))
    assert "DRAFT" in header.decode("utf-8")


def test_a_statement_without_title_or_year_builds_a_draft_named_without_a_year(tmp_path):
    undated = PROFILE.replace("  title: Modern Slavery Statement 2023\n", "").replace('  financial_year: "2023-24"\n', "")
    undated = undated.replace("  period: {start: 2023-04-01, end: 2024-03-31}\n", "")
    profile = tmp_path / "profile.yaml"
    profile.write_text(undated, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = msgen("build", profile, "-o", out)
    assert result.exit_code == 0, result.output
    assert "because it does not say which financial year it covers" in result.output
    [statement] = out.glob("*.docx")
    assert statement.name == "exampleshire-modern-slavery-statement.docx"
    assert rows(statement)[:3] == [("Normal", "DRAFT — not approved"), ("Subtitle", "Exampleshire Constabulary"),
                                   ("Heading1", "Foreword")]  # no empty title line


def test_signatories_alone_and_one_signing_for_a_body_outside_the_statement(tmp_path):
    placed = PROFILE.replace("      - data: commitments\n", "      - data: signatories\n      - data: commitments\n")
    placed = placed.replace("{name: Bea Example, role: Chief Constable, organisation: force, date: 2024-09-14}",
                            "{name: Bea Example, role: Commissioner, organisation_name: Exampleshire OPCC}")
    [statement] = build(tmp_path, placed)
    texts = [text for _, text in rows(statement)]
    assert not any(text.startswith("Approved by") for text in texts)
    assert ("TABLE", "Signatory | Signature | Date | Bea ExampleCommissionerExampleshire OPCC |  | ") \
        in rows(statement)


def test_clauses_name_bodies_that_would_read_alike_as_the_organisations(tmp_path):
    two_forces = PROFILE.replace("""    type: police-force
""", """    type: police-force
  - id: other
    legal_name: Otherside Police
    type: police-force
""").replace('      - p: "We endorse this statement."', '      - p: "We endorse this statement."\n'
             "      - clause: legal-basis")
    [statement] = build(tmp_path, two_forces.replace("{name: Ann Example, role: Commissioner, organisation: force}",
                                                     "{name: Ann Example, role: Commissioner, organisation: force}\n"
                                                     "      - {name: Cy Example, role: Chief, organisation: other}"))
    texts = [text for _, text in rows(statement)]
    assert any(text.startswith("This statement is published voluntarily: as public bodies, the organisations are "
                               "not yet required") for text in texts), texts


@pytest.mark.office
def test_a_version_2_example_s_pdf_holds_its_text_tagged_in_british_english(tmp_path):
    from pdfs import pdf_catalog_lang, pdf_info, pdf_text

    out = tmp_path / "out"
    out.mkdir()
    result = msgen("build", ROOT / "examples" / "v2" / "staffordshire-joint-2022.yaml", "-o", out, "--format", "pdf")
    assert result.exit_code == 0, result.output
    [pdf] = out.glob("*.pdf")
    text = " ".join(pdf_text(pdf).split())
    assert "1. Introduction" in text and "6. Action Plan" in text
    assert "DRAFT" in text  # its approval date is not in the reference, so it is a draft
    assert pdf_catalog_lang(pdf) == "en-GB" and pdf_info(pdf)["Tagged"] == "yes"
