// Ons Plan offline, for the plan and the complaint form: drafts kept on this device until saved, and what was sent
// without a connection queued per person and sent, in order, when it is back. Loaded `defer`; pages work without it.
(function () {
  "use strict";
  // Who is signed in, as opaque keys (never the person's id): offline copies are per sign-in, the queue per person.
  // The offline page has no keys: it is shown for any page and must not make the worker forget anything.
  const meta = document.querySelector('meta[name="onsplan-offline"]');
  const owner = meta?.getAttribute("data-queue") || "";
  function storage(use) { try { return use(localStorage); } catch (e) { return null; } }  // storage off or full
  function forget(match) { storage((s) => Object.keys(s).filter(match).forEach(s.removeItem, s)); }
  function byId(id) { return document.getElementById(id); }
  function copy(id) { return byId(id)?.content.firstElementChild.cloneNode(true) ?? null; }
  function pathOf(url) { return new URL(url, location.href).pathname; }
  window.addEventListener("load", () => {  // the service worker learns the page language and who is signed in now
    navigator.serviceWorker?.register("/service-worker.js", { scope: "/" }).catch(() => {});
    navigator.serviceWorker?.ready.then(({ active }) => {  // ready: it has an active worker
      active.postMessage({ type: "lang", lang: document.documentElement.lang });
      if (meta) { active.postMessage({ type: "person", key: meta.content }); }
    });
  });

  // Drafts: what is typed or chosen in a form[data-drafts] stays on this device until it is saved (a reload loses
  // nothing). An edit's draft keeps the version it was typed against: saved after someone else saved, it shows both.
  const FIELDS = "textarea, select, input:not([type=hidden],[type=file],[type=password],[type=submit],[type=button])";
  function prefix(form) { return "onsplan-draft:" + form.getAttribute("action") + ":"; }
  function fields(form) { return [...form.querySelectorAll(FIELDS)].filter((f) => f.name); }
  function choice(f) { return f.type === "checkbox" || f.type === "radio"; }
  function keyOf(form, f) { return prefix(form) + f.name + (choice(f) ? "=" + f.value : ""); }
  function clearDrafts(form) { clearTimeout(form.draftTimer); forget((key) => key.startsWith(prefix(form))); }
  function keepDraft(form) {
    const version = form.querySelector("input[name=version]"), versionKey = prefix(form) + "version";
    if (!form.isConnected) { return; }  // answered and swapped out meanwhile: what replaced it keeps its own draft
    storage((s) => {
      fields(form).forEach((f) => s.setItem(keyOf(form, f), choice(f) ? (f.checked ? "1" : "0") : f.value));
      if (version && s.getItem(versionKey) === null) { s.setItem(versionKey, version.value); }
    });
  }
  // Heard on the document: a form is covered as soon as it is in the page, before htmx says it swapped it in.
  ["input", "change"].forEach((type) => document.addEventListener(type, (event) => {
    const form = event.target.closest?.("form[data-drafts]");
    if (form) { clearTimeout(form.draftTimer); form.draftTimer = setTimeout(keepDraft, 400, form); }
  }));
  // Saved: the draft goes, before the swap (an edit form is swapped out, and a removed form's events are lost).
  document.addEventListener("htmx:beforeSwap", ({ detail }) => {
    const form = detail.requestConfig?.elt;  // detail.elt is the swap's target here, not the form
    if (detail.xhr.status < 300 && form?.matches?.("form[data-drafts]")) { clearDrafts(form); }
  });
  document.addEventListener("htmx:load", (event) => {  // a kept draft goes back into a new form (the body, at first)
    event.detail.elt.querySelectorAll("form[data-drafts]").forEach((form) => {
      const version = form.querySelector("input[name=version]"), versionKey = prefix(form) + "version";
      if (form.draftSeen) { return; }  // once per form
      form.draftSeen = true;
      storage((s) => {
        const kept = fields(form).filter((f) => s.getItem(keyOf(form, f)) !== null && !f.closest(".field--invalid"));
        kept.forEach((f) => {
          const saved = s.getItem(keyOf(form, f));
          if (choice(f)) { f.checked = saved === "1"; } else if (f.value !== saved) { f.value = saved; }
        });
        // The view with both texts: the newer save has now been seen, so the draft counts from here.
        if (version && form.closest(".item")?.querySelector(".conflict")) {
          s.setItem(versionKey, version.value);
        } else if (kept.length && version && s.getItem(versionKey) !== null) { version.value = s.getItem(versionKey); }
      });
    });
  });
  if (document.querySelector("[data-complaint-stored]")) {  // stored: the complaint form's draft goes
    forget((key) => key.startsWith("onsplan-draft:/klachten/nieuw:"));
  }

  // The queues, per person: "queue" (plan changes) and "complaint-queue".
  function keyFor(name) { return "onsplan-" + name + ":" + owner; }
  function read(name) { return storage((s) => JSON.parse(s.getItem(keyFor(name)))) || []; }
  function write(name, list) {
    storage((s) => (list.length ? s.setItem(keyFor(name), JSON.stringify(list)) : s.removeItem(keyFor(name))));
  }
  function without(name, id) { return read(name).filter((e) => e.id !== id); }
  // Send a queue's entries in order, one at a time (also across tabs), with this page's CSRF token (an entry's may have
  // expired); `answer` says if one is done with (at the end: answer(null)). Old complaints name `action`, not `path`.
  const sending = {};
  function drain(name, entries, headers, answer) {
    if (sending[name] || !navigator.onLine || !entries().length) { return; }
    sending[name] = true;
    const next = () => {
      const entry = entries()[0], body = new URLSearchParams(entry?.body);  // read again: another tab may send
      const token = document.querySelector("input[name=csrf_token]");
      if (!entry) { return Promise.resolve(answer(null)); }
      if (token) { body.set("csrf_token", token.value); }
      return fetch(entry.path || entry.action, { method: "POST", body, headers })
        .then((response) => answer(entry, response))
        .then((done) => { if (done) { write(name, without(name, entry.id)); return next(); } }, () => {});
    };
    const release = () => { sending[name] = false; };
    (navigator.locks ? navigator.locks.request("onsplan-" + name, next) : next()).then(release, release);
  }
  if (owner) {  // another person signed in on this device: forget the queues and drafts the one before left here
    const before = storage((s) => s.getItem("onsplan-owner"));
    forget((key) => (/^onsplan-(complaint-)?queue:/.test(key) && key.slice(key.indexOf(":") + 1) !== owner) ||
      (before && before !== owner && key.startsWith("onsplan-draft:")));
    storage((s) => s.setItem("onsplan-owner", owner));
  }

  // A plan change made without a connection is shown in place as "waiting to be sent"; sent, the server's answer
  // takes its place, exactly as htmx would have put it: the saved item, or the conflict view.
  const QUEUEABLE = /^\/plan\/([^\/?#]+)\/onderdelen\/([^\/?#]+)(\/bewerken|\/klaar)?$/;
  function newId() {
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b + 256).toString(16).slice(1)).join("");
  }
  function plan() { const box = byId("offline-status"); return box && owner ? box.getAttribute("data-plan") : null; }
  function waiting() { return read("queue").filter((e) => e.plan === plan()); }
  function spotOf(entry) { return byId(entry.section ? "pending-" + entry.id : "item-" + entry.item); }
  function textOf(entry) { return new URLSearchParams(entry.body).get("text") || ""; }
  function say(id, role, text) {  // a note with a role (read out) and one of its data-* texts; without a role, hidden
    const el = byId(id);
    if (!el) { return; }
    el.hidden = !role;
    if (role) { el.setAttribute("role", role); } else { el.removeAttribute("role"); }
    if (text && el.dataset[text]) { el.textContent = el.dataset[text]; }
  }
  function entryFor(detail) {
    const path = pathOf(detail.path), found = QUEUEABLE.exec(path);
    if (!found || detail.verb !== "post" || !owner) { return null; }
    const kind = found[3] === "/bewerken" ? "edit" : (found[3] === "/klaar" ? "done" : "create");
    if (kind === "create") { detail.parameters.client_id = newId(); }  // the server ignores a second send
    return { id: newId(), plan: found[1], kind, path, body: new URLSearchParams(detail.formData).toString(),
             item: kind === "create" ? null : found[2], section: kind === "create" ? found[2] : null };
  }
  function show(entry) {  // a queued change in place (also after a reload, offline): its text alone, or the tick
    const el = spotOf(entry), list = byId("items-" + entry.section), fresh = copy("offline-pending");
    const fields = new URLSearchParams(entry.body), done = fields.get("done") === "1";
    if (entry.kind !== "done" && !fields.get("delete") && (el || list)) {
      fresh.id = el ? el.id : "pending-" + entry.id;
      if (entry.section) { fresh.classList.add("item--" + entry.section); }
      fresh.querySelector(".item__text").textContent = textOf(entry);
      if (el) { el.replaceWith(fresh); } else { list.appendChild(fresh); }
    } else if (el) {
      const tick = entry.kind === "done" && el.querySelector(".item__done");
      if (tick) {
        el.classList.toggle("item--done", done);
        tick.querySelector("button").setAttribute("aria-pressed", String(done));
        tick.querySelector("input[name=done]").value = done ? "0" : "1";
      }
      el.classList.add("item--pending");
      if (!el.querySelector(".badge--pending")) { el.appendChild(fresh.lastElementChild); }
    }
  }
  function openEditor(path) {  // the Edit link offline: a small editor for the text (the rest can wait till online)
    const found = owner && QUEUEABLE.exec(pathOf(path));
    const item = found && found[3] === "/bewerken" && byId("item-" + found[2]);
    const editor = item && copy("offline-editor"), area = editor?.querySelector("textarea");
    if (!editor) { return false; }
    editor.id = item.id;
    editor.querySelector("form").setAttribute("hx-post", pathOf(path));
    editor.querySelector("input[name=version]").value = item.getAttribute("data-version") || "";
    area.id = "offline-text-" + found[2];
    editor.querySelector("label").setAttribute("for", area.id);
    area.value = item.querySelector(".item__title, .item__text")?.textContent.trim() || "";
    editor.querySelector("[data-cancel]").addEventListener("click", () => editor.replaceWith(item));
    item.replaceWith(editor);
    htmx.process(editor);
    area.focus();
    return true;
  }
  // Each plan change keeps its queue entry ready, for if it fails to be sent; "Cancel", "Take their text": no draft.
  document.addEventListener("htmx:configRequest", ({ detail }) => {
    detail.elt.offlineEntry = entryFor(detail);
    if (detail.elt.matches("[data-drafts-discard]")) { clearDrafts(detail.elt.closest("form")); }
  });
  // Not sent: a plan change is queued and shown, an Edit link opens the offline editor, anything else is alerted.
  document.addEventListener("htmx:sendError", (event) => {
    const form = event.detail.elt, entry = form.offlineEntry, config = event.detail.requestConfig || {};
    if (config.verb === "get" && openEditor(config.path || "")) { return; }
    if (!entry) { byId("alerts").replaceChildren(copy("offline-alert")); return; }  // the form keeps its text
    form.offlineEntry = null;
    write("queue", read("queue").concat([entry]));
    show(entry);
    clearDrafts(form);  // the text now lives in the queue
    if (form.matches(".js-reset-on-success")) { form.reset(); }
    say("offline-status", "status", "queued");
  });
  document.addEventListener("htmx:afterRequest", ({ detail }) => {  // answered: anything still queued can go too
    if (!detail.successful) { return; }
    if (detail.elt.matches(".js-reset-on-success")) { detail.elt.reset(); clearDrafts(detail.elt); }  // add another
    send();
  });
  function place(entry, response, html) {  // the server's answer where htmx would have put it; returns what happened
    const spot = spotOf(entry), gone = copy("offline-gone"), list = byId("items-" + entry.section);
    if ([403, 404, 410].includes(response.status)) {  // removed, or hidden from this person: their text is shown
      if (spot) { spot.remove(); }
      gone.querySelector(".offline-gone__text").textContent = textOf(entry);
      if (textOf(entry)) { byId("alerts").appendChild(gone); }
      return "gone";
    }
    // where htmx was told to put it, else the item it is (a live update may have shown it meanwhile), else the list
    const retarget = response.headers.get("HX-Retarget"), id = /\sid="([^"]+)"/.exec(html);
    const target = (retarget && document.querySelector(retarget)) || (id && byId(id[1])) || spot || list;
    if (spot && target !== spot && entry.section) { spot.remove(); }
    const swap = target === list ? "beforeend" : response.headers.get("HX-Reswap") || "outerHTML";
    if (target) { htmx.swap(target, html, { swapStyle: swap }); }
    return response.status === 422 ? "conflict" : "sent";
  }
  function send() {
    const outcomes = {}, headers = { "HX-Request": "true", "HX-Current-URL": location.href };
    drain("queue", waiting, headers, (entry, response) => {
      if (!entry) { return say("offline-status", "status", outcomes.conflict ? "conflict" : "sent"); }
      if ([400, 401].includes(response.status)) { return say("offline-status", "status", "signIn"); }  // keep it all
      if (!response.ok && ![403, 404, 410, 422].includes(response.status)) { return false; }  // trouble: later
      return response.text().then((html) => { outcomes[place(entry, response, html)] = true; return true; });
    });
    if (owner && COMPLAINT_PAGES.test(location.pathname)) {
      drain("complaint-queue", () => read("complaint-queue"), {}, sentComplaint);
    }
  }

  // A complaint filed offline waits here and is sent from the complaint pages. It leaves the queue only once stored
  // (the answer is its page, marked "opgeslagen"); a second send files it once (client_id); else it says why.
  const COMPLAINT_PAGES = /^\/klachten\/(?!behandelen)/;  // the form and a complaint's own page
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.hasAttribute("data-offline-queue") || !owner || navigator.onLine) { return; }
    event.preventDefault();
    const body = new URLSearchParams(new FormData(form)), id = body.get("client_id") || String(Date.now());
    const path = pathOf(form.getAttribute("action"));
    write("complaint-queue", without("complaint-queue", id).concat([{ id, path, body: body.toString() }]));
    say("complaint-not-sent", null);
    say("complaint-queued", "status");
  });
  function sentComplaint(entry, response) {
    const clientId = document.querySelector("form[data-offline-queue] input[name=client_id]");
    if (!entry) { return; }
    const stored = response.ok && new URL(response.url).searchParams.get("opgeslagen") === "1";
    if (stored) { location.assign(response.url); return true; }
    say("complaint-queued", null);
    say("complaint-not-sent", "alert", response.ok || response.status < 500 ? "check" : "later");
    if (clientId && entry.id.length >= 8) { clientId.value = entry.id; }  // sent by hand now, it is filed once
  }
  waiting().forEach(show);
  if (waiting().length && !navigator.onLine) { say("offline-status", "status", "queued"); }
  if (plan()) { setInterval(send, 20000); }  // "online" is not always told (a weak signal on the bus)
  send();
  window.addEventListener("online", send);
})();
