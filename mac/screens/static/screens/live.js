/* The center's live event stream, shared by the screens.
 *
 * macLive.open(url, since, types, onEvent, onState) opens url?desde=<since()>,
 * calls onEvent for each event of the listed types and onState(true|false)
 * as the stream opens or fails. When the browser gives up on a failed stream
 * it reconnects after RETRY_MS, asking again from since(), so nothing is
 * missed. Returns {close()}, which also stops reconnecting. */
(function () {
  "use strict";

  var RETRY_MS = 5000;

  window.macLive = {
    open: function (url, since, types, onEvent, onState) {
      var source = null;
      var timer = null;
      var closed = false;
      var state = onState || function () {};

      function connect() {
        if (closed) return;
        source = new EventSource(url + "?desde=" + since());
        types.forEach(function (type) { source.addEventListener(type, onEvent); });
        source.addEventListener("open", function () { state(true); });
        source.addEventListener("error", function () {
          state(false);
          if (source.readyState === EventSource.CLOSED) {
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
          if (source) source.close();
        },
      };
    },
  };
})();
