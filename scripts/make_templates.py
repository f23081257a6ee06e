"""Regenerate templates/statement.docx, supplier-charter.docx and signature-block.docx
(profile schema version 1), and templates/v2/'s generic ones (version 2).

All three come from one base document with the same styles (Title, Heading 1-3, List
Bullet/Number, the "Statement Table" table style), so the shared signature block finds
its styles in either document and a user restyles all of them the same way in Word.
Jinja tags are written whole inside single runs, as docxtpl needs. The labels msgen prints
(the footer's "Page X of Y", the signature block's) are version 2's `{{ words.KEY }}`, so each
language's clause file words them; version 1's are the English of templates/v2/clauses.en.yaml.
Run it again after editing the wording; the output is byte-for-byte the same for the same script.

    .venv/bin/python scripts/make_templates.py
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping

import yaml

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table

from msgen.document.finish import HYPERLINK_STYLE, LEFTOVER_RELS
from msgen.ooxml import FIXED_DATE, read_parts, zip_parts

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
FONT = "Calibri"  # LibreOffice renders it with the metric-compatible Carlito
INK = RGBColor(0x1F, 0x38, 0x64)  # dark blue headings: sober, high contrast
FIXED_TIME = datetime(2024, 1, 1, tzinfo=timezone.utc)
TABLE_STYLE = "Statement Table"
TEXT_WIDTH_CM = 16.0  # A4 (21 cm) less 2.5 cm margins each side
SIGNATORY_CM, SIGNING_CM, DATE_CM = 7.0, 5.0, 4.0  # who signs | where | when: "13 September 2023" fits
SIGNING_SPACE_CM = 1.8  # room to sign by hand, or the engine's 40 mm signature image
INCLUDE_SIGNATURE_BLOCK = '{%p include "signature-block.docx" %}'

# The labels the templates print: English for version 1, from the clause file version 2 starts
# from; version 2 prints each as its context's `words`, in the document's language.
ENGLISH_WORDS: Mapping[str, str] = yaml.safe_load((TEMPLATES / "v2" / "clauses.en.yaml").read_text("utf-8"))["words"]
V2_WORDS = {key: f"{{{{ words.{key} }}}}" for key in ENGLISH_WORDS}

HEADING_SIZES = {"Title": 26, "Heading 1": 16, "Heading 2": 13, "Heading 3": 11.5}
HEADING_SPACING = {"Title": (0, 4), "Heading 1": (18, 6), "Heading 2": (12, 4), "Heading 3": (10, 2)}


# -- the base document every template starts from -----------------------------------------

def base_document(title: str, words: Mapping[str, str]) -> DocumentObject:
    """An empty A4 document with msgen's styles, en-GB proofing, page numbers (labelled in
    `words`) and clean core properties (no "python-docx", no 2013 dates)."""
    doc = Document()
    _set_default_font_and_language(doc)
    _style_headings(doc)
    _style_lists_and_subtitle(doc)
    _add_table_style(doc)
    _set_page(doc)
    _add_page_numbers(doc, words)
    _clean_package(doc, title)
    return doc


def _set_default_font_and_language(doc: DocumentObject) -> None:
    """docDefaults carry the font and the proofing language (en-GB) for every style."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = run_defaults.find(qn("w:rFonts"))
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for kind in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(kind), FONT)
    run_defaults.find(qn("w:lang")).set(qn("w:val"), "en-GB")
    theme_language = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_language is not None:
        theme_language.set(qn("w:val"), "en-GB")


def _use_default_font(style) -> None:
    """Drop the theme fonts the default template gives headings, so docDefaults apply."""
    fonts = style.element.rPr.find(qn("w:rFonts")) if style.element.rPr is not None else None
    if fonts is not None:
        style.element.rPr.remove(fonts)


def _style_headings(doc: DocumentObject) -> None:
    for name, size in HEADING_SIZES.items():
        style = doc.styles[name]
        _use_default_font(style)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = INK
        before, after = HEADING_SPACING[name]
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = True
    title = doc.styles["Title"].element  # plain, without the default's rule and letter-spacing
    for parent, tag in ((title.pPr, "w:pBdr"), (title.rPr, "w:spacing"), (title.rPr, "w:kern")):
        element = parent.find(qn(tag))
        if element is not None:
            parent.remove(element)


def _style_lists_and_subtitle(doc: DocumentObject) -> None:
    subtitle = doc.styles["Subtitle"]
    _use_default_font(subtitle)
    letter_spacing = subtitle.element.rPr.find(qn("w:spacing"))
    if letter_spacing is not None:
        subtitle.element.rPr.remove(letter_spacing)
    subtitle.font.italic = False
    subtitle.font.size = Pt(14)
    subtitle.font.color.rgb = INK
    subtitle.paragraph_format.space_after = Pt(4)  # one line per body, under the title
    for name in ("List Bullet", "List Number"):
        doc.styles[name].paragraph_format.space_after = Pt(10)  # after the list (none between its items)


