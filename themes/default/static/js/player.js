// The episode player: chapter and transcript timestamps seek it, it
// remembers where each episode was left, and it offers playback speeds.
// Without JavaScript the links are plain anchors and the <audio> element
// still plays; the speed control is only created here, so no one sees a
// control that does nothing.
(function () {
  "use strict";
  var audio = document.querySelector("audio[data-episode]");
  if (!audio) return;
  var store = null;
  try { store = window.localStorage; store.getItem("x"); } catch (e) { store = null; }
  function get(k) { try { return store && store.getItem(k); } catch (e) { return null; } }
  function set(k, v) { try { if (store) store.setItem(k, v); } catch (e) {} }
  function del(k) { try { if (store) store.removeItem(k); } catch (e) {} }

  var resume = 0; // where to pick up once the audio has loaded
  function seek(t) {
    resume = 0;
    audio.currentTime = t;
    audio.play().catch(function () {});
  }
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a.seek") : null;
    if (!a) return;
    var t = Number(a.getAttribute("data-start"));
    if (!isFinite(t)) return;
    ev.preventDefault();
    seek(t);
  });

  // Resume where the listener left off, per episode.
  var key = "shownotes:position:" + audio.getAttribute("data-episode");
  var saved = Number(get(key));
  if (saved > 0) {
    resume = saved;
    audio.currentTime = saved; // with preload="none", the start position
    audio.addEventListener("loadedmetadata", function () {
      if (resume && resume < audio.duration - 1) audio.currentTime = resume;
      resume = 0;
    }, { once: true });
  }
  var last = 0;
  function save() {
    if (audio.currentTime > 0) set(key, audio.currentTime.toFixed(1));
  }
  audio.addEventListener("timeupdate", function () {
    var now = Date.now();
    if (now - last < 5000) return;
    last = now;
    save();
  });
  audio.addEventListener("pause", save);
  audio.addEventListener("ended", function () { del(key); });

  // Playback speed, remembered across episodes.
  var speeds = [1, 1.25, 1.5, 2];
  var label = document.createElement("label");
  label.className = "speed";
  label.appendChild(document.createTextNode("Speed "));
  var select = document.createElement("select");
  speeds.forEach(function (s) {
    var o = document.createElement("option");
    o.value = String(s);
    o.textContent = s + "×";
    select.appendChild(o);
  });
  label.appendChild(select);
  function rate(r) {
    if (speeds.indexOf(r) < 0) r = 1;
    audio.playbackRate = audio.defaultPlaybackRate = r;
    select.value = String(r);
  }
  rate(Number(get("shownotes:speed")) || 1);
  select.addEventListener("change", function () {
    rate(Number(select.value));
    set("shownotes:speed", select.value);
  });
  audio.insertAdjacentElement("afterend", label);
})();
