// Orientation desk: remove a chosen service from the visit being prepared;
// clear the choices once tickets were issued. htmx does the rest.
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
})();