def _add_table_style(doc: DocumentObject) -> None:
    """One table style for every msgen table: grid borders and a bold, shaded header row."""
    style = parse_xml(f"""
    <w:style {nsdecls('w')} w:type="table" w:customStyle="1" w:styleId="StatementTable">
      <w:name w:val="{TABLE_STYLE}"/>
      <w:basedOn w:val="TableGrid"/>
      <w:uiPriority w:val="59"/>
      <w:qFormat/>
      <w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>
      <w:tblPr>
        <w:tblBorders>
          <w:top w:val="single" w:sz="4" w:space="0" w:color="808080"/>
          <w:left w:val="single" w:sz="4" w:space="0" w:color="808080"/>
          <w:bottom w:val="single" w:sz="4" w:space="0" w:color="808080"/>
          <w:right w:val="single" w:sz="4" w:space="0" w:color="808080"/>
          <w:insideH w:val="single" w:sz="4" w:space="0" w:color="808080"/>
          <w:insideV w:val="single" w:sz="4" w:space="0" w:color="808080"/>
        </w:tblBorders>
        <w:tblCellMar>
          <w:top w:w="57" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>
          <w:bottom w:w="57" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>
        </w:tblCellMar>
      </w:tblPr>
      <w:tblStylePr w:type="firstRow">
        <w:rPr><w:b/><w:bCs/></w:rPr>
        <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="DCE3EE"/></w:tcPr>
      </w:tblStylePr>
    </w:style>""")
    doc.styles.element.append(style)


def _set_page(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.2)
    section.footer_distance = Cm(1.0)


def _add_page_numbers(doc: DocumentObject, words: Mapping[str, str]) -> None:
    """'Page X of Y' in the footer, as PAGE and NUMPAGES fields Word and LibreOffice update."""
    footer = doc.sections[0].footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{words['page']} ")
    footer._p.append(_field("PAGE"))
    footer.add_run(f" {words['page_of']} ")
    footer._p.append(_field("NUMPAGES"))


def running_head(doc: DocumentObject, text: str) -> None:
    """The document's title and year at the top of every page (a draft's notice goes above it)."""
    header = doc.sections[0].header.paragraphs[0]
    header.style = doc.styles["Header"]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.add_run(text)


def _field(instruction: str):
    return parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" {instruction} \\* MERGEFORMAT ">'
                     f'<w:r><w:t>1</w:t></w:r></w:fldSimple>')


def _clean_package(doc: DocumentObject, title: str) -> None:
    """Fixed, honest core properties, schema-valid settings and no thumbnail of
    python-docx's blank page."""
    properties = doc.core_properties
    properties.title = title
    properties.author = properties.last_modified_by = "msgen"
    properties.subject = properties.keywords = properties.comments = properties.category = ""
    properties.created = properties.modified = FIXED_TIME
    properties.revision = 1
    zoom = doc.settings.element.find(qn("w:zoom"))  # the default lacks the percent the schema requires
    if zoom is not None:
        zoom.set(qn("w:percent"), "100")
    package_rels = doc.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package_rels.pop(rel_id)


# -- writing template content ---------------------------------------------------------------

