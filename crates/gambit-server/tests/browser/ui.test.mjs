// Drives the gambit serve web UI in headless Chromium as a person would: give a token,
// see the diagram, click an asset and see its attack path highlighted step by step,
// click a component for its blast radius, ask a question. No console error, no CSP
// violation, no request to another host. Saves a screenshot as a test artifact.
//
// Then the same at 200 components, on a laptop-sized window: every component drawn, no
// two boxes overlapping, a searched component brought into view with a label large
// enough to read, an asset's whole path lit and in view, zoom and pan moving the view.
// The figures measured on the way (diagram size, render time) go to
// GAMBIT_ARTIFACTS/server-ui-large.json.
//
// Input: GAMBIT_URL (a running server with a project `shop` holding acme-shop.yaml and a
// project `stratus` holding examples/saas-multi-region.yaml), GAMBIT_TOKEN (a viewer
// token), GAMBIT_LARGE_IDS (a file listing that model's component ids, one a line),
// GAMBIT_ARTIFACTS (a folder for screenshots and figures).
// Chromium: GAMBIT_CHROMIUM, default /usr/bin/chromium (never downloaded).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
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

const artifacts = process.env.GAMBIT_ARTIFACTS || ".";

// A page with the token given, watching for console errors, CSP violations and requests
// to other hosts; `problems` collects them.
async function open(viewport) {
  const page = await browser.newPage({ viewport });
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
  return { page, problems };
}

