"""The web page and the CMS fragment, as a reader, a screen reader and a website editor get them."""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import pytest
from lxml import html

from msgen import resources
from msgen.document.sections import msgen_words
from msgen.errors import TemplateError
from msgen.profile.languages import ENGLISH, SUFFIXES, WELSH
from msgen.profile.loader import load_profile
from msgen.publish.html import linked, page_blocks, web_page
from conftest import msgen
from test_publish import PNG_1X1 as PNG
from test_sections import PROFILE, rows

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "examples" / "v2").glob("*.yaml"))
WEB_ADDRESS = re.compile(r"https?://[^\s\"<>]+[^\s\"<>.,;:)]")


def build(profile_text: str, folder: Path, *options: object, name: str = "profile.yaml") -> dict[str, bytes]:
    """The files one build writes, by name."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / name
    profile.write_text(profile_text, encoding="utf-8")
    out = folder / "out"
    out.mkdir(exist_ok=True)
    result = msgen("build", profile, "-o", out, "--force", *options)
    assert result.exit_code == 0, result.output
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


def page_of(files: dict[str, bytes], kind: str = "statement") -> html.HtmlElement:
    (name,) = [name for name in files if kind in name and name.endswith(".html") and ".fragment." not in name]
    return html.document_fromstring(files[name])


def words(element: html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


@pytest.fixture(scope="module")
def final_and_draft(tmp_path_factory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    folder = tmp_path_factory.mktemp("pages")
    return (build(PROFILE, folder / "final", "--format", "html,html-fragment"),
            build(PROFILE, folder / "draft", "--format", "html,html-fragment", "--draft"))


def test_the_page_is_one_self_contained_accessible_file(final_and_draft):
    page = page_of(final_and_draft[0])
    assert page.get("lang") == "en-GB"
    assert page.findtext("head/title") == "Modern Slavery Statement 2023: Exampleshire Constabulary"
    assert page.find("head/meta").get("charset") == "utf-8"
    (skip,) = page.find_class("skip-link")
    assert skip.get("href") == "#main" and page.get_element_by_id("main").tag == "main"
    headings = [(h.tag, words(h)) for h in page.iter("h1", "h2", "h3", "h4")]
    assert headings[:4] == [("h1", "Modern Slavery Statement 2023"), ("h2", "Foreword"), ("h2", "1. Introduction"),
                            ("h3", "1.1 Background")]
    assert "@media print" in page.findtext("head/style") and "@media (max-width:40em)" in page.findtext("head/style")
    assert not list(page.iter("script", "link", "iframe", "object"))


def test_tables_have_captions_and_header_cells_that_label_each_cell_on_a_phone(final_and_draft):
    (table,) = page_of(final_and_draft[0]).iter("table")
    assert words(table.find("caption")) == "Figures"
    assert [(th.text_content(), th.get("scope")) for th in table.iter("th")] == [("Measure", "col"), ("2023-24", "col")]
    assert [(td.get("data-label"), td.text_content()) for td in table.iter("td")] == [
        ("Measure", "Referrals"), ("2023-24", "41"), ("Measure", "Arrests"), ("2023-24", "—")]


def test_inline_formatting_lists_quotations_and_links_are_html_not_text(final_and_draft):
    page = final_and_draft[0][next(name for name in final_and_draft[0] if name.endswith("statement-2023-24.html"))]
    text = page.decode("utf-8")
    assert "<strong>zero-tolerance</strong>" in text and "<em>all</em>" in text
    assert '<a href="https://example.org/policy">our policy</a>' in text
    assert "<ul><li>one</li><li>two<ul><li>two a</li><li>two b</li></ul></li><li>three</li></ul>" in text
    assert "<ol><li>first</li><li>second</li></ol>" in text
    assert "<blockquote><p>Slavery is a crime.</p><p>— Police and Crime Plan</p></blockquote>" in text


def test_profile_text_is_data_never_markup_or_template_code(tmp_path):
    hostile = PROFILE.replace("We endorse this statement.", "<script>alert(1)</script> {{ 7*7 }} {% raw %}")
    page = page_of(build(hostile, tmp_path, "--format", "html"))
    assert not list(page.iter("script"))
    assert "<script>alert(1)</script> {{ 7*7 }} {% raw %}" in words(page.get_element_by_id("main"))


def test_a_final_page_shows_the_approval_and_signing_dates_and_no_draft_notice(final_and_draft):
    page = page_of(final_and_draft[0])
    assert "DRAFT" not in words(page.get_element_by_id("main"))
    said = [(words(term), words(term.getnext())) for term in page.iter("dt")]
    assert ("Date of approval", "14 September 2024") in said and ("Date", "14 September 2024") in said


def test_a_draft_says_so_first_in_its_text_and_prints_no_approval_or_signing_date(final_and_draft):
    page = page_of(final_and_draft[1])
    main = page.get_element_by_id("main")
    first = next(main.iter("p"))
    assert "DRAFT" in words(first) and main.index(first) == 0
    assert page.findtext("head/title").startswith("DRAFT")
    assert "14 September 2024" not in words(main)


def test_the_fragment_is_the_page_s_main_content_alone(final_and_draft):
    files = final_and_draft[1]
    (name,) = [name for name in files if name.endswith("statement-2023-24.fragment.html")]
    fragment = files[name].decode("utf-8")
    page = files[name.replace(".fragment.html", ".html")].decode("utf-8")
    assert fragment.startswith('<p class="draft"><strong>DRAFT</strong>')
    assert not re.search(r"<(html|head|body|main|style)\b", fragment)
    assert fragment.strip() in page


def test_each_document_of_a_profile_gets_its_page_and_the_charter_its_own_title(tmp_path):
    files = build((ROOT / "examples" / "norfolk-opcc-constabulary.yaml").read_text(encoding="utf-8"), tmp_path,
                  "--format", "html", name="norfolk.yaml")
    assert sorted(files) == ["norfolk-opcc-constabulary-modern-slavery-statement-2022-23.html",
                             "norfolk-opcc-constabulary-supplier-charter-2022-23.html"]
    charter = page_of(files, "charter")
    (title,) = charter.iter("h1")
    assert words(title).startswith("7 Force Procurement Supplier Charter")


def test_pictures_are_embedded_with_their_alt_text(tmp_path):
    (tmp_path / "sig.png").write_bytes(PNG)
    signed = PROFILE.replace("organisation: force, date: 2024-09-14}",
                             "organisation: force, date: 2024-09-14, "
                             "signature_image: {path: sig.png, alt_text: Signature of Bea Example}}").replace(
        '      - p: "We endorse this statement."', '      - p: "We endorse this statement."\n'
                                                   '      - {image: sig.png, alt: Referrals by year}')
    page = page_of(build(signed, tmp_path, "--format", "html"))
    assert [image.get("alt") for image in page.iter("img")] == ["Referrals by year", "Signature of Bea Example"]
    embedded = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert [image.get("src") for image in page.iter("img")] == [embedded, embedded]


@pytest.fixture(scope="module")
def example_pages(tmp_path_factory) -> dict[str, list[Path]]:
    """Every example's pages, built final (as far as its profile allows) and with --draft."""
    built = {}
    for build_kind, options in (("final", ()), ("draft", ("--draft",))):
        out = tmp_path_factory.mktemp(build_kind)
        assert msgen("build", *EXAMPLES, "-o", out, "--format", "html", "-q", *options).exit_code == 0
        built[build_kind] = sorted(out.glob("*.html"))
    assert len(built["draft"]) >= 2 * len(EXAMPLES) - len(list((ROOT / "examples" / "v2").glob("*.yaml")))
    return built


