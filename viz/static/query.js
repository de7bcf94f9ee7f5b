/* The analysts' query page (/query): named queries as forms, your own Cypher in Neo4j's editor, results
   as a table (money the Colombian way) and as a graph. Everything runs through the API; nothing leaves
   coopgraph's origin. */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("query-config").textContent);
  const T = config.text;
  const schema = config.schema;
  const $ = (id) => document.getElementById(id);
  const say = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k]);
  const KEY = "coopgraph.apiKey";            // sessionStorage: asked once per browser session
  const HISTORY = "coopgraph.queryHistory";  // localStorage: kept across sessions, this browser only
  const HISTORY_MAX = 30;
  const api = window.coopgraph = { ready: false, runs: 0, busy: false };

  // -- numbers: money as the report writes it ($ 1.234.567,89), in both languages ----------------------
  function group(digits, sep) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  }
  function copFromCents(cents) {
    const n = Math.round(Number(cents));
    const abs = Math.abs(n);
    return (n < 0 ? "-" : "") + "$ " + group(String(Math.floor(abs / 100)), ".") + "," + String(abs % 100).padStart(2, "0");
  }
  const copFromPesos = (pesos) => copFromCents(Math.round(Number(pesos) * 100));
  const isMoney = (column) => /_(cop|cents)$/.test(column);
  const PLAIN_NUMBER = /(^|_)(year|number|sdg|objective|id|code|iati_type|rank)$/;  // 2024, not 2.024
  function number(value, column) {
    if (PLAIN_NUMBER.test(column)) return String(value);
    const [whole, frac] = String(Math.abs(value)).split(".");
    const es = config.lang === "es";
    return (value < 0 ? "-" : "") + group(whole, es ? "." : ",") + (frac ? (es ? "," : ".") + frac : "");
  }
  api.copFromCents = copFromCents;

  // -- values of an answer: nodes and relationships carry _label, paths _NODES and _RELS ---------------
  const isNode = (v) => v && typeof v === "object" && schema.keys[v._label] !== undefined;
  const isRel = (v) => v && typeof v === "object" && schema.relationshipTypes.includes(v._label);
  const isPath = (v) => v && typeof v === "object" && Array.isArray(v._NODES);
  function nodeName(node) {
    if (node._label === "SDG" && node.number != null) return (config.lang === "es" ? "ODS " : "SDG ") + node.number;
    if (node._label === "Contribution" && typeof node.total_cents === "number") {  // its money says more than its id
      const text = copFromCents(node.total_cents);
      return node.currency && node.currency !== "COP" ? text.replace("$ ", node.currency + " ") : text;
    }
    return node.acronym || node.name || node.title || node.id || node.number || node._label;
  }
  function cellText(value, column) {
    if (value === null || value === undefined) return "—";
    if (typeof value === "boolean") return value ? T.yes : T.no;
    if (typeof value === "number") return isMoney(column) ? moneyText(value, column) : number(value, column);
    if (isPath(value)) return value._NODES.map(nodeName).join(" — ");
    if (isNode(value)) return `(:${value._label}) ${nodeName(value)}`;
    if (isRel(value)) return `[:${value._label}]`;
    if (Array.isArray(value)) return value.map((v) => cellText(v, column)).join(", ");
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
  }
  function moneyText(value, column) {
    return column.endsWith("_cents") ? copFromCents(value) : copFromPesos(value);
  }

  // -- the table: a *_cents column beside its *_cop twin is the same money, shown once -----------------
  function shownColumns(columns) {
    return columns.filter((c) => !(c.endsWith("_cents") && columns.includes(c.slice(0, -6) + "_cop")));
  }
  function drawTable(data) {
    const columns = shownColumns(data.columns);
    const head = $("result-table").tHead, body = $("result-table").tBodies[0];
    head.replaceChildren(row("th", columns.map((c) => ({ text: c, column: c }))));
    body.replaceChildren(...data.rows.map((r) => row("td", columns.map((c) => {
      const twin = c.endsWith("_cop") ? r[c.slice(0, -4) + "_cents"] : undefined;  // exact integer centavos
      const text = typeof twin === "number" ? copFromCents(twin) : cellText(r[c], c);
      return { text, column: c, value: r[c] };
    }))));
  }
  function row(tag, cells) {
    const tr = document.createElement("tr");
    for (const cell of cells) {
      const el = document.createElement(tag);
      el.textContent = cell.text;
      if (isMoney(cell.column)) el.className = "money";
      else if (typeof cell.value === "number") el.className = "num";
      else if (cell.text.length <= 24) el.className = "short";
      if (cell.value === null) el.classList.add("null");
      tr.appendChild(el);
    }
    return tr;
  }

  // -- the graph: relationships join the nodes beside them in a row (RETURN a, r, b) or along a path ---
  const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
                   "#bcbd22", "#7f7f7f", "#393b79", "#637939", "#843c39", "#7b4173"];
  const colourOf = (label) => PALETTE[Math.max(0, schema.labels.indexOf(label)) % PALETTE.length];
  function graphOf(data) {
    const nodes = new Map(), edges = new Map();
    const nodeId = (n) => `${n._label}:${n[schema.keys[n._label]] ?? JSON.stringify(n)}`;
    for (const r of data.rows) {
      const sequence = [];
      const flatten = (v) => {
        if (isPath(v)) v._NODES.forEach((n, i) => { sequence.push(n); if (v._RELS[i]) sequence.push(v._RELS[i]); });
        else if (isNode(v) || isRel(v)) sequence.push(v);
        else if (Array.isArray(v)) v.forEach(flatten);
      };
      data.columns.forEach((c) => flatten(r[c]));
      let last = null, pending = null;
      for (const v of sequence) {
        if (isRel(v)) { pending = v; continue; }
        const id = nodeId(v);
        if (!nodes.has(id)) {
          const word = (schema.words[config.lang] || {})[v._label] || v._label;
          const name = String(nodeName(v));
          nodes.set(id, { id, label: name.length > 36 ? name.slice(0, 35) + "…" : name, title: `${word}: ${name}`,
                          group: v._label, color: colourOf(v._label), shape: "dot", size: 12 });
        }
        if (pending && last && last !== id) {
          const key = [last, id].sort().join("|") + "|" + pending._label;
          const word = (schema.relationshipWords[config.lang] || {})[pending._label] || pending._label;
          edges.set(key, { id: key, from: last, to: id, label: word, title: `${word} (:${pending._label})` });
        }
        last = id; pending = null;
      }
    }
    return { nodes: [...nodes.values()], edges: [...edges.values()] };
  }
  function drawGraph(graph) {
    $("graph-note").textContent = graph.nodes.length
      ? say(T.graph_counts, { nodes: graph.nodes.length, edges: graph.edges.length }) : T.no_graph;
    if (api.network) api.network.destroy();
    api.network = null;
    const labels = [...new Set(graph.nodes.map((n) => n.group))];
    $("graph-legend").replaceChildren(...labels.map((label) => {
      const item = document.createElement("span");
      const dot = Object.assign(document.createElement("span"), { className: "dot" });
      dot.style.background = colourOf(label);
      item.append(dot, (schema.words[config.lang] || {})[label] || label);
      return item;
    }));
    if (!graph.nodes.length) return;
    api.nodes = new vis.DataSet(graph.nodes);
    api.edges = new vis.DataSet(graph.edges);
    api.network = new vis.Network($("graph"), { nodes: api.nodes, edges: api.edges }, {
      nodes: { font: { size: 13, color: "#222" }, borderWidth: 1 },
      edges: { color: { color: "#999", highlight: "#333" }, font: { size: 10, color: "#666", strokeWidth: 3 },
               smooth: false },
      physics: { stabilization: { iterations: 300 }, barnesHut: { springLength: 120 } },
      interaction: { hover: true, tooltipDelay: 150 },
    });
    api.network.once("stabilizationIterationsDone", () => api.network.fit());
  }
  function showTab(which) {
    for (const name of ["table", "graph"]) {
      $("tab-" + name).setAttribute("aria-selected", String(name === which));
      $(name + "-view").hidden = name !== which;
    }
    if (which === "graph" && api.pendingGraph) { drawGraph(api.pendingGraph); api.pendingGraph = null; }
  }
  $("tab-table").addEventListener("click", () => showTab("table"));
  $("tab-graph").addEventListener("click", () => showTab("graph"));

  // -- messages: one line, naming what the API refused -------------------------------------------------
  function message(text, kind) {
    const line = $("message");
    line.textContent = text || "";
    line.title = text || "";
    line.className = kind || "";
  }
  function errorLine(body, status) {
    const text = (body && body.message) || `HTTP ${status}`;
    const refused = /^refused: /i.test(text);
    return `${refused ? T.refused : T.error} — ${text.replace(/^refused: /i, "")}`;
  }

  // -- running: a named query by GET, your own Cypher by POST with the key ----------------------------
  async function run(request) {
    api.busy = true;
    message(T.running, "busy");
    const started = performance.now();
    try {
      const answer = await fetch(request.url, request.init || {});
      const raw = await answer.text();
      let body = null;
      try { body = JSON.parse(raw); } catch (e) { body = null; }
      if (answer.status === 401 && request.kind === "cypher") {
        sessionStorage.removeItem(KEY);
        askKey(T.key_wrong);
        return;
      }
      if (!answer.ok || !body) {
        message(errorLine(body, answer.status), "error");
        return;
      }
      remember(request);
      show(request, body, raw, Math.round(performance.now() - started));
    } catch (error) {
      message(`${T.error} — ${error.message}`, "error");
    } finally {
      api.busy = false;
      api.runs += 1;
    }
  }
  function show(request, data, raw, ms) {
    api.last = { request, data, raw };
    message("", "");
    $("results").hidden = false;
    const n = data.rows.length;
    $("result-count").textContent = (n === 1 ? T.row : say(T.rows, { n: number(n, "rows") })) + " " + say(T.took, { ms });
    $("truncated").hidden = !data.truncated;
    $("truncated").textContent = say(T.truncated, { n });
    if (!n) { $("result-table").tHead.replaceChildren(); $("result-table").tBodies[0].replaceChildren(); }
    else drawTable(data);
    if (!n) message(T.empty, "");
    const graph = graphOf(data);
    $("tab-graph").disabled = !graph.nodes.length;
    const onlyGraph = graph.nodes.length && data.columns.every((c) => data.rows.every(
      (r) => r[c] === null || isNode(r[c]) || isRel(r[c]) || isPath(r[c])));
    api.pendingGraph = graph;
    showTab(onlyGraph ? "graph" : "table");
    if (api.ready) $("results").scrollIntoView({ block: "nearest" });  // a run the analyst asked for, not the page's first
  }
  function namedRequest(name, params) {
    const query = new URLSearchParams(params).toString();
    return { kind: "named", name, params, url: `${config.api}/queries/${encodeURIComponent(name)}${query ? "?" + query : ""}` };
  }
  function cypherRequest(text) {
    return { kind: "cypher", query: text, url: `${config.api}/cypher`,
             init: { method: "POST", headers: { "Content-Type": "application/json", "X-API-Key": sessionStorage.getItem(KEY) || "" },
                     body: JSON.stringify({ query: text, params: {} }) } };
  }
  api.runNamed = (name, params) => run(namedRequest(name, params || {}));
  api.runCypher = function (text) {
    if (text !== undefined) setEditorText(text);
    const query = editorText().trim();
    if (!query) return Promise.resolve();
    if (!sessionStorage.getItem(KEY)) { askKey(T.key_needed); return Promise.resolve(); }
    return run(cypherRequest(query));
  };

  // -- the API key: asked once, kept in this tab only -------------------------------------------------
  function askKey(why) {
    $("key-form").hidden = false;
    $("key-forget").hidden = true;
    message(why, "error");
    $("api-key").focus();
  }
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY, $("api-key").value);
    $("api-key").value = "";
    $("key-form").hidden = true;
    $("key-forget").hidden = false;
    api.runCypher();
  });
  $("key-forget").hidden = !sessionStorage.getItem(KEY);
  $("key-forget").addEventListener("click", () => { sessionStorage.removeItem(KEY); $("key-forget").hidden = true; });

  // -- named queries as forms, with a URL that fills and runs them -------------------------------------
  const byName = Object.fromEntries(config.queries.map((q) => [q.name, q]));
  function openForm(name, given) {
    const q = byName[name];
    $("named-select").value = q ? name : "";
    $("named-form").hidden = !q;
    if (!q) return;
    $("named-description").textContent = q.description;
    const fields = $("named-params");
    fields.replaceChildren(fields.querySelector("legend") || document.createElement("legend"));
    fields.querySelector("legend").textContent = T.params;
    if (!q.params.length) fields.appendChild(Object.assign(document.createElement("p"), { className: "hint", textContent: T.no_params }));
    for (const p of q.params) {
      const label = document.createElement("label");
      const value = given && given[p.name] !== undefined ? given[p.name] : p.default;
      let input;
      if (p.type === "bool") {
        input = document.createElement("select");
        for (const [v, text] of [["true", T.yes], ["false", T.no]]) input.add(new Option(text, v));
        input.value = String(value) === "false" ? "false" : "true";
      } else {
        input = document.createElement("input");
        input.type = p.type === "int" || p.type === "float" ? "number" : "text";
        if (p.type === "float") input.step = "any";
        input.value = value === null || value === undefined ? "" : String(value);
      }
      input.name = p.name;
      input.dataset.type = p.type;
      input.id = "param-" + p.name;
      label.htmlFor = input.id;
      label.textContent = `${p.name} (${p.type})`;
      const hint = Object.assign(document.createElement("small"), { className: "hint",
        textContent: (p.description ? p.description + " · " : "") + say(T.default, { value: p.default === "" ? "''" : String(p.default) }) });
      const wrap = document.createElement("div");
      wrap.className = "param";
      wrap.append(label, input, hint);
      fields.appendChild(wrap);
    }
    $("named-share").href = shareUrl(name, formParams(q));
  }
  function formParams(q) {
    const params = {};
    for (const p of q.params) {
      const input = $("param-" + p.name);
      if (!input || (input.value === "" && p.type !== "string" && p.type !== "name")) continue;
      params[p.name] = input.value;
    }
    return params;
  }
  function changed(name, params) {  // only what differs from the defaults keeps links and history short
    const out = {};
    for (const p of byName[name].params) {
      if (params[p.name] !== undefined && String(params[p.name]) !== String(p.default)) out[p.name] = params[p.name];
    }
    return out;
  }
  function shareUrl(name, params) {
    const wanted = new URLSearchParams({ name, ...changed(name, params) });
    if (config.lang !== "es") wanted.set("lang", config.lang);
    return `${config.page}?${wanted}`;
  }
  $("named-select").addEventListener("change", () => openForm($("named-select").value));
  $("named-params").addEventListener("input", () => {
    const name = $("named-select").value;
    if (name) $("named-share").href = shareUrl(name, formParams(byName[name]));
  });
  $("named-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const name = $("named-select").value;
    const params = formParams(byName[name]);
    history.replaceState(null, "", shareUrl(name, params));
    $("named-share").href = location.href;
    api.runNamed(name, params);
  });
  $("named-to-editor").addEventListener("click", () => setEditorText(byName[$("named-select").value].cypher.trim()));

  // -- history, in this browser ------------------------------------------------------------------------
  const readHistory = () => { try { return JSON.parse(localStorage.getItem(HISTORY)) || []; } catch (e) { return []; } };
  function remember(request) {  // the newest first; the same query run again moves to the top
    const entry = request.kind === "named" ? { kind: "named", name: request.name, params: changed(request.name, request.params) }
                                           : { kind: "cypher", query: request.query };
    const same = JSON.stringify(entry);
    const kept = readHistory().filter((e) => JSON.stringify({ ...e, at: undefined }) !== same);
    localStorage.setItem(HISTORY, JSON.stringify([{ ...entry, at: new Date().toISOString() }, ...kept].slice(0, HISTORY_MAX)));
    drawHistory();
  }
  function drawHistory() {
    const entries = readHistory();
    $("history-empty").hidden = entries.length > 0;
    $("history-clear").hidden = !entries.length;
    $("history-list").replaceChildren(...entries.map((e) => {
      const li = document.createElement("li");
      const button = Object.assign(document.createElement("button"), { type: "button", className: "link" });
      const kind = Object.assign(document.createElement("span"), { className: "kind",
        textContent: e.kind === "named" ? T.kind_named : T.kind_cypher });
      button.append(kind, e.kind === "named"
        ? e.name + Object.entries(e.params).map(([k, v]) => ` ${k}=${v}`).join("")
        : e.query.replace(/\s+/g, " "));
      button.title = e.kind === "named" ? e.name : e.query;
      button.addEventListener("click", () => {
        if (e.kind === "named") { openForm(e.name, e.params); api.runNamed(e.name, e.params); }
        else api.runCypher(e.query);
      });
      li.appendChild(button);
      return li;
    }));
  }
  $("history-clear").addEventListener("click", () => { localStorage.removeItem(HISTORY); drawHistory(); });

  // -- downloads: CSV and XLSX from the server (escaped, Excel-ready), JSON as the API answered --------
  async function download(format) {
    const last = api.last;
    if (!last) return null;
    const base = last.request.kind === "named" ? last.request.name : "consulta";
    let blob;
    if (format === "json") {
      blob = new Blob([last.raw], { type: "application/json" });
    } else {
      const r = last.request;
      const answer = r.kind === "named"
        ? await fetch(`${config.api}/queries/${encodeURIComponent(r.name)}/export?` +
                      new URLSearchParams({ ...r.params, format }))
        : await fetch(`${config.api}/cypher/export?format=${format}`, {
            method: "POST", headers: { "Content-Type": "application/json", "X-API-Key": sessionStorage.getItem(KEY) || "" },
            body: JSON.stringify({ query: r.query, params: {} }) });
      if (!answer.ok) {
        let body = null;
        try { body = await answer.json(); } catch (e) { body = null; }
        message(errorLine(body, answer.status), "error");
        return null;
      }
      blob = await answer.blob();
    }
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `${base}.${format}`;
    document.body.appendChild(link);
    if (!api.noSave) link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    return { name: link.download, size: blob.size, type: blob.type };
  }
  api.download = download;
  for (const format of ["csv", "json", "xlsx"]) $("download-" + format).addEventListener("click", () => download(format));

  // -- the editor: Neo4j's Cypher support for CodeMirror 6, completing this graph's vocabulary ---------
  const params = new URLSearchParams(location.search);
  const { createCypherEditor, keymap, Prec } = window.CypherEditor;
  const runKey = Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => { api.runCypher(); return true; } }]));
  const { editor } = createCypherEditor($("editor"), {
    value: params.get("cypher") || config.example, autofocus: false, lineNumbers: true, lint: true, theme: "light",
    lineWrapping: true, lineNumberFormatter: (line) => String(line),
    schema: { labels: schema.labels, relationshipTypes: schema.relationshipTypes, propertyKeys: schema.propertyKeys },
    preExtensions: [runKey],
  });
  api.editor = editor;
  const editorText = () => editor.codemirror.state.doc.toString();
  function setEditorText(text) { editor.setValue(text); }
  $("run").addEventListener("click", () => api.runCypher());

  drawHistory();
  const start = params.get("name");
  const ready = () => { api.ready = true; api.readyMs = performance.now(); };
  if (start && byName[start]) {  // a shared link: fill the form and run it
    const given = {};
    for (const p of byName[start].params) if (params.has(p.name)) given[p.name] = params.get(p.name);
    openForm(start, given);
    api.runNamed(start, formParams(byName[start])).then(ready);
  } else {
    if (start) message(`${T.error} — ${start}?`, "error");
    ready();
  }
})();
