/* EMA on a phone without a network, for a complete session of the field work: registers the
 * service worker, keeps what the offline pages need while the session lasts, queues what is logged on the offline pages (sealed, see
 * store.js), sends the queue oldest first when the network is back, with retries and backoff,
 * and shows what waits and what the server refused. No inline script: the words come from the
 * data-* attributes of the templates (translated there).
 */
(function () {
  "use strict";
  const body = document.body;
  const Store = window.EMAStore;
  if (!Store || !("serviceWorker" in navigator) || !window.indexedDB || !window.crypto?.subtle) {
    return; // pages keep working online, as they always did
  }
  const banner = document.getElementById("offline-banner");
  const words = banner ? banner.dataset : {};
  // A page of a complete session that does the field work; every other page loads
  // signed-out.js instead, which sends no request (base.html).
  if (body.dataset.offlineSession !== "on" || !body.dataset.offlineWorker) return;
  const MAX_BACKOFF_MS = 5 * 60 * 1000;
  let csrf = null;
  let needsLogin = false;
  let flushTimer = null;
  let busy = false;

  function say(template, n) {
    return (template || "").replace("{n}", String(n));
  }

  /* The day and the time in the organisation's time zone (America/Montreal), as the server
   * reads them, whatever zone the phone is set to. */
  const clock = new Intl.DateTimeFormat("en-CA", {
    timeZone: body.dataset.timeZone || undefined,
    year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  function part(d, type) { return clock.formatToParts(d).find((p) => p.type === type).value; }
  function localDate(d) { return `${part(d, "year")}-${part(d, "month")}-${part(d, "day")}`; }
  function localTime(d) { return `${part(d, "hour")}:${part(d, "minute")}`; }

  /* ---- the worker and the bundle ---- */

  async function worker() {
    try {
      await navigator.serviceWorker.register(body.dataset.offlineWorker);
      const registration = await navigator.serviceWorker.ready;
      // A page opened while the worker was still installing is not its client yet: it asks
      // to be, so that this very page, reloaded offline, comes from the worker.
      if (!navigator.serviceWorker.controller && registration.active) {
        registration.active.postMessage({ type: "claim" });
      }
      return registration;
    } catch (error) {
      return null;
    }
  }

  async function tellWorker(message) {
    const registration = await worker();
    if (registration && registration.active) registration.active.postMessage(message);
  }

  /* What the phone keeps, asked again of the server; null offline or when a login is needed. */
  async function refresh() {
    let response;
    try {
      response = await fetch(body.dataset.offlineBundle, {
        credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" },
      });
    } catch (error) {
      return null;
    }
    const json = (response.headers.get("Content-Type") || "").includes("application/json");
    if (response.redirected || !json) {
      needsLogin = true;
      return null;
    }
    if (!response.ok) return null;
    const bundle = await response.json();
    needsLogin = false;
    csrf = bundle.csrf;
    await Store.saveSession(bundle);
    // The offline pages are fetched again from the pages that show what they keep (Ma
    // journée, the quick log, the offline pages), or when none is kept yet.
    if ("offlineRefresh" in body.dataset || !(await caches.has(Store.PAGES_CACHE))) {
      await tellWorker({ type: "keep-pages", pages: bundle.pages });
    }
    return bundle;
  }

  /* ---- the queue ---- */

  async function mine() {
    const session = await Store.session();
    return session ? Store.queued(session.owner) : [];
  }

  function backoff(attempts) {
    return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempts) + Math.floor(Math.random() * 500);
  }

  async function send(session, entry) {
    let response;
    try {
      response = await fetch(session.sync, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf,
        },
        body: JSON.stringify({ envelope: entry.envelope, version: entry.version }),
      });
    } catch (error) {
      return "network";
    }
    const json = (response.headers.get("Content-Type") || "").includes("application/json");
    if (response.redirected || (!json && (response.status === 403 || response.status === 200))) {
      // The login page, or a CSRF refusal after a new login: ask the bundle again first.
      csrf = null;
      needsLogin = response.redirected;
      return "login";
    }
    if (!json || response.status >= 500) return "retry";
    const answer = await response.json();
    if (response.status === 200 || response.status === 201) {
      await Store.remove(entry.id);
      announce(words.textSent, answer.record ? answer.record.label : "");
      return "sent";
    }
    entry.state = response.status === 409 ? "stale" : response.status === 422 ? "invalid" : "refused";
    entry.problem = answer;
    await Store.update(entry);
    return "kept";
  }

  async function flushNow() {
    if (!navigator.onLine) return;
    let session = await Store.session();
    if (!session) return;
    // Oldest first: while the oldest entry waits for its next try, the others wait behind it.
    const pending = (await Store.queued(session.owner)).filter((entry) => entry.state === "pending");
    if (!pending.length || pending[0].nextTry > Date.now()) return;
    let due = pending;
    if (!csrf) {
      if (!(await refresh())) return;
      session = await Store.session();
      if (!session) return;
      due = due.filter((entry) => entry.owner === session.owner);
    }
    for (const entry of due) {
      const outcome = await send(session, entry);
      if (outcome === "login") break;
      if (outcome === "network" || outcome === "retry") {
        entry.attempts += 1;
        entry.nextTry = Date.now() + backoff(entry.attempts);
        await Store.update(entry);
        break; // oldest first: the next ones wait for this one
      }
    }
  }

  async function flush() {
    if (busy) return;
    busy = true;
    try {
      if (navigator.locks) {
        await navigator.locks.request("ema-offline-queue", flushNow);
      } else {
        await flushNow();
      }
    } finally {
      busy = false;
    }
    await render();
    await schedule();
  }

  async function schedule() {
    clearTimeout(flushTimer);
    const pending = (await mine()).filter((entry) => entry.state === "pending");
    if (!pending.length) return;
    const next = Math.min(...pending.map((entry) => entry.nextTry));
    flushTimer = setTimeout(flush, Math.max(1000, next - Date.now()));
  }

  /* ---- what the person sees ---- */

  function announce(template, label) {
    const status = document.getElementById("offline-status");
    if (status && template) status.textContent = say(template, label).replace("{label}", label);
  }

  async function render() {
    const entries = await mine();
    const pending = entries.filter((entry) => entry.state === "pending").length;
    const problems = entries.length - pending;
    if (banner) {
      let text = "";
      if (!navigator.onLine) {
        text = say(pending === 0 ? words.offlineNone : pending === 1 ? words.offlineOne : words.offlineMany, pending);
      } else if (pending && needsLogin) {
        text = say(pending === 1 ? words.loginOne : words.loginMany, pending);
      } else if (pending) {
        text = say(pending === 1 ? words.sendingOne : words.sendingMany, pending);
      } else if (problems) {
        text = say(problems === 1 ? words.problemOne : words.problemMany, problems);
      }
      banner.querySelector("[data-offline-text]").textContent = text;
      banner.querySelector("[data-offline-login]").hidden = !(needsLogin && pending);
      banner.querySelector("[data-offline-review]").hidden = !(problems && navigator.onLine);
      banner.hidden = !text;
    }
    renderQueue(entries);
  }

  function cell(row, text, tag) {
    const element = document.createElement(tag || "td");
    element.textContent = text === null || text === undefined ? "" : String(text);
    row.append(element);
    return element;
  }

  function button(label, style, action) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = `btn btn-sm ${style}`;
    element.textContent = label;
    element.addEventListener("click", action);
    return element;
  }

  function renderQueue(entries) {
    const panel = document.getElementById("offline-queue");
    if (!panel) return;
    const text = panel.dataset;
    const list = panel.querySelector("[data-offline-entries]");
    list.replaceChildren();
    panel.querySelector("[data-offline-empty]").hidden = entries.length > 0;
    for (const entry of entries) {
      const item = document.createElement("li");
      item.className = "list-group-item";
      item.dataset.state = entry.state;
      const title = document.createElement("div");
      title.className = "d-flex justify-content-between gap-2";
      cell(title, entry.label, "span").className = "fw-semibold";
      cell(title, text[`state${entry.state[0].toUpperCase()}${entry.state.slice(1)}`], "span")
        .className = "small text-body-secondary";
      item.append(title);
      const problem = entry.problem || {};
      for (const message of problem.errors || []) {
        cell(item, message, "div").className = "small text-danger";
      }
      if (entry.state === "stale" && problem.fields) {
        const table = document.createElement("table");
        table.className = "table table-sm mt-2 mb-2";
        const head = document.createElement("tr");
        cell(head, "", "th");
        cell(head, text.yours, "th");
        cell(head, text.theirs, "th");
        table.append(head);
        for (const field of problem.fields) {
          const row = document.createElement("tr");
          if (String(field.yours) !== String(field.theirs)) row.className = "table-warning";
          cell(row, field.label, "th");
          cell(row, field.yours);
          cell(row, field.theirs);
          table.append(row);
        }
        item.append(table);
        const actions = document.createElement("div");
        actions.className = "d-flex flex-wrap gap-2";
        actions.append(
          button(text.keepMine, "btn-primary", async () => {
            entry.version = problem.version;
            entry.state = "pending";
            entry.problem = null;
            entry.attempts = 0;
            entry.nextTry = 0;
            await Store.update(entry);
            await flush();
          }),
          button(text.keepTheirs, "btn-outline-secondary", async () => {
            await Store.remove(entry.id);
            await render();
          }),
        );
        item.append(actions);
      } else if (entry.state !== "pending") {
        item.append(button(text.discard, "btn-outline-secondary mt-1", async () => {
          await Store.remove(entry.id);
          await render();
        }));
      }
      list.append(item);
    }
  }

  /* ---- the offline pages' forms ---- */

  function fieldsOf(form) {
    const fields = {};
    for (const [name, value] of new FormData(form)) {
      if (name === "csrfmiddlewaretoken" || name === "submission" || name === "version") continue;
      if (value === "") continue;
      if (name in fields) fields[name] = [].concat(fields[name], value);
      else fields[name] = form.querySelectorAll(`[name="${name}"][data-many]`).length ? [value] : value;
    }
    return fields;
  }

  function setNow(form) {
    const time = form.querySelector("[data-offline-now]");
    if (time && !time.value) time.value = localTime(new Date());
  }

  async function fillHand(form) {
    const people = await Store.hand();
    const registered = new Set(JSON.parse(form.dataset.registered || "[]"));
    for (const select of form.querySelectorAll("select[data-offline-hand]")) {
      const first = select.querySelector("option");
      select.replaceChildren(...(first ? [first] : []));
      for (const person of people) {
        select.append(new Option(`${person.name} — ${person.home}`, person.id));
      }
    }
    for (const group of form.querySelectorAll("[data-offline-hand-boxes]")) {
      const wantRegistered = group.dataset.offlineHandBoxes === "registered";
      const list = group.querySelector("[data-offline-boxes]");
      list.replaceChildren();
      const chosen = people.filter((person) => registered.has(person.id) === wantRegistered);
      group.hidden = chosen.length === 0;
      for (const person of chosen) {
        const wrap = document.createElement("div");
        wrap.className = "form-check";
        const box = document.createElement("input");
        box.type = "checkbox";
        box.className = "form-check-input";
        box.name = group.dataset.name;
        box.value = person.id;
        box.id = `${group.dataset.name}_${person.id}`;
        box.dataset.many = "";
        const label = document.createElement("label");
        label.className = "form-check-label";
        label.htmlFor = box.id;
        label.textContent = person.name;
        wrap.append(box, label);
        list.append(wrap);
      }
    }
  }

  function showPersonField(form) {
    const type = form.querySelector("[name=type]");
    const person = form.querySelector("[data-offline-person]");
    if (!type || !person) return;
    const individual = JSON.parse(form.dataset.individualTypes || "[]").map(String);
    person.hidden = !individual.includes(type.value);
    if (person.hidden) person.querySelector("select").value = "";
  }

  function labelOf(form, fields) {
    const type = form.querySelector("[name=type]");
    const what = type && type.selectedOptions ? type.selectedOptions[0]?.textContent : form.dataset.label;
    const when = fields.start_time || "";
    return [what || form.dataset.label || "", when].filter(Boolean).join(" · ");
  }

  async function queueForm(form) {
    const status = form.querySelector("[data-offline-form-status]");
    const session = await Store.session();
    if (!session) {
      status.textContent = form.dataset.textNoSession;
      status.className = "alert alert-danger";
      return;
    }
    setNow(form);
    const kind = form.dataset.offlineKind;
    const fields = fieldsOf(form);
    const now = new Date();
    let payload;
    let version;
    if (kind === "edit") {
      payload = { intervention: Number(form.dataset.intervention), fields };
      version = Number(form.querySelector("[name=version]").value);
    } else {
      payload = { token: Store.newToken(), recorded_on: localDate(now), fields };
      if (kind === "session") payload.activity = Number(form.dataset.activity);
    }
    await Store.enqueue(session, {
      kind, label: labelOf(form, fields), payload, version,
      target: payload.intervention,
    });
    if (kind !== "edit") {
      form.reset();
      presetType(form);
      showPersonField(form);
      setNow(form);
    }
    status.textContent = form.dataset.textQueued;
    status.className = "alert alert-success";
    await render();
    await flush();
  }

  function presetType(form) {
    const wanted = new URLSearchParams(location.search).get("type");
    const type = form.querySelector("select[name=type]");
    if (wanted && type && [...type.options].some((option) => option.value === wanted)) {
      type.value = wanted;
    }
  }

  async function prepareForms() {
    for (const form of document.querySelectorAll("form[data-offline-kind]")) {
      presetType(form);
      setNow(form);
      await fillHand(form);
      showPersonField(form);
      form.querySelector("[name=type]")?.addEventListener("change", () => showPersonField(form));
      for (const submit of form.querySelectorAll("[data-offline-submit]")) submit.disabled = false;
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        // Until this save is kept: no second save, and no message of the last one that would
        // seem to be this one's (the form is reset once it is kept).
        const status = form.querySelector("[data-offline-form-status]");
        status.textContent = "";
        status.className = "";
        const submits = form.querySelectorAll("[data-offline-submit]");
        submits.forEach((submit) => { submit.disabled = true; });
        queueForm(form).finally(() => {
          submits.forEach((submit) => { submit.disabled = false; });
        });
      });
    }
    // Served by the worker for another page that cannot be reached without a network.
    const note = document.getElementById("offline-elsewhere");
    const own = body.dataset.offlinePath;
    if (note && own && location.pathname !== own) note.hidden = false;
  }

  /* ---- start ---- */

  async function start() {
    await worker();
    if (navigator.onLine) {
      const session = await Store.session();
      const stale = !session || Date.now() - session.lastSeenMs > 60 * 1000;
      if ("offlineRefresh" in body.dataset || stale || (await mine()).length) await refresh();
      else await Store.touch();
    }
    await prepareForms();
    await render();
    await flush();
  }

  // A new version of the app took over: the offline pages are fetched again, with its files.
  navigator.serviceWorker.addEventListener("message", (event) => {
    if ((event.data || {}).type === "updated" && navigator.onLine) {
      refresh().then((bundle) => bundle && tellWorker({ type: "keep-pages", pages: bundle.pages }));
    }
  });
  window.addEventListener("online", () => { flush(); });
  window.addEventListener("offline", () => { render(); });
  start();
})();
