// trowel serve. Every page reads in full without this script: it filters a
// table as you type, applies a filter when a choice changes, and lets the map
// be panned, zoomed and clicked.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  // Filtering as you type: the rows of the table the field names that do not
  // hold every word typed are hidden (the form's own search still works
  // without script, on the server).
  Array.prototype.forEach.call(document.querySelectorAll("input[data-filter-table]"), function (input) {
    var table = document.getElementById(input.getAttribute("data-filter-table"));
    if (!table || !table.tBodies.length) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      rows.forEach(function (r, i) {
        r.hidden = !words.every(function (w) { return texts[i].indexOf(w) >= 0; });
      });
    });
  });

  // A choice in a filter form applies at once.
  Array.prototype.forEach.call(document.querySelectorAll("form.filters select"), function (sel) {
    sel.addEventListener("change", function () { sel.form.submit(); });
  });

  var canvas = document.getElementById("map-canvas");
  if (canvas) map(canvas);

  function map(canvas) {
    var svg = canvas.querySelector("svg");
    if (!svg) return;
    var toolbar = document.querySelector(".map-toolbar");
    if (toolbar) toolbar.hidden = false;
    var panel = document.getElementById("edge-panel");
    var w = parseFloat(svg.getAttribute("width")) || svg.getBoundingClientRect().width;
    var h = parseFloat(svg.getAttribute("height")) || svg.getBoundingClientRect().height;
    var view = { x: 0, y: 0, k: 1 };
    svg.style.transformOrigin = "0 0";

    function apply() {
      svg.style.transform = "translate(" + view.x + "px," + view.y + "px) scale(" + view.k + ")";
    }
    function zoom(factor, cx, cy) {
      var k = Math.min(4, Math.max(0.05, view.k * factor));
      // Keep the point under the pointer where it is.
      view.x = cx - (cx - view.x) * (k / view.k);
      view.y = cy - (cy - view.y) * (k / view.k);
      view.k = k;
      apply();
    }
    function fit() {
      var cw = canvas.clientWidth, ch = canvas.clientHeight;
      view.k = Math.min(1, cw / w, ch / h);
      view.x = Math.max(0, (cw - w * view.k) / 2);
      view.y = Math.max(0, (ch - h * view.k) / 2);
      apply();
    }
    fit();

    canvas.addEventListener("wheel", function (e) {
      e.preventDefault();
      var r = canvas.getBoundingClientRect();
      zoom(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });

    // A press that moves pans; one that does not is a click on what it hit.
    var drag = null;
    canvas.addEventListener("pointerdown", function (e) {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, moved: false };
    });
    canvas.addEventListener("pointermove", function (e) {
      if (!drag) return;
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 5) return;
      if (!drag.moved) { drag.moved = true; canvas.setPointerCapture(e.pointerId); canvas.classList.add("dragging"); }
      view.x = drag.vx + dx;
      view.y = drag.vy + dy;
      apply();
    });
    function release(e) {
      if (!drag) return;
      var moved = drag.moved;
      drag = null;
      canvas.classList.remove("dragging");
      if (!moved && e.type === "pointerup") choose(e.target);
    }
    canvas.addEventListener("pointerup", release);
    canvas.addEventListener("pointercancel", release);

    // Hosts are links: focusable, named, opened by Enter as by a click.
    Array.prototype.forEach.call(svg.querySelectorAll("g.host"), function (g) {
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "link");
      g.setAttribute("aria-label", g.getAttribute("data-name"));
      g.addEventListener("keydown", function (e) {
        if (e.key === "Enter") { e.preventDefault(); choose(g); }
      });
    });

    function choose(target) {
      var host = target.closest && target.closest("g.host");
      if (host) {
        location.href = "/hosts/" + encodeURIComponent(host.getAttribute("data-name"));
        return;
      }
      var edge = target.closest && target.closest("g.edge, text.edge-label");
      if (edge) showEdge(edge.getAttribute("data-edge"));
    }

    function showEdge(id) {
      if (!panel || !id) return;
      Array.prototype.forEach.call(svg.querySelectorAll("g.edge.chosen"), function (g) { g.classList.remove("chosen"); });
      var g = svg.querySelector('g.edge[data-edge="' + id + '"]');
      if (g) g.classList.add("chosen");
      fetch("/map/edges/" + encodeURIComponent(id) + "?part=1", { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (html) {
          // Markup this server made and escaped, from this server only.
          panel.innerHTML = html;
          panel.setAttribute("data-edge", id);
        })
        .catch(function () { location.href = "/map/edges/" + encodeURIComponent(id); });
    }

    canvas.addEventListener("keydown", function (e) {
      if (e.target !== canvas) return;
      var step = 60, r = canvas.getBoundingClientRect(), cx = r.width / 2, cy = r.height / 2;
      switch (e.key) {
        case "ArrowLeft": view.x += step; break;
        case "ArrowRight": view.x -= step; break;
        case "ArrowUp": view.y += step; break;
        case "ArrowDown": view.y -= step; break;
        case "+": case "=": zoom(1.25, cx, cy); return;
        case "-": zoom(1 / 1.25, cx, cy); return;
        case "0": fit(); return;
        default: return;
      }
      e.preventDefault();
      apply();
    });

    if (toolbar) {
      toolbar.addEventListener("click", function (e) {
        var b = e.target.closest("button[data-map]");
        if (!b) return;
        var cx = canvas.clientWidth / 2, cy = canvas.clientHeight / 2;
        switch (b.getAttribute("data-map")) {
          case "in": zoom(1.25, cx, cy); break;
          case "out": zoom(1 / 1.25, cx, cy); break;
          case "fit": fit(); break;
        }
      });
    }
    root.setAttribute("data-map", "ready");
  }
})();
