// Ons Plan service worker {{ version }}: caches the app shell and the offline pages; family data only as the
// signed-in person's own offline copy of the pages that ask for it (the plan), cleared when someone else signs in.
"use strict";
const CACHE = "onsplan-shell-{{ version }}";
const ASSETS = {{ assets | tojson }};
const OFFLINE = {{ offline | tojson }};
const LANGUAGE_KEY = "/__onsplan-language";
const PERSON_PREFIX = "onsplan-person-";  // + the opaque key of one person's sign-in on this device
const COPIES = 3;  // the plans last viewed (a professional moves between families)
const EXPIRES = "X-Offline-Copy-Expires";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      // The offline pages are fetched without cookies: the copy kept is the same for everyone (no name in it).
      .then((cache) => cache.addAll([...ASSETS,
        ...Object.values(OFFLINE).map((url) => new Request(url, { credentials: "omit" }))]))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith("onsplan-") && !key.startsWith(PERSON_PREFIX) && key !== CACHE)
          .map((key) => caches.delete(key))
      ))
      .then(() => self.clients.claim())
  );
});

// Keep only the copies of the person signed in now ("" = nobody: keep none).
async function keepOnly(key) {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith(PERSON_PREFIX) && name !== PERSON_PREFIX + key)
    .map((name) => caches.delete(name)));
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "lang" && OFFLINE[data.lang]) {
    event.waitUntil(caches.open(CACHE).then((cache) => cache.put(LANGUAGE_KEY, new Response(data.lang))));
  }
  if (data.type === "person" && typeof data.key === "string") {
    event.waitUntil(keepOnly(data.key));
  }
});

async function offlinePage() {
  const cache = await caches.open(CACHE);
  const stored = await cache.match(LANGUAGE_KEY);
  const language = stored ? await stored.text() : "nl";
  return (await cache.match(OFFLINE[language] || OFFLINE.nl)) || Response.error();
}

function copyUrl(url) { return url.origin + url.pathname; }

// Keep the page as this person's offline copy, with its banner shown ("offline copy from <time>").
async function keepCopy(url, response) {
  const key = response.headers.get("X-Offline-Copy");
  const maxAge = parseInt(response.headers.get("X-Offline-Copy-Max-Age") || "0", 10);
  if (!/^[0-9a-f]{16,64}$/.test(key || "") || !(maxAge > 0)) { return; }
  await keepOnly(key);
  const html = (await response.text()).replace('id="offline-copy" hidden', 'id="offline-copy"');
  const headers = new Headers(response.headers);
  headers.set(EXPIRES, String(Date.now() + maxAge * 1000));
  headers.set("X-Offline-Copy-From", new Date().toISOString());
  const cache = await caches.open(PERSON_PREFIX + key);
  await cache.delete(copyUrl(url));  // so the order of the keys is the order of viewing
  await cache.put(copyUrl(url), new Response(html, { status: 200, headers: headers }));
  const kept = await cache.keys();
  await Promise.all(kept.slice(0, Math.max(0, kept.length - COPIES)).map((request) => cache.delete(request)));
}

async function copyOrOfflinePage(url) {
  const names = (await caches.keys()).filter((name) => name.startsWith(PERSON_PREFIX));
  if (names.length === 1) {
    const cache = await caches.open(names[0]);
    const copy = await cache.match(copyUrl(url), { ignoreVary: true });
    if (copy && Number(copy.headers.get(EXPIRES)) > Date.now()) { return copy; }
    if (copy) { await cache.delete(copyUrl(url)); }  // the session it belonged to would have ended by now
  }
  return offlinePage();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    // Pages always come from the network. Offline we show the person's copy of this page if they have one,
    // otherwise the offline page.
    event.respondWith(fetch(request).then((response) => {
      if (response.ok && !response.redirected && response.headers.has("X-Offline-Copy")) {
        event.waitUntil(keepCopy(url, response.clone()));
      }
      return response;
    }).catch(() => copyOrOfflinePage(url)));
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
