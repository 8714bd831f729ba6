/* The portal's own script: ES5 only (Chrome 38 / Firefox 33). Every action works without it. */
(function () {
  "use strict";
  if (!window.htmx) { return; }
  htmx.config.selfRequestsOnly = true;
  htmx.config.allowEval = false;
  htmx.config.includeIndicatorStyles = false;
  htmx.config.historyCacheSize = 0;
  /* "Next" buttons step a chain without JavaScript; with it the drop-downs update in place. */
  var steps = document.querySelectorAll(".js-hide");
  for (var i = 0; i < steps.length; i++) { steps[i].style.display = "none"; }
  document.body.addEventListener("htmx:afterSwap", function () {
    var more = document.querySelectorAll(".js-hide");
    for (var j = 0; j < more.length; j++) { more[j].style.display = "none"; }
  });
  /* Validation errors come back as 422 with the re-rendered fragment, maintenance's refusal as
     503 aimed at the notice slot: swap them in. */
  document.body.addEventListener("htmx:beforeSwap", function (evt) {
    var status = evt.detail.xhr.status;
    if (status === 422 || status === 409 ||
        (status === 503 && evt.detail.xhr.getResponseHeader("HX-Retarget"))) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });
}());