class Writer:
    """Adds template paragraphs and tables, each Jinja tag whole inside one run."""

    def __init__(self, doc: DocumentObject, words: Mapping[str, str]) -> None:
        self.doc, self.words = doc, words

    def text(self, text: str, style: str = "Normal", *, bold_lead: str = "", lead_in: bool = False) -> None:
        """A paragraph; `bold_lead` is a first run in bold (e.g. a policy's name). A lead-in
        (or any text ending in ':') is kept on the same page as the list or table after it."""
        paragraph = self.doc.add_paragraph(style=style)
        paragraph.paragraph_format.keep_with_next = lead_in or text.endswith(":") or None
        if bold_lead:
            paragraph.add_run(bold_lead).bold = True
        if text:
            paragraph.add_run(text)

    def tag(self, statement: str) -> None:
        """A paragraph-level tag (`{%p ... %}`): the paragraph vanishes when rendered."""
        self.text(f"{{%p {statement} %}}")

    def heading(self, text: str, level: int) -> None:
        self.text(text, f"Heading {level}")

    def each(self, loop: str, text: str, style: str = "Normal", *, bold_lead: str = "") -> None:
        """One paragraph per item: `{%p for loop %}` text `{%p endfor %}`."""
        self.tag(f"for {loop}")
        self.text(text, style, bold_lead=bold_lead)
        self.tag("endfor")

    def bullets(self, items: str) -> None:
        self.each(f"item in {items}", "{{ item }}", "List Bullet")

    def paragraphs(self, items: str) -> None:
        self.each(f"paragraph in {items}", "{{ paragraph }}")

    def optional(self, value: str, text: str | None = None) -> None:
        """A paragraph shown only when the profile gives `value`."""
        self.tag(f"if {value}")
        self.text(text or f"{{{{ {value} }}}}")
        self.tag("endif")

    def custom_sections(self, section: str) -> None:
        """Where the profile's custom sections placed after `section` go."""
        self.text(f"{{{{p custom_sections(custom.{section}) }}}}")

    def table(self, *, caption: str, description: str, loop: str,
              columns: list[tuple[str, str, float]]) -> Table:
        """A table with a repeated header row and one templated row per item of `loop`.

        `columns` are (header, cell text, width in cm); widths add up to the text width.
        """
        table = self.doc.add_table(rows=4, cols=len(columns))
        table.style = self.doc.styles[TABLE_STYLE]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        properties = table._tbl.tblPr
        look = properties.find(qn("w:tblLook"))  # style the header row only, no banding
        for option, value in (("firstRow", "1"), ("firstColumn", "0"), ("noHBand", "1"), ("noVBand", "1")):
            look.set(qn(f"w:{option}"), value)
        properties.append(parse_xml(f'<w:tblCaption {nsdecls("w")} w:val="{caption}"/>'))
        properties.append(parse_xml(f'<w:tblDescription {nsdecls("w")} w:val="{description}"/>'))
        header, loop_start, body, loop_end = table.rows
        header._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
        for row in table.rows:
            row._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
        loop_start.cells[0].paragraphs[0].add_run(f"{{%tr for {loop} %}}")
        loop_end.cells[0].paragraphs[0].add_run("{%tr endfor %}")
        for index, (title, cell_text, width) in enumerate(columns):
            header.cells[index].paragraphs[0].add_run(title)
            body.cells[index].paragraphs[0].add_run(cell_text)
            table.columns[index].width = Cm(width)  # the grid, which LibreOffice follows
            for cell in table.columns[index].cells:
                cell.width = Cm(width)  # each cell, which Word follows
        return table


# -- the statement ----------------------------------------------------------------------------

NOT_COVERED = "This statement does not cover {topic}, for this reason: {{{{ areas.{key}.reason }}}}{{{{ areas.{key}.reason_end }}}}"


def area(w: Writer, key: str, heading: str, topic: str, content) -> None:
    """One of the six s54(5) areas: heading always, then its content or the reason it is left out."""
    w.heading(heading, 1)
    w.tag(f"if areas.{key}.included")
    content(w, f"areas.{key}")
    w.tag("else")
    w.text(NOT_COVERED.format(topic=topic, key=key))
    w.tag("endif")
    w.custom_sections(key)


def structure(w: Writer, at: str) -> None:
    w.paragraphs(f"{at}.paragraphs")
    w.tag(f"if {at}.supply_chain_categories")
    w.text("The main categories of goods and services bought are:")
    w.bullets(f"{at}.supply_chain_categories")
    w.tag("endif")


def policies(w: Writer, at: str) -> None:
    w.tag(f"if {at}.introduction")
    w.text(f"{{{{ {at}.introduction }}}}", lead_in=True)
    w.tag("else")
    w.text("These policies set out the standards expected and how concerns are raised:")
    w.tag("endif")
    w.each(f"policy in {at}.policies",
           "{% if policy.description %}: {{ policy.description }}{% endif %}"
           "{% if policy.url %} ({{ policy.url }}){% endif %}",
           "List Bullet", bold_lead="{{ policy.name }}")


def due_diligence(w: Writer, at: str) -> None:
    w.tag(f"if {at}.introduction")
    w.text(f"{{{{ {at}.introduction }}}}", lead_in=True)
    w.tag("else")
    w.text("{{ we.Possessive }} due diligence includes:")
    w.tag("endif")
    w.bullets(f"{at}.measures")
    collaboration = f"{at}.procurement_collaboration"
    w.tag(f"if {collaboration}")
    w.text(f"{{{{ we.Possessive }}}} procurement is carried out through {{{{ {collaboration}.name }}}}"
           f"{{% if {collaboration}.short_name %}} ({{{{ {collaboration}.short_name }}}}){{% endif %}}, "
           f"a collaboration of {{{{ {collaboration}.members_text }}}}.")
    w.optional(f"{collaboration}.description")
    w.tag("endif")
    w.optional(f"{at}.terms_and_conditions")
    w.tag(f"if {at}.msat")
    w.text(f"Suppliers {{% if {at}.msat.used %}}are{{% else %}}are not currently{{% endif %}} asked to "
           "complete the government’s Modern Slavery Assessment Tool (MSAT).")
    w.optional(f"{at}.msat.description")
    w.tag("endif")


