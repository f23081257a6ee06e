"""Every example's web pages, final and draft, in a real headless Chromium: axe-core finds no
WCAG 2.2 A or AA violation, and at 320 px nothing scrolls sideways (WCAG 1.4.10 reflow).

Debian's chromium and tests/browser's axe-core and puppeteer-core (scripts/test.sh installs
them) run all pages in one browser session. Without them the tests are skipped locally
and fail under CI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import msgen
from test_sections import PROFILE

pytestmark = pytest.mark.slow  # starts a browser: CI and the full run only

ROOT = Path(__file__).resolve().parents[1]
BROWSER_TOOLS = ROOT / "tests" / "browser"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "examples" / "v2").glob("*.yaml"))
PHONE_WIDTH = 320
BROKEN_PAGE = ('<!DOCTYPE html><html><body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
               '<p style="white-space:nowrap">' + "modern slavery statement " * 40 + "</p>"
               '<img src="https://example.org/logo.png" alt="logo"></main></body></html>')
LONG_WORD = "Supplychaintransparencyandaccountabilityprogramme" * 3
# A wide table, a long word, a long link and a nested list: what overflows a phone first.
HARD_TO_FIT = PROFILE.replace(
    '      - table: {header: [Measure, "2023-24"], rows: [["Referrals", "41"], ["Arrests"]], caption: Figures}',
    '      - table: {header: [Measure, "2019-20", "2020-21", "2021-22", "2022-23", "2023-24", Change], '
    f'rows: [["{LONG_WORD}", "41", "52", "63", "74", "85", "+107 %"]], caption: Figures}}\n'
    f'      - p: "See [{LONG_WORD}](https://example.org/{LONG_WORD}) or https://example.org/{LONG_WORD}."')


def _browser_tools() -> tuple[str, str]:
    """node and chromium; without them (or without `npm ci` in tests/browser), skip locally
    but fail in CI (never silently pass)."""
    node = shutil.which("node")
    chromium = shutil.which(os.environ.get("CHROMIUM") or "chromium")
    missing = [what for what, found in (("node", node), ("chromium", chromium),
                                        ("tests/browser/node_modules (npm ci)",
                                         (BROWSER_TOOLS / "node_modules" / "axe-core").is_dir())) if not found]
    if missing:
        message = f"the web page audit has no {', '.join(missing)} (bash scripts/test.sh installs them)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the web page audit, but {message}")
        pytest.skip(message)
    assert node and chromium
    return node, chromium


def audit(pages: list[Path]) -> dict[str, dict]:
    """tests/browser/audit.js over `pages` in one browser: each page's violations (at 1280
    and 320 px), its scroll width at 320 px and any request it made, by its path."""
    node, chromium = _browser_tools()
    done = subprocess.run([node, str(BROWSER_TOOLS / "audit.js"), *map(str, pages)], capture_output=True,
                          text=True, env={**os.environ, "CHROMIUM": chromium}, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return {Path(result["page"]): result for result in json.loads(done.stdout)}


@pytest.fixture(scope="module")
def audited(tmp_path_factory) -> dict[str, dict]:
    """Every example built final (as its profile allows) and with --draft, audited at once."""
    _browser_tools()  # before seconds of building
    pages = []
    for build in ("final", "draft"):
        out = tmp_path_factory.mktemp(build)
        draft = ("--draft",) if build == "draft" else ()
        result = msgen("build", *EXAMPLES, "-o", out, "--format", "html", "-q", *draft)
        assert result.exit_code == 0, result.output
        pages += sorted(out.glob("*.html"))
    hard = tmp_path_factory.mktemp("hard")
    (hard / "profile.yaml").write_text(HARD_TO_FIT, encoding="utf-8")
    assert msgen("build", hard / "profile.yaml", "-o", hard, "--format", "html").exit_code == 0
    pages += sorted(hard.glob("*.html"))
    assert len(pages) >= 4 * len(EXAMPLES) - 2 * len(list((ROOT / "examples" / "v2").glob("*.yaml")))
    broken = tmp_path_factory.mktemp("instrument") / "broken.html"
    broken.write_text(BROKEN_PAGE, encoding="utf-8")
    results = audit([*pages, broken])
    return {f"{page.parent.name}/{page.name}": results[Path(os.path.abspath(page))] for page in [*pages, broken]}


def built(audited: dict[str, dict]) -> dict[str, dict]:
    """The results of the pages msgen built (not the instrument's own broken page)."""
    return {page: result for page, result in audited.items() if not page.endswith("/broken.html")}


def test_every_example_page_passes_axe_core_at_desktop_and_phone_widths(audited):
    failing = {page: result["violations"] for page, result in built(audited).items() if result["violations"]}
    assert failing == {}


def test_the_welsh_pages_of_the_bilingual_example_are_among_those_audited(audited):
    welsh = [page for page in built(audited) if page.endswith(".cy.html")]
    assert len(welsh) >= 2 and all(not audited[page]["violations"] for page in welsh)  # final and draft


def test_no_example_page_scrolls_sideways_at_320_px(audited):
    assert {page: result["scrollWidth"] for page, result in built(audited).items()
            if result["scrollWidth"] != PHONE_WIDTH} == {}


def test_example_pages_load_nothing_from_elsewhere(audited):
    assert {page: result["requests"] for page, result in built(audited).items() if result["requests"]} == {}


def test_the_audit_sees_a_page_that_overflows_breaks_the_rules_or_fetches(audited):
    """The instrument itself: a clean result above means something only if a page too wide
    for a phone, without a language, title or alt text, and fetching a picture is reported."""
    (result,) = [result for page, result in audited.items() if page.endswith("/broken.html")]
    assert result["scrollWidth"] > PHONE_WIDTH
    assert {"html-has-lang", "document-title", "image-alt"} <= {v["id"] for v in result["violations"]}
    assert set(result["requests"]) == {"https://example.org/logo.png"}
