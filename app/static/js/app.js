// Ons Plan: small enhancements only; every page works without this file.
(function () {
  "use strict";

  // Who is signed in, as opaque keys (never the person's id): offline copies are per sign-in, the queue per person.
  // The offline page has no keys: it is shown for any page and must not make the worker forget anything.
  var offlineMeta = document.querySelector('meta[name="onsplan-offline"]');
  var queueOwner = offlineMeta ? offlineMeta.getAttribute("data-queue") || "" : "";

  // Register the service worker; tell it the page language (for the offline page) and who is signed in now
  // (it keeps only that person's offline copies, none when nobody is signed in).
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).catch(function () {});
      navigator.serviceWorker.ready.then(function (registration) {
        if (registration.active) {
          registration.active.postMessage({ type: "lang", lang: document.documentElement.lang });
          if (offlineMeta) { registration.active.postMessage({ type: "person", key: offlineMeta.content }); }
        }
      });
    });
  }

  // When a request cannot reach the server, a plan edit goes into the offline queue; anything else is said in the
  // alert region, and the form keeps its text.
  document.addEventListener("htmx:sendError", function (event) {
    if (offline.onSendError(event.detail)) { return; }
    var alerts = document.getElementById("alerts");
    var template = document.getElementById("offline-alert");
    if (alerts && template) {
      alerts.innerHTML = "";
      alerts.appendChild(template.content.cloneNode(true));
    }
  });

  // Reset an "add" form after htmx added the new item, so the next one starts empty.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.classList && form.classList.contains("js-reset-on-success") && event.detail.successful) {
      form.reset();
      clearDrafts(form);
    }
  });

  // Drafts: what is typed or chosen in a form is kept on this device until it is saved (a reload loses nothing).
  // An edit's draft keeps the version it was typed against: saved after someone else saved, it shows both texts.
  var DRAFT_FIELDS = "textarea, select, input[type=text], input[type=date], input[type=email], input[type=tel], " +
    "input[type=number], input[type=checkbox], input[type=radio]";
  function draftPrefix(form) { return "onsplan-draft:" + form.getAttribute("action") + ":"; }
  function draftKey(form, field) {
    var choice = field.type === "checkbox" || field.type === "radio";
    return draftPrefix(form) + field.name + (choice ? "=" + field.value : "");
  }
  function draftValue(field) {
    if (field.type === "checkbox" || field.type === "radio") { return field.checked ? "1" : "0"; }
    return field.value;
  }
  function clearDrafts(form) {
    var prefix = draftPrefix(form), keys = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        if (localStorage.key(i).indexOf(prefix) === 0) { keys.push(localStorage.key(i)); }
      }
      keys.forEach(function (key) { localStorage.removeItem(key); });
    } catch (e) { /* storage off */ }
  }
  function versionKey(form) { return draftPrefix(form) + "version"; }
  function keepDraft(form) {
    if (!form.isConnected) { return; }  // answered and swapped out meanwhile: what replaced it keeps its own draft
    try {
      Array.prototype.forEach.call(form.querySelectorAll(DRAFT_FIELDS), function (f) {
        if (f.name) { localStorage.setItem(draftKey(form, f), draftValue(f)); }
      });
      var version = form.querySelector("input[name=version]");
      if (version && localStorage.getItem(versionKey(form)) === null) {
        localStorage.setItem(versionKey(form), version.value);
      }
    } catch (e) { /* storage full or off */ }
  }
  // Listened for on the document, so a form is covered from the moment it is in the page (htmx swaps it in and
  // only then says so: someone quick, or a test, types in between).
  function draftForm(event) { return event.target.closest ? event.target.closest("form[data-drafts]") : null; }
  function soon(event) {
    var form = draftForm(event);
    if (!form) { return; }
    clearTimeout(form._draftTimer);
    form._draftTimer = setTimeout(function () { keepDraft(form); }, 400);
  }
  document.addEventListener("input", soon);
  document.addEventListener("change", soon);
  // Saved: the draft goes. Before the swap, while the form is still in the page (an edit form is swapped out with
  // its answer, and an event on a removed form never reaches the document).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var config = event.detail.requestConfig || {};  // detail.elt is the swap's target here, not the form
    var form = config.elt, status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status >= 200 && status < 300 && form && form.matches && form.matches("form[data-drafts]")) {
      clearTimeout(form._draftTimer);
      clearDrafts(form);
    }
  });
  // "Cancel" and "Take their text" throw the draft away.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-drafts-discard]") : null;
    var form = link && (link.closest(".item") || document).querySelector("form[data-drafts]");
    if (form) { clearTimeout(form._draftTimer); clearDrafts(form); }
  });
  // Put a kept draft back into a form that has just appeared (once per form).
  function watchDrafts(root) {
    Array.prototype.forEach.call(root.querySelectorAll("form[data-drafts]"), function (form) {
      if (form.dataset.draftWatched) { return; }
      form.dataset.draftWatched = "1";
      var version = form.querySelector("input[name=version]"), drafted = false;
      // The view with both texts: the person has now seen the newer save, so their draft counts from here.
      var conflict = form.closest(".item") && form.closest(".item").querySelector(".conflict");
      try {
        Array.prototype.forEach.call(form.querySelectorAll(DRAFT_FIELDS), function (f) {
          var saved = f.name ? localStorage.getItem(draftKey(form, f)) : null;
          if (saved === null || f.closest(".field--invalid")) { return; }
          drafted = drafted || saved !== null;
          if (saved === draftValue(f)) { return; }
          if (f.type === "checkbox" || f.type === "radio") { f.checked = saved === "1"; } else { f.value = saved; }
        });
        var savedVersion = localStorage.getItem(versionKey(form));
        if (version && conflict) { localStorage.setItem(versionKey(form), version.value); }
        else if (drafted && version && savedVersion !== null) { version.value = savedVersion; }
      } catch (e) { /* storage off */ }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { watchDrafts(document); });
  document.addEventListener("htmx:load", function (event) { watchDrafts(event.detail.elt); });

  // The live plan: the server names changed items; each is fetched through a normal, permission-checked request.
  document.addEventListener("DOMContentLoaded", function () {
    var live = document.getElementById("live");
    if (!live || !window.EventSource) { return; }
    var lang = document.documentElement.lang;
    var headers = { "HX-Request": "true", "X-Page-Lang": lang };
    var paused = document.getElementById("live-paused"), lastId = null;
    function getHtml(url) {
      return fetch(url, { headers: headers, credentials: "same-origin" }).then(function (r) {
        return r.status === 404 ? "" : (r.ok ? r.text() : null);
      });
    }
    function fromHtml(html) {
      var t = document.createElement("template");
      t.innerHTML = html.trim();
      return t.content.firstElementChild;
    }
    // Someone is changing this item here: saving (now, or when the offline queue is sent) will show both texts.
    function inHand(item) {
      return item && (item.classList.contains("item--editing") || item.classList.contains("item--pending"));
    }
    function onItem(event) {
      var msg = JSON.parse(event.data);
      if (event.lastEventId) { lastId = event.lastEventId; }
      var current = document.getElementById("item-" + msg.item);
      if (inHand(current)) { return; }
      // the same version is already shown, unless who may see it changed (it may now appear or vanish)
      if (current && !msg.visibility && current.dataset.version === String(msg.version)) { return; }
      getHtml(live.dataset.itemUrl.replace("ITEM", msg.item)).then(function (html) {
        var now = document.getElementById("item-" + msg.item);
        if (html === null || inHand(now)) { return; }  // the editor opened while the news was on its way
        if (html === "") { if (now) { now.remove(); } return; }
        var fresh = fromHtml(html);
        var had = now && now.contains(document.activeElement) ? focusKey(document.activeElement) : null;
        if (now) { now.replaceWith(fresh); if (had) { refocus(fresh, had, null); } } else {
          var list = document.getElementById("items-" + msg.kind);
          if (!list) { return; }
          list.appendChild(fresh);
        }
        if (window.htmx) { window.htmx.process(fresh); }
        fresh.classList.add("item--fresh");
        live.dispatchEvent(new CustomEvent("onsplan:updated", { bubbles: true, detail: msg }));
      });
    }
    function refreshPresence() {
      getHtml(live.dataset.presenceUrl).then(function (html) {
        var box = document.getElementById("presence");
        if (box && html !== null) { box.textContent = html.trim(); }
      });
    }
    // Someone's choice in an agreement form is never replaced under their fingers (checked when the fresh page
    // arrives, not only when the news did).
    function busy(block) {
      return block.querySelector("form[data-touched]") ||
        (document.activeElement && block.contains(document.activeElement) && document.activeElement !== document.body);
    }
    document.addEventListener("change", function (event) {
      var form = event.target.closest && event.target.closest(".agreement__form");
      if (form) { form.setAttribute("data-touched", ""); }
    });
    function onAgreement() {
      getHtml(location.pathname).then(function (html) {
        if (!html) { return; }
        var page = new DOMParser().parseFromString(html, "text/html");
        Array.prototype.forEach.call(page.querySelectorAll(".agreement[id]"), function (fresh) {
          var old = document.getElementById(fresh.id);
          if (old && !busy(old)) { old.replaceWith(document.importNode(fresh, true)); }
        });
        var status = page.querySelector(".plan-status");
        var oldStatus = document.querySelector(".plan-status");
        if (status && oldStatus) { oldStatus.replaceWith(document.importNode(status, true)); }
        // which goals keep the plan waiting, and for whom (no form in it: always replaced)
        var waiting = page.getElementById("agreement-waiting");
        var oldWaiting = document.getElementById("agreement-waiting");
        if (waiting && oldWaiting) { oldWaiting.replaceWith(document.importNode(waiting, true)); }
      });
    }
    // The help for a goal changed (chosen, confirmed, the municipality's answer): its block takes the fresh content
    // in place (the block is a live region, so a screen reader hears it), with the result line and the header's
    // count of new notifications.
    function onHelp(event) {
      var msg = JSON.parse(event.data);
      getHtml(location.pathname).then(function (html) {
        if (!html) { return; }
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("help-" + msg.goal), old = document.getElementById("help-" + msg.goal);
        if (!fresh || !old) { return; }
        old.className = fresh.className;
        old.replaceChildren.apply(old, Array.prototype.map.call(fresh.childNodes, function (n) {
          return document.importNode(n, true);
        }));
        var result = page.getElementById("result-" + msg.goal), stale = document.getElementById("result-" + msg.goal);
        if (stale) { stale.remove(); }
        if (result) { old.after(document.importNode(result, true)); }
        var link = page.getElementById("notifications-link"), shown = document.getElementById("notifications-link");
        if (link && shown) { shown.replaceWith(document.importNode(link, true)); }
      });
    }
    // Live updates pause (Redis away: the server says "paused"; or the stream was refused, e.g. a 503): say so,
    // with a reload link, and keep asking; "ready" means they are back, and the stream caught up on what changed.
    function showPaused(on) { if (paused) { paused.hidden = !on; } }
    function connect(url) {
      var source = new EventSource(url);
      source.addEventListener("item", onItem);
      source.addEventListener("presence", refreshPresence);
      source.addEventListener("open", refreshPresence);
      source.addEventListener("agreement", onAgreement);
      source.addEventListener("help", onHelp);
      source.addEventListener("ready", function () { showPaused(false); });
      source.addEventListener("paused", function () { showPaused(true); });
      source.addEventListener("error", function () {
        if (source.readyState !== EventSource.CLOSED) { return; }  // the browser tries again by itself
        showPaused(true);
        setTimeout(function () {
          var next = new URL(live.dataset.stream, location.href);
          if (lastId) { next.searchParams.set("after", lastId); }
          connect(next.toString());
        }, 10000);
      });
    }
    connect(live.dataset.stream);
  });

  // Offline edits: plan changes made without a connection wait in a queue on this device (per person) and are
  // sent, in order, when the connection is back. Each is shown in place as "waiting to be sent"; the server's
  // answer then takes its place, exactly as htmx would have put it: the saved item, or the conflict view.
  var offline = (function () {
    var QUEUEABLE = /^\/plan\/([^\/?#]+)\/onderdelen\/([^\/?#]+)(\/bewerken|\/klaar)?$/;
    var EDIT_FORM = /^\/plan\/[^\/?#]+\/onderdelen\/([^\/?#]+)\/bewerken$/;
    var PREFIX = "onsplan-queue:";
    var sending = false;

    function storeName() { return PREFIX + queueOwner; }
    function read() {
      try { return JSON.parse(localStorage.getItem(storeName()) || "[]"); } catch (e) { return []; }
    }
    function write(queue) {
      try {
        if (queue.length) { localStorage.setItem(storeName(), JSON.stringify(queue)); }
        else { localStorage.removeItem(storeName()); }
      } catch (e) { /* storage full or off: the edit stays on screen */ }
    }
    function remove(id) { write(read().filter(function (e) { return e.id !== id; })); }
    function newId() {
      var bytes = new Uint8Array(16);
      crypto.getRandomValues(bytes);
      return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    }
    function pathOf(url) { return new URL(url, location.href).pathname; }
    function statusBox() { return document.getElementById("offline-status"); }
    function say(what) {
      var box = statusBox();
      if (box && box.dataset[what]) { box.textContent = box.dataset[what]; }
    }
    function pageHeaders() {
      try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}"); } catch (e) { return {}; }
    }
    function fromHtml(html) {
      var t = document.createElement("template");
      t.innerHTML = html.trim();
      return t.content.firstElementChild;
    }
    function enhance(el) {
      if (window.htmx) { window.htmx.process(el); }
      watchDrafts(el);
    }

    // Another person signed in on this device: forget what the one before left here (queue and drafts).
    function forgetOthers() {
      if (!queueOwner) { return; }
      try {
        var before = localStorage.getItem("onsplan-owner");
        for (var i = localStorage.length - 1; i >= 0; i -= 1) {
          var key = localStorage.key(i) || "";
          var otherQueue = (key.indexOf(PREFIX) === 0 && key !== storeName()) ||
            (key.indexOf("onsplan-complaint-queue:") === 0 && key !== "onsplan-complaint-queue:" + queueOwner);
          if (otherQueue || (before && before !== queueOwner && key.indexOf("onsplan-draft:") === 0)) {
            localStorage.removeItem(key);
          }
        }
        localStorage.setItem("onsplan-owner", queueOwner);
      } catch (e) { /* storage off */ }
    }

    function entryFor(detail) {
      var path = pathOf(detail.path), found = QUEUEABLE.exec(path);
      if (!found || detail.verb !== "post" || !queueOwner) { return null; }
      var kind = found[3] === "/bewerken" ? "edit" : (found[3] === "/klaar" ? "done" : "create");
      if (kind === "create") { detail.parameters.client_id = newId(); }  // the server ignores a second send
      var fields = new URLSearchParams();
      detail.formData.forEach(function (value, name) { if (typeof value === "string") { fields.append(name, value); } });
      return { id: newId(), plan: found[1], kind: kind, path: path, body: fields.toString(),
               item: kind === "create" ? null : found[2], section: kind === "create" ? found[2] : null,
               at: Date.now() };
    }

    function badge() {
      var t = document.getElementById("offline-pending");
      return t ? t.content.firstElementChild.cloneNode(true) : null;
    }
    function mark(el, entry) {
      el.classList.add("item--pending");
      el.setAttribute("data-pending", entry.id);
      if (!el.querySelector(".badge--pending")) { var b = badge(); if (b) { el.appendChild(b); } }
    }
    function textOf(entry) { return new URLSearchParams(entry.body).get("text") || ""; }

    // Show a queued edit in place, marked "waiting to be sent" (also after a reload, on the offline copy).
    function show(entry) {
      var fields = new URLSearchParams(entry.body), el;
      if (entry.kind === "create") {
        var list = document.getElementById("items-" + entry.section);
        if (!list || document.getElementById("pending-" + entry.id)) { return; }
        el = document.createElement("article");
        el.className = "item item--" + entry.section;
        el.id = "pending-" + entry.id;
        var p = document.createElement("p");
        p.className = "item__text";
        p.textContent = textOf(entry);
        el.appendChild(p);
        list.appendChild(el);
      } else {
        el = document.getElementById("item-" + entry.item);
        if (!el) { return; }
        if (entry.kind === "edit" && !fields.get("delete")) {
          var fresh = document.createElement("article");
          fresh.className = "item";
          fresh.id = el.id;
          var text = document.createElement("p");
          text.className = "item__text";
          text.textContent = textOf(entry);
          fresh.appendChild(text);
          el.replaceWith(fresh);
          el = fresh;
        } else if (entry.kind === "done") {
          var done = fields.get("done") === "1", button = el.querySelector(".item__done button");
          el.classList.toggle("item--done", done);
          if (button) { button.setAttribute("aria-pressed", done ? "true" : "false"); }
          var box = el.querySelector(".check__box"), next = el.querySelector(".item__done input[name=done]");
          if (box) { box.textContent = done ? "\u2713" : ""; }
          if (next) { next.value = done ? "0" : "1"; }
        }
      }
      mark(el, entry);
    }

    function enqueue(entry, elt) {
      write(read().concat([entry]));
      show(entry);
      if (elt && elt.tagName === "FORM") {
        clearDrafts(elt);  // the text now lives in the queue
        if (elt.classList.contains("js-reset-on-success")) { elt.reset(); }
      }
      say("queued");
    }

    // The Edit link while offline: a small editor for the text (the rest can be changed when back online).
    function openEditor(path) {
      var found = EDIT_FORM.exec(pathOf(path)), t = document.getElementById("offline-editor");
      var item = found && document.getElementById("item-" + found[1]);
      if (!item || !t) { return false; }
      var editor = t.content.firstElementChild.cloneNode(true), form = editor.querySelector("form");
      var area = editor.querySelector("textarea"), label = editor.querySelector("label");
      var shown = item.querySelector(".item__title, .item__text");
      editor.id = item.id;
      form.setAttribute("action", pathOf(path));
      form.setAttribute("hx-post", pathOf(path));
      form.setAttribute("hx-target", "#" + item.id);
      form.setAttribute("hx-swap", "outerHTML");
      form.querySelector("input[name=version]").value = item.getAttribute("data-version") || "";
      area.id = "offline-text-" + found[1];
      label.setAttribute("for", area.id);
      area.value = shown ? shown.textContent.trim() : "";
      editor.querySelector("[data-cancel]").addEventListener("click", function () { editor.replaceWith(item); });
      item.replaceWith(editor);
      if (window.htmx) { window.htmx.process(editor); }
      area.focus();
      return true;
    }

    document.addEventListener("htmx:configRequest", function (event) {
      var detail = event.detail;
      if (detail.verb === "get" && !navigator.onLine && EDIT_FORM.test(pathOf(detail.path)) && queueOwner) {
        if (openEditor(detail.path)) { event.preventDefault(); }
        return;
      }
      var entry = entryFor(detail);
      detail.elt._onsplanQueued = null;
      if (!entry) { return; }
      if (!navigator.onLine) {
        event.preventDefault();
        enqueue(entry, detail.elt);
      } else {
        detail.elt._onsplanQueued = entry;  // queued only if the request cannot reach the server
      }
    });

    document.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.successful) { send(); }  // the server answers: anything still queued can go too
    });

    // Put the server's answer where htmx would have put it; return what happened.
    function place(entry, response, html) {
      var spot = document.getElementById(entry.kind === "create" ? "pending-" + entry.id : "item-" + entry.item);
      if (response.status === 404 || response.status === 403 || response.status === 410) {
        if (spot) { spot.remove(); }  // removed, or hidden from this person, in the meantime
        var t = document.getElementById("offline-gone"), alerts = document.getElementById("alerts");
        if (t && alerts && textOf(entry)) {
          var gone = t.content.firstElementChild.cloneNode(true);
          gone.querySelector(".offline-gone__text").textContent = textOf(entry);
          alerts.appendChild(gone);
        }
        return "gone";
      }
      var retarget = response.headers.get("HX-Retarget");
      var fresh = html.trim() ? fromHtml(html) : null;
      if (retarget) {
        var target = document.querySelector(retarget);
        if (target && fresh) { target.replaceWith(fresh); enhance(fresh); }
        if (spot && entry.kind === "create") { spot.remove(); }
      } else if (!fresh) {
        if (spot) { spot.remove(); }  // removed: swapped for nothing
      } else {
        var twin = fresh.id && document.getElementById(fresh.id);
        if (twin && twin !== spot) { twin.replaceWith(fresh); if (spot) { spot.remove(); } }
        else if (spot) { spot.replaceWith(fresh); }
        else if (entry.kind === "create" && document.getElementById("items-" + entry.section)) {
          document.getElementById("items-" + entry.section).appendChild(fresh);
        }
        enhance(fresh);
      }
      return response.status === 422 ? "conflict" : "sent";
    }

    function sendNext(plan, outcomes) {
      var entry = read().filter(function (e) { return e.plan === plan; })[0];  // read again: another tab may send
      if (!entry) {
        say(outcomes.conflict ? "conflict" : "sent");
        return Promise.resolve();
      }
      var headers = pageHeaders(), body = new URLSearchParams(entry.body);
      if (headers["X-CSRFToken"]) { body.set("csrf_token", headers["X-CSRFToken"]); }  // this session's token
      return fetch(entry.path, {
        method: "POST", body: body, credentials: "same-origin", redirect: "manual",
        headers: { "HX-Request": "true", "X-Page-Lang": document.documentElement.lang,
                   "X-CSRFToken": headers["X-CSRFToken"] || "", "HX-Current-URL": location.href },
      }).then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 400 || response.status === 401) {
          say("signIn");  // signed out in the meantime: keep the queue until they sign in again
          return null;
        }
        if (!(response.ok || response.status === 422 || response.status === 403 || response.status === 404
              || response.status === 410)) {
          return null;  // the server has trouble: try again later
        }
        return response.text().then(function (html) {
          remove(entry.id);
          outcomes[place(entry, response, html)] = true;
          return sendNext(plan, outcomes);
        });
      }, function () { return null; });  // still no connection
    }

    // Send the queue of this plan, in order, once at a time (also across tabs).
    function send() {
      var box = statusBox();
      if (sending || !navigator.onLine || !queueOwner || !box) { return; }
      var plan = box.getAttribute("data-plan");
      if (!read().some(function (e) { return e.plan === plan; })) { return; }
      sending = true;
      var run = function () { return sendNext(plan, {}); };
      var finish = function () { sending = false; };
      (navigator.locks ? navigator.locks.request("onsplan-queue", run) : run()).then(finish, finish);
    }

    forgetOthers();  // before the drafts are put back into the forms (DOMContentLoaded)

    function start() {
      var box = statusBox();
      if (!box || !queueOwner) { return; }
      var plan = box.getAttribute("data-plan"), waiting = read().filter(function (e) { return e.plan === plan; });
      waiting.forEach(show);
      if (waiting.length && !navigator.onLine) { say("queued"); }
      send();
      setInterval(send, 20000);  // "online" is not always told (a weak signal on the bus): try now and then
    }

    return {
      start: start,
      send: send,
      onSendError: function (detail) {
        var elt = detail.elt, config = detail.requestConfig || {};
        if (config.verb === "get" && EDIT_FORM.test(pathOf(config.path || "")) && queueOwner) {
          return openEditor(config.path);
        }
        var entry = elt && elt._onsplanQueued;
        if (!entry) { return false; }
        delete elt._onsplanQueued;
        enqueue(entry, elt);
        return true;
      },
    };
  })();
  document.addEventListener("DOMContentLoaded", offline.start);
  window.addEventListener("online", offline.send);

  // Focus after htmx replaced a part of the page (WCAG 2.4.3), never left on <body>. What the answer marks
  // `autofocus` gets it (htmx does that as it settles): an editor's first field, an error summary. Otherwise, if focus
  // was inside the part that went (Save, Cancel, a tick), it goes to the same control in the new part, else to the
  // part's [data-focus-return] control (an item's Edit link), else to the part itself; if the part is gone
  // (removed), to the heading of its section.
  function focusKey(el) {
    var form = el.form || (el.closest && el.closest("form"));
    return [el.tagName, el.id, el.getAttribute("href") || "", el.getAttribute("name") || "", el.type || "",
            form ? form.getAttribute("action") || "" : ""].join("|");
  }
  function focusWithin(root, key) {
    var all = root.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]");
    for (var i = 0; i < all.length; i++) { if (focusKey(all[i]) === key) { return all[i]; } }
    return null;
  }
  function focusable(el) {
    if (!el.matches("a[href], button, input, select, textarea, summary, [tabindex]")) { el.setAttribute("tabindex", "-1"); }
    el.focus();
  }
  function lostFocus() {
    var active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  }
  // Put focus back into `part` (what replaced the part that had it), or near where the part was.
  function refocus(part, key, section) {
    if (!lostFocus()) { return; }
    if (part && part.isConnected) {
      focusable(focusWithin(part, key) || part.querySelector("[data-focus-return]") || part);
    } else if (section && section.isConnected) {
      focusable(section.querySelector("h2, h3") || section);
    }
  }
  var focusBefore = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target, active = document.activeElement;
    focusBefore = null;
    if (!target || !active || active === document.body || !target.contains(active)) { return; }
    focusBefore = { target: target, id: target.id, key: focusKey(active),
                    section: target.parentElement && target.parentElement.closest("section, form, main") };
  });
  function afterSwapFocus() {
    var was = focusBefore;
    focusBefore = null;
    if (!was) { return; }
    refocus(was.target.isConnected ? was.target : (was.id && document.getElementById(was.id)), was.key, was.section);
  }
  // After htmx settled (its autofocus done); a part swapped for nothing never settles: the request's end says so.
  document.addEventListener("htmx:afterSettle", afterSwapFocus);
  document.addEventListener("htmx:afterRequest", function () {
    if (focusBefore && !focusBefore.target.isConnected && !(focusBefore.id && document.getElementById(focusBefore.id))) {
      afterSwapFocus();
    }
  });
  // A link in an error summary puts focus in its field (and shows the field's label), as a skip link does.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-error-summary] a[href^='#']") : null;
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    var label = field.id && document.querySelector("label[for='" + field.id + "']");
    var legend = field.closest("fieldset") && field.closest("fieldset").querySelector("legend");
    (legend || label || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });

  // Close the help panel with Escape and give focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.querySelector("details.help-menu[open]");
    if (open) {
      open.removeAttribute("open");
      open.querySelector("summary").focus();
    }
  });
})();
