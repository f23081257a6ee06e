"""Issue 14's presentation, read from the built .docx as a reader would: a draft can never pass
as approved, a signature block a board signs, the body's identity on every document, and
msgen's own wording in typographic quotes."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml.ns import qn

from conftest import msgen
from msgen.document.grammar import long_date

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DRAFT = "DRAFT — not approved"


def build(tmp_path: Path, profile: Path, *options: str) -> dict[str, Path]:
    """The profile's documents built into a folder of their own, by kind ("statement", "charter")."""
    out = tmp_path / "out"
    out.mkdir(parents=True, exist_ok=True)
    result = msgen("build", profile, "-o", out, "--format", "docx", "--force", *options)
    assert result.exit_code == 0, result.output
    return {("charter" if "charter" in path.name else "statement"): path for path in out.glob("*.docx")}


def body_texts(path: Path) -> list[str]:
    """Each body paragraph's text in order, content controls and table cells included."""
    return texts(docx.Document(str(path)).element.body)


def texts(element) -> list[str]:
    """Each paragraph's text within `element` (python-docx's .text skips content controls)."""
    return ["".join(t.text or "" for t in paragraph.iter(qn("w:t"))) for paragraph in element.iter(qn("w:p"))]


def header_texts(path: Path) -> list[str]:
    package = zipfile.ZipFile(path)
    return [package.read(name).decode("utf-8") for name in package.namelist() if name.startswith("word/header")]


def dates_of(data: dict) -> list[str]:
    """Every approval, signing and publication date the profile gives, in words."""
    given = [data["approval"].get("date"), data["statement"].get("publication", {}).get("publication_date")]
    given += [person.get("date") for person in data["signatories"]]
    return sorted({long_date(str(day)) for day in given if day})


@pytest.mark.parametrize("example", ["derbyshire-first.yaml", "v2/nottinghamshire-opcc-2022.yaml"])
def test_a_draft_opens_with_its_notice_and_prints_no_date_the_board_has_not_given(tmp_path, example):
    profile = tmp_path / "profile.yaml"
    data = yaml.safe_load((EXAMPLES / example).read_text(encoding="utf-8"))
    data["approval"]["date"] = "2022-09-28"  # a draft of a statement with its dates already filled in
    data["statement"].setdefault("publication", {})["publication_date"] = "2022-10-01"
    for person in data["signatories"]:
        person["date"] = "2022-09-29"
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for path in build(tmp_path, profile, "--draft").values():
        texts = [text for text in body_texts(path) if text]
        assert texts[0] == DRAFT, "the first paragraph a screen reader reads"
        assert all(DRAFT in header for header in header_texts(path)), "and the top of every page"
        printed = "\n".join(texts)
        assert not [day for day in dates_of(data) if day in printed], path.name
        properties = docx.Document(str(path)).core_properties
        assert properties.created.date().isoformat() != "2022-09-28", "not dated as approved, even in its properties"
    statement = "\n".join(body_texts(build(tmp_path, profile, "--draft")["statement"]))
    assert "Date of approval: not yet approved" in statement
    assert "[date of signing]" in statement


def test_a_final_statement_carries_no_draft_marking_and_prints_its_dates(tmp_path):
    data = yaml.safe_load((EXAMPLES / "norfolk-opcc-constabulary.yaml").read_text(encoding="utf-8"))
    for path in build(tmp_path, EXAMPLES / "norfolk-opcc-constabulary.yaml").values():
        assert DRAFT not in "".join(body_texts(path)) and not any("DRAFT" in h for h in header_texts(path))
        assert f"Date of approval: {long_date(str(data['approval']['date']))}" in body_texts(path)