def risk(w: Writer, at: str) -> None:
    w.text(f"{{{{ {at}.method }}}}")
    w.optional(f"{at}.level", f"{{{{ we.Subject }}}} {{{{ we.verb.assess }}}} the overall risk of slavery and "
               f"human trafficking in {{{{ we.its }}}} business and supply chains as {{{{ {at}.level }}}}.")
    w.tag(f"if {at}.areas")
    w.text("The areas assessed as carrying a higher risk are:")
    w.bullets(f"{at}.areas")
    w.tag("endif")
    w.tag(f"if {at}.priority_risks")
    w.text("The priority risks, where they arise, who they affect and how they are mitigated are:")
    w.table(caption="Priority risks", description="Each priority risk with where it arises, the groups "
            "affected and how it is mitigated.", loop=f"risk in {at}.priority_risks", columns=[
                ("Risk", "{{ risk.description }}", 4.5), ("Where it arises", "{{ risk.where }}", 3.3),
                ("Groups affected", "{{ risk.groups_affected }}", 2.7), ("Mitigation", "{{ risk.mitigation }}", 5.5)])
    w.tag("endif")
    w.optional(f"{at}.no_risks_justification",
               f"No priority risks have been identified. {{{{ {at}.no_risks_justification }}}}")


def effectiveness(w: Writer, at: str) -> None:
    w.tag(f"if {at}.introduction")
    w.text(f"{{{{ {at}.introduction }}}}", lead_in=True)
    w.tag("else")
    w.text("These key performance indicators show whether the steps taken are working.")
    w.tag("endif")
    w.text("Output indicators count activity; outcome indicators measure results.", lead_in=True)
    # Only the columns a row fills, in a final statement (context.filled_columns): columns vary.
    generic_table(w, header=True, description="Each indicator with its kind and the figures given for it.",
                  source=f"{at}.kpi_table")


def training(w: Writer, at: str) -> None:
    w.optional(f"{at}.introduction")
    w.tag(f"for course in {at}.courses")
    w.heading("{{ course.audience }}", 2)
    w.text("{{ course.content }}")
    w.optional("course.frequency", "How often: {{ course.frequency }}")
    w.bullets("course.topics")
    w.tag("endfor")


def response_part(w: Writer, key: str, heading: str) -> None:
    """A sub-section of the operational response, shown only when the profile gives it:
    a paragraph, or a list of named teams or partnerships."""
    value = f"operational_response.{key}"
    w.tag(f"if {value}")
    w.heading(heading, 2)
    if key in ("units", "partnerships"):
        w.each(f"team in {value}", ": {{ team.description }}", bold_lead="{{ team.name }}")
    else:
        w.text(f"{{{{ {value} }}}}")
    w.tag("endif")


def custom_sections_macro(w: Writer) -> None:
    """Defines `custom_sections(sections)` once; each section calls it with its own list."""
    w.tag("macro custom_sections(sections)")
    w.tag("for section in sections")
    w.heading("{{ section.heading }}", 2)
    w.tag("for block in section.content")
    w.tag("if block.subheading")
    w.heading("{{ block.subheading }}", 3)
    w.tag("elif block.paragraph")
    w.text("{{ block.paragraph }}")
    w.tag("endif")
    w.bullets("block.bullets")
    w.each("item in block.numbered", "{{ item }}", "List Number")
    w.tag("endfor")
    w.tag("endfor")
    w.tag("endmacro")


def statement(w: Writer) -> None:
    """The statement's sections in the order the issue fixes; custom sections follow the
    section the profile names."""
    running_head(w.doc, "{{ masthead.running_head }}")
    w.text("{{ statement.title }}", "Title")
    w.each("name in masthead.bodies", "{{ name }}", "Subtitle")
    w.text("Financial year {{ statement.financial_year }}", "Subtitle")
    introduction(w)
    about(w)
    scope(w)
    area(w, "structure", "Structure, business and supply chains",
         "{{ we.possessive }} structure, business and supply chains", structure)
    area(w, "policies", "Policies on slavery and human trafficking",
         "policies in relation to slavery and human trafficking", policies)
    area(w, "due_diligence", "Due diligence",
         "due diligence processes in {{ we.its }} business and supply chains", due_diligence)
    area(w, "risk", "Risk assessment and management",
         "the assessment and management of the risk of slavery and human trafficking", risk)
    area(w, "effectiveness", "Effectiveness and key performance indicators",
         "how the effectiveness of the steps taken is measured", effectiveness)
    area(w, "training", "Training on slavery and human trafficking",
         "training about slavery and human trafficking", training)
    operational_response(w)
    progress(w)
    next_year(w)
    approval_and_publication(w)


