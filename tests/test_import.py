"""`msgen import`: a published statement becomes a version-2 profile that builds to the body's own
words (issue 12). Measured on the five reference statements with scripts/fidelity.py, as a user
would: import, build, compare the built statement with the source."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

import docx
import pytest
import yaml

from conftest import msgen

ROOT = Path(__file__).resolve().parents[1]
REFERENCES = ROOT.parent / "shared" / "reference"
NAMES = sorted(path.stem for path in REFERENCES.glob("*.txt"))

_spec = importlib.util.spec_from_file_location("fidelity", ROOT / "scripts" / "fidelity.py")
fidelity = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("fidelity", fidelity)
_spec.loader.exec_module(fidelity)

SIGNATURE_LABELS = ["Approved by:", "Date of approval:", "not yet approved", "Name", "Role", "Organisation",
                    "Signature", "Date", "Signatory", "DRAFT — not approved", "[date of signing]"]
# The source's signature lines come back as the signature table's fields, not as its lines.
SIGNATURE_LINES = [r"^(Name|Date|Signature):"]


def word_copy(reference: Path, target: Path) -> Path:
    """The reference as Word writes it: headings in Heading styles (the title in Title), list items
    in List Bullet, everything else a plain paragraph."""
    document = docx.Document()
    for index, block in enumerate(fidelity.read_text(reference)):
        if block.kind == "heading" and index == 0 and "statement" in block.text.lower():
            document.add_paragraph(block.text, style="Title")
        elif block.kind == "heading":
            number = block.text.split()[0]
            document.add_heading(block.text, level=2 if number.rstrip(".").count(".") else 1)
        elif block.kind == "item":
            document.add_paragraph(block.text, style="List Bullet")
        else:
            document.add_paragraph(block.text)
    document.save(target)
    return target


def web_copy(reference: Path, target: Path) -> Path:
    """The reference as a saved web page, inside the furniture a council or police site puts
    around it: navigation, a cookie banner, a skip link and a footer."""
    from html import escape

    body, in_list = [], False
    for index, block in enumerate(fidelity.read_text(reference)):
        if block.kind != "item" and in_list:
            body.append("</ul>")
            in_list = False
        if block.kind == "heading":
            level = 1 if index == 0 and "statement" in block.text.lower() else 2
            body.append(f"<h{level}>{escape(block.text)}</h{level}>")
        elif block.kind == "item":
            body.append(("" if in_list else "<ul>") + f"<li>{escape(block.text)}</li>")
            in_list = True
        else:
            body.append(f"<p>{escape(block.text)}</p>")
    body.append("</ul>" if in_list else "")
    target.write_text(f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Statement</title></head>
<body><a class="skip-link" href="#content">Skip to main content</a>
<div class="cookie-banner" role="dialog"><p>{COOKIE_BANNER}</p><button>Accept all cookies</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">{NAVIGATION}</a></li></ul></nav></header>
<main id="content"><article>{"".join(body)}</article></main>
<footer><p>© Example Police. All rights reserved.</p></footer></body></html>""", encoding="utf-8")
    return target


COOKIE_BANNER = "We use some essential cookies to make this website work and would like to set analytics cookies"
NAVIGATION = "Latest news and appeals from across the county"


def import_and_build(source: Path, folder: Path) -> tuple[dict, Path]:
    profile = folder / "profile.yaml"
    result = msgen("import", source, "-o", profile)
    assert result.exit_code == 0, result.output
    out = folder / "out"
    out.mkdir()
    built = msgen("build", profile, "-o", out, "--format", "docx")
    assert built.exit_code == 0, built.output
    return yaml.safe_load(profile.read_text(encoding="utf-8")), next(out.glob("*statement*.docx"))


def signature_values(profile: dict) -> list[str]:
    """The signature block as the build prints it: the profile's approval and signatories."""
    values = [profile["approval"]["body"], f"Approved by: {profile['approval']['body']}",
              "Date of approval: not yet approved"]
    for signatory in profile["signatories"]:
        values += [signatory["name"], signatory["role"]]
        if "date" in signatory:
            values.append(f"{signatory['date'].day} {signatory['date']:%B %Y}")
    values += [body["legal_name"] for body in profile["bodies"]]
    return values


