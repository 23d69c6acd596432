// Ons Plan service worker {{ version }}: caches the app shell and the offline pages, never family data.
"use strict";
const CACHE = "onsplan-shell-{{ version }}";
const ASSETS = {{ assets | tojson }};
const OFFLINE = {{ offline | tojson }};
const LANGUAGE_KEY = "/__onsplan-language";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll([...ASSETS, ...Object.values(OFFLINE)]))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith("onsplan-") && key !== CACHE).map((key) => caches.delete(key))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "lang" && OFFLINE[data.lang]) {
    event.waitUntil(caches.open(CACHE).then((cache) => cache.put(LANGUAGE_KEY, new Response(data.lang))));
  }
});

async function offlinePage() {
  const cache = await caches.open(CACHE);
  const stored = await cache.match(LANGUAGE_KEY);
  const language = stored ? await stored.text() : "nl";
  return (await cache.match(OFFLINE[language] || OFFLINE.nl)) || Response.error();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    // Pages always come from the network (they may hold family data); offline we show the offline page.
    event.respondWith(fetch(request).catch(offlinePage));
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
