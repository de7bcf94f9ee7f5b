/* coopgraph maps: filters, search, legend and size controls over a vis-network map.
   Data comes from the page's JSON (#coop-data); nothing is fetched. The page sets
   window.coopgraph.ready (and readyMs, from navigation start) after its first drawing. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("coop-data").textContent);
  var T = D.text;
  var FACETS = ["sector", "sdg", "year", "type"];
  var nodes = new vis.DataSet(D.nodes);
  var edges = new vis.DataSet(D.edges);
  var state = { filters: {}, hidden: {}, hideIsolated: false, sizeBy: D.sizeBy || "money" };
  var shownNodes = new Set(D.nodes.map(function (n) { return n.id; }));
  var shownEdges = new Set(D.edges.map(function (e) { return e.id; }));
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return shownNodes.has(n.id); } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return shownEdges.has(e.id); } });
  var byId = {};
  D.nodes.forEach(function (n) { byId[n.id] = n; });

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k] !== undefined ? values[k] : ""; });
  }
  function count(n) { return n.toLocaleString(D.lang === "es" ? "es-CO" : "en"); }

  function has(facets, key, value, strict) {
    var list = facets && facets[key];
    if (!list || list.length === 0) { return !strict; }  // links without a facet follow their nodes
    for (var i = 0; i < list.length; i++) { if (String(list[i]) === value) { return true; } }
    return false;
  }

  function compute() {
    var active = FACETS.filter(function (f) { return state.filters[f]; });
    var vn = new Set(), ve = new Set(), degree = {};
    D.nodes.forEach(function (n) {
      if (state.hidden[n.legend]) { return; }
      for (var i = 0; i < active.length; i++) {
        if (!has(n.facets, active[i], state.filters[active[i]], true)) { return; }
      }
      vn.add(n.id);
    });
    D.edges.forEach(function (e) {
      if (!vn.has(e.from) || !vn.has(e.to)) { return; }
      for (var i = 0; i < active.length; i++) {
        if (!has(e.facets, active[i], state.filters[active[i]], false)) { return; }
      }
      ve.add(e.id);
      degree[e.from] = (degree[e.from] || 0) + 1;
      degree[e.to] = (degree[e.to] || 0) + 1;
    });
    if (state.hideIsolated) {
      vn.forEach(function (id) { if (!degree[id] && id !== D.center) { vn.delete(id); } });
    }
    return { nodes: vn, edges: ve };
  }

  function apply() {
    var shown = compute();
    shownNodes = shown.nodes;
    shownEdges = shown.edges;
    nodeView.refresh();
    edgeView.refresh();
    document.getElementById("counts").textContent = fmt(T.counts, {
      nodes: count(shownNodes.size), total_nodes: count(D.nodes.length),
      edges: count(shownEdges.size), total_edges: count(D.edges.length) });
  }

  var container = document.getElementById("map");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, D.options);

  // ---- controls -------------------------------------------------------------------------
  Array.prototype.forEach.call(document.querySelectorAll("select.filter"), function (select) {
    select.addEventListener("change", function () {
      state.filters[select.dataset.facet] = select.value;
      apply();
    });
  });
  document.getElementById("hide-isolated").addEventListener("change", function (ev) {
    state.hideIsolated = ev.target.checked;
    apply();
  });
  document.getElementById("size-by").addEventListener("change", function (ev) {
    state.sizeBy = ev.target.value;
    nodes.update(D.nodes.map(function (n) {
      return { id: n.id, size: n.sizes[state.sizeBy], font: { size: n.fonts[state.sizeBy] } };
    }));
  });
  Array.prototype.forEach.call(document.querySelectorAll(".legend-item"), function (button) {
    button.addEventListener("click", function () {
      var key = button.dataset.legend;
      state.hidden[key] = !state.hidden[key];
      button.setAttribute("aria-pressed", state.hidden[key] ? "false" : "true");
      apply();
    });
  });
  document.getElementById("reset").addEventListener("click", function () { reset(); });

  function reset() {
    state.filters = {};
    state.hidden = {};
    state.hideIsolated = false;
    Array.prototype.forEach.call(document.querySelectorAll("select.filter"), function (s) { s.value = ""; });
    Array.prototype.forEach.call(document.querySelectorAll(".legend-item"), function (b) {
      b.setAttribute("aria-pressed", "true");
    });
    document.getElementById("hide-isolated").checked = false;
    apply();
    network.fit({ animation: false });
  }

  // ---- search and details ---------------------------------------------------------------
  var names = document.getElementById("node-names");
  var seen = {};
  D.nodes.forEach(function (n) {
    [n.label, n.name].forEach(function (text) {
      if (text && !seen[text]) {
        seen[text] = true;
        var option = document.createElement("option");
        option.value = text;
        names.appendChild(option);
      }
    });
  });

  function find(query) {
    var q = query.trim().toLowerCase();
    if (!q) { return null; }
    var exact = null, partial = null;
    for (var i = 0; i < D.nodes.length; i++) {
      var n = D.nodes[i];
      var label = String(n.label || "").toLowerCase(), name = String(n.name || "").toLowerCase();
      if (n.id.toLowerCase() === q || label === q || name === q) { exact = n; break; }
      if (!partial && (label.indexOf(q) >= 0 || name.indexOf(q) >= 0)) { partial = n; }
    }
    return exact || partial;
  }

  function select(id) {
    if (!shownNodes.has(id)) { reset(); }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: false });
    details(id);
  }

  function search() {
    var input = document.getElementById("search-input");
    var message = document.getElementById("search-message");
    var found = find(input.value);
    message.textContent = found || !input.value.trim() ? "" : fmt(T.not_found, { q: input.value.trim() });
    if (found) { select(found.id); }
    return found ? found.id : null;
  }
  var searchInput = document.getElementById("search-input");
  searchInput.addEventListener("change", search);
  searchInput.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); search(); } });

  function details(id) {
    var body = document.getElementById("details-body");
    body.textContent = "";
    var n = id && byId[id];
    if (!n) {
      var p = document.createElement("p");
      p.className = "hint";
      p.textContent = T.details_empty;
      body.appendChild(p);
      return;
    }
    var h = document.createElement("h3");
    h.textContent = n.name;
    var pre = document.createElement("pre");
    pre.textContent = n.title;
    body.appendChild(h);
    body.appendChild(pre);
    var linkable = ["cooperant", "entity", "network", "sdg", "pdd-objective", "sector", "engagement"];
    var served = /^https?:$/.test(window.location.protocol);
    var profiled = ["cooperant", "entity", "network", "sdg", "pdd-objective", "engagement"];
    if (served && profiled.indexOf(n.kind) >= 0) {
      var p = document.createElement("a");
      p.className = "open-profile";
      p.href = D.profileBase + "/" + n.kind + "/" + encodeURIComponent(id.slice(id.indexOf(":") + 1)) + "?lang=" + D.lang;
      p.textContent = T.open_profile;
      body.appendChild(p);
    }
    if (served && linkable.indexOf(n.kind) >= 0 && id !== D.center) {
      var a = document.createElement("a");
      a.href = D.base + "/ego?id=" + encodeURIComponent(id) + "&lang=" + D.lang;
      a.textContent = T.open_ego;
      body.appendChild(a);
    }
  }
  network.on("selectNode", function (params) { details(params.nodes[0]); });
  network.on("deselectNode", function () { details(null); });

  // ---- ready ----------------------------------------------------------------------------
  window.coopgraph = {
    network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
    ready: false, readyMs: null, center: D.center,
    visible: function () { return { nodes: shownNodes.size, edges: shownEdges.size }; },
    setFilter: function (facet, value) {
      var s = document.getElementById("filter-" + facet);
      s.value = value;
      s.dispatchEvent(new Event("change"));
      return this.visible();
    },
    search: function (text) { searchInput.value = text; return search(); },
    reset: reset
  };
  network.once("afterDrawing", function () {
    window.coopgraph.ready = true;
    window.coopgraph.readyMs = performance.now();
    document.documentElement.setAttribute("data-ready", "1");
  });
  if (D.center && byId[D.center]) {
    network.selectNodes([D.center]);
    details(D.center);
  }
  apply();
}());
