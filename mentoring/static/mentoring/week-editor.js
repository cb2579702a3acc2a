// The week editor: add and remove hours per day, copy Monday to the working days, and keep the
// timeline preview in step. Without JavaScript the form still works (one row per day).
(function () {
  "use strict";
  var editor = document.querySelector("[data-week-editor]");
  if (!editor) return;
  var template = document.getElementById("range-template");

  function minutes(value) {
    if (!value) return null;
    var parts = value.split(":");
    return parseInt(parts[0], 10) * 60 + parseInt(parts[1] || "0", 10);
  }

  function newRow(day, start, end) {
    var row = template.content.firstElementChild.cloneNode(true);
    row.querySelector("[data-start]").name = "start-" + day;
    row.querySelector("[data-end]").name = "end-" + day;
    row.querySelector("[data-start]").value = start || "";
    row.querySelector("[data-end]").value = end || "";
    row.querySelectorAll("input").forEach(function (input) {
      input.setAttribute("aria-describedby", "day-" + day);
    });
    return row;
  }

  function redraw() {
    editor.querySelectorAll("[data-day]").forEach(function (dayBox) {
      var day = dayBox.getAttribute("data-day");
      var col = document.querySelector('[data-col="' + day + '"]');
      if (!col) return;
      col.innerHTML = "";
      dayBox.querySelectorAll("[data-range]").forEach(function (row) {
        var a = minutes(row.querySelector("[data-start]").value);
        var b = minutes(row.querySelector("[data-end]").value);
        if (a === null || b === null) return;
        if (b === 0) b = 1440;
        if (b <= a) return;
        var block = document.createElement("span");
        block.className = "block";
        block.style.top = (100 * a / 1440) + "%";
        block.style.height = (100 * (b - a) / 1440) + "%";
        col.appendChild(block);
      });
    });
  }

  editor.querySelectorAll("[data-add]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var dayBox = button.closest("[data-day]");
      var row = newRow(dayBox.getAttribute("data-day"));
      dayBox.querySelector("[data-ranges]").appendChild(row);
      row.querySelector("[data-start]").focus();
    });
  });

  editor.addEventListener("click", function (event) {
    var remove = event.target.closest("[data-remove]");
    if (!remove) return;
    var row = remove.closest("[data-range]");
    var list = row.parentElement;
    if (list.querySelectorAll("[data-range]").length > 1) {
      row.remove();
    } else {
      row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
    }
    redraw();
  });

  editor.addEventListener("input", redraw);

  var copy = document.querySelector("[data-copy-monday]");
  if (copy) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      var monday = Array.prototype.map.call(
        editor.querySelectorAll('[data-day="0"] [data-range]'),
        function (row) {
          return [row.querySelector("[data-start]").value, row.querySelector("[data-end]").value];
        }
      );
      for (var day = 1; day <= 4; day++) {
        var list = editor.querySelector('[data-day="' + day + '"] [data-ranges]');
        list.innerHTML = "";
        monday.forEach(function (pair) { list.appendChild(newRow(day, pair[0], pair[1])); });
        if (!monday.length) list.appendChild(newRow(day));
      }
      redraw();
    });
  }
})();
