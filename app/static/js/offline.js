// Ons Plan offline, for the plan and the complaint form: drafts kept on this device until saved, and what was sent
// without a connection kept in a queue per person and sent, in order, when it is back. Pages work without this file.
// Loaded with `defer`: the page is all there when this runs.
(function () {
  "use strict";
  // Who is signed in, as opaque keys (never the person's id): offline copies are per sign-in, the queue per person.
  // The offline page has no keys: it is shown for any page and must not make the worker forget anything.
  var meta = document.querySelector('meta[name="onsplan-offline"]');
  var owner = (meta && meta.getAttribute("data-queue")) || "";
  function storage(use) { try { return use(localStorage); } catch (e) { return null; } }  // storage off or full
  function forget(match) { storage(function (s) { Object.keys(s).filter(match).forEach(s.removeItem, s); }); }
  function byId(id) { return document.getElementById(id); }
  function copy(id) { var t = byId(id); return t ? t.content.firstElementChild.cloneNode(true) : null; }
  function pathOf(url) { return new URL(url, location.href).pathname; }

  // Register the service worker; tell it the page language (for the offline page) and who is signed in now
  // (it keeps only that person's offline copies, none when nobody is signed in).
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).catch(function () {});
      navigator.serviceWorker.ready.then(function (registration) {  // ready: it has an active worker
        registration.active.postMessage({ type: "lang", lang: document.documentElement.lang });
        if (meta) { registration.active.postMessage({ type: "person", key: meta.content }); }
      });
    });
  }

  // Drafts: what is typed or chosen in a form[data-drafts] is kept on this device until it is saved (a reload loses
  // nothing). An edit's draft keeps the version it was typed against: saved after someone else saved, it shows both.
  var FIELDS = "textarea, select, input:not([type=hidden], [type=file], [type=password], [type=submit], [type=button])";
  function prefix(form) { return "onsplan-draft:" + form.getAttribute("action") + ":"; }
  function fields(form) { return [].filter.call(form.querySelectorAll(FIELDS), function (f) { return f.name; }); }
  function choice(f) { return f.type === "checkbox" || f.type === "radio"; }
  function keyOf(form, f) { return prefix(form) + f.name + (choice(f) ? "=" + f.value : ""); }
  function valueOf(f) { return choice(f) ? (f.checked ? "1" : "0") : f.value; }
  function clearDrafts(form) {
    clearTimeout(form.draftTimer);
    forget(function (key) { return key.indexOf(prefix(form)) === 0; });
  }
  function keepDraft(form) {
    var version = form.querySelector("input[name=version]"), versionKey = prefix(form) + "version";
    if (!form.isConnected) { return; }  // answered and swapped out meanwhile: what replaced it keeps its own draft
    storage(function (s) {
      fields(form).forEach(function (f) { s.setItem(keyOf(form, f), valueOf(f)); });
      if (version && s.getItem(versionKey) === null) { s.setItem(versionKey, version.value); }
    });
  }
  // Listened for on the document, so a form is covered from the moment it is in the page (htmx swaps it in and
  // only then says so: someone quick, or a test, types in between).
  function soon(event) {
    var form = event.target.closest && event.target.closest("form[data-drafts]");
    if (form) { clearTimeout(form.draftTimer); form.draftTimer = setTimeout(keepDraft, 400, form); }
  }
  ["input", "change"].forEach(function (type) { document.addEventListener(type, soon); });
  // Saved: the draft goes. Before the swap, while the form is still in the page (an edit form is swapped out with
  // its answer, and an event on a removed form never reaches the document).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = (event.detail.requestConfig || {}).elt;  // detail.elt is the swap's target here, not the form
    var saved = event.detail.xhr.status < 300 && form && form.matches && form.matches("form[data-drafts]");
    if (saved) { clearDrafts(form); }
  });
  // Put a kept draft back into a form that has just appeared (once per form).
  document.addEventListener("htmx:load", function (event) {  // the body too, at first
    event.detail.elt.querySelectorAll("form[data-drafts]").forEach(function (form) {
      var version = form.querySelector("input[name=version]"), versionKey = prefix(form) + "version", drafted = false;
      if (form.draftSeen) { return; }
      form.draftSeen = true;
      storage(function (s) {
        fields(form).forEach(function (f) {
          var saved = s.getItem(keyOf(form, f));
          if (saved === null || f.closest(".field--invalid")) { return; }
          drafted = true;
          if (choice(f)) { f.checked = saved === "1"; } else if (f.value !== saved) { f.value = saved; }
        });
        // The view with both texts: the person has now seen the newer save, so their draft counts from here.
        if (version && form.closest(".item") && form.closest(".item").querySelector(".conflict")) {
          s.setItem(versionKey, version.value);
        } else if (drafted && version && s.getItem(versionKey) !== null) { version.value = s.getItem(versionKey); }
      });
    });
  });
  if (document.querySelector("[data-complaint-stored]")) {  // stored: the complaint form's draft goes
    forget(function (key) { return key.indexOf("onsplan-draft:/klachten/nieuw:") === 0; });
  }

  // The queues, per person: a plan change ("queue") and a complaint ("complaint-queue").
  function keyFor(name) { return "onsplan-" + name + ":" + owner; }
  function read(name) { return storage(function (s) { return JSON.parse(s.getItem(keyFor(name))); }) || []; }
  function write(name, list) {
    storage(function (s) {
      if (list.length) { s.setItem(keyFor(name), JSON.stringify(list)); } else { s.removeItem(keyFor(name)); }
    });
  }
  function without(name, id) { return read(name).filter(function (e) { return e.id !== id; }); }
  // Send the entries of a queue that this page sends, in order, one at a time (also across tabs), with this page's
  // CSRF token (the one saved with an entry may have expired meanwhile). `answer` takes the server's answer to one
  // and says whether it is done with: it then leaves the queue, and the next one goes (at the end: answer(null)).
  // A complaint queued by an older version names its `action`, not its `path`.
  var sending = {};
  function drain(name, entries, headers, answer) {
    if (sending[name] || !navigator.onLine || !entries().length) { return; }
    sending[name] = true;
    var next = function () {
      var entry = entries()[0], fields = new URLSearchParams(entry && entry.body);  // read again: another tab may send
      var token = document.querySelector("input[name=csrf_token]");
      if (!entry) { return Promise.resolve(answer(null)); }
      if (token) { fields.set("csrf_token", token.value); }
      return fetch(entry.path || entry.action, { method: "POST", body: fields, headers: headers })
        .then(function (response) { return answer(entry, response); })
        .then(function (done) { if (done) { write(name, without(name, entry.id)); return next(); } }, function () {});
    };
    var done = function () { sending[name] = false; };
    (navigator.locks ? navigator.locks.request("onsplan-" + name, next) : next()).then(done, done);
  }
  // Another person signed in on this device: forget what the one before left here (queues and drafts).
  if (owner) {
    var before = storage(function (s) { return s.getItem("onsplan-owner"); });
    forget(function (key) {
      return (/^onsplan-(complaint-)?queue:/.test(key) && key.slice(key.indexOf(":") + 1) !== owner) ||
        (before && before !== owner && key.indexOf("onsplan-draft:") === 0);
    });
    storage(function (s) { s.setItem("onsplan-owner", owner); });
  }

  // A plan change made without a connection is shown in place as "waiting to be sent"; sent, the server's answer
  // takes its place, exactly as htmx would have put it: the saved item, or the conflict view.
  var QUEUEABLE = /^\/plan\/([^\/?#]+)\/onderdelen\/([^\/?#]+)(\/bewerken|\/klaar)?$/;
  function newId() {
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return [].map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  function plan() { var box = byId("offline-status"); return box && owner ? box.getAttribute("data-plan") : null; }
  function waiting() { return read("queue").filter(function (e) { return e.plan === plan(); }); }
  function spotOf(entry) { return byId(entry.section ? "pending-" + entry.id : "item-" + entry.item); }
  function textOf(entry) { return new URLSearchParams(entry.body).get("text") || ""; }
  // Show one of the page's notes (the plan's #offline-status, the complaint form's) with its role, so it is read
  // out, and one of the texts the server gave it (data-*); without a role, hide it.
  function say(id, role, text) {
    var el = byId(id);
    if (!el) { return; }
    el.hidden = !role;
    if (role) { el.setAttribute("role", role); } else { el.removeAttribute("role"); }
    if (text && el.dataset[text]) { el.textContent = el.dataset[text]; }
  }

  function entryFor(detail) {
    var path = pathOf(detail.path), found = QUEUEABLE.exec(path);
    if (!found || detail.verb !== "post" || !owner) { return null; }
    var kind = found[3] === "/bewerken" ? "edit" : (found[3] === "/klaar" ? "done" : "create");
    if (kind === "create") { detail.parameters.client_id = newId(); }  // the server ignores a second send
    return { id: newId(), plan: found[1], kind: kind, path: path, body: new URLSearchParams(detail.formData).toString(),
             item: kind === "create" ? null : found[2], section: kind === "create" ? found[2] : null };
  }
  // Show a queued change in place (also after a reload, on the offline copy): an added or changed text alone, or
  // the tick ticked, marked "waiting to be sent".
  function show(entry) {
    var el = spotOf(entry), list = byId("items-" + entry.section), fresh = copy("offline-pending");
    var fields = new URLSearchParams(entry.body), done = fields.get("done") === "1";
    if (entry.kind !== "done" && !fields.get("delete") && (el || list)) {
      fresh.id = el ? el.id : "pending-" + entry.id;
      if (entry.section) { fresh.classList.add("item--" + entry.section); }
      fresh.querySelector(".item__text").textContent = textOf(entry);
      if (el) { el.replaceWith(fresh); } else { list.appendChild(fresh); }
      return;
    }
    if (!el) { return; }
    var tick = entry.kind === "done" && el.querySelector(".item__done");
    if (tick) {
      el.classList.toggle("item--done", done);
      tick.querySelector("button").setAttribute("aria-pressed", String(done));
      tick.querySelector("input[name=done]").value = done ? "0" : "1";
    }
    el.classList.add("item--pending");
    if (!el.querySelector(".badge--pending")) { el.appendChild(fresh.lastElementChild); }
  }
  // The Edit link while offline: a small editor for the text (the rest can be changed when back online).
  function openEditor(path) {
    var found = owner && QUEUEABLE.exec(pathOf(path));
    var item = found && found[3] === "/bewerken" && byId("item-" + found[2]);
    var editor = item && copy("offline-editor"), shown = item && item.querySelector(".item__title, .item__text");
    if (!editor) { return false; }
    var form = editor.querySelector("form"), area = editor.querySelector("textarea");
    editor.id = item.id;
    form.setAttribute("hx-post", pathOf(path));
    form.querySelector("input[name=version]").value = item.getAttribute("data-version") || "";
    area.id = "offline-text-" + found[2];
    editor.querySelector("label").setAttribute("for", area.id);
    area.value = shown ? shown.textContent.trim() : "";
    editor.querySelector("[data-cancel]").addEventListener("click", function () { editor.replaceWith(item); });
    item.replaceWith(editor);
    htmx.process(editor);
    area.focus();
    return true;
  }

  // Each plan change keeps its queue entry ready: if its request cannot reach the server (offline it fails at once),
  // the change goes into the queue. "Cancel" and "Take their text" throw the draft away.
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    elt.offlineEntry = entryFor(event.detail);
    if (elt.matches("[data-drafts-discard]")) { clearDrafts(elt.closest("form")); }
  });
  // A request that cannot reach the server: a plan change is queued and shown (an Edit link opens the offline
  // editor); anything else is said in the alert region, and the form keeps its text.
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt, entry = form.offlineEntry, config = event.detail.requestConfig || {};
    if (config.verb === "get" && openEditor(config.path || "")) { return; }
    if (!entry) {
      byId("alerts").replaceChildren(copy("offline-alert"));
      return;
    }
    form.offlineEntry = null;
    write("queue", read("queue").concat([entry]));
    show(entry);
    clearDrafts(form);  // the text now lives in the queue
    if (form.matches(".js-reset-on-success")) { form.reset(); }
    say("offline-status", "status", "queued");
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!event.detail.successful) { return; }
    if (form.matches(".js-reset-on-success")) { form.reset(); clearDrafts(form); }  // add another
    send();  // the server answers: anything still queued can go too
  });

  // Put the server's answer where htmx would have put it; return what happened.
  function place(entry, response, html) {
    var spot = spotOf(entry), gone = copy("offline-gone");
    if ([403, 404, 410].indexOf(response.status) >= 0) {
      if (spot) { spot.remove(); }  // removed, or hidden from this person, in the meantime: their text is shown
      gone.querySelector(".offline-gone__text").textContent = textOf(entry);
      if (textOf(entry)) { byId("alerts").appendChild(gone); }
      return "gone";
    }
    // where htmx was told to put it, else the item it is (a live update may have shown it meanwhile), else the list
    var retarget = response.headers.get("HX-Retarget"), id = /\sid="([^"]+)"/.exec(html);
    var list = byId("items-" + entry.section);
    var target = (retarget && document.querySelector(retarget)) || (id && byId(id[1])) || spot || list;
    if (spot && target !== spot && entry.section) { spot.remove(); }
    var swap = target === list ? "beforeend" : response.headers.get("HX-Reswap") || "outerHTML";
    if (target) { htmx.swap(target, html, { swapStyle: swap }); }
    return response.status === 422 ? "conflict" : "sent";
  }
  function send() {
    var outcomes = {}, headers = { "HX-Request": "true", "HX-Current-URL": location.href };
    drain("queue", waiting, headers, function (entry, response) {
      if (!entry) { return say("offline-status", "status", outcomes.conflict ? "conflict" : "sent"); }
      // signed out: keep it all
      if (response.status === 400 || response.status === 401) { return say("offline-status", "status", "signIn"); }
      if (!response.ok && [403, 404, 410, 422].indexOf(response.status) < 0) { return false; }  // trouble: later
      return response.text().then(function (html) { outcomes[place(entry, response, html)] = true; return true; });
    });
    if (owner && COMPLAINT_PAGES.test(location.pathname)) {
      drain("complaint-queue", function () { return read("complaint-queue"); }, {}, sentComplaint);
    }
  }

  // A complaint filed without a connection waits here (online it is sent as usual) and is sent from the complaint
  // pages: it leaves the queue only when the server stored it (the answer is its page, marked "opgeslagen"; a
  // sign-in page is not), and a second send files it once (the form's client_id). A refusal or a server error keeps
  // it and says so, in the page's language.
  var COMPLAINT_PAGES = /^\/klachten\/(?!behandelen)/;  // the form and a complaint's own page
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-offline-queue") || !owner || navigator.onLine) { return; }
    event.preventDefault();
    var body = new URLSearchParams(new FormData(form)), id = body.get("client_id") || String(Date.now());
    write("complaint-queue", without("complaint-queue", id).concat([
      { id: id, path: pathOf(form.getAttribute("action")), body: body.toString() }]));
    say("complaint-not-sent", null);
    say("complaint-queued", "status");
  });
  function sentComplaint(entry, response) {
    var status = response && (response.ok ? 422 : response.status);
    var clientId = document.querySelector("form[data-offline-queue] input[name=client_id]");
    if (!entry) { return; }
    if (response.ok && new URL(response.url).searchParams.get("opgeslagen") === "1") {
      location.assign(response.url);
      return true;
    }
    say("complaint-queued", null);
    say("complaint-not-sent", "alert", status < 500 ? "check" : "later");
    // Sending the form by hand now files this same complaint once: it carries the queued complaint's id.
    if (clientId && entry.id.length >= 8) { clientId.value = entry.id; }
  }

  waiting().forEach(show);
  if (waiting().length && !navigator.onLine) { say("offline-status", "status", "queued"); }
  if (plan()) { setInterval(send, 20000); }  // "online" is not always told (a weak signal on the bus)
  send();
  window.addEventListener("online", send);
})();
