/* EMA's service worker: it keeps the static files of its version and the offline pages of the
 * person logged in, and stands in for the network when there is none. Pages are always asked
 * of the network first: online, nothing it keeps is ever shown. Names are never in what it
 * keeps (the offline pages are name-free; names live in the "hand" store while a session lasts).
 */
(function () {
  "use strict";
  const config = self.EMA_WORKER;
  const STATIC_CACHE = "ema-static-" + config.version;
  const PAGES_CACHE = self.EMAStore.PAGES_CACHE;
  const assets = new Set(config.assets);

  self.addEventListener("install", (event) => {
    event.waitUntil(
      caches.open(STATIC_CACHE)
        .then((cache) => cache.addAll(config.assets))
        .then(() => self.skipWaiting())
    );
  });

  self.addEventListener("activate", (event) => {
    event.waitUntil((async () => {
      for (const name of await caches.keys()) {
        // The previous version's files go; the pages kept point at them, so the pages open
        // online are told to fetch them again (page.js).
        if (name.startsWith("ema-static-") && name !== STATIC_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
      for (const client of await self.clients.matchAll({ type: "window" })) {
        client.postMessage({ type: "updated", version: config.version });
      }
    })());
  });

  function offlinePathFor(path) {
    for (const [pattern, target] of config.routes) {
      const match = new RegExp(pattern).exec(path);
      if (match) return target.replace(/\{(\d)\}/g, (_, n) => match[Number(n)]);
    }
    return null;
  }

  function fallbackPage() {
    const text = config.fallback;
    const escape = (value) => value.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    const html = `<!doctype html><html lang="fr-CA"><meta charset="utf-8">` +
      `<meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<title>${escape(text.title)} · EMA</title>` +
      `<body><main><h1>${escape(text.title)}</h1><p>${escape(text.text)}</p></main></body></html>`;
    return new Response(html, {
      status: 503,
      headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
    });
  }

  /* Without a network: the offline page that stands in for this one, or else "Ma journée" as
   * kept (it says that the page asked for cannot be opened), or else a page saying why. */
  async function offlineNavigation(request) {
    const url = new URL(request.url);
    for (const path of [offlinePathFor(url.pathname), config.day]) {
      if (!path) continue;
      const kept = await caches.match(path, { cacheName: PAGES_CACHE, ignoreSearch: true });
      if (kept) return kept;
    }
    return fallbackPage();
  }

  async function navigate(request) {
    try {
      return await fetch(request);
    } catch (error) {
      return offlineNavigation(request);
    }
  }

  async function staticFile(request) {
    const kept = await caches.match(request, { cacheName: STATIC_CACHE });
    return kept || fetch(request);
  }

  self.addEventListener("fetch", (event) => {
    const request = event.request;
    const url = new URL(request.url);
    if (url.origin !== self.location.origin || request.method !== "GET") return;
    if (request.mode === "navigate") {
      event.respondWith(navigate(request));
    } else if (assets.has(url.pathname)) {
      event.respondWith(staticFile(request));
    }
    // Anything else (the queue's requests, the type-ahead) goes to the network as it is.
  });

  /* The pages ask the worker to keep the offline pages of the person logged in (after they
   * read the bundle), or to forget them (a logout, a session over). */
  self.addEventListener("message", (event) => {
    const message = event.data || {};
    if (message.type === "keep-pages") {
      event.waitUntil(keepPages(message.pages || []));
    } else if (message.type === "claim") {
      event.waitUntil(self.clients.claim());
    } else if (message.type === "forget") {
      event.waitUntil(self.EMAStore.forgetNames(true));
    }
  });

  async function keepPages(pages) {
    const cache = await caches.open(PAGES_CACHE);
    const wanted = new Set(pages.map((path) => new URL(path, self.location.origin).href));
    for (const path of pages) {
      try {
        const response = await fetch(path, { credentials: "same-origin", redirect: "error" });
        if (response.ok) await cache.put(path, response);
      } catch (error) {
        return; // no network, or the session ended (a redirect to the login): keep what is kept
      }
    }
    for (const request of await cache.keys()) {
      if (!wanted.has(request.url)) await cache.delete(request);
    }
  }
})();
