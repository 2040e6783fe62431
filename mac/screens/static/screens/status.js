/* Citizen status page: re-renders the state partial when a live event of the
 * center concerns this visit's tickets or services (or the counters, which
 * change the estimate), and every 30 s while the event stream is down.
 *
 * The partial is replaced whole, so it is no live region (a screen reader
 * would not reliably say a new one). The call ("Es tu turno: acércate al
 * Módulo 3") is written to #aviso-turno, a live region that stays in the
 * page, only when it changes: a ticket called, called again, or sent to
 * another module; other refreshes leave it alone. */
(function () {
  "use strict";

  var POLL_MS = 30000;
  var DEBOUNCE_MS = 250;
  var ANNOUNCE_DELAY_MS = 150;
  var TYPES = ["ticket.issued", "ticket.called", "ticket.recalled", "ticket.started",
    "ticket.done", "ticket.no_show", "ticket.cancelled", "ticket.transferred",
    "ticket.abandoned", "ticket.service_changed", "counter.open", "counter.closed",
    "counter.paused"];

  var status = { connected: false, refreshes: 0, lastEventId: 0, lastState: null, announced: [] };
  window.macStatus = status;
  var source = null;
  var timer = null;
  var loading = false;
  var again = false;

  function root() {
    return document.getElementById("estado");
  }

  function ids(name) {
    var el = root();
    var raw = el ? el.dataset[name] || "" : "";
    return raw ? raw.split(",") : [];
  }

  function calledNow() {
    var el = root();
    return el ? el.querySelector('[data-state="called"]') : null;
  }

  /* The visit's calls now: a key that changes with each call, and their words. */
  function calls() {
    var el = root();
    var found = el ? el.querySelectorAll('[data-state="called"]') : [];
    var keys = [];
    var words = [];
    Array.prototype.forEach.call(found, function (section) {
      var call = section.querySelector('[data-role="call"]');
      var text = call ? call.textContent.trim() : "";
      keys.push(section.dataset.ticket + ":" + (section.dataset.recalls || "0") + ":" + text);
      words.push(text);
    });
    return { key: keys.join("|"), text: words.join(" ") };
  }

  var lastCall = calls().key; // what the page said when it loaded is no news

  function announceCall() {
    var now = calls();
    if (now.key === lastCall) return;
    lastCall = now.key;
    var region = document.getElementById("aviso-turno");
    if (!region) return;
    // Emptied first, then written: a call again with the same words is said again.
    // Empty once no ticket is called (nothing is said then).
    region.textContent = "";
    if (!now.text) return;
    window.setTimeout(function () {
      if (lastCall !== now.key) return; // another change came meanwhile
      region.textContent = now.text;
      status.announced.push(now.text);
      if (status.announced.length > 10) status.announced.shift();
    }, ANNOUNCE_DELAY_MS);
  }

  function refresh() {
    var el = root();
    if (!el) return;
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    var wasCalled = !!calledNow();
    fetch(el.dataset.url, { cache: "no-store", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (response.status === 410 || response.status === 404) {
          window.location.reload(); // the page itself explains it
          return null;
        }
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        if (html === null) return;
        var box = document.createElement("div");
        box.innerHTML = html;
        var fresh = box.querySelector("#estado");
        var current = root();
        if (fresh && current) {
          current.replaceWith(fresh);
          status.refreshes += 1;
          announceCall();
          if (!wasCalled && calledNow() && navigator.vibrate) navigator.vibrate([300, 150, 300]);
        }
      })
      .catch(function () { /* the next event or poll tries again */ })
      .then(function () {
        loading = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  function concerns(type, payload) {
    if (type.indexOf("counter.") === 0) return true;
    if (ids("tickets").indexOf(String(payload.ticket)) !== -1) return true;
    // A ticket moved out of one of this visit's services changes its place too.
    if (payload.from_service && ids("services").indexOf(String(payload.from_service)) !== -1) {
      return true;
    }
    return ids("services").indexOf(String(payload.service)) !== -1;
  }

  function onEvent(event) {
    var id = Number(event.lastEventId) || 0;
    if (id && id <= status.lastEventId) return;
    if (id) status.lastEventId = id;
    var payload = JSON.parse(event.data);
    if (!concerns(event.type, payload)) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, DEBOUNCE_MS);
  }

  function setConnected(value) {
    status.connected = value;
    var note = document.getElementById("conexion");
    if (note) note.dataset.state = value ? "live" : "polling";
  }

  function connect() {
    var el = root();
    if (!el || !window.EventSource) return;
    if (source) source.close();
    status.lastEventId = Math.max(status.lastEventId, Number(el.dataset.lastEvent) || 0);
    source = window.macLive.open(
      el.dataset.events, function () { return status.lastEventId; }, TYPES, onEvent, setConnected
    );
  }

  // The fallback: while the stream is down, reload the state every 30 s.
  window.setInterval(function () {
    if (!status.connected) refresh();
  }, POLL_MS);

  connect();
})();
