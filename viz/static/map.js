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
  // The same rules as coopgraph.graph.search (the API and the CLI), so every search finds the same node.
  var S = D.search || { entries: D.nodes.map(function (n) {
    return [n.id, n.kind, [fold(n.name), fold(n.label)], 0]; }), stopwords: [], kindRank: {}, fuzzyMin: 0.75, strong: 80, idf: {}, unknownIdf: 1 };
  var STOP = new Set(S.stopwords);
  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }
  function content(words) {
    var kept = words.filter(function (w) { return !STOP.has(w); });
    return kept.length ? kept : words;
  }
  function levenshteinSimilarity(a, b) {  // rapidfuzz's Levenshtein.normalized_similarity
    if (a === b) { return 1; }
    var m = a.length, n = b.length, prev = [], cur = [], i, j;
    for (j = 0; j <= n; j++) { prev[j] = j; }
    for (i = 1; i <= m; i++) {
      cur = [i];
      for (j = 1; j <= n; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      prev = cur;
    }
    return 1 - prev[n] / Math.max(m, n);
  }
  function similar(word, words) {
    var best = 0;
    for (var i = 0; i < words.length; i++) {
      var other = words[i];
      if (other === word) { return 1; }
      if (word.length >= 3 && other.indexOf(word) === 0) { best = Math.max(best, 0.95); }
      else if (word.length >= 4) { best = Math.max(best, levenshteinSimilarity(word, other)); }
    }
    return best;
  }
  function wordScore(w, words) { return w.length >= 4 ? similar(w, words) : (words.indexOf(w) >= 0 ? 1 : 0); }
  function round3(x) { return Math.round(x * 1000) / 1000; }
  function score(query, term) {
    if (!query || !term) { return 0; }
    if (term === query) { return 100; }
    if (term.indexOf(query) === 0) { return 92; }
    var words = term.split(" "), asked = content(query.split(" "));
    if (asked.every(function (w) { return words.indexOf(w) >= 0; })) { return 88; }
    if (asked.every(function (w) { return words.some(function (x) { return x.indexOf(w) === 0; }); })) { return 84; }
    if (term.indexOf(query) >= 0) { return 80; }
    var sims = asked.map(function (w) { return wordScore(w, words); });
    if (sims.length && Math.min.apply(null, sims) >= S.fuzzyMin) {
      return round3(60 + 20 * sims.reduce(function (a, b) { return a + b; }, 0) / sims.length);
    }
    return 0;
  }
  function bagScore(query, words) {
    var asked = content(query.split(" "));
    var sims = asked.map(function (w) { return wordScore(w, words); });
    if (!sims.length) { return 0; }
    var found = sims.filter(function (x) { return x >= S.fuzzyMin; }).length;
    if (found === asked.length) {
      return round3(Math.min(78, 58 + 20 * sims.reduce(function (a, b) { return a + b; }, 0) / sims.length));
    }
    var longFound = asked.some(function (w, i) { return sims[i] >= S.fuzzyMin && w.length >= 4; });
    if (longFound && 2 * found >= asked.length) {
      var rarity = asked.map(function (w) { return S.idf[w] !== undefined ? S.idf[w] : S.unknownIdf; });
      var total = rarity.reduce(function (a, b) { return a + b; }, 0), got = 0;
      rarity.forEach(function (r, i) { if (sims[i] >= S.fuzzyMin) { got += r; } });
      return round3(40 + 20 * got / total);
    }
    return 0;
  }
  function rank(query, limit) {
    var q = fold(query), scored = [];
    if (!q) { return []; }
    S.entries.forEach(function (e) {
      var best = 0, terms = e[2];
      terms.forEach(function (t) { var s = score(q, t); if (s > best) { best = s; } });
      if (best < 78) {
        var words = [];
        terms.forEach(function (t) { t.split(" ").forEach(function (w) { if (words.indexOf(w) < 0) { words.push(w); } }); });
        words.sort();
        best = Math.max(best, bagScore(q, words));
      }
      if (best > 0 && byId[e[0]]) { scored.push({ id: e[0], kind: e[1], score: best, weight: e[3] || 0, len: e[4] || 0 }); }
    });
    scored.sort(function (a, b) {
      var ra = S.kindRank[a.kind] !== undefined ? S.kindRank[a.kind] : 9, rb = S.kindRank[b.kind] !== undefined ? S.kindRank[b.kind] : 9;
      return (b.score - a.score) || (ra - rb) || (b.weight - a.weight) ||
        (a.len - b.len) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    if (scored.length && scored[0].score >= S.strong) {
      scored = scored.filter(function (h) { return h.score >= 58; });
    }
    return scored.slice(0, limit || 8);
  }
  function find(query) {
    var hits = rank(query, 1);
    return hits.length ? byId[hits[0].id] : null;
  }
  var results = document.getElementById("search-results");
  function showResults(query) {
    results.textContent = "";
    rank(query, 8).forEach(function (hit) {
      var li = document.createElement("li"), b = document.createElement("button"), k = document.createElement("span");
      b.type = "button";
      b.dataset.id = hit.id;
      b.textContent = byId[hit.id].name;
      k.className = "hit-kind";
      k.textContent = byId[hit.id].kindName || hit.kind;
      b.appendChild(k);
      b.addEventListener("click", function () { results.textContent = ""; select(hit.id); });
      li.appendChild(b);
      results.appendChild(li);
    });
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
  searchInput.addEventListener("input", function () { showResults(searchInput.value); });
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
    rank: function (text, limit) { return rank(text, limit); },
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
