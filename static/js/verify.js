/* Verify page: drag and drop, a spinner, and the result without a page reload.
   Without JavaScript the form posts normally and the page renders the same result. */
(function () {
  "use strict";
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
    if (fileName) fileName.textContent = file ? file.name + " (" + Math.ceil(file.size / 1024) + " KB)" : "";
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
      output.innerHTML = '<div class="verdict verdict--unknown_issuer" role="alert"><p class="verdict-line">The check could not be sent. Please try again.</p></div>';
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

  if (zone) {
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("is-dragover");
      });
    });
    ["dragleave", "dragend"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("is-dragover"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("is-dragover");
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length) return;
      dropped = files[0];
      if (input) input.value = "";
      showName(dropped);
      submit();
    });
  }
})();
