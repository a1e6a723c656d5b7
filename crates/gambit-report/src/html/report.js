// Gambit HTML report: sorting and filtering the threat table, the risk matrix as a
// filter, and highlighting attack paths on the diagram. No network, no libraries.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("gambit-data").textContent);
  var svgNS = "http://www.w3.org/2000/svg";

  // ---- threat table: filters ----
  var table = document.getElementById("threat-table");
  var rows = table ? Array.prototype.slice.call(table.tBodies[0].rows) : [];
  var controls = {
    severity: document.getElementById("f-severity"),
    stride: document.getElementById("f-stride"),
    status: document.getElementById("f-status"),
    element: document.getElementById("f-element")
  };
  var matrixCell = null;
  var shown = document.getElementById("threat-shown");

  function applyFilters() {
    var sev = controls.severity.value, stride = controls.stride.value;
    var status = controls.status.value, text = controls.element.value.trim().toLowerCase();
    var count = 0;
    rows.forEach(function (row) {
      var d = row.dataset;
      var ok = (!sev || d.severity === sev) &&
        (!stride || (" " + d.stride + " ").indexOf(" " + stride + " ") >= 0) &&
        (!status || (status === "open" ? d.open === "true" : d.status === status)) &&
        (!text || d.target.toLowerCase().indexOf(text) >= 0 || d.id.toLowerCase().indexOf(text) >= 0) &&
        (!matrixCell || (d.likelihood === matrixCell.likelihood && d.impact === matrixCell.impact));
      row.hidden = !ok;
      if (ok) { count += 1; }
    });
    if (shown) { shown.textContent = count + " of " + rows.length; }
  }
  Object.keys(controls).forEach(function (k) {
    if (controls[k]) {
      controls[k].addEventListener("input", applyFilters);
      controls[k].addEventListener("change", applyFilters);
    }
  });
  var reset = document.getElementById("f-reset");
  if (reset) {
    reset.addEventListener("click", function () {
      Object.keys(controls).forEach(function (k) { controls[k].value = ""; });
      selectCell(null);
    });
  }

  // ---- threat table: sorting ----
  var headers = table ? Array.prototype.slice.call(table.tHead.rows[0].cells) : [];
  headers.forEach(function (th) {
    if (!th.dataset.key) { return; }
    th.classList.add("sortable");
    th.setAttribute("tabindex", "0");
    var sort = function () {
      var key = th.dataset.key, numeric = th.dataset.numeric === "true";
      var asc = !th.classList.contains("sorted-asc");
      headers.forEach(function (h) { h.classList.remove("sorted-asc", "sorted-desc"); });
      th.classList.add(asc ? "sorted-asc" : "sorted-desc");
      var body = table.tBodies[0];
      rows.slice().sort(function (a, b) {
        var x = a.dataset[key], y = b.dataset[key];
        var c = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        if (c === 0) { c = a.dataset.id.localeCompare(b.dataset.id); }
        return asc ? c : -c;
      }).forEach(function (row) { body.appendChild(row); });
    };
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
  });

  // ---- risk matrix: a cell filters the table ----
  function selectCell(td) {
    Array.prototype.forEach.call(document.querySelectorAll(".matrix td.selected"), function (c) { c.classList.remove("selected"); });
    if (td && (!matrixCell || matrixCell.td !== td)) {
      td.classList.add("selected");
      matrixCell = { td: td, likelihood: td.dataset.likelihood, impact: td.dataset.impact };
    } else {
      matrixCell = null;
    }
    applyFilters();
  }
  Array.prototype.forEach.call(document.querySelectorAll(".matrix td[data-likelihood]"), function (td) {
    if (td.classList.contains("empty")) { return; }
    td.addEventListener("click", function () {
      selectCell(td);
      document.getElementById("threats").scrollIntoView({ behavior: "smooth" });
    });
  });

  // ---- attack paths on the diagram ----
  var svg = document.querySelector("#diagram svg.gambit-diagram");
  function elements() {
    return svg ? Array.prototype.slice.call(svg.querySelectorAll("g.node[data-id], g.flow[data-id]")) : [];
  }
  function clearPath() {
    if (!svg) { return; }
    svg.classList.remove("has-hl");
    elements().forEach(function (el) {
      el.classList.remove("hl");
      var line = el.querySelector(".flow-line");
      if (line) { line.setAttribute("marker-end", "url(#gambit-arrow)"); }
    });
    Array.prototype.forEach.call(svg.querySelectorAll(".js-step"), function (b) { b.parentNode.removeChild(b); });
    Array.prototype.forEach.call(document.querySelectorAll(".path-btn"), function (b) { b.setAttribute("aria-pressed", "false"); });
  }
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
  function showPath(index) {
    clearPath();
    var path = data.paths[index];
    if (!svg || !path) { return; }
    var any = false;
    elements().forEach(function (el) {
      var steps = path.highlight[el.dataset.id];
      if (!steps) { return; }
      any = true;
      el.classList.add("hl");
      var line = el.querySelector(".flow-line");
      if (line) { line.setAttribute("marker-end", "url(#gambit-arrow-hl)"); }
      if (steps.length && el.classList.contains("node")) { badge(el, steps.join(", ")); }
    });
    if (any) {
      svg.classList.add("has-hl");
      var first = svg.querySelector("g.node.hl");
      if (first && first.scrollIntoView) { first.scrollIntoView({ block: "nearest", inline: "nearest" }); }
    }
    var btn = document.querySelector('.path-btn[data-path="' + index + '"]');
    if (btn) { btn.setAttribute("aria-pressed", "true"); }
  }
  Array.prototype.forEach.call(document.querySelectorAll(".path-btn"), function (btn) {
    btn.addEventListener("click", function () {
      var index = Number(btn.dataset.path);
      if (btn.getAttribute("aria-pressed") === "true") { clearPath(); } else { showPath(index); }
    });
  });
  // A threat's element: highlight it (a flow also lights its two ends) and show it.
  Array.prototype.forEach.call(document.querySelectorAll(".target-link"), function (link) {
    link.addEventListener("click", function () {
      clearPath();
      if (!svg) { return; }
      var target = link.dataset.target, lit = false;
      var all = elements();
      var flow = all.filter(function (f) { return f.dataset.id === target && f.classList.contains("flow"); })[0];
      all.forEach(function (el) {
        var id = el.dataset.id;
        if (id === target || (flow && (id === flow.dataset.from || id === flow.dataset.to))) {
          el.classList.add("hl");
          var line = el.querySelector(".flow-line");
          if (line) { line.setAttribute("marker-end", "url(#gambit-arrow-hl)"); }
          lit = true;
        }
      });
      if (lit) {
        svg.classList.add("has-hl");
        document.getElementById("diagram").scrollIntoView();
      }
    });
  });

  var clear = document.getElementById("path-clear");
  if (clear) { clear.addEventListener("click", clearPath); }

  var zoom = document.getElementById("zoom");
  var box = document.getElementById("diagram-box");
  if (zoom && box) {
    zoom.addEventListener("click", function () {
      var actual = box.classList.toggle("actual");
      zoom.textContent = actual ? "Fit to width" : "Actual size";
    });
  }

  applyFilters();
  document.documentElement.dataset.ready = "true";
})();
