/* The portal's own script: ES5 only (Chrome 38 / Firefox 33). Every action works without it. */
(function () {
  "use strict";

  function each(list, fn) {
    for (var i = 0; i < list.length; i++) { fn(list[i]); }
  }

  function closest(node, attribute) {
    while (node && node.getAttribute) {
      if (node.getAttribute(attribute)) { return node; }
      node = node.parentNode;
    }
    return null;
  }

  /* Comment boxes fold with a button: Firefox 33-48 cannot fold <details>. Without JavaScript
     the same link opens the field's own comment page. */
  function prepareFolds(root) {
    each(root.querySelectorAll("[data-fold]"), function (link) {
      link.setAttribute("role", "button");
      link.setAttribute("aria-expanded", "false");
      link.setAttribute("aria-controls", link.getAttribute("data-fold"));
    });
  }

  function toggle(link) {
    var box = document.getElementById(link.getAttribute("data-fold"));
    if (!box) { return; }
    var opening = box.hasAttribute("hidden");
    if (opening) { box.removeAttribute("hidden"); } else { box.setAttribute("hidden", "hidden"); }
    link.setAttribute("aria-expanded", opening ? "true" : "false");
    var area = box.querySelector("textarea");
    if (opening && area) { area.focus(); }
  }

  document.addEventListener("click", function (evt) {
    var link = closest(evt.target, "data-fold");
    if (link) { evt.preventDefault(); toggle(link); }
  });
  document.addEventListener("keydown", function (evt) {
    var link = closest(evt.target, "data-fold");
    if (link && (evt.keyCode === 32)) { evt.preventDefault(); toggle(link); }
  });
  prepareFolds(document);

  /* Marks of fields required by a condition follow the answers as they change (the server
     decides again on Save; a condition on a field not in this form keeps the server's mark). */
  function answer(form, name) {
    var found = form.querySelectorAll("[name='" + name + "']");
    if (!found.length) { return undefined; }
    var value = null;
    each(found, function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      value = el.value;
    });
    if (value === "yes") { return true; }
    if (value === "no") { return false; }
    return value === "" ? null : value;
  }

  function holds(cond, read) {
    var i, v;
    if (cond.all) {
      for (i = 0; i < cond.all.length; i++) { v = holds(cond.all[i], read); if (v !== true) { return v; } }
      return true;
    }
    if (cond.any) {
      var unknown = false;
      for (i = 0; i < cond.any.length; i++) {
        v = holds(cond.any[i], read);
        if (v === true) { return true; }
        if (v === undefined) { unknown = true; }
      }
      return unknown ? undefined : false;
    }
    if (cond.not) { v = holds(cond.not, read); return v === undefined ? v : !v; }
    v = read(cond.field);
    if (v === undefined) { return undefined; }
    if (cond.filled !== undefined) { return (v !== null) === cond.filled; }
    if (cond.equals !== undefined) { return String(v) === String(cond.equals); }
    if (cond.not_equals !== undefined) { return String(v) !== String(cond.not_equals); }
    for (i = 0; i < (cond["in"] || []).length; i++) { if (String(v) === String(cond["in"][i])) { return true; } }
    return false;
  }

  function updateMarks(root) {
    each(root.querySelectorAll("[data-required-if]"), function (wrap) {
      var form = wrap.form || closest(wrap, "method");
      var spec = JSON.parse(wrap.getAttribute("data-required-if"));
      if (!form) { return; }
      var now = holds(spec["if"], function (field) {
        var own = answer(form, spec.prefix + field);
        return own === undefined ? answer(form, "f." + field) : own;
      });
      if (now === undefined) { return; }
      each(wrap.querySelectorAll(".req-if"), function (mark) {
        if (now) { mark.removeAttribute("hidden"); } else { mark.setAttribute("hidden", "hidden"); }
      });
      var control = document.getElementById(wrap.getAttribute("data-control"));
      if (control) {
        if (now) { control.setAttribute("aria-required", "true"); } else { control.removeAttribute("aria-required"); }
      }
    });
  }
  document.addEventListener("change", function (evt) {
    var form = closest(evt.target, "method");
    if (form) { updateMarks(form); }
  });
  updateMarks(document);

  /* The language switch returns to the page and stage shown now, also after htmx moved on. */
  each(document.querySelectorAll("form.language"), function (form) {
    form.addEventListener("submit", function () {
      var next = form.querySelector("input[name=next]");
      if (next) { next.value = window.location.pathname + window.location.search; }
    });
  });

  if (!window.htmx) { return; }
  htmx.config.selfRequestsOnly = true;
  htmx.config.allowEval = false;
  htmx.config.includeIndicatorStyles = false;
  htmx.config.historyCacheSize = 0;
  /* "Next" buttons step a chain without JavaScript; with it the drop-downs update in place. */
  function hideSteps() {
    each(document.querySelectorAll(".js-hide"), function (step) { step.style.display = "none"; });
  }
  hideSteps();

  /* Screen readers hear what changed out of sight (the region is in base.html). */
  function announce(text) {
    var region = document.getElementById("announce");
    if (!region) { return; }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text.replace(/\s+/g, " "); }, 60);
  }

  function focusOn(element) {
    if (!element.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(element.tagName)) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
  }

  /* After Save / Done / a stage link: show the new stage from its top, or the first error, with
     focus there; the message is said aloud. */
  function afterPanelSwap(panel) {
    var wrong = panel.querySelector(".has-error");
    var flash = panel.querySelector(".flash");
    var spoken = flash ? flash.textContent : "";
    if (wrong) {
      var control = wrong.querySelector("input:not([type=hidden]), select, textarea") || wrong;
      var error = wrong.querySelector(".errors, .error");
      if (error) { spoken += " " + error.textContent; }
      wrong.scrollIntoView(true);
      focusOn(control);
    } else {
      panel.scrollIntoView(true);
      focusOn(panel.querySelector("#check-results") || flash || panel.querySelector("#stage-title") || panel);
    }
    if (spoken) { announce(spoken); }
  }

  document.body.addEventListener("htmx:afterSettle", function (evt) {
    hideSteps();
    prepareFolds(document);
    updateMarks(document);
    var target = evt.detail.target;
    if (target && target.id === "stage-panel") {
      afterPanelSwap(target);
    }
    /* a chain choice redraws its drop-downs: focus stays on the one just chosen */
    var source = evt.detail.requestConfig && evt.detail.requestConfig.elt;
    if (source && source.id && source.id.indexOf("chain-") === 0) {
      var again = document.getElementById(source.id);
      if (again && again !== document.activeElement) { again.focus(); }
    }
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
