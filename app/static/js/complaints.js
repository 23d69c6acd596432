// Complaints: a draft survives a reload (app.js keeps form[data-drafts]); a complaint filed without a connection
// waits on this device and is sent when the connection is back (the form's client_id makes a second send
// harmless). It leaves the queue only when the server stored it (the answer is the complaint's page); a refusal
// or a server error keeps it and says so in the page's language. A file over 10 MB is refused before it is sent.
// Everything works without this file too.
(function () {
  "use strict";
  var FORM_PATH = "/klachten/nieuw";
  var meta = document.querySelector('meta[name="onsplan-offline"]');
  var owner = meta ? meta.getAttribute("data-queue") || "" : "";
  var KEY = "onsplan-complaint-queue:" + owner;
  var sending = false;

  function read() { try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; } }
  function write(list) {
    try { if (list.length) { localStorage.setItem(KEY, JSON.stringify(list)); } else { localStorage.removeItem(KEY); } }
    catch (e) { /* storage off: the form stays on screen */ }
  }
  function drop(id) { write(read().filter(function (e) { return e.id !== id; })); }
  function clearDrafts(action) {
    try {
      for (var i = localStorage.length - 1; i >= 0; i -= 1) {
        var key = localStorage.key(i) || "";
        if (key.indexOf("onsplan-draft:" + action + ":") === 0) { localStorage.removeItem(key); }
      }
    } catch (e) { /* storage off */ }
  }

  // The page's own CSRF token: the one saved with the queued complaint may have expired meanwhile.
  function freshToken() {
    var input = document.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  }

  function showRefusal(entry, status) {
    var queued = document.getElementById("complaint-queued");
    var error = document.getElementById("complaint-not-sent");
    if (queued) { queued.hidden = true; queued.removeAttribute("role"); }
    if (error) {
      error.textContent = status >= 400 && status < 500 ? error.dataset.check : error.dataset.later;
      error.setAttribute("role", "alert");
      error.hidden = false;
    }
    // Sending the form by hand now files this same complaint once: it carries the queued complaint's id.
    var form = document.querySelector("form[data-offline-queue]");
    var clientId = form && form.querySelector('input[name="client_id"]');
    if (clientId && entry.id && entry.id.length >= 8) { clientId.value = entry.id; }
  }

  function send() {
    var list = read();
    if (sending || !list.length || !navigator.onLine || !owner) { return; }
    var entry = list[0];
    var body = new URLSearchParams(entry.body);
    var token = freshToken();
    if (token) { body.set("csrf_token", token); }
    sending = true;
    fetch(entry.action, { method: "POST", body: body, credentials: "same-origin",
                          headers: { "Content-Type": "application/x-www-form-urlencoded" } })
      .then(function (response) {
        sending = false;
        // Stored: the answer is the complaint's own page, marked "opgeslagen" (a sign-in page is not).
        var stored = response.ok && new URL(response.url, location.href).searchParams.get("opgeslagen") === "1";
        if (stored) {
          drop(entry.id);
          location.assign(response.url);
        } else {
          showRefusal(entry, response.ok ? 422 : response.status);
        }
      })
      .catch(function () { sending = false; /* still offline: try again later */ });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-offline-queue") || !owner) { return; }
    var fields = new URLSearchParams(new FormData(form));
    var id = fields.get("client_id") || String(Date.now());
    // Online it is sent as usual. A queued copy stays until the server stored it: it carries the same client_id,
    // so sending both files one complaint.
    if (navigator.onLine) { return; }
    event.preventDefault();
    var action = new URL(form.getAttribute("action"), location.href).pathname;
    write(read().filter(function (e) { return e.id !== id; })
      .concat([{ id: id, action: action, body: fields.toString() }]));
    var error = document.getElementById("complaint-not-sent");
    if (error) { error.hidden = true; error.removeAttribute("role"); }
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

  if (document.querySelector("[data-complaint-stored]")) { clearDrafts(FORM_PATH); }
  window.addEventListener("online", send);
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", send); } else { send(); }
})();
