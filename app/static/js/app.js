// Ons Plan: small enhancements only; every page works without this file.
(function () {
  "use strict";

  // Register the service worker and tell it the page language for the offline page.
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).catch(function () {});
      navigator.serviceWorker.ready.then(function (registration) {
        if (registration.active) {
          registration.active.postMessage({ type: "lang", lang: document.documentElement.lang });
        }
      });
    });
  }

  // When a request cannot reach the server, say so in the alert region; the form keeps its text.
  document.addEventListener("htmx:sendError", function () {
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

  // Drafts: what is typed in a plan form is kept on this device until it is saved (a reload loses nothing).
  function draftKey(form, field) { return "onsplan-draft:" + form.getAttribute("action") + ":" + field.name; }
  function clearDrafts(form) {
    Array.prototype.forEach.call(form.querySelectorAll("textarea, input[type=text], input[type=date]"), function (f) {
      try { localStorage.removeItem(draftKey(form, f)); } catch (e) { /* storage off */ }
    });
  }
  function watchDrafts(root) {
    Array.prototype.forEach.call(root.querySelectorAll("form[data-drafts] textarea, form[data-drafts] input[type=text]"), function (f) {
      var form = f.form, key = draftKey(form, f), timer = null;
      if (f.dataset.draftWatched) { return; }
      f.dataset.draftWatched = "1";
      try {
        var saved = localStorage.getItem(key);
        if (saved !== null && saved !== f.value && !f.closest(".field--invalid")) { f.value = saved; }
      } catch (e) { return; }
      f.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { try { localStorage.setItem(key, f.value); } catch (e) { /* full */ } }, 400);
      });
      form.addEventListener("htmx:afterRequest", function (event) {
        if (event.detail.successful && event.detail.elt === form) { clearDrafts(form); }
      });
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
    var source = new EventSource(live.dataset.stream);
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
    source.addEventListener("item", function (event) {
      var msg = JSON.parse(event.data);
      var current = document.getElementById("item-" + msg.item);
      if (current && current.classList.contains("item--editing")) { return; }  // saving will show both texts
      if (current && current.dataset.version === String(msg.version)) { return; }
      getHtml(live.dataset.itemUrl.replace("ITEM", msg.item)).then(function (html) {
        if (html === null) { return; }
        if (html === "") { if (current) { current.remove(); } return; }
        var fresh = fromHtml(html);
        var now = document.getElementById("item-" + msg.item);
        if (now) { now.replaceWith(fresh); } else {
          var list = document.getElementById("items-" + msg.kind);
          if (!list) { return; }
          list.appendChild(fresh);
        }
        if (window.htmx) { window.htmx.process(fresh); }
        fresh.classList.add("item--fresh");
        live.dispatchEvent(new CustomEvent("onsplan:updated", { bubbles: true, detail: msg }));
      });
    });
    function refreshPresence() {
      getHtml(live.dataset.presenceUrl).then(function (html) {
        var box = document.getElementById("presence");
        if (box && html !== null) { box.textContent = html.trim(); }
      });
    }
    source.addEventListener("presence", refreshPresence);
    source.addEventListener("open", refreshPresence);
    source.addEventListener("agreement", function () {
      if (document.activeElement && document.activeElement.closest(".agreement")) { return; }
      getHtml(location.pathname).then(function (html) {
        if (!html) { return; }
        var page = new DOMParser().parseFromString(html, "text/html");
        Array.prototype.forEach.call(page.querySelectorAll(".agreement[id]"), function (fresh) {
          var old = document.getElementById(fresh.id);
          if (old) { old.replaceWith(document.importNode(fresh, true)); }
        });
        var status = page.querySelector(".plan-status");
        var oldStatus = document.querySelector(".plan-status");
        if (status && oldStatus) { oldStatus.replaceWith(document.importNode(status, true)); }
      });
    });
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