def introduction(w: Writer) -> None:
    """First use of the full name(s), the period, the legal basis and the body's own words."""
    w.heading("Introduction", 1)
    w.text("This statement sets out the steps {{ we.full }} {{ we.has }} taken to prevent slavery and human "
           "trafficking in {{ we.its }} own business and in {{ we.its }} supply chains. It covers the financial "
           "year {{ statement.financial_year }}, {{ statement.period }}.")
    w.tag("if statement.statutory")
    w.text("This statement is made under section 54(1) of the Modern Slavery Act 2015.")
    w.tag("else")
    w.text("This statement is published voluntarily: as {{ we.a_public_body }}, {{ we.subject }} {{ we.is_ }} not "
           "yet required to publish one by section 54 of the Modern Slavery Act 2015, but {{ we.it }} "
           "{{ we.verb.choose }} to meet the standard the Act sets for commercial organisations.")
    w.tag("endif")
    w.text("This is {{ we.possessive }} {{ statement.ordinal }} statement.")
    w.paragraphs("statement.introduction")
    custom_sections_macro(w)
    w.custom_sections("introduction")


def about(w: Writer) -> None:
    w.heading("About {% if we.plural %}the organisations{% else %}{{ we.subject }}{% endif %}", 1)
    w.tag("for org in organisations")
    w.tag("if we.plural")
    w.heading("{{ org.name }} ({{ org.short_name }})", 2)
    w.tag("endif")
    w.paragraphs("org.description")
    w.optional("org.figures")
    w.optional("org.website", "More about {{ org.label }}: {{ org.website }}")
    w.tag("endfor")
    w.custom_sections("about")


def scope(w: Writer) -> None:
    w.heading("Scope and responsibilities", 1)
    w.text("{{ scope.description }}")
    w.optional("scope.collaboration")
    w.tag("if scope.responsibilities")
    w.text("Responsibility for each area of this work is as follows:")
    w.table(caption="Responsibilities", description="Who is responsible for each area of the work and what "
            "they do.", loop="duty in scope.responsibilities", columns=[
                ("Area", "{{ duty.area }}", 3.5), ("Responsible", "{{ duty.owner }}", 4.0),
                ("What they do", "{{ duty.description }}", 8.5)])
    w.tag("endif")
    w.custom_sections("scope")


def operational_response(w: Writer) -> None:
    """Only for bodies that give one (or place a custom section after it)."""
    w.tag("if operational_response.given or custom.operational_response")
    w.heading("Operational response", 1)
    w.optional("operational_response.introduction")
    response_part(w, "units", "Dedicated teams")
    response_part(w, "referral_mechanism", "National Referral Mechanism")
    response_part(w, "victim_support", "Support for victims")
    response_part(w, "partnerships", "Partnerships")
    w.custom_sections("operational_response")
    w.tag("endif")


def progress(w: Writer) -> None:
    """Always present: the table, or why there is nothing to report."""
    w.heading("Progress on last year’s commitments", 1)
    w.tag("if actions.progress")
    w.text("What became of each commitment made in {{ we.possessive }} previous statement:")
    w.table(caption="Progress on last year’s commitments", description="Each commitment from the previous "
            "statement, its status and what was done.", loop="item in actions.progress", columns=[
                ("Commitment", "{{ item.commitment }}", 6.0), ("Status", "{{ item.status }}", 2.5),
                ("What was done", "{{ item.evidence }}", 7.5)])
    w.tag("elif statement.first")
    w.text("This is {{ we.possessive }} first statement, so there are no earlier commitments to report on.")
    w.tag("else")
    w.text("This statement does not report on the commitments made in {{ we.possessive }} previous statement.")
    w.tag("endif")
    w.custom_sections("progress")


def next_year(w: Writer) -> None:
    w.heading("Commitments for the coming year", 1)
    w.tag("if actions.next_year")
    w.text("{{ we.Possessive }} commitments for the coming year are:")
    w.bullets("actions.next_year")
    w.tag("else")
    w.text("This statement makes no new commitments for the coming year.")
    w.tag("endif")
    w.custom_sections("next_year")


