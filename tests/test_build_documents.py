"""What `msgen build` writes for every example, read back from the .docx as Word shows it:
the names, roles, dates and sections a lawyer checks, in the grammar the statement needs,
with nothing of the template left behind."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml.ns import qn
from docx.table import Table

from msgen import resources
from msgen.build import build_profiles, documents_of, output_name
from msgen.profile.loader import load_profile
from ooxml import validate_docx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
AREA_HEADINGS = {
    "structure": "Structure, business and supply chains",
    "policies": "Policies on slavery and human trafficking",
    "due_diligence": "Due diligence",
    "risk": "Risk assessment and management",
    "effectiveness": "Effectiveness and key performance indicators",
    "training": "Training on slavery and human trafficking",
}
SECTION_HEADINGS = {  # the Heading 1 each custom section's `after` names
    "introduction": "Introduction", "scope": "Scope and responsibilities",
    "operational_response": "Operational response", "progress": "Progress on last year’s commitments",
    "next_year": "Commitments for the coming year", **AREA_HEADINGS,
}
HEADING_LEVEL = {"Title": 0, "Heading 1": 1, "Heading 2": 2, "Heading 3": 3}


@dataclass
class Block:
    """A paragraph (its style) or a table cell (style "cell"), with all its text,
    including the text inside content controls."""

    style: str
    text: str


@dataclass
class Built:
    path: Path
    document: docx.document.Document
    blocks: list[Block]

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)

    def headings(self) -> list[Block]:
        return [block for block in self.blocks if block.style in HEADING_LEVEL]


def all_text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def read(path: Path) -> Built:
    document = docx.Document(str(path))
    blocks = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks += [Block("cell", all_text(cell._tc)) for row in item.rows for cell in row.cells]
        else:
            blocks.append(Block(item.style.name, all_text(item._p)))
    for section in document.sections:
        for part in (section.header, section.footer):
            blocks += [Block("header/footer", all_text(p._p)) for p in part.paragraphs]
    return Built(path, document, blocks)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[dict, dict[str, Built]]]:
    """Every example built once: {example name: (profile data, {"statement"|"charter": Built})}."""
    out = tmp_path_factory.mktemp("built")
    build_profiles(EXAMPLES, out)  # what `msgen build` runs
    result = {}
    for example in EXAMPLES:
        profile = load_profile(example)
        result[example.stem] = (profile.data, {document: read(out / output_name(profile, document))
                                               for document in documents_of(profile)})
    return result


def each_document(built):
    for name, (data, documents) in built.items():
        for kind, document in documents.items():
            yield name, data, kind, document


def strings(value):
    """Every string in a profile."""
    if isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, str):
        yield value.strip()


def long_date(iso: str) -> str:
    year, month, day = iso.split("-")
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
    return f"{int(day)} {months[int(month) - 1]} {year}"


@pytest.mark.slow
def test_every_example_was_built_as_a_statement_and_a_supplier_charter(built):
    assert len(built) == len(EXAMPLES) >= 5
    written = {document.path for _, _, _, document in each_document(built)}
    folder = next(iter(written)).parent
    assert set(folder.glob("*.docx")) == written and len(written) == 2 * len(EXAMPLES)
    for name, (data, documents) in built.items():
        year = data["statement"]["financial_year"]
        assert {kind: document.path.name for kind, document in documents.items()} == {
            "statement": f"{data['slug']}-modern-slavery-statement-{year}.docx",
            "charter": f"{data['slug']}-supplier-charter-{year}.docx"}, name


def test_every_body_signatory_and_approval_date_is_in_each_document(built):
    for name, data, kind, document in each_document(built):
        for org in data["organisations"]:
            assert org["name"].strip() in document.text, (name, kind)
        cells = [block.text for block in document.blocks if block.style == "cell"]
        for signatory in data["signatories"]:  # a signatory's cell: name, role and organisation
            assert any(cell.startswith(signatory["name"] + signatory["role"]) for cell in cells), (name, kind)
            if "date" in signatory:
                assert long_date(signatory["date"]) in cells, (name, kind)
        assert f"Date of approval: {long_date(data['approval']['date'])}" in document.text, (name, kind)
        assert f"Approved by: {data['approval']['body']}" in document.text, (name, kind)


def test_each_area_has_its_heading_and_its_content_or_the_reason_it_is_left_out(built):
    for name, (data, documents) in built.items():
        statement = documents["statement"]
        headings = [block.text for block in statement.headings()]
        for key, heading in AREA_HEADINGS.items():
            assert heading in headings, (name, heading)
            area = data["areas"][key]
            if not area["included"]:
                assert f"for this reason: {area['reason'].strip()}" in statement.text, (name, key)
        if all(area["included"] for area in data["areas"].values()):
            assert "does not cover" not in statement.text, name


def test_the_charter_states_every_commitment_to_and_from_suppliers(built):
    for name, (data, documents) in built.items():
        charter, document = data["supplier_charter"], documents["charter"]
        bullets = [block.text for block in document.blocks if block.style == "List Bullet"]
        for commitment in charter.get("commitments_to_suppliers", []) + charter["commitments_from_suppliers"]:
            assert commitment.strip() in bullets, (name, commitment)
        year = data["statement"]["financial_year"].replace("-", "/")
        assert document.headings()[0].text == f"{charter['title']} {year}", "the title names its year"
        assert f"This charter is made by {charter['collaboration']}" in document.text, name


def section(document: Built, heading: str) -> list[str]:
    """The text of each block under a Heading 1, up to the next one."""
    blocks = document.blocks
    start = next(i for i, block in enumerate(blocks) if (block.style, block.text) == ("Heading 1", heading))
    following = blocks[start + 1:]
    return [block.text for block in following[:next((i for i, block in enumerate(following)
                                                      if block.style == "Heading 1"), len(following))]]


def test_staffordshire_charter_is_the_assurance_statement_attached_to_the_joint_statement(built):
    charter = built["staffordshire-joint-2022"][1]["charter"]
    assert charter.headings()[0].text == "Procurement and Supply Chain Assurance Statement 2022/23"
    about = section(charter, "About this charter")
    assert about[0].startswith("This charter is made by Staffordshire Commissioner's Office (SCO), "
                               "Staffordshire Police (SP) and Staffordshire Fire and Rescue Service (SFRS)")
    assert about[0].endswith(".") and "Staffordshire Police" not in about[1:], "members named once, not listed again"
    promises = " ".join(section(charter, "Our commitments to suppliers"))
    for promise in ("pre-contract questionnaire", "risk assessment of our supply chains", "anti-slavery clauses"):
        assert promise in promises, promise
    assert ("Have their own policy on working practices or modern slavery, or give evidence that their "
            "standards meet the expectations of SCO, SP and SFRS.") in section(charter, "What we ask of suppliers")
    assert section(charter, "Where this charter is published")[0].startswith(
        "This charter is published with the modern slavery and human trafficking statement of "
        "Staffordshire Commissioner's Office (SCO)")


def test_derbyshire_charter_asks_suppliers_to_share_its_principles_and_open_their_supply_chain(built):
    charter = built["derbyshire-first"][1]["charter"]
    assert section(charter, "Our values") == ["We welcome suppliers who share our values:", "Doing the right thing",
                                              "Making a difference", "Shaping the future"]
    about = " ".join(section(charter, "About this charter"))
    assert "responsible sourcing programme" in about
    assert "same scrutiny that its private sector suppliers face under section 54" in about
    assert any("so that our supply chain is transparent" in ask for ask in section(charter, "What we ask of suppliers"))


def test_nottinghamshire_charter_says_how_suppliers_raise_concerns_and_where_it_is_published(built):
    data, documents = built["nottinghamshire-opcc-2022"]
    charter = documents["charter"]
    about = " ".join(section(charter, "About this charter"))
    assert "Safeguarding through Commissioning Policy" in about and "Public Contracts Regulations 2015" in about
    concerns = " ".join(section(charter, "Raising concerns"))
    assert "straight to the force control room" in concerns
    assert "Modern Slavery Helpline on 08000 121 700" in concerns and "call the police on 101" in concerns
    assert section(charter, "Where this charter is published") == [
        f"This charter is published at {data['supplier_charter']['published_at']}."]


def test_nothing_of_the_template_and_no_none_is_left_and_no_heading_is_empty(built):
    profile_text_with_none = {}
    for name, data, kind, document in each_document(built):
        with_none = profile_text_with_none.setdefault(name, [s for s in strings(data) if "None" in s])
        for block in document.blocks:
            assert "{{" not in block.text and "{%" not in block.text and "%}" not in block.text, (name, block)
            if re.search(r"\bNone\b", block.text):
                assert any(s in block.text for s in with_none), (name, kind, block.text)
        assert all(heading.text.strip() for heading in document.headings()), (name, kind)
        body = [block for block in document.blocks if block.style not in ("cell", "header/footer")]
        assert all(block.text.strip() for block in body), f"{name} {kind}: an empty paragraph (spacing is in the styles)"


def test_headings_nest_without_skipping_a_level_under_one_title(built):
    for name, data, kind, document in each_document(built):
        levels = [HEADING_LEVEL[heading.style] for heading in document.headings()]
        assert levels[0] == 0 and levels.count(0) == 1, (name, kind)
        assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:])), (name, kind, levels)


def test_a_joint_statement_introduces_each_abbreviation_then_uses_it_with_plural_verbs(built):
    staffordshire = built["staffordshire-joint-2022"][1]["statement"].text
    assert ("Staffordshire Commissioner's Office (SCO), Staffordshire Police (SP) and Staffordshire Fire and "
            "Rescue Service (SFRS) have taken") in staffordshire
    assert "SCO, SP and SFRS are not yet required" in staffordshire
    norfolk = built["norfolk-opcc-constabulary"][1]["statement"].text
    assert ("the steps the Office of the Police and Crime Commissioner for Norfolk (OPCCN) and Norfolk "
            "Constabulary (NC) have taken") in norfolk
    for name, (data, documents) in built.items():
        if data["statement"]["kind"] != "joint":
            continue
        paragraphs = [block.text for block in documents["statement"].blocks]
        for org in data["organisations"]:
            first_use = next(text for text in paragraphs if re.search(rf"\b{re.escape(org['short_name'])}\b", text))
            assert f"{org['name']} ({org['short_name']})" in first_use, (name, org["short_name"])


def test_a_single_statement_speaks_of_one_body_in_the_singular(built):
    cambridgeshire = built["cambridgeshire-2020"][1]["statement"].text
    assert "the steps Cambridgeshire Constabulary has taken" in cambridgeshire
    assert "the Constabulary is not yet required" in cambridgeshire
    assert "This is the Constabulary’s first statement." in cambridgeshire
    assert "About the Constabulary" in [h.text for h in built["cambridgeshire-2020"][1]["statement"].headings()]


def test_years_and_periods_read_the_way_public_bodies_write_them(built):
    for name, (data, documents) in built.items():
        statement = documents["statement"]
        year = data["statement"]["financial_year"].replace("-", "/")
        period = data["statement"]["period"]
        assert f"Financial year {year}" in statement.text, name
        assert f"{long_date(period['start'])} to {long_date(period['end'])}" in statement.text, name


def test_custom_sections_follow_the_section_the_profile_names(built):
    for name, (data, documents) in built.items():
        headings = documents["statement"].headings()
        for section in data.get("custom_sections", []):
            position = next(i for i, h in enumerate(headings) if h.text == section["heading"].strip())
            assert headings[position].style == "Heading 2", (name, section["heading"])
            parent = next(h for h in reversed(headings[:position]) if h.style == "Heading 1")
            expected = SECTION_HEADINGS.get(section["after"], "About")
            assert parent.text.startswith(expected), (name, section["heading"], parent.text)


def test_signatures_are_images_with_alt_text_or_lines_to_sign_by_hand(built):
    for name, data, kind, document in each_document(built):
        descriptions = [d.get("descr") for d in document.document.element.body.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
        images = [s for s in data["signatories"] if "signature_image" in s]
        assert descriptions == [s["signature_image"]["alt_text"] for s in images], (name, kind)
        signatures = signature_table(document)
        blank = [row for row in signatures.rows[1:] if not all_text(row.cells[1]._tc)
                 and next(row.cells[1]._tc.iter(qn("w:drawing")), None) is None]
        assert len(blank) == len(data["signatories"]) - len(images), (name, kind)
        assert all(row.cells[1].paragraphs[0]._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}") is not None
                   for row in blank), "a line to sign on"


def signature_table(document: Built) -> Table:
    return next(table for table in document.document.tables
                if table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == "Signatories")


def test_tables_repeat_a_header_row_have_a_caption_and_no_blank_cell(built):
    for name, data, kind, document in each_document(built):
        for table in document.document.tables:
            properties = table._tbl.tblPr
            assert properties.find(qn("w:tblCaption")).get(qn("w:val")), name
            assert properties.find(qn("w:tblDescription")).get(qn("w:val")), name
            assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None, name
            if table._tbl is signature_table(document)._tbl:
                continue  # its blank cells are the spaces to sign and date by hand
            for row in table.rows:
                for cell in row.cells:
                    has_image = next(cell._tc.iter(qn("w:drawing")), None) is not None
                    assert all_text(cell._tc).strip() or has_image, (name, kind, table.rows[0].cells[0].text)


def test_documents_are_a4_in_british_english_with_page_x_of_y(built):
    for name, data, kind, document in each_document(built):
        section = document.document.sections[0]
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
        defaults = document.document.styles.element.find(qn("w:docDefaults"))
        assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == "en-GB"
        footer = section.footer._element.xml
        assert "Page " in footer and " PAGE " in footer and " NUMPAGES " in footer, name


def build_changed_example(example: str, change, folder: Path) -> Built:
    """Build an example after `change(data)` edits its profile; returns the statement."""
    data = yaml.safe_load((ROOT / "examples" / example).read_text(encoding="utf-8"))
    change(data)
    profile = folder / "changed.json"
    profile.write_text(json.dumps(data), encoding="utf-8")
    build_profiles([profile], folder)
    return read(folder / output_name(load_profile(profile), "statement"))


def test_an_unapproved_statement_says_so_and_leaves_lines_to_sign(tmp_path):
    def unapprove(data):
        del data["approval"]["date"]
        for signatory in data["signatories"]:
            signatory.pop("date", None)

    statement = build_changed_example("derbyshire-first.yaml", unapprove, tmp_path)
    assert "Date of approval: not yet approved" in statement.text
    dates = [b.text for b in statement.blocks if b.style == "cell"][-1]
    assert dates == "[date of signing]", "a draft is not dated"


def test_a_custom_section_renders_each_kind_of_block_in_its_place(tmp_path):
    section = {"heading": "Our plan", "after": "risk", "content": [
        {"subheading": "Victims"}, {"paragraph": "We support victims."},
        {"bullets": ["Identify", "Protect"]}, {"numbered": ["First step", "Second step"]}]}
    statement = build_changed_example(
        "derbyshire-first.yaml", lambda data: data.setdefault("custom_sections", []).append(section), tmp_path)
    blocks = [(b.style, b.text) for b in statement.blocks]
    start = blocks.index(("Heading 2", "Our plan"))
    assert blocks[start + 1:start + 8] == [
        ("Heading 3", "Victims"), ("Normal", "We support victims."), ("List Bullet", "Identify"),
        ("List Bullet", "Protect"), ("List Number", "First step"), ("List Number", "Second step"),
        ("Heading 1", AREA_HEADINGS["effectiveness"])]


@pytest.mark.slow
def test_the_committed_templates_are_what_the_script_makes(tmp_path):
    import runpy

    script = runpy.run_path(str(ROOT / "scripts" / "make_templates.py"))
    for made in script["write_templates"](tmp_path):
        committed = ROOT / "templates" / made.relative_to(tmp_path)
        assert made.read_bytes() == committed.read_bytes(), f"run scripts/make_templates.py ({made.name})"
        assert validate_docx(committed) == [], made.name
        properties = docx.Document(str(committed)).core_properties
        assert (properties.author, properties.created.year) == ("msgen", 2024)
        assert "python-docx" not in (properties.comments + properties.title + properties.last_modified_by)
    for name in ("statement.docx", "supplier-charter.docx"):
        paragraphs = [p.text for p in docx.Document(str(ROOT / "templates" / name)).paragraphs]
        assert paragraphs.count('{%p include "signature-block.docx" %}') == 1, name
    statement = [p.text for p in docx.Document(str(ROOT / "templates" / "statement.docx")).paragraphs]
    for place in resources.schema()["properties"]["custom_sections"]["items"]["properties"]["after"]["enum"]:
        assert statement.count(f"{{{{p custom_sections(custom.{place}) }}}}") == 1, f"no place for after: {place}"


def test_every_example_builds_to_the_bytes_committed_for_it(built):
    """A change to msgen's code that changes a built document shows here, on purpose or
    not: a refactoring must keep these bytes, and a change meant to alter the documents
    updates tests/fixtures/example-documents.sha256 in the same commit
    (`msgen build examples -o OUT --format docx` then `sha256sum *` in OUT)."""
    import hashlib

    committed = dict(reversed(line.split("  ")) for line in
                     (Path(__file__).parent / "fixtures" / "example-documents.sha256").read_text().splitlines())
    built_now = {document.path.name: hashlib.sha256(document.path.read_bytes()).hexdigest()
                 for _, _, _, document in each_document(built)}
    assert built_now == committed
