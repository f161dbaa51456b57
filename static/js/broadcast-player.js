// The episode player: HLS where the browser lacks it (hls.js), an audio-only mode, chapters,
// and the archive's comments replayed in step with playback.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var video = document.querySelector("[data-player] video");
    if (!video) return;
    var source = video.dataset.hls;
    if (source) {
      if (video.canPlayType("application/vnd.apple.mpegurl")) {
        video.src = source;
      } else if (window.Hls && window.Hls.isSupported()) {
        var hls = new window.Hls({ liveSyncDurationCount: 3 });
        hls.loadSource(source);
        hls.attachMedia(video);
      }
    }
    // Audio only: the picture is hidden, the sound keeps playing (listening like the radio).
    // An archive with its sound alone switches to that file, from the same moment, so the
    // phone stops downloading the picture. The choice is remembered on this device.
    var toggle = document.querySelector("[data-audio-only]");
    var videoSrc = video.getAttribute("src");
    var switchTo = function (src) {
      var at = video.currentTime, playing = !video.paused;
      video.src = src;
      video.addEventListener("loadedmetadata", function () {
        video.currentTime = at;
        if (playing) video.play();
      }, { once: true });
    };
    var audioOnly = function (on) {
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      video.closest("[data-player]").classList.toggle("player--audio", on);
      if (video.dataset.audioSrc) switchTo(on ? video.dataset.audioSrc : videoSrc);
      try { localStorage.setItem("cityhall.audioOnly", on ? "1" : ""); } catch (e) { /* private mode */ }
    };
    if (toggle) {
      toggle.addEventListener("click", function () {
        audioOnly(toggle.getAttribute("aria-pressed") !== "true");
      });
      var remembered = "";
      try { remembered = localStorage.getItem("cityhall.audioOnly") || ""; } catch (e) { /* private mode */ }
      if (remembered) audioOnly(true);
    }
    document.querySelectorAll("[data-seek]").forEach(function (button) {
      button.addEventListener("click", function () {
        video.currentTime = +button.dataset.seek;
        video.play();
      });
    });
    // Archive: comments appear as the recording reaches the moment they were written.
    if (video.hasAttribute("data-archive")) {
      var items = document.querySelectorAll(".live-comments__list li[data-offset]");
      var update = function () {
        var now = video.currentTime;
        items.forEach(function (li) { li.hidden = +li.dataset.offset > now; });
      };
      video.addEventListener("play", update);
      // Count this member as a listener once (the server keeps one per member and episode).
      var csrf = (JSON.parse(document.body.getAttribute("hx-headers") || "{}"))["X-CSRFToken"] || "";
      video.addEventListener("play", function () {
        fetch(video.dataset.playedUrl, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf } }).catch(function () {});
      }, { once: true });
      video.addEventListener("timeupdate", update);
      video.addEventListener("seeked", update);
    }
  });
})();
