// New comments on an open post page, without a reload.
// A WebSocket (/ws/posts/<id>/) says that a comment arrived; the page then fetches the rendered
// comments newer than the last one it shows (posts:comments_since). Where the WebSocket cannot
// connect (a proxy that blocks it), the page polls that same address every 20 seconds instead.
// New comments are added at the end, announced politely to screen readers, and never move the
// focus or the scroll position.
(function () {
  "use strict";
  var POLL_MS = 20000;
  // With the socket open, a slow poll still runs: an event lost on the way (a restart, pages
  // and sockets served by processes that share no channel layer) costs minutes, not forever.
  var SAFETY_POLL_MS = 120000;
  var CONNECT_TIMEOUT_MS = 10000;
  var MAX_RETRIES = 6;

  var section = document.querySelector("[data-live-url]");
  if (!section || !window.fetch || !window.DOMParser) return;
  var list = document.getElementById("comment-list");
  var status = section.querySelector("[data-live-status]");
  var counter = section.querySelector("[data-live-count]");
  var after = parseInt(section.dataset.liveAfter, 10) || 0;
  var busy = false;
  var again = false;
  var stopped = false;
  var timer = null;
  var failures = 0;

  function announce(count) {
    if (!status || !count) return;
    var text = count === 1 ? status.dataset.one : status.dataset.many.replace("{count}", count);
    // Emptied first so that the same sentence twice in a row is still read out.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 100);
  }

  function commentId(node) {
    var article = node.matches("article[id^='comment-']") ? node : node.querySelector("article[id^='comment-']");
    return article ? parseInt(article.id.slice("comment-".length), 10) || 0 : 0;
  }

  // Adds the fragment's comments that the page does not show yet; returns how many.
  function insert(html) {
    var root = new DOMParser().parseFromString(html, "text/html").body.firstElementChild;
    if (!root || !list) return 0;
    var added = 0;
    Array.prototype.slice.call(root.children).forEach(function (node) {
      var id = commentId(node);
      if (!id) return;
      after = Math.max(after, id);
      if (document.getElementById("comment-" + id)) return;
      if (node.dataset.replyTo) {
        var replies = document.getElementById("replies-" + node.dataset.replyTo);
        if (!replies) return;
        replies.hidden = false;
        replies.appendChild(document.importNode(node.firstElementChild, true));
      } else {
        list.appendChild(document.importNode(node, true));
      }
      added += 1;
    });
    var empty = document.getElementById("comments-empty");
    if (added && empty) empty.parentNode.removeChild(empty);
    if (counter && root.dataset.commentCount) counter.textContent = root.dataset.commentCount;
    return added;
  }

  function fetchNew() {
    if (stopped) return;
    if (busy) { again = true; return; }
    busy = true;
    // redirect "error": a session that ended is sent to the sign-in page; never insert that.
    window.fetch(section.dataset.liveUrl + "?after=" + after, {
      credentials: "same-origin",
      redirect: "error",
      headers: { Accept: "text/html" }
    }).then(function (response) {
      if (response.status === 204) return "";
      if (response.status === 404 || response.status === 403) { stop(); return ""; }
      if (!response.ok) throw new Error(String(response.status));
      return response.text();
    }).then(function (html) {
      if (html) announce(insert(html));
    }).catch(function () {
      // Offline or signed out: the next poll or socket event tries again.
    }).then(function () {
      busy = false;
      if (again) { again = false; fetchNew(); }
    });
  }

  function poll(interval) {
    stopPolling();
    if (stopped) return;
    timer = window.setInterval(function () { if (!document.hidden) fetchNew(); }, interval || POLL_MS);
  }

  function stopPolling() {
    if (timer) window.clearInterval(timer);
    timer = null;
  }

  function stop() {
    stopped = true;
    stopPolling();
  }

  function connect() {
    if (!window.WebSocket || stopped) { poll(); return; }
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket;
    try {
      socket = new window.WebSocket(scheme + window.location.host + section.dataset.liveSocket);
    } catch (error) {
      poll();
      return;
    }
    // A proxy may hold the connection open without answering: give up and poll.
    var timeout = window.setTimeout(function () { socket.close(); }, CONNECT_TIMEOUT_MS);
    socket.onopen = function () {
      window.clearTimeout(timeout);
      failures = 0;
      poll(SAFETY_POLL_MS);
      fetchNew(); // whatever arrived between the page load and now
    };
    socket.onmessage = function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (error) { return; }
      if (data && data.type === "new_comment" && data.id > after) fetchNew();
    };
    socket.onclose = function (event) {
      window.clearTimeout(timeout);
      poll();
      // Refused (4403) or signed out (4401): polling alone, which stops by itself if refused.
      if (event.code === 4403 || event.code === 4401 || stopped) return;
      failures += 1;
      if (failures <= MAX_RETRIES) window.setTimeout(connect, Math.min(300000, 5000 * Math.pow(2, failures)));
    };
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && timer) fetchNew();
  });
  connect();
})();
