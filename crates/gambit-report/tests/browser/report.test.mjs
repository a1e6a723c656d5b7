// Opens Gambit's HTML reports in headless Chromium and checks what a reader relies on:
// no console errors and no network request, one diagram node per component, a click on
// an attack path highlights exactly that path, the table filters and sorts; saves
// screenshots as test artifacts.
//
// Input: GAMBIT_ARTIFACTS (a folder) holding report-NAME.html and report-NAME.expect.json
// ({"components": [...ids]}) written by crates/gambit-report/tests/browser.rs.
// Chromium: GAMBIT_CHROMIUM, default /usr/bin/chromium (never downloaded).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const artifacts = process.env.GAMBIT_ARTIFACTS;
assert.ok(artifacts, "GAMBIT_ARTIFACTS names the folder with the reports");
const executablePath = process.env.GAMBIT_CHROMIUM || "/usr/bin/chromium";
const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];

const reports = readdirSync(artifacts)
  .filter((f) => /^report-.*\.html$/.test(f))
  .sort();
assert.ok(reports.length > 0, `no report-*.html in ${artifacts}`);

async function open(browser, file) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") {
      problems.push(`console ${msg.type()}: ${msg.text()}`);
    }
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("request", (req) => {
    const url = req.url();
    if (!url.startsWith("file:") && !url.startsWith("data:")) {
      problems.push(`network request: ${url}`);
    }
  });
  await page.goto(pathToFileURL(join(artifacts, file)).href);
  await page.waitForFunction(() => document.documentElement.dataset.ready === "true");
  return { page, problems };
}

let browser;
before(async () => {
  browser = await chromium.launch({ executablePath, args: FLAGS });
});
after(async () => {
  if (browser) {
    await browser.close();
  }
});

