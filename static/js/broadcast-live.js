// Live comments on an episode page: WebSocket push, polling when WebSockets are blocked,
// catch-up after a reconnect, posting without a reload. Comments are inserted as text only.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector(".live-comments");
    if (!root || root.dataset.open !== "1") return;
    var list = root.querySelector("[data-list]");
    var status = root.querySelector("[data-status]");
    var viewersBadge = root.querySelector("[data-viewers]");
    var form = root.querySelector("[data-comment-form]");
    var lastId = 0;
    list.querySelectorAll("li[data-id]").forEach(function (li) { lastId = Math.max(lastId, +li.dataset.id); });
    var socket = null, failures = 0, pollTimer = null;
    var lang = document.documentElement.lang || "ja";
    var T = lang === "en"
      ? { polling: "Live updates are checked every few seconds.", reconnecting: "Reconnecting…", viewers: " watching", failed: "Could not send. Please try again." }
      : { polling: "数秒ごとに新しいコメントを確認しています。", reconnecting: "再接続しています…", viewers: "人が視聴中", failed: "送信できませんでした。もう一度お試しください。" };

    function add(comment) {
      if (comment.id <= lastId && list.querySelector('li[data-id="' + comment.id + '"]')) return;
      var empty = list.querySelector("[data-empty]");
      if (empty) empty.remove();
      var li = document.createElement("li");
      li.dataset.id = comment.id;
      var meta = document.createElement("span");
      meta.className = "live-comments__meta";
      var who = document.createElement("strong");
      who.textContent = comment.author;
      var org = document.createElement("span");
      org.className = "muted";
      org.textContent = " " + comment.organization;
      meta.append(who, org);
      var body = document.createElement("span");
      body.className = "live-comments__body";
      body.textContent = " " + comment.body;
      li.append(meta, body);
      if (root.dataset.canRun === "1") li.append(moderation(comment.id));
      list.append(li);
      lastId = Math.max(lastId, comment.id);
      list.scrollTop = list.scrollHeight;
    }
    function moderation(id) {
      var wrap = document.createElement("span");
      [["delete", root.dataset.deleteUrl, lang === "en" ? "Delete" : "削除"],
       ["mute", root.dataset.muteUrl, lang === "en" ? "Mute" : "ミュート"]].forEach(function (item) {
        var b = document.createElement("button");
        b.type = "button"; b.className = "link-button"; b.textContent = " " + item[2];
        b.addEventListener("click", function () { send(item[1].replace("/0/", "/" + id + "/"), null); });
        wrap.append(b);
      });
      return wrap;
    }
    function remove(id) {
      var li = list.querySelector('li[data-id="' + id + '"]');
      if (li) li.remove();
    }
    function showViewers(count) {
      if (viewersBadge) viewersBadge.textContent = lang === "en" ? count + T.viewers : count + T.viewers;
    }
    function handle(msg) {
      if (msg.type === "comment") { add(msg.comment); if (typeof msg.viewers === "number") showViewers(msg.viewers); }
      else if (msg.type === "comments") { msg.comments.forEach(add); if (typeof msg.viewers === "number") showViewers(msg.viewers); }
      else if (msg.type === "deleted") remove(msg.id);
      else if (msg.type === "viewers") showViewers(msg.count);
      else if (msg.type === "session_ended") window.location.reload();
    }
    function poll() {
      fetch(root.dataset.commentsUrl + "?after=" + lastId, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) { data.comments.forEach(add); showViewers(data.viewers); } })
        .catch(function () {});
    }
    function startPolling() {
      if (pollTimer) return;
      status.textContent = T.polling;
      pollTimer = window.setInterval(poll, 5000);
      poll();
    }
    function catchUp() {
      if (socket && socket.readyState === 1) socket.send(JSON.stringify({ type: "catch_up", after: lastId }));
    }
    function connect() {
      if (!("WebSocket" in window)) { startPolling(); return; }
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      var opened = false;
      socket = new WebSocket(scheme + location.host + "/ws/episodes/" + root.dataset.episode + "/");
      socket.onopen = function () {
        opened = true; failures = 0; status.textContent = "";
        if (pollTimer) { window.clearInterval(pollTimer); pollTimer = null; }
        catchUp();
      };
      socket.onmessage = function (event) {
        try { handle(JSON.parse(event.data)); } catch (e) { /* ignore malformed */ }
      };
      socket.onclose = function (event) {
        if (event.code === 4401 || event.code === 4403) return;
        failures += opened ? 0 : 1;
        // Refused twice (a proxy blocking WebSockets, or the server unable to take them for
        // now, e.g. while Redis is down): poll meanwhile, and keep trying the socket less often,
        // at a random moment so thousands of viewers do not all come back in the same second.
        if (failures >= 2) startPolling();
        else status.textContent = T.reconnecting;
        var wait = Math.min(300000, 1000 * Math.pow(2, failures + 1));
        window.setTimeout(connect, wait * (0.5 + Math.random() / 2));
      };
    }
    // Comments sent while the server could not pass them on (Redis down) would never arrive on
    // a socket that stayed open: every few minutes it asks for what came after the last one.
    window.setInterval(catchUp, 120000 + Math.floor(Math.random() * 30000));
    var csrf = (JSON.parse(document.body.getAttribute("hx-headers") || "{}"))["X-CSRFToken"] || "";
    function send(url, body, key) {
      var data = new FormData();
      if (body !== null) data.append("body", body);
      if (key) data.append("submission_key", key);
      return fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json", "X-CSRFToken": csrf } })
        .then(function (r) { return r.json().then(function (json) { return { ok: r.ok, json: json }; }); });
    }
    // A one-time key per comment, sent again when the same text is sent again after a failure:
    // if the first try did arrive, the server answers with that comment instead of a second.
    function newKey() {
      if (window.crypto.randomUUID) return window.crypto.randomUUID();
      var b = window.crypto.getRandomValues(new Uint8Array(16));  // plain-HTTP pages lack randomUUID
      b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
      var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
      return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
    }
    if (form) {
      var input = form.querySelector("input[name=body]");
      var error = form.querySelector("[data-error]");
      var button = form.querySelector("[type=submit]");
      var key = null, keyText = null, sending = false;
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (sending) return;  // a double tap sends once
        if (key === null || keyText !== input.value) { key = newKey(); keyText = input.value; }
        sending = true;
        button.setAttribute("aria-disabled", "true");
        error.textContent = "";
        input.removeAttribute("aria-invalid");
        send(root.dataset.postUrl, input.value, key).then(function (result) {
          if (result.ok) { add(result.json.comment); input.value = ""; key = null; }
          else { error.textContent = result.json.error || T.failed; input.setAttribute("aria-invalid", "true"); }
        }).catch(function () { error.textContent = T.failed; }).then(function () {
          sending = false;
          button.removeAttribute("aria-disabled");
        });
      });
    }
    connect();
  });
})();
