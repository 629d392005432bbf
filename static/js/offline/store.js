/* The phone's offline store (IndexedDB through idb), shared by the pages and the worker.
 *
 * - "queue": entries logged without a network, each sealed for the server with its author's
 *   public key (ECDH P-256 + HKDF-SHA256 + AES-256-GCM, offline/crypto.py): only the server
 *   opens them. In the clear: an id, the owner's tag (not a name), the kind, a label without
 *   names, when it was made, its state.
 * - "session": whose session this is (tag, public key), while it lasts.
 * - "hand": the residents kept at hand (the only names on the phone), while the session lasts.
 */
(function (global) {
  "use strict";
  const DB_NAME = "ema-offline";
  const PAGES_CACHE = "ema-pages";
  const INFO = new TextEncoder().encode("ema-offline-queue-v1");
  let dbPromise = null;

  function db() {
    if (!dbPromise) {
      dbPromise = global.idb.openDB(DB_NAME, 1, {
        upgrade(database) {
          const queue = database.createObjectStore("queue", { keyPath: "id" });
          queue.createIndex("created", "created");
          database.createObjectStore("session");
          database.createObjectStore("hand", { keyPath: "id" });
        },
      });
    }
    return dbPromise;
  }

  function b64decode(text) {
    const base = text.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base + "===".slice((base.length + 3) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  }

  function b64encode(bytes) {
    let binary = "";
    new Uint8Array(bytes).forEach((b) => { binary += String.fromCharCode(b); });
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  /* A one-time token as ema/submissions.py accepts them: 24 random URL-safe characters. */
  function newToken() {
    return b64encode(crypto.getRandomValues(new Uint8Array(18)));
  }

  async function seal(session, entry) {
    const subtle = crypto.subtle;
    const server = await subtle.importKey(
      "raw", b64decode(session.key), { name: "ECDH", namedCurve: "P-256" }, false, []);
    const mine = await subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    const shared = await subtle.deriveBits({ name: "ECDH", public: server }, mine.privateKey, 256);
    const material = await subtle.importKey("raw", shared, "HKDF", false, ["deriveKey"]);
    const key = await subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: INFO },
      material, { name: "AES-GCM", length: 256 }, false, ["encrypt"]);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(session.owner) },
      key, new TextEncoder().encode(JSON.stringify(entry)));
    return {
      key: b64encode(await subtle.exportKey("raw", mine.publicKey)),
      iv: b64encode(iv),
      data: b64encode(data),
    };
  }

  async function session() {
    return (await db()).get("session", "current");
  }

  async function saveSession(bundle) {
    const database = await db();
    const tx = database.transaction(["session", "hand"], "readwrite");
    tx.objectStore("session").put({
      owner: bundle.owner,
      key: bundle.key,
      idleMs: bundle.idle_ms,
      endsMs: bundle.ends_ms,
      lastSeenMs: Date.now(),
      sync: bundle.sync,
    }, "current");
    const hand = tx.objectStore("hand");
    await hand.clear();
    for (const person of bundle.hand) hand.put(person);
    await tx.done;
  }

  async function touch() {
    const database = await db();
    const current = await database.get("session", "current");
    if (current) {
      current.lastSeenMs = Date.now();
      await database.put("session", current, "current");
    }
  }

  /* Whether the session the phone knows of may still be alive (the server has the last word). */
  function alive(current, now) {
    if (!current) return false;
    return now - current.lastSeenMs < current.idleMs && now < current.endsMs;
  }

  async function hand() {
    const current = await session();
    if (!alive(current, Date.now())) {
      await forgetNames();
      return [];
    }
    return (await db()).getAll("hand");
  }

  /* The session is over (or was never here): the names and the kept pages go; the queue
   * stays sealed, for its author's next login. With `everything`, whose session it was goes
   * too (a logout, a login page: nobody is working on this phone). */
  async function forgetNames(everything) {
    const database = await db();
    await database.clear("hand");
    if (everything) {
      await database.delete("session", "current");
      if (global.caches) await global.caches.delete(PAGES_CACHE);
    }
  }

  async function queued(owner) {
    const all = await (await db()).getAllFromIndex("queue", "created");
    return owner === undefined ? all : all.filter((entry) => entry.owner === owner);
  }

  async function enqueue(current, { kind, label, payload, version, target }) {
    const entry = {
      id: newToken(),
      owner: current.owner,
      kind,
      label,
      created: Date.now(),
      envelope: await seal(current, { ...payload, kind }),
      version: version === undefined ? null : version,
      target: target === undefined ? null : target,
      state: "pending",
      attempts: 0,
      nextTry: 0,
      problem: null,
    };
    await (await db()).put("queue", entry);
    return entry;
  }

  async function update(entry) {
    await (await db()).put("queue", entry);
  }

  async function remove(id) {
    await (await db()).delete("queue", id);
  }

  global.EMAStore = {
    PAGES_CACHE, newToken, session, saveSession, touch, alive, hand, forgetNames,
    queued, enqueue, update, remove,
  };
})(self);
