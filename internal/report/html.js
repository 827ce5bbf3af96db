// trowel report: sortable tables. The page reads in full without this script.
(function () {
  "use strict";
  var root = document.documentElement;
  var collator = new Intl.Collator(root.lang || undefined, { numeric: true, sensitivity: "base" });

  function key(cell) {
    if (!cell) return "";
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function sort(table, th, col, dir) {
    var numeric = th.getAttribute("data-type") === "num";
    var body = table.tBodies[0];
    var rows = Array.prototype.map.call(body.rows, function (r, i) {
      var k = key(r.cells[col]);
      return { row: r, i: i, k: k, n: numeric ? parseFloat(k) : NaN };
    });
    rows.sort(function (a, b) {
      var c;
      if (numeric) {
        // Rows without a number (unknown) stay last in both directions.
        if (isNaN(a.n) !== isNaN(b.n)) return isNaN(a.n) ? 1 : -1;
        c = isNaN(a.n) ? 0 : a.n - b.n;
      } else {
        c = collator.compare(a.k, b.k);
      }
      return (dir === "descending" ? -c : c) || a.i - b.i;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
    Array.prototype.forEach.call(th.parentNode.cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
  }

  var tables = document.querySelectorAll("table.sortable");
  Array.prototype.forEach.call(tables, function (table) {
    if (!table.tHead || !table.tBodies.length) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        sort(table, th, col, th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending");
      });
    });
  });

  // How many in-page links land on an element: lets a browser test (or a
  // curious reader in the console) see that the table of contents works.
  var links = document.querySelectorAll('a[href^="#"]'), landed = 0;
  Array.prototype.forEach.call(links, function (a) {
    if (document.getElementById(decodeURIComponent(a.hash.slice(1)))) landed++;
  });
  root.setAttribute("data-links", landed + "/" + links.length);

  // Test hook for browser_test.go, inert unless the page is opened at
  // #selftest: sort each table by its first numeric column (else its first
  // column) as a click would.
  if (location.hash === "#selftest") {
    Array.prototype.forEach.call(tables, function (table) {
      var th = table.querySelector('th[data-type="num"]') || table.querySelector("th");
      if (th) th.querySelector("button").click();
    });
  }
  root.classList.remove("no-js");
  root.classList.add("js");
})();
