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
  // A field's error message goes away once the member corrects the field; the summary at the
  // top stays until the next submit.
  function clearFieldError(event) {
    var input = event.target;
    var field = input.closest && input.closest(".field--error");
    if (!field) return;
    field.classList.remove("field--error");
    field.querySelectorAll(".field__error").forEach(function (p) { p.hidden = true; });
    field.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
  }
  document.addEventListener("input", clearFieldError);
  document.addEventListener("change", clearFieldError);
  // A folded group of duties names the ones ticked in it, so a choice never goes out of sight.
  document.addEventListener("change", function (event) {
    var group = event.target.closest && event.target.closest("[data-duty-group]");
    var chosen = group && group.querySelector("[data-chosen]");
    if (!chosen) return;
    var names = Array.prototype.filter.call(
      group.querySelectorAll("input[type=checkbox]"), function (box) { return box.checked; }
    ).map(function (box) { return box.closest("label").textContent.trim(); });
    chosen.querySelector("[data-chosen-list]").textContent = names.join("、");
    chosen.hidden = names.length === 0;
  });
  // A destructive step (a form or submit button with data-confirm) asks first, in our own
  // <dialog> from base.html: focus starts on "やめる", Escape cancels, and focus returns to the
  // button that asked. Runs before the data-once handler (capture), so a cancelled submit
  // leaves the form free.
  var dialog = document.getElementById("confirm-dialog");
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter || null;
    var message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (!message || !dialog || typeof dialog.showModal !== "function") return;
    if (form.dataset.confirmed) { delete form.dataset.confirmed; return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    var opener = submitter || document.activeElement;
    dialog.querySelector("#confirm-dialog-message").textContent = message;
    dialog.returnValue = "";
    dialog.showModal();
    dialog.querySelector("button[value=cancel]").focus();
    dialog.addEventListener("close", function () {
      if (opener && opener.focus) opener.focus();
      if (dialog.returnValue !== "confirm") return;
      form.dataset.confirmed = "1";
      if (form.requestSubmit) form.requestSubmit(submitter || undefined); else form.submit();
    }, { once: true });
  }, true);
})();
