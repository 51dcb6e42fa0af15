// Seeks the episode player when a chapter or transcript timestamp is
// clicked. Without JavaScript the links are plain anchors and the <audio>
// element still plays.
(function () {
  "use strict";
  var audio = document.querySelector("audio[data-episode]");
  if (!audio) return;
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a.seek") : null;
    if (!a) return;
    var t = Number(a.getAttribute("data-start"));
    if (!isFinite(t)) return;
    ev.preventDefault();
    audio.currentTime = t;
    audio.play().catch(function () {});
  });
})();
