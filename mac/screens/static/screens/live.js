/* The center's live event stream, shared by the screens.
 *
 * macLive.open(url, since, types, onEvent, onState) opens url?desde=<since()>,
 * calls onEvent for each event of the listed types and onState(true|false)
 * as the stream opens or fails. When the browser gives up on a failed stream
 * it reconnects after RETRY_MS, asking again from since(), so nothing is
 * missed. Returns {close()}, which also stops reconnecting.
 *
 * The server sends a "ping" event every 15 s when nothing else happens. A
 * stream that stays silent for STALL_MS (a network cut without a reset, a
 * proxy that holds the request) is closed and opened again: the browser
 * would otherwise wait on it for ever and the screen would freeze. */
(function () {
  "use strict";

  var RETRY_MS = 5000;
  var STALL_MS = window.MAC_LIVE_STALL_MS || 40000;

  window.macLive = {
    open: function (url, since, types, onEvent, onState) {
      var source = null;
      var timer = null;
      var closed = false;
      var state = onState || function () {};

      var watchdog = null;

      function alive() {
        window.clearTimeout(watchdog);
        watchdog = window.setTimeout(stalled, STALL_MS);
      }

      function stalled() {
        if (closed) return;
        state(false);
        source.close();
        connect();
      }

      function connect() {
        if (closed) return;
        source = new EventSource(url + "?desde=" + since());
        alive();
        types.forEach(function (type) {
          source.addEventListener(type, function (event) {
            alive();
            onEvent(event);
          });
        });
        source.addEventListener("ping", alive);
        source.addEventListener("open", function () {
          alive();
          state(true);
        });
        source.addEventListener("error", function () {
          state(false);
          if (source.readyState === EventSource.CLOSED) {
            window.clearTimeout(watchdog);
            source.close();
            timer = window.setTimeout(connect, RETRY_MS);
          }
        });
      }

      connect();
      return {
        close: function () {
          closed = true;
          window.clearTimeout(timer);
          window.clearTimeout(watchdog);
          if (source) source.close();
        },
      };
    },
  };
})();
