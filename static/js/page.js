// Behaviour every page gets (templates/base.html loads it; no inline scripts, the
// Content-Security-Policy allows none). Each part only makes a working page better:
//  - the main menu folds behind a "Menu" button on a phone (static/css/site.css hides it there
//    only when scripting is on, so without this script the menu simply stays open). The button
//    says whether the menu is open (aria-expanded); Escape closes it and gives the focus back;
//  - a data table (one with a <thead>) reflows on a phone into one card per row: each cell is
//    labelled with its column's header (data-label, drawn by the stylesheet), and the table's
//    roles are stated so that it stays a table to a screen reader once it is laid out as
//    blocks. Without this script the table scrolls sideways inside its own frame.
(function () {
  "use strict";

  function menu() {
    var toggle = document.querySelector("[data-nav-toggle]");
    var nav = document.querySelector("[data-nav-menu]");
    if (!toggle || !nav) return;

    function setOpen(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-open", open);
    }

    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || toggle.getAttribute("aria-expanded") !== "true") return;
      if (nav.contains(document.activeElement) || document.activeElement === toggle) {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  function headers(table) {
    var labels = [];
    var row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!row) return null;
    Array.prototype.forEach.call(row.cells, function (cell) {
      var span = cell.colSpan || 1;
      for (var i = 0; i < span; i++) labels.push(cell.textContent.replace(/\s+/g, " ").trim());
    });
    return labels;
  }

  function stack(table) {
    var labels = headers(table);
    if (!labels || table.hasAttribute("data-no-stack")) return;
    table.setAttribute("role", "table");
    table.tHead.setAttribute("role", "rowgroup");
    Array.prototype.forEach.call(table.tBodies, function (body) {
      body.setAttribute("role", "rowgroup");
    });
    Array.prototype.forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        var inHead = row.parentNode === table.tHead;
        if (inHead) cell.setAttribute("role", "columnheader");
        else if (cell.tagName === "TH") cell.setAttribute("role", "rowheader");
        else cell.setAttribute("role", "cell");
        if (!inHead && labels[column] && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", labels[column]);
        }
        column += cell.colSpan || 1;
      });
    });
    table.classList.add("is-stacked");
  }

  function init() {
    menu();
    document.querySelectorAll("table").forEach(stack);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
