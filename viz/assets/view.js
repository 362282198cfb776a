/* policykg views: draw the embedded graph with vis-network, then focus, find and filter.
 * Reads three JSON blocks written by viz/render.py: #pkg-data (nodes, edges), #pkg-options
 * (vis-network options) and #pkg-view (view name, physics, filter choices).
 * Sets window.PKG_NODES (the node data), window.PKG_NETWORK and, once the layout is fixed,
 * window.PKG_READY = true and <body data-ready="1"> (what the browser tests wait for).
 */
(function () {
  "use strict";
  function readJson(id) { return JSON.parse(document.getElementById(id).textContent); }
  var data = readJson("pkg-data");
  var options = readJson("pkg-options");
  var view = readJson("pkg-view");
  window.PKG_NODES = data.nodes;
  window.PKG_READY = false;

  var FADED = view.faded;
  var byId = {};
  var original = {};
  var adj = {}, out = {}, inn = {};
  data.nodes.forEach(function (n) {
    byId[n.id] = n;
    original[n.id] = { color: n.color, font: n.font || {} };
    adj[n.id] = []; out[n.id] = []; inn[n.id] = [];
  });
  var originalEdge = {};
  data.edges.forEach(function (e, i) {
    e.id = "e" + i;
    originalEdge[e.id] = e.color;
    if (!(e.from in adj) || !(e.to in adj)) { return; }
    adj[e.from].push(e.to); adj[e.to].push(e.from);
    out[e.from].push(e.to); inn[e.to].push(e.from);
  });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var visible = null;  // null: no filter; else a Set of node ids to show
  var nodeView = new vis.DataView(nodes, {
    filter: function (n) { return visible === null || visible.has(n.id); }
  });
  var edgeView = new vis.DataView(edges, {
    filter: function (e) { return visible === null || (visible.has(e.from) && visible.has(e.to)); }
  });
  var container = document.getElementById("pkg-network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  window.PKG_NETWORK = network;

  function fitStart() { network.fit({ animation: false }); }
  function ready() {
    // A link such as tree.html#2030年前碳达峰行动方案 opens focused on that node (label or id).
    var wanted = decodeURIComponent(window.location.hash.slice(1));
    if (wanted) {
      var id = wanted in byId ? wanted : byLabel[wanted];
      if (id !== undefined) { focus(id, false); }
    }
    window.PKG_READY = true;
    document.body.setAttribute("data-ready", "1");
  }
  var progress = document.getElementById("pkg-progress");
  if (view.physics) {
    progress.hidden = false;
    network.on("stabilizationProgress", function (p) {
      progress.querySelector("span").textContent = Math.round(100 * p.iterations / p.total) + "%";
    });
    // Stabilise once, then freeze: physics on a few thousand nodes would never settle.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      progress.hidden = true;
      fitStart();
      network.once("afterDrawing", ready);
      network.redraw();
    });
  } else {
    // The first drawing may precede the final size of the flex container: fit, then report.
    network.once("afterDrawing", function () {
      fitStart();
      network.once("afterDrawing", ready);
      network.redraw();
    });
  }

  function walk(graph, start, keep) {
    var stack = [start];
    while (stack.length) {
      var id = stack.pop();
      graph[id].forEach(function (m) { if (!keep.has(m)) { keep.add(m); stack.push(m); } });
    }
  }
  function related(id) {
    var keep = new Set([id]);
    if (view.name === "tree") {
      walk(out, id, keep); walk(inn, id, keep);  // the branch: ancestors and descendants
    } else {
      adj[id].forEach(function (m) { keep.add(m); });
    }
    return keep;
  }
  function highlight(keep) {
    nodes.update(data.nodes.map(function (n) {
      var on = keep === null || keep.has(n.id);
      var font = Object.assign({}, original[n.id].font, on ? {} : { color: FADED });
      return { id: n.id, color: on ? original[n.id].color : FADED, font: font };
    }));
    edges.update(data.edges.map(function (e) {
      var on = keep === null || (keep.has(e.from) && keep.has(e.to));
      return { id: e.id, color: on ? originalEdge[e.id] : FADED };
    }));
  }

  var info = document.getElementById("pkg-info");
  var hint = info.innerHTML;
  function showInfo(id) {
    if (id === null) { info.innerHTML = hint; return; }
    var n = byId[id];
    info.innerHTML = "";
    var h = document.createElement("h2");
    h.textContent = n.label;
    var pre = document.createElement("pre");
    pre.textContent = n.title || n.label;
    var deg = document.createElement("p");
    deg.textContent = "相连节点：" + adj[id].length;
    info.appendChild(h); info.appendChild(pre); info.appendChild(deg);
  }
  function focus(id, animate) {
    if (!(id in byId)) { return; }
    if (visible !== null && !visible.has(id)) { clearFilters(); }
    highlight(related(id));
    network.selectNodes([id]);
    // In the left-to-right tree a branch grows rightwards: put the node in the left third.
    var shift = view.name === "tree" ? -container.clientWidth * 0.3 : 0;
    network.focus(id, {
      scale: animate === false ? 0.7 : Math.max(network.getScale(), 0.9),
      offset: { x: shift, y: 0 },
      animation: animate === false ? false : { duration: 400 }
    });
    showInfo(id);
  }
  network.on("click", function (p) {
    if (p.nodes.length) { focus(p.nodes[0]); } else { highlight(null); showInfo(null); }
  });

  // Find by label.
  var labels = document.getElementById("pkg-labels");
  var byLabel = {};
  data.nodes.forEach(function (n) {
    if (n.kind === "task" || n.label in byLabel) { return; }
    byLabel[n.label] = n.id;
    var o = document.createElement("option");
    o.value = n.label;
    labels.appendChild(o);
  });
  document.getElementById("pkg-find").addEventListener("change", function (ev) {
    var id = byLabel[ev.target.value];
    if (id !== undefined) { focus(id); }
  });

  // Filters (responsibility view): by sector and by agency.
  var status = document.getElementById("pkg-status");
  var sectorSel = document.getElementById("pkg-sector");
  var agencySel = document.getElementById("pkg-agency");
  var hasTasks = data.nodes.some(function (n) { return n.kind === "task"; });
  var itemKind = hasTasks ? "task" : "policy";
  function setStatus() {
    var shown = visible === null ? data.nodes.length : visible.size;
    status.textContent = "显示 " + shown + " / " + data.nodes.length + " 个节点";
  }
  function applyFilters() {
    var s = sectorSel ? sectorSel.value : "";
    var a = agencySel ? agencySel.value : "";
    if (!s && !a) {
      visible = null;
    } else {
      visible = new Set();
      data.nodes.forEach(function (n) {
        if (n.kind !== itemKind) { return; }
        if (s && (n.sectors || []).indexOf(s) < 0) { return; }
        if (a && adj[n.id].indexOf(a) < 0) { return; }
        visible.add(n.id);
        adj[n.id].forEach(function (m) { visible.add(m); });
      });
      if (a) { visible.add(a); }
    }
    highlight(null);
    nodeView.refresh(); edgeView.refresh();
    network.fit();
    setStatus();
  }
  function clearFilters() {
    if (sectorSel) { sectorSel.value = ""; }
    if (agencySel) { agencySel.value = ""; }
    applyFilters();
  }
  if (sectorSel) { sectorSel.addEventListener("change", applyFilters); }
  if (agencySel) { agencySel.addEventListener("change", applyFilters); }
  document.getElementById("pkg-reset").addEventListener("click", function () {
    document.getElementById("pkg-find").value = "";
    clearFilters(); highlight(null); showInfo(null); network.unselectAll(); fitStart();
  });
  setStatus();
})();
