/* The portal's own script: ES5 only (Chrome 38 / Firefox 33). Every action works without it. */
(function () {
  "use strict";
  if (!window.htmx) { return; }
  htmx.config.selfRequestsOnly = true;
  htmx.config.allowEval = false;
  htmx.config.includeIndicatorStyles = false;
  htmx.config.historyCacheSize = 0;
  /* Validation errors come back as 422 with the re-rendered fragment: swap them in. */
  document.body.addEventListener("htmx:beforeSwap", function (evt) {
    if (evt.detail.xhr.status === 422 || evt.detail.xhr.status === 409) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });
}());
