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
      if (state.hidden[e.legend]) { return; }  // stated, derived or outside links hidden from the legend
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
    if (network) { network.fit({ animation: false }); fitLabels(); }  // re-fit: what the filters leave fills the view
    saveState();
  }

  // Labels read the same at any zoom: never more than LABEL_MAX px on screen (vis only scales them up).
  var LABEL_MAX = 18, LABEL_READ = 12, LABEL_SMALL = 10, labelFrame = null;
  function fitLabels() {
    if (!network) { return; }
    var scale = network.getScale(), cap = Math.max(LABEL_MAX / scale, 10), changes = [];
    D.nodes.forEach(function (n) {
      var want = Math.min(n.fonts ? n.fonts[state.sizeBy] : ((n.font && n.font.size) || 14), cap);
      // the important ones read at any zoom; the others once zooming in leaves room for them (declutter)
      want = Math.min(Math.max(want, (n.labelled ? LABEL_READ : LABEL_SMALL) / scale), Math.max(cap, LABEL_READ / scale));
      if (n.shownFont !== want) { n.shownFont = want; changes.push({ id: n.id, font: { size: want } }); }
    });
    if (changes.length) { nodes.update(changes); }
    declutter();
  }

  // Labels never overlap and never clip at the map's edge: at the current zoom, each label's box (vis draws it
  // centred under its node, `drawn` px high) is measured with the page's font; the most important node's label
  // goes first (the centre, the selection, then by D.nodes' rank) and a label that would touch one already
  // placed, or cross the edge, is left out until zooming in makes room.
  var FACE = (D.options.nodes && D.options.nodes.font && D.options.nodes.font.face) || "sans-serif";
  var MIN_PX = 6, PAD = 2;
  var measure = document.createElement("canvas").getContext("2d"), widths = {};
  function textWidth(text, px) {
    var key = px.toFixed(1) + "|" + text;
    if (widths[key] === undefined) { measure.font = px.toFixed(2) + "px " + FACE; widths[key] = measure.measureText(text).width; }
    return widths[key];
  }
  D.nodes.forEach(function (n) { n.fullLabel = n.label || ""; });
  function declutter() {
    if (!network) { return; }
    var scale = network.getScale(), W = container.clientWidth, H = container.clientHeight;
    var selected = network.getSelectedNodes();
    var ids = Array.from(shownNodes).filter(function (id) { return byId[id]; });
    ids.sort(function (a, b) {
      var pa = a === D.center ? 0 : selected.indexOf(a) >= 0 ? 1 : 2, pb = b === D.center ? 0 : selected.indexOf(b) >= 0 ? 1 : 2;
      return (pa - pb) || ((byId[a].rank || 0) - (byId[b].rank || 0));
    });
    var pos = network.getPositions(ids), changes = [], grid = {}, CELL = 64;
    function cells(b, visit) {  // the grid cells a box touches, so a check looks at its neighbours only
      for (var gx = Math.floor(b.l / CELL); gx <= Math.floor(b.r / CELL); gx++) {
        for (var gy = Math.floor(b.t / CELL); gy <= Math.floor(b.b / CELL); gy++) {
          if (visit(gx + "," + gy) === false) { return false; }
        }
      }
      return true;
    }
    function take(b) { cells(b, function (k) { (grid[k] = grid[k] || []).push(b); }); }
    function free(b) {
      return cells(b, function (k) {
        var list = grid[k] || [];
        for (var i = 0; i < list.length; i++) {
          var o = list[i];
          if (b.l < o.r && o.l < b.r && b.t < o.b && o.t < b.b) { return false; }
        }
      });
    }
    ids.forEach(function (id) {  // the nodes themselves: a label never covers another node
      var n = byId[id], p = pos[id] && network.canvasToDOM(pos[id]);
      var r = (n.sizes ? n.sizes[state.sizeBy] : (n.size || 10)) * scale;
      if (p && r >= 4 && p.x + r >= 0 && p.x - r <= W && p.y + r >= 0 && p.y - r <= H) {
        take({ l: p.x - r, r: p.x + r, t: p.y - r, b: p.y + r });
      }
    });
    ids.forEach(function (id) {
      var n = byId[id], text = n.fullLabel, want = "";
      var font = n.shownFont || (n.fonts ? n.fonts[state.sizeBy] : ((n.font && n.font.size) || 14));
      var px = font * scale;
      var shift = 0;
      if (text && px >= MIN_PX && pos[id]) {
        // vis-network puts an outside label's top at half the node's height + half the font + 4 below its centre;
        // when that place is taken, the label may go above the node instead (font.vadjust moves it up)
        var p = network.canvasToDOM(pos[id]), size = n.sizes ? n.sizes[state.sizeBy] : (n.size || 10);
        var below = p.y + (size + font / 2 + 4) * scale, w = textWidth(text, px);
        var above = p.y - (size + 3) * scale - px, options = [[below, 0], [above, (above - below) / scale]];
        for (var k = 0; k < options.length && !want; k++) {
          var box = { l: p.x - w / 2 - PAD, r: p.x + w / 2 + PAD, t: options[k][0] - PAD, b: options[k][0] + px + PAD };
          var inside = box.l >= 0 && box.r <= W && box.t >= 0 && box.b <= H;
          if (inside && free(box)) { take(box); want = text; shift = options[k][1]; }
        }
      }
      shift = Math.round(shift * 100) / 100;
      if (n.shownLabel !== want || (want && n.shownShift !== shift)) {
        n.shownLabel = want; n.shownShift = shift;
        changes.push({ id: id, label: want, font: { size: n.shownFont || font, vadjust: shift } });
      }
    });
    if (changes.length) { nodes.update(changes); }
  }

  var container = document.getElementById("map");
  var network = null;
  network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, D.options);

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
    saveState();
    nodes.update(D.nodes.map(function (n) {
      n.shownFont = null;
      return { id: n.id, size: n.sizes[state.sizeBy] };
    }));
    fitLabels();
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
    state.expanded = [];
    Array.prototype.forEach.call(document.querySelectorAll("select.filter"), function (s) { s.value = ""; });
    Array.prototype.forEach.call(document.querySelectorAll(".legend-item"), function (b) {
      b.setAttribute("aria-pressed", "true");
    });
    document.getElementById("hide-isolated").checked = false;
    apply();
    network.fit({ animation: false });
  }

  // ---- search and details ---------------------------------------------------------------
  // The same rules as coopgraph.analysis.search (the API and the CLI), so every search finds the same node.
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
      if (best > 0 && (byId[e[0]] || unlinkedById[e[0]])) { scored.push({ id: e[0], kind: e[1], score: best, weight: e[3] || 0, len: e[4] || 0 }); }
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
    return hits.length ? (byId[hits[0].id] || unlinkedById[hits[0].id]) : null;
  }
  var results = document.getElementById("search-results");
  function showResults(query) {
    results.textContent = "";
    rank(query, 8).forEach(function (hit) {
      var li = document.createElement("li"), b = document.createElement("button"), k = document.createElement("span");
      b.type = "button";
      b.dataset.id = hit.id;
      var found = byId[hit.id] || unlinkedById[hit.id];
      b.textContent = found.name;
      k.className = "hit-kind";
      k.textContent = found.kindName || hit.kind;
      b.appendChild(k);
      b.addEventListener("click", function () { results.textContent = ""; select(hit.id); });
      li.appendChild(b);
      results.appendChild(li);
    });
  }

  function select(id) {
    if (!byId[id]) {  // an unlinked cooperant: listed beside the map, not drawn
      network.unselectAll();
      currentDetail = id;
      details(id);
      var item = document.querySelector('.unlinked-list button[data-id="' + id + '"]');
      if (item) { item.scrollIntoView({ block: "nearest" }); item.focus(); }
      saveState();
      return;
    }
    if (!shownNodes.has(id)) { reset(); }
    currentDetail = null;
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.6), animation: false });
    fitLabels();
    details(id);
    saveState();
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

  // Money never wraps between its sign and its digits: in the panel each amount is a nowrap span, in the
  // tooltips (plain text) its spaces become non-breaking ones.
  var MONEY = /((?:[A-Z]{1,3}\$|\$|€|£|¥)\s-?\d[\d.,]*)/g;
  function richText(el, text) {
    String(text).split(MONEY).forEach(function (part, i) {
      if (i % 2) {
        var span = document.createElement("span");
        span.className = "money";
        span.textContent = part.replace(/\s/g, "\u00a0");
        el.appendChild(span);
      } else if (part) { el.appendChild(document.createTextNode(part)); }
    });
  }
  function unbreakable(text) { return String(text).replace(MONEY, function (m) { return m.replace(/\s/g, "\u00a0"); }); }

  function details(id) {
    var body = document.getElementById("details-body");
    body.textContent = "";
    var n = id && (byId[id] || unlinkedById[id]);
    if (!n) {
      var p = document.createElement("p");
      p.className = "hint";
      p.textContent = T.details_empty;
      body.appendChild(p);
      return;
    }
    var h = document.createElement("h3");
    h.textContent = n.name;
    body.appendChild(h);
    var lines = String(n.title || "").split("\n");
    if (n.link && n.link.length && id !== D.center) {  // its link with the centre first, then its own totals
      var box = document.createElement("div");
      box.className = "center-link";
      n.link.forEach(function (line, i) {
        var p = document.createElement(i === 0 ? "strong" : "p");
        richText(p, line);
        box.appendChild(p);
      });
      body.appendChild(box);
      lines = lines.slice(n.link.length + 2);
    }
    var pre = document.createElement("pre");
    richText(pre, lines.join("\n"));
    body.appendChild(pre);
    var linkable = ["cooperant", "entity", "network", "sdg", "pdd-objective", "sector", "engagement"];
    var served = /^https?:$/.test(window.location.protocol);
    var profiled = ["cooperant", "entity", "network", "sdg", "pdd-objective", "sector", "engagement"];
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
    if (byId[id] && hiddenNeighbours(id).nodes.length) {
      var b = document.createElement("button");
      b.type = "button";
      b.id = "expand";
      b.textContent = T.expand;
      b.addEventListener("click", function () { expand(id); });
      body.appendChild(b);
    }
  }
  network.on("selectNode", function (params) { currentDetail = null; details(params.nodes[0]); saveState(); });
  network.on("deselectNode", function () { currentDetail = null; details(null); saveState(); });
  network.on("dragEnd", function () { declutter(); });
  network.on("resize", function () { declutter(); });
  network.on("zoom", function () {
    if (labelFrame === null) { labelFrame = requestAnimationFrame(function () { labelFrame = null; fitLabels(); }); }
  });
  network.on("showPopup", function () {
    var popup = network.interactionHandler && network.interactionHandler.popup;
    if (!popup || !popup.frame) { return; }
    var text = popup.frame.innerText, fixed = unbreakable(text);
    if (fixed !== text) { popup.frame.innerText = fixed; popup.show(); }
  });
  network.on("doubleClick", function (params) { if (params.nodes.length) { expand(params.nodes[0]); } });

  // ---- expand a node's neighbours in place (the next ring ships hidden in D.reserve) ------
  var reserve = D.reserve || { nodes: [], edges: [] };
  var reserveById = {};
  reserve.nodes.forEach(function (n) { reserveById[n.id] = n; });
  var unlinkedById = {};
  D.unlinked.forEach(function (u) { unlinkedById[u.id] = u; });
  state.expanded = [];

  function hiddenNeighbours(id) {
    var found = {}, links = [];
    reserve.edges.forEach(function (e) {
      if (e.from !== id && e.to !== id) { return; }
      var other = e.from === id ? e.to : e.from;
      if (!byId[other] && reserveById[other]) { found[other] = true; }
    });
    var ids = Object.keys(found);
    return { nodes: ids, links: links };
  }

  function expand(id) {
    var add = hiddenNeighbours(id).nodes;
    var message = document.getElementById("share-message");
    if (!add.length) { message.textContent = T.nothing_to_expand; return 0; }
    var at = network.getPositions([id])[id] || { x: 0, y: 0 };
    var radius = 140 + 12 * add.length;
    var fresh = add.map(function (nid, i) {
      var angle = 2 * Math.PI * i / add.length;
      var n = Object.assign({}, reserveById[nid], { x: at.x + radius * Math.cos(angle), y: at.y + radius * Math.sin(angle) });
      n.fullLabel = n.label || "";
      byId[nid] = n;
      D.nodes.push(n);
      return n;
    });
    var newEdges = reserve.edges.filter(function (e) {
      return byId[e.from] && byId[e.to] && !edges.get(e.id) &&
        (add.indexOf(e.from) >= 0 || add.indexOf(e.to) >= 0);
    });
    newEdges.forEach(function (e) { D.edges.push(e); });
    nodes.add(fresh);
    edges.add(newEdges);
    if (state.expanded.indexOf(id) < 0) { state.expanded.push(id); }
    apply();
    network.selectNodes([id]);
    details(id);
    message.textContent = fmt(T.expanded, { n: count(fresh.length) });
    saveState();
    return fresh.length;
  }

  // ---- the view in the URL: filters, hidden legend entries, selection, expanded nodes ----
  var restoring = true;
  function saveState() {
    if (restoring || !network) { return; }
    var parts = [];
    FACETS.forEach(function (f) { if (state.filters[f]) { parts.push(f + "=" + encodeURIComponent(state.filters[f])); } });
    var hidden = Object.keys(state.hidden).filter(function (k) { return state.hidden[k]; });
    if (hidden.length) { parts.push("hide=" + hidden.map(encodeURIComponent).join(",")); }
    if (state.hideIsolated) { parts.push("isolated=0"); }
    if (state.sizeBy !== (D.sizeBy || "money")) { parts.push("size=" + state.sizeBy); }
    if (state.expanded.length) { parts.push("expand=" + state.expanded.map(encodeURIComponent).join(",")); }
    var selected = network.getSelectedNodes()[0] || currentDetail;
    if (selected && selected !== D.center) { parts.push("node=" + encodeURIComponent(selected)); }
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (window.location.hash !== hash) {
      history.replaceState(null, "", window.location.href.split("#")[0] + hash);
    }
  }
  function readHash() {
    var out = {};
    window.location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      if (!pair) { return; }
      var i = pair.indexOf("=");
      out[decodeURIComponent(pair.slice(0, i))] = pair.slice(i + 1);
    });
    return out;
  }
  function restoreState() {
    var h = readHash();
    FACETS.forEach(function (f) {
      var select = document.getElementById("filter-" + f);
      if (h[f] !== undefined && select) { select.value = decodeURIComponent(h[f]); state.filters[f] = select.value; }
    });
    (h.hide ? h.hide.split(",") : []).forEach(function (k) {
      k = decodeURIComponent(k);
      state.hidden[k] = true;
      var b = document.querySelector('.legend-item[data-legend="' + k + '"]');
      if (b) { b.setAttribute("aria-pressed", "false"); }
    });
    if (h.isolated === "0") { state.hideIsolated = true; document.getElementById("hide-isolated").checked = true; }
    if (h.size && h.size !== state.sizeBy) {
      var s = document.getElementById("size-by");
      s.value = h.size;
      s.dispatchEvent(new Event("change"));
    }
    apply();
    (h.expand ? h.expand.split(",") : []).forEach(function (id) { if (byId[decodeURIComponent(id)]) { expand(decodeURIComponent(id)); } });
    var node = h.node ? decodeURIComponent(h.node) : null;
    if (node && (byId[node] || unlinkedById[node])) {
      if (byId[node]) {
        network.selectNodes([node]);
        network.focus(node, { scale: Math.max(network.getScale(), 0.6), animation: false });
        fitLabels();
      }
      else { currentDetail = node; }
      details(node);
    }
    document.getElementById("share-message").textContent = "";
  }
  var currentDetail = null;
  Array.prototype.forEach.call(document.querySelectorAll(".unlinked-list button"), function (b) {
    b.addEventListener("click", function () { network.unselectAll(); currentDetail = b.dataset.id; details(b.dataset.id); saveState(); });
  });
  document.getElementById("copy-link").addEventListener("click", function () {
    saveState();
    var url = window.location.href;
    var done = function () { document.getElementById("share-message").textContent = T.link_copied; };
    if (navigator.clipboard && navigator.clipboard.writeText) { navigator.clipboard.writeText(url).then(done, done); } else { done(); }
  });

  // ---- PNG and SVG of the current view ----------------------------------------------------
  function fileName(ext) {
    return (D.title || "mapa").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-|-$/g, "").toLowerCase() + "." + ext;
  }
  function download(href, name) {
    var a = document.createElement("a");
    a.href = href;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  function exportPNG() {
    var source = container.querySelector("canvas");
    var header = 34, out = document.createElement("canvas");
    out.width = source.width;
    out.height = source.height + header;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = "#1b1b1b";
    ctx.font = "600 18px system-ui, sans-serif";
    ctx.fillText(D.title || "", 12, 23);
    ctx.drawImage(source, 0, header);
    return out.toDataURL("image/png");
  }
  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function colourOf(c) { return typeof c === "string" ? c : (c && (c.background || c.color)) || "#888888"; }
  function exportSVG() {
    var w = container.clientWidth, h = container.clientHeight, header = 34, scale = network.getScale();
    var ids = Array.from(shownNodes), pos = network.getPositions(ids), dom = {};
    ids.forEach(function (id) { dom[id] = network.canvasToDOM(pos[id]); });
    var inside = function (p, r) { return p.x + r >= 0 && p.x - r <= w && p.y + r >= 0 && p.y - r <= h; };
    var out = ['<svg xmlns="http://www.w3.org/2000/svg" width="' + w + '" height="' + (h + header) + '" viewBox="0 0 ' + w + " " + (h + header) + '">',
      '<rect width="100%" height="100%" fill="#ffffff"/>',
      '<text x="12" y="23" font-family="system-ui, sans-serif" font-size="18" font-weight="600" fill="#1b1b1b">' + esc(D.title || "") + "</text>",
      '<g transform="translate(0,' + header + ')" font-family="system-ui, sans-serif">'];
    var drawnEdges = 0, drawnNodes = 0;
    edgeView.get().forEach(function (e) {
      var a = dom[e.from], b = dom[e.to];
      if (!a || !b || (!inside(a, 0) && !inside(b, 0))) { return; }
      drawnEdges++;
      out.push('<line class="edge" x1="' + a.x.toFixed(1) + '" y1="' + a.y.toFixed(1) + '" x2="' + b.x.toFixed(1) + '" y2="' + b.y.toFixed(1) +
        '" stroke="' + esc(colourOf(e.color)) + '" stroke-width="' + Math.max(0.5, (e.width || 1) * scale).toFixed(2) + '"' +
        (e.dashes ? ' stroke-dasharray="4 3"' : "") + "/>");
    });
    nodeView.get().forEach(function (n) {
      var p = dom[n.id], r = Math.max(1.5, (n.size || 8) * scale);
      if (!p || !inside(p, r)) { return; }
      drawnNodes++;
      var fill = esc(colourOf(n.color)), x = p.x.toFixed(1), y = p.y.toFixed(1);
      var shape = n.shape === "square" ? '<rect class="node" x="' + (p.x - r).toFixed(1) + '" y="' + (p.y - r).toFixed(1) + '" width="' + (2 * r).toFixed(1) + '" height="' + (2 * r).toFixed(1) + '" fill="' + fill + '"'
        : '<circle class="node" cx="' + x + '" cy="' + y + '" r="' + r.toFixed(1) + '" fill="' + fill + '"';
      out.push(shape + ' data-id="' + esc(n.id) + '"><title>' + esc(n.name) + "</title></" + (n.shape === "square" ? "rect" : "circle") + ">");
      var font = ((n.font && n.font.size) || 14) * scale;
      if (font >= 4 && n.label) {
        out.push('<text x="' + x + '" y="' + (p.y + r + font).toFixed(1) + '" font-size="' + font.toFixed(1) +
          '" text-anchor="middle" fill="#1b1b1b" stroke="#ffffff" stroke-width="' + (font / 5).toFixed(1) + '" paint-order="stroke">' + esc(n.label) + "</text>");
      }
    });
    out.push("</g></svg>");
    return { svg: out.join("\n"), nodes: drawnNodes, edges: drawnEdges };
  }
  document.getElementById("export-png").addEventListener("click", function () { download(exportPNG(), fileName("png")); });
  document.getElementById("export-svg").addEventListener("click", function () {
    download("data:image/svg+xml;charset=utf-8," + encodeURIComponent(exportSVG().svg), fileName("svg"));
  });

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
    expand: expand, exportPNG: exportPNG, exportSVG: exportSVG, saveState: saveState,
    select: select, declutter: declutter,
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
  restoreState();
  restoring = false;
  saveState();
}());
