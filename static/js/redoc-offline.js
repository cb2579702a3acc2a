// Loaded before redoc.standalone.js. ReDoc's side menu always shows Redocly's logo from
// https://cdn.redoc.ly; this page uses nothing from another origin (it works offline and its
// Content-Security-Policy allows images from us only), so that one image gets an empty picture.
(function () {
  "use strict";
  var REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg";
  var EMPTY = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";

  function local(value) {
    return value === REDOCLY_LOGO ? EMPTY : value;
  }

  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    var isSrc = this instanceof HTMLImageElement && String(name).toLowerCase() === "src";
    return setAttribute.call(this, name, isSrc ? local(value) : value);
  };
  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: src.enumerable,
    get: src.get,
    set: function (value) { src.set.call(this, local(value)); },
  });
})();
