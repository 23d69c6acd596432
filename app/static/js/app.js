// Ons Plan: small enhancements only; every page works without this file (offline.js keeps drafts and the queue).
(function () {
  "use strict";
  function byId(id) { return document.getElementById(id); }
  function inHand(item) { return item?.matches(".item--editing, .item--pending"); }
  // The live plan: htmx's SSE extension keeps #live[sse-connect] open and reopens it when refused; presence, agreement
  // and help fetch themselves on its news (hx-trigger="sse:…"). An item's news only names it: it is fetched with a
  // plain, permission-checked fetch (no htmx target, so focus never moves), never over an item being changed here.
  document.addEventListener("sse:item", (event) => {
    const msg = JSON.parse(event.detail.data), live = byId("live"), shown = byId("item-" + msg.item);
    if (event.detail.lastEventId) {  // a new stream (after a refusal) catches up from here; the browser's retry says so
      const stream = new URL(live.getAttribute("sse-connect"), location.href);
      stream.searchParams.set("after", event.detail.lastEventId);
      live.setAttribute("sse-connect", stream.pathname + stream.search);
    }
    // the same version is already shown, unless who may see it changed (it may now appear or vanish)
    if (inHand(shown) || (shown && !msg.visibility && shown.dataset.version === String(msg.version))) { return; }
    const url = live.dataset.itemUrl.replace("ITEM", msg.item) + "?lang=" + document.documentElement.lang;
    fetch(url).then((r) => (r.status === 404 ? "" : r.ok ? r.text() : null)).then((html) => {  // 404: gone, or hidden
      const now = byId("item-" + msg.item), target = now || byId(msg.into || "items-" + msg.kind);  // a note's goal
      if (html === null || !target || inHand(now)) { return; }  // the editor opened while the news was on its way
      htmx.swap(target, html, { swapStyle: now ? "outerHTML" : "beforeend" });  // htmx keeps focus by id
    });
  });
  // A link or form with data-in-place="SELECTOR" (a plan item's Edit, tick, share; a goal's follow) is sent by htmx and
  // answered in place of its closest SELECTOR, as with hx-target="closest SELECTOR" hx-swap="outerHTML": htmx need not
  // set up a big plan's ~280 of them at start-up. Its events fire on the control (offline.js listens). A click with a
  // modifier key is the link's own.
  function inPlace(event, control, verb, path, values) {
    const place = control.closest(control.dataset.inPlace);
    if (!place || event.defaultPrevented) { return; }
    event.preventDefault();
    htmx.ajax(verb, path, { source: control, target: place, swap: "outerHTML", values }).catch(() => {});  // offline
  }
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a[data-in-place]"), key = event.ctrlKey || event.metaKey || event.shiftKey;
    if (link && !key && !event.altKey && !event.button) { inPlace(event, link, "get", link.getAttribute("href")); }
  });
  document.addEventListener("submit", (event) => {
    const form = event.target, button = event.submitter;
    const values = button?.name ? { [button.name]: button.value } : undefined;  // the button used, as htmx sends it
    if (form.matches("form[data-in-place]")) { inPlace(event, form, "post", form.getAttribute("action"), values); }
  });
  // One's own save may be answered after its live news has drawn the item: the answer then takes that item's place.
  document.addEventListener("htmx:beforeSwap", ({ detail }) => {
    const id = /^\s*<[^>]*?\sid="(item-[^"]+)"/.exec(detail.serverResponse), drawn = id && byId(id[1]);
    const inside = drawn && detail.target !== drawn && detail.target.contains(drawn);
    if (inside) { detail.target = drawn; detail.swapOverride = "outerHTML"; }
  });
  // Live updates paused (Redis away, so the server says "paused"; or the stream was refused, e.g. a 503): #live-paused
  // shows, with a reload link, while the page keeps asking; "ready": they are back, and caught up.
  ["sse:paused", "sse:ready", "htmx:sseError"].forEach((name) => document.addEventListener(name, (event) => {
    const banner = byId("live-paused"), closed = event.detail.source?.readyState === EventSource.CLOSED;
    if (banner && (name !== "htmx:sseError" || closed)) { banner.hidden = name === "sse:ready"; }
  }));
  document.addEventListener("htmx:oobBeforeSwap", ({ detail }) => {  // an agreement form in use is never replaced
    const part = detail.target, reason = part.querySelector("textarea");  // an answer chosen, a reason, focus in it
    const busy = part.querySelector(":checked") || reason?.value || part.contains(document.activeElement);
    if (part.matches(".agreement") && busy) { detail.shouldSwap = false; }
  });
  document.addEventListener("click", (event) => {  // an error summary's link focuses its field, as a skip link does
    const link = event.target.closest?.("[data-error-summary] a[href^='#']");
    const field = link && byId(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    const legend = field.closest("fieldset")?.querySelector("legend");  // the field's label in view
    (legend || field.labels?.[0] || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
  document.addEventListener("keydown", (event) => {  // Escape closes the help panel and gives focus back to its button
    const open = event.key === "Escape" && document.querySelector("details.help-menu[open]");
    if (open) { open.removeAttribute("open"); open.querySelector("summary").focus(); }
  });
  document.addEventListener("change", (event) => {  // a file over a form's data-max-bytes is refused before it is sent
    const input = event.target, form = input.form;
    if (input.type !== "file" || !form?.dataset.maxBytes) { return; }
    const error = form.querySelector("[data-too-large]"), tooBig = input.files[0]?.size > Number(form.dataset.maxBytes);
    if (error) { error.hidden = !tooBig; error.textContent = tooBig ? error.dataset.tooLarge : ""; }
    input.setAttribute("aria-invalid", tooBig ? "true" : "false");
    if (tooBig) { input.value = ""; }
  });
})();
