// Type-ahead comboboxes (ARIA 1.2 pattern) for fields rendered by OrganizationCombobox.
// Without this script the text box still works: the server resolves what was typed.
(function () {
  "use strict";
  if (window.cityhallCombobox) return; // the widget may appear, and load this file, twice
  window.cityhallCombobox = true;

  var DELAY_MS = 200;
  var SELECTOR = "[data-combobox] input[role=combobox]";

  function parts(input) {
    var root = input.closest("[data-combobox]");
    return {
      root: root,
      input: input,
      hidden: root.querySelector("[data-combobox-value]"),
      list: document.getElementById(input.getAttribute("aria-controls")),
      status: root.querySelector("[data-combobox-status]"),
    };
  }

  function options(box) {
    return Array.prototype.slice.call(box.list.querySelectorAll("[role=option]"));
  }

  function activeIndex(box) {
    return options(box).findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
  }

  function setActive(box, index) {
    options(box).forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      if (i === index) {
        box.input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      }
    });
    if (index < 0) box.input.removeAttribute("aria-activedescendant");
  }

  function setOpen(box, open) {
    box.input.setAttribute("aria-expanded", open ? "true" : "false");
    box.list.hidden = !open;
    if (!open) setActive(box, -1);
  }

  function choose(box, option) {
    box.hidden.value = option.dataset.value;
    box.input.value = option.dataset.label;
    setOpen(box, false);
    box.status.textContent = box.root.dataset.msgChosen.replace("{label}", option.dataset.label);
  }

  var timers = new WeakMap();
  var latest = new WeakMap();

  function search(box) {
    var query = box.input.value.trim();
    var ticket = (latest.get(box.input) || 0) + 1;
    latest.set(box.input, ticket);
    if (!query) {
      box.list.innerHTML = "";
      setOpen(box, false);
      box.status.textContent = "";
      return;
    }
    fetch(box.root.dataset.url + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        if (latest.get(box.input) !== ticket) return; // a newer search is on its way
        box.list.innerHTML = html;
        var found = options(box);
        found.forEach(function (option, i) { option.id = box.list.id + "-" + i; });
        setOpen(box, found.length > 0 && document.activeElement === box.input);
        box.status.textContent = found.length
          ? box.root.dataset.msgCount.replace("{count}", found.length)
          : box.root.dataset.msgNone;
      })
      .catch(function () {
        if (latest.get(box.input) === ticket) box.status.textContent = box.root.dataset.msgError;
      });
  }

  document.addEventListener("input", function (event) {
    if (!event.target.matches(SELECTOR)) return;
    var box = parts(event.target);
    box.hidden.value = ""; // typing again discards an earlier choice
    clearTimeout(timers.get(box.input));
    timers.set(box.input, setTimeout(function () { search(box); }, DELAY_MS));
  });

  document.addEventListener("keydown", function (event) {
    if (!event.target.matches(SELECTOR)) return;
    var box = parts(event.target);
    var count = options(box).length;
    var open = box.input.getAttribute("aria-expanded") === "true";
    var index = activeIndex(box);
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp":
        event.preventDefault();
        if (!count) { search(box); return; }
        if (!open) { setOpen(box, true); }
        var step = event.key === "ArrowDown" ? 1 : -1;
        if (event.altKey) return; // Alt+Down only opens the list
        setActive(box, index < 0 ? (step > 0 ? 0 : count - 1) : (index + step + count) % count);
        break;
      case "Enter":
        if (open && index >= 0) {
          event.preventDefault(); // choose, do not submit the form
          choose(box, options(box)[index]);
        }
        break;
      case "Escape":
        if (open) {
          event.preventDefault();
          setOpen(box, false);
        } else if (box.input.value) {
          event.preventDefault();
          box.input.value = "";
          box.hidden.value = "";
        }
        break;
      case "Tab":
        setOpen(box, false);
        break;
    }
  });

  // Keep focus in the text box while an option is pressed, then choose it.
  document.addEventListener("mousedown", function (event) {
    if (event.target.closest("[data-combobox] [role=option]")) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-combobox] [role=option]");
    if (!option) return;
    var box = parts(option.closest("[data-combobox]").querySelector("input[role=combobox]"));
    choose(box, option);
    box.input.focus();
  });

  document.addEventListener("focusout", function (event) {
    if (!event.target.matches(SELECTOR)) return;
    var box = parts(event.target);
    if (!box.root.contains(event.relatedTarget)) setOpen(box, false);
  });
})();