def with_running_header(word: Path) -> Path:
    """The Word copy with a running header (the title) and a page number in the footer on every
    page, residue a PDF made from it carries and import must drop."""
    from docx.oxml import parse_xml

    document = docx.Document(word)
    section = document.sections[0]
    section.header.paragraphs[0].text = RUNNING_HEADER
    section.footer.paragraphs[0]._p.append(parse_xml(
        '<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:instr="PAGE">'
        "<w:r><w:t>1</w:t></w:r></w:fldSimple>"))
    document.save(word)
    return word


@pytest.fixture(scope="module")
def pdf_copies(tmp_path_factory) -> dict[str, Path]:
    """Every reference printed to PDF by LibreOffice from its Word copy, and the footnoted statement,
    in one run: each start of LibreOffice costs seconds."""
    from msgen.publish.office import convert

    folder = tmp_path_factory.mktemp("pdf")
    words = [with_running_header(word_copy(REFERENCES / f"{name}.txt", folder / f"{name}.docx")) for name in NAMES]
    return {path.stem: path for path in convert([*words, footnoted_word(folder / "footnoted.docx")], folder)}


RUNNING_HEADER = "Modern Slavery Statement: published version"
COPIES = {"txt": lambda reference, folder: reference,
          "docx": lambda reference, folder: word_copy(reference, folder / f"{reference.stem}.docx"),
          "html": lambda reference, folder: web_copy(reference, folder / f"{reference.stem}.html")}


def assert_kept_word_for_word(profile: dict, built: Path, reference: Path, label: str) -> None:
    """The acceptance of issue 12: at least 95 % of the source kept, at most 5 % foreign, every
    heading in order, no residue."""
    report = fidelity.measure(built, reference, allowed=SIGNATURE_LABELS + signature_values(profile),
                              exclude=SIGNATURE_LINES)
    lost = [unit.text for unit in report.source_units if not unit.found]
    foreign = [unit.text for unit in report.output_units if not unit.found]
    print(f"{label}: kept {report.kept_percent} %, foreign {report.foreign_percent} %, "
          f"headings {report.headings_found}/{report.headings_total}, in order {report.headings_in_order}")
    assert report.kept_percent >= 95, lost
    assert report.foreign_percent <= 5, foreign
    assert report.headings_found == report.headings_in_order == report.headings_total, report.missing_headings
    assert not report.residue_in_output


@pytest.mark.parametrize("kind", ["docx", "html", pytest.param("pdf", marks=pytest.mark.office), "txt"])
@pytest.mark.parametrize("name", NAMES)
def test_a_reference_statement_comes_back_word_for_word(tmp_path, request, name, kind):
    reference = REFERENCES / f"{name}.txt"
    source = request.getfixturevalue("pdf_copies")[name] if kind == "pdf" else COPIES[kind](reference, tmp_path)
    profile, built = import_and_build(source, tmp_path)
    assert_kept_word_for_word(profile, built, reference, f"{name}.{kind}")
    text = (tmp_path / "profile.yaml").read_text(encoding="utf-8")
    assert COOKIE_BANNER not in text and NAVIGATION not in text and "All rights reserved" not in text
    assert f"# dropped as residue: {RUNNING_HEADER}" in text if kind == "pdf" else RUNNING_HEADER not in text


def test_the_three_staffordshire_signature_blocks_come_back_with_their_stale_dates(tmp_path):
    profile = tmp_path / "profile.yaml"
    assert msgen("import", REFERENCES / "staffordshire-joint-2022.txt", "-o", profile).exit_code == 0
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    bodies = {body["id"]: body["legal_name"] for body in data["bodies"]}
    assert [(s["name"], s["role"], bodies[s["organisation"]], str(s["date"])) for s in data["signatories"]] == [
        ("Chris Noble", "Chief Constable", "Staffordshire Police", "2022-10-04"),
        ("Ben Adams", "Staffordshire Commissioner", "Staffordshire Commissioner's Office", "2021-09-13"),
        ("Rob Barber", "Chief Fire Officer", "Staffordshire Fire and Rescue Service", "2021-10-13"),
    ]
    text = profile.read_text(encoding="utf-8")
    assert "# check: as the source gives it (13.09.21)" in text
    assert "the block also reads Police | Fire and Rescue | Crime" in text
    checked = msgen("check", profile)
    assert checked.exit_code == 1
    for stale in ("Chris Noble signed on 4 October 2022", "Ben Adams signed on 13 September 2021",
                  "Rob Barber signed on 13 October 2021"):
        assert stale in checked.output


