// The handbook's service worker: after one visit the whole site (handbook, search index, the
// decision aid with its Pyodide runtime and decision_aid.zip) is kept in one versioned cache, and
// every page works with the network cut.
//
// This file is a template: build_scripts/sitebuild/service_worker.py writes <site>/sw.js from it, with
// VERSION (a hash of every precached file's path and bytes) and PRECACHE (every file of the
// build, as URLs relative to this file, so the site works under any base path).
//
// - install: fetch every file into "opcc-handbook-<VERSION>" (revalidating with the server, so
//   nothing stale from the HTTP cache gets in). All or nothing: if any file fails, this version's
//   cache is deleted, the install fails, the previous version (if any) stays in charge with its
//   copy intact, and every open page is told which file failed and why. The browser tries again
//   at the next visit (offline.js also asks again later).
// - activate: delete every other "opcc-handbook-*" cache, then take control of open pages.
//   A new build is a new sw.js; its worker waits until no page uses the old one (no skipWaiting),
//   so a page never mixes files of two builds.
// - fetch: a file of the build is answered from this version's cache only; anything else goes to
//   the network. Nothing is sent anywhere else, and nothing the user types is ever cached.
"use strict";

const VERSION = "opcc:version";
const PRECACHE = ["opcc:precache"];
const PREFIX = "opcc-handbook-";
const CACHE = PREFIX + VERSION;
const PARALLEL = 6;

const urls = PRECACHE.map((path) => new URL(path, self.location).href);
const known = new Set(urls);

async function precache() {
  const cache = await caches.open(CACHE);
  let next = 0;
  let stop = false; // one file failed: the other lanes stop too, rather than fetch what is dropped
  async function lane() {
    while (next < urls.length && !stop) {
      const i = next++;
      const url = urls[i];
      if (await cache.match(url)) continue; // an install cut short (the tab closed) resumes where it stopped
      let response;
      try {
        response = await fetch(new Request(url, { cache: "no-cache", credentials: "same-origin" }));
      } catch (error) {
        stop = true;
        throw new Error(`${PRECACHE[i]} could not be fetched (${error && error.message || error})`);
      }
      if (!response.ok) {
        stop = true;
        throw new Error(`${PRECACHE[i]} answered HTTP ${response.status}`);
      }
      if (stop) return;
      await cache.put(url, response);
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, lane));
}

async function tell(message) {
  const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const page of pages) page.postMessage(message);
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().catch(async (error) => {
    await caches.delete(CACHE); // never half a copy
    await tell({ type: "install-failed", version: VERSION, reason: String(error && error.message || error) });
    throw error;
  }));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

function cacheKey(request) {
  const url = new URL(request.url);
  url.hash = "";
  // A page opened with a query (aid/?practice=…) is the same file.
  if (request.mode === "navigate") url.search = "";
  let key = url.href;
  if (!known.has(key) && key.endsWith("/index.html")) key = key.slice(0, -"index.html".length);
  return known.has(key) ? key : null;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const key = cacheKey(request);
  if (!key) return; // not a file of this build: the browser fetches it as usual
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(key);
    if (hit) return hit;
    return fetch(request); // still installing, or evicted: the network, as without a worker
  })());
});

// The page asks which version serves it (the offline test and the footer note use this).
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "version" && event.source) {
    event.source.postMessage({ type: "version", version: VERSION, files: urls.length });
  }
});
