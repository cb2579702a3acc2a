/* Verify page: drag and drop, a spinner, and the result without a page reload.
   Without JavaScript the form posts normally and the page renders the same result. */
(function () {
  "use strict";
  // Translations: Django's JavaScript catalogue (templates/base.html loads it first) gives
  // gettext, ngettext and interpolate; without it the English text is shown.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); });
  };
  var form = document.querySelector("[data-verify-form]");
  if (!form || !window.fetch || !window.FormData) return;
  var zone = form.querySelector("[data-dropzone]");
  var input = form.querySelector('input[type="file"]');
  var fileName = form.querySelector("[data-file-name]");
  var spinner = form.querySelector("[data-spinner]");
  var button = form.querySelector("[data-verify-button]");
  var output = document.querySelector("[data-verify-output]");
  var dropped = null;

  function showName(file) {
    if (!fileName) return;
    fileName.textContent = file
      ? interpolate(gettext("%(name)s (%(size)s KB)"), { name: file.name, size: Math.ceil(file.size / 1024) }, true)
      : "";
  }

  function busy(on) {
    spinner.hidden = !on;
    button.disabled = on;
    output.setAttribute("aria-busy", on ? "true" : "false");
  }

  function submit() {
    var data = new FormData(form);
    if (dropped) data.set("file", dropped, dropped.name || "badge");
    busy(true);
    fetch(form.action, {
      method: "POST",
      body: data,
      headers: { "X-Requested-With": "verify.js" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.text();
    }).then(function (html) {
      output.innerHTML = html;
      var verdict = output.querySelector(".verdict");
      if (verdict) { verdict.setAttribute("tabindex", "-1"); verdict.focus(); }
    }).catch(function () {
      var verdict = document.createElement("div");
      verdict.className = "verdict verdict--unknown_issuer";
      verdict.setAttribute("role", "alert");
      var line = document.createElement("p");
      line.className = "verdict-line";
      line.textContent = gettext("The check could not be sent. Please try again.");
      verdict.appendChild(line);
      output.replaceChildren(verdict);
    }).then(function () {
      busy(false);
      dropped = null;
      var email = form.querySelector('input[type="email"]');
      if (email) email.value = "";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });

  if (input) {
    input.addEventListener("change", function () {
      dropped = null;
      showName(input.files && input.files[0]);
    });
  }

  // The first file of a drop: from .files, or from .items where a browser fills only those.
  function droppedFile(transfer) {
    if (!transfer) return null;
    if (transfer.files && transfer.files.length) return transfer.files[0];
    var items = transfer.items || [];
    for (var i = 0; i < items.length; i++) {
      if (items[i].kind === "file") {
        var file = items[i].getAsFile();
        if (file) return file;
      }
    }
    return null;
  }

  if (zone) {
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();  // without this the browser refuses the drop here
        zone.classList.add("is-dragover");
      });
    });
    zone.addEventListener("dragleave", function (event) {
      // Moving onto the label or the icon inside the zone is not leaving it.
      if (event.relatedTarget && zone.contains(event.relatedTarget)) return;
      zone.classList.remove("is-dragover");
    });
    zone.addEventListener("dragend", function () { zone.classList.remove("is-dragover"); });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("is-dragover");
      var file = droppedFile(event.dataTransfer);
      if (!file) return;
      dropped = file;
      if (input) input.value = "";
      showName(dropped);
      submit();
    });
  }

  // Enhanced: drops and submits are handled here from now on (the tests wait for this).
  form.setAttribute("data-verify-ready", "");
})();