test("the UI shows paths, blast radius and answers", async () => {
  const { page, problems } = await open({ width: 1400, height: 1000 });

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

  // Where the latest version stands today, under the trend.
  assert.match(await page.textContent("#now"), /^Now, with today's decisions: version \d+ has \d+ critical/);

  await page.screenshot({ path: join(artifacts, "server-ui.png"), fullPage: true });
  assert.deepEqual(problems, [], "no console error, CSP violation or outside request");
  await page.close();
});

// The view box of the diagram: [x, y, width, height] in drawing units.
const viewBox = (page) => page.$eval("#diagram svg", (s) => s.getAttribute("viewBox").split(" ").map(Number));

test("200 components: all drawn, none overlapping, found, lit and readable", async () => {
  const large = process.env.GAMBIT_LARGE_IDS;
  assert.ok(large, "GAMBIT_LARGE_IDS is set");
  const ids = readFileSync(large, "utf8").split("\n").filter(Boolean);
  assert.equal(ids.length, 200, "the model has 200 components");
  const { page, problems } = await open({ width: 1280, height: 800 });
  // A debug build of the server lays out 200 components in about 15 s.
  page.setDefaultTimeout(180_000);

  // Open the large project and time it: the diagram document fetched, parsed, drawn.
  const drawnBefore = await page.evaluate(() => {
    document.documentElement.dataset.ready = "false";
    return performance.getEntriesByName("gambit-diagram-drawn").length;
  });
  const answered = page.waitForResponse((r) => r.url().endsWith("/diagram"));
  const started = Date.now();
  await page.selectOption("#project", "stratus");
  const view = await (await answered).json();
  await page.waitForFunction(() => document.documentElement.dataset.ready === "true");
  await page.waitForFunction((n) => performance.getEntriesByName("gambit-diagram-drawn").length > n, drawnBefore);
  const openMs = Date.now() - started;
  const figures = await page.evaluate(() => {
    const drawn = performance.getEntriesByName("gambit-diagram-drawn").pop();
    const fetched = performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/diagram")).pop();
    const svg = document.querySelector("#diagram svg");
    return {
      diagram_fetch_ms: fetched ? Math.round(fetched.duration) : null,
      diagram_json_bytes: fetched ? fetched.decodedBodySize : null,
      svg_elements: svg.getElementsByTagName("*").length,
      svg_draw_ms: drawn ? Math.round(drawn.duration) : null,
      svg_size: svg.dataset.width + "x" + svg.dataset.height,
    };
  });
  figures.open_project_ms = openMs;

  // Every component is a node of the drawing: nothing is collapsed away.
  const drawn = await page.$$eval("#diagram svg g.node.component[data-id]", (gs) => gs.map((g) => g.dataset.id));
  assert.deepEqual([...drawn].sort(), [...ids].sort(), "every component of the model is drawn, and only those");
  const kinds = await page.$$eval("#diagram svg g.node .node-kind", (ts) => ts.map((t) => t.textContent));
  assert.ok(!kinds.includes("collapsed zone"), "no zone is collapsed");

  // No two boxes overlap, as drawn (shapes, labels and badges included).
  const boxes = await page.$$eval("#diagram svg g.node[data-id]", (gs) => gs.map((g) => {
    const b = g.getBBox();
    return { id: g.dataset.id, x: b.x, y: b.y, w: b.width, h: b.height };
  }));
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) { overlaps.push(`${a.id} / ${b.id}`); }
    }
  }
  assert.deepEqual(overlaps, [], "no two node boxes overlap");

  // The first view fits the whole drawing.
  const content = await page.$eval("#diagram svg", (s) => s.dataset.width + " " + s.dataset.height);
  const [cw, ch] = content.split(" ").map(Number);
  const fitted = await viewBox(page);
  assert.ok(fitted[0] <= 0.5 && fitted[1] <= 0.5 && fitted[0] + fitted[2] >= cw - 0.5 && fitted[1] + fitted[3] >= ch - 0.5,
    `the first view (${fitted}) shows the whole ${cw}x${ch} drawing`);
  // Packed for a screen, the whole drawing is not a sliver: at least 0.12 CSS px a unit
  // (a page-shaped layout, six times taller than wide, gave 0.057 here).
  const fitScale = await page.$eval("#diagram svg", (s) => Number(s.dataset.scale));
  figures.fit_scale = Math.round(fitScale * 1000) / 1000;
  assert.ok(fitScale >= 0.12, `the fitted view shows the drawing at ${fitScale} px a unit`);
  await page.screenshot({ path: join(artifacts, "server-ui-large-fit.png") });

  // Wheel zoom keeps the drawing's point under the pointer in place.
  const area = await page.$eval("#diagram svg", (d) => { const r = d.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
  const px = Math.round(area.x + area.w * 0.3), py = Math.round(area.y + area.h * 0.6);
  const under = (vb) => [vb[0] + (px - area.x) * vb[2] / area.w, vb[1] + (py - area.y) * vb[3] / area.h];
  const before = await viewBox(page);
  await page.mouse.move(px, py);
  await page.mouse.wheel(0, -400);
  await page.waitForFunction((w) => document.querySelector("#diagram svg").getAttribute("viewBox").split(" ")[2] < w, before[2], { timeout: 5000 });
  const zoomed = await viewBox(page);
  assert.ok(zoomed[2] < before[2] * 0.9, `the wheel zooms in (${before} -> ${zoomed})`);
  // The drawing's point that was under the pointer is still there (within a CSS pixel).
  const [bx, by] = under(before), [zx, zy] = under(zoomed);
  const drift = Math.hypot(bx - zx, by - zy) * area.w / zoomed[2];
  assert.ok(drift < 1, `zoom is around the pointer (${bx},${by} -> ${zx},${zy}: ${drift} px)`);

  // Dragging pans by as much as the pointer moved, at the same scale.
  await page.mouse.move(area.x + 200, area.y + 200);
  await page.mouse.down();
  await page.mouse.move(area.x + 260, area.y + 240, { steps: 4 });
  await page.mouse.up();
  const panned = await viewBox(page);
  const k = area.w / zoomed[2];
  assert.ok(Math.abs(panned[2] - zoomed[2]) < 1e-6, "panning keeps the scale");
  assert.ok(Math.abs((zoomed[0] - panned[0]) * k - 60) < 1 && Math.abs((zoomed[1] - panned[1]) * k - 40) < 1,
    `the drawing follows the pointer (${zoomed} -> ${panned})`);
  assert.equal(await page.locator("#diagram svg g.hl").count(), 0, "a drag is not a click on a node");

  // A trackpad pinch (a wheel event with Ctrl held) zooms too.
  const unpinched = await viewBox(page);
  await page.keyboard.down("Control");
  await page.mouse.wheel(0, -50);
  await page.keyboard.up("Control");
  await page.waitForFunction((w) => document.querySelector("#diagram svg").getAttribute("viewBox").split(" ")[2] < w, unpinched[2], { timeout: 5000 });

  // Two fingers on a touch screen: spreading them zooms by the ratio of their distances.
  const touched = await viewBox(page);
  await page.evaluate(({ x, y }) => {
    const box = document.getElementById("diagram");
    const ev = (type, id, cx) => new PointerEvent(type, { pointerId: id, pointerType: "touch", clientX: cx, clientY: y, bubbles: true, isPrimary: id === 1 });
    box.dispatchEvent(ev("pointerdown", 1, x));
    box.dispatchEvent(ev("pointerdown", 2, x + 100));
    window.dispatchEvent(ev("pointermove", 2, x + 200));
    window.dispatchEvent(ev("pointerup", 1, x));
    window.dispatchEvent(ev("pointerup", 2, x + 200));
  }, { x: area.x + 300, y: area.y + 200 });
  const pinched = await viewBox(page);
  const ratio = touched[2] / pinched[2];
  assert.ok(Math.abs(ratio - 2) < 0.01, `fingers from 100 to 200 px apart zoom in twice (${ratio})`);

  // Keys: 0 fits again, + zooms in.
  await page.focus("#diagram");
  await page.keyboard.press("0");
  assert.deepEqual(await viewBox(page), fitted, "0 fits the whole drawing again");
  await page.keyboard.press("+");
  assert.ok((await viewBox(page))[2] < fitted[2], "+ zooms in");

  // Search: a component by its id, brought into view with a label that reads.
  const readable = async (id) => page.$eval(`#diagram svg g.node[data-id="${id}"] .node-id`, (t) => {
    const r = t.getBoundingClientRect();
    const box = document.getElementById("diagram").getBoundingClientRect();
    const px = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
    return { px, inside: r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom &&
      r.right <= innerWidth && r.bottom <= innerHeight && r.left >= 0 && r.top >= 0, text: t.textContent };
  });
  await page.keyboard.press("0");
  const tooSmall = await readable("payments");
  assert.ok(tooSmall.px < 11, `at the fitted view a label is too small to read (${tooSmall.px} px), so search must zoom`);
  for (const [query, id] of [["payments", "payments"], ["copilot", "support-copilot"], ["WEBHOOK-DISP", "webhook-dispatcher"]]) {
    await page.fill("#search", query);
    await page.press("#search", "Enter");
    const label = await readable(id);
    assert.ok(label.px >= 11, `${id}'s label renders at ${label.px} CSS px after searching ${query}`);
    assert.ok(label.inside, `${id}'s label is inside the diagram and the window after searching ${query}`);
    assert.equal(await page.locator(`#diagram svg g.node.current[data-id="${id}"]`).count(), 1, `${id} is the match shown`);
  }
  await page.screenshot({ path: join(artifacts, "server-ui-large-search.png") });
  await page.fill("#search", "no-such-thing");
  await page.press("#search", "Enter");
  assert.match(await page.textContent("#search-count"), /not found/);
  await page.fill("#search", "");

  // An asset: the elements of its best path are all lit, step numbers on the nodes,
  // and every lit node is in view.
  const best = new Map();
  for (const p of view.paths) {
    if (p.rank === 1 && !best.has(p.asset)) { best.set(p.asset, p); }
  }
  // The asset whose best path lights the most elements (ties: the first by id).
  const [asset, path] = [...best.entries()].sort((a, b) =>
    Object.keys(b[1].highlight).length - Object.keys(a[1].highlight).length || (a[0] < b[0] ? -1 : 1))[0];
  assert.ok(Object.keys(path.highlight).length >= 4, `a long path to light (${asset})`);
  await page.click(`#assets button[data-asset="${asset}"]`);
  const lit = await page.$$eval("#diagram svg g.hl[data-id]", (gs) => gs.map((g) => g.dataset.id));
  assert.deepEqual([...lit].sort(), Object.keys(path.highlight).sort(), `every element of the path to ${asset} is lit`);
  // Every node and flow with step numbers has its badge (a node's names it), readable
  // at this zoom.
  const nodeIds = new Set(await page.$$eval("#diagram svg g.node[data-id]", (gs) => gs.map((g) => g.dataset.id)));
  const expectedBadges = Object.keys(path.highlight).filter((id) => path.highlight[id].length).sort();
  const badges = await page.$$eval("#diagram svg .js-badges .step-badge", (bs) => bs.map((b) => {
    const t = b.querySelector("text");
    return { id: b.dataset.id, text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a };
  }));
  assert.ok(expectedBadges.length >= 3, `the path numbers several elements (${expectedBadges})`);
  assert.deepEqual(badges.map((b) => b.id).sort(), expectedBadges, "a step badge on each numbered element");
  for (const b of badges) {
    const text = path.highlight[b.id].join(", ") + (nodeIds.has(b.id) ? " · " + b.id : "");
    assert.equal(b.text, text, "a badge says the steps, and a node's its id");
    assert.ok(b.px >= 11, `badge ${b.text} renders at ${b.px} CSS px`);
  }
  assert.equal(await page.locator("#steps li").count(), path.steps.length, "the steps are listed");
  const outOfView = await page.$$eval("#diagram svg g.node.hl[data-id]", (gs) => {
    const box = document.getElementById("diagram").getBoundingClientRect();
    return gs.filter((g) => {
      const r = g.querySelector(".shape").getBoundingClientRect();
      return r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1;
    }).map((g) => g.dataset.id);
  });
  assert.deepEqual(outOfView, [], "the whole path is in view");
  await page.screenshot({ path: join(artifacts, "server-ui-large-path.png") });

  // A component clicked at a readable zoom: its blast radius.
  await page.fill("#search", "import-worker");
  await page.press("#search", "Enter");
  await page.click('#diagram svg g.node[data-id="import-worker"] .shape');
  await page.waitForFunction(() => document.getElementById("explain-title").textContent.startsWith("Code execution on import-worker"));
  assert.ok(await page.locator("#diagram svg g.node.hl").count() >= 2, "the blast radius is lit");

  writeFileSync(join(artifacts, "server-ui-large.json"), JSON.stringify(figures, null, 2) + "\n");
  console.log("figures", JSON.stringify(figures));
  assert.deepEqual(problems, [], "no console error, CSP violation or outside request");
  await page.close();
});
