// Autosave for the recording screen (progressive enhancement; the plain forms work without it).
// Every change of a field in a form marked data-autosave is posted at once; the answer carries the
// meeting's new version, which all forms then send. Without a connection the entry waits in
// localStorage and is sent when the browser is online again, so nothing but the field being typed is lost.
(function () {
  "use strict";
  var QUEUE = "ratsinfo-autosave:" + location.pathname;
  var status = document.getElementById("autosave-status");
  var busy = false;

  function say(text) { if (status) { status.textContent = text; } }
  function queue() { try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; } }
  function keep(items) { localStorage.setItem(QUEUE, JSON.stringify(items)); }

  function setVersion(version) {
    document.querySelectorAll("input[name$='version']").forEach(function (input) { input.value = version; });
  }

  function send(action, pairs) {
    var body = new URLSearchParams();
    pairs.forEach(function (p) { body.append(p[0], p[1]); });
    body.set(pairs.filter(function (p) { return /version$/.test(p[0]); })[0][0], currentVersion());
    return fetch(action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Autosave": "1", "X-CSRFToken": body.get("csrfmiddlewaretoken") || "" },
    }).then(function (response) {
      return response.json().then(function (data) {
        if (data.version !== undefined) { setVersion(data.version); }
        say(data.message || (data.ok ? "Gespeichert." : "Nicht gespeichert."));
        return data.ok;
      });
    });
  }

  function currentVersion() {
    var input = document.querySelector("input[name$='version']");
    return input ? input.value : "0";
  }

  function flush() {
    // One entry at a time: a second change while one is on its way waits in the queue, so every
    // post carries the version the previous answer returned (else the server refuses it as a conflict).
    if (busy) { return; }
    var pending = queue();
    if (!pending.length) { return; }
    var first = pending[0];
    busy = true;
    send(first.action, first.pairs).then(function () {
      busy = false;
      keep(queue().slice(1));
      flush();
    }, function () {
      busy = false;
      say("Keine Verbindung – " + queue().length + " Eingabe(n) warten und werden nachgereicht.");
    });
  }

  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    form.addEventListener("change", function () {
      var entry = { action: form.action, pairs: Array.from(new FormData(form).entries()) };
      keep(queue().concat([entry]));
      say("Wird gespeichert …");
      flush();
    });
  });
  window.addEventListener("online", flush);
  flush();
})();
