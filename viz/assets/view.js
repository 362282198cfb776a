/* policykg views: draw the embedded graph with vis-network, readable at first sight.
 * Reads three JSON blocks written by viz/render.py: #pkg-data (nodes, edges), #pkg-options
 * (vis-network options) and #pkg-view (view name, physics, slice, legibility).
 * - The tree opens on its first levels (a large one) and expands or collapses a node's
 *   children on click.
 * - A dense view opens on a slice (the agencies or policies with most links, or one
 *   jurisdiction) that the user widens; labels that would overlap a more important one are
 *   not drawn (the tooltip and side panel keep them), and the first zoom draws every label at
 *   view.minFont px or more.
 * Sets window.PKG_NODES (all node data), window.PKG_NETWORK, window.PKG_VISIBLE (ids shown)
 * and, once laid out, window.PKG_READY = true and <body data-ready="1">.
 */
(function () {
  "use strict";
  // performance marks (read by bench.site): data parsed, network made, laid out, ready
  function mark(name) { if (window.performance && performance.mark) { performance.mark(name); } }
  mark("pkg-start");
  function readJson(id) { return JSON.parse(document.getElementById(id).textContent); }
  var data = readJson("pkg-data");
  mark("pkg-parsed");
  var options = readJson("pkg-options");
  var view = readJson("pkg-view");
  window.PKG_NODES = data.nodes;
  window.PKG_READY = false;
  var MIN_FONT = view.minFont || 11;

  var FADED = view.faded;
  var byId = {}, byRef = {}, byLabel = {};
  var original = {};
  var adj = {}, out = {}, inn = {};
  data.nodes.forEach(function (n) {
    byId[n.id] = n;
    if (n.ref) { byRef[n.ref] = n.id; }
    n.fullLabel = n.label;
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
  function weight(n) { return Number(n.value || 0) * 1000 + adj[n.id].length; }
  var ranked = data.nodes.slice().sort(function (a, b) {
    return weight(b) - weight(a) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
  });

  // --- what is shown first -----------------------------------------------------------------
  var isTree = view.name === "tree";
  var roots = data.nodes.filter(function (n) { return inn[n.id].length === 0; })
    .map(function (n) { return n.id; });
  var expanded = new Set();
  function treeInitial() {
    var keep = new Set();
    if (data.nodes.length <= view.treeOpenAll) {
      data.nodes.forEach(function (n) { keep.add(n.id); expanded.add(n.id); });
      return keep;
    }
    roots.forEach(function (r) {
      keep.add(r); expanded.add(r);
      out[r].forEach(function (c) { keep.add(c); });
    });
    return keep;
  }
  var slice = view.slice || null;  // {kinds: [...], sizes: [...], neighbours: bool}
  var sliceSize = slice ? slice.sizes[0] : 0;
  // An agency slice opens on one jurisdiction: the busiest agency's ("" for national bodies),
  // so that the first picture is one connected community; "*" is every jurisdiction.
  // render.py chose it (view.jurisdiction, view.initial) and, for a small enough slice, laid
  // it out (view.positions): the first picture is drawn without running physics.
  var sliceJurisdiction = view.jurisdiction === undefined ? "*" : view.jurisdiction;
  var preset = view.positions || null;
  function sliceSet() {
    if (!slice) { return null; }
    var primary = ranked.filter(function (n) {
      if (slice.kinds.indexOf(n.kind) < 0) { return false; }
      return sliceJurisdiction === "*" || (n.jurisdiction || "") === sliceJurisdiction;
    });
    if (sliceSize > 0) { primary = primary.slice(0, sliceSize); }
    else if (sliceJurisdiction === "*") { return null; }
    var keep = new Set();
    primary.forEach(function (n) {
      keep.add(n.id);
      if (slice.neighbours) { adj[n.id].forEach(function (m) { keep.add(m); }); }
    });
    return keep;
  }
  var visible = isTree ? treeInitial() : view.initial ? new Set(view.initial) : sliceSet();
  if (preset) {  // null above: every node
    data.nodes.forEach(function (n) {
      var p = preset[n.id];
      if (p) { n.x = p[0]; n.y = p[1]; }
    });
    options.physics = Object.assign({}, options.physics, { enabled: false });
  }
  window.PKG_VISIBLE = visible;

  function shownLabel(n) {
    if (!isTree || expanded.has(n.id) || out[n.id].length === 0) { return n.fullLabel; }
    return n.fullLabel + "（+" + out[n.id].length + "）";
  }
  if (isTree) { data.nodes.forEach(function (n) { n.label = shownLabel(n); }); }

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var nodeView = new vis.DataView(nodes, {
    filter: function (n) { return visible === null || visible.has(n.id); }
  });
  var edgeView = new vis.DataView(edges, {
    filter: function (e) { return visible === null || (visible.has(e.from) && visible.has(e.to)); }
  });
  var container = document.getElementById("pkg-network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  window.PKG_NETWORK = network;
  mark("pkg-network");

  // --- legibility: every drawn label at MIN_FONT px or more, none overlapping -------------------
  function shownIds() { return nodeView.getIds(); }
  function fontOf(id) {
    var n = network.body.nodes[id];
    return n && n.labelModule ? n.labelModule.fontOptions.size : 14;
  }
  function labelBox(id) {
    var n = network.body.nodes[id];
    if (!n || !n.labelModule || !n.labelModule.size || !n.labelModule.size.width) { return null; }
    var s = n.labelModule.size;
    return { left: s.left, top: s.top, right: s.left + s.width, bottom: s.top + s.height };
  }
  function declutter() {
    // Labels in canvas units scale with the zoom, so overlaps do not depend on it: decide once.
    if (isTree) { return; }
    var kept = [], changes = [];
    var ids = new Set(shownIds());
    var shapes = {};  // a label must not cover another node's shape either
    ids.forEach(function (id) {
      var b = network.body.nodes[id];
      if (!b) { return; }
      var r = (b.shape && b.shape.radius) || b.options.size || 5;
      shapes[id] = { left: b.x - r, right: b.x + r, top: b.y - r, bottom: b.y + r };
    });
    function hits(box, other) {
      return box.left < other.right && other.left < box.right &&
             box.top < other.bottom && other.top < box.bottom;
    }
    var before = [];
    ranked.forEach(function (n) {
      if (!ids.has(n.id) || !shapes[n.id]) { return; }
      if (!n.fullLabel || !n.fullLabel.trim()) { before.push(n.id); return; }
      var box = labelBox(n.id);
      if (box === null) { before.push(n.id); return; }
      // a label gives way to the labels and shapes of more important nodes
      var clash = kept.some(function (k) { return hits(box, k); }) ||
        before.some(function (id) { return hits(box, shapes[id]); });
      before.push(n.id);
      if (clash) {
        if (n.label !== "") { changes.push({ id: n.id, label: "" }); }
      } else {
        kept.push(box);
        if (n.label !== n.fullLabel) { changes.push({ id: n.id, label: n.fullLabel }); }
      }
    });
    changes.forEach(function (c) { byId[c.id].label = c.label; });
    if (changes.length) { nodes.update(changes); }
  }
  function restoreLabels() {
    var changes = [];
    data.nodes.forEach(function (n) {
      var want = shownLabel(n);
      if (n.label !== want) { n.label = want; changes.push({ id: n.id, label: want }); }
    });
    if (changes.length) { nodes.update(changes); }
  }
  function legibleScale() {
    var ids = shownIds().filter(function (id) { return (byId[id].label || "").trim(); });
    if (!ids.length) { return 0; }
    var smallest = Math.min.apply(null, ids.map(fontOf));
    return MIN_FONT / smallest;
  }
  function fitLegible(anchor) {
    network.fit({ animation: false });
    var need = legibleScale();
    if (network.getScale() >= need) { return; }
    // Too many to read at once: zoom to the legible scale around the anchor (the tree's
    // root on the left, or the most important node shown).
    var pos;
    if (anchor !== undefined && anchor !== null) {
      pos = network.getPositions([anchor])[anchor];
      if (isTree) { pos = { x: pos.x + container.clientWidth * 0.35 / need, y: pos.y }; }
    } else {
      var first = ranked.find(function (n) { return nodeView.get(n.id) !== null; });
      pos = first ? network.getPositions([first.id])[first.id] : { x: 0, y: 0 };
    }
    network.moveTo({ position: pos, scale: need, animation: false });
  }

  function ready() {
    var wanted = decodeURIComponent(window.location.hash.slice(1));
    if (wanted) {
      var id = wanted in byId ? wanted : wanted in byRef ? byRef[wanted] : byLabel[wanted];
      if (id !== undefined) { focus(id, false); }
    }
    window.PKG_READY = true;
    mark("pkg-ready");
    document.body.setAttribute("data-ready", "1");
  }
  var progress = document.getElementById("pkg-progress");
  var firstLayout = true;  // the network stabilises on creation; later layouts ask for it
  function settle(then) {
    // Stabilise what is shown once, then freeze: physics on thousands of nodes never settles.
    // A preset first picture is drawn as laid out.
    if (!view.physics || (firstLayout && preset)) {
      firstLayout = false;
      network.once("afterDrawing", function () { then(); });
      network.redraw();
      return;
    }
    progress.hidden = false;
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      progress.hidden = true;
      network.once("afterDrawing", function () { then(); });
      network.redraw();
    });
    if (!firstLayout) {
      network.setOptions({ physics: { enabled: true } });
      network.stabilize(view.iterations || 300);
    }
    firstLayout = false;
  }
  function arrange(anchor, done) {
    settle(function () {
      mark("pkg-laid-out");
      restoreLabels();
      network.once("afterDrawing", function () {
        declutter();
        fitLegible(anchor);
        network.once("afterDrawing", function () { if (done) { done(); } });
        network.redraw();
      });
      network.redraw();
    });
  }
  if (view.physics) {
    network.on("stabilizationProgress", function (p) {
      progress.querySelector("span").textContent = Math.round(100 * p.iterations / p.total) + "%";
    });
  }

  // --- focus, expand, collapse -----------------------------------------------------------------
  function walk(graph, start, keep) {
    var stack = [start];
    while (stack.length) {
      var id = stack.pop();
      graph[id].forEach(function (m) { if (!keep.has(m)) { keep.add(m); stack.push(m); } });
    }
  }
  function related(id) {
    var keep = new Set([id]);
    if (isTree) {
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
    h.textContent = n.fullLabel;
    info.appendChild(h);
    if (n.href) {
      var a = document.createElement("a");
      a.href = n.href; a.id = "pkg-open"; a.textContent = "打开页面 →";
      var p0 = document.createElement("p"); p0.appendChild(a); info.appendChild(p0);
    }
    var pre = document.createElement("pre");
    pre.textContent = n.title || n.fullLabel;
    var deg = document.createElement("p");
    deg.textContent = (isTree ? "下级：" + out[id].length : "相连节点：" + adj[id].length);
    info.appendChild(pre); info.appendChild(deg);
  }
  function reveal(id) {
    // make a node visible: in the tree, open its ancestors; elsewhere, leave the slice
    if (visible === null || visible.has(id)) { return false; }
    if (isTree) {
      var up = [id], cur = id;
      while (inn[cur].length) { cur = inn[cur][0]; up.push(cur); }
      up.forEach(function (a) {
        expanded.add(a); visible.add(a);
        out[a].forEach(function (c) { visible.add(c); });
      });
      expanded.delete(id);
    } else {
      visible = null;
    }
    window.PKG_VISIBLE = visible;
    restoreLabels();
    nodeView.refresh(); edgeView.refresh();
    setStatus();
    return true;
  }
  function focus(id, animate) {
    if (!(id in byId)) { return; }
    var moved = reveal(id);
    highlight(related(id));
    network.selectNodes([id]);
    var shift = isTree ? -container.clientWidth * 0.3 : 0;
    var scale = Math.max(network.getScale(), legibleScale(), 0.9);
    var go = function () {
      network.focus(id, {
        scale: scale, offset: { x: shift, y: 0 },
        animation: animate === false ? false : { duration: 400 }
      });
    };
    if (moved && !isTree && view.physics) { arrange(id, go); } else { go(); }
    showInfo(id);
  }
  function toggle(id) {
    if (!isTree || visible === null || out[id].length === 0) { return false; }
    if (expanded.has(id)) {
      var below = new Set();
      walk(out, id, below);
      below.forEach(function (m) { visible.delete(m); expanded.delete(m); });
      expanded.delete(id);
    } else {
      expanded.add(id);
      out[id].forEach(function (c) { visible.add(c); });
    }
    restoreLabels();
    nodeView.refresh(); edgeView.refresh();
    setStatus();
    network.once("afterDrawing", function () {
      var pos = network.getPositions([id])[id];
      var scale = Math.max(network.getScale(), legibleScale());
      network.moveTo({ position: { x: pos.x + container.clientWidth * 0.3 / scale, y: pos.y },
                       scale: scale, animation: false });
    });
    network.redraw();
    return true;
  }
  network.on("click", function (p) {
    if (p.nodes.length) {
      var id = p.nodes[0];
      if (!toggle(id)) { highlight(related(id)); }
      showInfo(id);
    } else { highlight(null); showInfo(null); }
  });
  network.on("doubleClick", function (p) {
    if (p.nodes.length && byId[p.nodes[0]].href) { window.location.href = byId[p.nodes[0]].href; }
  });

  // Find by label.
  var labels = document.getElementById("pkg-labels");
  data.nodes.forEach(function (n) {
    if (n.kind === "task" || n.fullLabel in byLabel) { return; }
    byLabel[n.fullLabel] = n.id;
    var o = document.createElement("option");
    o.value = n.fullLabel;
    labels.appendChild(o);
  });
  document.getElementById("pkg-find").addEventListener("change", function (ev) {
    var id = byLabel[ev.target.value];
    if (id !== undefined) { focus(id); }
  });

  // Widen a slice: more of the top nodes, one jurisdiction, or everything.
  var sizeSel = document.getElementById("pkg-slice");
  var jurSel = document.getElementById("pkg-jurisdiction");
  function reslice() {
    sliceSize = sizeSel ? Number(sizeSel.value) : 0;
    sliceJurisdiction = jurSel ? jurSel.value : "*";
    visible = sliceSet();
    window.PKG_VISIBLE = visible;
    window.PKG_READY = false;
    highlight(null);
    nodeView.refresh(); edgeView.refresh();
    setStatus();
    arrange(undefined, function () { window.PKG_READY = true; });
  }
  if (jurSel) { jurSel.value = sliceJurisdiction; }
  if (sizeSel) { sizeSel.addEventListener("change", reslice); }
  if (jurSel) { jurSel.addEventListener("change", reslice); }

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
      visible = slice ? sliceSet() : null;
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
    window.PKG_VISIBLE = visible;
    highlight(null);
    restoreLabels();
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
    if (isTree) {
      expanded = new Set(); visible = treeInitial(); window.PKG_VISIBLE = visible;
      restoreLabels(); nodeView.refresh(); edgeView.refresh();
    } else { clearFilters(); }
    highlight(null); showInfo(null); network.unselectAll();
    fitLegible(isTree ? roots[0] : undefined);
    setStatus();
  });
  setStatus();
  // last: with physics off, vis-network draws synchronously and ready() reads all of the above
  arrange(isTree ? roots[0] : undefined, ready);
})();
