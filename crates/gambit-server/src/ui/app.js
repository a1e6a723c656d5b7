// Gambit server UI: plain JavaScript, no libraries, no requests to other hosts. Model
// text is only ever set with textContent; the diagram is gambit's own SVG (escaped by
// it), whose nodes and flows carry data-id for highlighting, as in the HTML report.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var svgNS = "http://www.w3.org/2000/svg";
  var state = { project: null, version: null, view: null, svg: null, box: null };

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

  // ---- the diagram: pan, zoom, search, highlight ----
  var sheet = null;
  function showDiagram(view) {
    // The diagram's style sheet is taken out before the SVG is parsed (the page's
    // policy allows no inline style element, not even in a parsed document) and goes
    // through the CSS object model instead.
    var text = view.svg, css = "";
    text = text.replace(/<style[^>]*>([\s\S]*?)<\/style>/g, function (_, body) {
      css += body.replace("<![CDATA[", "").replace("]]>", "");
      return "";
    });
    var doc = new DOMParser().parseFromString(text, "image/svg+xml");
    var svg = doc.documentElement;
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
    var vb = node.getAttribute("viewBox");
    var parts = vb ? vb.split(/[\s,]+/).map(Number) : [0, 0, 1000, 600];
    state.box = { x: parts[0], y: parts[1], w: parts[2], h: parts[3], full: parts.slice() };
    node.removeAttribute("width");
    node.removeAttribute("height");
    Array.prototype.forEach.call(node.querySelectorAll("g.node[data-id]"), function (g) {
      g.addEventListener("click", function (e) { e.stopPropagation(); blastRadius(g.dataset.id); });
    });
  }
  function setBox() {
    var b = state.box;
    if (state.svg && b) { state.svg.setAttribute("viewBox", [b.x, b.y, b.w, b.h].join(" ")); }
  }
  function zoom(factor) {
    var b = state.box;
    if (!b) { return; }
    var cx = b.x + b.w / 2, cy = b.y + b.h / 2;
    b.w *= factor; b.h *= factor;
    b.x = cx - b.w / 2; b.y = cy - b.h / 2;
    setBox();
  }
  $("zoom-in").addEventListener("click", function () { zoom(0.8); });
  $("zoom-out").addEventListener("click", function () { zoom(1.25); });
  $("zoom-fit").addEventListener("click", function () {
    if (!state.box) { return; }
    var f = state.box.full;
    state.box.x = f[0]; state.box.y = f[1]; state.box.w = f[2]; state.box.h = f[3];
    setBox();
  });
  $("diagram").addEventListener("wheel", function (e) { e.preventDefault(); zoom(e.deltaY > 0 ? 1.1 : 0.9); }, { passive: false });
  (function pan() {
    var from = null;
    var box = $("diagram");
    box.addEventListener("mousedown", function (e) { from = { x: e.clientX, y: e.clientY }; });
    window.addEventListener("mouseup", function () { from = null; });
    window.addEventListener("mousemove", function (e) {
      if (!from || !state.box) { return; }
      var scale = state.box.w / box.clientWidth;
      state.box.x -= (e.clientX - from.x) * scale;
      state.box.y -= (e.clientY - from.y) * scale;
      from = { x: e.clientX, y: e.clientY };
      setBox();
    });
  })();
  $("search").addEventListener("input", function () {
    var text = $("search").value.trim().toLowerCase();
    elements().forEach(function (g) {
      g.classList.toggle("match", !!text && g.classList.contains("node") && g.dataset.id.toLowerCase().indexOf(text) >= 0);
    });
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
  function badge(node, text) {
    var x = Number(node.dataset.x), y = Number(node.dataset.y);
    var w = Math.max(20, text.length * 6.6 + 10);
    var g = document.createElementNS(svgNS, "g");
    g.setAttribute("class", "step-badge js-step");
    var r = document.createElementNS(svgNS, "rect");
    r.setAttribute("x", x - 8); r.setAttribute("y", y - 10);
    r.setAttribute("width", w); r.setAttribute("height", 20); r.setAttribute("rx", 10);
    var t = document.createElementNS(svgNS, "text");
    t.setAttribute("x", x - 8 + w / 2); t.setAttribute("y", y + 4);
    t.setAttribute("text-anchor", "middle");
    t.textContent = text;
    g.appendChild(r); g.appendChild(t);
    node.appendChild(g);
  }
  // steps: {id: [step numbers]}; ids without steps are lit without a badge.
  function highlight(steps) {
    var any = false;
    elements().forEach(function (g) {
      var s = steps[g.dataset.id];
      if (!s) { return; }
      any = true;
      g.classList.add("hl");
      var line = g.querySelector(".flow-line");
      if (line) { line.setAttribute("marker-end", "url(#gambit-arrow-hl)"); }
      if (s.length && g.classList.contains("node")) { badge(g, s.join(", ")); }
    });
    if (any) { state.svg.classList.add("has-hl"); }
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
