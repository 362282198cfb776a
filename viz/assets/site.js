/* policykg site: client-side filters and text search over the document list (index.html).
 * Each row carries its values in data-* attributes; a filter hides the rows that do not match.
 * Sets <body data-ready="1"> once wired (what the browser tests wait for).
 */
(function () {
  "use strict";
  var table = document.getElementById("doc-table");
  if (!table) { document.body.setAttribute("data-ready", "1"); return; }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var keys = ["kind", "genre", "level", "jurisdiction", "issuer", "year", "sector"];
  var selects = {};
  keys.forEach(function (k) { selects[k] = document.getElementById("f-" + k); });
  var search = document.getElementById("f-text");
  var count = document.getElementById("doc-count");
  function norm(s) { return (s || "").replace(/\s+/g, "").toLowerCase(); }
  var texts = rows.map(function (r) { return norm(r.getAttribute("data-text")); });
  function apply() {
    var want = {};
    keys.forEach(function (k) { if (selects[k] && selects[k].value) { want[k] = selects[k].value; } });
    var q = norm(search ? search.value : "");
    var shown = 0;
    rows.forEach(function (r, i) {
      var ok = !q || texts[i].indexOf(q) >= 0;
      for (var k in want) {
        if (!ok) { break; }
        var have = (r.getAttribute("data-" + k) || "").split("|");
        ok = have.indexOf(want[k]) >= 0;
      }
      r.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = "显示 " + shown + " / " + rows.length + " 份文件";
  }
  keys.forEach(function (k) { if (selects[k]) { selects[k].addEventListener("change", apply); } });
  if (search) { search.addEventListener("input", apply); }
  document.getElementById("f-reset").addEventListener("click", function () {
    keys.forEach(function (k) { if (selects[k]) { selects[k].value = ""; } });
    if (search) { search.value = ""; }
    apply();
  });
  apply();
  document.body.setAttribute("data-ready", "1");
})();
