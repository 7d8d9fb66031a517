// The kiosk screen (/kiosque): after a while without a touch, go home through /kiosque/fin, which
// clears the family's choices; and reload when a USB stick is plugged in or pulled out. Without
// this script the pages do both with a refresh (in <noscript>), only less smoothly.
(function () {
  "use strict";
  var body = document.body;
  var idle = Number(body.getAttribute("data-idle"));
  if (idle > 0) {
    var timer = 0;
    var wake = function () {
      clearTimeout(timer);
      timer = setTimeout(function () { location.href = "/kiosque/fin"; }, idle * 1000);
    };
    ["pointerdown", "keydown", "scroll", "touchstart", "input"].forEach(function (name) {
      addEventListener(name, wake, { passive: true, capture: true });
    });
    wake();
  }
  var drives = body.getAttribute("data-drives");
  if (drives === null) return;
  var look = function () {
    fetch("/kiosque/cles.json", { cache: "no-store", credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (now) {
        if (now && now.drives !== drives) location.reload();
        else setTimeout(look, 2000);
      })
      .catch(function () { setTimeout(look, 5000); });
  };
  setTimeout(look, 2000);
})();
