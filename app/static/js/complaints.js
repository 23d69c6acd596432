// Complaints: a draft survives a reload (app.js keeps form[data-drafts]); a complaint filed without a connection
// waits on this device and is sent when the connection is back (the form's client_id makes a second send
// harmless); a file over 10 MB is refused before it is sent. Everything works without this file too.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="onsplan-offline"]');
  var owner = meta ? meta.getAttribute("data-queue") || "" : "";
  var KEY = "onsplan-complaint-queue:" + owner;

  function read() { try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; } }
  function write(list) {
    try { if (list.length) { localStorage.setItem(KEY, JSON.stringify(list)); } else { localStorage.removeItem(KEY); } }
    catch (e) { /* storage off: the form stays on screen */ }
  }
  function clearDrafts(action) {
    try {
      for (var i = localStorage.length - 1; i >= 0; i -= 1) {
        var key = localStorage.key(i) || "";
        if (key.indexOf("onsplan-draft:" + action + ":") === 0) { localStorage.removeItem(key); }
      }
    } catch (e) { /* storage off */ }
  }

  function send() {
    var list = read();
    if (!list.length || !navigator.onLine || !owner) { return; }
    var entry = list[0];
    fetch(entry.action, { method: "POST", body: new URLSearchParams(entry.body), credentials: "same-origin",
                          headers: { "Content-Type": "application/x-www-form-urlencoded" } })
      .then(function (response) {
        write(read().filter(function (e) { return e.id !== entry.id; }));
        if (response.ok && response.url.indexOf(entry.action) === -1) { location.assign(response.url); }
        else if (response.ok) { location.assign(entry.action); }  // a problem: the form shows what to change
      })
      .catch(function () { /* still offline: try again later */ });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-offline-queue") || navigator.onLine || !owner) { return; }
    event.preventDefault();
    var fields = new URLSearchParams(new FormData(form));
    var action = new URL(form.getAttribute("action"), location.href).pathname;
    write(read().concat([{ id: fields.get("client_id") || String(Date.now()), action: action, body: fields.toString() }]));
    var note = document.getElementById("complaint-queued");
    if (note) { note.hidden = false; note.setAttribute("role", "status"); }
  });

  document.addEventListener("change", function (event) {
    var input = event.target, form = input.form;
    if (input.type !== "file" || !form || !form.dataset.maxBytes) { return; }
    var error = form.querySelector("[data-too-large]");
    var tooBig = input.files && input.files[0] && input.files[0].size > Number(form.dataset.maxBytes);
    if (error) { error.hidden = !tooBig; error.textContent = tooBig ? error.dataset.tooLarge : ""; }
    input.setAttribute("aria-invalid", tooBig ? "true" : "false");
    if (tooBig) { input.value = ""; }
  });

  if (document.querySelector("[data-complaint-stored]")) { clearDrafts("/klachten/nieuw"); }
  window.addEventListener("online", send);
  document.addEventListener("DOMContentLoaded", send);
})();