@pytest.mark.slow
def test_every_example_page_links_every_web_address_it_prints(example_pages):
    for path in example_pages["final"] + example_pages["draft"]:
        page = html.document_fromstring(path.read_bytes())
        for anchor in page.iter("a"):
            anchor.drop_tree()
        assert WEB_ADDRESS.findall(page.get_element_by_id("main").text_content()) == [], path.name


@pytest.mark.slow
def test_every_example_page_has_one_h1_and_headings_that_never_skip_a_level(example_pages):
    for path in example_pages["final"] + example_pages["draft"]:
        levels = [int(h.tag[1]) for h in html.document_fromstring(path.read_bytes()).iter("h1", "h2", "h3", "h4")]
        assert levels[0] == 1 and levels.count(1) == 1, path.name
        assert [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1] == [], path.name


@pytest.mark.slow
def test_every_example_draft_says_so_first_and_gives_no_approval_or_signing_date(example_pages):
    from msgen.document.grammar import long_date

    for profile in EXAMPLES:
        data = load_profile(profile).data
        dates = {long_date(day) for day in [data["approval"].get("date")]
                 + [person.get("date") for person in data.get("signatories", [])] if day}
        pages = [path for path in example_pages["draft"] if path.name.startswith(data["slug"] + "-")
                 and (data["slug"].endswith("-v2") or "-v2-" not in path.name)]
        assert pages, profile.name
        for path in pages:
            main = html.document_fromstring(path.read_bytes()).get_element_by_id("main")
            language = WELSH if path.name.endswith(f"{SUFFIXES[WELSH]}.html") else ENGLISH
            assert msgen_words(language)["draft"] in words(next(main.iter("p"))), path.name
            assert [day for day in dates if day in words(main)] == [], path.name


