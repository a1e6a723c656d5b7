// Gambit server UI: plain JavaScript, no libraries, no requests to other hosts. Model
// text is only ever set with textContent; the diagram is gambit's own SVG (escaped by
// it), whose nodes and flows carry data-id for highlighting, as in the HTML report.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var svgNS = "http://www.w3.org/2000/svg";
  var state = { project: null, version: null, view: null, svg: null, content: null, nodes: [] };

  function token() { return sessionStorage.getItem("gambit-token") || ""; }
  function status(text, error) {
    $("status").textContent = text || "";
    $("status").className = error ? "error" : "";
  }
  function api(path, options) {
    options = options || {};
    options.headers = Object.assign({ "Authorization": "Bearer " + token() }, options.headers || {});
    return fetch(path, options).then(function (r) {
      var type = r.headers.get("Content-Type") || "";
      var body = type.indexOf("json") >= 0 ? r.json() : r.text();
      return body.then(function (b) {
        if (!r.ok) {
          var msg = b && b.error ? b.error.message : (typeof b === "string" ? b : r.statusText);
          throw new Error(r.status + ": " + msg);
        }
        return b;
      });
    });
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function base() { return "/api/projects/" + encodeURIComponent(state.project); }
  function versionPath() { return base() + "/models/" + encodeURIComponent(state.version); }

  // ---- projects and versions ----
  function loadProjects() {
    return api("/api/projects").then(function (doc) {
      var select = $("project");
      clear(select);
      doc.projects.forEach(function (p) {
        var o = el("option", p.name + " (" + p.versions + ")");
        o.value = p.name;
        select.appendChild(o);
      });
      if (!doc.projects.length) { status("No project yet: push a model with gambit push."); return; }
      state.project = doc.projects[0].name;
      return loadVersions();
    }).catch(function (e) { status(e.message, true); });
  }
  function loadVersions() {
    return api(base() + "/trend").then(function (doc) {
      var select = $("version");
      clear(select);
      doc.versions.slice().reverse().forEach(function (v) {
        var o = el("option", v.version + (v.revision ? " · " + v.revision.slice(0, 10) : ""));
        o.value = String(v.version);
        select.appendChild(o);
      });
      showTrend(doc.versions);
      showNow(doc.current);
      if (!doc.versions.length) { status("The project has no model yet."); return; }
      state.version = String(doc.versions[doc.versions.length - 1].version);
      return loadVersion();
    });
  }
  function loadVersion() {
    status("Loading version " + state.version + "…");
    return Promise.all([
      api(versionPath() + "/diagram"),
      api(versionPath() + "/threats"),
      api(versionPath() + "/chokepoints")
    ]).then(function (r) {
      state.view = r[0];
      showDiagram(r[0]);
      showAssets(r[0]);
      showThreats(r[1].threats);
      showChokepoints(r[2]);
      status("Version " + state.version);
      document.documentElement.dataset.ready = "true";
    }).catch(function (e) { status(e.message, true); });
  }

  // ---- the diagram: fit, pan, zoom, search, highlight ----
  // The whole model is always drawn, however large: no zone is collapsed, so every
  // component a person searches for or clicks, and every element an attack path or a
  // blast radius lights, is on the canvas. Size is handled by the view instead: it opens
  // fitted to the whole graph, zooms around the pointer (wheel, pinch, keys), pans by
  // dragging, and a search or a highlight brings its elements into view at a size where
  // their labels read.
  //
  // The view is the SVG's viewBox, kept at the box's aspect ratio, so one unit of the
  // drawing is `view.scale` CSS pixels both ways and (view.x, view.y) is the drawing's
  // point at the box's top-left corner.
  var sheet = null;
  var view = { x: 0, y: 0, scale: 1 };
  // Node labels are 12 units high: at this scale they render at 15 CSS px.
  var READABLE = 1.25;
  var MAX_SCALE = 4;
  // Step badges never render smaller than this (CSS px of their text).
  var BADGE_PX = 12;
  function showDiagram(doc) {
    // The diagram's style sheet is taken out before the SVG is parsed (the page's
    // policy allows no inline style element, not even in a parsed document) and goes
    // through the CSS object model instead.
    if (window.performance && performance.mark) { performance.mark("gambit-diagram-start"); }
    var text = doc.svg, css = "";
    text = text.replace(/<style[^>]*>([\s\S]*?)<\/style>/g, function (_, body) {
      css += body.replace("<![CDATA[", "").replace("]]>", "");
      return "";
    });
    var parsed = new DOMParser().parseFromString(text, "image/svg+xml");
    var svg = parsed.documentElement;
    if (svg.nodeName !== "svg") { status("The diagram could not be read.", true); return; }
    if (window.CSSStyleSheet && document.adoptedStyleSheets !== undefined) {
      sheet = sheet || new CSSStyleSheet();
      sheet.replaceSync(css);
      if (document.adoptedStyleSheets.indexOf(sheet) < 0) {
        document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
      }
    }
    var node = document.importNode(svg, true);
    var box = $("diagram");
    clear(box);
    box.appendChild(node);
    state.svg = node;
    var vb = (node.getAttribute("viewBox") || "0 0 1000 600").split(/[\s,]+/).map(Number);
    state.content = { x: vb[0], y: vb[1], w: vb[2], h: vb[3] };
    node.dataset.width = String(vb[2]);
    node.dataset.height = String(vb[3]);
    node.removeAttribute("width");
    node.removeAttribute("height");
    var list = $("element-ids");
    clear(list);
    state.nodes = Array.prototype.slice.call(node.querySelectorAll("g.node[data-id]"));
    state.nodes.forEach(function (g) {
      g.setAttribute("tabindex", "-1");
      g.setAttribute("role", "button");
      g.setAttribute("aria-label", g.dataset.id + ": blast radius");
      g.addEventListener("click", function (e) {
        e.stopPropagation();
        if (!drag.moved) { blastRadius(g.dataset.id); }
      });
      g.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); blastRadius(g.dataset.id); }
      });
      var o = document.createElement("option");
      o.value = g.dataset.id;
      list.appendChild(o);
    });
    $("diagram-size").textContent = state.nodes.length + " components and actors, " +
      node.querySelectorAll("g.flow[data-id]").length + " flows. Drag to pan, wheel or + and − to zoom, " +
      "0 to fit (with the diagram focused), Find to go to a component.";
    // Another version: the search's matches are this drawing's nodes.
    markMatches();
    fit();
    // How long drawing took, up to the first frame painted (the browser's performance
    // timeline, as "gambit-diagram-drawn").
    if (window.performance && performance.measure) {
      requestAnimationFrame(function () {
        setTimeout(function () { performance.measure("gambit-diagram-drawn", "gambit-diagram-start"); }, 0);
      });
    }
  }
  function boxSize() {
    var b = $("diagram");
    return { w: b.clientWidth || 1, h: b.clientHeight || 1 };
  }
  // Where the drawing's box is on the screen (inside the frame's border).
  function canvasRect() { return (state.svg || $("diagram")).getBoundingClientRect(); }
  function apply() {
    if (!state.svg) { return; }
    var s = boxSize();
    state.svg.setAttribute("viewBox", [view.x, view.y, s.w / view.scale, s.h / view.scale].join(" "));
    state.svg.dataset.scale = String(view.scale);
    scaleBadges();
  }
  // The smallest scale: the whole drawing fits twice over.
  function minScale() {
    var s = boxSize(), c = state.content;
    return c ? Math.min(s.w / c.w, s.h / c.h) / 2 : 0.01;
  }
  function clampScale(k) { return Math.min(MAX_SCALE, Math.max(minScale(), k)); }
  // Shows rectangle r (drawing units) whole and centred, at most at scale `most`.
  function show(r, most) {
    var s = boxSize();
    var k = Math.min(s.w / r.w, s.h / r.h);
    view.scale = clampScale(most ? Math.min(k, most) : k);
    view.x = r.x + r.w / 2 - s.w / 2 / view.scale;
    view.y = r.y + r.h / 2 - s.h / 2 / view.scale;
    apply();
  }
  function fit() { if (state.content) { show(state.content); } }
  // Zooms by `factor` keeping the drawing's point under (px, py), box pixels, in place.
  function zoomAt(factor, px, py) {
    if (!state.svg) { return; }
    var ux = view.x + px / view.scale, uy = view.y + py / view.scale;
    view.scale = clampScale(view.scale * factor);
    view.x = ux - px / view.scale;
    view.y = uy - py / view.scale;
    apply();
  }
  function zoomCentre(factor) { var s = boxSize(); zoomAt(factor, s.w / 2, s.h / 2); }
  function panBy(dx, dy) {
    if (!state.svg) { return; }
    view.x -= dx / view.scale;
    view.y -= dy / view.scale;
    apply();
  }
  function nodeRect(g) {
    return { x: Number(g.dataset.x), y: Number(g.dataset.y), w: Number(g.dataset.w), h: Number(g.dataset.h) };
  }
  // Brings the nodes into view: all of them, and no closer than readable labels need.
  function showNodes(nodes) {
    if (!nodes.length) { return; }
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    nodes.forEach(function (g) {
      var r = nodeRect(g);
      x0 = Math.min(x0, r.x); y0 = Math.min(y0, r.y);
      x1 = Math.max(x1, r.x + r.w); y1 = Math.max(y1, r.y + r.h);
    });
    // A margin of 30 CSS px at the scale the nodes alone would get, for badges.
    var s = boxSize();
    var pad = 20 + 30 / Math.min(s.w / (x1 - x0 + 40), s.h / (y1 - y0 + 40), READABLE);
    show({ x: x0 - pad, y: y0 - pad, w: x1 - x0 + 2 * pad, h: y1 - y0 + 2 * pad }, READABLE);
  }
  $("zoom-in").addEventListener("click", function () { zoomCentre(1.25); });
  $("zoom-out").addEventListener("click", function () { zoomCentre(0.8); });
  $("zoom-fit").addEventListener("click", fit);
  if (window.ResizeObserver) {
    new ResizeObserver(function () { apply(); }).observe($("diagram"));
  }

  // Wheel and trackpad pinch (a wheel event with ctrlKey) zoom around the pointer.
  $("diagram").addEventListener("wheel", function (e) {
    e.preventDefault();
    var r = canvasRect();
    var dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    zoomAt(Math.exp(-dy * (e.ctrlKey ? 0.01 : 0.0015)), e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });

  // Dragging pans; two fingers pinch. A press that moved is not a click on a node.
  var drag = { pointers: {}, moved: false, last: null };
  function pointerList() { return Object.keys(drag.pointers).map(function (k) { return drag.pointers[k]; }); }
  function gesture() {
    var p = pointerList(), r = canvasRect();
    if (p.length === 1) { return { x: p[0].x - r.left, y: p[0].y - r.top, d: 0 }; }
    var dx = p[1].x - p[0].x, dy = p[1].y - p[0].y;
    return { x: (p[0].x + p[1].x) / 2 - r.left, y: (p[0].y + p[1].y) / 2 - r.top, d: Math.sqrt(dx * dx + dy * dy) };
  }
  $("diagram").addEventListener("pointerdown", function (e) {
    if (e.button !== 0 || Object.keys(drag.pointers).length >= 2) { return; }
    drag.pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
    drag.moved = false;
    drag.start = { x: e.clientX, y: e.clientY };
    drag.last = gesture();
    $("diagram").classList.add("dragging");
  });
  window.addEventListener("pointermove", function (e) {
    if (!drag.pointers[e.pointerId]) { return; }
    drag.pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
    if (Math.abs(e.clientX - drag.start.x) + Math.abs(e.clientY - drag.start.y) > 4) { drag.moved = true; }
    var now = gesture();
    panBy(now.x - drag.last.x, now.y - drag.last.y);
    if (now.d && drag.last.d) { zoomAt(now.d / drag.last.d, now.x, now.y); }
    drag.last = now;
  });
  function release(e) {
    if (!drag.pointers[e.pointerId]) { return; }
    delete drag.pointers[e.pointerId];
    if (pointerList().length) { drag.last = gesture(); } else { $("diagram").classList.remove("dragging"); }
  }
  window.addEventListener("pointerup", release);
  window.addEventListener("pointercancel", release);

  // Keys, with the diagram focused: arrows pan, + and - zoom, 0 fits, Escape clears.
  $("diagram").addEventListener("keydown", function (e) {
    var step = 80;
    var keys = {
      ArrowLeft: function () { panBy(step, 0); }, ArrowRight: function () { panBy(-step, 0); },
      ArrowUp: function () { panBy(0, step); }, ArrowDown: function () { panBy(0, -step); },
      "+": function () { zoomCentre(1.25); }, "=": function () { zoomCentre(1.25); },
      "-": function () { zoomCentre(0.8); }, "0": fit, Escape: clearHighlight
    };
    if (keys[e.key] && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); keys[e.key](); }
  });

  // Search: every node whose id (or description) contains the text is marked; Enter (or
  // Find) brings the best match into view at a readable size, Enter again the next one.
  // The match shown is the diagram's one tab stop, where Enter shows its blast radius.
  var found = { text: "", list: [], at: -1 };
  function matches(text) {
    if (!text) { return []; }
    var scored = [];
    (state.nodes || []).forEach(function (g) {
      var id = g.dataset.id.toLowerCase();
      var title = g.querySelector("title");
      var score = id === text ? 0 : id.indexOf(text) === 0 ? 1 : id.indexOf(text) >= 0 ? 2 :
        title && title.textContent.toLowerCase().indexOf(text) >= 0 ? 3 : -1;
      if (score >= 0) { scored.push({ g: g, score: score }); }
    });
    scored.sort(function (a, b) { return a.score - b.score || (a.g.dataset.id < b.g.dataset.id ? -1 : 1); });
    return scored.map(function (s) { return s.g; });
  }
  function markMatches() {
    var text = $("search").value.trim().toLowerCase();
    found = { text: text, list: matches(text), at: -1 };
    (state.nodes || []).forEach(function (g) {
      g.classList.remove("match");
      g.classList.remove("current");
      g.setAttribute("tabindex", "-1");
    });
    found.list.forEach(function (g) { g.classList.add("match"); });
    $("search-count").textContent = text ? (found.list.length ? found.list.length + " found" : "not found") : "";
    $("search").setAttribute("aria-invalid", text && !found.list.length ? "true" : "false");
  }
  function goToMatch() {
    if ($("search").value.trim().toLowerCase() !== found.text) { markMatches(); }
    if (!found.list.length) { return; }
    if (found.at >= 0) {
      found.list[found.at].classList.remove("current");
      found.list[found.at].setAttribute("tabindex", "-1");
    }
    found.at = (found.at + 1) % found.list.length;
    var g = found.list[found.at];
    g.classList.add("current");
    g.setAttribute("tabindex", "0");
    var r = nodeRect(g), s = boxSize();
    view.scale = clampScale(Math.max(view.scale, READABLE));
    view.x = r.x + r.w / 2 - s.w / 2 / view.scale;
    view.y = r.y + r.h / 2 - s.h / 2 / view.scale;
    apply();
    $("search-count").textContent = (found.at + 1) + " of " + found.list.length + ": " + g.dataset.id;
  }
  $("search").addEventListener("input", markMatches);
  $("search-form").addEventListener("submit", function (e) { e.preventDefault(); goToMatch(); });
  $("search").addEventListener("keydown", function (e) {
    if (e.key === "Escape") { $("search").value = ""; markMatches(); }
  });

  function elements() {
    return state.svg ? Array.prototype.slice.call(state.svg.querySelectorAll("g.node[data-id], g.flow[data-id]")) : [];
  }
  function clearHighlight() {
    if (!state.svg) { return; }
    state.svg.classList.remove("has-hl");
    elements().forEach(function (g) {
      g.classList.remove("hl");
      var line = g.querySelector(".flow-line");
      if (line) { line.setAttribute("marker-end", "url(#gambit-arrow)"); }
    });
    Array.prototype.forEach.call(state.svg.querySelectorAll(".js-step"), function (b) { b.parentNode.removeChild(b); });
    Array.prototype.forEach.call(document.querySelectorAll("#assets button"), function (b) { b.setAttribute("aria-pressed", "false"); });
    clear($("steps"));
  }
  $("clear").addEventListener("click", clearHighlight);
  // A step badge: a red pill with the step numbers and, on a node, the node's id (on its
  // corner; a flow's is half way along its line), in a layer above everything. It keeps a
  // readable size when the view is zoomed out to show a whole path (see scaleBadges).
  function badge(element, steps) {
    var layer = state.svg.querySelector("g.js-badges");
    if (!layer) {
      layer = document.createElementNS(svgNS, "g");
      layer.setAttribute("class", "js-badges js-step");
      state.svg.appendChild(layer);
    }
    var text, x, y;
    if (element.classList.contains("node")) {
      text = steps + " · " + element.dataset.id;
      x = Number(element.dataset.x) - 8;
      y = Number(element.dataset.y);
    } else {
      var line = element.querySelector(".flow-line");
      if (!line || !line.getTotalLength) { return; }
      var mid = line.getPointAtLength(line.getTotalLength() / 2);
      text = steps;
      x = mid.x - 10;
      y = mid.y;
    }
    var w = Math.max(20, text.length * 6.6 + 10);
    var g = document.createElementNS(svgNS, "g");
    g.setAttribute("class", "step-badge");
    g.dataset.id = element.dataset.id;
    g.dataset.ax = String(x);
    g.dataset.ay = String(y);
    var r = document.createElementNS(svgNS, "rect");
    r.setAttribute("x", x); r.setAttribute("y", y - 10);
    r.setAttribute("width", w); r.setAttribute("height", 20); r.setAttribute("rx", 10);
    var t = document.createElementNS(svgNS, "text");
    t.setAttribute("x", x + w / 2); t.setAttribute("y", y + 4);
    t.setAttribute("text-anchor", "middle");
    t.textContent = text;
    g.appendChild(r); g.appendChild(t);
    layer.appendChild(g);
  }
  // Badges are drawn at 10 units; below a scale where that reads as 12 CSS px they are
  // enlarged around their corner so they still do.
  function scaleBadges() {
    var k = Math.max(1, BADGE_PX / 10 / view.scale);
    Array.prototype.forEach.call(state.svg.querySelectorAll("g.js-badges .step-badge"), function (b) {
      var x = b.dataset.ax, y = b.dataset.ay;
      b.setAttribute("transform", "translate(" + x + " " + y + ") scale(" + k + ") translate(" + (-x) + " " + (-y) + ")");
    });
  }
  // steps: {id: [step numbers]}; ids without steps are lit without a badge. The lit
  // nodes are brought into view, all of them.
  function highlight(steps) {
    var lit = [];
    elements().forEach(function (g) {
      var s = steps[g.dataset.id];
      if (!s) { return; }
      g.classList.add("hl");
      var line = g.querySelector(".flow-line");
      if (line) { line.setAttribute("marker-end", "url(#gambit-arrow-hl)"); }
      if (g.classList.contains("node")) { lit.push(g); }
      if (s.length) { badge(g, s.join(", ")); }
    });
    if (lit.length) {
      state.svg.classList.add("has-hl");
      showNodes(lit);
    }
    scaleBadges();
  }

  // ---- assets: their best attack path, step by step ----
  function showAssets(view) {
    var box = $("assets");
    clear(box);
    view.assets.forEach(function (a) {
      var b = el("button", a.id, a.crown_jewel ? "jewel asset-btn" : "asset-btn");
      b.type = "button";
      b.dataset.asset = a.id;
      b.setAttribute("aria-pressed", "false");
      b.title = a.crown_jewel ? "crown jewel" : "";
      b.addEventListener("click", function () { showAssetPaths(a.id, b); });
      box.appendChild(b);
    });
  }
  function showAssetPaths(asset, button) {
    clearHighlight();
    button.setAttribute("aria-pressed", "true");
    var paths = state.view.paths.filter(function (p) { return p.asset === asset; });
    var steps = $("steps");
    if (!paths.length) {
      $("explain-title").textContent = "No attack path of the model reaches " + asset + ".";
      return;
    }
    var best = paths.filter(function (p) { return p.rank === 1; })[0] || paths[0];
    $("explain-title").textContent = best.attacker + " → " + best.access + " " + asset + " (" + paths.length + " path" + (paths.length > 1 ? "s" : "") + "; the best shown)";
    best.steps.forEach(function (s) {
      steps.appendChild(el("li", s.gains + " on " + s.on + " — " + s.technique + " via " + s.via));
    });
    highlight(best.highlight);
  }

  // ---- a component: its blast radius ----
  function blastRadius(id) {
    api(versionPath() + "/blast-radius?component=" + encodeURIComponent(id)).then(function (r) {
      clearHighlight();
      var lit = {};
      lit[id] = [];
      r.components.forEach(function (c) { lit[c.id] = []; });
      highlight(lit);
      $("explain-title").textContent = "Code execution on " + id + " reaches " + r.components.length + " components and " + r.assets.length + " assets:";
      r.assets.forEach(function (a) { $("steps").appendChild(el("li", a.asset + " (" + a.access.join(", ") + ")")); });
    }).catch(function (e) { status(e.message, true); });
  }

  // ---- choke points ----
  function showChokepoints(doc) {
    var list = $("chokepoints");
    clear(list);
    if (!doc.chokepoints.length) { list.appendChild(el("li", "No path reaches a crown jewel.")); }
    doc.chokepoints.forEach(function (c) {
      list.appendChild(el("li", c.fix + " — cuts " + c.cuts + " path" + (c.cuts === 1 ? "" : "s")));
    });
  }

  // ---- threats ----
  var threatRows = [];
  function showThreats(threats) {
    var body = $("threat-table").tBodies[0];
    clear(body);
    threatRows = threats.map(function (t) {
      var tr = document.createElement("tr");
      tr.dataset.severity = t.severity;
      tr.dataset.open = String(t.open);
      tr.dataset.text = (t.id + " " + t.target).toLowerCase();
      tr.appendChild(el("td", t.severity, "sev-" + t.severity));
      var title = el("td");
      title.appendChild(el("div", t.title));
      var id = el("code", t.id);
      id.title = "Use in a decision";
      id.addEventListener("click", function () { $("d-threat").value = t.id; });
      title.appendChild(id);
      tr.appendChild(title);
      tr.appendChild(el("td", t.target));
      tr.appendChild(el("td", t.status + (t.open ? "" : " (closed)")));
      tr.appendChild(el("td", t.on_attack_path ? "yes" : ""));
      body.appendChild(tr);
      return tr;
    });
    filterThreats();
  }
  function filterThreats() {
    var sev = $("f-severity").value, open = $("f-open").value, text = $("f-text").value.trim().toLowerCase();
    var shown = 0;
    threatRows.forEach(function (tr) {
      var ok = (!sev || tr.dataset.severity === sev) && (!open || tr.dataset.open === open) &&
        (!text || tr.dataset.text.indexOf(text) >= 0);
      tr.hidden = !ok;
      if (ok) { shown += 1; }
    });
    $("threat-count").textContent = shown + " of " + threatRows.length;
  }
  ["f-severity", "f-open", "f-text"].forEach(function (id) { $(id).addEventListener("input", filterThreats); });

  // ---- questions ----
  $("ask-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var q = $("question").value.trim();
    if (!q || !state.project) { return; }
    api(base() + "/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question: q, version: state.version })
    }).then(function (r) {
      $("answer").textContent = r.answer;
      var list = $("suggestions");
      clear(list);
      (r.suggestions || []).forEach(function (s) { list.appendChild(el("li", s)); });
      if (r.query && r.result) { highlightAnswer(r); }
    }).catch(function (err) { $("answer").textContent = err.message; });
  });
  // An answer about paths or a blast radius is shown on the diagram too.
  function highlightAnswer(r) {
    if (r.query.kind === "paths" && r.result.attack_paths.length) {
      var btn = document.querySelector('#assets button[data-asset="' + CSS.escape(r.query.asset) + '"]');
      if (btn) { showAssetPaths(r.query.asset, btn); }
    } else if (r.query.kind === "blast-radius") {
      blastRadius(r.query.component);
    }
  }

  // ---- decisions ----
  $("decision-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var body = { threat: $("d-threat").value.trim(), status: $("d-status").value };
    if ($("d-justification").value.trim()) { body.justification = $("d-justification").value.trim(); }
    if ($("d-expires").value) { body.expires = $("d-expires").value; }
    api(base() + "/decisions", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (row) {
      $("d-result").textContent = "Recorded (#" + row.id + ").";
      return loadVersion();
    }).catch(function (err) { $("d-result").textContent = err.message; });
  });

  // ---- versions, trend, diff ----
  // Where the latest version stands today: decisions recorded since it was pushed, and
  // acceptances that have expired, change this line but not the version's trend point.
  function showNow(now) {
    $("now").textContent = now ? "Now, with today's decisions: version " + now.version + " has " +
      now.open_threats.critical + " critical and " + now.open_threats.high + " high threats open, " +
      now.crown_jewels_exposed + " crown jewels exposed." : "";
  }
  function showTrend(points) {
    var body = $("versions").tBodies[0];
    clear(body);
    points.slice().reverse().forEach(function (p) {
      var tr = document.createElement("tr");
      [p.version, p.revision || "", p.created_at, p.open_threats.critical, p.open_threats.high, p.crown_jewels_exposed].forEach(function (v) { tr.appendChild(el("td", v)); });
      var td = el("td");
      if (p.version > 1) {
        var b = el("button", "diff with " + (p.version - 1));
        b.type = "button";
        b.addEventListener("click", function () { showDiff(p.version - 1, p.version); });
        td.appendChild(b);
      }
      tr.appendChild(td);
      body.appendChild(tr);
    });
    var svg = $("trend");
    clear(svg);
    if (points.length < 1) { return; }
    var max = 1;
    points.forEach(function (p) { max = Math.max(max, p.open_threats.critical, p.open_threats.high, p.crown_jewels_exposed); });
    var x = function (i) { return points.length === 1 ? 300 : 30 + i * 540 / (points.length - 1); };
    var y = function (v) { return 140 - v * 120 / max; };
    [["critical", function (p) { return p.open_threats.critical; }], ["high", function (p) { return p.open_threats.high; }], ["jewels", function (p) { return p.crown_jewels_exposed; }]].forEach(function (s) {
      var line = document.createElementNS(svgNS, "polyline");
      line.setAttribute("class", s[0]);
      line.setAttribute("points", points.map(function (p, i) { return x(i) + "," + y(s[1](p)); }).join(" "));
      svg.appendChild(line);
    });
    var label = document.createElementNS(svgNS, "text");
    label.setAttribute("x", 30); label.setAttribute("y", 155);
    label.textContent = "open critical (red), high (orange), crown jewels exposed (blue, dashed); max " + max;
    svg.appendChild(label);
  }
  function showDiff(from, to) {
    api(base() + "/diff?from=" + from + "&to=" + to).then(function (d) {
      var box = $("diff");
      clear(box);
      box.appendChild(el("h3", "From version " + from + " to " + to));
      var list = el("ul");
      d.threats.added.forEach(function (t) { list.appendChild(el("li", "+ " + t.id + " (" + t.severity + ")")); });
      d.threats.resolved.forEach(function (t) { list.appendChild(el("li", "− " + t.id + " (" + t.severity + ")")); });
      d.threats.changed.forEach(function (t) { list.appendChild(el("li", "~ " + t.id + ": " + t.from.severity + " → " + t.to.severity)); });
      list.appendChild(el("li", d.attack_paths.added.length + " attack paths added, " + d.attack_paths.removed.length + " removed"));
      box.appendChild(list);
    }).catch(function (e) { status(e.message, true); });
  }

  $("project").addEventListener("change", function () { state.project = $("project").value; loadVersions(); });
  $("version").addEventListener("change", function () { state.version = $("version").value; loadVersion(); });
  $("login").addEventListener("submit", function (e) {
    e.preventDefault();
    sessionStorage.setItem("gambit-token", $("token").value.trim());
    $("token").value = "";
    loadProjects();
  });
  if (token()) { loadProjects(); } else { status("Give an API token (gambit token create)."); }
})();
