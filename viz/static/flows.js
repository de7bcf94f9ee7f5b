/* coopgraph flows: switches the Sankey between its precomputed variants. Nothing is fetched.
   Sets window.coopgraph.ready (and readyMs, from navigation start) once plotly has drawn. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("coop-data").textContent);
  var chart = document.getElementById("flows");
  var config = { displaylogo: false, responsive: true, showLink: false, showSendToCloud: false,
                 modeBarButtonsToRemove: ["select2d", "lasso2d"] };
  var state = { source: "type", target: "sdg", money: "cooperant" };
  window.coopgraph = { ready: false, readyMs: null, variant: null, variants: D.variants };

  function key() { return state.source + "-" + state.target + "-" + state.money; }

  function draw() {
    var variant = D.variants[key()];
    window.coopgraph.variant = key();
    var total = document.getElementById("flows-total");
    if (!variant || variant.links === 0) {
      total.textContent = D.text.empty;
      return Plotly.react(chart, [], D.layout, config);
    }
    total.textContent = D.text.total.replace("{amount}", variant.total)
      .replace("{n}", variant.contributions.toLocaleString(D.lang === "es" ? "es-CO" : "en"));
    return Plotly.react(chart, [variant.trace], D.layout, config);
  }

  ["source", "target", "money"].forEach(function (name) {
    document.getElementById("flows-" + name).addEventListener("change", function (ev) {
      state[name] = ev.target.value;
      draw();
    });
  });
  window.coopgraph.current = function () {
    var trace = chart.data && chart.data[0];
    if (!trace) { return { nodes: 0, links: 0, total: 0 }; }
    var sourceIndex = {}, total = 0;
    trace.link.source.forEach(function (s, i) {
      // money leaving the first column
      if (!trace.link.target.some(function (t) { return t === s; })) { total += trace.link.value[i]; }
    });
    return { nodes: trace.node.label.length, links: trace.link.value.length, total: total, variant: key(),
             svgNodes: chart.querySelectorAll(".sankey-node").length,
             svgLinks: chart.querySelectorAll(".sankey-link").length };
  };
  Promise.resolve(draw()).then(function () {
    window.coopgraph.ready = true;
    window.coopgraph.readyMs = performance.now();
    document.documentElement.setAttribute("data-ready", "1");
  });
}());
