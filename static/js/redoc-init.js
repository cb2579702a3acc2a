// Starts ReDoc (django-ninja's bundled redoc.standalone.js) on the API reference page, loaded
// after static/js/redoc-offline.js. The OpenAPI address and the request's CSP nonce come from
// data-* attributes; ReDoc puts the nonce on the <style> elements it inserts, which the page's
// Content-Security-Policy then allows. No search: its worker would be a blob: script.
(function () {
  "use strict";
  var element = document.getElementById("redoc-ui");
  if (!element || !window.Redoc) return;
  window.Redoc.init(
    element.getAttribute("data-openapi-url"),
    { nonce: element.getAttribute("data-nonce") || undefined, disableSearch: true },
    element
  );
})();
