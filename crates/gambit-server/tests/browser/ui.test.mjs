// Drives the gambit serve web UI in headless Chromium as a person would: give a token,
// see the diagram, click an asset and see its attack path highlighted step by step,
// click a component for its blast radius, ask a question. No console error, no CSP
// violation, no request to another host. Saves a screenshot as a test artifact.
//
// Input: GAMBIT_URL (a running server with one project holding acme-shop.yaml),
// GAMBIT_TOKEN (a viewer token), GAMBIT_ARTIFACTS (a folder for the screenshot).
// Chromium: GAMBIT_CHROMIUM, default /usr/bin/chromium (never downloaded).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.GAMBIT_URL;
const token = process.env.GAMBIT_TOKEN;
assert.ok(base && token, "GAMBIT_URL and GAMBIT_TOKEN are set");
const executablePath = process.env.GAMBIT_CHROMIUM || "/usr/bin/chromium";
const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];

let browser;
before(async () => { browser = await chromium.launch({ executablePath, args: FLAGS }); });
after(async () => { if (browser) { await browser.close(); } });

test("the UI shows paths, blast radius and answers", async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") { problems.push(`console ${msg.type()}: ${msg.text()}`); }
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("request", (req) => {
    if (!req.url().startsWith(base)) { problems.push(`request to another host: ${req.url()}`); }
  });

  await page.goto(base + "/");
  await page.fill("#token", token);
  await page.click("#login button");
  await page.waitForFunction(() => document.documentElement.dataset.ready === "true");

  // The diagram, styled by its own sheet (applied without inline style).
  const nodes = await page.locator("#diagram svg g.node[data-id]").count();
  assert.ok(nodes >= 4, `the diagram has its nodes (${nodes})`);
  const fill = await page.$eval("#diagram svg g.node .shape", (s) => getComputedStyle(s).fill);
  assert.equal(fill, "rgb(255, 255, 255)", "the diagram's style sheet applies");

  // An asset: its best path lit, step by step.
  await page.click('#assets button[data-asset="card-tokens"]');
  const lit = await page.$$eval("#diagram svg g.hl", (gs) => gs.map((g) => g.dataset.id));
  assert.ok(lit.length >= 2, `the path is highlighted (${lit})`);
  assert.ok(await page.locator("#diagram svg.has-hl").count() === 1, "the rest is dimmed");
  const steps = await page.$$eval("#steps li", (lis) => lis.map((li) => li.textContent));
  assert.ok(steps.length >= 2 && steps.every((s) => s.includes(" via ")), `steps with techniques: ${steps}`);
  const badges = await page.locator("#diagram svg .js-step").count();
  assert.ok(badges >= 1, "step numbers on the diagram");

  // A component: its blast radius.
  await page.click('#diagram svg g.node[data-id="web"]');
  await page.waitForFunction(() => document.getElementById("explain-title").textContent.startsWith("Code execution on web"));
  assert.ok(await page.locator("#diagram svg g.node.hl").count() >= 1);

  // A question.
  await page.fill("#question", "How can an attacker reach card-tokens?");
  await page.click("#ask");
  await page.waitForFunction(() => document.getElementById("answer").textContent.length > 0);
  const answer = await page.textContent("#answer");
  assert.match(answer, /paths; the best/, answer);
  assert.ok(await page.locator("#diagram svg g.hl").count() >= 2, "the answer's path is shown");

  // Filters of the threat table.
  const all = await page.locator("#threat-table tbody tr").count();
  await page.selectOption("#f-severity", "critical");
  const critical = await page.locator("#threat-table tbody tr:not([hidden])").count();
  assert.ok(all > critical && critical >= 1, `filtering by severity (${critical} of ${all})`);

  await page.screenshot({ path: join(process.env.GAMBIT_ARTIFACTS || ".", "server-ui.png"), fullPage: true });
  assert.deepEqual(problems, [], "no console error, CSP violation or outside request");
  await page.close();
});
