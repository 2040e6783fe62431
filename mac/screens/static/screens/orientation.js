// Orientation desk: remove a chosen service from the visit being prepared;
// clear the choices once tickets were issued; keep the keyboard's focus in
// place after each swap. htmx does the rest.
(function () {
  "use strict";
  var list = document.getElementById("elegidos");
  if (!list) return;
  list.addEventListener("click", function (event) {
    var button = event.target.closest(".desk-pick__remove");
    if (!button) return;
    var row = button.closest(".desk-pick");
    var next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    var target = next ? next.querySelector("button") : document.getElementById("q");
    if (target) target.focus();
  });
  // A service added twice stays once.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target !== list || !event.detail.xhr.responseText) return;
    var match = /data-service="(\d+)"/.exec(event.detail.xhr.responseText);
    if (match && list.querySelector('[data-service="' + match[1] + '"]')) {
      event.detail.shouldSwap = false;
    }
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "emitidos" && document.querySelector(".desk-issued")) {
      list.innerHTML = "";
      var form = document.getElementById("desk-issue");
      if (form) form.reset();
    }
  });
  // After a swap the button that had the focus is disabled (while the request
  // ran) or replaced: focus the refusal to read, or else the field where the
  // next citizen's work starts.
  var NEXT_FIELD = { emitidos: "q", llegada: "checkin-code", reimpresion: "reprint-code" };
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || !NEXT_FIELD[target.id]) return;
    var refusal = target.querySelector("[role=alert]");
    if (refusal) {
      refusal.setAttribute("tabindex", "-1");
      refusal.focus();
      return;
    }
    var field = document.getElementById(NEXT_FIELD[target.id]);
    if (field) field.focus();
  });
  // "Anular o cambiar de trámite": focus the refusal, else the question of a
  // cancellation to confirm, else the ticket just found (its forms follow),
  // else (done, or nothing found) the code field for the next ticket.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "en-espera") return;
    var next = target.querySelector("[role=alert]") ||
      document.getElementById("confirm-question") ||
      (target.querySelector("[role=status]") ? null : document.getElementById("waiting-ticket")) ||
      document.getElementById("waiting-code");
    if (!next) return;
    if (!next.hasAttribute("tabindex") && next.id !== "waiting-code") next.setAttribute("tabindex", "-1");
    next.focus();
    if (next.id === "waiting-code") next.select();
  });
  // "Emitidos hoy" stays current: reloaded (debounced) when a live event
  // concerns one of its tickets, or a ticket was issued (perhaps at another
  // desk). A button of the list that had the focus keeps it.
  var recentBox = document.getElementById("emitidos-hoy");
  var desk = { lastEventId: recentBox ? Number(recentBox.dataset.lastEvent) || 0 : 0, reloads: 0 };
  window.macDesk = desk;
  var RECENT_TYPES = ["ticket.issued", "ticket.called", "ticket.started", "ticket.done",
    "ticket.no_show", "ticket.cancelled", "ticket.transferred", "ticket.abandoned",
    "ticket.service_changed"];
  var recentTimer = null;
  var focusedCode = null;
  function reloadRecent() {
    if (!window.htmx) return;
    window.htmx.ajax("GET", recentBox.dataset.url, { target: "#recientes", swap: "outerHTML" });
  }
  if (recentBox && window.EventSource && window.macLive) {
    window.macLive.open(recentBox.dataset.events, function () { return desk.lastEventId; },
      RECENT_TYPES, function (event) {
        var id = Number(event.lastEventId) || 0;
        if (id) desk.lastEventId = Math.max(desk.lastEventId, id);
        var payload = JSON.parse(event.data);
        var listed = document.querySelector('#recientes [data-id="' + payload.ticket + '"]');
        if (event.type !== "ticket.issued" && !listed) return;
        window.clearTimeout(recentTimer);
        recentTimer = window.setTimeout(reloadRecent, 300);
      });
  }
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target.id !== "recientes") return;
    var active = document.activeElement;
    var row = active && active.closest ? active.closest("#recientes li") : null;
    focusedCode = row ? row.dataset.ticket : null;
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "recientes") return;
    desk.reloads += 1;
    if (!focusedCode) return;
    var again = document.querySelector('#recientes li[data-ticket="' + focusedCode + '"] button');
    focusedCode = null;
    (again || document.getElementById("waiting-code")).focus();
  });

  // Escape in the confirmation goes back without cancelling.
  document.body.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest || !event.target.closest(".desk-confirm")) return;
    var back = document.querySelector(".desk-confirm__back");
    if (back) {
      event.preventDefault();
      back.click();
    }
  });
})();