@pytest.mark.parametrize("placeholder", ["[insert the board's name]", "[check the date]"])
def test_an_unconfirmed_placeholder_builds_only_a_draft(tmp_path, placeholder):
    profile = tmp_path / "profile.yaml"
    data = yaml.safe_load((EXAMPLES / "norfolk-opcc-constabulary.yaml").read_text(encoding="utf-8"))
    data["approval"]["body"] = placeholder
    profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = msgen("build", profile, "-o", out)
    assert result.exit_code == 0, result.output
    assert f"built as a draft (DRAFT on every page) because it still has an {placeholder.split()[0]} …] " \
           "placeholder" in result.output
    assert all(body_texts(path)[0] == DRAFT for path in out.glob("*.docx"))


def test_a_value_msgen_import_marked_to_check_builds_only_a_draft(tmp_path):
    profile = tmp_path / "profile.yaml"
    text = (EXAMPLES / "norfolk-opcc-constabulary.yaml").read_text(encoding="utf-8")
    profile.write_text(text.replace("\napproval:\n", "\napproval:  # check: as the source gives it\n", 1),
                       encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = msgen("build", profile, "-o", out)
    assert result.exit_code == 0, result.output
    assert "because it still has a value `msgen import` marked '# check:'" in result.output
    assert all(body_texts(path)[0] == DRAFT for path in out.glob("*.docx"))


def test_three_signatories_are_three_blocks_kept_on_one_page_with_the_approval_record(tmp_path):
    statement = build(tmp_path, EXAMPLES / "staffordshire-joint-2022.yaml")["statement"]
    document = docx.Document(str(statement))
    [table] = [table for table in document.tables
               if table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == "Signatories"]
    header, *blocks = table.rows
    assert [cell.text for cell in header.cells] == ["Signatory", "Signature", "Date"]
    assert [texts(block.cells[0]._tc)[0] for block in blocks] == ["Chris Noble", "Ben Adams", "Rob Barber"]
    for block in blocks:
        assert block._tr.trPr.find(qn("w:cantSplit")) is not None, "a block never splits over two pages"
        assert block.height.cm >= 1.5, "room to sign"
        assert block.cells[2]._tc.tcPr.find(qn("w:noWrap")) is not None, "a date never wraps"
        assert block.cells[2].width.cm >= 3.5
    record = [p for p in document.paragraphs if p.text.startswith(("Approved by", "Date of approval"))]
    cells = [p for row in table.rows for cell in row.cells for p in cell.paragraphs]
    assert all(p.paragraph_format.keep_with_next for p in record + cells[:-1]), "kept together on one page"


@pytest.mark.parametrize("example, year", [("norfolk-opcc-constabulary.yaml", "2022/23"),
                                           ("cambridgeshire-2020.yaml", "2019/20")])
def test_every_document_names_its_bodies_and_year_on_its_first_page_and_every_page(tmp_path, example, year):
    data = yaml.safe_load((EXAMPLES / example).read_text(encoding="utf-8"))
    documents = build(tmp_path, EXAMPLES / example)
    assert body_texts(documents["charter"])[0] == f"{data['supplier_charter']['title']} {year}"
    charter_title = docx.Document(str(documents["charter"])).core_properties.title
    assert charter_title.endswith(year), "both 7 Force charters no longer share one title"
    first_page = body_texts(documents["statement"])[:6]
    assert all(org["name"] in first_page for org in data["organisations"])
    for path in documents.values():
        assert all(year in header for header in header_texts(path)), "the running head names the year"


UNDATED_TITLE = """\
schema_version: 2
slug: exampleshire
statement: {title: Modern Slavery Statement, financial_year: "2023-24"}
bodies: [{id: force, legal_name: Exampleshire Constabulary, type: police-force}]
sections: [{id: introduction, heading: Introduction, blocks: [{p: We oppose slavery in all its forms.}]}]
approval: {body: Chief Officer Group, date: 2024-09-14}
signatories: [{name: A Person, role: Chief Constable, organisation: force}]
"""


def test_a_version_2_title_without_its_year_gets_it_in_the_document_properties(tmp_path):
    profile = tmp_path / "profile.yaml"
    profile.write_text(UNDATED_TITLE, encoding="utf-8")
    statement = build(tmp_path, profile)["statement"]
    properties = docx.Document(str(statement)).core_properties
    assert properties.title == "Modern Slavery Statement 2023/24: Exampleshire Constabulary"
    assert "Modern Slavery Statement" in body_texts(statement), "printed as the body wrote it"
    assert all("Modern Slavery Statement 2023/24" in header for header in header_texts(statement))


def test_msgen_s_own_wording_uses_typographic_quotes_and_apostrophes(tmp_path):
    """Text outside content controls is msgen's (the profile's text is in controls, as written)."""
    for example in ("norfolk-opcc-constabulary.yaml", "v2/norfolk-opcc-constabulary.yaml"):
        for path in build(tmp_path / Path(example).parent.name, EXAMPLES / example).values():
            body = docx.Document(str(path)).element.body
            own = [t.text for t in body.iter(qn("w:t")) if t.text
                   and not any(parent.tag == qn("w:sdt") for parent in t.iterancestors())]
            assert own and not [text for text in own if "'" in text or '"' in text], path.name
    statement = "\n".join(body_texts(build(tmp_path, EXAMPLES / "norfolk-opcc-constabulary.yaml")["statement"]))
    assert "under the words “Modern slavery statement”" in statement
    assert "Progress on last year’s commitments" in statement


BRANDED = EXAMPLES / "v2" / "norfolk-opcc-constabulary.yaml"


def branded(tmp_path: Path, branding: dict) -> Path:
    """Norfolk's version-2 example with `branding` (and a logo file beside it)."""
    folder = tmp_path / "profile"
    shutil.copytree(BRANDED.parent, folder)
    shutil.copy(EXAMPLES / "signatures" / "caroline-henry.png", folder / "logo.png")
    data = yaml.safe_load(BRANDED.read_text(encoding="utf-8"))
    data["branding"] = branding
    profile = folder / BRANDED.name
    profile.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return profile


def test_branding_puts_the_logos_first_and_colours_and_sets_the_font(tmp_path):
    profile = branded(tmp_path, {"logos": [{"path": "logo.png", "alt_text": "Norfolk Constabulary logo"}],
                                 "accent_colour": "#00573F", "font": "Arial"})
    statement = docx.Document(str(build(tmp_path, profile)["statement"]))
    body = statement.element.body
    first = next(p for p in body.iter(qn("w:p")) if texts(p) != [DRAFT]
                 and ("".join(texts(p)) or next(p.iter(qn("w:drawing")), None) is not None))
    [described] = first.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
    assert described.get("descr") == "Norfolk Constabulary logo", "the logo comes first, with its alt text"
    assert str(statement.styles["Heading 1"].font.color.rgb) == "00573F"
    assert str(statement.styles["Title"].font.color.rgb) == "00573F"
    defaults = statement.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:rFonts')}")
    assert defaults.get(qn("w:ascii")) == "Arial"


@pytest.mark.parametrize("branding, message", [
    ({"accent_colour": "green"}, "branding.accent_colour: 'green' is not in the expected form: a colour as #RRGGBB"),
    ({"logos": [{"path": "missing.png", "alt_text": "Logo"}]}, "branding.logos[0].path: the image 'missing.png' "
                                                               "does not exist"),
])
def test_bad_branding_is_one_clear_line(tmp_path, branding, message):
    profile = branded(tmp_path, branding)
    out = tmp_path / "out"
    out.mkdir()
    result = msgen("build", profile, "-o", out)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert not list(out.iterdir())


def kpi_table(path: Path) -> list[list[str]]:
    document = docx.Document(str(path))
    [table] = [table for table in document.tables
               if table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == "Key performance indicators"]
    return [["".join(texts(cell._tc)) for cell in row.cells] for row in table.rows]


def test_a_final_statement_prints_no_column_of_dashes_and_a_draft_shows_what_is_missing(tmp_path):
    """Norfolk's indicators give targets but no figures yet."""
    final = kpi_table(build(tmp_path / "final", EXAMPLES / "norfolk-opcc-constabulary.yaml")["statement"])
    assert final[0] == ["Indicator", "Kind", "Target"]
    assert not [column for column in zip(*final[1:]) if set(column) == {"—"}]
    draft = kpi_table(build(tmp_path / "draft", EXAMPLES / "norfolk-opcc-constabulary.yaml", "--draft")["statement"])
    assert draft[0] == ["Indicator", "Kind", "Target", "Actual", "Last year"]
    assert {row[3] for row in draft[1:]} == {"—"}


def test_three_signatories_print_on_one_page_with_the_heading_and_no_date_wrapped(tmp_path, needs_office):
    from pdfs import pdf_text

    out = tmp_path / "out"
    out.mkdir()
    result = msgen("build", EXAMPLES / "staffordshire-joint-2022.yaml", "-o", out, "--format", "pdf")
    assert result.exit_code == 0, result.output
    [statement] = out.glob("*-modern-slavery-statement-*.pdf")
    data = yaml.safe_load((EXAMPLES / "staffordshire-joint-2022.yaml").read_text(encoding="utf-8"))
    [page] = [page for page in pdf_text(statement).split("\f") if "Approved by" in page]
    lines = [line.strip() for line in page.splitlines()]
    assert "Approval and publication" in lines and "Date of approval: 13 September 2023" in lines
    for person in data["signatories"]:
        assert person["name"] in lines and long_date(str(person["date"])) in lines, person["name"]


def test_a_draft_pulls_back_without_its_notice_or_blank_dates_read_as_edits(tmp_path):
    statement = build(tmp_path, EXAMPLES / "derbyshire-first.yaml", "--draft")["statement"]
    result = msgen("pull", statement, "--profile", EXAMPLES / "derbyshire-first.yaml", "-o", tmp_path / "new.yaml")
    assert result.exit_code == 0, result.output
    assert "0 field(s) updated, 0 edit(s) outside profile fields" in result.stdout


def test_a_draft_blanks_the_approval_date_even_in_the_bodys_own_sentence(tmp_path: Path) -> None:
    # Cambridgeshire's statement ends "approved … on 26th November 2020 at the Business Co-ordination
    # Board"; its version-2 example is a draft (the published text lacks a legal name and a year)
    profile = EXAMPLES / "v2" / "cambridgeshire-2020.yaml"
    assert "on 26th\n          November 2020" in profile.read_text(encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    assert msgen("build", profile, "-o", out, "--format", "docx,html").exit_code == 0
    statement, = out.glob("*statement*.docx")
    page, = out.glob("*statement*.html")

    text = " ".join(body_texts(statement))
    assert "Ray Bisby on [date of approval] at the Business Co-ordination Board" in text
    assert "26th November 2020" not in text
    assert "on [date of approval] at the Business" in page.read_text(encoding="utf-8")
    assert "26th November 2020" not in page.read_text(encoding="utf-8")
    checked = msgen("check", profile, "--docx", statement, "--json")
    assert "docx.matches-profile" not in checked.stdout  # the blank is msgen's, not an edit


def test_a_final_statement_keeps_the_bodys_approval_sentence_word_for_word(tmp_path: Path) -> None:
    profile = tmp_path / "final.yaml"
    profile.write_text(
        "schema_version: 2\nslug: final\nstatement: {title: Statement 2022/23, financial_year: 2022-23}\n"
        "bodies: [{id: b, legal_name: Exampleshire Police, type: police-force}]\n"
        "sections: [{id: s, heading: Approval, blocks: [p: This statement was approved on 26th November 2023.]}]\n"
        "approval: {body: Board, date: 2023-11-26}\n"
        "signatories: [{name: A Person, role: Chief Constable, organisation: b, date: 2023-11-26}]\n",
        encoding="utf-8")

    text = " ".join(body_texts(build(tmp_path, profile)["statement"]))

    assert "This statement was approved on 26th November 2023." in text
    assert "[date of approval]" not in text