for (const file of reports) {
  const name = file.replace(/^report-/, "").replace(/\.html$/, "");
  const expect = JSON.parse(readFileSync(join(artifacts, `report-${name}.expect.json`), "utf8"));

  test(`${name}: the HTML report works in Chromium`, async () => {
    const { page, problems } = await open(browser, file);
    try {

      // One diagram node per component, and only those.
      const drawn = await page.$$eval("#diagram svg g.node.component", (gs) => gs.map((g) => g.dataset.id).sort());
      assert.deepEqual(drawn, [...expect.components].sort(), "a diagram node for every component");
      const box = await page.locator("#diagram svg").boundingBox();
      assert.ok(box && box.width > 100 && box.height > 100, "the diagram is visible");

      // Each path button highlights its own elements (checked on the first and last).
      const data = JSON.parse(await page.textContent("#gambit-data"));
      const count = await page.locator(".path-btn").count();
      assert.equal(count, data.paths.length, "one button per attack path");
      for (const index of count ? [0, count - 1] : []) {
        await page.click(`.path-btn[data-path="${index}"]`);
        const lit = await page.$$eval("#diagram svg .hl[data-id]", (els) => els.map((e) => e.dataset.id).sort());
        const want = Object.keys(data.paths[index].highlight)
          .filter((id) => expect.components.includes(id) || expect.drawn.includes(id))
          .sort();
        assert.deepEqual(lit, want, `path ${index} highlights exactly its elements`);
        assert.ok(lit.length > 0, `path ${index} highlights something`);
        assert.equal(await page.getAttribute(`.path-btn[data-path="${index}"]`, "aria-pressed"), "true");
        assert.ok(await page.$eval("#diagram svg", (s) => s.classList.contains("has-hl")));
        const numbered = Object.values(data.paths[index].highlight).some((s) => s.length > 0);
        if (numbered) {
          assert.ok((await page.locator("#diagram svg .js-step").count()) > 0, "steps are numbered");
        }
        if (index === 0) {
          await page.screenshot({ path: join(artifacts, `report-${name}-path.png`), fullPage: false });
        }
      }
      if (count) {
        await page.click("#path-clear");
        assert.equal(await page.locator("#diagram svg .hl").count(), 0, "Clear removes the highlight");
      }

      // A threat's element link highlights that element on the diagram.
      const firstTarget = await page.getAttribute("#threat-table tbody tr .target-link", "data-target");
      await page.click("#threat-table tbody tr .target-link");
      const litTarget = await page.$$eval("#diagram svg .hl[data-id]", (els) => els.map((e) => e.dataset.id));
      if (expect.drawn.includes(firstTarget)) {
        assert.ok(litTarget.includes(firstTarget), `${firstTarget} is highlighted`);
      }
      await page.click("#path-clear");

      // Filters: severity, then element text; reset shows everything again.
      const total = await page.locator("#threat-table tbody tr").count();
      await page.selectOption("#f-severity", "critical");
      const shownSev = await page.$$eval("#threat-table tbody tr:not([hidden])", (rows) => rows.map((r) => r.dataset.severity));
      assert.ok(shownSev.every((s) => s === "critical"), "only critical rows remain");
      assert.equal(shownSev.length, expect.critical, "every critical threat is shown");
      await page.click("#f-reset");
      assert.equal(await page.locator("#threat-table tbody tr:not([hidden])").count(), total);

      // Sorting by impact puts the highest impact first on the second click.
      await page.click('#threat-table th[data-key="irank"]');
      await page.click('#threat-table th[data-key="irank"]');
      const ranks = await page.$$eval("#threat-table tbody tr", (rows) => rows.map((r) => Number(r.dataset.irank)));
      assert.deepEqual(ranks, [...ranks].sort((a, b) => b - a), "sorted by impact, descending");

      await page.screenshot({ path: join(artifacts, `report-${name}.png`), fullPage: true });
      if (name === "acme-shop") {
        await page.screenshot({ path: join(artifacts, "report.png"), fullPage: true });
      }

      // Print: no navigation or filters, every row shown, the diagram fits the page.
      await page.selectOption("#f-severity", "low");
      await page.emulateMedia({ media: "print" });
      assert.equal(await page.$eval("nav.toc", (n) => getComputedStyle(n).display), "none");
      assert.equal(await page.$eval(".filters", (n) => getComputedStyle(n).display), "none");
      const printedRows = await page.$$eval("#threat-table tbody tr", (rows) => rows.filter((r) => getComputedStyle(r).display !== "none").length);
      assert.equal(printedRows, total, "every threat is printed, whatever the screen filter");
      const fits = await page.$eval("#diagram svg", (svg) => svg.getBoundingClientRect().width <= document.documentElement.clientWidth);
      assert.ok(fits, "the diagram fits the printed width");
      if (name === "acme-shop") {
        await page.screenshot({ path: join(artifacts, "report-print.png"), fullPage: true });
      }
      await page.emulateMedia({ media: "screen" });
      assert.deepEqual(problems, [], "no console error, page error or network request");
    } finally {
      await page.close();
    }
  });
}

// Mermaid: every example's diagram text parses and renders with the real Mermaid library
// (loaded once, from node_modules, into a blank page).
const mermaidJs = createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js");
test("the Mermaid diagrams render", async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  try {
    await page.setContent("<!DOCTYPE html><html><body><div id=\"out\"></div></body></html>");
    await page.addScriptTag({ path: mermaidJs });
    await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict" }));
    for (const file of reports) {
      const name = file.replace(/^report-/, "").replace(/\.html$/, "");
      const expect = JSON.parse(readFileSync(join(artifacts, `report-${name}.expect.json`), "utf8"));
      const text = readFileSync(join(artifacts, `diagram-${name}.mmd`), "utf8");
      const nodes = await page.evaluate(async (source) => {
        await window.mermaid.parse(source);
        const { svg } = await window.mermaid.render("gambit", source);
        document.getElementById("out").innerHTML = svg;
        return document.querySelectorAll("#out g.node").length;
      }, text);
      assert.equal(nodes, expect.components.length + expect.actors, `${name}: one Mermaid node per component and actor`);
      if (name === "acme-shop") {
        await page.screenshot({ path: join(artifacts, "mermaid-acme-shop.png"), fullPage: true });
      }
    }
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
