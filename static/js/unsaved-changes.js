/* Warn before leaving a change form with unsaved input. Pressing one of the form's own buttons
   (save, a workflow step) is not leaving; updating the preview is not saving. */
(function () {
  "use strict";

  function watch(form) {
    let unsaved = Boolean(document.querySelector("[data-unsaved-input]"));
    const mark = function (event) {
      if (event && event.target && event.target.closest && event.target.closest("[data-not-content]")) return;
      unsaved = true;
    };
    form.addEventListener("input", mark);
    form.addEventListener("change", mark);
    // Inputs outside the form that belong to it (a step's note) count too.
    document.querySelectorAll("[form='" + form.id + "']").forEach(function (input) {
      input.addEventListener("input", mark);
    });
    if (window.django && window.django.jQuery) {
      window.django.jQuery(form).on("change", mark); // select2 and other jQuery widgets
    }
    form.addEventListener("submit", function (event) {
      if (event.submitter && event.submitter.name === "_preview") return;
      unsaved = false;
    });
    window.addEventListener("beforeunload", function (event) {
      if (!unsaved) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }

  function start() {
    document.querySelectorAll("body.change-form #content-main form[method='post']").forEach(watch);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