def approval_and_publication(w: Writer) -> None:
    """Publication, then the approval record and signatures, all kept on one page with
    their heading."""
    start = len(w.doc.paragraphs)
    w.heading("Approval and publication", 1)
    publication = "statement.publication"
    w.optional(f"{publication}.statement_url", f"This statement is published at {{{{ {publication}.statement_url }}}}.")
    w.optional(f"{publication}.homepage_link_text", "The homepage links to it under the words "
               f"“{{{{ {publication}.homepage_link_text }}}}”.")
    w.optional(f"{publication}.publication_date", f"Date of publication: {{{{ {publication}.publication_date }}}}.")
    w.optional(f"{publication}.request_email", f"To ask for a copy, email {{{{ {publication}.request_email }}}}.")
    w.tag("if statement.previous_statements")
    w.text("Earlier statements are published at:")
    w.each("earlier in statement.previous_statements", "{{ earlier.year }}: {{ earlier.url }}", "List Bullet")
    w.tag("endif")
    keep_with_next(w.doc.paragraphs[start:])
    w.text(INCLUDE_SIGNATURE_BLOCK)


def keep_with_next(paragraphs) -> None:
    for paragraph in paragraphs:
        paragraph.paragraph_format.keep_with_next = True


# -- the supplier charter ---------------------------------------------------------------------

def charter(w: Writer) -> None:
    running_head(w.doc, "{{ charter.masthead.running_head }}")
    w.text("{{ charter.title }}{% if charter.masthead.title_year %} {{ charter.masthead.title_year }}{% endif %}",
           "Title")
    w.each("name in charter.masthead.bodies", "{{ name }}", "Subtitle")
    w.heading("About this charter", 1)
    w.text("This charter is made by {{ charter.collaboration }}{% if charter.short_name %} "
           "({{ charter.short_name }}){% endif %}{% if charter.members %} on behalf of:{% else %}.{% endif %}")
    w.bullets("charter.members")
    w.paragraphs("charter.introduction")

    w.tag("if charter.shared_values")
    w.heading("Our values", 1)
    w.text("We welcome suppliers who share our values:")
    w.bullets("charter.shared_values")
    w.tag("endif")

    w.tag("if charter.commitments_to_suppliers")
    w.heading("Our commitments to suppliers", 1)
    w.text("We make these commitments to our suppliers:")
    w.bullets("charter.commitments_to_suppliers")
    w.tag("endif")

    w.heading("What we ask of suppliers", 1)
    w.text("We ask every supplier to meet these commitments:")
    w.bullets("charter.commitments_from_suppliers")

    w.heading("Raising concerns", 1)
    w.optional("charter.raising_concerns")
    w.text("If you believe someone is in immediate danger, call 999. To report a concern about modern slavery "
           "that is not an emergency, call the police on 101.")

    w.heading("Where this charter is published", 1)
    w.tag("if charter.published_at")
    w.text("This charter is published at {{ charter.published_at }}.")
    w.tag("else")
    w.text("This charter is published with the modern slavery and human trafficking statement of {{ we.full }} "
           "for the financial year {{ statement.financial_year }}.")
    w.tag("endif")

    w.heading("Approval", 1)
    w.text(INCLUDE_SIGNATURE_BLOCK)


# -- the shared signature block ---------------------------------------------------------------

def record(w: Writer, label: str, value: str) -> None:
    """One line of the approval record: a bold label, then the value."""
    w.text(value, bold_lead=label)
    w.doc.paragraphs[-1].paragraph_format.space_after = Pt(3)


def signature_block(w: Writer) -> None:
    """The approval record, then one block per signatory; kept together on one page."""
    approval_record(w, "approval", attended="approval.attended_by")
    signatory_blocks(w, "signatories")


def approval_record(w: Writer, approval: str, *, attended: str) -> None:
    """Who approved the statement and when (the decision and the meeting's attendance when given)."""
    words = w.words
    record(w, f"{words['approved_by']}: ", f"{{{{ {approval}.body }}}}")
    record(w, f"{words['approval_date']}: ",
           f"{{% if {approval}.date %}}{{{{ {approval}.date }}}}{{% else %}}{words['not_yet_approved']}{{% endif %}}")
    w.tag(f"if {approval}.decision_reference")
    record(w, f"{words['decision_reference']}: ", f"{{{{ {approval}.decision_reference }}}}")
    w.tag("endif")
    w.tag(f"if {attended}")
    record(w, f"{words['attended_by']}: ", f"{{{{ {approval}.attended_by_text }}}}")
    w.tag("endif")