def test_what_was_guessed_is_marked_and_what_is_missing_is_a_placeholder(tmp_path):
    profile = tmp_path / "profile.yaml"
    result = msgen("import", REFERENCES / "cambridgeshire-2020.txt", "-o", profile)
    text = profile.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["approval"] == {"body": "Business Co-ordination Board", "date": date(2020, 11, 26)}
    assert "covers:  # guessed from the heading: check\n      - structure" in text
    assert data["signatories"][0]["name"] == "[insert the signatory's name]"
    assert "to confirm: signatories: none found" in result.output
    assert "bodies: Cambridgeshire Constabulary" in result.output


def test_web_page_residue_in_a_text_copy_is_dropped_and_named(tmp_path):
    profile = tmp_path / "profile.yaml"
    result = msgen("import", REFERENCES / "nottinghamshire-opcc-2022.txt", "-o", profile)
    text = profile.read_text(encoding="utf-8")
    assert "# dropped as residue: Your cookie preferences have been saved." in text
    assert "cookie" not in text.split("schema_version:", 1)[1].lower()
    assert "dropped as residue:" in result.output


def test_an_existing_profile_is_never_replaced_without_force(tmp_path):
    profile = tmp_path / "profile.yaml"
    profile.write_text("mine\n", encoding="utf-8")
    result = msgen("import", REFERENCES / "derbyshire-first.txt", "-o", profile)
    assert result.exit_code == 3
    assert profile.read_text(encoding="utf-8") == "mine\n"
    assert msgen("import", REFERENCES / "derbyshire-first.txt", "-o", profile, "--force").exit_code == 0
    assert "Derbyshire Constabulary" in profile.read_text(encoding="utf-8")


def test_a_dash_reads_the_statement_from_standard_input(tmp_path):
    profile = tmp_path / "profile.yaml"
    source = (REFERENCES / "derbyshire-first.txt").read_bytes()
    from typer.testing import CliRunner

    from msgen.cli import app

    result = CliRunner().invoke(app, ["import", "-", "-o", str(profile)], input=source)
    assert result.exit_code == 0, result.output
    assert "This is Derbyshire Constabulary’s first Modern Slavery Statement." in profile.read_text(encoding="utf-8")


