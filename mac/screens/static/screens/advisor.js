/* Advisor desk: keyboard shortcuts and live waiting counts.
 *
 * Every action button carries data-shortcut="<key>"; pressing that key (with
 * no modifier, outside text fields) clicks the button, so the server does the
 * work exactly as for a click. Shortcuts can be turned off (WCAG 2.1.4).
 * Live events of the center refresh the waiting counts (htmx partial). */
(function () {
  "use strict";

  var STORAGE_KEY = "mac.advisor.shortcuts";
  var source = null;
  var refreshTimer = null;
  var lastEventId = 0;

  function panel() {
    return document.getElementById("panel");
  }

  function shortcutsOn() {
    try {
      return window.localStorage.getItem(STORAGE_KEY) !== "off";
    } catch (e) {
      return true;
    }
  }

  function syncToggle() {
    var box = document.getElementById("atajos");
    if (box) box.checked = shortcutsOn();
  }

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
    if (isTyping(event.target) || !shortcutsOn()) return;
    var key = (event.key || "").toUpperCase();
    if (key.length !== 1) return;
    var root = panel();
    if (!root) return;
    var button = root.querySelector('button[data-shortcut="' + key + '"]:not([disabled])');
    if (button) {
      event.preventDefault();
      button.click();
      return;
    }
    var field = root.querySelector('[data-shortcut-focus="' + key + '"]');
    if (field) {
      event.preventDefault();
      field.focus();
    }
  });

  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "atajos") {
      try {
        window.localStorage.setItem(STORAGE_KEY, event.target.checked ? "on" : "off");
      } catch (e) {
        /* private mode: the toggle lasts for this page only */
      }
    }
  });

  function refreshWaiting() {
    var root = panel();
    var list = document.getElementById("espera");
    if (!root || !list || !window.htmx) return;
    window.htmx.ajax("GET", root.dataset.waitingUrl, { target: "#espera", swap: "outerHTML" });
  }

  function onEvent(event) {
    if (event.lastEventId) lastEventId = Number(event.lastEventId) || lastEventId;
    window.clearTimeout(refreshTimer);
    refreshTimer = window.setTimeout(refreshWaiting, 300);
  }

  var TYPES = ["ticket.issued", "ticket.called", "ticket.cancelled", "ticket.abandoned",
    "ticket.transferred", "ticket.service_changed", "counter.open", "counter.closed",
    "counter.paused"];

  function connect() {
    var root = panel();
    if (!root || !root.dataset.counter || !window.EventSource) return;
    if (source) source.close();
    lastEventId = Math.max(lastEventId, Number(root.dataset.lastEvent) || 0);
    source = window.macLive.open(
      root.dataset.events, function () { return lastEventId; }, TYPES, onEvent
    );
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    syncToggle();
    var target = event.detail && event.detail.target;
    if (target && target.id === "panel") {
      var root = panel();
      if (root && root.dataset.counter && !source) connect();
      if (root && !root.dataset.counter && source) {
        source.close();
        source = null;
      }
      var error = document.getElementById("error");
      var current = document.getElementById("ticket-actual");
      // After a swap the clicked button is gone: keep keyboard users in place,
      // on the refusal, the ticket called, or else the next thing to do (call,
      // resume, or pick a counter), never the page's body.
      var next = root && root.querySelector(
        ".advisor-actions button:not([disabled]), .advisor-session button:not([disabled])," +
        " .advisor-counters button:not([disabled])"
      );
      if (error) { error.setAttribute("tabindex", "-1"); error.focus(); }
      else if (current) { current.setAttribute("tabindex", "-1"); current.focus(); }
      else if (next) { next.focus(); }
    }
  });

  syncToggle();
  connect();
  window.macAdvisor = { refreshWaiting: refreshWaiting };
})();
