"""A phone losing and finding its network, in Playwright's Chromium.

`context.set_offline` cuts the pages' requests but not the service worker's: the worker's are
aborted by a route as a lost network aborts them (microsoft/playwright#2311)."""

import time
from collections.abc import Callable

from django.db import OperationalError
from playwright.sync_api import BrowserContext, Page, Route

OWN_CACHE = "ema-pages"


def _cut_worker(route: Route) -> None:
    if route.request.service_worker is not None:
        route.abort("internetdisconnected")
    else:
        route.continue_()


def go_offline(context: BrowserContext) -> None:
    context.set_offline(True)
    context.route("**/*", _cut_worker)


def go_online(context: BrowserContext) -> None:
    context.unroute("**/*", _cut_worker)
    context.set_offline(False)


def ready_offline(page: Page, *, pages: int = 2, timeout: float = 30) -> None:
    """Wait until the worker controls the page and keeps the offline pages (polled from here:
    the page's CSP forbids the string functions of wait_for_function)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(
        """async (wanted) => {
            if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return false;
            if (!(await caches.has("ema-pages"))) return false;
            const keys = await (await caches.open("ema-pages")).keys();
            return keys.length >= wanted;
        }""",
        pages,
    ):
        if time.monotonic() > deadline:
            raise AssertionError("the service worker never kept the offline pages")
        page.wait_for_timeout(200)


def wait_until(page: Page, condition: Callable[[], bool], *, timeout: float = 30) -> None:
    """Wait for something the server should see (rows saved), polling the database. The
    wait is Playwright's, so that the routes of the test keep answering meanwhile."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return
        except OperationalError:
            pass  # SQLite's table lock while the live server writes: ask again
        if time.monotonic() > deadline:
            raise AssertionError("the condition never came true")
        page.wait_for_timeout(200)


# Everything the device keeps, as text: every cached response and every IndexedDB record.
DEVICE_CONTENTS = """async () => {
    const texts = [];
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
            const response = await cache.match(request);
            texts.push(request.url + "\\n" + await response.text());
        }
    }
    for (const info of await indexedDB.databases()) {
        const db = await new Promise((resolve, reject) => {
            const open = indexedDB.open(info.name);
            open.onsuccess = () => resolve(open.result);
            open.onerror = () => reject(open.error);
        });
        for (const store of db.objectStoreNames) {
            const records = await new Promise((resolve, reject) => {
                const all = db.transaction(store).objectStore(store).getAll();
                all.onsuccess = () => resolve(all.result);
                all.onerror = () => reject(all.error);
            });
            texts.push(store + "\\n" + JSON.stringify(records));
        }
        db.close();
    }
    return texts.join("\\n");
}"""