def test_word_formatting_links_nested_lists_and_tables_survive(tmp_path):
    document = docx.Document()
    document.add_paragraph("Modern Slavery Statement 2023-24", style="Title")
    document.add_heading("1. Policies", level=1)
    paragraph = document.add_paragraph()
    paragraph.add_run("Policies:").bold = True
    paragraph.add_run(" we keep them ")
    paragraph.add_run("under review").italic = True
    paragraph.add_run(".")
    document.add_paragraph("Whistleblowing", style="List Bullet")
    document.add_paragraph("Anonymous line", style="List Bullet 2")
    document.add_paragraph("Recruitment", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [["Measure", "2023-24"], ["Referrals", "41"]]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    source = tmp_path / "statement.docx"
    document.save(source)
    profile = tmp_path / "profile.yaml"
    assert msgen("import", source, "-o", profile).exit_code == 0
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    assert data["statement"]["title"] == "Modern Slavery Statement 2023-24"
    assert data["statement"]["financial_year"] == "2023-24"
    section = data["sections"][0]
    assert (section["heading"], section["number"], section["covers"]) == ("Policies", "1.", ["policies"])
    assert section["blocks"] == [
        {"p": "**Policies:** we keep them *under review*."},
        {"list": [{"text": "Whistleblowing", "items": ["Anonymous line"]}, "Recruitment"]},
        {"table": {"header": ["Measure", "2023-24"], "rows": [["Referrals", "41"]]}},
    ]


def test_a_statement_msgen_built_imports_with_the_text_inside_its_content_controls(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    assert msgen("build", ROOT / "examples" / "cambridgeshire-2020.yaml", "-o", out).exit_code == 0
    [statement] = out.glob("*-modern-slavery-statement-*.docx")
    profile = tmp_path / "imported.yaml"
    assert msgen("import", statement, "-o", profile).exit_code == 0
    assert msgen("validate", profile).exit_code == 0
    text = profile.read_text(encoding="utf-8")
    assert "Cambridgeshire Constabulary" in text and "Supplier Charter" in text


def test_bodies_come_from_the_full_uk_list_with_their_types(tmp_path):
    source = tmp_path / "statement.txt"
    source.write_text("Modern Slavery Statement 2023-24\n\nThis statement is made by Avon and Somerset Police, the "
                      "Office of the Police and Crime Commissioner for Avon and Somerset and Dorset and Wiltshire Fire "
                      "and Rescue Authority, who share a procurement team.\n", encoding="utf-8")
    profile = tmp_path / "profile.yaml"
    result = msgen("import", source, "-o", profile)
    assert result.exit_code == 0, result.output
    bodies = yaml.safe_load(profile.read_text(encoding="utf-8"))["bodies"]
    assert [(body["legal_name"], body["type"]) for body in bodies] == [
        ("Avon and Somerset Police", "police-force"),
        ("Office of the Police and Crime Commissioner for Avon and Somerset", "pcc-office"),
        ("Dorset and Wiltshire Fire and Rescue Authority", "fire-authority"),
    ]


def test_a_commissioner_named_without_its_area_is_left_for_a_person_to_add(tmp_path):
    profile = tmp_path / "profile.yaml"
    result = msgen("import", REFERENCES / "nottinghamshire-opcc-2022.txt", "-o", profile)
    bodies = yaml.safe_load(profile.read_text(encoding="utf-8"))["bodies"]
    assert [body["legal_name"] for body in bodies] == ["Nottinghamshire Police"]
    assert "the text names 'Office of the Police and Crime Commissioner' without its area" in result.output


FOOTNOTE = "Home Office, National Referral Mechanism statistics, 2023."
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def footnoted_word(target: Path) -> Path:
    """A statement as Word writes one with a real footnote (its own part, a superscript reference)
    and a quotation in Word's Quote style followed by its source."""
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("Modern Slavery Statement 2023-24", style="Title")
    document.add_heading("1. Risk", level=1)
    paragraph = document.add_paragraph("Over 10,000 potential victims were referred in the UK last year")
    paragraph._p.append(parse_xml(f'<w:r {W}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                                  '<w:footnoteReference w:id="1"/></w:r>'))
    paragraph.add_run(".")
    document.add_paragraph("We will not tolerate modern slavery in our supply chains.", style="Quote")
    document.add_paragraph("— Police and Crime Plan 2022-24")
    document.add_paragraph("We review our suppliers every year.")
    notes = (f'<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
             f'</w:footnote><w:footnote w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
             f'<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {FOOTNOTE}</w:t></w:r></w:p></w:footnote>'
             "</w:footnotes>")
    part = Part(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, notes.encode(), document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    document.save(target)
    return target


def imported_blocks(source: Path, folder: Path) -> list[dict]:
    profile = folder / "profile.yaml"
    result = msgen("import", source, "-o", profile)
    assert result.exit_code == 0, result.output
    return yaml.safe_load(profile.read_text(encoding="utf-8"))["sections"][0]["blocks"]


def test_a_word_footnote_becomes_a_note_and_a_quote_style_a_quotation_with_its_source(tmp_path):
    blocks = imported_blocks(footnoted_word(tmp_path / "statement.docx"), tmp_path)
    assert blocks == [{"p": "Over 10,000 potential victims were referred in the UK last year."}, {"note": FOOTNOTE},
                      {"quote": "We will not tolerate modern slavery in our supply chains.",
                       "source": "Police and Crime Plan 2022-24"},
                      {"p": "We review our suppliers every year."}]


@pytest.mark.office
def test_a_pdf_footnote_comes_back_as_a_note_with_no_digit_left_on_the_word(tmp_path, pdf_copies):
    blocks = imported_blocks(pdf_copies["footnoted"], tmp_path)
    assert {"p": "Over 10,000 potential victims were referred in the UK last year."} in blocks
    assert {"note": FOOTNOTE} in blocks


def test_footnote_markers_glued_to_words_in_text_become_notes_and_other_digits_stay(tmp_path):
    source = tmp_path / "statement.txt"
    source.write_text("Modern Slavery Statement 2023-24\n\n1. Risk\n\n"
                      "Referrals of potential victims rose by a fifth1 during Covid-19, as section 54(1) foresaw.\n\n"
                      "The 7F collaboration shares the work2.\n\n"
                      "1 Home Office statistics, 2023.\n2 The seven forces of the eastern region.\n", encoding="utf-8")
    assert imported_blocks(source, tmp_path) == [
        {"p": "Referrals of potential victims rose by a fifth during Covid-19, as section 54(1) foresaw."},
        {"note": "Home Office statistics, 2023."},
        {"p": "The 7F collaboration shares the work."},
        {"note": "The seven forces of the eastern region."},
    ]


def test_a_web_pages_blockquote_and_footnotes_come_back_as_a_quotation_and_notes(tmp_path):
    source = tmp_path / "statement.html"
    source.write_text(
        "<html><body><nav><a href='/'>Home</a></nav><main><article><h1>Modern Slavery Statement 2023-24</h1>"
        "<h2>Risk</h2><p>Over 10,000 potential victims were referred in the UK last year<sup><a href='#fn1'>1</a>"
        "</sup>, and the force made 41 of those referrals itself.</p>"
        "<blockquote><p>We will not tolerate modern slavery in our supply chains.</p></blockquote>"
        "<p>— Police and Crime Plan 2022-24</p><p>We review our suppliers every year, as our contracts allow.</p>"
        f"<ol><li id='fn1'>{FOOTNOTE}</li></ol></article></main></body></html>", encoding="utf-8")
    assert imported_blocks(source, tmp_path) == [
        {"p": "Over 10,000 potential victims were referred in the UK last year, and the force made 41 of those "
              "referrals itself."},
        {"note": FOOTNOTE},
        {"quote": "We will not tolerate modern slavery in our supply chains.",
         "source": "Police and Crime Plan 2022-24"},
        {"p": "We review our suppliers every year, as our contracts allow."},
    ]


def test_markdown_headings_and_tables_come_back_as_headings_and_table_blocks(tmp_path):
    source = tmp_path / "statement.md"
    source.write_text("# Modern Slavery Statement 2023-24\n\n## 6. Effectiveness\n\nWe measure our progress.\n\n"
                      "| Measure | 2023-24 |\n|---|---:|\n| Referrals | 41 |\n| Staff trained | 1,200 |\n",
                      encoding="utf-8")
    profile = tmp_path / "profile.yaml"
    assert msgen("import", source, "-o", profile).exit_code == 0
    data = yaml.safe_load(profile.read_text(encoding="utf-8"))
    assert data["statement"]["title"] == "Modern Slavery Statement 2023-24"
    [section] = data["sections"]
    assert (section["number"], section["heading"]) == ("6.", "Effectiveness")
    assert section["blocks"] == [{"p": "We measure our progress."}, {"table": {
        "header": ["Measure", "2023-24"], "rows": [["Referrals", "41"], ["Staff trained", "1,200"]]}}]


@pytest.mark.parametrize("date_line", ["Date: Autumn 2023", "Date Autumn 2023"])
def test_a_signature_date_that_cannot_be_read_is_left_for_a_person_never_guessed(tmp_path, date_line):
    source = tmp_path / "statement.txt"
    source.write_text("Modern Slavery Statement 2023-24\n\nWe review our suppliers every year.\n\n"
                      f"Name: Chris Noble\nChief Constable\nStaffordshire Police\nSignature:\n{date_line}\n",
                      encoding="utf-8")
    profile = tmp_path / "profile.yaml"
    result = msgen("import", source, "-o", profile)
    [signatory] = yaml.safe_load(profile.read_text(encoding="utf-8"))["signatories"]
    assert (signatory["name"], signatory["role"], "date" in signatory) == ("Chris Noble", "Chief Constable", False)
    assert "the block's date 'Autumn 2023' could not be read: add date: YYYY-MM-DD" in profile.read_text()
    assert "to confirm: signatory Chris Noble: the date 'Autumn 2023'" in result.output


def test_a_heading_that_names_no_area_is_tagged_from_its_wording_and_marked_to_check(tmp_path):
    source = tmp_path / "statement.txt"
    source.write_text("Modern Slavery Statement 2023/24\n\nOur approach\n\n"
                      "All officers complete training on modern slavery. Refresher training is given every year.\n\n"
                      "Looking ahead\n\nWe will publish our policies.\n", encoding="utf-8")
    profile = tmp_path / "profile.yaml"

    result = msgen("import", source, "-o", profile)

    assert result.exit_code == 0, result.output
    text = profile.read_text(encoding="utf-8")
    sections = {section["heading"]: section for section in yaml.safe_load(text)["sections"]}
    assert sections["Our approach"]["covers"] == ["training"]
    assert "covers:  # guessed from the wording: check" in text
    assert "covers" not in sections["Looking ahead"]  # one passing mention is no sign
