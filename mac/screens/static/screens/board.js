/* Display board: applies the center's live events to the state the page was
 * rendered with, and announces each call (chime + the browser's own Spanish
 * voice), one after the other. A call replayed after a network cut (its
 * `age`, in seconds, comes from the server) is listed, but announced only if
 * it is at most `announce_seconds` old (board.py says why).
 *
 * The box of the current call always shows the latest call, and is no live
 * region: it is redrawn on other events too, and shows an old replayed call
 * without announcing it. Screen readers hear #aviso-llamada, a live region
 * written only when a call is announced.
 *
 * Memory stays flat all day: the calls list, the announcement queue and the
 * log of announced calls are bounded; the waiting set holds only tickets that
 * wait now; one EventSource and one AudioContext are reused. At the change of
 * day (Lima) the page reloads and starts clean. */
(function () {
  "use strict";

  var MAX_QUEUE = 30; // pending announcements (a burst of calls); more are shown, not spoken
  var MAX_SPOKEN = 20; // log kept for diagnostics and tests
  var HOLD_MS = 4000; // how long a call stays highlighted without a voice
  var SAY_DELAY_MS = 150; // between emptying the live region and writing it
  var SPEECH_TIMEOUT_MS = 12000; // engines sometimes never fire "end"
  var RESYNC_MS = 10 * 60 * 1000;
  var TYPES = ["ticket.issued", "ticket.called", "ticket.recalled", "ticket.started",
    "ticket.done", "ticket.no_show", "ticket.cancelled", "ticket.transferred",
    "ticket.abandoned", "ticket.service_changed", "counter.open", "counter.closed",
    "counter.paused"];

  function json(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  var config = json("board-config");
  var speechTemplate = json("board-speech") || "%(code)s, %(counter)s";
  var words = document.getElementById("board-words").dataset;
  var board = {
    state: json("board-state"),
    queue: [], // announcements waiting their turn
    spoken: [], // announcements done, newest last (bounded)
    unannounced: [], // replayed calls too old to announce, newest last (bounded)
    current: null, // the announcement on screen now
    connected: false,
    lastEventId: 0,
    dropped: 0,
    apply: apply,
    resync: resync,
  };
  board.lastEventId = board.state.last_event || 0;
  window.macBoard = board;

  // -- State ----------------------------------------------------------------

  function moveToTop(payload) {
    var calls = board.state.calls.filter(function (c) { return c.ticket !== payload.ticket; });
    calls.unshift({
      ticket: payload.ticket,
      code: payload.code,
      counter: payload.counter,
      counter_label: payload.counter_label || "",
    });
    board.state.calls = calls.slice(0, board.state.limit);
  }

  /* Apply one event to the state. Idempotent, so that an event the rendered
   * state already reflects (replayed after the page's last_event) is harmless.
   * Returns false when the state cannot absorb it (then we resync). */
  function apply(type, payload) {
    var key = String(payload.ticket);
    switch (type) {
      case "ticket.issued": {
        var entity = board.state.services[String(payload.service)];
        if (entity === undefined) return false;
        board.state.waiting[key] = entity;
        return true;
      }
      case "ticket.called":
        delete board.state.waiting[key];
        moveToTop(payload);
        announceIfRecent(payload);
        return true;
      case "ticket.recalled":
        moveToTop(payload);
        announceIfRecent(payload);
        return true;
      case "ticket.cancelled":
      case "ticket.abandoned":
        delete board.state.waiting[key];
        return true;
      case "ticket.service_changed": {
        // A waiting ticket moved to another service: it now counts for that
        // service's entity (a ticket called meanwhile is no longer listed).
        if (!(key in board.state.waiting)) return true;
        var moved = board.state.services[String(payload.service)];
        if (moved === undefined) return false;
        board.state.waiting[key] = moved;
        return true;
      }
      default:
        return true;
    }
  }

  // -- Rendering --------------------------------------------------------------

  function cell(text, className) {
    var td = document.createElement("td");
    td.className = className;
    td.textContent = text;
    return td;
  }

  function render() {
    var body = document.getElementById("llamados");
    var rows = document.createDocumentFragment();
    board.state.calls.forEach(function (call) {
      var tr = document.createElement("tr");
      tr.dataset.ticket = call.ticket;
      tr.appendChild(cell(call.code, "board-table__code"));
      tr.appendChild(cell(call.counter_label, "board-table__counter"));
      rows.appendChild(tr);
    });
    body.replaceChildren(rows);

    var counts = {};
    Object.keys(board.state.waiting).forEach(function (ticket) {
      var entity = board.state.waiting[ticket];
      counts[entity] = (counts[entity] || 0) + 1;
    });
    var missing = false;
    Object.keys(counts).forEach(function (entity) {
      if (!document.querySelector('#espera [data-entity="' + entity + '"]')) missing = true;
    });
    document.querySelectorAll("#espera [data-entity]").forEach(function (row) {
      row.querySelector(".board-waiting__count").textContent = counts[row.dataset.entity] || 0;
    });
    if (!busy && !board.queue.length && board.state.calls.length) showNow(board.state.calls[0], false);
    return !missing;
  }

  function renderNotices(notices) {
    var list = document.getElementById("avisos");
    if (!notices.length) return;
    list.replaceChildren.apply(list, notices.map(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      return li;
    }));
  }

  function showNow(call, flash) {
    var box = document.getElementById("llamada-actual");
    var code = document.createElement("p");
    code.className = "board-now__code";
    code.dataset.ticket = call.ticket;
    code.textContent = call.code;
    var counter = document.createElement("p");
    counter.className = "board-now__counter";
    counter.textContent = call.counter_label;
    box.replaceChildren(code, counter);
    if (flash) {
      box.classList.remove("board-now__call--flash");
      void box.offsetWidth; // restart the animation
      box.classList.add("board-now__call--flash");
    }
  }

  // -- Announcements ------------------------------------------------------------

  var audio = null;
  var busy = false;

  function audioContext() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return null;
    if (!audio) audio = new Context();
    if (audio.state === "suspended") {
      audio.resume().catch(function () {});
      document.getElementById("activar-sonido").hidden = false;
    }
    return audio;
  }

  /* A two-note chime (E5, C5), synthesised: no file, no network. */
  function chime() {
    var ctx = audioContext();
    if (!ctx || ctx.state !== "running") return 0;
    [659.25, 523.25].forEach(function (freq, i) {
      var start = ctx.currentTime + i * 0.45;
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.4, start + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.9);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(start + 1);
    });
    return 1300;
  }

  function spanishVoice() {
    var synth = window.speechSynthesis;
    if (!synth || !synth.getVoices) return null;
    var voices = synth.getVoices();
    var prefs = ["es-PE", "es-419", "es-US", "es-MX", "es-ES", "es"];
    for (var i = 0; i < prefs.length; i++) {
      for (var j = 0; j < voices.length; j++) {
        if (voices[j].lang && voices[j].lang.replace("_", "-").indexOf(prefs[i]) === 0) {
          return voices[j];
        }
      }
    }
    return null;
  }

  function speechText(item) {
    var code = item.code.replace(/-0*(\d)/, " $1"); // "R-023" is read "R 23"
    return speechTemplate.replace("%(code)s", code).replace("%(counter)s", item.counter_label);
  }

  /* The announced call, for screen readers, in the voice's words. Emptied
   * first, then written: a recall, with the same words, is said again. */
  var said = 0;
  function say(item) {
    var region = document.getElementById("aviso-llamada");
    var turn = ++said;
    region.textContent = "";
    window.setTimeout(function () {
      if (turn === said) region.textContent = speechText(item);
    }, SAY_DELAY_MS);
  }

  function speak(item, done) {
    var synth = window.speechSynthesis;
    if (!synth || !window.SpeechSynthesisUtterance) {
      window.setTimeout(done, HOLD_MS);
      return;
    }
    var finished = false;
    var timer = null;
    function end() {
      if (finished) return;
      finished = true;
      window.clearTimeout(timer);
      done();
    }
    var utterance = new window.SpeechSynthesisUtterance(speechText(item));
    utterance.lang = "es-PE";
    var voice = spanishVoice();
    if (voice) utterance.voice = voice;
    utterance.rate = 0.9;
    utterance.onend = end;
    utterance.onerror = end;
    timer = window.setTimeout(function () { synth.cancel(); end(); }, SPEECH_TIMEOUT_MS);
    synth.cancel();
    synth.speak(utterance);
  }

  var ANNOUNCE_SECONDS = typeof config.announce_seconds === "number" ? config.announce_seconds : 45;

  /* A live event has no age; a replayed one is announced only while recent. */
  function announceIfRecent(payload) {
    if (typeof payload.age === "number" && payload.age > ANNOUNCE_SECONDS) {
      board.unannounced.push({ ticket: payload.ticket, code: payload.code, age: payload.age });
      if (board.unannounced.length > MAX_SPOKEN) board.unannounced.shift();
      return;
    }
    announce(payload);
  }

  function announce(payload) {
    var item = { ticket: payload.ticket, code: payload.code, counter_label: payload.counter_label || "",
      recall: payload.type === "ticket.recalled" };
    if (board.queue.length >= MAX_QUEUE) {
      board.queue.shift(); // still listed on screen; only its voice is lost
      board.dropped += 1;
    }
    board.queue.push(item);
    window.setTimeout(next, 0);
  }

  function next() {
    if (busy || !board.queue.length) return;
    busy = true;
    var item = board.queue.shift();
    board.current = item;
    showNow(item, true);
    say(item);
    window.setTimeout(function () {
      speak(item, function () {
        board.spoken.push(item);
        if (board.spoken.length > MAX_SPOKEN) board.spoken.shift();
        board.current = null; // it stays on screen until the next call
        busy = false;
        window.setTimeout(next, 600);
      });
    }, chime());
  }

  document.getElementById("activar-sonido").addEventListener("click", function (event) {
    var ctx = audioContext();
    if (ctx) ctx.resume().catch(function () {});
    if (window.speechSynthesis) window.speechSynthesis.getVoices();
    event.currentTarget.hidden = true;
  });

  // -- Live events ------------------------------------------------------------

  var source = null;
  var syncing = null; // events received while a resync is in flight
  var status = document.getElementById("conexion");

  function setConnected(value) {
    board.connected = value;
    status.dataset.state = value ? "live" : "reconnecting";
    status.textContent = value ? words.live : words.reconnecting;
  }

  function onEvent(event) {
    var id = Number(event.lastEventId) || 0;
    if (id && id <= board.lastEventId) return; // already applied
    var payload = JSON.parse(event.data);
    if (syncing) {
      syncing.push({ id: id, type: event.type, payload: payload });
      return;
    }
    if (id) board.lastEventId = id;
    var ok = apply(event.type, payload);
    if (!render() || !ok) resync();
  }

  function connect() {
    if (source) source.close();
    source = window.macLive.open(
      config.events, function () { return board.lastEventId; }, TYPES, onEvent, setConnected
    );
  }

  function resync() {
    if (syncing) return;
    syncing = [];
    fetch(config.state, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (fresh) {
        var pending = syncing;
        syncing = null;
        var shown = [];
        document.querySelectorAll("#espera [data-entity]").forEach(function (row) {
          shown.push(Number(row.dataset.entity));
        });
        if (fresh.day !== board.state.day || shown.join() !== fresh.entities.join()) {
          window.location.reload(); // another day, or another set of entities: start clean
          return;
        }
        renderNotices(fresh.notices || []);
        board.state = fresh;
        board.lastEventId = Math.max(board.lastEventId, fresh.last_event);
        pending.forEach(function (e) {
          if (e.id > fresh.last_event) {
            board.lastEventId = Math.max(board.lastEventId, e.id);
            apply(e.type, e.payload);
          }
        });
        render();
      })
      .catch(function () {
        var pending = syncing || [];
        syncing = null;
        pending.forEach(function (e) { onEvent({ lastEventId: e.id, type: e.type, data: JSON.stringify(e.payload) }); });
      });
  }

  function limaDay() {
    try {
      return new Date().toLocaleDateString("en-CA", { timeZone: "America/Lima" });
    } catch (e) {
      return board.state.day;
    }
  }

  window.setInterval(function () {
    if (limaDay() !== board.state.day) window.location.reload();
  }, 60 * 1000);
  window.setInterval(resync, RESYNC_MS);

  if (window.speechSynthesis && window.speechSynthesis.addEventListener) {
    window.speechSynthesis.addEventListener("voiceschanged", function () {});
  }
  audioContext();
  if (window.EventSource) connect();
})();