def test_two_builds_give_the_same_bytes(tmp_path):
    profile = (ROOT / "examples" / "v2" / "norfolk-opcc-constabulary.yaml").read_text(encoding="utf-8")
    first = build(profile, tmp_path / "first", "--format", "html,html-fragment")
    second = build(profile, tmp_path / "second", "--format", "html,html-fragment")
    assert first == second and len(first) == 2


def test_a_version_1_page_carries_the_text_of_its_word_document(tmp_path):
    profile = (ROOT / "examples" / "staffordshire-joint-2022.yaml").read_text(encoding="utf-8")
    files = build(profile, tmp_path, "--format", "docx,html", name="staffordshire.yaml")
    (docx,) = [tmp_path / "out" / name for name in files if "statement" in name and name.endswith(".docx")]
    page = words(page_of(files).get_element_by_id("main"))
    paragraphs = [" ".join(text.split()) for style, text in rows(docx) if style != "TABLE" and text.strip()]
    missing = [text for text in paragraphs if text not in page and not text.startswith(("Date of approval",
                                                                                        "Approved by"))]
    assert len(paragraphs) > 40 and missing == []


def test_a_restyled_template_in_the_templates_folder_makes_the_page(tmp_path):
    folder = tmp_path / "templates"
    assert msgen("templates", "export", folder, "--schema-version", "2").exit_code == 0
    template = folder / "page.html.j2"
    template.write_text(template.read_text(encoding="utf-8").replace("#1d70b8", "#005ea5"), encoding="utf-8")
    page = page_of(build(PROFILE, tmp_path, "--format", "html", "--templates", folder))
    assert "a{color:#005ea5}" in page.findtext("head/style")


@pytest.mark.parametrize("change, message", [
    ("{{ document.titel }}", "page.html.j2:1: the template needs a value the document does not have: "),
    ("{% if %}", "page.html.j2:1: template syntax error: "),
    ("{{ ''.__class__ }}", "page.html.j2:1: the template tries to reach inside msgen, which is not allowed"),
])
def test_a_broken_page_template_is_one_line_naming_it_and_nothing_is_written(tmp_path, change, message):
    folder = tmp_path / "templates"
    shutil.copytree(resources.templates_dir(2), folder)
    template = folder / "page.html.j2"
    template.write_text(change + "\n" + template.read_text(encoding="utf-8"), encoding="utf-8")
    profile = tmp_path / "profile.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = msgen("build", profile, "-o", out, "--format", "docx,html", "--templates", folder)
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert list(out.iterdir()) == []


