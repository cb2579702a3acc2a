/* Credentials: copy-link buttons, the badge form's live preview and EU elements checklist.
   Everything works without this script: links are shown in read-only fields, and the
   checklist is computed by the server each time the form is shown or submitted. Which
   elements there are and which fields fill them comes from the page (data-fields,
   data-preview, data-preview-format), which the server renders from one table of them. */
(function () {
  "use strict";
  // Translations: Django's JavaScript catalogue (templates/base.html loads it first) gives
  // gettext, ngettext and interpolate; without it the English text is shown.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); });
  };

  function announce(button, text) {
    var status = button.parentNode.querySelector("[data-copy-status]");
    if (status) {
      status.textContent = text;
      window.setTimeout(function () { status.textContent = ""; }, 4000);
    }
  }

  function copyLinks() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var field = document.getElementById(button.getAttribute("data-copy"));
        if (!field) { return; }
        var text = field.value;
        var done = function () { announce(button, gettext("Link copied")); };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done, function () {
            field.select(); announce(button, gettext("Press Ctrl+C to copy"));
          });
        } else {
          field.focus();
          field.select();
          try { document.execCommand("copy"); done(); } catch (e) { announce(button, gettext("Press Ctrl+C to copy")); }
        }
      });
    });
  }

  function hasValue(field) {
    if (field.type === "checkbox" || field.type === "radio") { return field.checked; }
    return field.value.trim() !== "";
  }

  function checklist(form) {
    var list = document.querySelector("[data-eu-checklist]");
    if (!list) { return; }
    var summary = document.querySelector("[data-eu-summary]");
    var items = list.querySelectorAll("li[data-fields]");
    function update() {
      var missing = 0;
      items.forEach(function (item) {
        var names = item.getAttribute("data-fields").split(" ").filter(Boolean);
        if (!names.length) {
          if (!item.classList.contains("is-present")) { missing += 1; }
          return;
        }
        var present = names.some(function (name) {
          var field = form.elements.namedItem(name);
          return field && hasValue(field);
        });
        item.classList.toggle("is-present", present);
        var state = item.querySelector("[data-state]");
        if (state) { state.textContent = present ? gettext("present") : gettext("missing"); }
        if (!present) { missing += 1; }
      });
      if (summary) {
        summary.textContent = missing === 0
          ? gettext("Every mandatory element is filled in.")
          : interpolate(ngettext("%(n)s mandatory element is missing.",
                                 "%(n)s mandatory elements are missing.", missing), { n: missing }, true);
      }
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }

  function preview(form) {
    var box = document.querySelector("[data-badge-preview]");
    if (!box) { return; }
    form.querySelectorAll("[data-preview]").forEach(function (field) {
      var target = box.querySelector('[data-preview-target="' + field.getAttribute("data-preview") + '"]');
      if (!target) { return; }
      var empty = target.getAttribute("data-empty") || "";
      var format = target.getAttribute("data-preview-format");
      var show = function () {
        var value = field.value.trim();
        if (format === "count") {
          var count = value.split("\n").filter(function (line) { return line.trim(); }).length;
          value = count
            ? interpolate(ngettext("%(n)s learning outcome", "%(n)s learning outcomes", count), { n: count }, true)
            : "";
        } else if (format === "hours") {
          value = value ? interpolate(gettext("%(hours)s hours of learning"), { hours: value }, true) : "";
        }
        target.textContent = value || empty;
      };
      field.addEventListener("input", show);
      show();
    });
    var upload = form.querySelector('input[type="file"][name="image"]');
    var image = box.querySelector("img");
    if (upload && image && window.URL) {
      upload.addEventListener("change", function () {
        var file = upload.files && upload.files[0];
        var note = box.querySelector("[data-preview-note]");
        if (!file) { return; }
        if (!/^image\/(png|svg\+xml)$/.test(file.type)) {
          if (note) { note.textContent = gettext("This file is not a PNG or SVG; it will be refused."); }
          return;
        }
        if (note) {
          note.textContent = interpolate(gettext("Preview of %(name)s (not saved yet)."), { name: file.name }, true);
        }
        image.src = URL.createObjectURL(file);
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    copyLinks();
    var form = document.querySelector("form[data-badge-form]");
    if (form) {
      checklist(form);
      preview(form);
    }
  });
})();
