// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // Move focus to an error summary so keyboard and screen-reader users hear it first.
  document.addEventListener("DOMContentLoaded", function () {
    var target = document.querySelector("[data-autofocus]");
    if (target) target.focus();
  });
  // Forms marked data-once are sent once: while one is on its way, its submit buttons are
  // disabled and a second tap does nothing. aria-disabled rather than disabled, so a button
  // keeps its name and focus and the button that was pressed (プレビュー) is still sent.
  // Released when the page comes back from the back/forward cache, when an htmx request ends,
  // and after a while without an answer: a retry is safe, the form's one-time key makes the
  // server answer with what the first submit created.
  var RELEASE_AFTER_MS = 20000;
  function submitButtons(form) {
    return Array.prototype.filter.call(form.elements, function (el) { return el.type === "submit"; });
  }
  function release(form) {
    if (!form || !form.dataset.submitted) return;
    delete form.dataset.submitted;
    form.removeAttribute("aria-busy");
    submitButtons(form).forEach(function (b) { b.removeAttribute("aria-disabled"); });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-once]")) return;
    if (form.dataset.submitted) { event.preventDefault(); return; }
    var sending = String(Date.now());
    form.dataset.submitted = sending;
    form.setAttribute("aria-busy", "true");
    submitButtons(form).forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
    window.setTimeout(function () {
      if (form.dataset.submitted === sending) release(form);
    }, RELEASE_AFTER_MS);
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) document.querySelectorAll("form[data-submitted]").forEach(release);
  });
  ["htmx:afterRequest", "htmx:sendError", "htmx:responseError"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var elt = event.detail && event.detail.elt;
      if (elt && elt.closest) release(elt.closest("form[data-once]"));
    });
  });
  // Buttons with data-confirm ask before a destructive action.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.dataset.confirm)) event.preventDefault();
  });
})();
