/* Proof of work for public forms (see mac/core/pow.py).
   A form with data-pow="<challenge url>" gets a hidden input named "pow":
   the browser fetches a challenge, finds the number whose SHA-256 matches,
   and only then lets the form submit. Written for this project. */
(function () {
  "use strict";

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer))
      .map(function (b) { return b.toString(16).padStart(2, "0"); })
      .join("");
  }

  async function solve(challenge) {
    var encoder = new TextEncoder();
    for (var n = 0; n <= challenge.maxnumber; n++) {
      var digest = await crypto.subtle.digest("SHA-256", encoder.encode(challenge.salt + n));
      if (hex(digest) === challenge.challenge) {
        return btoa(JSON.stringify({
          algorithm: challenge.algorithm,
          challenge: challenge.challenge,
          number: n,
          salt: challenge.salt,
          signature: challenge.signature
        }));
      }
    }
    throw new Error("sin solución");
  }

  async function prepare(form) {
    var input = form.querySelector("input[name=pow]");
    var status = form.querySelector("[data-pow-status]");
    var buttons = form.querySelectorAll("button[type=submit]");
    buttons.forEach(function (b) { b.disabled = true; });
    try {
      var response = await fetch(form.dataset.pow, { credentials: "same-origin" });
      input.value = await solve(await response.json());
      if (status) { status.textContent = status.dataset.done || ""; }
      buttons.forEach(function (b) { b.disabled = false; });
    } catch (error) {
      if (status) { status.textContent = status.dataset.failed || String(error); }
    }
  }

  function scan(root) {
    root = root || document;
    var forms = Array.from(root.querySelectorAll("form[data-pow]"));
    // htmx:load fires on each swapped-in element, which may be the form itself.
    if (root.matches && root.matches("form[data-pow]")) { forms.push(root); }
    forms.forEach(function (form) {
      if (form.dataset.powStarted) { return; }
      form.dataset.powStarted = "1";
      prepare(form);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:load", function (event) { scan(event.target); });
})();
