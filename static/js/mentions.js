// @mentions in post and comment text areas marked data-mentions: type "@" and the start of a
// name, pick a member, and "@山田太郎#123" is inserted. Without this script members can still
// type the mention by hand; the page renders it the same way.
(function () {
  "use strict";
  var script = document.currentScript;
  var URL_ = script && script.dataset.url;
  var FOUND = (script && script.dataset.found) || "{count}";
  if (!URL_ || window.cityhallMentions) return;
  window.cityhallMentions = true;

  var DELAY_MS = 200;
  // "@" at the start or after anything but a mail address's characters, then the name so far.
  var TYPING = /(^|[^A-Za-z0-9._%+\-\/])@([^\s@#]{1,20})$/;
  var counter = 0;
  var state = new WeakMap();

  function setup(area) {
    var box = state.get(area);
    if (box) return box;
    counter += 1;
    var list = document.createElement("ul");
    list.id = "mention-list-" + counter;
    list.className = "combobox__list mention-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    var wrap = document.createElement("div");
    wrap.className = "combobox";
    area.parentNode.insertBefore(wrap, area.nextSibling);
    wrap.appendChild(list);
    wrap.appendChild(status);
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-controls", list.id);
    area.setAttribute("aria-expanded", "false");
    box = { area: area, list: list, status: status, items: [], active: -1, timer: 0, ticket: 0 };
    state.set(area, box);
    return box;
  }

  function typed(area) {
    var before = area.value.slice(0, area.selectionStart);
    var match = TYPING.exec(before);
    return match ? { query: match[2], start: before.length - match[2].length - 1 } : null;
  }

  function close(box) {
    box.list.hidden = true;
    box.list.textContent = "";
    box.items = [];
    box.active = -1;
    box.area.setAttribute("aria-expanded", "false");
    box.area.removeAttribute("aria-activedescendant");
  }

  function highlight(box, index) {
    box.active = index;
    Array.prototype.forEach.call(box.list.children, function (li, i) {
      li.setAttribute("aria-selected", i === index ? "true" : "false");
      if (i === index) box.area.setAttribute("aria-activedescendant", li.id);
    });
  }

  function show(box, results) {
    box.list.textContent = "";
    box.items = results;
    results.forEach(function (member, i) {
      var li = document.createElement("li");
      li.id = box.list.id + "-" + i;
      li.className = "combobox__option";
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = member.name; // text only: names never become markup
      var small = document.createElement("small");
      small.textContent = member.organization;
      li.appendChild(small);
      li.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the caret in the text area
        choose(box, i);
      });
      box.list.appendChild(li);
    });
    var open = results.length > 0;
    box.list.hidden = !open;
    box.area.setAttribute("aria-expanded", open ? "true" : "false");
    box.status.textContent = open ? FOUND.replace("{count}", results.length) : "";
    highlight(box, open ? 0 : -1);
  }

  function choose(box, index) {
    var member = box.items[index];
    var at = typed(box.area);
    if (!member || !at) return close(box);
    var value = box.area.value;
    var end = box.area.selectionStart;
    var insert = member.token + " ";
    box.area.value = value.slice(0, at.start) + insert + value.slice(end);
    var caret = at.start + insert.length;
    box.area.setSelectionRange(caret, caret);
    close(box);
    box.area.focus();
  }

  function search(box) {
    var at = typed(box.area);
    if (!at) return close(box);
    box.ticket += 1;
    var ticket = box.ticket;
    fetch(URL_ + "?q=" + encodeURIComponent(at.query), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        if (ticket === box.ticket) show(box, data.results || []);
      })
      .catch(function () { close(box); });
  }

  document.addEventListener("input", function (event) {
    var area = event.target;
    if (!area.matches || !area.matches("textarea[data-mentions]")) return;
    var box = setup(area);
    clearTimeout(box.timer);
    if (!typed(area)) return close(box);
    box.timer = setTimeout(function () { search(box); }, DELAY_MS);
  });

  document.addEventListener("keydown", function (event) {
    var area = event.target;
    if (!area.matches || !area.matches("textarea[data-mentions]")) return;
    var box = state.get(area);
    if (!box || box.list.hidden) return;
    var count = box.items.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      highlight(box, (box.active + (event.key === "ArrowDown" ? 1 : -1) + count) % count);
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      choose(box, box.active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close(box);
    }
  });

  document.addEventListener("focusout", function (event) {
    var box = event.target.matches && state.get(event.target);
    if (box) setTimeout(function () { close(box); }, 150);
  });
})();
