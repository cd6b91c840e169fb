/* biblio report: search, filters and sorting for the works index.
   The pages are complete without this script; it only reads window.BIBLIO_INDEX (search-data.js) and
   rebuilds the table body with textContent, so no string from a document is ever parsed as HTML. */
(function () {
  "use strict";
  var data = window.BIBLIO_INDEX;
  var form = document.getElementById("works-filter");
  var table = document.getElementById("works-table");
  if (!data || !form || !table) { return; }
  var F = {};
  data.fields.forEach(function (name, i) { F[name] = i; });
  var rows = data.rows;
  var tbody = table.tBodies[0];
  var original = tbody.cloneNode(true);
  var pagers = Array.prototype.slice.call(document.querySelectorAll(".pager"));
  var status = document.getElementById("works-status");
  var originalStatus = status ? status.textContent : "";
  var LIMIT = 500;
  var NUMERIC = { year: true, cited: true, documents: true };
  var sort = null;

  function fold(s) {
    return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var haystack = rows.map(function (r) {
    return fold([r[F.title], r[F.authors], r[F.key], r[F.container], r[F.year], r[F.type]].join(" "));
  });

  function cell(tr, text, className) {
    var td = document.createElement("td");
    if (className) { td.className = className; }
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function rowElement(r) {
    var tr = document.createElement("tr");
    var first = document.createElement("td");
    var a = document.createElement("a");
    a.href = r[F.href];
    a.textContent = r[F.title];
    first.appendChild(a);
    var sub = document.createElement("div");
    sub.className = "sub";
    if (r[F.authors]) { sub.appendChild(document.createTextNode(r[F.authors] + " · ")); }
    var code = document.createElement("code");
    code.textContent = r[F.key];
    sub.appendChild(code);
    first.appendChild(sub);
    tr.appendChild(first);
    cell(tr, r[F.type]);
    cell(tr, r[F.year] || "n.d.", "num");
    cell(tr, String(r[F.cited]), "num");
    cell(tr, String(r[F.documents]), "num col-docs");
    var v = document.createElement("span");
    var verdict = String(r[F.verdict]);
    v.className = "verdict" + (/^[a-z0-9-]+$/.test(verdict) ? " v-" + verdict : "");
    v.textContent = verdict;
    cell(tr, "").appendChild(v);
    return tr;
  }

  function compare(field, dir) {
    var i = F[field];
    return function (a, b) {
      var x = rows[a][i], y = rows[b][i];
      if (field === "year") {  // undated works last, whichever the direction
        if (!x && y) { return 1; }
        if (x && !y) { return -1; }
      }
      var c = NUMERIC[field] ? (Number(x) || 0) - (Number(y) || 0) : fold(x).localeCompare(fold(y));
      return c ? c * dir : a - b;
    };
  }

  function restore() {
    tbody.parentNode.replaceChild(original.cloneNode(true), tbody);
    tbody = table.tBodies[0];
    pagers.forEach(function (p) { p.hidden = false; });
    if (status) { status.textContent = originalStatus; }
  }

  function update() {
    var words = fold(form.elements.q.value).split(/\s+/).filter(Boolean);
    var type = form.elements.type.value, year = form.elements.year.value;
    var doc = form.elements.document.value, verdict = form.elements.verdict.value;
    if (!words.length && !type && !year && !doc && !verdict && !sort) { restore(); return; }
    var found = [];
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      if (type && r[F.type] !== type) { continue; }
      if (year && (year === "n.d." ? r[F.year] : String(r[F.year]) !== year)) { continue; }
      if (doc && r[F.docs].indexOf(Number(doc)) < 0) { continue; }
      if (verdict && r[F.verdict] !== verdict) { continue; }
      var text = haystack[i], ok = true;
      for (var w = 0; w < words.length && ok; w++) { ok = text.indexOf(words[w]) >= 0; }
      if (ok) { found.push(i); }
    }
    if (sort) { found.sort(compare(sort.field, sort.dir)); }
    var body = document.createElement("tbody");
    found.slice(0, LIMIT).forEach(function (i) { body.appendChild(rowElement(rows[i])); });
    if (!found.length) {
      var tr = document.createElement("tr");
      cell(tr, "No work matches.").colSpan = 6;
      body.appendChild(tr);
    }
    tbody.parentNode.replaceChild(body, tbody);
    tbody = body;
    pagers.forEach(function (p) { p.hidden = true; });
    if (status) {
      status.textContent = found.length > LIMIT
        ? "Showing the first " + LIMIT + " of " + found.length + " matching works (of " + rows.length + "); narrow the search."
        : found.length + " of " + rows.length + " works match.";
    }
  }

  Array.prototype.forEach.call(table.querySelectorAll("th[data-sort]"), function (th) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var field = th.getAttribute("data-sort");
      var dir = NUMERIC[field] && field !== "year" ? -1 : 1;
      if (sort && sort.field === field) { dir = -sort.dir; }
      sort = { field: field, dir: dir };
      Array.prototype.forEach.call(table.querySelectorAll("th[data-sort]"), function (other) {
        other.removeAttribute("aria-sort");
      });
      th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
      update();
    });
  });
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  form.addEventListener("reset", function () {
    sort = null;
    Array.prototype.forEach.call(table.querySelectorAll("th[data-sort]"), function (th) {
      th.removeAttribute("aria-sort");
    });
    window.setTimeout(update, 0);
  });
  form.hidden = false;
  if (form.elements.q.value) { update(); }  // a value the browser restored on "back"
}());
