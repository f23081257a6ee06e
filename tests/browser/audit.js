// Audits web pages in ONE headless Chromium (starting it costs seconds): axe-core's WCAG 2.2
// A and AA rules at a desktop width and at 320 px, and the page's scroll width at 320 px
// (WCAG 1.4.10 reflow: no horizontal scrolling). tests/test_html_browser.py runs it.
//
//   node audit.js PAGE.html ...   prints [{page, violations: [{id, impact, width, targets}], scrollWidth}]
//
// CHROMIUM names the browser (default /usr/bin/chromium, Debian's); nothing is downloaded,
// and a page may load nothing but itself (any other request is refused and reported).
"use strict";
const fs = require("fs");
const path = require("path");
const { pathToFileURL } = require("url");
const puppeteer = require("puppeteer-core");

const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const WIDTHS = [1280, 320];

async function audit(page, file) {
  const found = { page: file, violations: [], scrollWidth: null, requests: [] };
  page.removeAllListeners("request");
  page.on("request", (request) => {
    const url = request.url();
    if (url.startsWith("data:") || url === pathToFileURL(file).href) return request.continue();
    found.requests.push(url);
    return request.abort();
  });
  for (const width of WIDTHS) {
    await page.setViewport({ width, height: 800 });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await page.evaluate(AXE);
    const result = await page.evaluate(
      (tags) => axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
      TAGS);
    for (const violation of result.violations) {
      found.violations.push({ id: violation.id, impact: violation.impact, width,
                              targets: violation.nodes.map((node) => node.target.join(" ")) });
    }
    if (width === 320) {
      found.scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    }
  }
  return found;
}

async function main(files) {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
  });
  try {
    const page = await browser.newPage();
    await page.setRequestInterception(true);
    const results = [];
    for (const file of files) {
      results.push(await audit(page, path.resolve(file)));
    }
    process.stdout.write(JSON.stringify(results));
  } finally {
    await browser.close();
  }
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
