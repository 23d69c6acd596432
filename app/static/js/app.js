// Ons Plan: small enhancements only; every page works without this file (offline.js keeps drafts and the queue).
(function () {
  "use strict";

  // The live plan: htmx's SSE extension keeps the stream open (#live[sse-connect]) and opens it again when it was
  // refused; presence, agreement and a goal's help fetch themselves on its news (hx-trigger="sse:…"). The news of an
  // item names it only: it is fetched here through a normal, permission-checked request, never over what someone
  // is changing here (saving it, now or when the offline queue is sent, will show both texts). A plain fetch: it names
  // no htmx target, so the answer never marks anything `autofocus` (render.aimed_at) and never moves focus.
  function inHand(item) { return item && item.matches(".item--editing, .item--pending"); }
  function onItem(event) {
    var msg = JSON.parse(event.detail.data), live = document.getElementById("live");
    var shown = document.getElementById("item-" + msg.item);
    if (event.detail.lastEventId) {  // a new stream (after a refusal) catches up from here; the browser's retry says so
      var stream = new URL(live.getAttribute("sse-connect"), location.href);
      stream.searchParams.set("after", event.detail.lastEventId);
      live.setAttribute("sse-connect", stream.pathname + stream.search);
    }
    // the same version is already shown, unless who may see it changed (it may now appear or vanish)
    if (inHand(shown) || (shown && !msg.visibility && shown.dataset.version === String(msg.version))) { return; }
    fetch(live.dataset.itemUrl.replace("ITEM", msg.item) + "?lang=" + document.documentElement.lang).then(function (r) {
      return r.status === 404 ? "" : (r.ok ? r.text() : null);  // 404: gone, or no longer theirs to see
    }).then(function (html) {
      var now = document.getElementById("item-" + msg.item);
      var target = now || document.getElementById(msg.into || "items-" + msg.kind);  // a note: under its goal
      if (html === null || !target || inHand(now)) { return; }  // the editor opened while the news was on its way
      htmx.swap(target, html, { swapStyle: now ? "outerHTML" : "beforeend" });  // htmx keeps focus by id
    });
  }
  document.addEventListener("sse:item", onItem);  // the extension's event on #live (hx-trigger="sse:item")
  // One's own save may be answered after its live news has drawn the item: the answer then takes that item's place.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var id = /^\s*<[^>]*?\sid="(item-[^"]+)"/.exec(event.detail.serverResponse);
    var drawn = id && document.getElementById(id[1]);
    if (drawn && event.detail.target !== drawn && event.detail.target.contains(drawn)) {
      event.detail.target = drawn;
      event.detail.swapOverride = "outerHTML";
    }
  });
  // Live updates pause (Redis away: the server says "paused"; or the stream was refused, e.g. a 503): say so, with a
  // reload link, while the page keeps asking; "ready" means they are back, and the stream caught up on what changed.
  function paused(event) {
    var banner = document.getElementById("live-paused");
    if (banner) { banner.hidden = event.type === "sse:ready"; }
  }
  ["sse:paused", "sse:ready"].forEach(function (name) { document.addEventListener(name, paused); });  // #live-paused
  document.addEventListener("htmx:sseError", function (event) {
    if (event.detail.source.readyState === EventSource.CLOSED) { paused(event); }
  });
  // Someone's choice in an agreement form (a chosen answer, a reason typed, focus in it) is never replaced under
  // their fingers: checked as the fresh parts arrive.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var part = event.detail.target, active = document.activeElement, reason = part.querySelector("textarea");
    var busy = part.querySelector(":checked") || (reason && reason.value) || part.contains(active);
    if (part.matches(".agreement") && busy) { event.detail.shouldSwap = false; }
  });

  document.addEventListener("click", function (event) {
    // A link in an error summary puts focus in its field (and shows the field's label), as a skip link does.
    var link = event.target.closest ? event.target.closest("[data-error-summary] a[href^='#']") : null;
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    var fieldset = field.closest("fieldset"), label = field.labels && field.labels[0];
    ((fieldset && fieldset.querySelector("legend")) || label || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });

  // Close the help panel with Escape and give focus back to its button.
  document.addEventListener("keydown", function (event) {
    var open = event.key === "Escape" && document.querySelector("details.help-menu[open]");
    if (open) {
      open.removeAttribute("open");
      open.querySelector("summary").focus();
    }
  });

  // A file over a form's limit (data-max-bytes, a complaint's attachment) is refused before it is sent.
  document.addEventListener("change", function (event) {
    var input = event.target, form = input.form;
    if (input.type !== "file" || !form || !form.dataset.maxBytes) { return; }
    var error = form.querySelector("[data-too-large]");
    var tooBig = input.files && input.files[0] && input.files[0].size > Number(form.dataset.maxBytes);
    if (error) { error.hidden = !tooBig; error.textContent = tooBig ? error.dataset.tooLarge : ""; }
    input.setAttribute("aria-invalid", tooBig ? "true" : "false");
    if (tooBig) { input.value = ""; }
  });
})();