def test_a_fragment_needs_the_template_s_main_block(tmp_path):
    template = tmp_path / "page.html.j2"
    template.write_text("<p>{{ document.title }}</p>\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"no \{% block main %\}"):
        web_page(template, {"document": {"title": "T", "rows": []}}, fragment=True)


def test_a_row_the_template_cannot_print_stops_the_build_instead_of_vanishing():
    context = {"kind": "statement", "draft": False, "words": msgen_words(),
               "page": {"title": "T", "language": "en-GB", "alternates": []},
               "document": {"title": "T", "rows": [{"kind": "identity", "bodies": []}]}}
    with pytest.raises(TemplateError, match="no way to print a row of kind 'identity'"):
        web_page(resources.templates_dir(2) / "page.html.j2", context)


def test_list_rows_nest_by_their_level_and_a_level_too_deep_goes_under_the_item_before():
    def item(style: str, text: str) -> dict:
        return {"kind": "text", "style": style, "spans": [{"text": text}]}

    rows = [item("ListBullet", "a"), item("ListBullet3", "a deep"), item("ListBullet", "b"),
            item("ListNumber2", "b 1"), item("Normal", "after")]
    (listed, after) = page_blocks(rows)
    assert after["spans"] == [{"text": "after"}]
    (first, second) = listed["items"]
    assert [i["spans"][0]["text"] for i in first["list"]["items"]] == ["a deep"]
    assert second["list"]["numbered"] and [i["spans"][0]["text"] for i in second["list"]["items"]] == ["b 1"]


def test_a_heading_never_goes_more_than_one_level_below_the_one_before():
    def heading(style: str) -> dict:
        return {"kind": "text", "style": style, "spans": [{"text": style}]}

    rows = [heading("Heading3"), heading("Heading1"), heading("Heading3"), heading("Heading2")]
    assert [block["level"] for block in page_blocks(rows)] == [2, 2, 3, 3]


def test_the_page_shows_the_bodies_logos_accent_and_an_approval_heading_when_the_context_gives_them(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    context = {"kind": "statement", "draft": False, "words": msgen_words(),
               "page": {"title": "Statement", "language": "en-GB", "alternates": []},
               "images": [str(logo)],
               "branding": {"logos": [{"path": str(logo), "alt_text": "Exampleshire Police"}],
                            "accent_colour": "#005ea5", "font": "Carlito"},
               "document": {"title": "Statement", "masthead": {"bodies": ["Exampleshire Police", "Office"],
                                                               "title_year": "2023/24"},
                            "rows": [{"kind": "signatures", "heading": "Approval", "approval": {},
                                      "signatories": []}]}}
    page = html.document_fromstring(web_page(resources.templates_dir(2) / "page.html.j2", context))
    assert [words(h) for h in page.iter("h1", "h2")] == ["Statement 2023/24", "Approval"]
    assert [span.text for span in page.find_class("bodies")[0]] == ["Exampleshire Police", "Office"]
    (image,) = page.iter("img")
    assert image.get("alt") == "Exampleshire Police" and image.get("src").startswith("data:image/png;base64,")
    style = page.findtext("head/style")
    assert 'font-family:"Carlito"' in style and "#005ea5" in style


def test_web_addresses_in_text_become_links_without_the_punctuation_after_them():
    assert linked("See https://example.org/a. Or (https://x.org/b?q=1&r=2), not http://.") == (
        'See <a class="address" href="https://example.org/a">https://example.org/a</a>. Or (<a class="address" '
        'href="https://x.org/b?q=1&amp;r=2">https://x.org/b?q=1&amp;r=2</a>), not http://.')
    assert linked("<b>https://a.org</b>") == (
        '&lt;b&gt;<a class="address" href="https://a.org">https://a.org</a>&lt;/b&gt;')
    assert linked("https://a" + "." * 100_000) == '<a class="address" href="https://a">https://a</a>' + "." * 100_000