def signatory_blocks(w: Writer, signatories: str) -> None:
    """One block (row) per signatory, as a board secretary lays out a signing page: who
    signs (name in bold, role, body), a signing space of real height on a line (or the
    signature image) and the date, in a column wide enough that it never wraps. Rows do
    not split and every paragraph keeps with the next, so the approval record and all
    the blocks stay on one page."""
    words = w.words
    table = w.table(caption=words["signatories"], description=words["signatories_description"],
                    loop=f"s in {signatories}",
                    columns=[(words["signatory"], "{{ s.name }}", SIGNATORY_CM),
                             (words["signature"], "{% if s.signature_image %}{{ signature_image(s.signature_image) }}"
                                                  "{% endif %}", SIGNING_CM),
                             (words["date"], "{{ s.date }}", DATE_CM)])
    body_row = table.rows[2]
    body_row.height, body_row.height_rule = Cm(SIGNING_SPACE_CM), WD_ROW_HEIGHT_RULE.AT_LEAST
    who, signing, date = body_row.cells
    who.paragraphs[0].runs[0].bold = True
    who.add_paragraph("{{ s.role }}")
    who.add_paragraph("{{ s.organisation }}")
    space = signing.paragraphs[0]
    space.paragraph_format.line_spacing = Cm(SIGNING_SPACE_CM - 0.4)
    space.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    space._p.get_or_add_pPr().find(qn("w:spacing")).addprevious(parse_xml(  # where the schema puts it
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="4" w:space="1" w:color="808080"/></w:pBdr>'))
    date._tc.get_or_add_tcPr().append(parse_xml(f'<w:noWrap {nsdecls("w")}/>'))  # a date never wraps
    cell_paragraphs = [p for row in table.rows for cell in row.cells for p in cell.paragraphs]
    keep_with_next(w.doc.paragraphs + cell_paragraphs)


# -- version 2: one generic loop over the rows msgen/document/sections.py makes --------------

RUN = '<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'
TAG_RUN = '<w:r><w:t>{text}</w:t></w:r>'


def spans_paragraph(w: Writer) -> None:
    """The paragraph every text row prints as: its style comes from the row (a fixed list
    of style ids), its runs from the row's spans (bold, italic, or a hyperlink)."""
    runs = "".join([
        TAG_RUN.format(text="{%r for s in row.spans %}"),
        TAG_RUN.format(text="{%r if s.url %}"),
        '<w:hyperlink r:id="{{ link_id(s.url) }}">'
        + RUN.format(props='<w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr>', text="{{ s.text }}") + "</w:hyperlink>",
        TAG_RUN.format(text="{%r elif s.bold and s.italic %}"),
        RUN.format(props="<w:rPr><w:b/><w:i/></w:rPr>", text="{{ s.text }}"),
        TAG_RUN.format(text="{%r elif s.bold %}"),
        RUN.format(props="<w:rPr><w:b/></w:rPr>", text="{{ s.text }}"),
        TAG_RUN.format(text="{%r elif s.italic %}"),
        RUN.format(props="<w:rPr><w:i/></w:rPr>", text="{{ s.text }}"),
        TAG_RUN.format(text="{%r else %}"),
        RUN.format(props="", text="{{ s.text }}"),
        TAG_RUN.format(text="{%r endif %}"),
        TAG_RUN.format(text="{%r endfor %}"),
    ])
    paragraph = parse_xml(f'<w:p {nsdecls("w", "r")}><w:pPr><w:pStyle w:val="{{{{ row.style }}}}"/></w:pPr>'
                          f"{runs}</w:p>")
    w.doc.element.body.insert(len(w.doc.element.body) - 1, paragraph)  # before the section properties


def generic_table(w: Writer, *, header: bool, description: str = "", source: str = "row") -> None:
    """A table of any width (`source` in the context: its caption, header and rows), its
    columns made by docxtpl's `{%tc %}`; with `header`, a first row repeated on each page and
    marked as the header for screen readers; `description` for screen readers too."""
    table = w.doc.add_table(rows=4 if header else 3, cols=3)
    table.style = w.doc.styles[TABLE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook"))
    options = (("firstRow", "1" if header else "0"), ("firstColumn", "0"), ("noHBand", "1"), ("noVBand", "1"))
    for option, value in options:
        look.set(qn(f"w:{option}"), value)
    properties.append(parse_xml(f'<w:tblCaption {nsdecls("w")} w:val="{{{{ {source}.caption }}}}"/>'))
    if description:
        properties.append(parse_xml(f'<w:tblDescription {nsdecls("w")} w:val="{description}"/>'))
    rows = list(table.rows)
    if header:
        heading = rows.pop(0)
        heading._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
        _column_loop(heading, f"title in {source}.header", "{{ title }}")
    loop_start, body, loop_end = rows
    body._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
    loop_start.cells[0].paragraphs[0].add_run(f"{{%tr for cells in {source}.rows %}}")
    loop_end.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    _column_loop(body, "cell in cells", "{{ cell }}")
    for index in range(3):
        table.columns[index].width = Cm(TEXT_WIDTH_CM / 3)


def _column_loop(row, loop: str, cell: str) -> None:
    row.cells[0].paragraphs[0].add_run(f"{{%tc for {loop} %}}")
    row.cells[1].paragraphs[0].add_run(cell)
    row.cells[2].paragraphs[0].add_run("{%tc endfor %}")


def sections_document(w: Writer, document: str = "document") -> None:
    """The logos, the title (when the body's statement has one) with its year and the
    bodies' names, then each row: text (any style), a table, a picture or a signature
    block. The title and year head every page."""
    running_head(w.doc, f"{{{{ {document}.masthead.running_head }}}}")
    w.tag("for logo in branding.logos")
    w.text("{{ picture(logo) }}")
    w.tag("endfor")
    w.tag(f"if {document}.title")
    w.text(f"{{{{ {document}.title }}}}{{% if {document}.masthead.title_year %}} "
           f"{{{{ {document}.masthead.title_year }}}}{{% endif %}}", "Title")
    w.tag("endif")
    w.each(f"name in {document}.masthead.bodies", "{{ name }}", "Subtitle")
    w.tag(f"for row in {document}.rows")
    w.tag('if row.kind == "text"')
    spans_paragraph(w)
    w.tag('elif row.kind == "table"')
    w.tag("if row.shown_caption")
    w.text("{{ row.shown_caption }}", "Caption", lead_in=True)
    w.tag("endif")
    w.tag("if row.header")
    generic_table(w, header=True)
    w.tag("else")
    generic_table(w, header=False)
    w.tag("endif")
    w.tag('elif row.kind == "image"')
    w.text("{{ picture(row.image) }}")
    w.tag('elif row.kind == "signatures"')
    w.tag("with signing = row")
    w.text(INCLUDE_SIGNATURE_BLOCK)
    w.tag("endwith")
    w.tag("endif")
    w.tag("endfor")


def signing_block(w: Writer) -> None:
    """Version 2's signature block: its heading when the row has one, the approval record
    when it has one (a section's own signatories, e.g. a foreword's, have none), then the
    signatories."""
    w.tag("if signing.heading")
    w.heading("{{ signing.heading }}", 1)
    w.tag("endif")
    w.tag("if signing.approval")
    approval_record(w, "signing.approval", attended="signing.approval.attended_by_text")
    w.tag("endif")
    signatory_blocks(w, "signing.signatories")


def _add_hyperlink_style(doc: DocumentObject) -> None:
    doc.styles.element.append(parse_xml(HYPERLINK_STYLE))


# -- saving -------------------------------------------------------------------------------------

def stable_bytes(doc: DocumentObject) -> bytes:
    """The .docx with fixed zip timestamps, so regenerating gives identical bytes, and
    without python-docx's thumbnail and Word 2010 copy of the styles (438 KB every build
    would read only to drop)."""
    leftovers = set(LEFTOVER_RELS.values())
    for rels in (doc.part.rels, doc.part.package.rels):
        for rel_id, rel in list(rels.items()):
            if rel.reltype in leftovers:
                rels.pop(rel_id)
    raw = io.BytesIO()
    doc.save(raw)
    # python-docx's order, zlib's default level and Unix permissions: as the committed templates were made.
    return zip_parts(read_parts(raw.getvalue()), date=FIXED_DATE, compresslevel=None, unix_mode=0o644)


TEMPLATES_TO_WRITE = {
    "statement.docx": ("msgen statement template", statement),
    "supplier-charter.docx": ("msgen supplier charter template", charter),
    "signature-block.docx": ("msgen signature block template", signature_block),
}
V2_TEMPLATES_TO_WRITE = {  # the statement and the charter alike: each prints the `document` it is given
    "statement.docx": ("msgen statement template (version 2)", sections_document),
    "supplier-charter.docx": ("msgen supplier charter template (version 2)", sections_document),
    "signature-block.docx": ("msgen signature block template (version 2)", signing_block),
}


def write_templates(folder: Path = TEMPLATES) -> list[Path]:
    """Write the version-1 templates into `folder` and version 2's into `folder`/v2."""
    written = []
    for target, templates, words in ((folder, TEMPLATES_TO_WRITE, ENGLISH_WORDS),
                                     (folder / "v2", V2_TEMPLATES_TO_WRITE, V2_WORDS)):
        target.mkdir(exist_ok=True)
        for filename, (title, write) in templates.items():
            doc = base_document(title, words)
            if target != folder:
                _add_hyperlink_style(doc)
            write(Writer(doc, words))
            (target / filename).write_bytes(stable_bytes(doc))
            written.append(target / filename)
    return written


if __name__ == "__main__":
    for path in write_templates():
        print(f"wrote {path}")
