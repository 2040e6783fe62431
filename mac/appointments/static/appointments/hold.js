/* The hold page: how long the place stays held. The visible count updates
   every second but is not announced; a live region speaks only when one
   minute is left and when the time is over. Seconds come from the server,
   so a wrong clock on the phone does not matter. */
(function () {
  "use strict";

  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function format(seconds) {
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    return h ? h + ":" + two(m) + ":" + two(s) : m + ":" + two(s);
  }

  function start(box) {
    var deadline = Date.now() + parseInt(box.dataset.seconds, 10) * 1000;
    var left = box.querySelector("[data-countdown-left]");
    var alert = box.querySelector("[data-countdown-alert]");
    var warned = false;
    var timer = null;

    function tick() {
      var seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      if (seconds === 0) {
        window.clearInterval(timer);
        left.textContent = "";
        alert.textContent = box.dataset.over;
        alert.classList.remove("visually-hidden");
        return;
      }
      left.textContent = box.dataset.left.replace("%(time)s", format(seconds));
      if (seconds <= 60 && !warned) {
        warned = true;
        alert.textContent = box.dataset.warning;
      }
    }

    tick();
    timer = window.setInterval(tick, 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-countdown]").forEach(start);
  });
})();
