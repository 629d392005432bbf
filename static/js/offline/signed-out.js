/* A page shown to nobody working on this phone: the login, the second factor's pages, a
 * logout, a partner's link, or an account that does not do the field work. The names and the
 * kept pages go; the sealed queue stays, for its author's next login, and the banner says it
 * waits. Not a request leaves this page (no worker registered, no bundle, no bell): one still
 * under way when the login (or its second factor) replaces the session key would come back
 * with the old one and end the new session. The words come from the banner's data-* attributes.
 */
(function () {
  "use strict";
  const Store = window.EMAStore;
  if (!Store || !window.indexedDB || !window.crypto?.subtle) return;

  function say(template, n) {
    return (template || "").replace("{n}", String(n));
  }

  async function render() {
    const banner = document.getElementById("offline-banner");
    if (!banner) return;
    const words = banner.dataset;
    const waiting = (await Store.queued()).length;
    let text = navigator.onLine ? "" : words.offlineNone;
    if (waiting) text = say(waiting === 1 ? words.waitingOne : words.waitingMany, waiting);
    banner.querySelector("[data-offline-text]").textContent = text;
    banner.querySelector("[data-offline-login]").hidden = true;
    banner.querySelector("[data-offline-review]").hidden = true;
    banner.hidden = !text;
  }

  async function start() {
    await Store.forgetNames(true);
    // A worker registered by an earlier session forgets too (a message, not a request).
    if ("serviceWorker" in navigator) {
      const registration = await navigator.serviceWorker.getRegistration();
      if (registration && registration.active) registration.active.postMessage({ type: "forget" });
    }
    await render();
  }

  window.addEventListener("online", () => { render(); });
  window.addEventListener("offline", () => { render(); });
  start();
})();
