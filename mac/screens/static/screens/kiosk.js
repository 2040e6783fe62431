// Kiosk: recover by itself and refuse double submits.
// - after `data-idle-seconds` without a touch, click or key, warn for 10 s,
//   then go back to the start (which also resets the language to Spanish);
// - a ticket form submits once: the button is disabled after the first submit
//   (the server's one-time key makes a second POST harmless anyway);
// - Enter in a field with data-enter-next moves on (QR readers end with Enter).
(function () {
  "use strict";
  var shell = document.querySelector(".kiosk-shell");
  if (!shell) return;
  var idleSeconds = parseInt(shell.getAttribute("data-idle-seconds"), 10) || 60;
  var restartUrl = shell.getAttribute("data-restart-url");
  // A screen may say whether it is the start (data-start="1" or "0");
  // otherwise the first step, or a screen without steps, is the start.
  var onStart = shell.hasAttribute("data-start") ? shell.getAttribute("data-start") === "1" :
    !document.querySelector(".kiosk-steps [aria-current='step']") ||
    document.querySelector(".kiosk-steps li:first-child[aria-current='step']");
  var warning = document.getElementById("kiosk-idle");
  var stay = document.getElementById("kiosk-idle-stay");
  var warnTimer = null;
  var leaveTimer = null;
  // Warn during the last seconds before going back (10 s, less on short timeouts).
  var WARN_SECONDS = Math.min(10, Math.floor(idleSeconds / 3));

  function restart() {
    window.location.assign(restartUrl);
  }

  function hideWarning() {
    if (warning && !warning.hidden) warning.hidden = true;
  }

  function arm() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(leaveTimer);
    hideWarning();
    var warnAfter = (idleSeconds - WARN_SECONDS) * 1000;
    warnTimer = window.setTimeout(function () {
      if (onStart && !document.querySelector(".kiosk-ticket")) {
        // Already at the start: just reload it in Spanish, no warning.
        leaveTimer = window.setTimeout(restart, WARN_SECONDS * 1000);
        return;
      }
      if (warning) {
        warning.hidden = false;
        if (stay) stay.focus();
      }
      leaveTimer = window.setTimeout(restart, WARN_SECONDS * 1000);
    }, warnAfter);
  }

  ["pointerdown", "keydown", "touchstart", "input"].forEach(function (name) {
    document.addEventListener(name, arm, { passive: true });
  });
  if (stay) stay.addEventListener("click", arm);

  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sent") === "1") {
        event.preventDefault();
        return;
      }
      form.setAttribute("data-sent", "1");
      var button = form.querySelector("button[type=submit]");
      if (button) {
        button.setAttribute("aria-disabled", "true");
        button.classList.add("is-sending");
      }
    });
  });

  // A QR reader types the appointment code and then Enter: go on to the
  // next field instead of submitting a form that still lacks the document.
  document.querySelectorAll("[data-enter-next]").forEach(function (input) {
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      var next = document.getElementById(input.getAttribute("data-enter-next"));
      if (next && !next.value) {
        event.preventDefault();
        next.focus();
      }
    });
  });

  // Move focus to the page's heading so that screen readers and keyboard users
  // start at the top of each step.
  var main = document.getElementById("contenido");
  var firstError = document.querySelector("[aria-invalid='true']");
  var autofocus = document.querySelector("[autofocus]");
  if (firstError) {
    firstError.focus();
  } else if (autofocus) {
    // The browser's own autofocus comes too late: this script runs first.
    autofocus.focus();
  } else if (main && document.activeElement === document.body) {
    var heading = main.querySelector("h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
  }
  arm();
})();
